"""Streaming CSV reading: the header's columns and (line number, cells) per record."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.specs import FileSpec
from ingest.values import ATTR_TYPES

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def bad_utf8(text: str) -> bool:
    """Return True when text holds bytes that were not valid UTF-8 (read with surrogateescape)."""
    return _NOT_UTF8.search(text) is not None


@dataclass(frozen=True)
class Column:
    """One header column: its position, bare name and declared type (None when undeclared)."""

    index: int
    name: str
    declared: str | None
    builtin: bool


@dataclass
class Header:
    """A parsed header: usable columns, and problems as (column, reason) pairs."""

    builtin: list[Column] = field(default_factory=list)
    custom: list[Column] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    width: int = 0


def parse_header(cells: list[str], spec: FileSpec) -> Header:
    """Return the header's columns checked against the file type; bad columns become problems."""
    header = Header(width=len(cells))
    types = spec.model.column_types
    reserved = set(types) | set(spec.model.derived) | {"id"}
    seen: set[str] = set()
    for index, raw in enumerate(cells):
        text = raw.strip().lstrip("\ufeff")
        name, _, declared = (part.strip() for part in text.partition(":"))
        label = text or f"#{index + 1}"
        if not name:
            header.problems.append((label, f"column {index + 1} has no name; its values are ignored"))
            continue
        if name in seen:
            header.problems.append((name, f"column '{name}' appears twice; the second one is ignored"))
            continue
        seen.add(name)
        if declared and declared not in ATTR_TYPES:
            header.problems.append(
                (name, f"column '{text}' declares unknown type '{declared}' (use {'|'.join(ATTR_TYPES)})")
            )
            continue
        if name in types:
            if declared and declared != types[name]:
                header.problems.append(
                    (name, f"built-in column '{name}' is {types[name]}, not {declared}; the column is ignored")
                )
                continue
            header.builtin.append(Column(index, name, declared or None, True))
        elif spec.entity is None:
            header.problems.append((name, f"{spec.file} has no column '{name}'; its values are ignored"))
        elif not _IDENT.match(name):
            header.problems.append(
                (name, f"custom attribute '{name}' is not a valid property name ([A-Za-z_][A-Za-z0-9_]*); "
                       "the column is ignored")
            )
        elif name in reserved:
            header.problems.append(
                (name, f"custom attribute '{name}' clashes with a built-in {spec.entity} field; the column is ignored")
            )
        else:
            header.custom.append(Column(index, name, declared or None, False))
    header.missing = [name for name in spec.required if name not in {c.name for c in header.builtin}]
    return header


class CsvReader:
    """Reads one UTF-8 CSV file record by record; `bytes_read` follows progress through the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self._raw = path.open("rb")
        # Bad bytes become lone surrogates, so the row and column holding them can be named.
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._reader = csv.reader(self._text)
        # (line, reason) when reading stopped early at broken CSV; the rows before it are fine.
        self.error: tuple[int, str] | None = None

    @property
    def bytes_read(self) -> int:
        return self._raw.tell()


    def header(self) -> list[str] | None:
        """Return the header cells, or None for an empty file."""
        return next(self._reader, None)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Yield (first line number, cells) for each non-blank record after the header, stopping at an error."""
        reader = self._reader
        previous = reader.line_num
        while True:
            try:
                cells = next(reader, None)
            except csv.Error as exc:
                self.error = (previous + 1, f"the file is not valid CSV ({exc}); reading stopped")
                return
            if cells is None:
                return
            line = previous + 1
            previous = reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            yield line, cells

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> CsvReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
