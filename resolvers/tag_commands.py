"""Command-line glue for the tag engine: `tags refresh [--tag KEY] [--as-of T]`, `tags install-catalogue`.

Wiring in main.py::

    await tags_command(graph, args.tags_action, tag=args.tag, as_of=args.as_of)   # returns the exit code
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.table import Table

from graph.db import Graph
from graph.errors import DomainError
from graph.tag_catalogue import install_catalogue
from graph.tag_refresh import RefreshReport, list_runs, refresh_tags

ACTIONS = ("refresh", "install-catalogue", "runs")


async def tags_command(graph: Graph, action: str, *, tag: str | None = None, as_of: datetime | None = None,
                       console: Console | None = None) -> int:
    """Run one tags action and print its result; return 0 on success, 1 on a failed run, 2 on bad input."""
    out = console or Console()
    try:
        if action == "refresh":
            report = await refresh_tags(graph, tag=tag, as_of=as_of, by="cli")
            out.print(_report_table(report))
            if report.error:
                out.print(f"[red]refresh {report.run_id} failed; previous assignments are unchanged: {report.error}")
                return 1
            return 0
        if action == "install-catalogue":
            rep = await install_catalogue(graph, by="cli")
            for label, keys in (("created", rep.created), ("upgraded", rep.upgraded),
                                ("unchanged", rep.unchanged), ("skipped (defined differently)", rep.skipped)):
                if keys:
                    out.print(f"{label}: {', '.join(keys)}")
            return 0
        if action == "runs":
            table = Table("run", "by", "as of", "status", "added", "removed", "unchanged", "error")
            for run in await list_runs(graph):
                table.add_row(run["id"], run.get("by"), str(run.get("as_of")), run.get("status"), str(run.get("added")),
                              str(run.get("removed")), str(run.get("unchanged")), run.get("error") or "")
            out.print(table)
            return 0
        out.print(f"[red]unknown tags action {action!r} (expected one of {', '.join(ACTIONS)})")
        return 2
    except DomainError as exc:
        out.print(f"[red]{exc.message}")
        return 2


def _report_table(report: RefreshReport) -> Table:
    table = Table("tag", "added", "removed", "expired", "updated", "unchanged", "seconds",
                  title=f"{report.run_id} as of {report.as_of.isoformat()} — {report.status} in {report.seconds:.1f}s")
    for r in report.tags:
        table.add_row(r.key, str(r.added), str(r.removed), str(r.expired), str(r.updated), str(r.unchanged),
                      f"{r.seconds:.2f}")
    return table
