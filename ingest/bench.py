"""Import benchmark (not a test): the importer's rows/s against a raw UNWIND of the same rows.

    python -m ingest.bench --data-dir /tmp/bench100k --customers 100000

Writes the demo CSV files once (seed 7, as of 2026-11-01) under DATA_DIR/csv, imports them with
the importer into a fresh embedded server at DATA_DIR/importer, then writes the same validated
customer and interaction rows with the plainest UNWIND queries into a fresh server at
DATA_DIR/raw, timing only the database calls there. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import shutil
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from graph.connection import Target, connect
from graph.db import Graph
from ingest.csvfile import CsvReader, parse_header
from ingest.demo import write_demo
from ingest.importer import Importer, ImportOptions, infer_types
from ingest.specs import SPEC_BY_FILE
from ingest.values import parse_typed

AS_OF = date(2026, 11, 1)
log = logging.getLogger("ingest.bench")


def validated_rows(path: Path, file: str, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    """Yield batches of the parameter rows the importer would send for one file (no reference checks)."""
    spec = SPEC_BY_FILE[file]
    with CsvReader(path) as reader:
        header = parse_header(reader.header() or [], spec)
        types = {c.name: c.declared for c in header.custom if c.declared}
        types.update(infer_types(path, [c for c in header.custom if not c.declared]))
        batch: list[dict[str, Any]] = []
        for _, cells in reader.records():
            data = {c.name: t for c in header.builtin if (t := cells[c.index].strip())}
            model = spec.model.model_validate(data, context={"region": "CN"})
            custom = {c.name: parse_typed(t, types[c.name]) for c in header.custom if (t := cells[c.index].strip())}
            batch.append(model.to_row(custom))
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch


async def raw_rate(graph: Graph, name: str, path: Path, file: str, batch_size: int,
                   limit: int | None = None) -> dict[str, float]:
    rows, seconds = 0, 0.0
    for batch in validated_rows(path, file, batch_size):
        if limit is not None and rows >= limit:
            break
        started = time.perf_counter()
        await graph.write(name, rows=batch)
        seconds += time.perf_counter() - started
        rows += len(batch)
        log.info("raw %s: %d rows, %.0f rows/s", file, rows, rows / seconds)
    return {"rows": rows, "seconds": round(seconds, 1), "rows_per_s": round(rows / seconds, 1)}


async def bench(data_dir: Path, customers: int, batch_size: int, parts: tuple[str, ...],
                raw_limit: int | None = None) -> dict[str, Any]:
    csv_dir = data_dir / "csv"
    if not (csv_dir / "interactions.csv").exists():
        write_demo(csv_dir, customers, 7, AS_OF)
    out: dict[str, Any] = {"customers": customers, "batch_size": batch_size, "at": datetime.now(UTC).isoformat()}
    if "importer" in parts:
        out.update(await bench_importer(data_dir, csv_dir, batch_size))
    if "raw" in parts:
        out.update(await bench_raw(data_dir, csv_dir, batch_size, raw_limit))
    return out


async def bench_importer(data_dir: Path, csv_dir: Path, batch_size: int) -> dict[str, Any]:
    shutil.rmtree(data_dir / "importer", ignore_errors=True)
    out: dict[str, Any] = {}

    def on_progress(file: str, done: int, total: int, rows: int) -> None:
        log.info("%s: %d rows, %.0f%% of the file", file, rows, 100.0 * done / max(total, 1))

    conn = await connect(Target(None, "root", "", "crm", data_dir / "importer", heap="2g", query_timeout=600))
    try:
        started = time.perf_counter()
        report = await Importer(conn.graph, ImportOptions(batch_size=batch_size), on_progress).import_directory(csv_dir)
        out["importer_seconds"] = round(time.perf_counter() - started, 1)
        out["importer"] = {f.file: {"rows": f.rows, "seconds": round(f.seconds, 1), "rows_per_s": round(f.rows_per_s, 1),
                                    "rejected": f.rejected} for f in report.files}
    finally:
        await conn.close()
    log.info("importer: %s", json.dumps(out))
    return out


async def bench_raw(data_dir: Path, csv_dir: Path, batch_size: int, limit: int | None) -> dict[str, Any]:
    shutil.rmtree(data_dir / "raw", ignore_errors=True)
    out: dict[str, Any] = {}
    conn = await connect(Target(None, "root", "", "crm", data_dir / "raw", heap="2g", query_timeout=600))
    try:
        graph = conn.graph
        out["raw"] = {
            "customers.csv": await raw_rate(graph, "import/bench_raw_customers", csv_dir / "customers.csv",
                                            "customers.csv", batch_size, limit),
            "interactions.csv": await raw_rate(graph, "import/bench_raw_interactions", csv_dir / "interactions.csv",
                                               "interactions.csv", batch_size, limit),
        }
    finally:
        await conn.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--only", choices=["importer", "raw"], help="run one half (the CSV files are kept)")
    parser.add_argument("--raw-limit", type=int, help="stop each raw baseline file after this many rows")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    parts = (args.only,) if args.only else ("importer", "raw")
    result = asyncio.run(bench(args.data_dir.resolve(), args.customers, args.batch_size, parts, args.raw_limit))
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
