"""Batch-style benchmarks run in-process through the graph layer: rule-tag refresh and mined tags.

Each is measured only when its area exists in this checkout; otherwise the JSON says why not.
"""

from __future__ import annotations

import importlib.util
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.stats import summary
from graph.connection import Target, connect

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


def available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


async def run_jobs(run: Any, uri: str, password: str) -> dict[str, Any]:
    """Run the selected job benchmarks against the server at uri; return their results."""
    conn = await connect(Target(uri, "root", password, "crm", Path("."), query_timeout=900))
    out: dict[str, Any] = {}
    try:
        if run.wants("tag_refresh"):
            run.console.print("rule-tag refresh of the starter catalogue")
            out["tag_refresh"] = await tag_refresh(conn.graph, max(1, min(run.args.repeat, 3)))
        if run.wants("mined_tags"):
            run.console.print("mined tag: train a churn predictor, then score it by refresh")
            try:
                out["mined_tags"] = await mined_tags(conn.graph)
            except Exception as exc:  # a failing job must not cost the rest of the run
                out["mined_tags"] = {"skipped": f"failed: {type(exc).__name__}: {exc}"[:300]}
    finally:
        await conn.close()
    return out


async def tag_refresh(graph: Any, repeat: int) -> dict[str, Any]:
    """Install the starter catalogue when missing, then time full refreshes (the first one does the most work)."""
    if not available("graph.tag_refresh"):
        return {"skipped": "the tag engine (graph/tag_refresh.py) is not in this checkout"}
    from graph.tag_catalogue import install_catalogue
    from graph.tag_refresh import refresh_tags

    installed = await install_catalogue(graph, by="bench")
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        report = await refresh_tags(graph, as_of=AS_OF, by="bench")
        seconds = time.perf_counter() - started
        if report.status != "DONE":
            raise RuntimeError(f"tag refresh {report.run_id} failed: {report.error}")
        runs.append({
            "seconds": round(seconds, 2), "tags": len(report.tags),
            "added": sum(t.added for t in report.tags), "removed": sum(t.removed + t.expired for t in report.tags),
            "unchanged": sum(t.unchanged for t in report.tags),
            "slowest": sorted(({"key": t.key, "seconds": round(t.seconds, 2)} for t in report.tags),
                              key=lambda x: -x["seconds"])[:5],
        })
    return {
        "catalogue_created": installed.created, "runs": runs,
        "first_run_s": runs[0]["seconds"], "summary": summary([r["seconds"] for r in runs]),
        "db_queries": "one transaction; queries per tag listed in the tag engine's run log",
    }


async def mined_tags(graph: Any) -> dict[str, Any]:
    """Time training of a predictive (churn) tag and its scoring by a refresh of that tag."""
    if not available("graph.mining.predictive"):
        return {"skipped": "mined tags (graph/mining/) are not in this checkout"}
    from graph.mining.churn import CHURN_LABEL, ensure_churn_label
    from graph.mining.predictive import train_predictive_tag
    from graph.tag_refresh import refresh_tags

    started = time.perf_counter()
    await ensure_churn_label(graph, as_of=AS_OF, by="bench")
    label_s = time.perf_counter() - started
    started = time.perf_counter()
    report = await train_predictive_tag(graph, "bench_churn_risk", CHURN_LABEL, as_of=AS_OF, by="bench")
    train_s = time.perf_counter() - started
    started = time.perf_counter()
    scored = await refresh_tags(graph, tag="bench_churn_risk", as_of=AS_OF, by="bench")
    score_s = time.perf_counter() - started
    return {
        "label_refresh_s": round(label_s, 1), "train_s": round(train_s, 1), "score_refresh_s": round(score_s, 1),
        "scored_status": scored.status, "assigned": sum(t.added + t.unchanged for t in scored.tags),
        "train_report": str(report)[:400],
    }

