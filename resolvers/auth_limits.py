"""ASGI middleware for limits and outages: request body size, per-key rate, fail-fast while the DB is down.

Each refusal is a GraphQL-style JSON error with ``extensions.code`` and, for limits,
``extensions.limit`` naming the setting that was hit.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.watchdog import DbHealth, keep_alive, ping

RETRY_AFTER = "5"


async def send_error(send: Send, status: int, message: str, code: str, headers: dict[str, str] | None = None,
                     **extensions: Any) -> None:
    """Send a GraphQL-style error response."""
    body = json.dumps({"data": None, "errors": [{"message": message, "extensions": {"code": code, **extensions}}]},
                      ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def header(scope: Scope, name: bytes) -> str | None:
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
        declared = header(scope, b"content-length")
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
        if principal is None or principal.via == "dev":  # the loopback development default holds no key
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


class DbGate:
    """Answers 503 SERVICE_UNAVAILABLE at once (with Retry-After) while the health monitor finds the DB down."""

    def __init__(self, app: ASGIApp, protected: tuple[str, ...] = ("/graphql",)) -> None:
        self.app = app
        self.protected = protected

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        health: DbHealth | None = getattr(scope["app"].state, "db_health", None) if "app" in scope else None
        if (scope["type"] == "http" and health is not None and not health.healthy
                and scope["path"].startswith(self.protected)):
            await send_error(send, 503, "the graph database is unavailable; try again shortly",
                             "SERVICE_UNAVAILABLE", {"Retry-After": RETRY_AFTER})
            return
        await self.app(scope, receive, send)


async def readyz(request: Request) -> JSONResponse:
    """503 at once while the monitor finds the database down; otherwise one ping without retries,
    judged like the monitor's (a failed connection is down at once, a slow answer is not)."""
    health: DbHealth = request.app.state.db_health
    if health.healthy:
        health.record(await ping(request.app.state.graph))  # down: the gate refuses until the monitor sees it back
    if not health.healthy:
        return JSONResponse({"status": "unavailable"}, status_code=503, headers={"Retry-After": RETRY_AFTER})
    return JSONResponse({"status": "ready"})


def install_reliability(app: Any, embedded_dir: Path | Callable[[Any], Path | None] | None, database: str = "crm",
                        heap: str = "2g") -> None:
    """Run the DB health monitor (and, for an embedded server, the watchdog) in the app's lifespan,
    fail fast while the DB is down, and answer /readyz from the monitor.

    embedded_dir may be a callable of the app, asked once the app's own lifespan has connected
    (whether the app owns the server is known only then). Both stop before that lifespan closes
    the driver and stops the server."""
    inner = app.router.lifespan_context
    app.state.db_health = DbHealth()

    @contextlib.asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        async with inner(a) as state:
            watched = embedded_dir(a) if callable(embedded_dir) else embedded_dir
            async with keep_alive(lambda: a.state.graph, a.state.db_health, watched, database, heap):
                yield state

    app.router.lifespan_context = lifespan
    app.router.routes.insert(0, Route("/readyz", readyz))  # the first matching route wins
    app.add_middleware(DbGate)  # outermost when installed last: refuse before authentication touches the DB
