"""Result values leave graph/db.py as plain Python: one pass that matches Record.data() plus UTC datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from graph.db import Graph, record_data, to_native


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
