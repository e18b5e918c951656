"""Interactions: reading by id and recording one (idempotent by id)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.activity import refresh_activity
from graph.attributes import clean_attributes, register_attributes
from graph.customers import ID_PATTERN
from graph.db import Graph, Record, Tx
from graph.entities import INTERACTION, from_node
from graph.errors import ConflictError, NotFoundError
from graph.projects import get_projects


class Interaction(BaseModel):
    """An interaction as stored, with custom attributes split out."""

    model_config = ConfigDict(frozen=True)

    id: str
    type: str
    occurred_at: datetime | None = None
    amount: float | None = None
    channel: str | None = None
    subject: str | None = None
    customer_id: str | None = None
    project_id: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_props(cls, props: dict[str, Any], keys: list[str] | None = None) -> Interaction:
        """Return an Interaction from node properties and the registered attribute keys."""
        return from_node(cls, INTERACTION, props, keys)


class InteractionInput(BaseModel):
    """Validated fields of a new interaction."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: str | None = Field(None, pattern=ID_PATTERN)
    customer_id: str
    type: str = Field(min_length=1, max_length=50)
    occurred_at: datetime
    amount: float | None = None
    channel: str | None = Field(None, max_length=50)
    subject: str | None = Field(None, max_length=500)
    project_id: str | None = None
    attributes: dict[str, Any] | None = None

    @field_validator("type")
    @classmethod
    def _type(cls, v: str) -> str:
        return v.lower()

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("occurredAt must carry a time zone offset")
        return v


async def get_interactions(graph: Graph, ids: list[str]) -> list[Interaction | None]:
    """Return the interactions with these ids in ids order (None where absent)."""
    rows = await graph.read("interaction/get_interactions", ids=ids)
    found = {r["id"]: Interaction.from_props(r["interaction"], r["attribute_keys"]) for r in rows}
    return [found.get(i) for i in ids]


async def record_interaction(graph: Graph, data: InteractionInput) -> tuple[Interaction, bool]:
    """Record an interaction and return it with whether it was new; raise NotFoundError or ConflictError."""
    iid = data.id or f"i-{uuid.uuid4().hex[:16]}"
    existing = (await get_interactions(graph, [iid]))[0]
    if existing is not None:
        if existing.customer_id != data.customer_id:
            raise ConflictError(f"interaction {iid!r} already exists for another customer")
        return existing, False
    if data.project_id is not None and (await get_projects(graph, [data.project_id]))[0] is None:
        raise NotFoundError(f"project {data.project_id!r} not found")
    props = data.model_dump(exclude={"id", "customer_id", "project_id", "attributes"}, exclude_unset=True)
    props["type"] = data.type
    attrs = clean_attributes(INTERACTION, data.attributes)
    await register_attributes(graph, INTERACTION, attrs)
    async def write(tx: Tx) -> list[Record]:
        rows = await tx.run("interaction/record_interaction", id=iid, customer_id=data.customer_id,
                            props={**props, **attrs})
        if rows:  # the customer's activity digest changes with the interaction, in the same transaction
            await refresh_activity(tx, [data.customer_id])
        return rows

    rows = await graph.in_transaction(write)
    if not rows:
        raise NotFoundError(f"customer {data.customer_id!r} not found")
    if data.project_id is not None:
        await graph.write("interaction/link_interaction_project", id=iid, project_id=data.project_id)
    return Interaction.from_props({**rows[0]["interaction"], "project_id": data.project_id}, list(attrs)), True
