"""The Tag type as the API reads it (the tag engine owns assigning tags)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import tagged as g
from graph.customers import Customer as CustomerModel
from resolvers import tagged as r
from resolvers.context import Context
from schema.customer import Customer
from schema.pagination import Connection, connection
from schema.tags import TagEngineFields

Ctx = Info[Context, None]


@strawberry.type(description="A label customers carry, grouped by category.")
class Tag(TagEngineFields):
    key: str
    name: str | None
    category: str | None
    description: str | None
    kind: str | None
    status: str | None

    @classmethod
    def from_model(cls, m: g.Tag) -> Tag:
        """Return the GraphQL type for a tag."""
        return cls(**m.model_dump())

    @strawberry.field(description="Customers carrying this tag, by customer id.")
    async def customers(self, info: Ctx, first: int | None = None, after: str | None = None) -> Connection[Customer]:
        page = await r.tag_customers(info.context, self.key, first, after)
        nodes = [Customer.from_model(CustomerModel.from_props(row)) for row in page.rows]
        return connection(nodes, page.cursors, page.has_next, page.has_previous, page.total or 0)
