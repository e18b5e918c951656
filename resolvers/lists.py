"""Top-level list resolvers: one page of nodes (priming the DataLoaders) and a lazy total count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from graph.companies import Company
from graph.customers import Customer
from graph.entities import COMPANY, CUSTOMER, INTERACTION, PROJECT, Entity
from graph.filters import Filter
from graph.interactions import Interaction
from graph.lists import count_nodes, list_nodes
from graph.neighbourhoods import list_neighbourhoods
from graph.pages import Page, PageRequest, SortKey, check_first
from graph.projects import Project
from resolvers.context import Context

MODELS: dict[str, Any] = {"customer": Customer, "company": Company, "project": Project, "interaction": Interaction}
ENTITIES: dict[str, Entity] = {"customer": CUSTOMER, "company": COMPANY, "project": PROJECT, "interaction": INTERACTION}


def page_request(ctx: Context, first: int | None, after: str | None, sort: tuple[SortKey, ...] = ()) -> PageRequest:
    """Return a PageRequest with first defaulted and checked against max_page_size."""
    n = ctx.config.default_page_size if first is None else first
    return PageRequest(first=check_first(n, ctx.config.max_page_size), after=after, sort=sort)


async def list_page(
    ctx: Context, entity: str, flt: Filter | None, sort: tuple[SortKey, ...], first: int | None, after: str | None,
    *, neighbourhood: frozenset[str] = frozenset(),
) -> tuple[Page, list[Any], Callable[[], Awaitable[int]]]:
    """Return a page of entity models, their page and a counter for totalCount; loaders are primed.

    neighbourhood (customers only) names the parts of the page's neighbourhoods (graph.neighbourhoods.PARTS:
    employments with their companies, memberships, tags) read in the same query."""
    req = page_request(ctx, first, after, sort)
    if neighbourhood and entity == "customer":
        page, found = await list_neighbourhoods(ctx.graph, flt, req, neighbourhood)
        models: list[Any] = [n.customer for n in found]
        ctx.loaders.prime_neighbourhoods([m.id for m in models], found, neighbourhood)
    else:
        page = await list_nodes(ctx.graph, ENTITIES[entity], flt, req)
        models = [MODELS[entity].from_props(r) for r in page.rows]
    loader = getattr(ctx.loaders, entity)
    for m in models:
        loader.prime(m.id, m)

    async def count() -> int:
        return await count_nodes(ctx.graph, ENTITIES[entity], flt)

    return page, models, count
