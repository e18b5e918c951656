"""Top-level list resolvers: one page of nodes (priming the DataLoaders) and a lazy total count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graph.companies import Company
from graph.customers import Customer
from graph.entities import COMPANY, CUSTOMER, INTERACTION, PROJECT, Entity
from graph.filters import Filter
from graph.interactions import Interaction
from graph.lists import count_nodes, list_nodes
from graph.neighbourhoods import WHOLE, Projection, current_employer, list_neighbourhoods
from graph.pages import Page, PageRequest, SortKey, check_first
from graph.projects import Project
from resolvers.context import Context
from resolvers.loaders import MISSING

MODELS: dict[str, Any] = {"customer": Customer, "company": Company, "project": Project, "interaction": Interaction}
ENTITIES: dict[str, Entity] = {"customer": CUSTOMER, "company": COMPANY, "project": PROJECT, "interaction": INTERACTION}


def page_request(ctx: Context, first: int | None, after: str | None, sort: tuple[SortKey, ...] = ()) -> PageRequest:
    """Return a PageRequest with first defaulted and checked against max_page_size."""
    n = ctx.config.default_page_size if first is None else first
    return PageRequest(first=check_first(n, ctx.config.max_page_size), after=after, sort=sort)


async def list_page(
    ctx: Context, entity: str, flt: Filter | None, sort: tuple[SortKey, ...], first: int | None, after: str | None,
) -> tuple[Page, list[Any], Callable[[], Awaitable[int]]]:
    """Return a page of entity models (whole nodes), their page and a counter for totalCount; the loader is primed."""
    req = page_request(ctx, first, after, sort)
    page = await list_nodes(ctx.graph, ENTITIES[entity], flt, req)
    models = [MODELS[entity].from_props(r) for r in page.rows]
    loader = getattr(ctx.loaders, entity)
    for m in models:
        loader.prime(m.id, m)

    async def count() -> int:
        return await count_nodes(ctx.graph, ENTITIES[entity], flt)

    return page, models, count


@dataclass(frozen=True)
class CustomerPage:
    """A page of customers as a list shows them (graph.neighbourhoods.Projection): the models, and per model its
    current employer when it was read narrowed (then it is in no loader; None means no employer), else MISSING."""

    page: Page
    customers: list[Customer]
    employers: list[Any]
    count: Callable[[], Awaitable[int]]


async def list_customers(
    ctx: Context, flt: Filter | None, sort: tuple[SortKey, ...], first: int | None, after: str | None,
    *, neighbourhood: frozenset[str] = frozenset(), projection: Projection = WHOLE,
) -> CustomerPage:
    """Return a page of customers with the parts of their neighbourhoods (graph.neighbourhoods.PARTS: employments
    with their companies, memberships, tags) read in the same query, and the properties of the projection.

    Loaders are primed with what was read whole only: a narrowed customer or company is handed to the list's
    own nodes (CustomerPage), never to a loader another field of the request could read."""
    req = page_request(ctx, first, after, sort)
    employers: list[Any] | None = None
    if neighbourhood:
        page, found = await list_neighbourhoods(ctx.graph, flt, req, neighbourhood, projection)
        models = [n.customer for n in found]
        ctx.loaders.prime_neighbourhoods([m.id for m in models], found, neighbourhood, projection)
        if projection.company is not None and "employments" in neighbourhood:
            employers = [current_employer(n) for n in found]
    else:
        page = await list_nodes(ctx.graph, CUSTOMER, flt, req, projection.customer)
        models = [Customer.from_props(r) for r in page.rows]
        if projection.customer is None:
            ctx.loaders.prime_customers(models)

    async def count() -> int:
        return await count_nodes(ctx.graph, CUSTOMER, flt)

    return CustomerPage(page, models, employers or [MISSING] * len(models), count)
