"""`python main.py serve` as a user runs it: serves, and on SIGTERM stops its embedded server too."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from graph import embedded

ROOT = Path(__file__).resolve().parent.parent


def test_sigterm_stops_the_service_and_its_embedded_server(tmp_path: Path) -> None:
    port = embedded.free_port()
    env = {**os.environ, "CUSTGRAPH_DB_HEAP": "512m"}
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--data-dir", str(tmp_path), "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        ready = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        assert ready is not None and ready.json() == {"status": "ready"}
        pid = json.loads((tmp_path / "server.json").read_text())["pid"]
        assert (tmp_path / embedded.DATETIME_INDEX_MARKER).exists()  # set up before serving (graph/setup.py)
        answer = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ customer(id: \"none\") { id } }"})
        assert answer.json() == {"data": {"customer": None}}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert not (tmp_path / "server.json").exists()
        assert not embedded.pid_alive(pid)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()
        embedded.stop(tmp_path)


# Slow-ish on purpose (seconds, well inside uvicorn's 20 s grace and the 10 s Cypher timeout).
SLOW = {"query": 'query { runCypher(query: "UNWIND range(1, 1000000) AS i WITH i WHERE i % 7 = 3 '
                 'RETURN count(i) AS n") { columns rows truncated } }'}


def test_sigterm_lets_an_in_flight_request_finish_then_stops_the_database(tmp_path: Path) -> None:
    port = embedded.free_port()
    env = {**os.environ, "CUSTGRAPH_DB_HEAP": "512m"}
    env.pop("NEO4J_URI", None)
    log_path = tmp_path / "serve.log"
    data_dir = tmp_path / "db"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "main.py", "--data-dir", str(data_dir), "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    try:
        wait_ready(proc, port)
        pid = json.loads((data_dir / "server.json").read_text())["pid"]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("POST", "/graphql", json.dumps(SLOW), {"Content-Type": "application/json"})
        time.sleep(1)  # let the service read the request: it is in flight, not a timing assertion
        proc.send_signal(signal.SIGTERM)
        response = conn.getresponse()
        assert (response.status, json.loads(response.read())) == (200, {"data": {"runCypher": {
            "columns": ["n"], "rows": [{"n": 142857}], "truncated": False}}})
        conn.close()
        assert proc.wait(timeout=90) == 0
        assert not (data_dir / "server.json").exists()
        assert not embedded.pid_alive(pid)
        # The service stopped its database with SIGTERM, not by killing it.
        assert "did not stop" not in log_path.read_text(encoding="utf-8", errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        embedded.stop(data_dir)


def wait_ready(proc: subprocess.Popen[bytes], port: int, limit: float = 120.0) -> None:
    """Wait for /readyz to answer 200 (the limit only stops a hung test)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"the service did not get ready (exit code {proc.poll()})")


async def test_the_real_app_requires_a_token_off_loopback(db_dir: Path) -> None:
    import main

    app = main.create_app(main.Settings(host="0.0.0.0", data_dir=db_dir))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        answer = await client.post("/graphql", json={"query": "{ customer(id: \"c-1\") { id } }"})
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
