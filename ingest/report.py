"""What an import did: per-file counts, rejected rows, duplicates and merges."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.table import Table

# Rejections kept per file in the report; the counts always include all of them.
MAX_REJECTIONS_PER_FILE = 1000


@dataclass(frozen=True)
class Rejection:
    """One rejected row (or header column): where it is and why."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class FileResult:
    """Counts for one file: rows read, nodes/edges created, changed, unchanged, rows rejected."""

    file: str
    rows: int = 0
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    header_problems: int = 0
    seconds: float = 0.0
    skipped: bool = False  # the whole file was refused (e.g. a required column is missing)
    rejections: list[Rejection] = field(default_factory=list)
    rejections_left_out: int = 0

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def reject(self, line: int, column: str, reason: str, *, counts_row: bool = True) -> None:
        if counts_row:
            self.rejected += 1
        else:
            self.header_problems += 1
        if len(self.rejections) < MAX_REJECTIONS_PER_FILE:
            self.rejections.append(Rejection(self.file, line, column, reason))
        else:
            self.rejections_left_out += 1


@dataclass(frozen=True)
class Duplicate:
    """Customers that share a normalised email or phone: probably one person."""

    ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Merge:
    kept_id: str
    merged_id: str
    reason: str


@dataclass
class ImportReport:
    """The whole import, as shown in the summary table and written by --report."""

    directory: str
    started_at: datetime
    finished_at: datetime | None = None
    files: list[FileResult] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    run_id: str = ""

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def problems(self) -> int:
        """Rejected rows plus refused header columns and files."""
        return sum(f.rejected + f.header_problems for f in self.files)

    @property
    def rejections(self) -> list[Rejection]:
        return [r for f in self.files for r in f.rejections]

    def file(self, name: str) -> FileResult:
        """Return the result for one file name; raise KeyError naming it when it was not imported."""
        for result in self.files:
            if result.file == name:
                return result
        raise KeyError(f"file {name!r} was not part of the import")

    def to_json(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "run_id": self.run_id,
            "directory": self.directory,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "totals": {
                "rows": sum(f.rows for f in self.files),
                "loaded": sum(f.loaded for f in self.files),
                "updated": sum(f.updated for f in self.files),
                "unchanged": sum(f.unchanged for f in self.files),
                "rejected": self.rejected,
            },
            "files": [
                {
                    "file": f.file, "rows": f.rows, "loaded": f.loaded, "updated": f.updated,
                    "unchanged": f.unchanged, "rejected": f.rejected, "header_problems": f.header_problems, "skipped": f.skipped,
                    "seconds": round(f.seconds, 3), "rows_per_s": round(f.rows_per_s, 1),
                    "rejections_left_out": f.rejections_left_out,
                }
                for f in self.files
            ],
            "rejections": [asdict(r) for r in self.rejections],
            "ignored_files": self.ignored_files,
            "duplicates": [{"ids": list(d.ids), "reason": d.reason} for d in self.duplicates],
            "merges": [asdict(m) for m in self.merges],
        }

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def summary_table(self) -> Table:
        """Return a rich table with one line per file and a total."""
        table = Table(title=f"Import of {self.directory}")
        for name in ("file", "rows", "loaded", "updated", "unchanged", "rejected", "rows/s"):
            table.add_column(name, justify="left" if name == "file" else "right")
        for f in self.files:
            table.add_row(
                f.file + (" (skipped)" if f.skipped else ""), str(f.rows), str(f.loaded), str(f.updated),
                str(f.unchanged), str(f.rejected), f"{f.rows_per_s:,.0f}",
            )
        table.add_row(
            "total", *(str(sum(getattr(f, k) for f in self.files)) for k in ("rows", "loaded", "updated",
                                                                            "unchanged", "rejected")), "",
            style="bold",
        )
        return table
