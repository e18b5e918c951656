"""Companies: reading by id, employees, owned projects, and the upsert."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph.attributes import clean_attributes, register_attributes
from graph.customers import ID_PATTERN, Employment
from graph.db import Graph
from graph.entities import COMPANY, from_node


class Company(BaseModel):
    """A company as stored, with custom attributes split out."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str | None = None
    industry: str | None = None
    employees: int | None = None
    country: str | None = None
    city: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_props(cls, props: dict[str, Any], keys: list[str] | None = None) -> Company:
        """Return a Company from node properties and the registered attribute keys."""
        return from_node(cls, COMPANY, props, keys)


class CompanyInput(BaseModel):
    """Validated fields of a company upsert; None means 'leave unchanged'."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=ID_PATTERN)
    name: str | None = Field(None, min_length=1, max_length=200)
    industry: str | None = Field(None, max_length=100)
    employees: int | None = Field(None, ge=0)
    country: str | None = Field(None, max_length=100)
    city: str | None = Field(None, max_length=100)
    attributes: dict[str, Any] | None = None


async def get_companies(graph: Graph, ids: list[str]) -> list[Company | None]:
    """Return the companies with these ids in ids order (None where absent)."""
    rows = await graph.read("company/get_companies", ids=ids)
    found = {r["id"]: Company.from_props(r["company"], r["attribute_keys"]) for r in rows}
    return [found.get(i) for i in ids]


async def get_employees(graph: Graph, ids: list[str]) -> list[list[Employment]]:
    """Return per company id its employments: current first, then by customer id."""
    rows = await graph.read("company/get_employees", ids=ids)
    by_id = {r["id"]: [Employment(**e) for e in r["employments"]] for r in rows}
    key = lambda e: (e.until is not None, e.customer_id, e.since or date.min)  # noqa: E731
    return [sorted(by_id.get(i, []), key=key) for i in ids]


async def get_company_projects(graph: Graph, ids: list[str]) -> list[list[dict[str, Any]]]:
    """Return per company id the properties of the projects it owns, by project id."""
    rows = await graph.read("company/get_company_projects", ids=ids)
    by_id = {r["id"]: r["projects"] for r in rows}
    return [sorted(by_id.get(i, []), key=lambda p: p["id"]) for i in ids]


async def upsert_company(graph: Graph, data: CompanyInput) -> Company:
    """Create or update a company by id and return it."""
    props = data.model_dump(exclude={"id", "attributes"}, exclude_unset=True)
    if props.get("name"):
        props["name_lc"] = props["name"].lower()
    attrs = clean_attributes(COMPANY, data.attributes)
    await register_attributes(graph, COMPANY, attrs)
    rows = await graph.write("company/upsert_company", id=data.id, props={**props, **attrs}, now=datetime.now(UTC))
    return Company.from_props(rows[0]["company"], list(attrs))
