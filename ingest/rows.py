"""Pydantic models of one CSV row per file type; fields are named exactly like the columns.

Cells arrive trimmed, with empty cells left out, so every optional field is "not given"
rather than "cleared" when blank. Each model turns into the parameter row its Cypher file
expects with `to_row()`; `refs()` names the ids it points at so they can be checked.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationInfo, field_validator, model_validator

from graph.activity import PROPS as ACTIVITY_PROPS
from ingest import values as v

Date = Annotated[date | None, BeforeValidator(lambda s: v.parse_date(s) if isinstance(s, str) else s)]
DateTime = Annotated[datetime | None, BeforeValidator(lambda s: v.parse_datetime(s) if isinstance(s, str) else s)]
Int = Annotated[int | None, BeforeValidator(lambda s: v.parse_int(s) if isinstance(s, str) else s)]
Float = Annotated[float | None, BeforeValidator(lambda s: v.parse_float(s) if isinstance(s, str) else s)]
Bool = Annotated[bool | None, BeforeValidator(lambda s: v.parse_bool(s) if isinstance(s, str) else s)]
Lower = Annotated[str | None, BeforeValidator(lambda s: s.lower() if isinstance(s, str) else s)]


class Row(BaseModel):
    """Base of every row model: strict about unknown fields, frozen once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Columns the file type understands, with the type a header may declare for them.
    column_types: ClassVar[dict[str, str]] = {}
    # Property names the importer derives itself; custom columns may not use them either.
    derived: ClassVar[tuple[str, ...]] = ()
    # The column a whole-row check (e.g. "cannot know themselves") is reported against.
    row_column: ClassVar[str] = ""

    def identity(self) -> tuple[Any, ...]:
        """Return what identifies the row's node or relationship (later rows win)."""
        raise NotImplementedError

    def refs(self) -> list[tuple[str, str, str]]:
        """Return (column, label, id) for every id the row points at."""
        return []

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        """Return the parameter row for the file's upsert query."""
        raise NotImplementedError

    def _props(self, *exclude: str) -> dict[str, Any]:
        # The fields' own values: every field is a plain scalar, so model_dump() would only copy them, slower.
        return {k: val for k, val in self.__dict__.items() if val is not None and k not in exclude}


class CustomerRow(Row):
    column_types: ClassVar[dict[str, str]] = {
        "id": "string", "first_name": "string", "last_name": "string", "name": "string",
        "gender": "string", "birth_date": "date", "phone": "string", "email": "string",
        "country": "string", "city": "string", "occupation": "string", "source_channel": "string",
        "created_at": "datetime",
    }
    # The activity digest is written from the interactions (graph/activity.py), never from a column.
    derived: ClassVar[tuple[str, ...]] = ("name_lc", "updated_at", *sorted(ACTIVITY_PROPS))

    id: str
    first_name: str | None = None
    last_name: str | None = None
    name: str | None = None
    gender: str | None = None
    birth_date: Date = None
    phone: str | None = None
    email: str | None = None
    country: str | None = None
    city: str | None = None
    occupation: str | None = None
    source_channel: str | None = None
    created_at: DateTime = None

    @field_validator("gender", mode="before")
    @classmethod
    def _gender(cls, s: str) -> str:
        return v.parse_gender(s)

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, s: str) -> str:
        return v.parse_email(s)

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, s: str, info: ValidationInfo) -> str:
        region = (info.context or {}).get("region", "CN")
        return v.parse_phone(s, region)

    @model_validator(mode="after")
    def _derive_name(self) -> CustomerRow:
        if self.name is None and (self.first_name or self.last_name):
            object.__setattr__(self, "name", v.full_name(self.first_name, self.last_name))
        return self

    def identity(self) -> tuple[Any, ...]:
        return (self.id,)

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        props = self._props("id")
        if self.name:
            props["name_lc"] = self.name.lower()
        return {"id": self.id, "props": {**props, **custom}}


class CompanyRow(Row):
    column_types: ClassVar[dict[str, str]] = {
        "id": "string", "name": "string", "industry": "string", "employees": "int",
        "country": "string", "city": "string", "created_at": "datetime",
    }
    derived: ClassVar[tuple[str, ...]] = ("name_lc", "updated_at")

    id: str
    name: str | None = None
    industry: str | None = None
    employees: Int = None
    country: str | None = None
    city: str | None = None
    created_at: DateTime = None

    def identity(self) -> tuple[Any, ...]:
        return (self.id,)

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        props = self._props("id")
        if self.name:
            props["name_lc"] = self.name.lower()
        return {"id": self.id, "props": {**props, **custom}}


class ProjectRow(Row):
    column_types: ClassVar[dict[str, str]] = {
        "id": "string", "name": "string", "company_id": "string", "stage": "string",
        "value": "float", "started_at": "datetime", "closed_at": "datetime",
    }
    derived: ClassVar[tuple[str, ...]] = ("updated_at",)

    id: str
    name: str | None = None
    company_id: str | None = None
    stage: str | None = None
    value: Float = None
    started_at: DateTime = None
    closed_at: DateTime = None

    @field_validator("stage", mode="before")
    @classmethod
    def _stage(cls, s: str) -> str:
        return v.parse_stage(s)

    def identity(self) -> tuple[Any, ...]:
        return (self.id,)

    def refs(self) -> list[tuple[str, str, str]]:
        return [("company_id", "Company", self.company_id)] if self.company_id else []

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        return {"id": self.id, "company_id": self.company_id, "props": {**self._props("id"), **custom}}


class InteractionRow(Row):
    column_types: ClassVar[dict[str, str]] = {
        "id": "string", "customer_id": "string", "type": "string", "occurred_at": "datetime",
        "amount": "float", "channel": "string", "project_id": "string", "subject": "string",
    }
    derived: ClassVar[tuple[str, ...]] = ("updated_at",)

    id: str
    customer_id: str
    type: Lower
    occurred_at: DateTime
    amount: Float = None
    channel: str | None = None
    project_id: str | None = None
    subject: str | None = None

    def identity(self) -> tuple[Any, ...]:
        return (self.id,)

    def refs(self) -> list[tuple[str, str, str]]:
        out = [("customer_id", "Customer", self.customer_id)]
        return out + ([("project_id", "Project", self.project_id)] if self.project_id else [])

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.id, "customer_id": self.customer_id, "project_id": self.project_id,
            "props": {**self._props("id"), **custom},
        }


class EmploymentRow(Row):
    column_types: ClassVar[dict[str, str]] = {
        "customer_id": "string", "company_id": "string", "title": "string", "since": "date", "until": "date",
    }

    customer_id: str
    company_id: str
    title: str | None = None
    since: Date = None
    until: Date = None

    def identity(self) -> tuple[Any, ...]:
        return (self.customer_id, self.company_id)

    def refs(self) -> list[tuple[str, str, str]]:
        return [("customer_id", "Customer", self.customer_id), ("company_id", "Company", self.company_id)]

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        props = self._props("customer_id", "company_id")
        return {"customer_id": self.customer_id, "company_id": self.company_id, "props": props}


class MembershipRow(Row):
    column_types: ClassVar[dict[str, str]] = {
        "customer_id": "string", "project_id": "string", "role": "string", "since": "date",
    }

    customer_id: str
    project_id: str
    role: str | None = None
    since: Date = None

    def identity(self) -> tuple[Any, ...]:
        return (self.customer_id, self.project_id)

    def refs(self) -> list[tuple[str, str, str]]:
        return [("customer_id", "Customer", self.customer_id), ("project_id", "Project", self.project_id)]

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        props = self._props("customer_id", "project_id")
        return {"customer_id": self.customer_id, "project_id": self.project_id, "props": props}


class KnowsRow(Row):
    column_types: ClassVar[dict[str, str]] = {"customer_id": "string", "other_id": "string", "since": "datetime"}

    row_column: ClassVar[str] = "other_id"

    customer_id: str
    other_id: str
    since: DateTime = None

    @model_validator(mode="after")
    def _not_self(self) -> KnowsRow:
        if self.customer_id == self.other_id:
            raise ValueError(f"customer {self.customer_id!r} cannot know themselves")
        return self

    def identity(self) -> tuple[Any, ...]:
        return tuple(sorted((self.customer_id, self.other_id)))

    def refs(self) -> list[tuple[str, str, str]]:
        return [("customer_id", "Customer", self.customer_id), ("other_id", "Customer", self.other_id)]

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        # Undirected: stored once per unordered pair, from the smaller id to the larger.
        low, high = sorted((self.customer_id, self.other_id))
        return {"low_id": low, "high_id": high, "props": self._props("customer_id", "other_id")}


class ReferralRow(Row):
    column_types: ClassVar[dict[str, str]] = {
        "referrer_id": "string", "referred_id": "string", "referred_at": "datetime",
        "converted": "bool", "project_id": "string",
    }

    row_column: ClassVar[str] = "referred_id"

    referrer_id: str
    referred_id: str
    referred_at: DateTime = None
    converted: Bool = None
    project_id: str | None = None

    @model_validator(mode="after")
    def _not_self(self) -> ReferralRow:
        if self.referrer_id == self.referred_id:
            raise ValueError(f"customer {self.referrer_id!r} cannot refer themselves")
        return self

    def identity(self) -> tuple[Any, ...]:
        return (self.referrer_id, self.referred_id)

    def refs(self) -> list[tuple[str, str, str]]:
        out = [("referrer_id", "Customer", self.referrer_id), ("referred_id", "Customer", self.referred_id)]
        return out + ([("project_id", "Project", self.project_id)] if self.project_id else [])

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        props = self._props("referrer_id", "referred_id", "referred_at")
        if self.referred_at is not None:
            props["at"] = self.referred_at
        return {"referrer_id": self.referrer_id, "referred_id": self.referred_id, "props": props}


class TagRow(Row):
    column_types: ClassVar[dict[str, str]] = {
        "key": "string", "name": "string", "category": "string", "description": "string",
    }

    key: str
    name: str | None = None
    category: str | None = None
    description: str | None = None

    def identity(self) -> tuple[Any, ...]:
        return (self.key,)

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        return {"key": self.key, "props": self._props("key")}


class CustomerTagRow(Row):
    column_types: ClassVar[dict[str, str]] = {
        "customer_id": "string", "tag_key": "string", "assigned_at": "datetime",
        "expires_at": "datetime", "source": "string", "score": "float", "reason": "string",
    }

    customer_id: str
    tag_key: str
    assigned_at: DateTime = None
    expires_at: DateTime = None
    source: str | None = None
    score: Float = None
    reason: str | None = None

    def identity(self) -> tuple[Any, ...]:
        return (self.customer_id, self.tag_key)

    def refs(self) -> list[tuple[str, str, str]]:
        return [("customer_id", "Customer", self.customer_id), ("tag_key", "Tag", self.tag_key)]

    def to_row(self, custom: dict[str, Any]) -> dict[str, Any]:
        props = self._props("customer_id", "tag_key")
        return {"customer_id": self.customer_id, "tag_key": self.tag_key, "props": props}
