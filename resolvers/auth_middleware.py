"""ASGI middleware at the HTTP edge: request body limit, bearer authentication, per-key rate limit.

Order, outermost first: BodyLimit → Authenticate → RateLimit → the app. Every refusal is a
GraphQL-style JSON error carrying ``extensions.code`` (and ``extensions.limit`` for limits),
so clients handle them like any other GraphQL error.

Authentication mode (``CUSTGRAPH_AUTH``): ``required`` — every GraphQL request needs
``Authorization: Bearer <API key or JWT>``; ``off`` — requests without the header run as a
development admin. Unset, it is ``off`` only when the service is bound to a loopback host
and ``required`` otherwise; ``off`` on a non-loopback host is refused at start.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Literal

from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.auth import DEV_ADMIN, JwtConfig, Principal, authenticate
from graph.errors import DomainError, UnauthenticatedError, UnavailableError

log = logging.getLogger(__name__)

AuthMode = Literal["off", "required"]


class SecuritySettings(BaseSettings):
    """Authentication and request limits (CUSTGRAPH_* environment variables)."""

    model_config = SettingsConfigDict(env_prefix="CUSTGRAPH_", extra="ignore")

    auth: AuthMode | None = None
    key_pepper: str | None = None
    jwt_hs256_secret: str | None = None
    jwt_rs256_public_key: str | None = None  # PEM text, or the path of a PEM file
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    max_body_bytes: int = 1_048_576
    rate_limit_per_second: float = 20.0
    rate_limit_burst: int = 100

    def jwt_config(self) -> JwtConfig:
        pem = self.jwt_rs256_public_key
        if pem and not pem.lstrip().startswith("-----") and Path(pem).is_file():
            pem = Path(pem).read_text(encoding="utf-8")
        return JwtConfig(hs256_secret=self.jwt_hs256_secret, rs256_public_key=pem,
                         audience=self.jwt_audience, issuer=self.jwt_issuer)

    @property
    def pepper(self) -> bytes | None:
        return self.key_pepper.encode() if self.key_pepper else None


def is_loopback(host: str) -> bool:
    """Return whether a bind address only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def auth_mode(setting: str | None, host: str) -> AuthMode:
    """Return the effective mode: unset means off on loopback, required elsewhere; raise on off+public."""
    if setting is None:
        return "off" if is_loopback(host) else "required"
    if setting == "off" and not is_loopback(host):
        raise ValueError(f"CUSTGRAPH_AUTH=off is only allowed on a loopback host, not {host!r}; "
                         "create a key with 'python main.py keys create --role admin --name me'")
    if setting not in ("off", "required"):
        raise ValueError(f"CUSTGRAPH_AUTH must be 'off' or 'required', not {setting!r}")
    return setting  # type: ignore[return-value]


async def send_error(send: Send, status: int, message: str, code: str, headers: dict[str, str] | None = None,
                     **extensions: Any) -> None:
    """Send a GraphQL-style error response."""
    body = json.dumps({"data": None, "errors": [{"message": message, "extensions": {"code": code, **extensions}}]},
                      ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


class BodyLimit:
    """Refuses request bodies over max_bytes with 413 (limit ``max_body_bytes``), before any work."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        # Read the body (bounded) so a chunked upload cannot get past the limit, then replay it.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        await send_error(send, 413, f"the request body exceeds the limit max_body_bytes={self.max_bytes}",
                         "PAYLOAD_TOO_LARGE", limit="max_body_bytes")


def wants_graphiql(scope: Scope) -> bool:
    """Whether the request asks for the GraphiQL page (a browser GET without a query)."""
    if scope.get("method") != "GET" or b"query=" in scope.get("query_string", b""):
        return False
    return "text/html" in (_header(scope, b"accept") or "")


class Authenticate:
    """Puts the caller's Principal on ``request.state.principal`` for API paths; 401 when there is none.

    The GraphiQL page itself is served without credentials so a user can paste a key into its
    headers pane; paths outside ``protected`` (health, readiness, the web page's files) are public.
    """

    def __init__(self, app: ASGIApp, mode: AuthMode, jwt_config: JwtConfig, pepper: bytes | None = None,
                 protected: tuple[str, ...] = ("/graphql",)) -> None:
        self.app = app
        self.mode = mode
        self.jwt_config = jwt_config
        self.pepper = pepper
        self.protected = protected

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.protected) or wants_graphiql(scope):
            await self.app(scope, receive, send)
            return
        header = _header(scope, b"authorization")
        try:
            principal = await self.principal(scope, header)
        except UnauthenticatedError as exc:
            await send_error(send, 401, exc.message, exc.code, {"WWW-Authenticate": 'Bearer realm="custgraph"'})
            return
        except UnavailableError as exc:
            await send_error(send, 503, exc.message, exc.code, {"Retry-After": "5"})
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    async def principal(self, scope: Scope, header: str | None) -> Principal:
        if header is None:
            if self.mode == "off":
                return DEV_ADMIN
            raise UnauthenticatedError("authentication required: send 'Authorization: Bearer <API key or JWT>'")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise UnauthenticatedError("the Authorization header must be 'Bearer <API key or JWT>'")
        try:
            return await authenticate(scope["app"].state.graph, token.strip(), self.jwt_config, self.pepper)
        except DomainError:
            raise
        except Exception as exc:  # the database dropped mid-check: an outage, not a bad key
            log.warning("authentication could not reach the database: %s", type(exc).__name__)
            raise UnavailableError("the graph database is unavailable; try again shortly") from exc


class TokenBucket:
    """Per-principal token buckets in this process's memory: ``rate`` per second, up to ``burst``.

    With several worker processes each keeps its own buckets, so the service-wide limit is
    workers × rate.
    """

    def __init__(self, rate: float, burst: int, max_keys: int = 10_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token; return 0 when allowed, else the seconds until a token is free."""
        now = time.monotonic() if now is None else now
        tokens, last = self.buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self.buckets[key] = (tokens, now)
        if len(self.buckets) > self.max_keys:
            self.buckets.popitem(last=False)  # forget the least recently seen principal
        return wait


class RateLimit:
    """Refuses requests past a principal's token bucket with 429 (limit ``rate_limit``) and Retry-After."""

    def __init__(self, app: ASGIApp, rate: float, burst: int) -> None:
        self.app = app
        self.bucket = TokenBucket(rate, burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("state", {}).get("principal") if scope["type"] == "http" else None
        if principal is None:
            await self.app(scope, receive, send)
            return
        wait = self.bucket.take(principal.id)
        if wait > 0:
            await send_error(
                send, 429,
                f"too many requests for this key: the limit rate_limit={self.bucket.rate:g}/s "
                f"(burst {self.bucket.burst}) was reached",
                "RATE_LIMITED", {"Retry-After": str(max(1, math.ceil(wait)))}, limit="rate_limit")
            return
        await self.app(scope, receive, send)


def install_security(app: Any, host: str, settings: SecuritySettings | None = None) -> AuthMode:
    """Add the body limit, authentication and rate limit middleware to a Starlette app; return the mode."""
    settings = settings or SecuritySettings()
    mode = auth_mode(settings.auth, host)
    # add_middleware puts each new one outermost: add the innermost first.
    app.add_middleware(RateLimit, rate=settings.rate_limit_per_second, burst=settings.rate_limit_burst)
    app.add_middleware(Authenticate, mode=mode, jwt_config=settings.jwt_config(), pepper=settings.pepper)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if mode == "off":
        log.warning("authentication is off (loopback host %s): requests without a key run as a development admin",
                    host)
    return mode
