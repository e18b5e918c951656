"""In-process GraphQL: latency and database round trips of documents run through `schema.execute`
with a fresh per-request Context (as the HTTP app does, without HTTP), one request at a time.

    python -m bench inprocess --scale 10k [--requests 300]          # the prepared bench data
    python -m bench inprocess --data-dir /tmp/api-demo              # any data directory (e.g. the demo)
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from bench.cases import PORTRAIT
from bench.stats import summary
from graph.connection import Target, connect
from graph.db import Graph

# A wide 20-customer page: employer, employments, projects, interactions and connections of each.
NESTED_WIDE = """query($after: String) { customers(first: 20, after: $after, sort: [{field: "name"}]) { totalCount
  pageInfo { endCursor } edges { node {
  id name email city company { name industry } employments { title since }
  projects { role project { name stage } }
  interactions(first: 5) { totalCount edges { node { type occurredAt amount } } }
  connections(first: 5) { totalCount edges { node { kind customer { name } } } }
} } } }"""


@cache
def _schema_and_config() -> tuple[Any, Any]:
    from schema.app import api_config, build_schema

    return build_schema(), api_config()


async def execute_counted(graph: Graph, document: str, variables: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Run one document in-process with a fresh Context over a counting Graph; return its data and query names."""
    from resolvers.context import Context

    schema, config = _schema_and_config()
    counting = graph.counting()
    result = await schema.execute(document, variable_values=variables, context_value=Context.build(counting, config))
    if result.errors:
        raise RuntimeError(f"in-process execution failed: {result.errors[0]}")
    assert counting.stats is not None
    return result.data or {}, counting.stats.names


async def measure(graph: Graph, document: str, variables: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the latency summary and round trips (mean, max) of document over these variables, in turn."""
    times: list[float] = []
    trips: list[int] = []
    for v in variables:
        started = time.perf_counter()
        _, names = await execute_counted(graph, document, v)
        times.append(time.perf_counter() - started)
        trips.append(len(names))
    return {**summary(times), "mean_trips": sum(trips) / len(trips), "max_trips": max(trips)}


async def run_inprocess(data_dir: Path, requests: int, heap: str = "2g") -> dict[str, Any]:
    """Measure the portrait and a wide nested page over the customers in data_dir; return the figures."""
    conn = await connect(Target(None, "root", "", "crm", data_dir, heap=heap, query_timeout=120), setup_schema=False)
    try:
        graph = conn.graph
        ids = [r["id"] for r in await graph.read_text("bench/ids", "MATCH (c:Customer) RETURN c.id AS id ORDER BY id", {})]
        step = max(1, len(ids) // requests)
        sample = [{"id": ids[(i * step) % len(ids)], "asOf": None} for i in range(requests)]
        await measure(graph, PORTRAIT, sample[:20])  # warm-up: JIT, caches, RFM population
        out: dict[str, Any] = {"customers": len(ids), "at": datetime.now(UTC).isoformat(),
                               "portrait": await measure(graph, PORTRAIT, sample)}
        cursors: list[dict[str, Any]] = [{"after": None}]
        for _ in range(min(requests, len(ids) // 20) - 1):
            data, _ = await execute_counted(graph, NESTED_WIDE, cursors[-1])
            cursors.append({"after": data["customers"]["pageInfo"]["endCursor"]})
        out["nested_wide_20"] = await measure(graph, NESTED_WIDE, cursors)
        return out
    finally:
        await conn.close()
