"""Bulk import of a directory of CSV files: validate, check references, upsert in batches."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neo4j import exceptions as nx
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from graph.activity import refresh_activity
from graph.db import Graph, Tx
from graph.errors import ConflictError
from ingest import duplicates
from ingest.changes import split_rows
from ingest.csvfile import Column, CsvReader, Header, bad_utf8, parse_header
from ingest.report import FileResult, ImportReport
from ingest.rows import Row
from ingest.specs import FIND_QUERY, REF_NOUN, SPEC_BY_FILE, SPECS, FileSpec
from ingest.values import parse_typed

log = logging.getLogger(__name__)

# Called after each batch with (file, bytes read, file size, rows read so far).
ProgressFn = Callable[[str, int, int, int], None]

Record = tuple[int, list[str]]
Item = tuple[int, dict[str, Any]]


class Batch(list[Item]):
    """A prepared batch: (line, parameter row) items, plus its rows as stored before the previous batch's write.

    `found` was read while the previous batch was being written, so the rows sharing a key with that
    batch (`recheck`) are read again inside the write transaction. A plain list (e.g. half of a refused
    batch) is read inside the transaction.
    """

    def __init__(self, items: Iterable[Item], found: list[dict[str, Any]], recheck: set[tuple[Any, ...]],
                 refs: Refs | None = None) -> None:
        super().__init__(items)
        self.found = found
        self.recheck = recheck
        self.refs = refs or Refs()


@dataclass
class Refs:
    """What a batch's rows point at, per line: (column, label, id); and the earlier lines merged into a line."""

    by_line: dict[int, list[tuple[str, str, str]]] = dataclasses.field(default_factory=dict)
    merged: dict[int, list[int]] = dataclasses.field(default_factory=dict)


class VanishedReference(Exception):
    """The upsert wrote fewer rows than it was given: an id this run had seen was deleted meanwhile."""


# Ids this run wrote or found are not looked up again (up to this many per label; beyond, as before).
KNOWN_IDS_CAP = 2_000_000


@dataclass(frozen=True)
class ImportOptions:
    """How to import: batch size, phone region for local numbers, duplicate merging."""

    batch_size: int = 2000
    default_region: str = "CN"
    merge_duplicates: bool = False
    timeout: float = 600.0  # per batch transaction; big batches on a busy server need more than a query


class Importer:
    """Imports CSV files into the graph; one instance per import run."""

    def __init__(self, graph: Graph, options: ImportOptions | None = None,
                 progress: ProgressFn | None = None) -> None:
        self.options = options or ImportOptions()
        self.graph = dataclasses.replace(graph, timeout=self.options.timeout)
        self.progress = progress
        # Ids of this run's nodes known to exist (written by its node files, or found by a reference check):
        # the edge files' reference checks skip them. The upserts MATCH both ends and return how many rows
        # they wrote, so a node deleted meanwhile is noticed (VanishedReference) and checked as before.
        self.known: dict[str, set[str]] = {label: set() for label in FIND_QUERY}
        self.now = datetime.now(UTC)
        self._context = {"region": self.options.default_region}

    async def import_directory(self, directory: Path) -> ImportReport:
        """Import every known CSV file in directory in dependency order; return the report."""
        if not directory.is_dir():
            raise FileNotFoundError(f"import directory {str(directory)!r} does not exist")
        report = ImportReport(directory=str(directory), started_at=self.now)
        report.run_id = f"import-{self.now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
        report.ignored_files = sorted(
            p.name for p in directory.iterdir() if p.suffix.lower() == ".csv" and p.name not in SPEC_BY_FILE
        )
        for spec in SPECS:
            path = directory / spec.file
            if path.is_file():
                report.files.append(await self.import_file(spec, path))
        report.duplicates = await duplicates.find_duplicates(self.graph)
        if self.options.merge_duplicates and report.duplicates:
            report.merges = await duplicates.merge_duplicates(self.graph, report.duplicates, self.now)
        report.finished_at = datetime.now(UTC)
        await self._record_run(report)
        return report

    async def import_file(self, spec: FileSpec, path: Path) -> FileResult:
        """Import one file of the given type; rows are rejected, never half-written."""
        result = FileResult(spec.file)
        started = time.perf_counter()
        with CsvReader(path) as reader:
            await self._import_reader(spec, path, reader, result)
            if reader.error is not None:  # the rows before it were imported
                result.skipped = result.rows == 0
                result.reject(reader.error[0], "", reader.error[1], counts_row=False)
        result.seconds = time.perf_counter() - started
        result.rejections.sort(key=lambda r: r.line)  # reference checks run after a batch's row checks
        log.info("imported %s: %d rows, %d loaded, %d updated, %d rejected",
                 spec.file, result.rows, result.loaded, result.updated, result.rejected)
        return result

    async def _import_reader(self, spec: FileSpec, path: Path, reader: CsvReader, result: FileResult) -> None:
        cells = reader.header()
        if cells is None:
            result.skipped = True
            result.reject(1, "", "the file is empty; a header row is required", counts_row=False)
            return
        header = parse_header(cells, spec)
        for column, reason in header.problems:
            result.reject(1, column, reason, counts_row=False)
        if header.missing:
            result.skipped = True
            for name in header.missing:
                result.reject(1, name, f"the required column '{name}' is missing; the file was not imported",
                              counts_row=False)
            return
        types, new_defs = await self._custom_types(spec, path, header, result)
        self._report_progress(spec, reader, result)
        # New AttributeDefs are registered while the first batch is prepared, and before any row is written.
        registering = (asyncio.create_task(self.graph.write("import/register_attribute_defs", defs=new_defs))
                       if new_defs else None)
        # One batch is written while the next is read (CSV and validation in a worker thread),
        # reference-checked and compared with the stored rows; at most two batches are held.
        batches = batched(reader.records(), self.options.batch_size, first=first_batch_size(self.options.batch_size))
        pending: asyncio.Task[None] | None = None
        previous: set[tuple[Any, ...]] = set()
        try:
            while (valid := await asyncio.to_thread(self._read_validated, spec, header, types, batches, result)):
                items = await self._prepare(spec, valid, previous, result)
                if registering is not None:
                    await registering
                    registering = None
                if pending is not None:
                    await pending
                    self._report_progress(spec, reader, result)
                previous = {tuple(row[k] for k in spec.keys) for _, row in items} if spec.existing else set()
                pending = asyncio.create_task(self.write_rows(spec, items, result)) if items else None
            if pending is not None:
                await pending
            if registering is not None:  # no row reached the database
                await registering
        finally:
            for task in (pending, registering):
                if task is not None and not task.done():
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
        self._report_progress(spec, reader, result)

    def _report_progress(self, spec: FileSpec, reader: CsvReader, result: FileResult) -> None:
        if self.progress is not None:
            self.progress(spec.file, reader.bytes_read, reader.size, result.rows)

    async def _custom_types(self, spec: FileSpec, path: Path, header: Header,
                            result: FileResult) -> tuple[dict[str, str], list[dict[str, str]]]:
        """Return the type of each usable custom column, and the AttributeDefs to register for new ones."""
        if not header.custom or spec.entity is None:
            return {}, []
        rows = await self.graph.read("import/get_attribute_defs", entity=spec.entity)
        registered = {r["key"]: r["type"] for r in rows}
        types: dict[str, str] = {}
        undeclared: list[Column] = []
        for col in list(header.custom):
            known = registered.get(col.name)
            if col.declared and known and col.declared != known:
                result.reject(1, col.name, f"column '{col.name}:{col.declared}' conflicts with "
                                           f"{spec.entity}.{col.name}, registered as {known}; the column is ignored",
                              counts_row=False)
                header.custom.remove(col)
            elif col.declared or known:
                types[col.name] = col.declared or known or "string"
            else:
                undeclared.append(col)
        if undeclared:
            types.update(infer_types(path, undeclared))
        new = [
            {"id": f"{spec.entity}.{name}", "entity": spec.entity, "key": name, "type": type_}
            for name, type_ in sorted(types.items()) if name not in registered
        ]
        return types, new

    def _read_validated(self, spec: FileSpec, header: Header, types: dict[str, str],
                        batches: Iterator[list[Record]], result: FileResult) -> list[tuple[int, Row, dict[str, Any]]]:
        """Return the next batch's valid rows as (line, model, parameter row), [] at the end of the file.

        Runs in a worker thread: reading, validating and converting overlap the previous batch's write.
        """
        while (batch := next(batches, None)) is not None:
            if valid := self._validate_all(spec, header, types, batch, result):
                return [(line, model, model.to_row(custom)) for line, model, custom in valid]
        return []

    async def _prepare(self, spec: FileSpec, valid: list[tuple[int, Row, dict[str, Any]]],
                       previous: set[tuple[Any, ...]], result: FileResult) -> Batch:
        """Return the batch's rows that pass every check, later rows merged in, with their stored rows.

        The reference check and the read of the stored rows run concurrently, both while the previous
        batch is written; previous holds that batch's keys, whose stored rows may still change.
        """
        stored = self._stored_rows(spec, [row for _, _, row in valid])
        refs = {line: model.refs() for line, model, _ in valid}
        existing, found = await asyncio.gather(self._existing_refs(refs.values(), spec.matched_refs), stored)
        rows: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
        merged: dict[int, list[int]] = {}
        for line, model, row in valid:
            unknown = next(((c, lbl, i) for c, lbl, i in refs[line] if i not in existing[lbl]), None)
            if unknown is not None:
                column, label, ident = unknown
                result.reject(line, column, f"{REF_NOUN[label]} {ident!r} does not exist")
                continue
            key = model.identity()
            if key in rows:  # a later row for the same node or edge in one batch: its values win
                earlier = rows[key][0]
                merged[line] = [*merged.pop(earlier, []), earlier]
                row = {**rows[key][1], **{k: val for k, val in row.items() if k != "props"},
                       "props": {**rows[key][1]["props"], **row["props"]}}
            rows[key] = (line, row)
        recheck = {k for _, row in rows.values() if previous and (k := tuple(row[c] for c in spec.keys)) in previous}
        return Batch(rows.values(), found, recheck,
                     Refs({line: refs[line] for line, _ in rows.values() if refs[line]}, merged))

    async def _stored_rows(self, spec: FileSpec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return the stored rows (key columns, props) with the keys of these parameter rows."""
        if spec.existing is None or not rows:
            return []
        keys = list({tuple(row[k] for k in spec.keys): None for row in rows})
        return [dict(r) for r in await self.graph.read(spec.existing, rows=[dict(zip(spec.keys, k, strict=True)) for k in keys])]

    def _validate_all(self, spec: FileSpec, header: Header, types: dict[str, str], batch: list[Record],
                      result: FileResult) -> list[tuple[int, Row, dict[str, Any]]]:
        valid: list[tuple[int, Row, dict[str, Any]]] = []
        for line, cells in batch:
            result.rows += 1
            checked = self._validate(spec, header, types, line, cells, result)
            if checked is not None:
                valid.append(checked)
        return valid

    def _validate(self, spec: FileSpec, header: Header, types: dict[str, str], line: int, cells: list[str],
                  result: FileResult) -> tuple[int, Row, dict[str, Any]] | None:
        if len(cells) != header.width:
            result.reject(line, "", f"the row has {len(cells)} fields but the header has {header.width} columns")
            return None
        if bad_utf8("".join(cells)):
            column = next((c.name for c in header.builtin + header.custom if bad_utf8(cells[c.index])), "")
            result.reject(line, column, "the value is not valid UTF-8")
            return None
        data = {c.name: text for c in header.builtin if (text := cells[c.index].strip())}
        try:
            model = spec.model.model_validate(data, context=self._context)
        except ValidationError as exc:
            error = exc.errors()[0]
            column = str(error["loc"][0]) if error["loc"] else spec.model.row_column
            result.reject(line, column, error_reason(error, column))
            return None
        custom: dict[str, Any] = {}
        for col in header.custom:
            text = cells[col.index].strip()
            if not text:
                continue
            try:
                custom[col.name] = parse_typed(text, types[col.name])
            except ValueError as exc:
                result.reject(line, col.name, f"{exc} (column '{col.name}' holds {types[col.name]} values)")
                return None
        return line, model, custom

    async def _existing_refs(self, refs: Iterable[list[tuple[str, str, str]]],
                             trusted: frozenset[str] = frozenset(), *, trust_known: bool = True) -> dict[str, set[str]]:
        """Return, per label, which of the ids the batch points at exist (one query per label). For trusted
        labels (the upsert MATCHes them) only the ids this run has not seen yet are looked up; without
        trust_known, every id is, and ids found missing are forgotten."""
        wanted: dict[str, set[str]] = {label: set() for label in FIND_QUERY}
        for row_refs in refs:
            for _, label, ident in row_refs:
                wanted[label].add(ident)
        found: dict[str, set[str]] = {label: set() for label in FIND_QUERY}
        for label, ids in wanted.items():
            known = self.known[label]
            unseen = ids - known if trust_known and label in trusted else ids
            found[label] = ids - unseen
            if unseen:
                rows = await self.graph.read(FIND_QUERY[label], ids=sorted(unseen))
                found[label] |= {r["id"] for r in rows}
            if trust_known:
                self._remember(label, found[label])
            else:
                known -= ids - found[label]
        return found

    def _remember(self, label: str, ids: Iterable[str]) -> None:
        known = self.known[label]
        if len(known) < KNOWN_IDS_CAP:
            known.update(ids)

    async def write_rows(self, spec: FileSpec, items: list[Item], result: FileResult,
                         refs: Refs | None = None) -> None:
        """Upsert rows in one transaction; when the database refuses it, split to find the bad rows."""
        refs = refs if refs is not None else getattr(items, "refs", Refs())
        params: dict[str, Any] = {"rows": [row for _, row in items]}
        if spec.takes_now:
            params["now"] = self.now
        try:
            counts = await self._upsert(spec, params, items if isinstance(items, Batch) else None)
        except VanishedReference:
            await self._write_checked(spec, items, result, refs)
            return
        except (nx.ClientError, ConflictError) as exc:
            if len(items) == 1:
                message = getattr(exc, "message", None) or str(exc)
                result.reject(items[0][0], "", f"the database refused the row: {message}")
                return
            middle = len(items) // 2
            await self.write_rows(spec, items[:middle], result, refs)
            await self.write_rows(spec, items[middle:], result, refs)
            return
        if spec.node_label is not None:
            self._remember(spec.node_label, (row[spec.keys[0]] for _, row in items))
        result.loaded += counts["created"]
        result.updated += counts["updated"]
        result.unchanged += counts["total"] - counts["created"] - counts["updated"]

    async def _write_checked(self, spec: FileSpec, items: list[Item], result: FileResult, refs: Refs) -> None:
        """Write items (whose upsert was rolled back for a vanished reference) after checking every reference
        in the database: rows pointing at a missing id are rejected (with the earlier lines merged into
        them), the others written."""
        existing = await self._existing_refs((refs.by_line.get(line, []) for line, _ in items), trust_known=False)
        keep: list[Item] = []
        for line, row in items:
            unknown = next(((c, lbl, i) for c, lbl, i in refs.by_line.get(line, []) if i not in existing[lbl]), None)
            if unknown is None:
                keep.append((line, row))
                continue
            column, label, ident = unknown
            for rejected in (*refs.merged.get(line, []), line):
                result.reject(rejected, column, f"{REF_NOUN[label]} {ident!r} does not exist")
        if len(keep) == len(items):  # every end is there: the rows were dropped for another reason
            raise RuntimeError(f"the upsert of {spec.file} wrote fewer rows than given, with every reference present")
        if keep:
            await self.write_rows(spec, keep, result, refs)

    async def _upsert(self, spec: FileSpec, params: dict[str, Any], batch: Batch | None) -> dict[str, int]:
        """Write one batch in one transaction; return its created, updated and total counts.

        Rows the batch read beforehand are compared with that read; the others are read here, inside the
        transaction. Skipping an unchanged row is no weaker than before: an unwritten row conflicts with
        no concurrent writer either way.
        """
        if spec.existing is None:
            async def write_all(tx: Tx) -> dict[str, int]:
                counts = (await tx.run(spec.upsert, **params))[0]
                if counts["total"] < len(params["rows"]):
                    raise VanishedReference(spec.file)  # rolls the batch back
                if spec.activity_of is not None:
                    await refresh_activity(tx, [row[spec.activity_of] for row in params["rows"]])
                return counts

            return await self.graph.in_transaction(write_all, timeout=self.options.timeout)
        existing = spec.existing

        async def work(tx: Tx) -> dict[str, int]:
            unread = [row for row in params["rows"]
                      if batch is None or tuple(row[k] for k in spec.keys) in batch.recheck]
            found = [] if batch is None else [r for r in batch.found
                                              if tuple(r[k] for k in spec.keys) not in batch.recheck]
            if unread:
                found += await tx.run(existing, rows=[{k: row[k] for k in spec.keys} for row in unread])
            split = split_rows(params["rows"], found, spec.keys, spec.relink)
            if split.write:
                written = (await tx.run(spec.upsert, **{**params, "rows": split.write}))[0]["written"]
                if written < len(split.write):
                    raise VanishedReference(spec.file)  # rolls the batch back
                if spec.activity_of is not None:
                    await refresh_activity(tx, [row[spec.activity_of] for row in split.write])
            return {"created": split.created, "updated": split.updated, "total": len(params["rows"])}

        return await self.graph.in_transaction(work, timeout=self.options.timeout)

    async def _record_run(self, report: ImportReport) -> None:
        totals = report.to_json()["totals"]
        props = {
            "source": report.directory, "started_at": report.started_at, "finished_at": report.finished_at,
            "files": [f.file for f in report.files], **totals,
            "duplicates": len(report.duplicates), "merges": len(report.merges),
        }
        await self.graph.write("import/record_import_run", id=report.run_id, props=props)


def error_reason(error: ErrorDetails, column: str) -> str:
    """Return a sentence for one pydantic error on a CSV column."""
    if error["type"] == "missing":
        return f"'{column}' is required but empty"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def infer_types(path: Path, columns: list[Column]) -> dict[str, str]:
    """Return the narrowest type fitting every non-empty value of each column (one streaming pass)."""
    from ingest.values import infer_type, widen

    found: dict[str, str | None] = {c.name: None for c in columns}
    with CsvReader(path) as reader:
        reader.header()
        for _, cells in reader.records():
            for col in columns:
                if col.index < len(cells) and (text := cells[col.index].strip()) and found[col.name] != "string":
                    found[col.name] = widen(found[col.name], infer_type(text))
    return {name: type_ or "string" for name, type_ in found.items()}


def first_batch_size(size: int) -> int:
    """Return the size of a file's first batch: a tenth of the others (at least 100). Its reading, validation
    and stored-row read are the only ones no earlier write overlaps, so a small first batch starts the
    pipeline sooner (customers at 10k: 0.25 s of validation before the first write, now 0.03 s)."""
    return min(size, max(100, size // 10))


def batched(records: Iterable[Record], size: int, first: int | None = None) -> Iterator[list[Record]]:
    """Yield lists of up to size records (the first one up to `first`)."""
    batch: list[Record] = []
    limit = first or size
    for record in records:
        batch.append(record)
        if len(batch) >= limit:
            yield batch
            batch = []
            limit = size
    if batch:
        yield batch
