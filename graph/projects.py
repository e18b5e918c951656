"""Projects: reading by id, members, and the upsert under a company."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.attributes import clean_attributes, register_attributes
from graph.customers import ID_PATTERN, Membership
from graph.db import Graph
from graph.entities import PROJECT, from_node
from graph.errors import NotFoundError

STAGES = ("lead", "qualified", "proposal", "negotiation", "won", "lost")


class Project(BaseModel):
    """A project as stored, with custom attributes split out."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str | None = None
    company_id: str | None = None
    stage: str | None = None
    value: float | None = None
    started_at: datetime | None = None
    closed_at: datetime | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_props(cls, props: dict[str, Any], keys: list[str] | None = None) -> Project:
        """Return a Project from node properties and the registered attribute keys."""
        return from_node(cls, PROJECT, props, keys)


class ProjectInput(BaseModel):
    """Validated fields of a project upsert; None means 'leave unchanged'."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: str = Field(pattern=ID_PATTERN)
    company_id: str
    name: str | None = Field(None, min_length=1, max_length=200)
    stage: str | None = None
    value: float | None = Field(None, ge=0)
    started_at: datetime | None = None
    closed_at: datetime | None = None
    attributes: dict[str, Any] | None = None

    @field_validator("stage")
    @classmethod
    def _stage(cls, v: str | None) -> str | None:
        if v is not None and v.lower() not in STAGES:
            raise ValueError(f"stage must be one of {', '.join(STAGES)}")
        return v.lower() if v else v


async def get_projects(graph: Graph, ids: list[str]) -> list[Project | None]:
    """Return the projects with these ids in ids order (None where absent)."""
    rows = await graph.read("project/get_projects", ids=ids)
    found = {r["id"]: Project.from_props(r["project"], r["attribute_keys"]) for r in rows}
    return [found.get(i) for i in ids]


async def get_members(graph: Graph, ids: list[str]) -> list[list[Membership]]:
    """Return per project id its memberships by customer id."""
    rows = await graph.read("project/get_members", ids=ids)
    by_id = {r["id"]: [Membership(**m) for m in r["memberships"]] for r in rows}
    return [sorted(by_id.get(i, []), key=lambda m: m.customer_id) for i in ids]


async def upsert_project(graph: Graph, data: ProjectInput) -> Project:
    """Create or update a project owned by its company; raise NotFoundError when the company is absent."""
    props = data.model_dump(exclude={"id", "company_id", "attributes"}, exclude_unset=True)
    attrs = clean_attributes(PROJECT, data.attributes)
    await register_attributes(graph, PROJECT, attrs)
    rows = await graph.write(
        "project/upsert_project", id=data.id, company_id=data.company_id, props={**props, **attrs}, now=datetime.now(UTC)
    )
    if not rows:
        raise NotFoundError(f"company {data.company_id!r} not found")
    return Project.from_props(rows[0]["project"], list(attrs))
