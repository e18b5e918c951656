"""Result values leave graph/db.py as plain Python: one pass that matches Record.data() plus UTC datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from graph.db import Graph, record_data, to_native, to_param


async def test_records_export_nodes_relationships_and_paths_like_record_data(graph: Graph) -> None:
    await graph.write_text(
        "test/seed", "CREATE (:Customer {id: 'a', born: date('1990-05-17')})-[:KNOWS {since: datetime('2024-01-02T03:04:05Z')}]->"
        "(:Customer {id: 'b', tags: ['x', 'y']})", {})
    text = ("MATCH p = (a:Customer {id: 'a'})-[k:KNOWS]->(b:Customer) "
            "RETURN a, k, p, [a, b] AS both, {first: a.born, n: 1, f: 1.5, ok: true, none: null} AS m")
    records, _, _ = await graph.driver.execute_query(text, database_=graph.database)
    got = record_data(records[0])
    a = {"id": "a", "born": date(1990, 5, 17)}
    b = {"id": "b", "tags": ["x", "y"]}
    assert got == {"a": a, "k": (a, "KNOWS", b), "p": [a, "KNOWS", b], "both": [a, b],
                   "m": {"first": date(1990, 5, 17), "n": 1, "f": 1.5, "ok": True, "none": None}}
    exported = records[0].data()  # the driver's own export has the same shape, with driver temporal types
    assert to_native(exported["p"]) == got["p"] and to_native(list(exported["k"])) == list(got["k"])
    # Without export, graph objects stay driver objects (analyst Cypher reads their labels).
    assert sorted(to_native(records[0]["a"]).labels) == ["Customer"]
    rows = await graph.read_text("test/read", "MATCH ()-[k:KNOWS]->() RETURN k.since AS since", {})
    assert rows == [{"since": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)}]


async def test_datetimes_are_stored_to_the_millisecond_indexed_or_not(graph: Graph) -> None:
    sent = datetime(2025, 3, 4, 5, 6, 7, 891234, tzinfo=UTC)
    assert to_param(sent) == datetime(2025, 3, 4, 5, 6, 7, 891000, tzinfo=UTC)
    # created_at has a datetime index on the embedded server (graph/setup.py), updated_at has none.
    await graph.write_text("t", "CREATE (:Customer {id: 'ms', created_at: $at, updated_at: $at})", {"at": sent})
    rows = await graph.read_text("t", "MATCH (c:Customer {id: 'ms'}) RETURN c.created_at AS a, c.updated_at AS b", {})
    assert (rows[0]["a"], rows[0]["b"]) == (to_param(sent), to_param(sent))
    found = await graph.read_text("t", "MATCH (c:Customer) WHERE c.created_at = $at RETURN c.id AS id", {"at": sent})
    assert [r["id"] for r in found] == ["ms"]
