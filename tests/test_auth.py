"""API keys, Users that MANAGE companies, JWTs, and the Principal they become."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from graph import auth
from graph.db import Graph
from graph.errors import BadInputError, NotFoundError, UnauthenticatedError

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
HS_SECRET = "a-test-secret-of-at-least-thirty-two-bytes!"


async def companies(graph: Graph, *ids: str) -> None:
    await graph.write_text("tests/companies", "UNWIND $ids AS id CREATE (:Company {id: id, name: id})", {"ids": list(ids)})


async def test_key_is_shown_once_stored_hashed_and_verifies(graph: Graph) -> None:
    meta, key = await auth.create_key(graph, role="analyst", name="reporting", now=NOW)
    assert key.startswith(f"cgk_{meta.id}_") and len(key) > 50
    assert meta == auth.ApiKey(id=meta.id, name="reporting", role="analyst", created_at=NOW)
    stored = await graph.read_text("tests/keys", "MATCH (k:ApiKey) RETURN k {.*} AS k", {})
    assert len(stored) == 1
    assert key not in str(stored) and key.split("_", 2)[2] not in str(stored)
    assert stored[0]["k"]["hash"] == auth.hash_key(key)
    principal = await auth.verify_key(graph, key)
    assert principal == auth.Principal(id=f"key:{meta.id}", role="analyst", scopes=frozenset({"read"}), via="key")
    assert not principal.can_write and not principal.sees_personal and principal.scope_company_ids is None


async def test_wrong_revoked_and_malformed_keys_are_refused(graph: Graph) -> None:
    meta, key = await auth.create_key(graph, role="admin", name="ops")
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    with pytest.raises(UnauthenticatedError, match="^the API key is not valid$"):
        await auth.verify_key(graph, forged)
    with pytest.raises(UnauthenticatedError, match="^the API key is malformed$"):
        await auth.verify_key(graph, "cgk_nothex_x")
    with pytest.raises(UnauthenticatedError, match="^the API key is not valid$"):
        await auth.verify_key(graph, key, pepper=b"another pepper")
    revoked = await auth.revoke_key(graph, meta.id, now=NOW)
    assert revoked.revoked_at == NOW
    again = await auth.revoke_key(graph, meta.id)
    assert again.revoked_at == NOW  # the first revocation time stays
    with pytest.raises(UnauthenticatedError, match="^the API key was revoked$"):
        await auth.verify_key(graph, key)
    with pytest.raises(NotFoundError, match="^API key 'ffffffffffff' not found$"):
        await auth.revoke_key(graph, "ffffffffffff")


async def test_service_scope_and_key_validation(graph: Graph) -> None:
    _, read_key = await auth.create_key(graph, role="service", name="bi")
    _, write_key = await auth.create_key(graph, role="service", name="sync", scope="write")
    assert (await auth.verify_key(graph, read_key)).scopes == frozenset({"read"})
    assert (await auth.verify_key(graph, write_key)).scopes == frozenset({"read", "write"})
    with pytest.raises(BadInputError, match="^role 'root' is not one of admin, account_manager, analyst, service$"):
        await auth.create_key(graph, role="root", name="x")
    with pytest.raises(BadInputError, match="^scope 'all' is not 'read' or 'write'$"):
        await auth.create_key(graph, role="service", name="x", scope="all")
    with pytest.raises(BadInputError, match="only service keys take a scope"):
        await auth.create_key(graph, role="analyst", name="x", scope="write")
    with pytest.raises(BadInputError, match="needs --user"):
        await auth.create_key(graph, role="account_manager", name="x")
    with pytest.raises(NotFoundError, match="^user 'u-nobody' not found; create it with 'users create'$"):
        await auth.create_key(graph, role="account_manager", name="x", user_id="u-nobody")
    with pytest.raises(BadInputError, match="name of 1 to 100"):
        await auth.create_key(graph, role="admin", name="  ")
    listed = await auth.list_keys(graph)
    assert sorted((k.name, k.role, k.scope) for k in listed) == [("bi", "service", "read"), ("sync", "service", "write")]


async def test_account_manager_key_carries_managed_companies(graph: Graph) -> None:
    await companies(graph, "co-a", "co-b", "co-c")
    assert await auth.upsert_user(graph, "u-li", ["co-b", "co-a"], name="Li Na") == 2
    meta, key = await auth.create_key(graph, role="account_manager", name="li's laptop", user_id="u-li")
    principal = await auth.verify_key(graph, key)
    assert principal == auth.Principal(id=f"key:{meta.id}", role="account_manager", scopes=frozenset({"read", "write"}),
                                       user_id="u-li", company_ids=("co-a", "co-b"), via="key")
    assert principal.scope_company_ids == ["co-a", "co-b"]
    # Reassigning replaces the set, and the next request sees it.
    assert await auth.upsert_user(graph, "u-li", ["co-c"]) == 1
    assert (await auth.verify_key(graph, key)).company_ids == ("co-c",)
    assert await auth.upsert_user(graph, "u-li", []) == 0
    assert (await auth.verify_key(graph, key)).scope_company_ids == []
    with pytest.raises(NotFoundError, match="^companies not found: co-x, co-y$"):
        await auth.upsert_user(graph, "u-li", ["co-y", "co-a", "co-x"])
    assert await auth.get_users(graph, ["u-li", "u-none"]) == {"u-li": ()}


def _token(claims: dict[str, object], key: object, alg: str) -> str:
    return jwt.encode({"exp": int(time.time()) + 600, **claims}, key, algorithm=alg)  # type: ignore[arg-type]


async def test_jwt_hs256_and_rs256(graph: Graph) -> None:
    await companies(graph, "co-a")
    await auth.upsert_user(graph, "u-li", ["co-a"])
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    config = auth.JwtConfig(hs256_secret=HS_SECRET, rs256_public_key=public_pem, audience="custgraph")
    hs = _token({"sub": "alice", "role": "analyst", "aud": "custgraph"}, HS_SECRET, "HS256")
    assert await auth.authenticate(graph, hs, config) == auth.Principal(
        id="jwt:alice", role="analyst", scopes=frozenset({"read"}), via="jwt")
    rs = _token({"sub": "u-li", "role": "account_manager", "aud": "custgraph"}, private, "RS256")
    assert await auth.authenticate(graph, rs, config) == auth.Principal(
        id="jwt:u-li", role="account_manager", scopes=frozenset({"read", "write"}), user_id="u-li",
        company_ids=("co-a",), via="jwt")
    svc = _token({"sub": "etl", "role": "service", "scope": "write", "aud": "custgraph"}, HS_SECRET, "HS256")
    assert (await auth.authenticate(graph, svc, config)).scopes == frozenset({"read", "write"})


@pytest.mark.parametrize(
    ("claims", "signer", "message"),
    [
        ({"sub": "a", "role": "analyst", "aud": "custgraph", "exp": 1}, "hs", "^the JWT has expired$"),
        ({"sub": "a", "role": "analyst", "aud": "other"}, "hs", "^the JWT is not valid: Audience doesn't match$"),
        ({"sub": "a", "aud": "custgraph"}, "hs", "the JWT is not valid: .*role"),
        ({"sub": "a", "role": "superuser", "aud": "custgraph"}, "hs", "^the JWT's role 'superuser' is not one of"),
        ({"sub": "u-gone", "role": "account_manager", "aud": "custgraph"}, "hs", "^the JWT's user 'u-gone' is unknown"),
        ({"sub": "a", "role": "admin", "aud": "custgraph"}, "wrong", "^the JWT is not valid: Signature verification failed$"),
        ({"sub": "a", "role": "admin", "aud": "custgraph"}, "none", "^JWT algorithm 'none' is not accepted$"),
    ],
)
async def test_jwt_refusals(graph: Graph, claims: dict[str, object], signer: str, message: str) -> None:
    config = auth.JwtConfig(hs256_secret=HS_SECRET, audience="custgraph")
    claims = {"exp": int(time.time()) + 600, **claims}
    if signer == "none":
        token = jwt.encode(claims, None, algorithm="none")  # type: ignore[arg-type]
    else:
        token = jwt.encode(claims, HS_SECRET if signer == "hs" else "x" * 40, algorithm="HS256")
    with pytest.raises(UnauthenticatedError, match=message):
        await auth.authenticate(graph, token, config)


async def test_jwt_refused_when_not_configured_and_garbage_tokens(graph: Graph) -> None:
    token = jwt.encode({"sub": "a", "role": "admin", "exp": int(time.time()) + 60}, HS_SECRET, algorithm="HS256")
    with pytest.raises(UnauthenticatedError, match="^JWTs are not accepted here: no signing key is configured$"):
        await auth.authenticate(graph, token, auth.JwtConfig())
    with pytest.raises(UnauthenticatedError, match="^the bearer token is neither an API key nor a JWT$"):
        await auth.authenticate(graph, "hunter2", auth.JwtConfig())
    with pytest.raises(UnauthenticatedError, match="^the bearer token is not a valid JWT$"):
        await auth.authenticate(graph, "a.b.c", auth.JwtConfig(hs256_secret=HS_SECRET))
