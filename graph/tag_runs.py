"""Ownership of refresh runs: which process opened a TagRun, and closing runs whose process died.

A refresh opens its TagRun (RUNNING) before its one write transaction and closes it after. A
process killed in between (kill -9, a crash, the machine going down) or one that could not
reach the database to close it leaves the run RUNNING for ever. Every run therefore records
its host and pid; the next refresh marks RUNNING runs ABORTED, with the reason, when their
process is gone or is this very process without the run in progress.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import UTC, datetime
from typing import Any

from graph.db import Graph
from graph.processes import process_alive

log = logging.getLogger(__name__)

# Run ids this process has open, so a run it failed to close is told apart from one in progress.
_in_progress: set[str] = set()


def owner() -> dict[str, Any]:
    """Return the `owner_host`/`owner_pid` parameters naming this process."""
    return {"owner_host": socket.gethostname(), "owner_pid": os.getpid()}


def opened(run_id: str) -> None:
    """Note that this process runs run_id."""
    _in_progress.add(run_id)


def closed(run_id: str) -> None:
    """Note that this process no longer runs run_id."""
    _in_progress.discard(run_id)


def abandoned_reason(run: dict[str, Any], host: str, pid: int) -> str | None:
    """Return why a RUNNING run is abandoned, or None when its process may still be running it.

    Runs opened on another host, or before runs named their owner, cannot be judged and are left.
    """
    run_host, run_pid = run.get("owner_host"), run.get("owner_pid")
    if run_host != host or not isinstance(run_pid, int):
        return None
    if run_pid == pid:
        return None if run["id"] in _in_progress else f"the refresh process (pid {pid} on {host}) did not finish it"
    if not process_alive(run_pid):
        return f"the refresh process (pid {run_pid} on {host}) is gone"
    return None


async def abort_abandoned_runs(graph: Graph, now: datetime | None = None) -> list[str]:
    """Mark RUNNING runs whose process died ABORTED with the reason; return their ids."""
    me = owner()
    aborted = []
    for row in await graph.read("tag/list_running_tag_runs"):
        reason = abandoned_reason(row["run"], me["owner_host"], me["owner_pid"])
        if reason is None:
            continue
        if await graph.write("tag/abort_tag_run", id=row["run"]["id"], finished_at=now or datetime.now(UTC),
                             error=reason):
            log.warning("tag refresh run %s was left RUNNING (%s); marked ABORTED", row["run"]["id"], reason)
            aborted.append(row["run"]["id"])
    return aborted
