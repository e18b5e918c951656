"""Load a small graph into memory for the plain-Python evaluator."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.cypher import check_identifier
from graph.db import Graph
from graph.rules.evaluator import Edge, GraphData


async def load_graph_data(graph: Graph) -> GraphData:
    """Return every node and relationship rules use; meant for test-sized graphs only."""
    data = GraphData()
    for row in await graph.read("rules/snapshot_nodes"):
        data.nodes[row["label"]][row["props"]["id"]] = row["props"]
    for row in await graph.read("rules/snapshot_edges"):
        data.edges.append(Edge(row["type"], row["src"], row["dst"], row["props"] or {}))
    return data


_ENDS = {
    "WORKS_AT": ("Customer", "Company"), "MEMBER_OF": ("Customer", "Project"), "KNOWS": ("Customer", "Customer"),
    "REFERRED": ("Customer", "Customer"), "PERFORMED": ("Customer", "Interaction"), "OWNS": ("Company", "Project"),
    "ABOUT": ("Interaction", "Project"),
}


async def write_graph_data(graph: Graph, data: GraphData) -> None:
    """Create the nodes and relationships of data (tests and fixtures; small graphs only)."""
    for label, by_id in data.nodes.items():
        if by_id:
            text = f"UNWIND $rows AS row CREATE (n:{check_identifier(label, 'label')}) SET n = row"
            await graph.write_text("rules/write_nodes", text, {"rows": list(by_id.values())})
    keys = sorted({e.dst for e in data.edges if e.type == "HAS_TAG"})
    if keys:
        await graph.write_text("rules/write_tags", "UNWIND $keys AS k MERGE (:Tag {key: k})", {"keys": keys})
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in data.edges:
        if e.type == "HAS_TAG":
            src = "Customer" if e.src in data.nodes["Customer"] else "Company"
            ends = (src, "Tag")
        else:
            ends = _ENDS[e.type]
        groups[(e.type, *ends)].append({"src": e.src, "dst": e.dst, "props": e.props})
    for (type_, src, dst), rows in groups.items():
        dst_key = "key" if dst == "Tag" else "id"
        text = (
            f"UNWIND $rows AS row MATCH (a:{check_identifier(src)} {{id: row.src}}) "
            f"MATCH (b:{check_identifier(dst)} {{{dst_key}: row.dst}}) "
            f"CREATE (a)-[r:{check_identifier(type_)}]->(b) SET r = row.props"
        )
        await graph.write_text("rules/write_edges", text, {"rows": rows})
