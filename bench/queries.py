"""The benchmark's own Cypher files under bench/cypher/, loaded and checked like the service's."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graph.cypher import Query, parse_query

BENCH_CYPHER = Path(__file__).resolve().parent / "cypher"


@cache
def bench_query(name: str) -> Query:
    """Return bench/cypher/<name>.cypher parsed and checked (declared params equal used ones)."""
    path = BENCH_CYPHER / f"{name}.cypher"
    return parse_query(name, path, path.read_text(encoding="utf-8"))
