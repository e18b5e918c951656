"""Measure the API at demo scale: p50/p99 latency and database round trips per request.

    python main.py --data-dir /tmp/api-demo demo --customers 3000     # once
    python tools/api-bench/bench.py --data-dir /tmp/api-demo [--requests 300]

Runs queries through schema.execute with a fresh per-request Context (as the HTTP app does),
sequentially on one connection, after a warm-up. Not a test: it prints figures for docs/api.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from graph.connection import connect  # noqa: E402
from main import Settings  # noqa: E402
from resolvers.context import Context  # noqa: E402
from schema.app import api_config, build_schema  # noqa: E402

PORTRAIT = """query($id: ID!) { customer(id: $id) { id name portrait {
  tags { category tags { key valid score } }
  behaviour { windows { days count byType { type count } } purchaseTotal purchaseAverage
              firstInteraction { at type } lastInteraction { at type } activeDays }
  rfm { recencyDays frequency monetary recencyScore frequencyScore monetaryScore }
  lifecycleStage
  relationships { employer { companyId title } colleaguesCount projects { projectId role }
                  referralsMade { total converted } referralsReceived { total converted } knowsCount }
} } }"""

NESTED = """query($after: String) { customers(first: 20, after: $after, sort: [{field: "name"}]) { totalCount
  pageInfo { endCursor } edges { node {
  id name email city company { name industry } employments { title since }
  projects { role project { name stage } }
  interactions(first: 5) { totalCount edges { node { type occurredAt amount } } }
  connections(first: 5) { totalCount edges { node { kind customer { name } } } }
} } } }"""


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


async def measure(schema: Any, graph: Any, config: Any, query: str, variables: list[dict[str, Any]]) -> dict[str, float]:
    times: list[float] = []
    trips: list[int] = []
    for v in variables:
        g = graph.counting()
        t0 = time.perf_counter()
        result = await schema.execute(query, variable_values=v, context_value=Context.build(g, config))
        times.append((time.perf_counter() - t0) * 1000)
        assert not result.errors, result.errors
        trips.append(g.stats.count)
    return {"p50_ms": statistics.median(times), "p99_ms": pct(times, 0.99), "mean_trips": statistics.mean(trips),
            "max_trips": max(trips), "n": len(times)}


async def main(data_dir: Path, requests: int) -> None:
    settings = Settings().model_copy(update={"data_dir": data_dir, "neo4j_uri": None})
    conn = await connect(settings.target())
    try:
        graph = conn.graph
        schema, config = build_schema(settings), api_config(settings)
        rows = await graph.read_text("bench/ids", "MATCH (c:Customer) RETURN c.id AS id ORDER BY id", {})
        ids = [r["id"] for r in rows]
        print(f"{len(ids)} customers")
        t0 = time.perf_counter()
        await config.rfm_cache.get(graph, __import__("datetime").datetime.now(__import__("datetime").UTC))
        print(f"RFM population breakpoints (cold, one query): {(time.perf_counter() - t0) * 1000:.1f} ms")
        step = max(1, len(ids) // requests)
        sample = [{"id": ids[(i * step) % len(ids)]} for i in range(requests)]
        await measure(schema, graph, config, PORTRAIT, sample[:20])  # warm-up
        print("portrait:", await measure(schema, graph, config, PORTRAIT, sample))
        cursors: list[dict[str, Any]] = [{"after": None}]
        for _ in range(min(requests, len(ids) // 20) - 1):
            g = graph.counting()
            res = await schema.execute(NESTED, variable_values=cursors[-1], context_value=Context.build(g, config))
            cursors.append({"after": res.data["customers"]["pageInfo"]["endCursor"]})  # type: ignore[index]
        print("20-customer nested list:", await measure(schema, graph, config, NESTED, cursors))
    finally:
        await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(main(args.data_dir, args.requests))
