"""Who is asking: API keys (stored hashed), JWTs, Users that MANAGE companies, and the Principal.

An API key looks like ``cgk_<id>_<secret>``: the id finds the `ApiKey` node in one indexed
lookup, the secret never leaves the CLI output (only an HMAC-SHA256 of the whole key is
stored). Keys are 256-bit random, so a fast hash is enough; a pepper (a server secret mixed
into the HMAC) makes a stolen database useless for forging keys.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import jwt
from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.entities import known_fields
from graph.errors import BadInputError, NotFoundError, UnauthenticatedError

Role = Literal["admin", "account_manager", "analyst", "service"]
ROLES: tuple[str, ...] = ("admin", "account_manager", "analyst", "service")
KEY_PREFIX = "cgk"
_KEY = re.compile(r"^cgk_([0-9a-f]{12})_([A-Za-z0-9_\-]{20,100})$")
_USER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@\-]{0,99}$")
_DEFAULT_PEPPER = b"custgraph-api-key-v1"


class Principal(BaseModel):
    """An authenticated caller: role, read/write scopes, and for account managers their companies."""

    model_config = ConfigDict(frozen=True)

    id: str
    role: Role
    scopes: frozenset[str]
    user_id: str | None = None
    company_ids: tuple[str, ...] | None = None  # None: unscoped; account managers: the companies they manage
    via: Literal["key", "jwt", "dev", "cli"] = "key"

    @property
    def name(self) -> str:
        """The principal's id, as recorded in `by`/`assigned_by` fields elsewhere."""
        return self.id

    @property
    def can_write(self) -> bool:
        return "write" in self.scopes

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def sees_personal(self) -> bool:
        """Whether personal fields (phone, email, birth date, personal attributes) are shown unmasked."""
        return self.role != "analyst"

    @property
    def scope_company_ids(self) -> list[str] | None:
        """The `$scope_company_ids` Cypher parameter: None for unscoped roles, else the managed ids."""
        if self.role != "account_manager":
            return None
        return list(self.company_ids or ())


def scopes_for(role: str, scope: str | None = None) -> frozenset[str]:
    """Return the scopes a role holds; a service key holds 'read' or 'read'+'write' by its scope."""
    if role == "admin":
        return frozenset({"read", "write", "admin"})
    if role == "account_manager":
        return frozenset({"read", "write"})
    if role == "service" and scope == "write":
        return frozenset({"read", "write"})
    return frozenset({"read"})


DEV_ADMIN = Principal(id="anonymous", role="admin", scopes=scopes_for("admin"), via="dev")


def cli_principal(user: str) -> Principal:
    """Return the principal for someone at the server's command line (they hold the database anyway)."""
    return Principal(id=f"cli:{user}", role="admin", scopes=scopes_for("admin"), via="cli")


class ApiKey(BaseModel):
    """An API key's metadata as stored (the key itself is never stored)."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    role: Role
    scope: str | None = None
    user_id: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class JwtConfig:
    """Keys that sign accepted JWTs: an HS256 shared secret and/or an RS256 public key (PEM)."""

    hs256_secret: str | None = None
    rs256_public_key: str | None = None
    audience: str | None = None
    issuer: str | None = None
    leeway: float = 30.0

    @property
    def enabled(self) -> bool:
        return bool(self.hs256_secret or self.rs256_public_key)


def hash_key(key: str, pepper: bytes | None = None) -> str:
    """Return the hex HMAC-SHA256 of an API key under the pepper."""
    return hmac.new(pepper or _DEFAULT_PEPPER, key.encode(), hashlib.sha256).hexdigest()


async def create_key(
    graph: Graph,
    *,
    role: str,
    name: str,
    scope: str | None = None,
    user_id: str | None = None,
    pepper: bytes | None = None,
    now: datetime | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; return its metadata and the key (shown once). Raise BadInputError/NotFoundError."""
    if role not in ROLES:
        raise BadInputError(f"role {role!r} is not one of {', '.join(ROLES)}")
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise BadInputError("a key needs a name of 1 to 100 characters")
    if role == "service":
        scope = scope or "read"
        if scope not in ("read", "write"):
            raise BadInputError(f"scope {scope!r} is not 'read' or 'write'")
    elif scope is not None:
        raise BadInputError(f"only service keys take a scope; a {role} key's rights come from its role")
    if role == "account_manager":
        if not user_id:
            raise BadInputError("an account_manager key needs --user (the User whose companies it may see)")
        if not (await graph.read("auth/get_users", ids=[user_id])):
            raise NotFoundError(f"user {user_id!r} not found; create it with 'users create'")
    elif user_id is not None:
        raise BadInputError("only account_manager keys belong to a user")
    key_id = secrets.token_hex(6)
    key = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    rows = await graph.write(
        "auth/create_api_key", id=key_id, hash=hash_key(key, pepper), key_name=name, role=role, scope=scope,
        user_id=user_id, at=now or datetime.now(UTC),
    )
    return _api_key(rows[0]["key"]), key


async def list_keys(graph: Graph) -> list[ApiKey]:
    """Return every key's metadata, newest first."""
    return [_api_key(r["key"]) for r in await graph.read("auth/list_api_keys")]


async def revoke_key(graph: Graph, key_id: str, now: datetime | None = None) -> ApiKey:
    """Revoke a key at once; raise NotFoundError naming it when absent."""
    rows = await graph.write("auth/revoke_api_key", id=key_id, at=now or datetime.now(UTC))
    if not rows:
        raise NotFoundError(f"API key {key_id!r} not found")
    return _api_key(rows[0]["key"])


def _api_key(props: dict[str, Any]) -> ApiKey:
    return ApiKey(**known_fields(ApiKey, props))


async def verify_key(graph: Graph, key: str, pepper: bytes | None = None) -> Principal:
    """Return the Principal of a valid, unrevoked key; raise UnauthenticatedError otherwise."""
    match = _KEY.match(key)
    if match is None:
        raise UnauthenticatedError("the API key is malformed")
    rows = await graph.read("auth/get_api_key", id=match.group(1))
    if not rows or not hmac.compare_digest(rows[0]["key"].get("hash", ""), hash_key(key, pepper)):
        raise UnauthenticatedError("the API key is not valid")
    row = rows[0]
    stored = _api_key(row["key"])
    if stored.revoked_at is not None:
        raise UnauthenticatedError("the API key was revoked")
    companies: tuple[str, ...] | None = None
    if stored.role == "account_manager":
        if not row["user_found"]:
            raise UnauthenticatedError(f"the API key's user {stored.user_id!r} no longer exists")
        companies = tuple(sorted(row["company_ids"]))
    return Principal(id=f"key:{stored.id}", role=stored.role, scopes=scopes_for(stored.role, stored.scope),
                     user_id=stored.user_id, company_ids=companies, via="key")


def decode_jwt(token: str, config: JwtConfig) -> dict[str, Any]:
    """Return a JWT's verified claims (signature, exp/nbf, aud/iss when configured, sub and role)."""
    if not config.enabled:
        raise UnauthenticatedError("JWTs are not accepted here: no signing key is configured")
    try:
        alg = jwt.get_unverified_header(token).get("alg")
    except jwt.PyJWTError as exc:
        raise UnauthenticatedError("the bearer token is not a valid JWT") from exc
    keys = {"HS256": config.hs256_secret, "RS256": config.rs256_public_key}
    key = keys.get(alg) if isinstance(alg, str) else None
    if not key or not isinstance(alg, str):
        raise UnauthenticatedError(f"JWT algorithm {alg!r} is not accepted")
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[alg], audience=config.audience, issuer=config.issuer,
            leeway=config.leeway, options={"require": ["sub", "role", "exp"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise UnauthenticatedError("the JWT has expired") from exc
    except jwt.PyJWTError as exc:
        raise UnauthenticatedError(f"the JWT is not valid: {exc}") from exc
    return claims


async def verify_jwt(graph: Graph, token: str, config: JwtConfig) -> Principal:
    """Return the Principal of a valid JWT (`sub`, `role`, optional `scope` for service tokens)."""
    claims = decode_jwt(token, config)
    role, sub = claims["role"], claims["sub"]
    if role not in ROLES:
        raise UnauthenticatedError(f"the JWT's role {role!r} is not one of {', '.join(ROLES)}")
    if not isinstance(sub, str) or not _USER_ID.match(sub):
        raise UnauthenticatedError("the JWT's sub is not a valid user id")
    scope = claims.get("scope") if role == "service" else None
    companies: tuple[str, ...] | None = None
    if role == "account_manager":
        users = await get_users(graph, [sub])
        if sub not in users:
            raise UnauthenticatedError(f"the JWT's user {sub!r} is unknown; create it with 'users create'")
        companies = users[sub]
    return Principal(id=f"jwt:{sub}", role=role, scopes=scopes_for(role, scope if isinstance(scope, str) else None),
                     user_id=sub if role == "account_manager" else None, company_ids=companies, via="jwt")


async def authenticate(graph: Graph, token: str, jwt_config: JwtConfig, pepper: bytes | None = None) -> Principal:
    """Return the Principal for a bearer token (an API key or a JWT); raise UnauthenticatedError."""
    if token.startswith(f"{KEY_PREFIX}_"):
        return await verify_key(graph, token, pepper)
    if token.count(".") == 2:
        return await verify_jwt(graph, token, jwt_config)
    raise UnauthenticatedError("the bearer token is neither an API key nor a JWT")


async def get_users(graph: Graph, ids: list[str]) -> dict[str, tuple[str, ...]]:
    """Return, for each existing User id, the sorted ids of the companies it MANAGES."""
    rows = await graph.read("auth/get_users", ids=ids)
    return {r["id"]: tuple(sorted(r["company_ids"])) for r in rows}


async def upsert_user(graph: Graph, user_id: str, company_ids: list[str], name: str | None = None,
                      now: datetime | None = None) -> int:
    """Create or update a User that MANAGES exactly these companies; return how many. Raise NotFoundError."""
    if not _USER_ID.match(user_id):
        raise BadInputError(f"user id {user_id!r} must be 1-100 letters, digits or _.:@-")
    wanted = sorted(set(company_ids))
    found = {r["id"] for r in await graph.read("auth/find_companies", ids=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise NotFoundError(f"companies not found: {', '.join(missing)}")
    rows = await graph.write("auth/upsert_user", id=user_id, user_name=name, company_ids=wanted,
                             at=now or datetime.now(UTC))
    return int(rows[0]["managed"]) if rows else 0
