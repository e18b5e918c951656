"""Reads retried after a real network fault: a TCP proxy between the driver and the embedded server drops
connections (graph/db.py Graph._read; no mocked driver, the fault is a closed socket)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest import DATABASE

from graph import embedded
from graph.db import READ_ATTEMPTS, Graph, open_driver
from graph.errors import UnavailableError


class Proxy:
    """Forwards TCP connections to the server; can cut every open connection, or refuse new ones (accept and
    close at once)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.accepted = 0
        self.refusing = False
        self.open: set[asyncio.StreamWriter] = set()
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self.refusing:
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.open |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.open -= {writer, up_writer}

    def cut(self) -> None:
        """Close every forwarded connection, both ends, as a dropped network would."""
        for w in list(self.open):
            w.transport.abort()
        self.open.clear()

    async def stop(self) -> None:
        self.cut()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


@pytest.fixture
async def proxied(server: embedded.ServerInfo, db_dir: Path, graph: Graph) -> AsyncIterator[tuple[Proxy, Graph]]:
    """A Graph whose driver reaches the session's server through a Proxy, over the emptied graph."""
    await graph.write_text("test/retry_seed", "UNWIND range(1, 3) AS i CREATE (:Customer {id: 'rr' + i})", {})
    proxy = Proxy(server.bolt_port)
    port = await proxy.start()
    driver = await open_driver(f"bolt://127.0.0.1:{port}", "root", embedded.root_password(db_dir.resolve()))
    try:
        yield proxy, Graph(driver, DATABASE, timeout=10)
    finally:
        await driver.close()
        await proxy.stop()


COUNT = "MATCH (c:Customer) WHERE c.id STARTS WITH 'rr' RETURN count(c) AS n"


async def test_a_read_on_a_dropped_connection_is_retried_and_answers(proxied: tuple[Proxy, Graph],
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    proxy, graph = proxied
    assert (await graph.read_text("test/count", COUNT, {}))[0]["n"] == 3
    before = proxy.accepted
    proxy.cut()  # the pooled connection is dead; the driver learns it only when the read uses it
    with caplog.at_level(logging.INFO, logger="graph.db"):
        rows = await graph.read_text("test/count", COUNT, {})
    assert rows[0]["n"] == 3
    assert proxy.accepted > before  # a new connection answered
    assert any("retrying a read" in r.getMessage() for r in caplog.records), "the read was not retried"


async def test_a_read_gives_up_after_its_attempts_and_says_the_database_is_unavailable(
        proxied: tuple[Proxy, Graph]) -> None:
    proxy, graph = proxied
    assert (await graph.read_text("test/count", COUNT, {}))[0]["n"] == 3
    proxy.refusing = True
    proxy.cut()
    before = proxy.accepted
    with pytest.raises(UnavailableError, match="unavailable; try again shortly"):
        await graph.read_text("test/count", COUNT, {})
    # The first attempt finds its pooled connection dead; each later one opens a connection that is refused.
    assert proxy.accepted - before == READ_ATTEMPTS - 1
