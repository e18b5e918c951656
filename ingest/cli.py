"""The `import` command: progress bars, a summary table, an optional JSON report, an exit code."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from graph.db import Graph
from ingest.importer import Importer, ImportOptions
from ingest.report import ImportReport

log = logging.getLogger(__name__)


def progress_bars(console: Console) -> Progress:
    """Return a rich Progress showing, per file, the share read, rows and rows/s."""
    return Progress(
        TextColumn("[bold]{task.description:<18}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[rows]:>10,} rows"),
        TextColumn("{task.fields[rate]:>8,.0f} rows/s"),
        TimeElapsedColumn(),
        console=console,
    )


async def import_with_progress(graph: Graph, directory: Path, options: ImportOptions,
                               console: Console | None = None) -> ImportReport:
    """Import directory showing a progress bar per file; return the report."""
    console = console or Console(stderr=True)
    with progress_bars(console) as progress:
        tasks: dict[str, tuple[TaskID, float]] = {}

        def on_progress(file: str, done: int, total: int, rows: int) -> None:
            if file not in tasks:
                tasks[file] = (progress.add_task(file, total=max(total, 1), rows=0, rate=0.0), time.perf_counter())
            task, started = tasks[file]
            elapsed = max(time.perf_counter() - started, 1e-6)
            progress.update(task, completed=done, rows=rows, rate=rows / elapsed)

        return await Importer(graph, options, on_progress).import_directory(directory)


async def run_import_cli(
    graph: Graph,
    directory: Path,
    *,
    report: Path | None = None,
    strict: bool = False,
    merge_duplicates: bool = False,
    batch_size: int = 2000,
    default_region: str = "CN",
) -> int:
    """Run `import DIR`: 0 on success, 1 with --strict when anything was rejected, 2 when it cannot run."""
    console = Console(stderr=True)
    if batch_size < 1:
        console.print(f"[red]--batch-size must be at least 1, not {batch_size}[/red]")
        return 2
    if not directory.is_dir():
        console.print(f"[red]import directory '{directory}' does not exist[/red]")
        return 2
    options = ImportOptions(batch_size=batch_size, default_region=default_region, merge_duplicates=merge_duplicates)
    result = await import_with_progress(graph, directory, options, console)
    console.print(result.summary_table())
    for rejection in result.rejections[:20]:
        console.print(f"  [yellow]rejected[/yellow] {rejection}", highlight=False, markup=False)
    if len(result.rejections) > 20:
        console.print(f"  … and {result.problems - 20} more (see --report)")
    if result.ignored_files:
        console.print(f"ignored files (not an import file type): {', '.join(result.ignored_files)}")
    for dup in result.duplicates[:10]:
        merged = " (merged)" if merge_duplicates else ""
        console.print(f"  probable duplicates{merged}: {', '.join(dup.ids)} ({dup.reason})", markup=False)
    if len(result.duplicates) > 10:
        console.print(f"  … and {len(result.duplicates) - 10} more groups of probable duplicates (see --report)")
    if report is not None:
        result.write_json(report)
        console.print(f"report written to {report}")
    if strict and result.problems:
        console.print(f"[red]{result.problems} rows or columns were rejected (--strict)[/red]")
        return 1
    return 0
