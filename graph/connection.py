"""Connect to the configured database: a Neo4j given by URI, or the embedded server."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from neo4j import AsyncDriver

from graph import embedded
from graph.db import Graph, open_driver
from graph.setup import apply_schema

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """Where the database is: uri set means an external Neo4j; otherwise the embedded server."""

    uri: str | None
    user: str
    password: str
    database: str
    data_dir: Path
    heap: str = "2g"
    query_timeout: float = 30.0
    pool_size: int = 50


@dataclass(frozen=True)
class Connection:
    graph: Graph
    driver: AsyncDriver
    target: Target
    started_server: bool  # True when this process started the embedded server and must stop it

    async def close(self) -> None:
        await self.driver.close()
        if self.started_server:
            await asyncio.to_thread(embedded.stop, self.target.data_dir)


async def connect(target: Target, *, setup_schema: bool = True) -> Connection:
    """Open the one driver for this process (starting the embedded server when no URI is set)."""
    started = False
    uri, user, password = target.uri, target.user, target.password
    if not uri:
        info, started = await asyncio.to_thread(
            embedded.start, target.data_dir, target.database, target.heap
        )
        uri, user, password = info.uri, "root", embedded.root_password(target.data_dir.resolve())
        log.info("embedded graph server on %s (pid %d, data %s)", uri, info.pid, info.data_dir)
    try:
        driver = await open_driver(uri, user, password, max_pool=target.pool_size)
    except Exception:
        if started:
            await asyncio.to_thread(embedded.stop, target.data_dir)
        raise
    graph = Graph(driver, target.database, target.query_timeout)
    conn = Connection(graph, driver, target, started)
    if setup_schema:
        try:
            # The embedded server's datetime indexes are rebuilt once per data directory (graph/setup.py).
            marker = None if target.uri else target.data_dir / embedded.DATETIME_INDEX_MARKER
            repair = marker is not None and not marker.exists()
            await apply_schema(graph, repair_datetime_indexes=repair)
            if repair and marker is not None:
                marker.write_text("datetime indexes rebuilt around a probe value (graph/setup.py)\n", encoding="utf-8")
        except Exception:
            await conn.close()
            raise
    return conn
