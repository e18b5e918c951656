"""Median and p99 of timings, and a timer that repeats an async call."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summary(seconds: list[float]) -> dict[str, Any]:
    """Return n, median, p99, min and max in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 3) if ms else None,
        "p99_ms": round(percentile(ms, 99), 3) if ms else None,
        "min_ms": round(min(ms), 3) if ms else None,
        "max_ms": round(max(ms), 3) if ms else None,
    }


async def timed(fn: Callable[[int], Awaitable[Any]], repeat: int, warmup: int = 3) -> list[float]:
    """Call fn(i) warmup times untimed, then repeat times; return each call's seconds."""
    for i in range(warmup):
        await fn(i)
    out: list[float] = []
    for i in range(repeat):
        started = time.perf_counter()
        await fn(i)
        out.append(time.perf_counter() - started)
    return out
