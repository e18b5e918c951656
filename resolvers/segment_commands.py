"""Printing glue for the segment and analyst-Cypher commands; main.py wires these into argparse.

    python main.py segments snapshot [--key K] [--count-only]
    python main.py segments export KEY --format csv|jsonl --columns a,b --out F [--include-non-consenting]
    python main.py segments bench [--key K | --rule JSON] [--runs N]
    python main.py cypher run NAME --param k=v ... [--csv F]
    python main.py cypher query "MATCH ..." --param k=v ... [--csv F]

Each function takes the Graph and a rich Console and returns the process exit code:
0 on success, 2 when the input was refused (the message says why). Exports and Cypher runs are
audited like their GraphQL counterparts, the actor being `cli:<os user>`.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from graph import audit
from graph.analyst_cypher import CypherResult, run_read_only
from graph.auth import Principal, cli_principal
from graph.db import Graph
from graph.errors import DomainError
from graph.exports import export_members
from graph.segment_members import audience, count_members, member_page
from graph.segment_queries import coerce, run_saved_query
from graph.segment_snapshots import snapshot_all
from graph.segments import adhoc_segment, require_segment

BAD_INPUT = 2


def parse_param_args(items: list[str] | None) -> dict[str, str]:
    """Return {k: v} from `k=v` arguments; raise ValueError naming a malformed one."""
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param {item!r} is not of the form name=value")
        out[key.strip()] = value
    return out


async def _guarded(console: Console, work: Callable[[], Awaitable[int]]) -> int:
    try:
        return await work()
    except DomainError as exc:
        console.print(f"[red]{exc.code}[/red]: {exc.message}", highlight=False)
        return BAD_INPUT
    except ValueError as exc:
        console.print(f"[red]BAD_USER_INPUT[/red]: {exc}", highlight=False)
        return BAD_INPUT


def cli_actor() -> Principal:
    """Return who runs this command: the OS user, as an admin at the server's command line."""
    return cli_principal(getpass.getuser())


async def _audited(graph: Graph, action: str, targets: list[str], run: Callable[[], Awaitable[int]]) -> int:
    """Run one operation and write its audit entry (rows, outcome; never params or values); return its rows."""
    try:
        rows = await run()
    except Exception as exc:
        outcome = "error:BAD_USER_INPUT" if isinstance(exc, ValueError) else audit.outcome_of(exc)
        await audit.record(graph, cli_actor(), action, targets, rows=0, outcome=outcome)
        raise
    await audit.record(graph, cli_actor(), action, targets, rows=rows)
    return rows


async def segments_snapshot(graph: Graph, *, key: str | None = None, with_members: bool = True,
                            console: Console | None = None) -> int:
    """Snapshot one segment (or every ACTIVE one plus tag coverage) and print a table of counts."""
    out = console or Console()

    async def work() -> int:
        snaps = await snapshot_all(graph, key=key, with_members=with_members)
        table = Table("segment", "members", "snapshot", "at", title="Segment snapshots")
        for s in snaps:
            table.add_row(s.segment_key, str(s.count), s.id, s.at.isoformat())
        out.print(table)
        return 0

    return await _guarded(out, work)


async def segments_export(graph: Graph, key: str, out_path: Path, *, fmt: str = "csv",
                          columns: list[str] | None = None, include_non_consenting: bool = False,
                          console: Console | None = None) -> int:
    """Export a segment's members to out_path and print how many rows were written and left out."""
    out = console or Console()

    async def export() -> int:
        seg = await require_segment(graph, key)
        result = await export_members(graph, seg, out_path, fmt=fmt, columns=columns, principal=cli_actor(),
                                      include_non_consenting=include_non_consenting)
        out.print(f"wrote {result.rows} rows ({', '.join(result.columns)}) to {result.path}", highlight=False)
        if result.excluded_without_consent:
            out.print(f"left out {result.excluded_without_consent} customers without marketing consent", highlight=False)
        return result.rows

    async def work() -> int:
        await _audited(graph, "export.segment", [key], export)
        return 0

    return await _guarded(out, work)


DEMO_RULE = {"all": [
    {"attribute": "city", "in": ["上海", "深圳", "武汉", "苏州"]},
    {"interactions": {"type": "purchase", "within": "P365D", "count": {"gte": 2}}},
    {"employment": {"current": True, "company": {"attribute": "employees", "gte": 100}}},
]}


async def segments_bench(graph: Graph, *, key: str | None = None, rule: dict[str, Any] | None = None, runs: int = 15,
                         console: Console | None = None) -> int:
    """Time count and first page (50) of a segment or rule (default: a 3-condition demo rule); print p50/min/max."""
    out = console or Console()

    async def work() -> int:
        seg = await require_segment(graph, key) if key else adhoc_segment(rule or DEMO_RULE)
        timings: dict[str, list[float]] = {"count": [], "first page (50)": []}
        size = 0
        for _ in range(runs):
            start = time.perf_counter()
            size = await count_members(graph, await audience(graph, seg))
            timings["count"].append(time.perf_counter() - start)
            start = time.perf_counter()
            await member_page(graph, await audience(graph, seg), 50)
            timings["first page (50)"].append(time.perf_counter() - start)
        table = Table("measure", "p50 ms", "min ms", "max ms", title=f"{seg.label}: {size} members, {runs} runs")
        for name, xs in timings.items():
            table.add_row(name, f"{statistics.median(xs) * 1000:.0f}", f"{min(xs) * 1000:.0f}", f"{max(xs) * 1000:.0f}")
        out.print(table)
        return 0

    return await _guarded(out, work)


def print_result(result: CypherResult, console: Console, csv_out: Path | None = None, title: str | None = None) -> None:
    """Print rows as a rich table, or write them to a CSV file; say when the row cap cut them."""
    if csv_out is not None:
        csv_out.parent.mkdir(parents=True, exist_ok=True)
        with csv_out.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=result.columns)
            writer.writeheader()
            for row in result.rows:
                writer.writerow({k: _text(v) for k, v in row.items()})
        console.print(f"wrote {len(result.rows)} rows to {csv_out}", highlight=False)
    else:
        table = Table(*result.columns, title=title)
        for row in result.rows:
            table.add_row(*(_text(row[c]) for c in result.columns))
        console.print(table)
    if result.truncated:
        console.print(f"[yellow]truncated[/yellow]: only the first {result.row_cap} rows are shown", highlight=False)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


async def cypher_run(graph: Graph, name: str, params: list[str] | None = None, *, csv_out: Path | None = None,
                     row_cap: int = 1000, timeout: float = 10.0, console: Console | None = None) -> int:
    """Run a saved segment query (cypher/segments/NAME.cypher) with `k=v` params; print or write CSV."""
    out = console or Console()

    async def run() -> int:
        result = await run_saved_query(graph, name, parse_param_args(params), row_cap=row_cap, timeout=timeout)
        print_result(result, out, csv_out, title=name)
        return len(result.rows)

    async def work() -> int:
        await _audited(graph, "cypher.runSegmentQuery", [name], run)
        return 0

    return await _guarded(out, work)


async def cypher_query(graph: Graph, text: str, params: list[str] | None = None, *, csv_out: Path | None = None,
                       row_cap: int = 1000, timeout: float = 10.0, console: Console | None = None) -> int:
    """Run ad-hoc read-only Cypher (guarded, capped, timed); `k=v` values are JSON when they parse."""
    out = console or Console()

    async def run() -> int:
        values = {k: coerce(k, "any", v) for k, v in parse_param_args(params).items()}
        result = await run_read_only(graph, text, values, row_cap=row_cap, timeout=timeout, tag="analyst/cli")
        print_result(result, out, csv_out)
        return len(result.rows)

    async def work() -> int:
        await _audited(graph, "cypher.runCypher", [], run)  # never the text: it may hold personal values
        return 0

    return await _guarded(out, work)


def add_commands(sub: Any) -> None:
    """Add the `segments` and `cypher` subcommands to main.py's subparsers (optional helper for the lead)."""
    seg = sub.add_parser("segments", help="segment snapshots and exports")
    seg_sub = seg.add_subparsers(dest="segments_command", required=True)
    snap = seg_sub.add_parser("snapshot", help="store member counts (and members) of segments")
    snap.add_argument("--key", help="only this segment (default: every ACTIVE segment, plus tag coverage)")
    snap.add_argument("--count-only", action="store_true", help="store counts without member ids")
    exp = seg_sub.add_parser("export", help="export a segment's members to CSV or JSON Lines")
    exp.add_argument("key")
    exp.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    exp.add_argument("--columns", help="comma-separated customer fields/attributes (default id,name,email,phone,city)")
    exp.add_argument("--out", type=Path, required=True)
    exp.add_argument("--include-non-consenting", action="store_true")
    bench = seg_sub.add_parser("bench", help="time count and first page of a segment (default: a 3-condition rule)")
    bench.add_argument("--key", help="a segment key (default: the demo rule)")
    bench.add_argument("--rule", type=json.loads, help="a rule as JSON instead")
    bench.add_argument("--runs", type=int, default=15)
    cy = sub.add_parser("cypher", help="analysts' read-only Cypher")
    cy_sub = cy.add_subparsers(dest="cypher_command", required=True)
    run = cy_sub.add_parser("run", help="run a saved query from cypher/segments/")
    run.add_argument("name")
    qry = cy_sub.add_parser("query", help="run ad-hoc read-only Cypher")
    qry.add_argument("text")
    for p in (run, qry):
        p.add_argument("--param", action="append", default=[], metavar="K=V")
        p.add_argument("--csv", type=Path, help="write rows to this CSV file instead of printing")
        p.add_argument("--row-cap", type=int, default=1000)
        p.add_argument("--timeout", type=float, default=10.0)


async def dispatch(graph: Graph, args: argparse.Namespace, console: Console | None = None) -> int:
    """Run the command add_commands parsed (args.command is 'segments' or 'cypher')."""
    if args.command == "segments" and args.segments_command == "snapshot":
        return await segments_snapshot(graph, key=args.key, with_members=not args.count_only, console=console)
    if args.command == "segments" and args.segments_command == "bench":
        return await segments_bench(graph, key=args.key, rule=args.rule, runs=args.runs, console=console)
    if args.command == "segments":
        cols = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
        return await segments_export(graph, args.key, args.out, fmt=args.format, columns=cols,
                                     include_non_consenting=args.include_non_consenting, console=console)
    if args.cypher_command == "run":
        return await cypher_run(graph, args.name, args.param, csv_out=args.csv, row_cap=args.row_cap,
                                timeout=args.timeout, console=console)
    return await cypher_query(graph, args.text, args.param, csv_out=args.csv, row_cap=args.row_cap,
                              timeout=args.timeout, console=console)
