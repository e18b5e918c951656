"""The Project type."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graph import projects as g
from resolvers import customers as rc
from resolvers import organisations as r
from resolvers.context import Context
from schema.customer import Membership, json_value

if TYPE_CHECKING:
    from schema.company import Company

Ctx = Info[Context, None]
CompanyT = Annotated["Company", strawberry.lazy("schema.company")]


@strawberry.type(description="A B2B project owned by a company; custom attributes are in `attributes`.")
class Project:
    id: strawberry.ID
    name: str | None
    company_id: strawberry.ID | None
    stage: str | None = strawberry.field(description="lead, qualified, proposal, negotiation, won or lost.")
    value: float | None
    started_at: datetime | None
    closed_at: datetime | None
    attributes: JSON

    @classmethod
    def from_model(cls, m: g.Project) -> Project:
        """Return the GraphQL type for a graph-layer project."""
        fields: dict[str, Any] = {k: getattr(m, k) for k in g.Project.model_fields}
        fields["attributes"] = {k: json_value(v) for k, v in m.attributes.items()}
        return cls(**fields)

    @strawberry.field(description="One custom attribute's value; null when unset or unknown.")
    def attribute(self, key: str) -> JSON | None:
        return cast(dict[str, Any], self.attributes).get(key)  # JSON holds the attribute map

    @strawberry.field(description="The owning company.")
    async def company(self, info: Ctx) -> CompanyT | None:
        from schema.company import Company

        found = await rc.company(info.context, self.company_id) if self.company_id else None
        return Company.from_model(found) if found else None

    @strawberry.field(description="Members with roles, by customer id.")
    async def members(self, info: Ctx) -> list[Membership]:
        return [Membership.from_model(m) for m in await r.members(info.context, self.id)]
