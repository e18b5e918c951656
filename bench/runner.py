"""One benchmark run: prepare the data, start the servers, measure every side, write JSON, print tables."""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import platform
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import psutil
from rich.console import Console

from bench import cases as c
from bench import jobs
from bench.data import DATA_ROOT, heap_for, import_table, prepare, scale_customers
from bench.inprocess import execute_counted
from bench.load import run_load
from bench.report import print_tables
from bench.servers import (
    Process,
    dir_size_mb,
    peer_transactions,
    process_tree_rss,
    start_custgraph,
    start_peer,
)
from bench.stats import summary
from graph import embedded

RESULTS = Path(__file__).resolve().parent / "results"
CASE_NAMES = ["customer_detail", "nested_list", "portrait", "connection_walk", "relationship_path", "network_2hop"]
SEGMENT_NAMES = ["segment_count", "segment_page", "segment_overlap"]
JOB_NAMES = ["tag_refresh", "mined_tags"]
OTHER_NAMES = ["import", "load", "workers", "memory"]
ALL_NAMES = CASE_NAMES + SEGMENT_NAMES + JOB_NAMES + OTHER_NAMES


@dataclass
class Run:
    args: argparse.Namespace
    console: Console
    out: dict[str, Any] = field(default_factory=dict)

    def wants(self, name: str) -> bool:
        return not self.args.only or name in self.args.only


def machine() -> dict[str, Any]:
    """Return what the numbers were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": psutil.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": cpu, "python": platform.python_version(), "load_avg_at_start": [round(x, 2) for x in psutil.getloadavg()],
    }


class RssSampler:
    """Samples the RSS of some process trees every half second in a thread; keeps the peaks."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = {k: pid for k, pid in pids.items() if pid}
        self.peak = {k: 0.0 for k in self.pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            for k, pid in self.pids.items():
                self.peak[k] = max(self.peak[k], process_tree_rss(pid))
            self._stop.wait(0.5)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def round_trips_custgraph(graph: Any, documents: list[tuple[str, dict[str, Any]]]) -> tuple[int, dict[str, int]]:
    """Return the database queries custgraph makes for these documents, counted by Graph.counting()."""
    names: dict[str, int] = {}
    for document, variables in documents:
        for name in (await execute_counted(graph, document, variables))[1]:
            names[name] = names.get(name, 0) + 1
    return sum(names.values()), names


def customer_has_tags() -> bool:
    """Return whether the GraphQL Customer type has a `tags` field (the tag engine adds it)."""
    from schema.app import build_schema

    return "tags" in build_schema()._schema.type_map["Customer"].fields  # type: ignore[attr-defined]


async def measure_cases(run: Run, cg: Process | None, peer: Process | None, driver: neo4j.AsyncDriver,
                        database: str) -> dict[str, Any]:
    """Time every query case on custgraph, the peer and the floor, interleaved per repetition."""
    from graph.db import Graph

    samples = await c.draw_samples(driver, database)
    cg_client = c.GraphQLClient(cg.url) if cg else None
    peer_client = c.GraphQLClient(peer.url) if peer else None
    floor = c.Floor(driver, database)
    graph = Graph(driver, database, 120.0)
    has_tags = customer_has_tags()
    results: dict[str, Any] = {"samples": {"customers": len(samples.customers), "pairs": len(samples.pairs),
                                           "first": samples.customers[0]},
                               "customer_tags_field": has_tags}
    try:
        all_cases = c.build_cases(samples, cg_client, peer_client, floor, has_tags)
        if any(run.wants(n) for n in SEGMENT_NAMES):
            if importlib.util.find_spec("graph.segment_members") is None:
                results["segments"] = {"skipped": "segments are not in this checkout"}
            else:
                all_cases += await c.segment_cases(cg_client, floor, graph)
        for case in all_cases:
            if not run.wants(case.name):
                continue
            run.console.print(f"  {case.name}: {case.title}")
            sides = {"custgraph": case.custgraph, "peer": case.peer, "floor": case.floor}
            sides = {k: v for k, v in sides.items() if v is not None}
            for fn in sides.values():  # warm-up: JIT, caches, connections
                for i in range(3):
                    await fn(i)
            times: dict[str, list[float]] = {k: [] for k in sides}
            repeat = min(run.args.repeat, case.repeat_cap or run.args.repeat)
            for i in range(repeat):
                for side, fn in sides.items():
                    started = time.perf_counter()
                    await fn(i)
                    times[side].append(time.perf_counter() - started)
            entry: dict[str, Any] = {"title": case.title, "floor_kind": case.floor_kind}
            for side, t in times.items():
                entry[side] = summary(t)
            if "custgraph" in sides:
                count, names = await round_trips_custgraph(graph, case.documents)
                entry["custgraph"]["db_queries"], entry["custgraph"]["db_query_names"] = count, names
            if peer and case.peer and case.peer_documents:
                before = peer_transactions(peer)
                for document, variables in case.peer_documents:
                    await peer_client(document, variables)  # type: ignore[misc]
                entry["peer"]["db_queries"] = peer_transactions(peer) - before
            if "floor" in entry:
                entry["floor"]["db_queries"] = {"portrait": 2, "network_2hop": 2, "nested_list": 2}.get(case.name, 1)
            if case.name == "connection_walk":
                for side in ("custgraph", "peer"):  # counted for one page; the walk is WALK_PAGES pages
                    if side in entry and "db_queries" in entry[side]:
                        entry[side]["db_queries_per_walk"] = entry[side]["db_queries"] * c.WALK_PAGES
                entry["floor"]["db_queries"] = 2 * c.WALK_PAGES  # the id bound and the page, per page
            cgm, fm = entry.get("custgraph", {}).get("median_ms"), entry.get("floor", {}).get("median_ms")
            if cgm and fm:
                entry["custgraph_over_floor_p50"] = round(cgm / fm, 2)
            pm = entry.get("peer", {}).get("median_ms")
            if cgm and pm:
                entry["custgraph_over_peer_p50"] = round(cgm / pm, 2)
            results[case.name] = entry
    finally:
        for client in (cg_client, peer_client):
            if client:
                await client.close()
    return results


def load_documents(sample_id: str) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Return, per load query, the custgraph document, the peer document and their variables."""
    tags = "tags { key name category }" if customer_has_tags() else ""
    return {
        "customer_detail": (c.DETAIL.replace("%TAGS%", tags), c.PEER_DETAIL, {"id": sample_id}),
        "nested_list": (c.NESTED_LIST.replace("%TAGS%", tags), c.PEER_NESTED_LIST, {}),
    }


def measure_load(run: Run, cg: Process | None, peer: Process | None, sample_id: str) -> dict[str, Any]:
    """Throughput and p99 of customer_detail and nested_list at each client count, custgraph and peer."""
    levels = [int(x) for x in run.args.clients.split(",")]
    out: dict[str, Any] = {"seconds_per_level": run.args.duration, "queries": {}}
    for name, (document, peer_document, variables) in load_documents(sample_id).items():
        out["queries"][name] = measure_load_one(run, cg, peer, document, peer_document, variables, levels, name)
    return out


def measure_load_one(run: Run, cg: Process | None, peer: Process | None, document: str, peer_document: str,
                     variables: dict[str, Any], levels: list[int], name: str) -> list[dict[str, Any]]:
    rows = []
    for clients in levels:
        row: dict[str, Any] = {"clients": clients}
        if cg:
            row["custgraph"] = run_load(cg.url, document, variables, clients, run.args.duration)
        if peer:
            row["peer"] = run_load(peer.url, peer_document, variables, clients, run.args.duration)
        if cg and peer and row["peer"]["throughput_rps"]:
            row["custgraph_over_peer_throughput"] = round(
                row["custgraph"]["throughput_rps"] / row["peer"]["throughput_rps"], 2)
        run.console.print(f"    {name}, {clients} clients: " + ", ".join(
            f"{k} {v['throughput_rps']} req/s p99 {v['p99_ms']} ms" for k, v in row.items() if isinstance(v, dict)))
        rows.append(row)
    return rows


def measure_workers(run: Run, db_dir: Path, logs: Path, sample_id: str) -> dict[str, Any]:
    """Throughput of customer_detail and nested_list at the most clients with each uvicorn worker count
    in --workers, in that order (`--workers 1,2,1,2` alternates, so load changes hit both alike)."""
    documents = load_documents(sample_id)
    clients = max(int(x) for x in run.args.clients.split(","))
    rows = []
    for workers in [int(x) for x in run.args.workers.split(",")]:
        proc = start_custgraph(db_dir, logs, workers)
        try:
            for name in ("customer_detail", "nested_list"):
                document, _, variables = documents[name]
                run_load(proc.url, document, variables, clients, 2)  # warm every worker
                result = run_load(proc.url, document, variables, clients, run.args.duration)
                result.update({"workers": workers, "query": name, "rss_mb": proc.rss_mb()})
                run.console.print(f"    {workers} worker(s), {name}: {result['throughput_rps']} req/s "
                                  f"p99 {result['p99_ms']} ms")
                rows.append(result)
        finally:
            proc.stop()
    return {"queries": ["customer_detail", "nested_list"], "clients": clients, "rows": rows}


def run_all(args: argparse.Namespace, console: Console) -> int:
    """Run the benchmarks selected by args; write bench/results/<scale>-<time>.json; return 0."""
    if args.list:
        console.print("\n".join(ALL_NAMES))
        return 0
    unknown = set(args.only or []) - set(ALL_NAMES)
    if unknown:
        console.print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; see --list")
        return 2
    run = Run(args, console)
    customers = scale_customers(args.scale)
    started = datetime.now(UTC)
    run.out = {"scale": args.scale, "customers": customers, "started_at": started.isoformat(), "machine": machine(),
               "args": {k: v for k, v in vars(args).items() if k != "command"}}
    console.rule(f"custgraph benchmarks at {args.scale} ({customers} customers)")
    info = asyncio.run(prepare(args.scale, force=args.reimport, console=console))
    run.out["data"] = {k: info[k] for k in ("customers", "seed", "as_of", "files", "import_seconds", "heap")}
    if run.wants("import"):
        run.out["import"] = import_table(info["importer"], info["raw"])
    db_dir = DATA_ROOT / args.scale.lower() / "db"
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    server, started_db = embedded.start(db_dir, "crm", heap_for(customers))
    password = embedded.root_password(db_dir.resolve())
    cg = peer = None
    try:
        if any(run.wants(n) for n in JOB_NAMES):
            run.out["jobs"] = asyncio.run(jobs.run_jobs(run, server.uri, password))
        needs_servers = any(run.wants(n) for n in CASE_NAMES + SEGMENT_NAMES + ["load", "memory"])

        def sample_id() -> str:
            return str((run.out.get("queries") or {}).get("samples", {}).get("first") or "c-000001")

        if needs_servers:
            cg = start_custgraph(db_dir, logs)
            if not args.no_peer:
                peer = start_peer(server, password, logs)
        with RssSampler({"custgraph": cg.popen.pid if cg else 0, "peer": peer.popen.pid if peer else 0,
                         "database": server.pid}) as rss:
            if any(run.wants(n) for n in CASE_NAMES + SEGMENT_NAMES):
                console.print("query latency (sequential, one client each; sides interleaved per repetition)")

                async def go() -> dict[str, Any]:
                    driver = neo4j.AsyncGraphDatabase.driver(server.uri, auth=("root", password))
                    try:
                        return await measure_cases(run, cg, peer, driver, server.database)
                    finally:
                        await driver.close()

                run.out["queries"] = asyncio.run(go())
            if run.wants("load") and cg:
                console.print("concurrent load")
                run.out["load"] = measure_load(run, cg, peer, sample_id())
        if run.wants("memory"):
            run.out["memory"] = {
                "rss_mb_now": {"custgraph": cg.rss_mb() if cg else None, "peer": peer.rss_mb() if peer else None,
                               "database": process_tree_rss(server.pid)},
                "rss_mb_peak": rss.peak,
                "database_heap": heap_for(customers),
                "database_on_disk_mb": dir_size_mb(db_dir / "arcadedb"),
                "csv_mb": dir_size_mb(DATA_ROOT / args.scale.lower() / "csv"),
            }
        for proc in (cg, peer):
            if proc:
                proc.stop()
        cg = peer = None
        if run.wants("workers") and len(args.workers.split(",")) > 1:
            console.print("uvicorn workers (nested list)")
            run.out["workers"] = measure_workers(run, db_dir, logs, sample_id())
    finally:
        for proc in (cg, peer):
            if proc:
                proc.stop()
        if started_db:
            embedded.stop(db_dir)
    run.out["finished_at"] = datetime.now(UTC).isoformat()
    run.out["machine"]["load_avg_at_end"] = [round(x, 2) for x in psutil.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{args.scale.lower()}-{started:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(run.out, indent=2, default=str), encoding="utf-8")
    print_tables(run.out, console)
    console.print(f"written {path}")
    return 0
