"""Tag history: every add, update, remove and expire, and the tags an entity had at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.entities import known_fields


class TagEvent(BaseModel):
    """One change to one assignment."""

    model_config = ConfigDict(frozen=True)

    entity: str
    entity_id: str
    tag_key: str
    action: str  # add, update, remove, expire
    at: datetime
    by: str | None = None
    run_id: str | None = None
    reason: str | None = None
    source: str | None = None
    value: Any = None
    expires_at: datetime | None = None


class TagState(BaseModel):
    """A tag an entity holds at some time, with the assignment's details."""

    model_config = ConfigDict(frozen=True)

    key: str
    source: str | None = None
    value: Any = None
    score: float | None = None
    assigned_at: datetime | None = None
    expires_at: datetime | None = None
    assigned_by: str | None = None
    reason: str | None = None
    run_id: str | None = None
    name: str | None = None
    category: str | None = None


async def tag_history(graph: Graph, entity_id: str, *, key: str | None = None,
                      until: datetime | None = None) -> list[TagEvent]:
    """Return the entity's tag events oldest first (for one tag and up to a time when given)."""
    rows = await graph.read("tag/get_tag_events", id=entity_id, key=key, until=until)
    return [TagEvent(**r["event"]) for r in rows]


async def tags_at(graph: Graph, entity_id: str, at: datetime) -> list[TagState]:
    """Return the tags the entity held validly at `at`, replayed from its history."""
    state: dict[str, TagEvent] = {}
    for e in await tag_history(graph, entity_id, until=at):
        prior = state.get(e.tag_key)
        if e.action == "update" and prior is not None:
            state[e.tag_key] = prior.model_copy(update={"value": e.value, "expires_at": e.expires_at})
        elif e.action in ("add", "update"):
            state[e.tag_key] = e
        else:
            state.pop(e.tag_key, None)
    return [
        TagState(key=k, source=e.source, value=e.value, expires_at=e.expires_at, assigned_by=e.by,
                 reason=e.reason, run_id=e.run_id, assigned_at=e.at)
        for k, e in sorted(state.items()) if e.expires_at is None or e.expires_at > at
    ]


async def current_tags(graph: Graph, entity_ids: list[str], valid_at: datetime | None = None) -> list[list[TagState]]:
    """Return, per entity id in order, its current assignments valid at valid_at (default now): one query."""
    at = valid_at or datetime.now(UTC)
    found: dict[str, list[TagState]] = {i: [] for i in entity_ids}
    for r in await graph.read("tag/get_entities_tags", ids=list(dict.fromkeys(entity_ids))):
        if (state := valid_state(r, at)) is not None:
            found[r["id"]].append(state)
    return [found[i] for i in entity_ids]


def valid_state(row: dict[str, Any], at: datetime) -> TagState | None:
    """Return the TagState of one assignment row (key, name, category, assignment) when valid at `at`."""
    a = row["assignment"]
    if a.get("expires_at") is not None and a["expires_at"] <= at:
        return None
    if a.get("assigned_at") is not None and a["assigned_at"] > at:
        return None
    fields = known_fields(TagState, a)
    return TagState(key=row["key"], name=row["name"], category=row["category"], **fields)


async def tags_valid_at(graph: Graph, entity_ids: list[str], at: datetime | None = None) -> list[list[TagState]]:
    """Return, per entity id, tags valid at `at`: current assignments for now or later, history for the past."""
    if at is None or at >= datetime.now(UTC):
        return await current_tags(graph, entity_ids, at)
    return [await tags_at(graph, i, at) for i in entity_ids]  # past dates replay each entity's history
