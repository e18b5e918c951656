"""Indexes and constraints the tag engine needs (TagEvent, TagRun), created idempotently."""

from __future__ import annotations

from graph.cypher import load_all
from graph.db import Graph

_checked: set[int] = set()


async def ensure_tag_schema(graph: Graph) -> None:
    """Create the tag engine's indexes and constraints once per driver."""
    if id(graph.driver) in _checked:
        return
    names = sorted(n for n in load_all() if n.startswith(("tag/index_", "tag/constraint_")))
    for name in sorted(names, key=lambda n: "constraint_" not in n):
        await graph.write(name)
    _checked.add(id(graph.driver))
