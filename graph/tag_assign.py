"""Manual tagging of one or many customers, by ids or by a rule, with who, when and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph.db import Graph
from graph.errors import BadInputError
from graph.rules import parse_rule, select_ids
from graph.rules.timeparse import parse_duration
from graph.segments import rule_catalog
from graph.tags import require_tag

MAX_IDS = 100_000


@dataclass(frozen=True)
class BulkReport:
    """How a bulk tagging went: customers changed, already so, and ids that are not customers."""

    key: str
    changed: int
    unchanged: int
    missing: list[str] = field(default_factory=list)


async def _targets(graph: Graph, ids: list[str] | None, rule: Any, at: datetime) -> list[str]:
    if (ids is None) == (rule is None):
        raise BadInputError("give either customer ids or a rule, not both or neither")
    if rule is not None:
        return sorted(await select_ids(graph, parse_rule(rule, await rule_catalog(graph)), at))
    if len(ids or []) > MAX_IDS:
        raise BadInputError(f"at most {MAX_IDS} customer ids per call")
    return list(dict.fromkeys(ids or []))


async def assign_tag(graph: Graph, key: str, *, by: str, reason: str = "", ids: list[str] | None = None,
                     rule: Any = None, at: datetime | None = None, score: float | None = 1.0,
                     value: Any = None) -> BulkReport:
    """Tag customers by hand (ids or rule); raise NotFoundError for an unknown tag."""
    tag = await require_tag(graph, key)
    if tag.status == "RETIRED":
        raise BadInputError(f"tag {key!r} is retired")
    if not by.strip():
        raise BadInputError("say who assigns the tag (by)")
    at = (at or datetime.now(UTC)).astimezone(UTC)
    targets = await _targets(graph, ids, rule, at)
    expires = parse_duration(tag.valid_for).after(at) if tag.valid_for and tag.kind == "MANUAL" else None
    rows = await graph.write("tag/assign_manual", key=key, ids=targets, at=at, by=by, reason=reason,
                             expires_at=expires, score=score, value=value)
    found = {r["id"] for r in rows}
    changed = sum(1 for r in rows if r["changed"])
    return BulkReport(key, changed, len(rows) - changed, [i for i in targets if i not in found])


async def unassign_tag(graph: Graph, key: str, *, by: str, reason: str = "", ids: list[str] | None = None,
                       rule: Any = None, at: datetime | None = None) -> BulkReport:
    """Remove a tag by hand from customers (ids or rule), whatever its source; history keeps it."""
    await require_tag(graph, key)
    at = (at or datetime.now(UTC)).astimezone(UTC)
    targets = await _targets(graph, ids, rule, at)
    rows = await graph.write("tag/remove_manual", key=key, ids=targets, at=at, by=by, reason=reason)
    existing = {r["id"] for r in await graph.read("tag/get_existing_customers", ids=targets)}
    return BulkReport(key, len(rows), len(existing) - len(rows), [i for i in targets if i not in existing])
