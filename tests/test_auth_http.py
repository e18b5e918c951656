"""The HTTP edge: bearer authentication, the loopback development default, body and rate limits."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph import auth
from graph.db import Graph
from main import Settings, create_app
from resolvers.auth_limits import TokenBucket
from resolvers.auth_middleware import SecuritySettings, auth_mode

TYPENAME = {"query": "{ __typename }"}
OK = {"data": {"__typename": "Query"}}


@contextlib.asynccontextmanager
async def serve(db_dir: Path, host: str = "127.0.0.1", **security: Any) -> AsyncIterator[httpx.AsyncClient]:
    """Yield an HTTP client on the real app (lifespan run: its DB monitor too; the session's server is not its own)."""
    app = create_app(Settings(data_dir=db_dir, host=host), SecuritySettings(**security))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_auth_mode_defaults_to_off_only_on_loopback() -> None:
    assert auth_mode(None, "127.0.0.1") == "off"
    assert auth_mode(None, "::1") == "off"
    assert auth_mode(None, "localhost") == "off"
    assert auth_mode(None, "0.0.0.0") == "required"
    assert auth_mode(None, "10.1.2.3") == "required"
    assert auth_mode("required", "127.0.0.1") == "required"
    with pytest.raises(ValueError, match="^CUSTGRAPH_AUTH=off is only allowed on a loopback host, not '0.0.0.0'"):
        auth_mode("off", "0.0.0.0")


async def test_required_mode_refuses_without_a_key_and_accepts_one(graph: Graph, db_dir: Path) -> None:
    meta, key = await auth.create_key(graph, role="analyst", name="http test")
    async with serve(db_dir, auth="required") as client:
        refused = await client.post("/graphql", json=TYPENAME)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == 'Bearer realm="custgraph"'
        assert refused.json() == {"data": None, "errors": [{
            "message": "authentication required: send 'Authorization: Bearer <API key or JWT>'",
            "extensions": {"code": "UNAUTHENTICATED"}}]}
        ok = await client.post("/graphql", json=TYPENAME, headers=bearer(key))
        assert (ok.status_code, ok.json()) == (200, OK)
        wrong_scheme = await client.post("/graphql", json=TYPENAME, headers={"Authorization": f"Basic {key}"})
        assert wrong_scheme.status_code == 401
        assert wrong_scheme.json()["errors"][0]["message"] == "the Authorization header must be 'Bearer <API key or JWT>'"
        # GraphiQL's page loads without a key; health checks are public.
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        assert (await client.get("/readyz")).status_code == 200
        via_get = await client.get("/graphql", params=TYPENAME, headers={"Accept": "text/html"})
        assert via_get.status_code == 401  # a query in the URL is an API call, page or not
        await auth.revoke_key(graph, meta.id)
        revoked = await client.post("/graphql", json=TYPENAME, headers=bearer(key))
        assert revoked.status_code == 401
        assert revoked.json()["errors"] == [{"message": "the API key was revoked",
                                             "extensions": {"code": "UNAUTHENTICATED"}}]


async def test_loopback_default_runs_as_dev_admin_but_still_checks_given_keys(graph: Graph, db_dir: Path) -> None:
    async with serve(db_dir) as client:
        ok = await client.post("/graphql", json=TYPENAME)
        assert (ok.status_code, ok.json()) == (200, OK)
        bad = await client.post("/graphql", json=TYPENAME, headers=bearer("cgk_0123456789ab_" + "x" * 43))
        assert bad.status_code == 401
        assert bad.json()["errors"][0]["message"] == "the API key is not valid"


async def test_body_limit_names_the_limit(graph: Graph, db_dir: Path) -> None:
    big = {"query": "{ __typename }", "variables": {"pad": "x" * 300}}
    async with serve(db_dir, max_body_bytes=200) as client:
        declared = await client.post("/graphql", json=big)
        assert declared.status_code == 413
        assert declared.json() == {"data": None, "errors": [{
            "message": "the request body exceeds the limit max_body_bytes=200",
            "extensions": {"code": "PAYLOAD_TOO_LARGE", "limit": "max_body_bytes"}}]}

        async def chunks() -> AsyncIterator[bytes]:  # no content-length: counted while read
            for _ in range(5):
                yield b"x" * 60

        chunked = await client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
        assert chunked.status_code == 413
        assert chunked.json()["errors"][0]["extensions"] == {"code": "PAYLOAD_TOO_LARGE", "limit": "max_body_bytes"}
        small = await client.post("/graphql", json=TYPENAME)
        assert (small.status_code, small.json()) == (200, OK)


async def test_rate_limit_is_per_key_and_names_the_limit(graph: Graph, db_dir: Path) -> None:
    _, first = await auth.create_key(graph, role="analyst", name="a")
    _, second = await auth.create_key(graph, role="analyst", name="b")
    async with serve(db_dir, auth="required", rate_limit_per_second=0.01, rate_limit_burst=3) as client:
        statuses = [(await client.post("/graphql", json=TYPENAME, headers=bearer(first))).status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        limited = await client.post("/graphql", json=TYPENAME, headers=bearer(first))
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "100"
        assert limited.json() == {"data": None, "errors": [{
            "message": "too many requests for this key: the limit rate_limit=0.01/s (burst 3) was reached",
            "extensions": {"code": "RATE_LIMITED", "limit": "rate_limit"}}]}
        other = await client.post("/graphql", json=TYPENAME, headers=bearer(second))
        assert other.status_code == 200  # another key has its own bucket


def test_token_bucket_refills_at_its_rate() -> None:
    bucket = TokenBucket(rate=2.0, burst=2)
    assert [bucket.take("k", now=0.0), bucket.take("k", now=0.0)] == [0.0, 0.0]
    assert bucket.take("k", now=0.0) == 0.5
    assert bucket.take("k", now=0.5) == 0.0  # one token came back in half a second
    assert bucket.take("other", now=0.5) == 0.0


async def test_keys_carry_their_role_through_http(graph: Graph, db_dir: Path) -> None:
    await graph.write_text("tests/http-roles", """
        CREATE (a:Company {id: 'co-1'}), (b:Company {id: 'co-2'})
        CREATE (:Customer {id: 'c-1', name: 'Ada', phone: '+8613812345678'})-[:WORKS_AT]->(a)
        CREATE (:Customer {id: 'c-2', name: 'Bo', phone: '+8613900001111'})-[:WORKS_AT]->(b)
        """, {})
    await auth.upsert_user(graph, "u-li", ["co-1"])
    _, analyst = await auth.create_key(graph, role="analyst", name="bi")
    _, manager = await auth.create_key(graph, role="account_manager", name="li", user_id="u-li")
    query = {"query": '{ a: customer(id: "c-1") { phone } b: customer(id: "c-2") { phone } customers { totalCount } }'}
    async with serve(db_dir, auth="required") as client:
        masked = await client.post("/graphql", json=query, headers=bearer(analyst))
        assert masked.json() == {"data": {"a": {"phone": "+86138****5678"}, "b": {"phone": "+86139****1111"},
                                          "customers": {"totalCount": 2}}}
        scoped = await client.post("/graphql", json=query, headers=bearer(manager))
        assert scoped.json() == {"data": {"a": {"phone": "+8613812345678"}, "b": None, "customers": {"totalCount": 1}}}
        write = await client.post("/graphql", headers=bearer(analyst),
                                  json={"query": 'mutation { upsertCustomer(input: {id: "c-3"}) { id } }'})
        assert write.json()["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
