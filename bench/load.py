"""Concurrent load on loopback: N keep-alive clients POST one GraphQL document for a fixed time.

wrk (Debian package `wrk`) drives the load when installed: it is C and costs the 2-core machine
little CPU, which matters because the client shares the cores with the service and the database.
Without it an asyncio httpx pool does the same (more client CPU; the JSON says which was used).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.stats import percentile

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_post.lua"


def run_load(url: str, document: str, variables: dict[str, Any], clients: int, seconds: float) -> dict[str, Any]:
    """Return throughput (requests/s), p50/p99 latency (ms) and error count for this load."""
    body = json.dumps({"query": document, "variables": variables})
    if shutil.which("wrk"):
        return _wrk(url, body, clients, seconds)
    return asyncio.run(_httpx_pool(url, body, clients, seconds))


def _wrk(url: str, body: str, clients: int, seconds: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(body)
        body_path = f.name
    try:
        env = {**os.environ, "WRK_BODY_FILE": body_path}
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds:.0f}s", "--timeout", "30s", "-s", str(WRK_SCRIPT), url],
            env=env, capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(body_path)
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    data = json.loads(line[5:])
    return {
        "client": "wrk",
        "clients": clients,
        "seconds": round(data["duration_us"] / 1e6, 2),
        "requests": data["requests"],
        "throughput_rps": round(data["requests"] / (data["duration_us"] / 1e6), 1),
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "errors": data["errors"],
    }


async def _httpx_pool(url: str, body: str, clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    headers = {"content-type": "application/json"}
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=clients)) as http:
        deadline = time.perf_counter() + seconds

        async def client() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    r = await http.post(url, content=body, headers=headers)
                    if r.status_code != 200 or b'"errors"' in r.content:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    ms = [x * 1000 for x in latencies]
    return {
        "client": "httpx",
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(ms),
        "throughput_rps": round(len(ms) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "errors": errors,
    }
