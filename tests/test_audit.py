"""Audit entries: who, when, what, which ids, how many rows, outcome — never values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from graph import audit
from graph.auth import Principal, scopes_for
from graph.db import Graph
from graph.errors import ForbiddenError

ADMIN = Principal(id="key:admin1", role="admin", scopes=scopes_for("admin"))
ANALYST = Principal(id="key:an1", role="analyst", scopes=scopes_for("analyst"))
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


async def test_record_and_query_entries(graph: Graph) -> None:
    first = await audit.record(graph, ADMIN, "key.create", ["3f9a0c1b2d4e"], rows=1, now=T0)
    await audit.record(graph, ANALYST, "cypher.run", [], rows=42, now=T0 + timedelta(minutes=1))
    await audit.record(graph, ADMIN, "customer.erase", ["c-7"], rows=1, now=T0 + timedelta(minutes=2))
    await audit.record(graph, ANALYST, "export.segment", ["seg-1"], rows=0,
                       outcome=audit.outcome_of(ForbiddenError("no")), now=T0 + timedelta(minutes=3))
    entries = await audit.list_entries(graph)
    assert [(e.actor, e.role, e.action, e.targets, e.rows, e.outcome) for e in entries] == [
        ("key:an1", "analyst", "export.segment", ["seg-1"], 0, "error:FORBIDDEN"),
        ("key:admin1", "admin", "customer.erase", ["c-7"], 1, "ok"),
        ("key:an1", "analyst", "cypher.run", [], 42, "ok"),
        ("key:admin1", "admin", "key.create", ["3f9a0c1b2d4e"], 1, "ok"),
    ]
    assert entries[-1] == first
    assert [e.action for e in await audit.list_entries(graph, actor="key:admin1")] == ["customer.erase", "key.create"]
    assert [e.action for e in await audit.list_entries(graph, action="customer.")] == ["customer.erase"]
    assert [e.action for e in await audit.list_entries(graph, target="c-7")] == ["customer.erase"]
    window = await audit.list_entries(graph, since=T0 + timedelta(minutes=1), until=T0 + timedelta(minutes=3))
    assert [e.action for e in window] == ["customer.erase", "cypher.run"]
    assert len(await audit.list_entries(graph, limit=2)) == 2


async def test_entries_never_hold_personal_values(graph: Graph) -> None:
    entry = await audit.record(graph, ADMIN, "customer.upsert", ["wang.wei@example.com", "+8613812345678", "c-1"],
                               rows=1, now=T0)
    assert entry.targets == ["w***@example.com", "+86138****5678", "c-1"]
    stored = await graph.read_text("tests/audit", "MATCH (a:AuditEntry) RETURN a {.*} AS a", {})
    assert "wang.wei" not in str(stored) and "13812345678" not in str(stored)
    many = await audit.record(graph, ADMIN, "customer.import", [f"c-{i}" for i in range(250)], rows=250)
    assert len(many.targets) == 100 and many.target_count == 250
    with pytest.raises(ValueError, match="must look like 'area.verb'"):
        await audit.record(graph, ADMIN, "DROP everything", [])
