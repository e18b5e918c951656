"""One embedded graph server per test session; every test starts from an empty graph."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from graph import embedded
from graph.connection import Connection, Target, connect
from graph.db import Graph

DATABASE = "crm"


@pytest.fixture(scope="session")
def db_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Data directory of the session's embedded server (CUSTGRAPH_TEST_DATA_DIR to keep one)."""
    keep = os.environ.get("CUSTGRAPH_TEST_DATA_DIR")
    path = Path(keep) if keep else tmp_path_factory.mktemp("graphdb")
    yield path


@pytest.fixture(scope="session")
def server(db_dir: Path) -> Iterator[embedded.ServerInfo]:
    info, started = embedded.start(db_dir, DATABASE, heap=os.environ.get("CUSTGRAPH_TEST_HEAP", "1g"))
    yield info
    if started:
        embedded.stop(db_dir)


@pytest.fixture(scope="session")
def target(server: embedded.ServerInfo, db_dir: Path) -> Target:
    return Target(uri=None, user="root", password="", database=DATABASE, data_dir=db_dir, heap="1g")


@pytest.fixture(scope="session")
async def connection(target: Target) -> AsyncIterator[Connection]:
    conn = await connect(target)  # finds the session's server running: does not own it
    yield conn
    await conn.close()


@pytest.fixture
async def graph(connection: Connection) -> Graph:
    """The session's Graph, emptied before the test."""
    await clear(connection.graph)
    return connection.graph


async def clear(graph: Graph) -> None:
    """Delete every node and relationship (constraints and indexes stay)."""
    await graph.write_text("tests/clear", "MATCH (n) DETACH DELETE n", {})
