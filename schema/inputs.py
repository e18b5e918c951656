"""Filter and sort inputs shared by the list queries, and their conversion to graph-layer models."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from graph.filters import Condition as ConditionModel
from graph.filters import Filter
from graph.pages import SortKey

UNSET: Any = strawberry.UNSET


@strawberry.enum(description="Sort direction; nulls sort last ascending and first descending, as in Cypher.")
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="Sort by a field (GraphQL name, e.g. createdAt) or a custom attribute key.")
class SortInput:
    field: str
    direction: SortDirection = SortDirection.ASC


@strawberry.input(
    description="One comparison on a field (GraphQL name) or custom attribute key; set exactly one operator."
)
class ConditionInput:
    field: str
    eq: JSON | None = UNSET
    ne: JSON | None = UNSET
    in_: list[JSON] | None = strawberry.field(default=UNSET, name="in")
    gt: JSON | None = UNSET
    gte: JSON | None = UNSET
    lt: JSON | None = UNSET
    lte: JSON | None = UNSET
    contains: str | None = UNSET
    starts_with: str | None = UNSET
    is_null: bool | None = UNSET


@strawberry.input(description="Customer filter: conditions and shortcuts are ANDed; and/or/not compose filters.")
class CustomerFilter:
    and_: list[CustomerFilter] | None = strawberry.field(default=UNSET, name="and")
    or_: list[CustomerFilter] | None = strawberry.field(default=UNSET, name="or")
    not_: CustomerFilter | None = strawberry.field(default=UNSET, name="not")
    conditions: list[ConditionInput] | None = UNSET
    has_tag: str | None = strawberry.field(default=UNSET, description="Has this tag (key), not expired now.")
    company_id: strawberry.ID | None = strawberry.field(default=UNSET, description="Currently works at this company.")
    city: str | None = UNSET
    created_from: datetime | None = strawberry.field(default=UNSET, description="createdAt ≥ this.")
    created_to: datetime | None = strawberry.field(default=UNSET, description="createdAt < this.")


@strawberry.input(description="Company filter: conditions and shortcuts are ANDed; and/or/not compose filters.")
class CompanyFilter:
    and_: list[CompanyFilter] | None = strawberry.field(default=UNSET, name="and")
    or_: list[CompanyFilter] | None = strawberry.field(default=UNSET, name="or")
    not_: CompanyFilter | None = strawberry.field(default=UNSET, name="not")
    conditions: list[ConditionInput] | None = UNSET
    city: str | None = UNSET
    created_from: datetime | None = UNSET
    created_to: datetime | None = UNSET


@strawberry.input(description="Project filter: conditions and shortcuts are ANDed; and/or/not compose filters.")
class ProjectFilter:
    and_: list[ProjectFilter] | None = strawberry.field(default=UNSET, name="and")
    or_: list[ProjectFilter] | None = strawberry.field(default=UNSET, name="or")
    not_: ProjectFilter | None = strawberry.field(default=UNSET, name="not")
    conditions: list[ConditionInput] | None = UNSET
    company_id: strawberry.ID | None = UNSET
    stage: str | None = UNSET


@strawberry.input(description="Interaction filter: conditions and shortcuts are ANDed; and/or/not compose filters.")
class InteractionFilter:
    and_: list[InteractionFilter] | None = strawberry.field(default=UNSET, name="and")
    or_: list[InteractionFilter] | None = strawberry.field(default=UNSET, name="or")
    not_: InteractionFilter | None = strawberry.field(default=UNSET, name="not")
    conditions: list[ConditionInput] | None = UNSET
    type: str | None = UNSET
    occurred_from: datetime | None = strawberry.field(default=UNSET, description="occurredAt ≥ this.")
    occurred_to: datetime | None = strawberry.field(default=UNSET, description="occurredAt < this.")


AnyFilter = CustomerFilter | CompanyFilter | ProjectFilter | InteractionFilter


def set_fields(obj: object) -> dict[str, Any]:
    """Return the fields of a Strawberry input that the client set (UNSET and null dropped)."""
    return {k: v for k, v in vars(obj).items() if v is not UNSET and v is not None}


def to_filter(f: AnyFilter | None) -> Filter | None:
    """Return the graph-layer Filter for a GraphQL filter input."""
    if f is None or f is UNSET:
        return None
    data = set_fields(f)
    for key in ("and_", "or_"):
        if key in data:
            data[key] = [to_filter(g) for g in data[key]]
    if "not_" in data:
        data["not_"] = to_filter(data["not_"])
    if "conditions" in data:
        data["conditions"] = [ConditionModel(**set_fields(c)) for c in data["conditions"]]
    return Filter(**data)


def to_sort(sort: list[SortInput] | None) -> tuple[SortKey, ...]:
    """Return graph-layer sort keys."""
    return tuple(SortKey(field=s.field, descending=s.direction == SortDirection.DESC) for s in sort or ())
