"""Customer resolvers: by id, employer, employments, projects, interactions."""

from __future__ import annotations

from graph.companies import Company
from graph.customers import Customer, Employment, Membership, current_employment
from graph.filters import Filter
from graph.interactions import Interaction
from graph.pages import Page, SortKey
from graph.projects import Project
from resolvers.context import Context
from resolvers.lists import page_request
from resolvers.loaders import MISSING, ready


async def customer(ctx: Context, id: str, *, with_neighbourhood: bool = False) -> Customer | None:
    """Return the customer or None; with_neighbourhood reads its employers, projects and tags in the same query."""
    if with_neighbourhood:
        await ctx.loaders.neighbourhood.load(id)
    return await ctx.loaders.customer.load(id)


async def employments(ctx: Context, customer_id: str) -> list[Employment]:
    """Return the customer's employments, current first then newest."""
    return await ctx.loaders.employments.load(customer_id)


async def current_company(ctx: Context, customer_id: str) -> Company | None:
    """Return the company the customer works at today (latest start when several), or None."""
    found = current_company_ready(ctx, customer_id)
    if found is not MISSING:
        return found
    current = current_employment(await employments(ctx, customer_id))
    return await ctx.loaders.company.load(current.company_id) if current else None


def current_company_ready(ctx: Context, customer_id: str) -> Company | None:
    """Return the current company when the loaders already hold it (a list page primed them), else MISSING."""
    found = ready(ctx.loaders.employments, customer_id)
    if found is MISSING:
        return MISSING
    current = current_employment(found)
    return ready(ctx.loaders.company, current.company_id) if current else None


async def memberships(ctx: Context, customer_id: str) -> list[Membership]:
    """Return the customer's project memberships by project id."""
    return await ctx.loaders.memberships.load(customer_id)


async def company(ctx: Context, company_id: str) -> Company | None:
    """Return the company or None."""
    return await ctx.loaders.company.load(company_id)


async def project(ctx: Context, project_id: str) -> Project | None:
    """Return the project or None."""
    return await ctx.loaders.project.load(project_id)


async def interactions(
    ctx: Context, customer_id: str, flt: Filter | None, sort: tuple[SortKey, ...], first: int | None, after: str | None
) -> tuple[Page, list[Interaction]]:
    """Return a page of the customer's interactions (default newest first)."""
    req = page_request(ctx, first, after, sort or (SortKey(field="occurredAt", descending=True),))
    page = await ctx.loaders.customer_interactions.load(customer_id, flt, req)
    models = [Interaction.from_props(r) for r in page.rows]
    for m in models:
        ctx.loaders.interaction.prime(m.id, m)
    return page, models
