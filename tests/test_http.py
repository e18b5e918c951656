"""HTTP surface through the ASGI app with its lifespan: health, readiness, GraphQL over HTTP, graphql-http audit."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import neo4j
import pytest
import uvicorn

from graph.db import Graph
from main import Settings, create_app
from schema.app import GraphQLApp

AUDIT_DIR = Path(__file__).resolve().parent.parent / "tools" / "graphql-audit"
GQL = "application/graphql-response+json"


def settings_for(db_dir: Path) -> Settings:
    """Settings that point the app at the session's embedded server."""
    return Settings().model_copy(update={"data_dir": db_dir, "neo4j_uri": None, "neo4j_database": "crm"})


@pytest.fixture
async def client(graph: Graph, db_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client on the ASGI app, with the app's lifespan running (it finds the session's server)."""
    await graph.write_text("test/seed", "CREATE (:Customer {id: 'h1', name: 'Hana', name_lc: 'hana'})", {})
    app = create_app(settings_for(db_dir))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            c.app = app  # type: ignore[attr-defined]
            yield c


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


async def test_readiness_fails_when_the_database_is_unreachable(client: httpx.AsyncClient) -> None:
    app = client.app  # type: ignore[attr-defined]
    dead = neo4j.AsyncGraphDatabase.driver("bolt://127.0.0.1:9", auth=("x", "y"), connection_acquisition_timeout=2,
                                           max_transaction_retry_time=0.5)
    app.state.graph = Graph(dead, "crm", timeout=2)
    try:
        ready = await client.get("/readyz")
        assert (ready.status_code, ready.json(), ready.headers["retry-after"]) == (503, {"status": "unavailable"}, "5")
        res = await client.post("/graphql", json={"query": '{ customer(id: "h1") { id } }'})
        assert res.status_code == 503
        assert res.json()["errors"][0]["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
    finally:
        await dead.close()


async def test_post_and_get_with_both_media_types(client: httpx.AsyncClient) -> None:
    q = '{ customer(id: "h1") { id name } }'
    res = await client.post("/graphql", json={"query": q})
    assert (res.status_code, res.headers["content-type"]) == (200, "application/json")
    assert res.json() == {"data": {"customer": {"id": "h1", "name": "Hana"}}}
    res = await client.post("/graphql", json={"query": q}, headers={"accept": GQL})
    assert (res.status_code, res.headers["content-type"]) == (200, GQL)
    res = await client.get("/graphql", params={"query": q}, headers={"accept": f"{GQL}, application/json;q=0.9"})
    assert (res.status_code, res.headers["content-type"], res.json()["data"]["customer"]["id"]) == (200, GQL, "h1")


async def test_request_errors_status_codes(client: httpx.AsyncClient) -> None:
    bad = {"query": "{ nope }"}
    res = await client.post("/graphql", json=bad, headers={"accept": GQL})
    assert res.status_code == 400 and "data" not in res.json()
    assert res.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    res = await client.post("/graphql", json=bad, headers={"accept": "application/json"})
    assert res.status_code == 200 and res.json()["errors"][0]["message"] == "Cannot query field 'nope' on type 'Query'."
    res = await client.get("/graphql", params={"query": 'mutation { unlinkKnows(customerId: "a", otherId: "b") { id } }'})
    assert (res.status_code, res.headers["allow"]) == (405, "POST")
    res = await client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    assert res.status_code == 400
    # a domain error during execution keeps the data entry and status 200
    res = await client.post("/graphql", headers={"accept": GQL}, json={
        "query": 'mutation { unlinkKnows(customerId: "h1", otherId: "x") { id } }'})
    assert res.status_code == 200 and res.json()["data"] is None
    assert res.json()["errors"][0]["extensions"] == {"code": "NOT_FOUND"}


async def test_graphiql_is_served_to_browsers(client: httpx.AsyncClient) -> None:
    res = await client.get("/graphql", headers={"accept": "text/html"})
    assert res.status_code == 200 and "graphiql" in res.text.lower()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_url(db_dir: Path, server: object) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread."""
    port = free_port()
    config = uvicorn.Config(create_app(settings_for(db_dir)), host="127.0.0.1", port=port, log_level="warning",
                            ws="none", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/graphql"
    srv.should_exit = True
    thread.join(30)


def test_graphql_http_audit_reports_no_errors(live_url: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the graphql-http audit needs Node.js 18+")
    if not (AUDIT_DIR / "node_modules" / "graphql-http").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=AUDIT_DIR, check=True, capture_output=True, timeout=300)
    proc = subprocess.run([node, "audit.mjs", live_url], cwd=AUDIT_DIR, capture_output=True, text=True, timeout=300)
    results = json.loads(proc.stdout)
    errors = [r for r in results if r["status"] == "error"]
    assert errors == [] and proc.returncode == 0, errors or proc.stderr
    assert len(results) > 50


def test_responses_are_written_by_orjson_and_json_takes_what_it_cannot_write() -> None:
    app = GraphQLApp.__new__(GraphQLApp)  # encode_json uses no state
    assert app.encode_json({"data": {"name": "李建", "n": 3}}) == '{"data":{"name":"李建","n":3}}'.encode()
    assert app.encode_json({"data": {"n": 2**70}}) == b'{"data":{"n":1180591620717411303424}}'
