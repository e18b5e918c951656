"""Customers: reading by id, employments, memberships, lists, and the upsert."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.attributes import clean_attributes, register_attributes
from graph.db import Graph
from graph.entities import CUSTOMER, from_node
from graph.errors import BadInputError

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,99}$"
GENDERS = ("male", "female", "other", "unknown")


class Customer(BaseModel):
    """A customer as stored, with custom attributes split out."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    country: str | None = None
    city: str | None = None
    occupation: str | None = None
    source_channel: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_props(cls, props: dict[str, Any], keys: list[str] | None = None) -> Customer:
        """Return a Customer from node properties and the registered attribute keys."""
        return from_node(cls, CUSTOMER, props, keys)


class Employment(BaseModel):
    """A WORKS_AT relationship; until None means current."""

    model_config = ConfigDict(frozen=True)

    customer_id: str
    company_id: str
    title: str | None = None
    since: date | None = None
    until: date | None = None

    def current(self, on: date) -> bool:
        """Return whether the employment holds on a day."""
        return (self.since is None or self.since <= on) and (self.until is None or self.until >= on)


class Membership(BaseModel):
    """A MEMBER_OF relationship between a customer and a project."""

    model_config = ConfigDict(frozen=True)

    customer_id: str
    project_id: str
    role: str | None = None
    since: date | None = None


class CustomerInput(BaseModel):
    """Validated fields of an upsert; None means 'leave unchanged'."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=ID_PATTERN)
    name: str | None = Field(None, min_length=1, max_length=200)
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    gender: str | None = None
    birth_date: date | None = None
    phone: str | None = None
    email: str | None = None
    country: str | None = Field(None, max_length=100)
    city: str | None = Field(None, max_length=100)
    occupation: str | None = Field(None, max_length=100)
    source_channel: str | None = Field(None, max_length=100)
    attributes: dict[str, Any] | None = None

    @field_validator("gender")
    @classmethod
    def _gender(cls, v: str | None) -> str | None:
        if v is not None and v.lower() not in GENDERS:
            raise ValueError(f"gender must be one of {', '.join(GENDERS)}")
        return v.lower() if v else v

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not _EMAIL.match(v):
            raise ValueError("email is not a valid address")
        return v.lower() if v else v


def normalise_phone(phone: str, region: str) -> str:
    """Return phone in E.164; raise BadInputError when it is not a valid number."""
    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException as exc:
        raise BadInputError("phone is not a valid phone number") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise BadInputError("phone is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


async def get_customers(graph: Graph, ids: list[str]) -> list[Customer | None]:
    """Return the customers with these ids in ids order (None where absent)."""
    rows = await graph.read("customer/get_customers", ids=ids)
    found = {r["id"]: Customer.from_props(r["customer"], r["attribute_keys"]) for r in rows}
    return [found.get(i) for i in ids]


async def get_employments(graph: Graph, ids: list[str]) -> list[list[Employment]]:
    """Return per customer id its employments: current first, then by start, newest first."""
    rows = await graph.read("customer/get_employments", ids=ids)
    by_id = {r["id"]: [Employment(**e) for e in r["employments"]] for r in rows}
    return [newest_first(by_id.get(i, [])) for i in ids]


def newest_first(employments: list[Employment]) -> list[Employment]:
    """Return employments current first, then by start, newest first."""
    return sorted(employments, key=lambda e: (e.until is None, e.since or date.min, e.company_id), reverse=True)


def current_employment(employments: list[Employment]) -> Employment | None:
    """Return the first employment that holds today in employments (newest_first order: the latest start), or None."""
    today = datetime.now(UTC).date()
    return next((e for e in employments if e.current(today)), None)


async def get_memberships(graph: Graph, ids: list[str]) -> list[list[Membership]]:
    """Return per customer id its project memberships by project id."""
    rows = await graph.read("customer/get_memberships", ids=ids)
    by_id = {r["id"]: [Membership(**m) for m in r["memberships"]] for r in rows}
    return [sorted(by_id.get(i, []), key=lambda m: m.project_id) for i in ids]


async def upsert_customer(graph: Graph, data: CustomerInput, *, default_region: str = "CN") -> Customer:
    """Create or update a customer by id and return it; raise BadInputError for invalid values."""
    props = data.model_dump(exclude={"id", "attributes"}, exclude_unset=True)
    if data.phone:
        props["phone"] = normalise_phone(data.phone, default_region)
    if data.first_name and data.last_name and "name" not in props:
        props["name"] = f"{data.first_name} {data.last_name}"
    if props.get("name"):
        props["name_lc"] = props["name"].lower()
    attrs = clean_attributes(CUSTOMER, data.attributes)
    await register_attributes(graph, CUSTOMER, attrs)
    rows = await graph.write("customer/upsert_customer", id=data.id, props={**props, **attrs}, now=datetime.now(UTC))
    return Customer.from_props(rows[0]["customer"], list(attrs))
