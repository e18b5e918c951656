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
import logging
from pathlib import Path
from typing import Any, Literal

from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.types import ASGIApp, Receive, Scope, Send

from graph.auth import DEV_ADMIN, JwtConfig, Principal, authenticate
from graph.errors import DomainError, UnauthenticatedError, UnavailableError
from resolvers.auth_limits import BodyLimit, RateLimit, header, install_reliability, send_error

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
    watchdog: bool = True  # restart the embedded server when it dies

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


def wants_graphiql(scope: Scope) -> bool:
    """Whether the request asks for the GraphiQL page (a browser GET without a query)."""
    if scope.get("method") != "GET" or b"query=" in scope.get("query_string", b""):
        return False
    return "text/html" in (header(scope, b"accept") or "")


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
        given = header(scope, b"authorization")
        try:
            principal = await self.principal(scope, given)
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


def install_edge(app: Any, host: str, embedded_dir: Path | None, database: str = "crm", heap: str = "2g",
                 settings: SecuritySettings | None = None) -> AuthMode:
    """Install everything at the HTTP edge in the right order: fail-fast gate, body limit,
    authentication, rate limit; the DB monitor and embedded watchdog in the lifespan."""
    settings = settings or SecuritySettings()
    mode = install_security(app, host, settings)
    install_reliability(app, embedded_dir if settings.watchdog else None, database, heap)
    return mode
