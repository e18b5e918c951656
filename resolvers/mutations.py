"""Mutation resolvers: validate with pydantic, write through the graph layer, then clear the loaders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from graph import links
from graph.companies import Company, CompanyInput, upsert_company
from graph.customers import Customer, CustomerInput, upsert_customer
from graph.errors import BadInputError, NotFoundError
from graph.interactions import Interaction, InteractionInput, record_interaction
from graph.projects import Project, ProjectInput, upsert_project
from resolvers.context import Context

M = TypeVar("M", bound=BaseModel)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def validated(model: type[M], data: dict[str, Any]) -> M:
    """Return data validated as model; raise BadInputError naming each bad field (never its value)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        parts = [f"{'.'.join(_camel(str(x)) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise BadInputError("invalid input: " + "; ".join(parts)) from exc


async def _fresh(ctx: Context, loader: str, key: str) -> Any:
    """Clear every DataLoader (writes change what nested fields see) and read key afresh."""
    ctx.loaders.clear_all()
    found = await getattr(ctx.loaders, loader).load(key)
    if found is None:
        raise NotFoundError(f"{loader} {key!r} not found")
    return found


async def upsert_customer_(ctx: Context, data: dict[str, Any]) -> Customer:
    """Create or update a customer; return it as stored."""
    saved = await upsert_customer(ctx.graph, validated(CustomerInput, data), default_region=ctx.config.default_region)
    fresh: Customer = await _fresh(ctx, "customer", saved.id)
    return fresh


async def upsert_company_(ctx: Context, data: dict[str, Any]) -> Company:
    """Create or update a company; return it as stored."""
    saved = await upsert_company(ctx.graph, validated(CompanyInput, data))
    fresh: Company = await _fresh(ctx, "company", saved.id)
    return fresh


async def upsert_project_(ctx: Context, data: dict[str, Any]) -> Project:
    """Create or update a project under its company; return it as stored."""
    saved = await upsert_project(ctx.graph, validated(ProjectInput, data))
    fresh: Project = await _fresh(ctx, "project", saved.id)
    return fresh


async def record_interaction_(ctx: Context, data: dict[str, Any]) -> tuple[Interaction, bool]:
    """Record an interaction; return it and whether it was new (RFM cache dropped for purchases)."""
    saved, created = await record_interaction(ctx.graph, validated(InteractionInput, data))
    if created and saved.type == "purchase":
        ctx.config.rfm_cache.invalidate()
    return await _fresh(ctx, "interaction", saved.id), created


async def link(ctx: Context, what: str, customer_id: str, other_id: str, props: dict[str, Any]) -> Customer:
    """Create or update a relationship of the customer; return the customer."""
    g = ctx.graph
    if what == "employment":
        await links.link_employment(g, customer_id, other_id, props.get("title"), _date(props.get("since")),
                                    _date(props.get("until")))
    elif what == "membership":
        await links.link_membership(g, customer_id, other_id, props.get("role"), _date(props.get("since")))
    elif what == "knows":
        await links.link_knows(g, customer_id, other_id, props.get("since"))
    else:
        await links.link_referral(g, customer_id, other_id, props.get("at"), bool(props.get("converted")),
                                  props.get("project_id"))
    fresh: Customer = await _fresh(ctx, "customer", customer_id)
    return fresh


async def unlink(ctx: Context, what: str, customer_id: str, other_id: str) -> Customer:
    """Remove a relationship of the customer; return the customer."""
    fn = {"employment": links.unlink_employment, "membership": links.unlink_membership,
          "knows": links.unlink_knows, "referral": links.unlink_referral}[what]
    await fn(ctx.graph, customer_id, other_id)
    fresh: Customer = await _fresh(ctx, "customer", customer_id)
    return fresh


def _date(value: Any) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    raise BadInputError("dates must be YYYY-MM-DD")
