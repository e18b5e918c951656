"""A hand-built graph for the tag engine tests (no tests here): every starter tag has members."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from graph.db import Graph
from graph.rules.evaluator import Edge, GraphData
from graph.rules.snapshot import write_graph_data
from graph.tag_catalogue import install_catalogue

T0 = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
CUSTOMERS = ["a", "b", "c", "d1", "d2", "d3", "d4", "d5", "e", "f", "g", "h"]


def ago(days: float) -> datetime:
    return T0 - timedelta(days=days)


def world() -> GraphData:
    """a buys, b refers, c/h are colleagues of VIPs, d* were referred by b, e decides on an open project."""
    d = GraphData()
    for cid in CUSTOMERS:
        d.nodes["Customer"][cid] = {"id": cid, "name": cid.upper()}
    d.nodes["Company"].update({"co1": {"id": "co1", "name": "Acme"}, "co2": {"id": "co2", "name": "Tiny"}})
    d.nodes["Project"].update({"p1": {"id": "p1", "stage": "proposal"}, "p2": {"id": "p2", "stage": "won"}})
    for k, (cid, typ, days, amount) in enumerate([
        ("a", "purchase", 10, 100.0), ("a", "purchase", 20, 200.0), ("a", "purchase", 30, 300.0),
        ("e", "call", 100, None),
    ]):
        d.nodes["Interaction"][f"i{k}"] = {"id": f"i{k}", "type": typ, "occurred_at": ago(days), "amount": amount}
        d.edges.append(Edge("PERFORMED", cid, f"i{k}", {}))
    for k, cid in enumerate(["d1", "d2", "d3", "d4", "d5"]):
        d.edges.append(Edge("REFERRED", "b", cid, {"at": ago(200 + k), "converted": k < 3}))
    for cid, co in [("a", "co1"), ("b", "co1"), ("c", "co1"), ("g", "co2"), ("h", "co2")]:
        d.edges.append(Edge("WORKS_AT", cid, co, {"since": date(2020, 1, 1)}))
    d.edges.append(Edge("WORKS_AT", "f", "co1", {"since": date(2010, 1, 1), "until": date(2019, 1, 1)}))
    d.edges.append(Edge("MEMBER_OF", "e", "p1", {"role": "decision_maker"}))
    d.edges.append(Edge("MEMBER_OF", "f", "p2", {"role": "decision_maker"}))
    return d


async def build(graph: Graph) -> None:
    """Write the world, install the catalogue and tag g as VIP by hand."""
    from graph.tag_assign import assign_tag

    await write_graph_data(graph, world())
    await install_catalogue(graph)
    await assign_tag(graph, "vip", ids=["g"], by="alice", reason="met at the fair", at=ago(5))


async def holders(graph: Graph) -> dict[str, set[str]]:
    """Return tag key -> ids of the customers/companies holding it (any validity)."""
    rows = await graph.read_text(
        "tests/holders", "MATCH (x)-[:HAS_TAG]->(t:Tag) RETURN t.key AS key, collect(x.id) AS ids", {}
    )
    return {r["key"]: set(r["ids"]) for r in rows}


async def values(graph: Graph, key: str) -> dict[str, object]:
    rows = await graph.read_text(
        "tests/values", "MATCH (x)-[r:HAS_TAG]->(:Tag {key: $key}) RETURN x.id AS id, r.value AS value", {"key": key}
    )
    return {r["id"]: r["value"] for r in rows}
