"""The activity digest (graph/activity.py): every write that adds, moves or changes interactions keeps it,
and rules answer the same with it, without it and with a stale one."""

from __future__ import annotations

import asyncio
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import clear
from test_import import FIXTURES, run_import

from graph import activity
from graph.attributes import clean_attributes
from graph.db import Graph
from graph.entities import CUSTOMER
from graph.errors import BadInputError
from graph.interactions import InteractionInput, record_interaction
from graph.rules import Catalog, compile_rule, parse_rule
from graph.segment_members import audience
from graph.segments import adhoc_segment

REFRESH = Path(__file__).parents[1] / "cypher" / "interaction" / "refresh_activity.cypher"


async def digests(graph: Graph) -> dict[str, dict[str, Any]]:
    """Return, per customer id, its digest properties (empty lists left out, lists sorted)."""
    rows = await graph.read_text("tests/digests", "MATCH (c:Customer) RETURN c.id AS id, c {.*} AS p ORDER BY id", {})
    return {r["id"]: {k: (sorted(v) if isinstance(v, list) else v) for k, v in r["p"].items()
                      if k in activity.PROPS and v != []} for r in rows}


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_the_refresh_query_writes_exactly_the_digested_types() -> None:
    written = re.findall(r"c\.activity_(\w+) = \[x IN ix WHERE x\[0\] = '(\w+)'", REFRESH.read_text())
    assert [(prop, kind) for prop, kind in written] == [(t, t) for t in activity.DIGEST_TYPES]


def test_digest_properties_are_not_attribute_keys() -> None:
    with pytest.raises(BadInputError, match="activity_purchase"):
        clean_attributes(CUSTOMER, {"activity_purchase": 1})


async def test_import_writes_the_digest_and_a_changed_row_rewrites_it(graph: Graph, tmp_path: Path) -> None:
    await clear(graph)
    await run_import(graph, FIXTURES / "happy")
    found = await digests(graph)
    # Types are stored lower-cased (`Purchase`, `CALL`); a date alone is midnight UTC.
    assert found["c-1"] == {"activity_purchase": [utc(2025, 1, 2, 3, 4, 5)], "activity_call": [utc(2025, 1, 3)],
                            "activity_v": activity.VERSION}
    assert found["c-2"] == {"activity_feedback": [utc(2025, 2, 1, 9)], "activity_v": activity.VERSION}

    changed = tmp_path / "changed"
    shutil.copytree(FIXTURES / "happy", changed)
    csv = changed / "interactions.csv"
    csv.write_text(csv.read_text().replace("i-2,c-1,CALL,2025-01-03", "i-2,c-1,purchase,2025-03-03"))
    await run_import(graph, changed)
    assert (await digests(graph))["c-1"] == {"activity_purchase": [utc(2025, 1, 2, 3, 4, 5), utc(2025, 3, 3)],
                                             "activity_v": activity.VERSION}


async def test_recording_an_interaction_updates_the_digest(graph: Graph) -> None:
    await clear(graph)
    await run_import(graph, FIXTURES / "happy")
    await record_interaction(graph, InteractionInput(id="i-new", customer_id="c-2", type="purchase",
                                                     occurred_at=utc(2026, 1, 5, 12)))
    assert (await digests(graph))["c-2"] == {"activity_feedback": [utc(2025, 2, 1, 9)],
                                             "activity_purchase": [utc(2026, 1, 5, 12)], "activity_v": activity.VERSION}


async def test_merging_duplicates_rewrites_the_kept_digest_from_the_moved_interactions(graph: Graph) -> None:
    await clear(graph)
    await run_import(graph, FIXTURES / "duplicates", merge_duplicates=True)
    found = await digests(graph)
    # d-1 (purchase) and d-2 (email) were merged into d-4, which had no interactions and no digest of its own.
    assert found["d-4"] == {"activity_purchase": [utc(2025, 1, 1)], "activity_email": [utc(2025, 1, 3)],
                            "activity_v": activity.VERSION}
    assert found["d-3"] == {"activity_call": [utc(2025, 1, 2)], "activity_v": activity.VERSION}


async def test_rules_answer_the_same_with_a_missing_or_current_digest(graph: Graph) -> None:
    await clear(graph)
    await run_import(graph, FIXTURES / "happy")
    at = utc(2025, 6, 1)
    rules = [
        {"interactions": {"type": "purchase", "within": "P365D", "count": {"gte": 1}}},
        {"interactions": {"type": ["purchase", "call"], "from": "2025-01-03", "to": "2025-06-01", "count": {"eq": 1}}},
        {"lastInteraction": {"type": "feedback", "within": "P180D"}},
        {"not": {"interactions": {"type": "call", "within": "P365D", "count": {"gte": 1}}}},
    ]
    expected = [{"c-1"}, {"c-1"}, {"c-2"}, None]
    for raw, want in zip(rules, expected, strict=True):
        compiled = compile_rule(parse_rule(raw, Catalog()), at)
        assert "activity_v" in compiled.text, raw  # the digest is used (it is current after an import)
        with_digest = {r["id"] for r in await graph.read_text("t", compiled.text, compiled.params)}
        await graph.write_text("t", "MATCH (c:Customer) REMOVE c.activity_v", {})
        without = {r["id"] for r in await graph.read_text("t", compiled.text, compiled.params)}
        assert with_digest == without, raw
        if want is not None:
            assert with_digest == want, raw
        assert await activity.backfill(graph) == len(await digests(graph))


async def test_a_segment_count_uses_the_digest(graph: Graph) -> None:
    await clear(graph)
    await run_import(graph, FIXTURES / "happy")
    rule = {"all": [{"interactions": {"type": "purchase", "within": "P365D", "count": {"gte": 1}}},
                    {"attribute": "city", "exists": True}]}
    aud = await audience(graph, adhoc_segment(rule), utc(2025, 6, 1))
    assert "c.activity_purchase" in aud.where
    rows = await graph.read_text("t", f"{aud.match()}\nRETURN collect(c.id) AS ids", aud.params)
    assert rows[0]["ids"] == ["c-1"]


async def test_cli_digest_fills_in_customers_written_without_one(graph: Graph, db_dir: Path) -> None:
    import main

    await clear(graph)
    await run_import(graph, FIXTURES / "happy")
    before = await digests(graph)
    await graph.write_text("t", "MATCH (c:Customer) REMOVE c.activity_v, c.activity_purchase", {})
    assert all("activity_v" not in d for d in (await digests(graph)).values())
    assert await asyncio.to_thread(main.main, ["--data-dir", str(db_dir), "db", "digest"]) == 0
    # Customers without interactions get no digest from an import (their count is read, cheaply, from no
    # interactions); the backfill gives them an empty one.
    assert await digests(graph) == {cid: d or {"activity_v": activity.VERSION} for cid, d in before.items()}
    assert await activity.backfill(graph) == 0  # nothing left to do


async def test_reads_leave_the_digest_out(graph: Graph) -> None:
    await clear(graph)
    await run_import(graph, FIXTURES / "happy")
    for name in ("customer/get_customers", "customer/get_neighbourhoods"):
        assert CUSTOMER.projection("c") in (REFRESH.parents[1] / f"{name}.cypher").read_text(), name
    row = (await graph.read("customer/get_customers", ids=["c-1"]))[0]["customer"]
    assert row["id"] == "c-1" and row["activity_purchase"] is None and row["activity_v"] is None
    stored = await graph.read_text("t", "MATCH (c:Customer {id: 'c-1'}) RETURN c.activity_v AS v", {})
    assert stored == [{"v": activity.VERSION}]


async def test_a_csv_column_cannot_write_the_digest(graph: Graph, tmp_path: Path) -> None:
    await clear(graph)
    await run_import(graph, FIXTURES / "happy")
    (tmp_path / "customers.csv").write_text("id,city,activity_v:int\nc-1,上海,9\n", encoding="utf-8")
    report = await run_import(graph, tmp_path)
    assert [(r.column, r.reason) for r in report.files[0].rejections] == [
        ("activity_v", "custom attribute 'activity_v' clashes with a built-in customer field; the column is ignored")]
    assert (await digests(graph))["c-1"]["activity_v"] == activity.VERSION
