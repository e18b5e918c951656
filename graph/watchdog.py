"""Keeping the service alive around its database: a health monitor and an embedded-server watchdog.

`monitor_db` pings the database every second with one auto-commit query (no driver retries,
a short timeout) and keeps `DbHealth` current, so the HTTP edge can refuse requests at once
while the database is down instead of letting each one sit through the driver's 30 s of
retries. `watch_embedded` restarts the embedded server on its old ports when its process
dies; the open driver then finds it at the same address and the service recovers without a
restart of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph import embedded
from graph.cypher import query
from graph.db import Graph

log = logging.getLogger(__name__)

SLOW_PINGS = 3  # timed-out pings in a row (~3 × 4 s) before a hung database counts as down


@dataclass
class DbHealth:
    """The latest verdict on the database, shared by the monitor and the HTTP edge."""

    healthy: bool = True
    error: str | None = None
    checked_at: float = field(default_factory=time.monotonic)
    restarts: int = 0
    slow_pings: int = 0  # pings in a row that timed out

    def record(self, error: str | None) -> bool:
        """Take one ping's outcome and return whether the verdict changed.

        A database that answers slowly under load is busy, not down: turning requests away
        then would make a saturated service refuse everything. So a failed connection counts at
        once, a timed-out ping only when SLOW_PINGS of them come in a row (the server hangs).
        """
        self.slow_pings = self.slow_pings + 1 if error == "TimeoutError" else 0
        down = error is not None and (error != "TimeoutError" or self.slow_pings >= SLOW_PINGS)
        changed = down == self.healthy
        self.healthy, self.error, self.checked_at = not down, error if down else None, time.monotonic()
        return changed


async def ping(graph: Graph, timeout: float = 3.0) -> str | None:
    """Run the readiness query once, without retries; return None when it answered, else the error name."""
    async def once() -> None:
        async with graph.session() as session:
            result = await session.run(query("admin/ping").text)
            await result.consume()

    try:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that
        # arrives as the ping completes, and the monitor then never stops.
        async with asyncio.timeout(timeout):
            await once()
    except Exception as exc:  # refused, reset, timed out, not ready: all mean "not healthy"
        return type(exc).__name__
    return None


async def pause(stop: asyncio.Event | None, seconds: float) -> bool:
    """Sleep for seconds, waking early when stop is set; return whether to stop."""
    if stop is None:
        await asyncio.sleep(seconds)
        return False
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await stop.wait()
    return stop.is_set()


async def monitor_db(graph: Graph | Callable[[], Graph], health: DbHealth, interval: float = 1.0,
                     stop: asyncio.Event | None = None) -> None:
    """Keep health current until stop is set (or forever), logging each change of state once.

    graph may be a callable returning the current Graph (the app's, which may be replaced)."""
    while stop is None or not stop.is_set():
        error = await ping(graph() if callable(graph) else graph)
        if health.record(error):
            if health.healthy:
                log.warning("the graph database answers again")
            else:
                log.error("the graph database stopped answering (%s); requests get 503 until it returns", error)
        if await pause(stop, interval):
            return


async def watch_embedded(
    data_dir: Path,
    database: str,
    heap: str,
    *,
    health: DbHealth | None = None,
    interval: float = 2.0,
    on_restart: Callable[[embedded.ServerInfo], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Restart the embedded server on data_dir (same ports) whenever its process is gone; runs until stop is set.

    Several workers may watch one server: a lock file lets one of them restart it and the
    others find it running. A restart under way when stop is set is finished first, so no
    server starts after the owner has stopped it.
    """
    data_dir = data_dir.resolve()
    last = await asyncio.to_thread(embedded.status, data_dir)
    while not await pause(stop, interval):
        current = await asyncio.to_thread(embedded.status, data_dir)
        if current is not None:
            last = current
            continue
        if last is None:
            continue  # never saw one running: nothing to bring back
        log.error("the embedded graph server (pid %d) is gone; restarting it on bolt port %d", last.pid, last.bolt_port)
        try:
            info = await asyncio.to_thread(_restart, data_dir, database, heap, (last.bolt_port, last.http_port))
        except Exception as exc:  # e.g. the port was taken meanwhile: try again on the next round
            log.error("restarting the embedded graph server failed: %s", exc)
            continue
        last = info
        if health is not None:
            health.restarts += 1
        if on_restart is not None:
            on_restart(info)
        log.warning("the embedded graph server runs again (pid %d)", info.pid)


def _restart(data_dir: Path, database: str, heap: str, ports: tuple[int, int]) -> embedded.ServerInfo:
    with open(data_dir / "watchdog.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        info, _ = embedded.start(data_dir, database, heap, ports=ports)
        return info


@contextlib.asynccontextmanager
async def keep_alive(
    graph: Graph | Callable[[], Graph],
    health: DbHealth,
    embedded_dir: Path | None = None,
    database: str = "crm",
    heap: str = "2g",
    shutdown_timeout: float = 120.0,
) -> AsyncIterator[DbHealth]:
    """Run the health monitor (and the watchdog when embedded_dir is given) for the body's duration.

    On exit both are asked to stop and awaited (at most shutdown_timeout), not cancelled: a
    ping cancelled while the driver opens a connection leaves that socket unclosed (the driver
    closes it on errors, not on CancelledError), and a cancelled restart would carry on in its
    thread and start a server after its owner stopped it.
    """
    stop = asyncio.Event()
    tasks = [asyncio.create_task(monitor_db(graph, health, stop=stop), name="custgraph-db-monitor")]
    if embedded_dir is not None:
        tasks.append(asyncio.create_task(watch_embedded(embedded_dir, database, heap, health=health, stop=stop),
                                         name="custgraph-embedded-watchdog"))
    try:
        yield health
    finally:
        # Stop watching before the connection closes, or the watchdog would restart a server being stopped.
        stop.set()
        try:
            done, _ = await asyncio.wait(tasks, timeout=shutdown_timeout)
        finally:
            for task in tasks:
                if not task.done():
                    log.error("%s did not stop in %.0fs; cancelling it", task.get_name(), shutdown_timeout)
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                log.error("%s failed", task.get_name(), exc_info=task.exception())
