"""Benchmark data: demo CSV files at a scale, imported once into bench/data/<scale>/, plus import rates.

Layout of bench/data/<scale>/ (git-ignored):

    csv/            the demo generator's files (seed 7, as of 2026-11-01: the same bytes every time)
    db/             the embedded server's data directory the query benchmarks run on
    prepared.json   customer count and the import measurements (importer and raw UNWIND rates)

The raw `UNWIND` floor runs on a scratch server (raw/, removed afterwards) with the same JVM
settings and the same schema (constraints and indexes), writing the same validated rows with
the plainest queries in bench/cypher/raw/, timing only the database calls. Importer and raw
alternate file by file, so a change in the machine's load hits both sides of a ratio alike.
"""

from __future__ import annotations

import json
import logging
import shutil
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.queries import bench_query
from graph import activity
from graph.connection import Target, connect
from graph.db import Graph
from ingest.csvfile import CsvReader, parse_header
from ingest.demo import write_demo
from ingest.importer import Importer, ImportOptions, infer_types
from ingest.specs import SPEC_BY_FILE, SPECS, FileSpec
from ingest.values import parse_typed

log = logging.getLogger(__name__)

BENCH_DIR = Path(__file__).resolve().parent
DATA_ROOT = BENCH_DIR / "data"
SCALES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SEED = 7
AS_OF = date(2026, 11, 1)
BATCH_SIZE = 5000
HEAP = "2g"


def scale_customers(scale: str) -> int:
    """Return the customer count for a scale name such as 10k; raise ValueError for unknown ones."""
    try:
        return SCALES[scale.lower()]
    except KeyError:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}") from None


def heap_for(customers: int) -> str:
    """Return the JVM heap for the embedded server: 2g up to 100k customers, 6g beyond."""
    return HEAP if customers <= 100_000 else "6g"


def target(data_dir: Path, customers: int) -> Target:
    return Target(None, "root", "", "crm", data_dir, heap=heap_for(customers), query_timeout=600)


async def count_customers(graph: Graph) -> int:
    return int((await graph.read("import/count_customers"))[0]["customers"])


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


async def raw_file(graph: Graph, spec: FileSpec, path: Path, batch_size: int = BATCH_SIZE) -> dict[str, Any]:
    """Write one file's validated rows with bench/cypher/raw/<stem>; time only the database calls."""
    text = bench_query(f"raw/{spec.stem}").text
    rows, seconds = 0, 0.0
    for batch in validated_rows(path, spec.file, batch_size):
        started = time.perf_counter()
        await graph.write_text(f"bench/raw/{spec.stem}", text, {"rows": batch})
        seconds += time.perf_counter() - started
        rows += len(batch)
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds, 1) if seconds else None}


async def import_rates(importer_dir: Path, raw_dir: Path | None, csv_dir: Path, customers: int,
                       say: Any = log.info, batch_size: int = BATCH_SIZE) -> tuple[dict[str, Any], dict[str, Any], float]:
    """Import csv_dir with the service's importer into importer_dir and, file by file in turn, the
    same rows with raw UNWIND into a fresh raw_dir (alternating, so load changes hit both alike).

    Returns per-file importer results, per-file raw results and the importer's total seconds.
    """
    conn = await connect(target(importer_dir, customers))
    raw_conn = None
    importer_out: dict[str, Any] = {}
    raw_out: dict[str, Any] = {}
    total = 0.0
    try:
        if raw_dir is not None:
            shutil.rmtree(raw_dir, ignore_errors=True)
            raw_conn = await connect(target(raw_dir, customers))
        importer = Importer(conn.graph, ImportOptions(batch_size=batch_size))
        for spec in SPECS:
            path = csv_dir / spec.file
            if not path.is_file():
                continue
            f = await importer.import_file(spec, path)
            total += f.seconds
            importer_out[spec.file] = {"rows": f.rows, "seconds": round(f.seconds, 2),
                                       "rows_per_s": round(f.rows_per_s, 1), "rejected": f.rejected}
            line = f"  {spec.file}: importer {f.rows_per_s:,.0f} rows/s"
            if raw_conn is not None:
                raw_out[spec.file] = await raw_file(raw_conn.graph, spec, path, batch_size)
                line += f", raw UNWIND {raw_out[spec.file]['rows_per_s'] or 0:,.0f} rows/s"
            say(line)
        found = await count_customers(conn.graph)
    finally:
        await conn.close()
        if raw_conn is not None:
            await raw_conn.close()
        if raw_dir is not None:
            shutil.rmtree(raw_dir, ignore_errors=True)
    if found != customers:
        raise RuntimeError(f"the import left {found} customers in {importer_dir}, expected {customers}")
    return importer_out, raw_out, total


def import_table(importer: dict[str, Any], raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one row per file: importer rows/s, raw UNWIND rows/s and their ratio."""
    rows = []
    for file, imp in importer.items():
        r = raw.get(file, {})
        ratio = imp["rows_per_s"] / r["rows_per_s"] if r.get("rows_per_s") else None
        rows.append({"file": file, "rows": imp["rows"], "importer_rows_per_s": imp["rows_per_s"],
                     "raw_rows_per_s": r.get("rows_per_s"), "ratio": round(ratio, 3) if ratio else None})
    total_rows = sum(x["rows"] for x in importer.values())
    imp_s = sum(x["seconds"] for x in importer.values())
    raw_s = sum(x["seconds"] for x in raw.values())
    if imp_s and raw_s:
        rows.append({"file": "all files", "rows": total_rows, "importer_rows_per_s": round(total_rows / imp_s, 1),
                     "raw_rows_per_s": round(total_rows / raw_s, 1), "ratio": round(raw_s / imp_s, 3)})
    return rows


async def prepare(scale: str, *, force: bool = False, raw: bool = True, console: Any = None) -> dict[str, Any]:
    """Return the prepared data for a scale, generating and importing it (and measuring import) when absent."""
    customers = scale_customers(scale)
    root = DATA_ROOT / scale.lower()
    csv_dir, db_dir, info_path = root / "csv", root / "db", root / "prepared.json"
    say = console.print if console else log.info
    if info_path.exists() and not force:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        conn = await connect(target(db_dir, customers), setup_schema=False)
        try:
            found = await count_customers(conn.graph)
            reusable = found == customers and info.get("customers") == customers
            if reusable:
                # A database prepared before the activity digest existed gets it once (graph/activity.py).
                started = time.perf_counter()
                if written := await activity.backfill(conn.graph):
                    say(f"activity digest written for {written} customers in {time.perf_counter() - started:.1f}s")
        finally:
            await conn.close()
        if reusable:
            say(f"reusing {db_dir} ({found} customers)")
            return info
        say(f"{db_dir} holds {found} customers, not {customers}: preparing it again")
    shutil.rmtree(db_dir, ignore_errors=True)
    if not (csv_dir / "customer_tags.csv").exists():
        say(f"writing demo CSV files for {customers} customers to {csv_dir}")
        started = time.perf_counter()
        write_demo(csv_dir, customers, SEED, AS_OF)
        say(f"  {time.perf_counter() - started:.1f}s")
    say(f"importing into {db_dir} with the importer (batch {BATCH_SIZE})"
        + (", alternating per file with raw UNWIND on a scratch server" if raw else ""))
    importer, raw_result, total = await import_rates(db_dir, root / "raw" if raw else None, csv_dir, customers, say)
    info = {
        "scale": scale.lower(), "customers": customers, "seed": SEED, "as_of": AS_OF.isoformat(),
        "batch_size": BATCH_SIZE, "heap": heap_for(customers), "prepared_at": datetime.now(UTC).isoformat(),
        "import_seconds": round(total, 1), "importer": importer, "raw": raw_result,
        "files": {p.name: sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in sorted(csv_dir.glob("*.csv"))},
    }
    info_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


async def remeasure_import(scale: str, *, console: Any = None, batch_size: int | None = None,
                           rounds: int = 1) -> dict[str, Any]:
    """Measure import rates again on two scratch servers (the prepared data is left alone), `rounds` times on
    fresh servers; print each file's importer/raw ratio per round and the median; update prepared.json."""
    customers = scale_customers(scale)
    root = DATA_ROOT / scale.lower()
    csv_dir, info_path = root / "csv", root / "prepared.json"
    say = console.print if console else log.info
    if not (csv_dir / "customer_tags.csv").exists():
        write_demo(csv_dir, customers, SEED, AS_OF)
    scratch = root / "import-scratch"
    measured: list[tuple[dict[str, Any], dict[str, Any], float]] = []
    for n in range(rounds):
        if rounds > 1:
            say(f"round {n + 1} of {rounds}")
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            measured.append(await import_rates(scratch, root / "raw", csv_dir, customers, say,
                                               batch_size or BATCH_SIZE))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    ratios = {file: [round(imp[file]["rows_per_s"] / raw[file]["rows_per_s"], 3) for imp, raw, _ in measured
                     if raw.get(file, {}).get("rows_per_s")] for file in measured[0][0]}
    medians = {file: statistics.median(r) for file, r in ratios.items() if r}
    if rounds > 1:
        say("importer / raw UNWIND, median of the rounds (each round):")
        for file, median in medians.items():
            say(f"  {file}: {median:.2f} ({', '.join(f'{r:.2f}' for r in ratios[file])})")
    importer, raw_result, total = measured[-1]
    info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {"customers": customers}
    info.update({"importer": importer, "raw": raw_result, "import_seconds": round(total, 1),
                 "import_batch_size": batch_size or BATCH_SIZE,
                 "import_rounds": [{"importer": i, "raw": r} for i, r, _ in measured],
                 "import_median_ratio": medians,
                 "import_measured_at": datetime.now(UTC).isoformat()})
    info_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info
