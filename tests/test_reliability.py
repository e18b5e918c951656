"""Outages and crashes, with real processes: the DB stops (503 fast, readyz red, recovery without a
restart), the watchdog brings a killed embedded server back, and kill -9 during an import loses
no acknowledged batch and leaves none half-written."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx

from graph import embedded
from graph.connection import Target, connect
from graph.watchdog import SLOW_PINGS, DbHealth
from ingest.importer import first_batch_size
from main import Settings, create_app
from resolvers.auth_middleware import SecuritySettings

ROOT = Path(__file__).resolve().parent.parent
HEAP = "512m"
LOOKUP = {"query": '{ customer(id: "c-1") { id name } }'}


async def until(condition: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    """Wait for a state change (never a timing assertion: the limit only stops a hung test)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.2)


@contextlib.asynccontextmanager
async def app_on(data_dir: Path, watchdog: bool) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """Yield a client on an app that owns the embedded server on data_dir (started by its lifespan)."""
    app = create_app(Settings(data_dir=data_dir, db_heap=HEAP), SecuritySettings(watchdog=watchdog))
    async with app.router.lifespan_context(app):
        await app.state.graph.write_text("tests/seed", "MERGE (c:Customer {id: 'c-1'}) SET c.name = 'Ada'", {})
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            yield client, app


async def test_outage_fails_fast_and_recovers_without_restart(tmp_path: Path) -> None:
    async with app_on(tmp_path / "db", watchdog=False) as (client, app):
        health: DbHealth = app.state.db_health
        ok = await client.post("/graphql", json=LOOKUP)
        assert (ok.status_code, ok.json()) == (200, {"data": {"customer": {"id": "c-1", "name": "Ada"}}})
        info = embedded.status(tmp_path / "db")
        assert info is not None
        os.kill(info.pid, signal.SIGKILL)
        await until(lambda: not health.healthy, "the monitor to see the database down")
        down = await client.post("/graphql", json=LOOKUP)
        assert down.status_code == 503 and down.headers["retry-after"] == "5"
        assert down.json() == {"data": None, "errors": [{"message": "the graph database is unavailable; try again shortly",
                                                         "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}
        ready = await client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        assert (await client.get("/healthz")).status_code == 200  # alive, just not ready
        # The database comes back on the same ports; the service recovers by itself.
        await asyncio.to_thread(embedded.start, tmp_path / "db", "crm", HEAP, 90.0, (info.bolt_port, info.http_port))
        await until(lambda: health.healthy, "the monitor to see the database back")
        again = await client.post("/graphql", json=LOOKUP)
        assert (again.status_code, again.json()) == (200, {"data": {"customer": {"id": "c-1", "name": "Ada"}}})
        assert (await client.get("/readyz")).json() == {"status": "ready"}


def test_a_slow_database_is_busy_and_a_hung_one_is_down() -> None:
    health = DbHealth()
    assert [health.record("TimeoutError"), health.record("TimeoutError")] == [False, False]
    assert (health.healthy, health.error, health.slow_pings) == (True, None, 2)  # busy under load: keep serving
    assert health.record(None) is False and health.slow_pings == 0  # an answer ends the streak
    assert [health.record("TimeoutError") for _ in range(SLOW_PINGS)] == [False] * (SLOW_PINGS - 1) + [True]
    assert (health.healthy, health.error) == (False, "TimeoutError")  # hung: refuse
    assert health.record(None) is True and (health.healthy, health.error) == (True, None)
    assert health.record("ServiceUnavailable") is True  # a refused connection counts at once
    assert (health.healthy, health.error, health.slow_pings) == (False, "ServiceUnavailable", 0)


async def test_a_hung_database_turns_requests_away_until_it_answers(tmp_path: Path) -> None:
    async with app_on(tmp_path / "db", watchdog=False) as (client, app):
        health: DbHealth = app.state.db_health
        info = embedded.status(tmp_path / "db")
        assert info is not None
        os.kill(info.pid, signal.SIGSTOP)  # the process lives, its port accepts nothing: pings time out
        try:
            await until(lambda: not health.healthy, "the monitor to find the hung database down")
            assert (health.error, health.slow_pings >= SLOW_PINGS) == ("TimeoutError", True)
            down = await client.post("/graphql", json=LOOKUP)
            assert down.status_code == 503 and down.json()["errors"][0]["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
        finally:
            os.kill(info.pid, signal.SIGCONT)
        await until(lambda: health.healthy, "the monitor to see the database answer again")
        again = await client.post("/graphql", json=LOOKUP)
        assert (again.status_code, again.json()) == (200, {"data": {"customer": {"id": "c-1", "name": "Ada"}}})


async def test_watchdog_restarts_a_killed_embedded_server(tmp_path: Path) -> None:
    async with app_on(tmp_path / "db", watchdog=True) as (client, app):
        health: DbHealth = app.state.db_health
        first = embedded.status(tmp_path / "db")
        assert first is not None
        os.kill(first.pid, signal.SIGKILL)
        await until(lambda: health.restarts == 1 and health.healthy, "the watchdog to restart the server")
        second = embedded.status(tmp_path / "db")
        assert second is not None and second.pid != first.pid
        assert (second.bolt_port, second.http_port) == (first.bolt_port, first.http_port)
        again = await client.post("/graphql", json=LOOKUP)
        assert (again.status_code, again.json()) == (200, {"data": {"customer": {"id": "c-1", "name": "Ada"}}})
        assert (await client.get("/readyz")).json() == {"status": "ready"}
    assert embedded.status(tmp_path / "db") is None  # the app stopped the server it now owns


# --- kill -9 during an import ----------------------------------------------------------------

CUSTOMERS = 5_000
BATCH = 250

# Runs the real importer, printing one line per batch once its write transaction returned
# (an acknowledged commit): "committed <file> <rows in the batch>".
IMPORT_SCRIPT = """
import asyncio, sys
from pathlib import Path
from graph.connection import Target, connect
from ingest.importer import Importer, ImportOptions

class Reporting(Importer):
    async def write_rows(self, spec, items, result):
        await super().write_rows(spec, items, result)
        print(f"committed {spec.file} {len(items)}", flush=True)

async def main(data_dir, directory, batch):
    conn = await connect(Target(uri=None, user="root", password="", database="crm", data_dir=Path(data_dir), heap="512m"))
    await Reporting(conn.graph, ImportOptions(batch_size=int(batch))).import_directory(Path(directory))
    print("finished", flush=True)
    await conn.close()

asyncio.run(main(*sys.argv[1:]))
"""


def write_customers(directory: Path) -> None:
    directory.mkdir(parents=True)
    with open(directory / "customers.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "email", "city", "vip_level"])
        for i in range(CUSTOMERS):
            out.writerow([f"c-{i:05d}", f"Customer {i}", f"c{i}@example.com", "上海", i % 5])


async def customer_ids(data_dir: Path) -> list[str]:
    conn = await connect(Target(uri=None, user="root", password="", database="crm", data_dir=data_dir, heap=HEAP),
                         setup_schema=False)
    try:
        rows = await conn.graph.read_text("tests/ids", "MATCH (c:Customer) RETURN c.id AS id, c.vip_level AS v, "
                                          "c.email AS e", {})
    finally:
        await conn.close()
    # Every stored customer is whole: all its imported values arrived with it.
    assert all(r["v"] == int(r["id"][2:]) % 5 and r["e"] == f"c{int(r['id'][2:])}@example.com" for r in rows)
    return sorted(r["id"] for r in rows)


def committed_rows(output: str) -> int:
    return sum(int(line.split()[2]) for line in output.splitlines() if line.startswith("committed customers.csv"))


async def test_kill_9_during_import_loses_no_committed_batch(tmp_path: Path) -> None:
    data_dir, source = tmp_path / "db", tmp_path / "csv"
    write_customers(source)
    info, _ = await asyncio.to_thread(embedded.start, data_dir, "crm", HEAP)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", IMPORT_SCRIPT, str(data_dir), str(source), str(BATCH)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    seen: list[str] = []
    for line in proc.stdout:  # kill once a few batches were acknowledged, mid-stream
        seen.append(line)
        if committed_rows("".join(seen)) >= 5 * BATCH:
            os.kill(info.pid, signal.SIGKILL)
            break
    try:  # the importer now sits in the driver's retries; a crashed machine would lose it too
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    seen.append(proc.stdout.read())
    proc.stdout.close()
    output = "".join(seen)
    assert "finished" not in output, "the import ended before the kill; make the file larger"
    acknowledged = committed_rows(output)
    assert proc.returncode != 0
    try:
        await asyncio.to_thread(embedded.start, data_dir, "crm", HEAP)  # recovers from the write-ahead log
        ids = await customer_ids(data_dir)
        # Batches are all-or-nothing and in file order: what is there is a whole number of batches (the
        # first one smaller, ingest/importer.first_batch_size), a prefix of the file, at least every
        # acknowledged one (one more may have committed unreported).
        first = first_batch_size(BATCH)
        assert len(ids) == 0 or (len(ids) - first) % BATCH == 0, (len(ids), first, BATCH)
        assert ids == [f"c-{i:05d}" for i in range(len(ids))]
        assert acknowledged <= len(ids) <= acknowledged + BATCH
        # Re-running the same command completes the job with the counts of a clean run.
        rerun = subprocess.run([sys.executable, "main.py", "--data-dir", str(data_dir), "import", str(source),
                                "--batch-size", str(BATCH)], cwd=ROOT, env=env, capture_output=True, text=True,
                               timeout=600)
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        assert await customer_ids(data_dir) == [f"c-{i:05d}" for i in range(CUSTOMERS)]
    finally:
        embedded.stop(data_dir)


# --- kill -9 during a tag refresh ------------------------------------------------------------

TAGGED = 3_000


async def test_kill_9_during_tag_refresh_is_all_or_nothing(tmp_path: Path) -> None:
    from graph.tags import TagSpec, create_tag

    data_dir = tmp_path / "db"
    info, _ = await asyncio.to_thread(embedded.start, data_dir, "crm", HEAP)
    target = Target(uri=None, user="root", password="", database="crm", data_dir=data_dir, heap=HEAP)
    try:
        conn = await connect(target)
        try:
            for start in range(0, TAGGED * 2, 1000):  # every other customer lives in 上海
                await conn.graph.write_text("tests/people", "UNWIND range($a, $b) AS i CREATE (:Customer {id: "
                                            "'c-' + toString(i), city: CASE WHEN i % 2 = 0 THEN '上海' ELSE '北京' END})",
                                            {"a": start, "b": start + 999})
            await create_tag(conn.graph, TagSpec(key="shanghai", name="Shanghai", kind="RULE", status="ACTIVE",
                                                 definition={"rule": {"attribute": "city", "eq": "上海"}}), by="test")
        finally:
            await conn.close()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "main.py", "--data-dir", str(data_dir), "tags", "refresh"]
        watch = await connect(target, setup_schema=False)
        with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
            await run_started(watch.graph)
            os.kill(info.pid, signal.SIGKILL)
            await watch.close()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
        await asyncio.to_thread(embedded.start, data_dir, "crm", HEAP)
        first = await tag_counts(target)
        assert first in ({"holders": 0, "events": 0}, {"holders": TAGGED, "events": TAGGED}), first
        rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stdout[-2000:] + rerun.stderr[-2000:]
        assert await tag_counts(target) == {"holders": TAGGED, "events": TAGGED}
        # The killed refresh's run was left RUNNING; the re-run closed it as ABORTED, naming why.
        assert await tag_runs(target) == [
            ("ABORTED", f"the refresh process (pid {proc.pid} on {socket.gethostname()}) is gone"), ("DONE", None)]
    finally:
        embedded.stop(data_dir)


async def run_started(graph: Any, limit: float = 300.0) -> None:
    """Wait until the refresh wrote its TagRun (just before its one write transaction)."""
    deadline = time.monotonic() + limit
    while not (await graph.read_text("tests/run", "MATCH (r:TagRun) RETURN count(r) AS n", {}))[0]["n"]:
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting for the refresh to start its run")
        await asyncio.sleep(0.1)


async def read_once(target: Target, tag: str, text: str) -> list[dict[str, Any]]:
    """Run one read on a connection of its own (the server may have been restarted since the last one)."""
    conn = await connect(target, setup_schema=False)
    try:
        return await conn.graph.read_text(tag, text, {})
    finally:
        await conn.close()


async def tag_runs(target: Target) -> list[tuple[str, str | None]]:
    rows = await read_once(target, "tests/runs",
                           "MATCH (r:TagRun) RETURN r.status AS status, r.error AS error ORDER BY r.started_at")
    return [(r["status"], r["error"]) for r in rows]


async def tag_counts(target: Target) -> dict[str, int]:
    rows = await read_once(target, "tests/tagged", "RETURN COUNT { (:Customer)-[:HAS_TAG]->(:Tag {key: 'shanghai'}) } "
                           "AS holders, COUNT { (e:TagEvent {tag_key: 'shanghai'}) } AS events")
    return dict(rows[0])
