"""The embedded graph server: start, schema, restart keeps data, stale state handled."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from graph import embedded
from graph.connection import Connection, Target, connect
from graph.db import Graph
from graph.setup import DATETIME_INDEXES, PROBE_ID, apply_schema, index_parts, schema_queries


async def test_schema_setup_is_idempotent(graph: Graph) -> None:
    first = await graph.read_text("t", "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name", {})
    assert await apply_schema(graph) == len(schema_queries())
    second = await graph.read_text("t", "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name", {})
    assert first == second
    names = {r["name"] for r in second}
    assert {"customer_id", "company_id", "project_id", "interaction_id", "tag_key"} <= names


async def test_the_datetime_index_repair_runs_once_per_data_directory(tmp_path: Path) -> None:
    """graph/setup.py: on the embedded server the datetime indexes are made again around a probe value, once
    (a marker file in the data directory), leaving no probe behind."""
    target = Target(uri=None, user="root", password="", database="crm", data_dir=tmp_path, heap="512m")
    marker = tmp_path / embedded.DATETIME_INDEX_MARKER
    conn = await connect(target)
    try:
        assert marker.exists()
        marker.write_text("kept", encoding="utf-8")
        graph = conn.graph
        probes = await graph.read_text("t", "MATCH (n) WHERE n.id = $id RETURN count(n) AS n", {"id": PROBE_ID})
        assert probes[0]["n"] == 0
        indexes = {r["name"] for r in await graph.read_text("t", "SHOW INDEXES YIELD name RETURN name", {})}
        assert {index_parts(n)[0].strip("`") for n in DATETIME_INDEXES} <= indexes
    finally:
        await conn.close()
    again = await connect(target)  # the marker is there: no rebuild, the marker is left as it is
    await again.close()
    assert marker.read_text(encoding="utf-8") == "kept"


async def test_uniqueness_conflict_maps_to_conflict_error(graph: Graph) -> None:
    from graph.errors import ConflictError

    await graph.write_text("t", "CREATE (:Customer {id: 'c-1'})", {})
    with pytest.raises(ConflictError, match="conflicts with existing data"):
        await graph.write_text("t", "CREATE (:Customer {id: 'c-1'})", {})


async def test_restart_keeps_data_and_stale_state_is_handled(tmp_path: Path) -> None:
    target = Target(uri=None, user="root", password="", database="crm", data_dir=tmp_path, heap="512m")
    conn: Connection = await connect(target)
    assert conn.started_server
    await conn.graph.write_text("t", "CREATE (:Customer {id: 'keep-me', name: '王芳'})", {})
    await conn.close()
    assert embedded.status(tmp_path) is None
    assert (tmp_path / "root-password").stat().st_mode & 0o777 == 0o600

    conn = await connect(target)
    rows = await conn.graph.read_text("t", "MATCH (c:Customer {id: 'keep-me'}) RETURN c.name AS name", {})
    assert rows == [{"name": "王芳"}]
    # Simulate a crash: kill -9, leaving server.json behind.
    info = embedded.status(tmp_path)
    assert info is not None
    os.kill(info.pid, signal.SIGKILL)
    embedded._children.pop(info.pid).wait()
    await conn.driver.close()
    assert json.loads((tmp_path / "server.json").read_text())["pid"] == info.pid
    assert embedded.status(tmp_path) is None  # stale record detected and removed
    conn = await connect(target)
    rows = await conn.graph.read_text("t", "MATCH (c:Customer {id: 'keep-me'}) RETURN c.name AS name", {})
    assert rows == [{"name": "王芳"}]
    await conn.close()


def test_start_failure_points_at_the_log(tmp_path: Path) -> None:
    with pytest.raises(embedded.EmbeddedServerError, match=r"server\.log"):
        embedded.start(tmp_path, "crm", heap="not-a-size", timeout=30)
    assert embedded.status(tmp_path) is None
