"""Relationship exploration types: related customers, path steps and neighbourhood drawings."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from graph import network as g
from graph import paths as gp
from graph.network import Kind, connection_cursor
from resolvers.context import Context
from schema.customer import Customer

Ctx = Info[Context, None]


@strawberry.enum(description="How two customers are related; COLLEAGUE = same company at overlapping times.")
class ConnectionKind(Enum):
    KNOWS = "KNOWS"
    REFERRED = "REFERRED"
    REFERRED_BY = "REFERRED_BY"
    COLLEAGUE = "COLLEAGUE"


def _id(value: str | None) -> strawberry.ID | None:
    return strawberry.ID(value) if value is not None else None


def kind_values(kinds: list[ConnectionKind] | None) -> list[Kind] | None:
    """Return graph-layer kind names for enum values (None stays None: all kinds)."""
    return [k.value for k in kinds] if kinds else None


@strawberry.type(description="A related customer with the relationship's kind and properties.")
class RelatedCustomer:
    customer_id: strawberry.ID
    kind: ConnectionKind
    since: datetime | None = strawberry.field(
        description="KNOWS: since; COLLEAGUE: start of the overlap (midnight UTC); referrals: at."
    )
    at: datetime | None = strawberry.field(description="Referrals only: when.")
    converted: bool | None = strawberry.field(description="Referrals only: whether it converted.")
    company_id: strawberry.ID | None = strawberry.field(description="COLLEAGUE only: the shared company.")
    project_id: strawberry.ID | None = strawberry.field(description="Referrals only: the project, if any.")
    cursor: strawberry.Private[str]

    @classmethod
    def from_model(cls, c: g.Connection) -> RelatedCustomer:
        """Return the GraphQL type for a connection."""
        return cls(customer_id=strawberry.ID(c.customer_id), kind=ConnectionKind(c.kind), since=c.since, at=c.at,
                   converted=c.converted, company_id=_id(c.company_id), project_id=_id(c.project_id),
                   cursor=connection_cursor(c))

    @strawberry.field
    async def customer(self, info: Ctx) -> Customer | None:
        found = await info.context.loaders.customer.load(self.customer_id)
        return Customer.from_model(found) if found else None


@strawberry.type(description="One customer on a path and the relationship that led to it (null kind for the start).")
class PathStep:
    customer_id: strawberry.ID
    kind: ConnectionKind | None
    since: datetime | None
    at: datetime | None
    converted: bool | None
    company_id: strawberry.ID | None
    project_id: strawberry.ID | None

    @classmethod
    def from_model(cls, s: gp.PathStep) -> PathStep:
        """Return the GraphQL type for a path step."""
        return cls(customer_id=strawberry.ID(s.customer_id), kind=ConnectionKind(s.kind) if s.kind else None,
                   since=s.since, at=s.at, converted=s.converted, company_id=_id(s.company_id), project_id=_id(s.project_id))

    @strawberry.field
    async def customer(self, info: Ctx) -> Customer | None:
        found = await info.context.loaders.customer.load(self.customer_id)
        return Customer.from_model(found) if found else None


@strawberry.type(description="A shortest path between two customers.")
class RelationshipPath:
    steps: list[PathStep]

    @strawberry.field(description="Number of relationships (steps after the start).")
    def length(self) -> int:
        return len(self.steps) - 1


@strawberry.enum
class NodeKind(Enum):
    CUSTOMER = "CUSTOMER"
    COMPANY = "COMPANY"
    PROJECT = "PROJECT"


@strawberry.type(description="A node of a neighbourhood drawing.")
class NetworkNode:
    id: strawberry.ID
    kind: NodeKind
    label: str | None
    depth: int = strawberry.field(description="Steps from the centre customer (0 for it).")


@strawberry.type(description="An edge of a neighbourhood drawing: KNOWS, REFERRED, COLLEAGUE, WORKS_AT or MEMBER_OF.")
class NetworkEdge:
    source: strawberry.ID
    target: strawberry.ID
    kind: str


@strawberry.type(description="A neighbourhood ready for drawing; truncated when the node cap cut it short.")
class Network:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    truncated: bool

    @classmethod
    def from_model(cls, n: gp.Network) -> Network:
        """Return the GraphQL type for a neighbourhood."""
        return cls(
            nodes=[NetworkNode(id=strawberry.ID(x.id), kind=NodeKind(x.kind), label=x.label, depth=x.depth) for x in n.nodes],
            edges=[NetworkEdge(source=strawberry.ID(e.source), target=strawberry.ID(e.target), kind=e.kind) for e in n.edges],
            truncated=n.truncated,
        )
