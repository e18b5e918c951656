"""Read what rules may refer to from the graph, and run compiled rules."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from graph.db import Graph
from graph.rules.catalog import ATTRIBUTE_TYPES, Catalog, SegmentLookup, TagInfo, no_segments
from graph.rules.compiler import compile_rule
from graph.rules.nodes import Node


async def load_catalog(graph: Graph, segment: SegmentLookup = no_segments) -> Catalog:
    """Return the catalogue of custom attribute types and tags currently in the graph."""
    custom: dict[str, dict[str, str]] = defaultdict(dict)
    for row in await graph.read("rules/get_attribute_defs"):
        if row["entity"] and row["key"] and row["type"] in ATTRIBUTE_TYPES:
            custom[row["entity"]][row["key"]] = row["type"]
    tags = {
        row["key"]: TagInfo(row["key"], row["status"], frozenset(row["uses"] or ()))
        for row in await graph.read("rules/get_tag_infos")
    }
    return Catalog(dict(custom), tags, segment)


async def select_ids(graph: Graph, rule: Node, as_of: datetime, *, entity: str = "customer") -> set[str]:
    """Return the ids of customers (or companies) matching the rule at as_of, via one query."""
    compiled = compile_rule(rule, as_of, entity=entity)
    return {row["id"] for row in await graph.read_text("rules/select", compiled.text, compiled.params)}
