"""Idempotent schema setup: every constraint and index is a file under `cypher/schema/`."""

from __future__ import annotations

import logging

from graph.cypher import load_all
from graph.db import Graph

log = logging.getLogger(__name__)


def schema_queries() -> list[str]:
    """Return the names of the schema files, constraints before indexes."""
    names = [n for n in load_all() if n.startswith("schema/")]
    return sorted(names, key=lambda n: (not n.startswith("schema/constraint_"), n))


async def apply_schema(graph: Graph) -> int:
    """Create every constraint and index that does not exist yet; return how many files ran."""
    names = schema_queries()
    for name in names:
        await graph.write(name)
    log.info("schema checked: %d constraints and indexes", len(names))
    return len(names)
