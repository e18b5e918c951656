"""The Company type and its relationship map."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graph import companies as g
from graph import network as gn
from graph.customers import Employment as E
from graph.customers import Membership as M
from resolvers import organisations as r
from resolvers.context import Context
from schema.customer import Customer, Employment, Membership, json_value
from schema.project import Project

Ctx = Info[Context, None]


@strawberry.type(description="An organisation customers work at; custom attributes are in `attributes`.")
class Company:
    id: strawberry.ID
    name: str | None
    industry: str | None
    employees_count: int | None = strawberry.field(name="employeeCount", description="Stored head count (`employees`).")
    country: str | None
    city: str | None
    created_at: datetime | None
    updated_at: datetime | None
    attributes: JSON = strawberry.field(description="Custom attributes registered for companies, by key.")

    @classmethod
    def from_model(cls, m: g.Company) -> Company:
        """Return the GraphQL type for a graph-layer company."""
        fields: dict[str, Any] = {k: getattr(m, k) for k in g.Company.model_fields if k != "employees"}
        fields["attributes"] = {k: json_value(v) for k, v in m.attributes.items()}
        return cls(**fields, employees_count=m.employees)

    @strawberry.field(description="One custom attribute's value; null when unset or unknown.")
    def attribute(self, key: str) -> JSON | None:
        return cast(dict[str, Any], self.attributes).get(key)  # JSON holds the attribute map

    @strawberry.field(description="People who work or worked here (current first); currentOnly drops former ones.")
    async def employees(self, info: Ctx, current_only: bool = False) -> list[Employment]:
        return [Employment.from_model(e) for e in await r.employees(info.context, self.id, current_only)]

    @strawberry.field(description="Projects the company owns, by id.")
    async def projects(self, info: Ctx) -> list[Project]:
        return [Project.from_model(p) for p in await r.company_projects(info.context, self.id)]

    @strawberry.field(description="Employees, their projects, and referral links into, out of and within the company.")
    async def relationship_map(self, info: Ctx) -> RelationshipMap:
        found = await r.relationship_map(info.context, self.id)
        assert found is not None  # the company exists: this object was read from the graph
        return RelationshipMap.from_model(found)


@strawberry.type(description="One customer referred another.")
class Referral:
    referrer_id: strawberry.ID
    referred_id: strawberry.ID
    at: datetime | None
    converted: bool | None
    project_id: strawberry.ID | None

    @classmethod
    def from_model(cls, m: gn.Referral) -> Referral:
        """Return the GraphQL type for a referral."""
        return cls(referrer_id=strawberry.ID(m.referrer_id), referred_id=strawberry.ID(m.referred_id), at=m.at,
                   converted=m.converted, project_id=strawberry.ID(m.project_id) if m.project_id else None)

    @strawberry.field
    async def referrer(self, info: Ctx) -> Customer | None:
        found = await info.context.loaders.customer.load(self.referrer_id)
        return Customer.from_model(found) if found else None

    @strawberry.field
    async def referred(self, info: Ctx) -> Customer | None:
        found = await info.context.loaders.customer.load(self.referred_id)
        return Customer.from_model(found) if found else None


@strawberry.type(description="A company's people: employments, their project memberships and referral links.")
class RelationshipMap:
    employees: list[Employment]
    memberships: list[Membership]
    referrals_out: list[Referral] = strawberry.field(description="An employee referred someone outside the company.")
    referrals_in: list[Referral] = strawberry.field(description="Someone outside referred an employee.")
    referrals_internal: list[Referral] = strawberry.field(description="An employee referred another employee.")

    @classmethod
    def from_model(cls, m: gn.RelationshipMap) -> RelationshipMap:
        """Return the GraphQL type for a relationship map."""
        return cls(
            employees=[Employment.from_model(E(**e)) for e in m.employees],
            memberships=[Membership.from_model(M(**x)) for x in m.memberships],
            referrals_out=[Referral.from_model(x) for x in m.referrals_out],
            referrals_in=[Referral.from_model(x) for x in m.referrals_in],
            referrals_internal=[Referral.from_model(x) for x in m.referrals_internal],
        )

