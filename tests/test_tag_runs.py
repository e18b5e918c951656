"""Refresh runs left RUNNING by a process that died are closed as ABORTED by the next refresh."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime

from graph.db import Graph
from graph.tag_refresh import refresh_tags

HOST = socket.gethostname()
T = datetime(2026, 1, 1, tzinfo=UTC)


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(proc.stdout)


async def open_run(graph: Graph, run_id: str, host: str | None, pid: int | None) -> None:
    await graph.write("tag/create_tag_run", id=run_id, by="test", started_at=T, as_of=T, tags=[],
                      owner_host=host, owner_pid=pid)


async def test_next_refresh_aborts_runs_whose_process_is_gone(graph: Graph) -> None:
    gone = dead_pid()
    await open_run(graph, "run-gone", HOST, gone)
    await open_run(graph, "run-mine", HOST, os.getpid())  # this process, but not in progress here
    await open_run(graph, "run-alive", HOST, os.getppid())  # a live process may still be running it
    await open_run(graph, "run-elsewhere", "another-host", gone)  # cannot be judged from here
    await open_run(graph, "run-old", None, None)  # opened before runs named their owner
    report = await refresh_tags(graph, by="test")
    assert report.status == "DONE"
    rows = await graph.read_text("tests/runs", "MATCH (r:TagRun) RETURN r.id AS id, r.status AS status, "
                                 "r.error AS error, r.finished_at IS NOT NULL AS finished ORDER BY id", {})
    assert rows == [  # ids sort "run-2026…" first
        {"id": report.run_id, "status": "DONE", "error": None, "finished": True},
        {"id": "run-alive", "status": "RUNNING", "error": None, "finished": False},
        {"id": "run-elsewhere", "status": "RUNNING", "error": None, "finished": False},
        {"id": "run-gone", "status": "ABORTED", "error": f"the refresh process (pid {gone} on {HOST}) is gone",
         "finished": True},
        {"id": "run-mine", "status": "ABORTED",
         "error": f"the refresh process (pid {os.getpid()} on {HOST}) did not finish it", "finished": True},
        {"id": "run-old", "status": "RUNNING", "error": None, "finished": False},
    ]
