"""The Customer type and its employment and membership edges."""

from __future__ import annotations

from collections.abc import Awaitable, Iterator
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.types.nodes import SelectedField, Selection
from strawberry.utils.str_converters import to_camel_case

from graph import customers as g
from graph.entities import COMPANY, CUSTOMER
from graph.neighbourhoods import Projection
from resolvers import customers as r
from resolvers import network as rn
from resolvers import portraits as rp
from resolvers.context import Context
from resolvers.loaders import MISSING
from schema.extensions import CUSTOMER_FIELDS
from schema.inputs import InteractionFilter, SortInput, to_filter, to_sort
from schema.pagination import Connection, connection

if TYPE_CHECKING:
    from schema.company import Company
    from schema.interaction import Interaction
    from schema.network import ConnectionKind, Network, RelatedCustomer
    from schema.portrait import Portrait
    from schema.project import Project

Ctx = Info[Context, None]

# Customer fields served by the one-query neighbourhood read (graph/neighbourhoods.py), and the part each reads.
NEIGHBOURHOOD_FIELDS = {"company": "employments", "employments": "employments", "projects": "memberships",
                        "tags": "tags"}


def neighbourhood_parts(info: Info[Any, Any]) -> frozenset[str]:
    """Return the neighbourhood parts (graph.neighbourhoods.PARTS) the selection asks for, directly or on a page's
    nodes: a customer's employer or employments, projects, tags."""
    def asked(selections: list[Selection]) -> Iterator[str]:
        for f in _fields(selections):
            if f.name in NEIGHBOURHOOD_FIELDS:
                yield NEIGHBOURHOOD_FIELDS[f.name]
            elif f.name in ("edges", "node", "nodes"):
                yield from asked(f.selections)

    return frozenset(part for f in info.selected_fields for part in asked(f.selections))


# Customer and Company fields that read nothing of the node but its id (their own loaders or queries); the
# rest are stored properties (a page reads only those shown) or need the whole node (custom attributes, the
# portrait), as does any field not named here.
ID_ONLY_FIELDS = {
    "Customer": frozenset({"__typename", "company", "employments", "projects", "interactions", "connections", "network",
                           "tags", "tagHistory", "whyTagged"}),
    "Company": frozenset({"__typename", "employees", "projects", "relationshipMap"}),
}
# Strawberry fields whose stored property is named otherwise.
PROP_OF = {"employees_count": "employees"}


@cache
def stored_fields(type_name: str) -> dict[str, str]:
    """Return the GraphQL names of the Customer or Company type's plain stored fields and their properties."""
    from schema.company import Company

    cls, entity = {"Customer": (Customer, CUSTOMER), "Company": (Company, COMPANY)}[type_name]
    out = {}
    for f in get_object_definition(cls, strict=True).fields:
        prop = PROP_OF.get(f.python_name, f.python_name)
        if f.base_resolver is None and prop in entity.standard_props:
            out[f.graphql_name or to_camel_case(f.python_name)] = prop
    return out


def _props(type_name: str, selected: list[SelectedField]) -> frozenset[str] | None:
    """Return the stored properties the selected fields of a Customer or Company show, or None when one of
    them needs the whole node."""
    stored, id_only = stored_fields(type_name), ID_ONLY_FIELDS[type_name]
    props = set()
    for f in selected:
        if f.name in stored:
            props.add(stored[f.name])
        elif f.name not in id_only:
            return None
    return frozenset(props)


def page_projection(info: Info[Any, Any]) -> Projection:
    """Return what a customers page must read of each customer and of its employer for the selection on its
    nodes (graph.neighbourhoods.Projection): only the stored fields shown, unless a field needs whole nodes."""
    nodes = [f for top in info.selected_fields for f in _node_fields(top.selections)]
    employer = [f for n in nodes if n.name == "company" for f in _fields(n.selections)]
    # Employments' companies are the same nodes, served by the company loader: whole then, or they cost a query.
    whole_companies = any(n.name == "employments" for n in nodes)
    return Projection(_props("Customer", nodes), None if whole_companies else _props("Company", employer))


def _fields(selections: list[Selection]) -> Iterator[SelectedField]:
    """Yield the fields of selections, through fragment spreads and inline fragments."""
    for s in selections:
        if isinstance(s, SelectedField):
            yield s
        else:
            yield from _fields(s.selections)


def _node_fields(selections: list[Selection]) -> Iterator[SelectedField]:
    """Yield the fields selected on a page's nodes (edges { node } or nodes)."""
    for f in _fields(selections):
        if f.name == "edges":
            yield from _node_fields(f.selections)
        elif f.name in ("node", "nodes"):
            yield from _fields(f.selections)


def wants_neighbourhood(info: Info[Any, Any]) -> bool:
    """Return whether the selection asks for a customer's employer, projects or tags, directly or on a page's nodes."""
    return bool(neighbourhood_parts(info))


CompanyT = Annotated["Company", strawberry.lazy("schema.company")]
ProjectT = Annotated["Project", strawberry.lazy("schema.project")]
InteractionT = Annotated["Interaction", strawberry.lazy("schema.interaction")]
PortraitT = Annotated["Portrait", strawberry.lazy("schema.portrait")]
RelatedT = Annotated["RelatedCustomer", strawberry.lazy("schema.network")]
KindT = Annotated["ConnectionKind", strawberry.lazy("schema.network")]
NetworkT = Annotated["Network", strawberry.lazy("schema.network")]


@strawberry.type(description="A person the business deals with; custom attributes are in `attributes`.")
class Customer(*CUSTOMER_FIELDS):  # type: ignore[misc]  # other areas' fields, see schema/extensions.py
    id: strawberry.ID
    name: str | None
    first_name: str | None
    last_name: str | None
    gender: str | None
    birth_date: date | None
    phone: str | None = strawberry.field(description="E.164, e.g. +8613800000000.")
    email: str | None = strawberry.field(description="Lower case.")
    country: str | None
    city: str | None
    occupation: str | None
    source_channel: str | None
    created_at: datetime | None
    updated_at: datetime | None
    attributes: JSON = strawberry.field(description="Custom attributes registered for customers (AttributeDef), by key.")
    model: strawberry.Private[g.Customer | None] = None
    # The current employer a customers page read for this node (narrowed to the fields shown), else MISSING.
    employer: strawberry.Private[Any] = MISSING

    @classmethod
    def from_model(cls, m: g.Customer, employer: Any = MISSING) -> Customer:
        """Return the GraphQL type for a graph-layer customer (employer: its current company as a page read it)."""
        fields: dict[str, Any] = {k: getattr(m, k) for k in g.Customer.model_fields}
        fields["attributes"] = {k: json_value(v) for k, v in m.attributes.items()}
        return cls(**fields, model=m, employer=employer)

    @strawberry.field(description="One custom attribute's value; null when unset or unknown.")
    def attribute(self, key: str) -> JSON | None:
        return cast(dict[str, Any], self.attributes).get(key)  # JSON holds the attribute map

    @strawberry.field(description="The company the customer works at today (latest start when several).")
    def company(self, info: Ctx) -> CompanyT | None:
        # Answered at once when a list page read it or primed the loaders (no task per row), else awaited.
        if self.employer is not MISSING:
            return _company_type(self.employer)
        found = r.current_company_ready(info.context, self.id)
        if found is MISSING:
            return _company(r.current_company(info.context, self.id))  # type: ignore[return-value]
        return _company_type(found)

    @strawberry.field(description="All employments, current first, then newest.")
    async def employments(self, info: Ctx) -> list[Employment]:
        return [Employment.from_model(e) for e in await r.employments(info.context, self.id)]

    @strawberry.field(description="Project memberships with roles, by project id.")
    async def projects(self, info: Ctx) -> list[Membership]:
        return [Membership.from_model(m) for m in await r.memberships(info.context, self.id)]

    @strawberry.field(description="The customer's interactions; newest first unless sorted otherwise.")
    async def interactions(
        self, info: Ctx, filter: InteractionFilter | None = None, sort: list[SortInput] | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[InteractionT]:
        from schema.interaction import Interaction

        page, models = await r.interactions(info.context, self.id, to_filter(filter), to_sort(sort), first, after)
        return connection([Interaction.from_model(m) for m in models], page.cursors, page.has_next,
                          page.has_previous, page.total or 0)

    @strawberry.field(description="The customer as an account manager sees them, computed as of asOf (default now).")
    async def portrait(self, info: Ctx, as_of: datetime | None = None) -> PortraitT:
        from schema.portrait import Portrait

        assert self.model is not None  # built by from_model
        return Portrait.from_model(await rp.portrait(info.context, self.model, as_of))

    @strawberry.field(description="Related customers (KNOWS, REFERRED, REFERRED_BY, COLLEAGUE), since descending then id.")
    async def connections(
        self, info: Ctx, kinds: list[KindT] | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[RelatedT]:
        from schema.network import RelatedCustomer, kind_values

        items, more, total = await rn.connections(info.context, self.id, kind_values(kinds), first, after)
        nodes = [RelatedCustomer.from_model(c) for c in items]
        return connection(nodes, [n.cursor for n in nodes], more, after is not None, total)

    @strawberry.field(description="The neighbourhood for a graph drawing: customers within depth steps, their companies and projects.")
    async def network(
        self, info: Ctx, depth: int = 1, kinds: list[KindT] | None = None, limit: int = 100
    ) -> NetworkT | None:
        from schema.network import Network, kind_values

        found = await rn.network(info.context, self.id, depth, kind_values(kinds), limit)
        return Network.from_model(found) if found else None


@strawberry.type(description="A customer works (or worked) at a company.")
class Employment:
    customer_id: strawberry.ID
    company_id: strawberry.ID
    title: str | None
    since: date | None
    until: date | None = strawberry.field(description="Null while current.")

    @classmethod
    def from_model(cls, m: g.Employment) -> Employment:
        """Return the GraphQL type for an employment."""
        return cls(customer_id=strawberry.ID(m.customer_id), company_id=strawberry.ID(m.company_id), title=m.title,
                   since=m.since, until=m.until)

    @strawberry.field(description="Whether the employment holds today.")
    def current(self) -> bool:
        return self.until is None or self.until >= datetime.now(UTC).date()

    @strawberry.field
    async def customer(self, info: Ctx) -> Customer | None:
        found = await r.customer(info.context, self.customer_id)
        return Customer.from_model(found) if found else None

    @strawberry.field
    async def company(self, info: Ctx) -> CompanyT | None:
        from schema.company import Company

        found = await r.company(info.context, self.company_id)
        return Company.from_model(found) if found else None


@strawberry.type(description="A customer is a member of a project, with a role.")
class Membership:
    customer_id: strawberry.ID
    project_id: strawberry.ID
    role: str | None
    since: date | None

    @classmethod
    def from_model(cls, m: g.Membership) -> Membership:
        """Return the GraphQL type for a membership."""
        return cls(customer_id=strawberry.ID(m.customer_id), project_id=strawberry.ID(m.project_id), role=m.role,
                   since=m.since)

    @strawberry.field
    async def customer(self, info: Ctx) -> Customer | None:
        found = await r.customer(info.context, self.customer_id)
        return Customer.from_model(found) if found else None

    @strawberry.field
    async def project(self, info: Ctx) -> ProjectT | None:
        from schema.project import Project

        found = await r.project(info.context, self.project_id)
        return Project.from_model(found) if found else None


def json_value(value: Any) -> Any:
    """Return a custom attribute value as JSON (dates as ISO strings)."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def _company_type(found: Any) -> CompanyT | None:
    from schema.company import Company

    return Company.from_model(found) if found else None


async def _company(pending: Awaitable[Any]) -> CompanyT | None:
    return _company_type(await pending)
