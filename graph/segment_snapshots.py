"""Segment snapshots: the size (and optionally the member ids) at a time; history and entered/left."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.errors import BadInputError, DomainError, NotFoundError
from graph.scope import graph_scope
from graph.segment_members import audience, count_members, member_ids
from graph.segments import Segment, list_segments, require_segment

log = logging.getLogger(__name__)


class Snapshot(BaseModel):
    """A stored `SegmentSnapshot` (member ids are read separately)."""

    model_config = ConfigDict(frozen=True)

    id: str
    segment_key: str
    at: datetime
    count: int
    has_members: bool


class Changes(BaseModel):
    """Who entered and who left a segment between two snapshots (ids sorted)."""

    model_config = ConfigDict(frozen=True)

    before: Snapshot
    after: Snapshot
    entered: list[str]
    left: list[str]


async def snapshot_segment(graph: Graph, segment: Segment, *, at: datetime | None = None,
                           with_members: bool = True) -> Snapshot:
    """Evaluate the segment now (or at `at`) and store its count, and its member ids unless asked not to."""
    if segment.key is None:
        raise BadInputError("only a saved segment can be snapshotted")
    when = at or datetime.now(UTC)
    aud = await audience(graph, segment, when)
    ids = await member_ids(graph, aud) if with_members else None
    count = len(ids) if ids is not None else await count_members(graph, aud)
    rows = await graph.write("segment/create_snapshot", id=str(uuid.uuid4()), key=segment.key, at=when,
                             count=count, members=ids)
    return Snapshot(**rows[0]["snapshot"], has_members=ids is not None)


async def snapshot_all(graph: Graph, *, key: str | None = None, at: datetime | None = None,
                       with_members: bool = True) -> list[Snapshot]:
    """Snapshot one segment, or every ACTIVE one plus tag coverage; return the snapshots by key."""
    when = at or datetime.now(UTC)
    if key is not None:
        return [await snapshot_segment(graph, await require_segment(graph, key), at=when, with_members=with_members)]
    segments = await list_segments(graph, status="ACTIVE")
    out = []
    for s in segments:
        try:
            out.append(await snapshot_segment(graph, s, at=when, with_members=with_members))
        except DomainError as exc:  # one broken definition must not stop the nightly run
            log.warning("segment %s not snapshotted: %s", s.key, exc.message)
    await snapshot_tag_coverage(graph, when)
    return out


async def history(graph: Graph, key: str, limit: int = 100) -> list[Snapshot]:
    """Return the segment's snapshots, oldest first (the last `limit` of them)."""
    rows = await graph.read("segment/get_snapshots", key=key, limit=limit)
    return [Snapshot(**r["snapshot"]) for r in reversed(rows)]


async def _members(graph: Graph, snapshot_id: str) -> tuple[Snapshot, list[str]]:
    rows = await graph.read("segment/get_snapshot_members", id=snapshot_id)
    if not rows:
        raise NotFoundError(f"snapshot {snapshot_id!r} not found")
    snap = Snapshot(**rows[0]["snapshot"])
    if rows[0]["members"] is None:
        raise BadInputError(f"snapshot {snapshot_id!r} stored only the count, not the members")
    return snap, list(rows[0]["members"])


async def changes(graph: Graph, key: str, before_id: str | None = None, after_id: str | None = None) -> Changes:
    """Return who entered and left between two snapshots (default: the last two with members)."""
    if before_id is None or after_id is None:
        with_members = [s for s in await history(graph, key) if s.has_members]
        if len(with_members) < 2 and (before_id is None and after_id is None):
            raise BadInputError(f"segment {key!r} needs two snapshots with members to compare")
        after_id = after_id or with_members[-1].id
        before_id = before_id or next(s.id for s in reversed(with_members) if s.id != after_id)
    before, old = await _members(graph, before_id)
    after, new = await _members(graph, after_id)
    for snap in (before, after):
        if snap.segment_key != key:
            raise BadInputError(f"snapshot {snap.id!r} belongs to segment {snap.segment_key!r}, not {key!r}")
    return Changes(before=before, after=after, entered=sorted(set(new) - set(old)),
                   left=sorted(set(old) - set(new)))


# --- tag coverage ------------------------------------------------------------------------

class TagCoverage(BaseModel):
    """Customers holding a tag now, and how that changed since the last coverage snapshot."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str | None
    category: str | None
    holders: int
    share: float
    previous: int | None
    change: int | None


async def snapshot_tag_coverage(graph: Graph, at: datetime | None = None) -> str:
    """Store how many customers hold each tag now; return the snapshot id."""
    when = at or datetime.now(UTC)
    rows = await graph.read("segment/get_tag_holders", at=when)
    total = rows[0]["total"] if rows else 0
    counts = json.dumps({r["key"]: r["holders"] for r in rows}, sort_keys=True)
    found = await graph.write("segment/create_coverage_snapshot", id=str(uuid.uuid4()), at=when, total=total,
                              counts=counts)
    return str(found[0]["id"])


async def tag_coverage(graph: Graph, at: datetime | None = None) -> tuple[list[TagCoverage], datetime | None]:
    """Return per tag its holders at `at` (default now) and the change since the last coverage snapshot.

    For an account manager (a scoped Graph) the holders and the total are their customers only, and there is
    no previous count: coverage snapshots store totals over every customer, outsiders included."""
    when = at or datetime.now(UTC)
    if graph_scope(graph) is not None:
        rows = await graph.read("segment/get_scoped_tag_holders", at=when)
        last = []
    else:
        rows = await graph.read("segment/get_tag_holders", at=when)
        last = await graph.read("segment/get_last_coverage_snapshot", at=when)
    before: dict[str, int] = json.loads(last[0]["counts"]) if last else {}
    out = []
    for r in rows:
        prev = before.get(r["key"]) if last else None
        if last and prev is None:
            prev = 0
        out.append(TagCoverage(key=r["key"], name=r["name"], category=r["category"], holders=r["holders"],
                               share=r["holders"] / r["total"] if r["total"] else 0.0, previous=prev,
                               change=None if prev is None else r["holders"] - prev))
    return out, (last[0]["at"] if last else None)

