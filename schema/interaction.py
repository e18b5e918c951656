"""The Interaction type."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graph import interactions as g
from resolvers import customers as rc
from resolvers.context import Context
from schema.customer import Customer, json_value
from schema.project import Project

Ctx = Info[Context, None]


@strawberry.type(description="Something a customer did: a purchase, call, visit, feedback…")
class Interaction:
    id: strawberry.ID
    type: str = strawberry.field(description="Lower case: purchase, call, email, visit, meeting, feedback, support…")
    occurred_at: datetime | None
    amount: float | None
    channel: str | None
    subject: str | None
    customer_id: strawberry.ID | None
    project_id: strawberry.ID | None
    attributes: JSON

    @classmethod
    def from_model(cls, m: g.Interaction) -> Interaction:
        """Return the GraphQL type for a graph-layer interaction."""
        fields: dict[str, Any] = {k: getattr(m, k) for k in g.Interaction.model_fields}
        fields["attributes"] = {k: json_value(v) for k, v in m.attributes.items()}
        return cls(**fields)

    @strawberry.field(description="One custom attribute's value; null when unset or unknown.")
    def attribute(self, key: str) -> JSON | None:
        return cast(dict[str, Any], self.attributes).get(key)  # JSON holds the attribute map

    @strawberry.field
    async def customer(self, info: Ctx) -> Customer | None:
        found = await rc.customer(info.context, self.customer_id) if self.customer_id else None
        return Customer.from_model(found) if found else None

    @strawberry.field(description="The project the interaction is about, if any.")
    async def project(self, info: Ctx) -> Project | None:
        found = await rc.project(info.context, self.project_id) if self.project_id else None
        return Project.from_model(found) if found else None
