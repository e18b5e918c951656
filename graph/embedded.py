"""The embedded graph server: ArcadeDB's Bolt endpoint from the `arcadedb-embedded` wheel.

It runs as a separate child process (the wheel's bundled JRE, its jars, main class
`com.arcadedb.server.ArcadeDBServer`) bound to 127.0.0.1 on free ports, keeping its data in
a data directory. Layout of the data directory::

    <data dir>/arcadedb/        ArcadeDB's root path (databases, config, logs)
    <data dir>/root-password    generated once, mode 600
    <data dir>/server.json      pid and ports of the running server (absent when stopped)
    <data dir>/server.log       the server's stdout/stderr
    <data dir>/java.args        JVM argument file, mode 600 (keeps the password off `ps`)

A `server.json` whose pid is gone (a crashed run) is stale: it is reported and removed and a
new server starts on the same data, which ArcadeDB recovers from its write-ahead log.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import neo4j

from graph.processes import process_alive

log = logging.getLogger(__name__)

STATE_FILE = "server.json"
PASSWORD_FILE = "root-password"
LOG_FILE = "server.log"
DATETIME_INDEX_MARKER = "datetime-indexes-rebuilt"  # graph/setup.py: the one-time datetime index repair

# Servers this process started, kept so they are reaped (not warned about) when stopped.
_children: dict[int, subprocess.Popen[bytes]] = {}


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be started, reached or stopped."""


@dataclass(frozen=True)
class ServerInfo:
    """Where a running embedded server listens."""

    pid: int
    bolt_port: int
    http_port: int
    database: str
    data_dir: str
    started_at: float

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


def package_dir() -> Path:
    """Return the installed arcadedb_embedded package folder (JRE and jars)."""
    import arcadedb_embedded  # imported lazily: only the embedded path needs it

    return Path(arcadedb_embedded.__file__).resolve().parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def root_password(data_dir: Path) -> str:
    """Return the server's root password, generating it (mode 600) on first use."""
    path = data_dir / PASSWORD_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(password + "\n")
    return password


def pid_alive(pid: int) -> bool:
    """Whether pid is a live embedded server (not a recycled pid of some other program)."""
    if not process_alive(pid):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():  # a recycled pid that is not our server does not count
        cmd = cmdline.read_bytes()
        return b"ArcadeDBServer" in cmd or b"java.args" in cmd
    return True


def read_state(data_dir: Path) -> ServerInfo | None:
    """Return the running server recorded in data_dir; remove a stale record and return None."""
    path = data_dir / STATE_FILE
    if not path.exists():
        return None
    try:
        info = ServerInfo(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        log.warning("removing unreadable embedded server state %s", path)
        path.unlink(missing_ok=True)
        return None
    if pid_alive(info.pid):
        return info
    log.warning(
        "embedded server pid %d recorded in %s is gone (an earlier run crashed); starting afresh on the same data",
        info.pid,
        path,
    )
    path.unlink(missing_ok=True)
    child = _children.pop(info.pid, None)
    if child is not None:
        child.poll()  # reap our own crashed child so it does not linger as a zombie
    return None


def java_args(data_dir: Path, info_ports: tuple[int, int], database: str, heap: str, password: str) -> list[str]:
    bolt_port, http_port = info_ports
    root = data_dir / "arcadedb"
    return [
        f"-Xms{min_heap(heap)}",
        f"-Xmx{heap}",
        "-XX:+UseCompactObjectHeaders",
        "--add-modules=jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
        "--add-opens=java.base/java.nio.channels.spi=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "-Dfile.encoding=UTF8",
        "-Djava.awt.headless=true",
        "-Dpolyglot.engine.WarnInterpreterOnly=false",
        f"-Darcadedb.server.rootPath={root}",
        f"-Darcadedb.server.rootPassword={password}",
        "-Darcadedb.server.mode=development",
        "-Darcadedb.server.httpIncomingHost=127.0.0.1",
        f"-Darcadedb.server.httpIncomingPort={http_port}",
        "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "-Darcadedb.bolt.host=127.0.0.1",
        f"-Darcadedb.bolt.port={bolt_port}",
        f"-Darcadedb.server.defaultDatabases={database}[root]",
        f"-Darcadedb.bolt.defaultDatabase={database}",
        "-cp",
        str(package_dir() / "jars" / "*"),
        "com.arcadedb.server.ArcadeDBServer",
    ]


def min_heap(heap: str) -> str:
    return "256m" if heap.lower().endswith("m") and int(heap[:-1]) <= 512 else "512m"


def start(
    data_dir: Path,
    database: str = "crm",
    heap: str = "2g",
    timeout: float = 90.0,
    ports: tuple[int, int] | None = None,
) -> tuple[ServerInfo, bool]:
    """Start the server on data_dir, or find the one already running there.

    ports (bolt, http) pins the ports instead of picking free ones, so a restarted server is
    found again at the URI an open driver already uses. Returns the server and whether this
    call started it. Raises EmbeddedServerError with the log's location (and its last lines)
    when the server does not answer in time.
    """
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    running = read_state(data_dir)
    if running is not None:
        if running.database != database:
            raise EmbeddedServerError(
                f"the embedded server on {data_dir} (pid {running.pid}) serves database "
                f"{running.database!r}, not {database!r}; stop it with 'python main.py db stop'"
            )
        wait_ready(running, data_dir, timeout)
        return running, False
    password = root_password(data_dir)
    bolt_port, http_port = ports or (free_port(), free_port())
    args_file = data_dir / "java.args"
    fd = os.open(args_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(f'"{a}"' for a in java_args(data_dir, (bolt_port, http_port), database, heap, password)))
    java = package_dir() / "jre" / "bin" / "java"
    log_path = data_dir / LOG_FILE
    with open(log_path, "ab") as log_file:
        proc = subprocess.Popen(
            [str(java), f"@{args_file}"],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in a terminal goes to us; we stop it cleanly
            cwd=data_dir,
        )
    _children[proc.pid] = proc
    info = ServerInfo(proc.pid, bolt_port, http_port, database, str(data_dir), time.time())
    (data_dir / STATE_FILE).write_text(json.dumps(asdict(info)), encoding="utf-8")
    try:
        wait_ready(info, data_dir, timeout, proc)
    except EmbeddedServerError:
        stop(data_dir)
        raise
    return info, True


def wait_ready(info: ServerInfo, data_dir: Path, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Block until Bolt answers; raise EmbeddedServerError pointing at the log otherwise."""
    password = root_password(data_dir)
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise EmbeddedServerError(
                f"the embedded server exited with code {proc.returncode} while starting; "
                f"see {data_dir / LOG_FILE}:\n{log_tail(data_dir)}"
            )
        try:
            asyncio.run(_verify(info.uri, password, info.database))
            return
        except Exception as exc:  # not up yet: refused, handshake, database not created
            last = exc
            time.sleep(0.25)
    raise EmbeddedServerError(
        f"the embedded server did not answer on {info.uri} within {timeout:.0f}s ({last}); "
        f"see {data_dir / LOG_FILE}:\n{log_tail(data_dir)}"
    )


async def _verify(uri: str, password: str, database: str) -> None:
    driver = neo4j.AsyncGraphDatabase.driver(uri, auth=("root", password), connection_timeout=2)
    try:
        await driver.verify_connectivity()
        await driver.execute_query("RETURN 1", database_=database)
    finally:
        await driver.close()


def log_tail(data_dir: Path, lines: int = 20) -> str:
    path = data_dir / LOG_FILE
    if not path.exists():
        return "(no log written)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def stop(data_dir: Path, timeout: float = 30.0) -> bool:
    """Stop the server running on data_dir (SIGTERM, then SIGKILL); return whether one ran."""
    data_dir = data_dir.resolve()
    info = read_state(data_dir)
    if info is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(info.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _running(info.pid):
        time.sleep(0.1)
    if _running(info.pid):
        log.warning("embedded server pid %d did not stop in %.0fs; killing it", info.pid, timeout)
        os.kill(info.pid, signal.SIGKILL)
        while _running(info.pid):
            time.sleep(0.1)
    (data_dir / STATE_FILE).unlink(missing_ok=True)
    return True


def _running(pid: int) -> bool:
    """Whether pid still runs; reaps it when it is our exited child."""
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass
    return pid_alive(pid)


def status(data_dir: Path) -> ServerInfo | None:
    """Return the server running on data_dir, if any."""
    return read_state(data_dir.resolve())
