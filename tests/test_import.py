"""Bulk import against the real embedded server: values, rejections, idempotence, duplicates, CLI."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

import main
from bench.queries import bench_query
from graph.activity import PROPS as ACTIVITY_PROPS
from graph.db import Graph, to_param
from ingest.importer import Importer, ImportOptions
from ingest.report import FileResult, ImportReport
from ingest.specs import FIND_QUERY, SPEC_BY_FILE

FIXTURES = Path(__file__).parent / "fixtures" / "import"


async def run_import(graph: Graph, directory: Path, **options: Any) -> ImportReport:
    options.setdefault("batch_size", 2)  # tiny batches: every file spans several transactions
    return await Importer(graph, ImportOptions(**options)).import_directory(directory)


async def census(graph: Graph) -> dict[str, int]:
    """Return node counts by label and relationship counts by type."""
    nodes = await graph.read_text("tests/census_nodes", "MATCH (n) RETURN labels(n)[0] AS k, count(*) AS n", {})
    rels = await graph.read_text("tests/census_rels", "MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS n", {})
    return {row["k"]: row["n"] for row in nodes + rels}


async def node(graph: Graph, label: str, key: str, value: str) -> dict[str, Any]:
    rows = await graph.read_text("tests/node", f"MATCH (n:{label}) WHERE n[$key] = $value RETURN n {{.*}} AS n",
                                 {"key": key, "value": value})
    assert len(rows) == 1, f"{label} {value!r} not found exactly once"
    found = dict(rows[0]["n"])
    found.pop("updated_at")
    for key in ACTIVITY_PROPS:  # the activity digest is checked in test_activity.py
        found.pop(key, None)
    return found


async def edges(graph: Graph, rel_type: str) -> list[tuple[str, str, dict[str, Any]]]:
    rows = await graph.read_text(
        "tests/edges",
        f"MATCH (a)-[r:{rel_type}]->(b) RETURN coalesce(a.id, a.key) AS a, coalesce(b.id, b.key) AS b, "
        "properties(r) AS p ORDER BY a, b",
        {},
    )
    return [(r["a"], r["b"], r["p"]) for r in rows]


def counts(report: ImportReport) -> dict[str, tuple[int, int, int, int, int]]:
    """Per file: (rows, loaded, updated, unchanged, rejected)."""
    return {f.file: (f.rows, f.loaded, f.updated, f.unchanged, f.rejected) for f in report.files}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


HAPPY_COUNTS = {
    "companies.csv": (2, 2, 0, 0, 0),
    "customers.csv": (3, 3, 0, 0, 0),
    "projects.csv": (2, 2, 0, 0, 0),
    "employment.csv": (2, 2, 0, 0, 0),
    "memberships.csv": (2, 2, 0, 0, 0),
    "knows.csv": (3, 2, 0, 0, 0),  # c-2,c-1 and c-1,c-2 are one undirected pair
    "referrals.csv": (2, 2, 0, 0, 0),
    "interactions.csv": (3, 3, 0, 0, 0),
    "tags.csv": (2, 2, 0, 0, 0),
    "customer_tags.csv": (2, 2, 0, 0, 0),
}
HAPPY_CENSUS = {
    "AttributeDef": 7, "Company": 2, "Customer": 3, "Project": 2, "Interaction": 3, "Tag": 2, "ImportRun": 1,
    "WORKS_AT": 2, "MEMBER_OF": 2, "KNOWS": 2, "REFERRED": 2, "PERFORMED": 3, "ABOUT": 1, "OWNS": 2, "HAS_TAG": 2,
}


async def test_happy_path_loads_every_file_with_clean_values(graph: Graph) -> None:
    report = await run_import(graph, FIXTURES / "happy")
    assert counts(report) == HAPPY_COUNTS
    assert [f.file for f in report.files] == [s.file for s in SPEC_BY_FILE.values()]  # dependency order
    assert report.rejections == [] and report.duplicates == [] and report.ignored_files == []
    assert await census(graph) == HAPPY_CENSUS
    assert await node(graph, "Customer", "id", "c-1") == {
        "id": "c-1", "first_name": "伟", "last_name": "王", "name": "王伟", "name_lc": "王伟", "gender": "male",
        "birth_date": date(1985, 3, 2), "phone": "+8613812345678", "email": "wang.wei@example.com",
        "country": "CN", "city": "上海", "occupation": "engineer", "source_channel": "referral",
        "created_at": utc(2021, 2, 3, 4, 5, 6), "vip_level": 3, "consent_marketing": True,
        "member_since": date(2020, 5, 1), "score": 4.5, "nickname": "小王",
    }
    assert await node(graph, "Customer", "id", "c-2") == {
        "id": "c-2", "first_name": "Alice", "last_name": "Smith", "name": "Alice Smith", "name_lc": "alice smith",
        "gender": "female", "birth_date": date(1990, 1, 1), "phone": "+442079460958", "email": "alice@example.com",
        "country": "GB", "city": "London", "occupation": "designer", "source_channel": "web",
        "created_at": utc(2021, 12, 31, 16, 0), "vip_level": 1, "consent_marketing": False,
        "member_since": date(2021, 1, 1), "score": 3.0, "nickname": "Al",
    }
    bob = await node(graph, "Customer", "id", "c-3")
    assert bob == {"id": "c-3", "first_name": "Bob", "name": "Bob", "name_lc": "bob", "gender": "male",
                   "email": "bob@example.com", "country": "US", "city": "New York", "source_channel": "ads",
                   "created_at": utc(2023, 3, 3)}
    assert await node(graph, "Company", "id", "co-2") == {
        "id": "co-2", "name": "北京星辰科技", "name_lc": "北京星辰科技", "industry": "manufacturing",
        "employees": 3400, "country": "CN", "city": "北京", "created_at": utc(2019, 6, 1), "listed": False,
    }
    assert await node(graph, "Project", "id", "p-1") == {
        "id": "p-1", "name": "CRM rollout", "company_id": "co-1", "stage": "proposal", "value": 250000.5,
        "started_at": utc(2024, 1, 1),
    }
    assert await node(graph, "Interaction", "id", "i-3") == {
        "id": "i-3", "customer_id": "c-2", "type": "feedback", "occurred_at": utc(2025, 2, 1, 9, 0),
        "channel": "email", "subject": "Survey", "rating": 5,
    }
    assert await edges(graph, "WORKS_AT") == [
        ("c-1", "co-1", {"title": "CTO", "since": date(2019, 1, 1)}),
        ("c-2", "co-2", {"title": "Designer", "since": date(2020, 4, 1), "until": date(2022, 12, 31)}),
    ]
    assert await edges(graph, "KNOWS") == [
        ("c-1", "c-2", {"since": utc(2022, 6, 1, 10, 0)}),
        ("c-1", "c-3", {"since": utc(2023, 1, 1)}),
    ]
    assert await edges(graph, "REFERRED") == [
        ("c-1", "c-2", {"at": utc(2021, 12, 1, 12, 0), "converted": True, "project_id": "p-1"}),
        ("c-2", "c-3", {"at": utc(2023, 2, 1), "converted": False}),
    ]
    assert await edges(graph, "ABOUT") == [("i-2", "p-1", {})]
    assert await edges(graph, "OWNS") == [("co-1", "p-1", {}), ("co-2", "p-2", {})]
    tags = await edges(graph, "HAS_TAG")
    assert tags[0] == ("c-1", "vip", {"assigned_at": utc(2025, 1, 1), "expires_at": utc(2026, 1, 1),
                                      "source": "manual", "score": 0.9, "reason": "Top spender"})
    assert tags[1][:2] == ("c-2", "churn_risk") and tags[1][2]["source"] == "manual"
    assert set(tags[1][2]) == {"source", "assigned_at"}  # defaults: manual, assigned at import time
    tag = await node(graph, "Tag", "key", "vip")
    tag.pop("created_at")
    assert tag == {"key": "vip", "name": "VIP", "category": "value", "description": "Top accounts",
                   "kind": "MANUAL", "status": "ACTIVE"}


async def test_reimport_changes_nothing(graph: Graph) -> None:
    await run_import(graph, FIXTURES / "happy")
    before = await node(graph, "Customer", "id", "c-1")
    stamp = (await graph.read_text("t", "MATCH (c:Customer {id: 'c-1'}) RETURN c.updated_at AS u", {}))[0]["u"]
    second = await run_import(graph, FIXTURES / "happy", batch_size=1000)
    assert counts(second) == {
        file: (rows, 0, 0, loaded, 0) for file, (rows, loaded, _, _, _) in HAPPY_COUNTS.items()
    }
    assert await census(graph) == {**HAPPY_CENSUS, "ImportRun": 2}
    assert await node(graph, "Customer", "id", "c-1") == before
    after = (await graph.read_text("t", "MATCH (c:Customer {id: 'c-1'}) RETURN c.updated_at AS u", {}))[0]["u"]
    assert after == stamp  # nothing changed, so updated_at did not move


async def test_later_file_updates_attributes_and_links(graph: Graph) -> None:
    await run_import(graph, FIXTURES / "happy")
    report = await run_import(graph, FIXTURES / "update")
    assert counts(report) == {
        "companies.csv": (1, 0, 1, 0, 0),
        "customers.csv": (2, 1, 1, 0, 0),
        "projects.csv": (1, 0, 1, 0, 0),
        "interactions.csv": (1, 0, 1, 0, 0),
    }
    c1 = await node(graph, "Customer", "id", "c-1")
    assert (c1["city"], c1["vip_level"], c1["occupation"], c1["email"]) == ("北京", 4, "engineer",
                                                                            "wang.wei@example.com")
    assert (await node(graph, "Company", "id", "co-1"))["employees"] == 150
    assert await node(graph, "Customer", "id", "c-4") == {
        "id": "c-4", "city": "杭州", "vip_level": 2, "occupation": "teacher",
        "created_at": to_param(report.started_at),  # datetimes are stored to the millisecond (graph/db.py)
    }
    assert await edges(graph, "OWNS") == [("co-2", "p-1", {}), ("co-2", "p-2", {})]  # the owner moved
    assert (await node(graph, "Interaction", "id", "i-1"))["amount"] == 120.0
    performed = [(a, b) for a, b, _ in await edges(graph, "PERFORMED")]
    assert ("c-1", "i-1") in performed  # edges are only ever added by an import


async def test_a_row_repeated_in_the_next_batch_is_compared_after_the_first_write(graph: Graph,
                                                                                  tmp_path: Path) -> None:
    # A batch's stored rows are read while the batch before it is written; a key in both is read again.
    (tmp_path / "customers.csv").write_text("id,city\nc-1,上海\n", encoding="utf-8")
    await run_import(graph, tmp_path)
    (tmp_path / "customers.csv").write_text("id,city\nc-1,北京\nc-2,杭州\nc-1,上海\nc-3,杭州\n", encoding="utf-8")
    report = await run_import(graph, tmp_path)  # batches of 2: (c-1 北京, c-2), (c-1 上海, c-3)
    assert counts(report) == {"customers.csv": (4, 2, 2, 0, 0)}
    assert (await node(graph, "Customer", "id", "c-1"))["city"] == "上海"


REJECTIONS = [
    ("companies.csv", 1, "created_at", "built-in column 'created_at' is datetime, not date; the column is ignored"),
    ("companies.csv", 2, "employees", "'many' is not a whole number"),
    ("customers.csv", 1, "bad-name", "custom attribute 'bad-name' is not a valid property name "
                                     "([A-Za-z_][A-Za-z0-9_]*); the column is ignored"),
    ("customers.csv", 1, "name_lc", "custom attribute 'name_lc' clashes with a built-in customer field; "
                                    "the column is ignored"),
    ("customers.csv", 1, "color", "column 'color:money' declares unknown type 'money' "
                                  "(use int|float|bool|date|datetime|string)"),
    ("customers.csv", 1, "name", "column 'name' appears twice; the second one is ignored"),
    ("customers.csv", 3, "id", "'id' is required but empty"),
    ("customers.csv", 4, "gender", "'robot' is not a gender (use male, female, other or unknown)"),
    ("customers.csv", 5, "birth_date", "'1990-02-30' is not a valid calendar date"),
    ("customers.csv", 6, "phone", "'12' is not a valid phone number for region CN"),
    ("customers.csv", 7, "email", "'not-an-email' is not an email address"),
    ("customers.csv", 8, "created_at", "'yesterday' is not an ISO 8601 datetime"),
    ("customers.csv", 9, "vip_level", "'high' is not a whole number (column 'vip_level' holds int values)"),
    ("customers.csv", 10, "", "the row has 3 fields but the header has 13 columns"),
    ("projects.csv", 3, "company_id", "company 'co-9' does not exist"),
    ("projects.csv", 4, "stage", "'maybe' is not a project stage (use lead, qualified, proposal, negotiation, won, "
                                 "lost)"),
    ("projects.csv", 5, "value", "'lots' is not a number"),
    ("employment.csv", 3, "customer_id", "customer 'c-404' does not exist"),
    ("employment.csv", 4, "company_id", "company 'co-404' does not exist"),
    ("employment.csv", 5, "since", "'sometime' is not a date (use YYYY-MM-DD or a year)"),
    ("memberships.csv", 1, "project_id", "the required column 'project_id' is missing; the file was not imported"),
    ("knows.csv", 2, "other_id", "customer 'c-1' cannot know themselves"),
    ("knows.csv", 3, "other_id", "customer 'c-404' does not exist"),
    ("referrals.csv", 2, "converted", "'maybe' is not a boolean (use true or false)"),
    ("referrals.csv", 3, "referred_id", "customer 'c-9' cannot refer themselves"),
    ("referrals.csv", 4, "project_id", "project 'p-404' does not exist"),
    ("interactions.csv", 3, "type", "'type' is required but empty"),
    ("interactions.csv", 4, "occurred_at", "'2025-13-01T00:00:00' is not a valid ISO 8601 datetime"),
    ("interactions.csv", 5, "customer_id", "customer 'c-404' does not exist"),
    ("interactions.csv", 6, "amount", "'ten' is not a number"),
    ("tags.csv", 1, "color", "tags.csv has no column 'color'; its values are ignored"),
    ("customer_tags.csv", 3, "tag_key", "tag 'nope' does not exist"),
    ("customer_tags.csv", 4, "score", "'high' is not a number"),
]


async def test_every_rejection_is_reported_with_file_line_column_and_reason(graph: Graph) -> None:
    report = await run_import(graph, FIXTURES / "rejections")
    assert [(r.file, r.line, r.column, r.reason) for r in report.rejections] == REJECTIONS
    assert str(report.rejections[1]) == "companies.csv:2:employees: 'many' is not a whole number"
    assert counts(report) == {
        "companies.csv": (2, 1, 0, 0, 1),
        "customers.csv": (10, 2, 0, 0, 8),
        "projects.csv": (4, 1, 0, 0, 3),
        "employment.csv": (4, 1, 0, 0, 3),
        "memberships.csv": (0, 0, 0, 0, 0),
        "knows.csv": (3, 1, 0, 0, 2),
        "referrals.csv": (3, 0, 0, 0, 3),
        "interactions.csv": (5, 1, 0, 0, 4),
        "tags.csv": (1, 1, 0, 0, 0),
        "customer_tags.csv": (3, 1, 0, 0, 2),
    }
    assert report.file("memberships.csv").skipped
    assert report.ignored_files == ["notes.csv"]
    assert (report.rejected, report.problems) == (26, 33)  # 26 rows, 7 header columns
    # Bad rows never land; the good ones do, multi-line quoted cells included.
    assert await census(graph) == {
        "AttributeDef": 2, "Company": 1, "Customer": 2, "Project": 1, "Interaction": 1, "Tag": 1, "ImportRun": 1,
        "OWNS": 1, "WORKS_AT": 1, "KNOWS": 1, "PERFORMED": 1, "HAS_TAG": 1,
    }
    assert (await node(graph, "Customer", "id", "c-9"))["name"] == "Ivy\nJones"
    assert "bad-name" not in await node(graph, "Customer", "id", "c-1")


async def test_empty_non_utf8_and_broken_csv_files_are_refused(graph: Graph, tmp_path: Path) -> None:
    (tmp_path / "customers.csv").write_bytes(b"")
    (tmp_path / "companies.csv").write_bytes(b"id,name\nco-1,Caf\xe9\nco-2,Caf\xc3\xa9\n")
    (tmp_path / "tags.csv").write_text('key,name\nok,Fine\nbig,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    report = await run_import(graph, tmp_path)
    assert [(r.file, r.line, r.column) for r in report.rejections] == [
        ("companies.csv", 2, "name"), ("customers.csv", 1, ""), ("tags.csv", 3, ""),
    ]
    assert report.rejections[0].reason == "the value is not valid UTF-8"
    assert report.rejections[1].reason == "the file is empty; a header row is required"
    assert report.rejections[2].reason == ("the file is not valid CSV (field larger than field limit (131072)); "
                                           "reading stopped")
    assert await census(graph) == {"ImportRun": 1, "Company": 1, "Tag": 1}  # the rows before or around them load


async def test_rows_pointing_at_unknown_ids_load_once_their_targets_exist(graph: Graph, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "happy" / "interactions.csv", tmp_path / "interactions.csv")
    first = await run_import(graph, tmp_path)
    assert [(r.line, r.column, r.reason) for r in first.rejections] == [
        (2, "customer_id", "customer 'c-1' does not exist"),
        (3, "customer_id", "customer 'c-1' does not exist"),
        (4, "customer_id", "customer 'c-2' does not exist"),
    ]
    # Same directory with its dependencies: order comes from the file types, not their names.
    for name in ("customers.csv", "companies.csv", "projects.csv"):
        shutil.copy(FIXTURES / "happy" / name, tmp_path / name)
    second = await run_import(graph, tmp_path)
    assert [f.file for f in second.files] == ["companies.csv", "customers.csv", "projects.csv", "interactions.csv"]
    assert counts(second)["interactions.csv"] == (3, 3, 0, 0, 0)


async def test_failing_batch_leaves_nothing_half_written(graph: Graph) -> None:
    good = {"id": "c-1", "props": {"name": "Good"}}
    bad = {"id": "c-2", "props": {"name": "Bad", "nested": {"a": 1}}}  # maps are not property values
    with pytest.raises(Exception, match="Property values can only be of primitive types"):
        await graph.write("import/upsert_customers", rows=[good, bad], now=datetime.now(UTC))
    assert await census(graph) == {}
    # The importer splits a refused batch until it finds the row, so the good rows still land.
    importer = Importer(graph, ImportOptions())
    result = FileResult("customers.csv")
    await importer.write_rows(SPEC_BY_FILE["customers.csv"], [(2, good), (3, bad), (4, {"id": "c-3", "props": {}})],
                              result)
    assert (result.loaded, result.rejected) == (2, 1)
    assert (result.rejections[0].line, result.rejections[0].column) == (3, "")
    assert result.rejections[0].reason.startswith("the database refused the row: ")
    assert await census(graph) == {"Customer": 2}


async def test_custom_attributes_are_typed_and_registered(graph: Graph, tmp_path: Path) -> None:
    (tmp_path / "customers.csv").write_text(
        "id,vip_level,ratio,flag,joined,seen,zip,mixed,blank,code:string,level:float\n"
        "c-1,3,1.5,true,2020-01-02,2024-01-01T10:00:00+08:00,007,1,,42,2\n"
        "c-2,10,2,FALSE,2021-03-04,2024-02-01,123,x,,43,2.5\n",
        encoding="utf-8",
    )
    report = await run_import(graph, tmp_path)
    assert report.rejections == []
    defs = await graph.read_text("t", "MATCH (a:AttributeDef) RETURN a {.*} AS a ORDER BY a.id", {})
    assert [d["a"] for d in defs] == [
        {"id": f"customer.{key}", "entity": "customer", "key": key, "type": type_, "personal": False}
        for key, type_ in [("blank", "string"), ("code", "string"), ("flag", "bool"), ("joined", "date"),
                           ("level", "float"), ("mixed", "string"), ("ratio", "float"), ("seen", "datetime"),
                           ("vip_level", "int"), ("zip", "string")]
    ]
    c1 = await node(graph, "Customer", "id", "c-1")
    c1.pop("created_at")
    assert c1 == {"id": "c-1", "vip_level": 3, "ratio": 1.5, "flag": True, "joined": date(2020, 1, 2),
                  "seen": utc(2024, 1, 1, 2, 0), "zip": "007", "mixed": "1", "code": "42", "level": 2.0}
    # A later file keeps the registered types; a declared type that disagrees refuses the column.
    (tmp_path / "customers.csv").write_text("id,vip_level,flag:string\nc-1,4,yes\nc-2,many,no\n",
                                            encoding="utf-8")
    later = await run_import(graph, tmp_path)
    assert [(r.line, r.column, r.reason) for r in later.rejections] == [
        (1, "flag", "column 'flag:string' conflicts with customer.flag, registered as bool; the column is ignored"),
        (3, "vip_level", "'many' is not a whole number (column 'vip_level' holds int values)"),
    ]
    assert (await node(graph, "Customer", "id", "c-1"))["vip_level"] == 4


DUPLICATE_GROUPS = [(("d-1", "d-2", "d-4"), "same email and phone"), (("d-6", "d-7"), "same email")]


async def test_duplicates_are_reported_not_merged_by_default(graph: Graph) -> None:
    report = await run_import(graph, FIXTURES / "duplicates")
    assert [(d.ids, d.reason) for d in report.duplicates] == DUPLICATE_GROUPS
    assert report.merges == []
    assert (await census(graph))["Customer"] == 7


async def test_merge_duplicates_keeps_the_oldest_and_moves_relationships(graph: Graph) -> None:
    report = await run_import(graph, FIXTURES / "duplicates", merge_duplicates=True)
    assert [(m.kept_id, m.merged_id, m.reason) for m in report.merges] == [
        ("d-4", "d-2", "same email and phone"), ("d-4", "d-1", "same email and phone"), ("d-6", "d-7", "same email"),
    ]
    ids = await graph.read_text("t", "MATCH (c:Customer) RETURN c.id AS id ORDER BY id", {})
    assert [r["id"] for r in ids] == ["d-3", "d-4", "d-5", "d-6"]
    kept = await node(graph, "Customer", "id", "d-4")
    assert kept == {"id": "d-4", "name": "Other", "name_lc": "other", "email": "other@example.com", "phone": "+8613812345678",
                    "created_at": utc(2019, 1, 1), "occupation": "engineer", "city": "上海"}
    assert [(a, b, p) for a, b, p in await edges(graph, "WORKS_AT")] == [
        ("d-4", "co-1", {"title": "Engineer", "since": date(2015, 1, 1)})
    ]
    assert [(a, b) for a, b, _ in await edges(graph, "KNOWS")] == [("d-3", "d-5"), ("d-4", "d-5")]
    assert [(a, b) for a, b, _ in await edges(graph, "REFERRED")] == [("d-3", "d-5"), ("d-5", "d-4")]
    assert [(a, b) for a, b, _ in await edges(graph, "PERFORMED")] == [("d-3", "i-2"), ("d-4", "i-1"), ("d-4", "i-3")]
    assert [(a, b, p["reason"]) for a, b, p in await edges(graph, "HAS_TAG")] == [("d-4", "vip", "old record")]
    moved = await graph.read_text("t", "MATCH (i:Interaction) RETURN i.id AS id, i.customer_id AS c ORDER BY id", {})
    assert [(r["id"], r["c"]) for r in moved] == [("i-1", "d-4"), ("i-2", "d-3"), ("i-3", "d-4")]
    records = await graph.read_text(
        "t", "MATCH (m:MergeRecord) RETURN m.kept_id AS k, m.merged_id AS m, m.reason AS r, m.at AS at ORDER BY m", {}
    )
    assert [(r["k"], r["m"], r["r"]) for r in records] == [
        ("d-4", "d-1", "same email and phone"), ("d-4", "d-2", "same email and phone"), ("d-6", "d-7", "same email"),
    ]
    assert all(r["at"] == to_param(report.started_at) for r in records)
    again = await Importer(graph, ImportOptions()).import_directory(FIXTURES / "duplicates")
    assert [(d.ids, d.reason) for d in again.duplicates] == DUPLICATE_GROUPS  # the merged ones came back


def cli(db_dir: Path, *args: str) -> int:
    return main.main(["--data-dir", str(db_dir), "import", *args])


async def test_cli_import_writes_report_and_exits_zero(graph: Graph, db_dir: Path, tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    code = await asyncio.to_thread(cli, db_dir, str(FIXTURES / "happy"), "--report", str(report_path), "--strict")
    assert code == 0
    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert data["totals"] == {"rows": 23, "loaded": 22, "updated": 0, "unchanged": 0, "rejected": 0}
    assert [(f["file"], f["rows"], f["loaded"], f["rejected"]) for f in data["files"]] == [
        (file, rows, loaded, rejected) for file, (rows, loaded, _, _, rejected) in HAPPY_COUNTS.items()
    ]
    assert data["rejections"] == [] and data["duplicates"] == [] and data["merges"] == []
    assert await census(graph) == HAPPY_CENSUS


async def test_cli_strict_fails_on_rejections_and_reports_them(graph: Graph, db_dir: Path, tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    directory = str(FIXTURES / "rejections")
    assert await asyncio.to_thread(cli, db_dir, directory, "--strict", "--report", str(report_path)) == 1
    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert [(r["file"], r["line"], r["column"], r["reason"]) for r in data["rejections"]] == REJECTIONS
    assert data["totals"]["rejected"] == 26
    assert await asyncio.to_thread(cli, db_dir, directory) == 0  # without --strict rejections are only reported
    assert await asyncio.to_thread(cli, db_dir, str(tmp_path / "missing")) == 2


async def test_cli_merge_duplicates(graph: Graph, db_dir: Path) -> None:
    assert await asyncio.to_thread(cli, db_dir, str(FIXTURES / "duplicates"), "--merge-duplicates") == 0
    assert (await census(graph))["MergeRecord"] == 3


async def test_benchmark_baseline_queries_run(graph: Graph) -> None:
    customer = {"id": "c-1", "props": {"name": "Raw", "city": "上海"}}
    interaction = {"id": "i-1", "customer_id": "c-1", "props": {"type": "call", "customer_id": "c-1"}}
    for name, row in (("raw/customers", customer), ("raw/interactions", interaction)):  # python -m bench's floor
        assert await graph.write_text(name, bench_query(name).text, {"rows": [row]}) == [{"written": 1}]
    assert await census(graph) == {"Customer": 1, "Interaction": 1, "PERFORMED": 1}


async def test_ids_this_run_wrote_are_not_looked_up_again(graph: Graph, tmp_path: Path) -> None:
    counting = graph.counting()
    report = await run_import(counting, FIXTURES / "happy")
    assert all(f.rejected == 0 for f in report.files)
    assert counting.stats is not None
    lookups = [n for n in counting.stats.names if n in FIND_QUERY.values()]
    # Only the projects' company (an OPTIONAL MATCH in their upsert) and interactions' projects are looked up:
    # every customer, company and tag an edge file names was written by this run.
    assert set(lookups) <= {"import/find_companies", "import/find_projects"}, lookups
    # A separate run of an edge file looks its ends up, as before.
    shutil.copy(FIXTURES / "happy" / "knows.csv", tmp_path / "knows.csv")
    counting = graph.counting()
    again = await run_import(counting, tmp_path)
    assert counts(again)["knows.csv"][4] == 0
    assert counting.stats is not None and "import/find_customers" in counting.stats.names


async def test_a_node_deleted_during_the_run_rejects_its_edge_rows_and_keeps_the_rest(graph: Graph, tmp_path: Path) -> None:
    importer = Importer(graph, ImportOptions(batch_size=50))
    for name in ("companies.csv", "customers.csv"):
        await importer.import_file(SPEC_BY_FILE[name], FIXTURES / "happy" / name)
    assert "c-2" in importer.known["Customer"]
    await graph.write_text("tests/delete", "MATCH (c:Customer {id: 'c-2'}) DETACH DELETE c", {})
    result = await importer.import_file(SPEC_BY_FILE["knows.csv"], FIXTURES / "happy" / "knows.csv")
    lines = (FIXTURES / "happy" / "knows.csv").read_text(encoding="utf-8").splitlines()[1:]
    with_c2 = [i + 2 for i, line in enumerate(lines) if "c-2" in line.split(",")[:2]]
    assert with_c2, "the fixture must name c-2 in knows.csv"
    assert sorted(r.line for r in result.rejections) == with_c2
    assert {r.reason for r in result.rejections} == {"customer 'c-2' does not exist"}
    assert result.loaded == len(lines) - len(with_c2)
    stored = await edges(graph, "KNOWS")
    assert len(stored) == len(lines) - len(with_c2) and all("c-2" not in (a, b) for a, b, _ in stored)
    assert "c-2" not in importer.known["Customer"]


def test_a_file_starts_with_a_small_batch_then_full_ones() -> None:
    from ingest.importer import batched, first_batch_size

    records = [(line, [str(line)]) for line in range(2, 27)]
    assert [len(b) for b in batched(records, 10, first=3)] == [3, 10, 10, 2]
    assert [b[0][0] for b in batched(records, 10, first=3)] == [2, 5, 15, 25]
    assert (first_batch_size(5000), first_batch_size(300), first_batch_size(2)) == (500, 100, 2)
