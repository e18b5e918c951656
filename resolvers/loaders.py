"""Per-request DataLoaders: one batched query per loader per tick, whatever the number of parents."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from graph import (
    companies,
    customers,
    interactions,
    neighbourhoods,
    network,
    portrait,
    projects,
    tag_history,
    tagged,
)
from graph.db import Graph
from graph.entities import CUSTOMER, INTERACTION, Entity
from graph.filters import Filter
from graph.lists import list_children
from graph.pages import Page, PageRequest

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
PageKey = tuple[str, str]  # (parent id, args key)


def _loader(graph: Graph, fn: Callable[[Graph, list[Any]], Awaitable[Sequence[Any]]]) -> DataLoader[Any, Any]:
    async def load(keys: list[Any]) -> Sequence[Any]:
        return await fn(graph, list(keys))

    return DataLoader(load_fn=load)


def page_args_key(flt: Filter | None, req: PageRequest) -> str:
    """Return a hashable key for a (filter, page request) pair."""
    return (flt.model_dump_json() if flt else "") + "|" + req.model_dump_json()


class ChildPages:
    """Pages of children per parent id, batched by identical (filter, page) arguments."""

    def __init__(self, graph: Graph, parent: str, entity: Entity) -> None:
        self._graph, self._parent, self._entity = graph, parent, entity
        self._args: dict[str, tuple[Filter | None, PageRequest]] = {}
        self.loader: DataLoader[PageKey, Page] = DataLoader(load_fn=self._load)

    async def load(self, parent_id: str, flt: Filter | None, req: PageRequest) -> Page:
        """Return the page of parent_id's children for these arguments."""
        key = page_args_key(flt, req)
        self._args[key] = (flt, req)
        return await self.loader.load((parent_id, key))

    async def _load(self, keys: list[PageKey]) -> list[Page]:
        groups: dict[str, list[str]] = {}
        for pid, akey in keys:
            groups.setdefault(akey, []).append(pid)
        results: dict[PageKey, Page] = {}
        for akey, pids in groups.items():
            flt, req = self._args[akey]
            for pid, page in zip(pids, await list_children(self._graph, self._parent, self._entity, pids, flt, req), strict=True):
                results[(pid, akey)] = page
        return [results[k] for k in keys]


class Loaders:
    """Every DataLoader of one request; created with the Context, never shared between requests."""

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self.customer: DataLoader[str, customers.Customer | None] = _loader(graph, customers.get_customers)
        self.company: DataLoader[str, companies.Company | None] = _loader(graph, companies.get_companies)
        self.project: DataLoader[str, projects.Project | None] = _loader(graph, projects.get_projects)
        self.interaction: DataLoader[str, interactions.Interaction | None] = _loader(graph, interactions.get_interactions)
        self.tag: DataLoader[str, tagged.Tag | None] = _loader(graph, tagged.get_tags)
        self.employments: DataLoader[str, list[customers.Employment]] = _loader(graph, customers.get_employments)
        self.memberships: DataLoader[str, list[customers.Membership]] = _loader(graph, customers.get_memberships)
        self.employees: DataLoader[str, list[customers.Employment]] = _loader(graph, companies.get_employees)
        self.company_projects: DataLoader[str, list[dict[str, Any]]] = _loader(graph, companies.get_company_projects)
        self.members: DataLoader[str, list[customers.Membership]] = _loader(graph, projects.get_members)
        self.neighbours: DataLoader[str, network.Neighbours | None] = _loader(graph, network.get_neighbours)
        self.relationship_map: DataLoader[str, network.RelationshipMap | None] = _loader(
            graph, network.get_relationship_maps
        )
        self.portrait_data: DataLoader[tuple[str, datetime], portrait.PortraitData | None] = DataLoader(
            load_fn=lambda keys: _portrait_batch(graph, keys)
        )
        self.tags_valid_at: DataLoader[tuple[str, datetime | None], list[tag_history.TagState]] = DataLoader(
            load_fn=lambda keys: _tags_batch(graph, keys)
        )
        self.neighbourhood: DataLoader[str, neighbourhoods.Neighbourhood | None] = DataLoader(
            load_fn=self._neighbourhoods
        )
        self.customer_interactions = ChildPages(graph, "customer_interactions", INTERACTION)
        self.tag_customers = ChildPages(graph, "tag_customers", CUSTOMER)

    def all(self) -> list[DataLoader[Any, Any]]:
        """Return every DataLoader."""
        return [v for v in vars(self).values() if isinstance(v, DataLoader)] + [
            self.customer_interactions.loader,
            self.tag_customers.loader,
        ]

    def clear_all(self) -> None:
        """Forget every cached value (after a write, so later fields read fresh data)."""
        for loader in self.all():
            loader.clear_all()

    def prime_customers(self, rows: Sequence[customers.Customer]) -> None:
        """Seed the customer loader with customers read by a list query."""
        for c in rows:
            self.customer.prime(c.id, c)

    async def _neighbourhoods(self, ids: list[str]) -> list[neighbourhoods.Neighbourhood | None]:
        """Read customers with their neighbourhood in one query and seed the customer, employment,
        membership, company and current-tag loaders with it, so their nested fields need no more queries."""
        found = await neighbourhoods.get_neighbourhoods(self._graph, ids)
        self.prime_neighbourhoods(ids, found)
        return found

    def prime_neighbourhoods(self, ids: Sequence[str], found: Sequence[neighbourhoods.Neighbourhood | None],
                             parts: frozenset[str] = neighbourhoods.PARTS,
                             projection: neighbourhoods.Projection = neighbourhoods.WHOLE) -> None:
        """Seed the customer loader, and the employment, membership, company and current-tag loaders of the
        parts read (graph.neighbourhoods.PARTS), with neighbourhoods read; customers and companies read narrowed
        (projection) are left out: a loader hands out whole nodes."""
        whole = parts == neighbourhoods.PARTS and projection.whole
        for cid, n in zip(ids, found, strict=True):
            if projection.customer is None:
                self.customer.prime(cid, n.customer if n else None)
            if n is not None:
                if whole:
                    self.neighbourhood.prime(cid, n)
                if "memberships" in parts:
                    self.memberships.prime(cid, n.memberships)
                if "tags" in parts:
                    self.tags_valid_at.prime((cid, None), n.tags)
                if "employments" not in parts:
                    continue
                self.employments.prime(cid, n.employments)
                if projection.company is None:
                    for co in n.companies:
                        self.company.prime(co.id, co)


async def _portrait_batch(graph: Graph, keys: Sequence[tuple[str, datetime]]) -> list[portrait.PortraitData | None]:
    by_time: dict[datetime, list[str]] = {}
    for cid, at in keys:
        by_time.setdefault(at, []).append(cid)
    found: dict[tuple[str, datetime], portrait.PortraitData | None] = {}
    for at, ids in by_time.items():
        for cid, data in zip(ids, await portrait.get_portrait_data(graph, ids, at), strict=True):
            found[(cid, at)] = data
    return [found[k] for k in keys]


async def _tags_batch(
    graph: Graph, keys: Sequence[tuple[str, datetime | None]]
) -> list[list[tag_history.TagState]]:
    by_time: dict[datetime | None, list[str]] = {}
    for eid, at in keys:
        by_time.setdefault(at, []).append(eid)
    found: dict[tuple[str, datetime | None], list[tag_history.TagState]] = {}
    for at, ids in by_time.items():
        for eid, states in zip(ids, await tag_history.tags_valid_at(graph, ids, at), strict=True):
            found[(eid, at)] = states
    return [found[k] for k in keys]


MISSING: Any = object()


def ready(loader: DataLoader[Any, Any], key: Any) -> Any:
    """Return the value loader already holds for key (primed by a list or an earlier load), else MISSING."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception() is not None:
        return MISSING
    return future.result()
