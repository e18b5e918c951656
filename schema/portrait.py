"""The Portrait type: tags by category, behaviour windows, RFM, lifecycle stage and relationships."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from graph import portrait as g
from graph.customers import Employment as EmploymentModel
from graph.customers import Membership as MembershipModel
from resolvers.portraits import Portrait as PortraitModel
from schema.customer import Customer, Employment, Membership, json_value


@strawberry.enum(description="Lifecycle stage; thresholds are documented in docs/api.md and configurable.")
class LifecycleStage(Enum):
    NEW = "NEW"
    ACTIVE = "ACTIVE"
    SILENT = "SILENT"
    CHURNED = "CHURNED"


@strawberry.type(description="A tag on the customer with the assignment's details.")
class PortraitTag:
    key: str
    name: str | None
    source: str | None
    score: float | None
    value: JSON | None
    assigned_at: datetime | None
    expires_at: datetime | None
    assigned_by: str | None
    reason: str | None
    valid: bool = strawberry.field(description="assignedAt ≤ asOf (or unknown) and expiresAt > asOf (or none).")


@strawberry.type(description="The customer's tags in one category, by key.")
class TagCategory:
    category: str
    tags: list[PortraitTag]


@strawberry.type
class TypeCount:
    type: str
    count: int


@strawberry.type(description="Interactions with occurredAt in (asOf - days, asOf].")
class InteractionWindow:
    days: int
    start: datetime
    count: int
    by_type: list[TypeCount] = strawberry.field(description="Counts per interaction type, by type.")


@strawberry.type
class InteractionMark:
    at: datetime
    type: str


@strawberry.type(description="Behaviour statistics up to asOf.")
class Behaviour:
    windows: list[InteractionWindow] = strawberry.field(description="The last 30, 90, 180 and 365 days.")
    interaction_count: int
    purchase_count: int
    purchase_total: float
    purchase_average: float | None
    first_interaction: InteractionMark | None
    last_interaction: InteractionMark | None
    active_days: int = strawberry.field(description="Distinct UTC days with any interaction up to asOf.")


@strawberry.type(description="Recency, frequency, monetary value and 1–5 quintile scores (docs/api.md).")
class Rfm:
    recency_days: int | None = strawberry.field(description="UTC calendar days from the last purchase to asOf.")
    frequency: int = strawberry.field(description="Distinct UTC days with a purchase up to asOf.")
    monetary: float = strawberry.field(description="Total purchase amount up to asOf.")
    recency_score: int | None
    frequency_score: int | None
    monetary_score: int | None
    population: int = strawberry.field(description="Customers with a purchase, over whom quintiles are computed.")


@strawberry.type
class ReferralCounts:
    total: int
    converted: int


@strawberry.type(description="The customer's relationships as of asOf.")
class Relationships:
    employer: Employment | None
    colleagues_count: int = strawberry.field(description="Distinct COLLEAGUE connections (docs/api.md).")
    projects: list[Membership]
    referrals_made: ReferralCounts
    referrals_received: ReferralCounts
    knows_count: int


@strawberry.type(description="What an account manager needs about one customer, as of asOf.")
class Portrait:
    customer: Customer
    as_of: datetime
    attributes: JSON
    tags: list[TagCategory] = strawberry.field(description="Tags grouped by category (categories by name).")
    behaviour: Behaviour
    rfm: Rfm
    lifecycle_stage: LifecycleStage
    relationships: Relationships

    @classmethod
    def from_model(cls, m: PortraitModel) -> Portrait:
        """Return the GraphQL type for a portrait."""
        b, r, rel = m.behaviour, m.rfm, m.relationships
        return cls(
            customer=Customer.from_model(m.customer),
            as_of=m.as_of,
            attributes=cast(JSON, {k: json_value(v) for k, v in m.customer.attributes.items()}),
            tags=[TagCategory(category=c, tags=[_tag(t) for t in ts]) for c, ts in m.tag_groups],
            behaviour=Behaviour(
                windows=[
                    InteractionWindow(days=w.days, start=w.start, count=w.total,
                                      by_type=[TypeCount(type=t, count=n) for t, n in w.by_type])
                    for w in b.windows
                ],
                interaction_count=b.interactions,
                purchase_count=b.purchases,
                purchase_total=b.purchase_total,
                purchase_average=b.purchase_average,
                first_interaction=InteractionMark(at=b.first[0], type=b.first[1]) if b.first else None,
                last_interaction=InteractionMark(at=b.last[0], type=b.last[1]) if b.last else None,
                active_days=b.active_days,
            ),
            rfm=Rfm(**r.model_dump()),
            lifecycle_stage=LifecycleStage(m.lifecycle),
            relationships=Relationships(
                employer=_employer(m.customer.id, rel.employer),
                colleagues_count=rel.colleagues,
                projects=[Membership.from_model(MembershipModel(customer_id=m.customer.id, project_id=p["project_id"],
                                                                role=p["role"], since=p["since"])) for p in rel.projects],
                referrals_made=ReferralCounts(total=rel.referrals_made, converted=rel.referrals_made_converted),
                referrals_received=ReferralCounts(total=rel.referrals_received,
                                                  converted=rel.referrals_received_converted),
                knows_count=rel.knows,
            ),
        )


def _tag(t: g.TagAssignment) -> PortraitTag:
    data: dict[str, Any] = t.model_dump(exclude={"category"})
    data["value"] = json_value(data["value"])
    return PortraitTag(**data)


def _employer(customer_id: str, e: dict[str, Any] | None) -> Employment | None:
    if e is None:
        return None
    return Employment.from_model(EmploymentModel(customer_id=customer_id, company_id=e["company_id"], title=e["title"],
                                                 since=e["since"], until=e["until"]))
