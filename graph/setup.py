"""Idempotent schema setup: every constraint and index is a file under `cypher/schema/`."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from graph.cypher import check_identifier, load_all, query
from graph.db import Graph

log = logging.getLogger(__name__)

# Indexes on datetime properties. The embedded server types an index by the values present when it is
# created: created on an empty label (index first, data later, as here), it keeps the old entry when a
# datetime value changes or its node is deleted. Range scans then return a node twice or fail with
# "Record #x:y not found" (README, "The embedded graph server"). With one datetime value present at creation
# the index is right; so on the embedded server these are created around a probe node, once per data
# directory (graph/connection.py remembers it in a file there). The typed index stores milliseconds, which
# is why every datetime is sent truncated to the millisecond (graph/db.py to_param).
DATETIME_INDEXES = ("schema/index_audit_entry_at", "schema/index_customer_created_at",
                    "schema/index_interaction_occurred_at")
PROBE_ID = "__custgraph_index_probe__"
_INDEX = re.compile(r"CREATE INDEX (\w+) IF NOT EXISTS FOR \(n:(\w+)\) ON \(n\.(\w+)\)")


def schema_queries() -> list[str]:
    """Return the names of the schema files, constraints before indexes."""
    names = [n for n in load_all() if n.startswith("schema/")]
    return sorted(names, key=lambda n: (not n.startswith("schema/constraint_"), n))


def index_parts(name: str) -> tuple[str, str, str]:
    """Return (index name, label, property) of a single-property index file."""
    found = _INDEX.search(query(name).text)
    if found is None:
        raise ValueError(f"{name} is not a single-property CREATE INDEX")
    index, label, prop = found.groups()
    return check_identifier(index, "index"), check_identifier(label, "label"), check_identifier(prop, "property")


async def apply_schema(graph: Graph, *, repair_datetime_indexes: bool = False) -> int:
    """Create every constraint and index that does not exist yet; return how many files ran. With
    repair_datetime_indexes (the embedded server, once per data directory), the datetime indexes are made
    again around a probe value (DATETIME_INDEXES)."""
    names = schema_queries()
    for name in names:
        if repair_datetime_indexes and name in DATETIME_INDEXES:
            await rebuild_datetime_index(graph, name)
        else:
            await graph.write(name)
    log.info("schema checked: %d constraints and indexes", len(names))
    return len(names)


async def rebuild_datetime_index(graph: Graph, name: str) -> None:
    """Drop the index and create it again while a node of its label holds a datetime value."""
    index, label, prop = index_parts(name)
    log.info("embedded server: rebuilding datetime index %s", index)
    # Index, label and property names come from our own schema files (checked above), never from users.
    await graph.write_text("schema/drop_index", f"DROP INDEX {index} IF EXISTS", {})
    await graph.write_text("schema/index_probe", f"CREATE (:{label} {{id: $id, {prop}: $at}})",
                           {"id": PROBE_ID, "at": datetime(2000, 1, 1, tzinfo=UTC)})
    try:
        await graph.write(name)
    finally:
        await graph.write_text("schema/index_probe_delete", f"MATCH (p:{label} {{id: $id}}) DELETE p", {"id": PROBE_ID})
