"""The root Mutation, merged from one class per area: add your area's class to MUTATIONS."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.tools import merge_types
from strawberry.types import Info

from resolvers import mutations as r
from resolvers.auth_privacy import PrivacyMutations
from resolvers.context import Context
from schema.company import Company
from schema.customer import Customer
from schema.inputs import UNSET
from schema.interaction import Interaction
from schema.mining import MiningMutations
from schema.project import Project
from schema.segments import SegmentMutations
from schema.tags import TagMutations

Ctx = Info[Context, None]


def _data(obj: object) -> dict[str, object]:
    """Return the set fields of an input; explicit nulls are kept (they remove a property)."""
    return {k: v for k, v in vars(obj).items() if v is not UNSET}


@strawberry.input(description="Customer fields; omitted fields stay unchanged, null removes a value.")
class CustomerInput:
    id: strawberry.ID
    name: str | None = UNSET
    first_name: str | None = UNSET
    last_name: str | None = UNSET
    gender: str | None = strawberry.field(default=UNSET, description="male, female, other or unknown.")
    birth_date: date | None = UNSET
    phone: str | None = strawberry.field(default=UNSET, description="Normalised to E.164 (default region configurable).")
    email: str | None = UNSET
    country: str | None = UNSET
    city: str | None = UNSET
    occupation: str | None = UNSET
    source_channel: str | None = UNSET
    attributes: JSON | None = strawberry.field(default=UNSET, description="Custom attributes; new keys are registered.")


@strawberry.input(description="Company fields; omitted fields stay unchanged.")
class CompanyInput:
    id: strawberry.ID
    name: str | None = UNSET
    industry: str | None = UNSET
    employee_count: int | None = strawberry.field(default=UNSET, name="employeeCount")
    country: str | None = UNSET
    city: str | None = UNSET
    attributes: JSON | None = UNSET


@strawberry.input(description="Project fields; the company must exist.")
class ProjectInput:
    id: strawberry.ID
    company_id: strawberry.ID
    name: str | None = UNSET
    stage: str | None = UNSET
    value: float | None = UNSET
    started_at: datetime | None = UNSET
    closed_at: datetime | None = UNSET
    attributes: JSON | None = UNSET


@strawberry.input(description="A new interaction; recording the same id again changes nothing.")
class InteractionInput:
    customer_id: strawberry.ID
    type: str
    occurred_at: datetime
    id: strawberry.ID | None = UNSET
    amount: float | None = UNSET
    channel: str | None = UNSET
    subject: str | None = UNSET
    project_id: strawberry.ID | None = UNSET
    attributes: JSON | None = UNSET


@strawberry.type
class RecordInteractionPayload:
    interaction: Interaction
    created: bool = strawberry.field(description="False when an interaction with this id already existed.")


@strawberry.type
class CustomerMutations:
    @strawberry.mutation(description="Create or update a customer by id (idempotent).")
    async def upsert_customer(self, info: Ctx, input: CustomerInput) -> Customer:
        return Customer.from_model(await r.upsert_customer_(info.context, _data(input)))

    @strawberry.mutation(description="Create or update a company by id (idempotent).")
    async def upsert_company(self, info: Ctx, input: CompanyInput) -> Company:
        data = _data(input)
        if "employee_count" in data:
            data["employees"] = data.pop("employee_count")
        return Company.from_model(await r.upsert_company_(info.context, data))

    @strawberry.mutation(description="Create or update a project by id under its company (idempotent).")
    async def upsert_project(self, info: Ctx, input: ProjectInput) -> Project:
        return Project.from_model(await r.upsert_project_(info.context, _data(input)))

    @strawberry.mutation(description="Record an interaction a customer performed (idempotent by id).")
    async def record_interaction(self, info: Ctx, input: InteractionInput) -> RecordInteractionPayload:
        found, created = await r.record_interaction_(info.context, _data(input))
        return RecordInteractionPayload(interaction=Interaction.from_model(found), created=created)


@strawberry.type
class LinkMutations:
    @strawberry.mutation(description="Link a customer to a company (WORKS_AT); updates title and dates if linked.")
    async def link_employment(
        self, info: Ctx, customer_id: strawberry.ID, company_id: strawberry.ID, title: str | None = None,
        since: date | None = None, until: date | None = None,
    ) -> Customer:
        props = {"title": title, "since": since, "until": until}
        return Customer.from_model(await r.link(info.context, "employment", customer_id, company_id, props))

    @strawberry.mutation(description="Remove a customer's employment at a company.")
    async def unlink_employment(self, info: Ctx, customer_id: strawberry.ID, company_id: strawberry.ID) -> Customer:
        return Customer.from_model(await r.unlink(info.context, "employment", customer_id, company_id))

    @strawberry.mutation(description="Make a customer a project member (MEMBER_OF) with a role.")
    async def link_membership(
        self, info: Ctx, customer_id: strawberry.ID, project_id: strawberry.ID, role: str | None = None,
        since: date | None = None,
    ) -> Customer:
        props = {"role": role, "since": since}
        return Customer.from_model(await r.link(info.context, "membership", customer_id, project_id, props))

    @strawberry.mutation(description="Remove a customer's project membership.")
    async def unlink_membership(self, info: Ctx, customer_id: strawberry.ID, project_id: strawberry.ID) -> Customer:
        return Customer.from_model(await r.unlink(info.context, "membership", customer_id, project_id))

    @strawberry.mutation(description="Record that two customers know each other (stored once, read both ways).")
    async def link_knows(
        self, info: Ctx, customer_id: strawberry.ID, other_id: strawberry.ID, since: datetime | None = None
    ) -> Customer:
        return Customer.from_model(await r.link(info.context, "knows", customer_id, other_id, {"since": since}))

    @strawberry.mutation(description="Remove the KNOWS relationship between two customers.")
    async def unlink_knows(self, info: Ctx, customer_id: strawberry.ID, other_id: strawberry.ID) -> Customer:
        return Customer.from_model(await r.unlink(info.context, "knows", customer_id, other_id))

    @strawberry.mutation(description="Record that a customer referred another (REFERRED).")
    async def link_referral(
        self, info: Ctx, referrer_id: strawberry.ID, referred_id: strawberry.ID, at: datetime | None = None,
        converted: bool = False, project_id: strawberry.ID | None = None,
    ) -> Customer:
        props = {"at": at, "converted": converted, "project_id": project_id}
        return Customer.from_model(await r.link(info.context, "referral", referrer_id, referred_id, props))

    @strawberry.mutation(description="Remove a referral.")
    async def unlink_referral(self, info: Ctx, referrer_id: strawberry.ID, referred_id: strawberry.ID) -> Customer:
        return Customer.from_model(await r.unlink(info.context, "referral", referrer_id, referred_id))


MUTATIONS: list[type] = [CustomerMutations, LinkMutations, TagMutations, SegmentMutations, MiningMutations,
                         PrivacyMutations]

Mutation = merge_types("Mutation", tuple(MUTATIONS))
