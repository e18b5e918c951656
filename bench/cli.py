"""The benchmark command line: `python -m bench run|prepare|import-rates|inprocess --scale 10k|100k|1m`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from bench.data import (
    DATA_ROOT,
    SCALES,
    heap_for,
    prepare,
    remeasure_import,
    scale_customers,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="custgraph benchmarks and peer comparison")
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="generate and import the data for a scale (and measure import)")
    prep.add_argument("--scale", required=True, choices=sorted(SCALES))
    prep.add_argument("--force", action="store_true", help="re-import even when the data is there")
    prep.add_argument("--no-raw", action="store_true", help="skip the raw UNWIND floor (halves the time)")
    rates = sub.add_parser("import-rates", help="re-measure import (importer vs raw UNWIND) on scratch servers")
    rates.add_argument("--scale", required=True, choices=sorted(SCALES))
    rates.add_argument("--batch-size", type=int, default=None,
                       help="rows per batch for both sides (default 5000; smaller gives small files several batches)")
    rates.add_argument("--rounds", type=int, default=1,
                       help="measure this many times on fresh servers and report each file's median ratio")
    inproc = sub.add_parser("inprocess", help="GraphQL latency and round trips in-process (schema.execute, no HTTP)")
    where = inproc.add_mutually_exclusive_group(required=True)
    where.add_argument("--scale", choices=sorted(SCALES), help="the prepared data of a scale")
    where.add_argument("--data-dir", type=Path, help="any data directory, e.g. one made by `main.py demo`")
    inproc.add_argument("--requests", type=int, default=300, help="requests per document")
    run = sub.add_parser("run", help="prepare the data when needed, then run the benchmarks")
    run.add_argument("--scale", required=True, choices=sorted(SCALES))
    run.add_argument("--only", nargs="+", metavar="NAME", help="run only these benchmarks (see --list)")
    run.add_argument("--repeat", type=int, default=50, help="timed repetitions per latency benchmark")
    run.add_argument("--clients", default="8,16,32", help="concurrent clients for the load benchmark")
    run.add_argument("--duration", type=float, default=10.0, help="seconds per load level")
    run.add_argument("--workers", default="1", help="uvicorn worker counts for the load benchmark, e.g. 1,2")
    run.add_argument("--no-peer", action="store_true", help="skip @neo4j/graphql")
    run.add_argument("--reimport", action="store_true", help="re-import and re-measure import rates")
    run.add_argument("--list", action="store_true", help="list benchmark names and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("bench").setLevel(logging.INFO)
    console = Console()
    if args.command == "prepare":
        asyncio.run(prepare(args.scale, force=args.force, raw=not args.no_raw, console=console))
        return 0
    if args.command == "import-rates":
        asyncio.run(remeasure_import(args.scale, console=console, batch_size=args.batch_size, rounds=args.rounds))
        return 0
    if args.command == "inprocess":
        from bench.inprocess import run_inprocess

        data_dir = args.data_dir or DATA_ROOT / args.scale / "db"
        heap = heap_for(scale_customers(args.scale)) if args.scale else "2g"
        console.print_json(json.dumps(asyncio.run(run_inprocess(data_dir.resolve(), args.requests, heap))))
        return 0
    from bench.runner import run_all

    return run_all(args, console)
