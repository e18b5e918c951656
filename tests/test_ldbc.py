"""The LDBC SNB SF0.1 social network, converted and imported: exact counts from independent data."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graph.db import Graph
from ingest.importer import Importer, ImportOptions
from ingest.ldbc import DEFAULT_SOURCE, convert

pytestmark = pytest.mark.skipif(not DEFAULT_SOURCE.is_dir(), reason="the LDBC SF0.1 data set is not on this machine")


def source_knows_degree(person: str) -> int:
    """Count the person's knows edges straight from the LDBC files (both files, either column)."""
    n = 0
    for name in ("Person_knows_Person.csv", "Person_knows_Person_1.csv"):
        with (DEFAULT_SOURCE / name).open(encoding="utf-8") as f:
            for a, b, _ in csv.reader(f, delimiter="|"):
                n += person in (a, b)
    return n


def test_ldbc_conversion_counts(tmp_path: Path) -> None:
    assert convert(DEFAULT_SOURCE, tmp_path).counts == {
        "customers.csv": 1528, "companies.csv": 1575, "employment.csv": 3313, "knows.csv": 14073,
        "tags.csv": 4182, "customer_tags.csv": 35475,
    }


async def test_ldbc_people_imports_with_exact_counts(graph: Graph, tmp_path: Path) -> None:
    # Interests (35k tag rows) are left out to keep the suite quick; the people graph is the point.
    converted = convert(DEFAULT_SOURCE, tmp_path, interests=False)
    report = await Importer(graph, ImportOptions(batch_size=5000)).import_directory(tmp_path)
    assert report.rejections == []
    assert {f.file: f.loaded for f in report.files} == converted.counts
    nodes = await graph.read_text("t", "MATCH (n) RETURN labels(n)[0] AS k, count(*) AS n", {})
    rels = await graph.read_text("t", "MATCH ()-[r]->() RETURN type(r) AS k, count(*) AS n", {})
    assert {r["k"]: r["n"] for r in nodes + rels} == {
        "Customer": 1528, "Company": 1575, "AttributeDef": 1, "ImportRun": 1, "WORKS_AT": 3313, "KNOWS": 14073,
    }
    person = await graph.read_text(
        "t",
        "MATCH (c:Customer {id: 'p-933'}) RETURN c {.*, updated_at: null} AS c, COUNT { (c)-[:KNOWS]-() } AS knows, "
        "[(c)-[w:WORKS_AT]->(o) | [o.id, w.since]] AS jobs",
        {},
    )
    assert person[0]["c"] == {
        "id": "p-933", "first_name": "Mahinda", "last_name": "Perera", "name": "Mahinda Perera",
        "name_lc": "mahinda perera", "gender": "male", "birth_date": date(1989, 12, 3),
        "created_at": datetime(2010, 2, 14, 15, 32, 10, 447000, tzinfo=UTC), "city": "Kelaniya",
        "country": "Sri Lanka", "source_channel": "ldbc", "browser": "Firefox", "updated_at": None,
    }
    assert person[0]["knows"] == source_knows_degree("933")
    assert sorted(person[0]["jobs"]) == [[f"o-{org}", date(2013, 1, 1)] for org in (1226, 1227, 1230)]
