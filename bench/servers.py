"""The processes a benchmark run starts: custgraph (`main.py serve`) and the @neo4j/graphql peer.

Both talk to one embedded server that the run starts first (like `python main.py db start`), so
custgraph, the peer and the raw-Cypher floor all read the same database on the same JVM.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from graph import embedded

REPO = Path(__file__).resolve().parent.parent
PEER_DIR = Path(__file__).resolve().parent / "peer"


@dataclass
class Process:
    """A server process this run started, with the URL it answers on."""

    name: str
    popen: subprocess.Popen[bytes]
    url: str
    log: Path
    extra_pids: list[int] = field(default_factory=list)

    def rss_mb(self) -> float:
        """Return the resident memory of the process and its children, in MiB."""
        return process_tree_rss(self.popen.pid)

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 20 s)."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def process_tree_rss(pid: int) -> float:
    """Return the RSS of pid and all its descendants in MiB (0 when gone)."""
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return round(total / 2**20, 1)


def free_port() -> int:
    return embedded.free_port()


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 120.0) -> None:
    """Block until url answers 200; raise RuntimeError with the log's tail when the process dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}:\n{tail(log)}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s:\n{tail(log)}")


def tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]) if path.exists() else ""


def start_custgraph(db_dir: Path, logs: Path, workers: int = 1) -> Process:
    """Start `python main.py serve` on db_dir (it finds the embedded server running and leaves it be)."""
    port = free_port()
    log = logs / f"custgraph-w{workers}.log"
    env = {**os.environ, "CUSTGRAPH_DATA_DIR": str(db_dir), "CUSTGRAPH_LOG_LEVEL": "warning"}
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "main.py", "--data-dir", str(db_dir), "--log-level", "warning", "serve",
           "--port", str(port), "--workers", str(workers)]
    with log.open("ab") as out:
        popen = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
    proc = Process(f"custgraph x{workers}", popen, f"http://127.0.0.1:{port}/graphql", log)
    try:
        wait_http(f"http://127.0.0.1:{port}/readyz", popen, log)
    except Exception:
        proc.stop()
        raise
    return proc


def start_peer(info: embedded.ServerInfo, password: str, logs: Path) -> Process:
    """Start the @neo4j/graphql peer (bench/peer/server.mjs) on the same embedded server."""
    if not (PEER_DIR / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR, check=True,
                       stdout=subprocess.DEVNULL)
    port = free_port()
    log = logs / "peer.log"
    env = {**os.environ, "NEO4J_URI": info.uri, "NEO4J_USER": "root", "NEO4J_PASSWORD": password,
           "NEO4J_DATABASE": info.database, "PORT": str(port), "NODE_ENV": "production"}
    with log.open("ab") as out:
        popen = subprocess.Popen(["node", "server.mjs"], cwd=PEER_DIR, env=env, stdout=out,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    proc = Process("@neo4j/graphql", popen, f"http://127.0.0.1:{port}/graphql", log)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", popen, log)
    except Exception:
        proc.stop()
        raise
    return proc


def peer_transactions(peer: Process) -> int:
    """Return how many database transactions the peer has run since it started."""
    return int(httpx.get(peer.url.replace("/graphql", "/stats"), timeout=5).json()["transactions"])


def dir_size_mb(path: Path) -> float:
    """Return the size of the files under path in MiB."""
    total = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return round(total / 2**20, 1)
