"""Rich tables of one run's JSON (also used to re-print a saved result: `python -m bench show FILE`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def _ms(side: dict[str, Any] | None, key: str) -> str:
    if not side or side.get(key) is None:
        return "—"
    return f"{side[key]:.1f}"


def print_tables(out: dict[str, Any], console: Console) -> None:
    m = out.get("machine", {})
    console.print(f"[bold]{out['scale']}[/] ({out['customers']} customers) on {m.get('nproc')} cores, "
                  f"{m.get('memory_gib')} GiB, {m.get('cpu')}; load avg at start {m.get('load_avg_at_start')}")
    if "import" in out:
        t = Table(title="Import: importer vs raw UNWIND on the same server (rows/s)")
        for col in ("file", "rows", "importer", "raw UNWIND", "ratio"):
            t.add_column(col, justify="right" if col != "file" else "left")
        for r in out["import"]:
            t.add_row(r["file"], str(r["rows"]), f"{r['importer_rows_per_s']:,.0f}",
                      f"{r['raw_rows_per_s']:,.0f}" if r["raw_rows_per_s"] else "—",
                      f"{r['ratio']:.2f}" if r["ratio"] else "—")
        console.print(t)
    q = out.get("queries")
    if q:
        t = Table(title="Query latency, ms (median / p99), one client; db queries per request")
        for col in ("benchmark", "custgraph", "floor", "@neo4j/graphql", "cg/floor p50", "cg/peer p50",
                    "db q: cg / peer / floor"):
            t.add_column(col, justify="left" if col == "benchmark" else "right")
        for name, e in q.items():
            if not isinstance(e, dict) or "title" not in e:
                continue
            cg, fl, pe = e.get("custgraph"), e.get("floor"), e.get("peer")
            t.add_row(
                f"{name}\n[dim]{e['title']}[/]",
                f"{_ms(cg, 'median_ms')} / {_ms(cg, 'p99_ms')}",
                f"{_ms(fl, 'median_ms')} / {_ms(fl, 'p99_ms')}",
                f"{_ms(pe, 'median_ms')} / {_ms(pe, 'p99_ms')}" if pe else "n/a",
                str(e.get("custgraph_over_floor_p50", "—")),
                str(e.get("custgraph_over_peer_p50", "—")),
                " / ".join(str((s or {}).get("db_queries", "—")) for s in (cg, pe, fl)),
            )
        console.print(t)
    load = out.get("load")
    for qname, levels in (load or {}).get("queries", {}).items():
        t = Table(title=f"Concurrent load: {qname}, {load['seconds_per_level']} s per level")
        for col in ("clients", "custgraph req/s", "custgraph p99", "peer req/s", "peer p99", "cg/peer throughput"):
            t.add_column(col, justify="right")
        for r in levels:
            cg, pe = r.get("custgraph", {}), r.get("peer", {})
            t.add_row(str(r["clients"]), str(cg.get("throughput_rps", "—")), str(cg.get("p99_ms", "—")),
                      str(pe.get("throughput_rps", "—")), str(pe.get("p99_ms", "—")),
                      str(r.get("custgraph_over_peer_throughput", "—")))
        console.print(t)
    workers = out.get("workers")
    if workers:
        t = Table(title=f"uvicorn workers at {workers['clients']} clients")
        for col in ("query", "workers", "req/s", "p50 ms", "p99 ms", "RSS MiB"):
            t.add_column(col, justify="right")
        for r in workers["rows"]:
            t.add_row(r.get("query", "customer_detail"), str(r["workers"]), str(r["throughput_rps"]), str(r["p50_ms"]), str(r["p99_ms"]), str(r["rss_mb"]))
        console.print(t)
    jobs = out.get("jobs")
    if jobs:
        t = Table(title="Jobs")
        t.add_column("job")
        t.add_column("result")
        for name, j in jobs.items():
            if "skipped" in j:
                t.add_row(name, f"[dim]skipped: {j['skipped']}[/]")
            elif name == "tag_refresh":
                s = j["summary"]
                t.add_row(name, f"first {j['first_run_s']} s; median {s['median_ms'] / 1000:.2f} s, "
                                f"p99 {s['p99_ms'] / 1000:.2f} s over {s['n']} runs; {j['runs'][0]['tags']} tags, "
                                f"{j['runs'][0]['added']} assignments added first")
            else:
                t.add_row(name, str({k: v for k, v in j.items() if k != "runs"})[:300])
        console.print(t)
    mem = out.get("memory")
    if mem:
        console.print(f"RSS now {mem['rss_mb_now']} MiB, peak {mem['rss_mb_peak']} MiB; database heap "
                      f"{mem['database_heap']}; on disk {mem['database_on_disk_mb']} MiB (CSV {mem['csv_mb']} MiB)")
