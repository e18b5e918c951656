"""custgraph: settings, the Starlette app and the command line.

    python main.py serve [--demo]        GraphQL on http://127.0.0.1:8000/graphql
    python main.py db start|stop|status  the embedded graph server, for other tools
    python main.py db digest             write the activity digest where it is missing (graph/activity.py)
    python main.py import DIR            bulk import of CSV files
    python main.py demo [--customers N]  generate and import a demo CRM graph
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger("custgraph")


class Settings(BaseSettings):
    """Every setting has an environment variable (CUSTGRAPH_* or NEO4J_*) and a CLI flag."""

    model_config = SettingsConfigDict(env_prefix="CUSTGRAPH_", extra="ignore")

    neo4j_uri: str | None = Field(None, validation_alias=AliasChoices("NEO4J_URI", "CUSTGRAPH_NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER", "NEO4J_USERNAME"))
    neo4j_password: str = Field("", validation_alias=AliasChoices("NEO4J_PASSWORD", "CUSTGRAPH_NEO4J_PASSWORD"))
    neo4j_database: str = Field("crm", validation_alias=AliasChoices("NEO4J_DATABASE", "CUSTGRAPH_NEO4J_DATABASE"))
    data_dir: Path = Path("data")
    db_heap: str = "2g"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    query_timeout: float = 30.0
    default_region: str = "CN"
    log_level: str = "INFO"
    max_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 2000
    max_page_size: int = 500
    # Set by `serve` for its workers: the embedded server was started for this service, so
    # the watchdog restarts it when it dies (an app that only found one running leaves it be).
    manage_embedded: bool = False

    def target(self) -> Any:
        from graph.connection import Target

        return Target(
            uri=self.neo4j_uri or None,
            user=self.neo4j_user,
            password=self.neo4j_password,
            database=self.neo4j_database,
            data_dir=self.data_dir,
            heap=self.db_heap,
            query_timeout=self.query_timeout,
        )


def create_app(settings: Settings | None = None, security: Any = None) -> Any:
    """Build the Starlette app: GraphQL (+GraphiQL) at /graphql, /healthz, /readyz."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from graph.connection import connect
    from resolvers.auth_limits import install_reliability
    from resolvers.auth_middleware import SecuritySettings, install_security
    from resolvers.web_app import web_routes
    from schema.app import graphql_app

    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        conn = await connect(settings.target())
        app.state.connection = conn
        app.state.graph = conn.graph
        try:
            yield
        finally:
            await conn.close()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    def watched_dir(app: Starlette) -> Path | None:
        """The embedded server's data dir when this service owns it (and the watchdog is on), else None."""
        owned = app.state.connection.started_server or (settings.manage_embedded and not settings.neo4j_uri)
        return settings.data_dir if owned and security.watchdog else None

    security = security or SecuritySettings()
    gql = graphql_app(settings)
    routes = [
        Route("/healthz", healthz),
        Route("/graphql", gql, methods=["GET", "POST"]),
        *web_routes(),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    # Auth (CUSTGRAPH_AUTH: off by default only on loopback), body size and per-key rate limits.
    install_security(app, settings.host, security)  # security: SecuritySettings, default from CUSTGRAPH_* env
    # Outermost: 503 at once while the DB monitor finds the database down; /readyz from the monitor;
    # the embedded-server watchdog when the server is ours. Both stop before the driver closes.
    install_reliability(app, watched_dir, settings.neo4j_database, settings.db_heap)
    return app


# --- command line -----------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="custgraph", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="embedded database data directory (CUSTGRAPH_DATA_DIR)")
    parser.add_argument("--neo4j-uri", help="use this Neo4j instead of the embedded server (NEO4J_URI)")
    parser.add_argument("--database", help="database name (NEO4J_DATABASE)")
    parser.add_argument("--log-level", help="logging level (CUSTGRAPH_LOG_LEVEL)")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve GraphQL (and GraphiQL) over HTTP")
    serve.add_argument("--host", help="bind address (CUSTGRAPH_HOST)")
    serve.add_argument("--port", type=int, help="port (CUSTGRAPH_PORT)")
    serve.add_argument("--workers", type=int, help="uvicorn worker processes (CUSTGRAPH_WORKERS)")
    serve.add_argument("--demo", action="store_true", help="load demo data first when the database is empty")
    serve.add_argument("--demo-customers", type=int, default=3000, help="demo size when --demo loads it")

    db = sub.add_parser("db", help="the embedded graph server")
    db.add_argument("action", choices=["start", "stop", "status", "digest"],
                    help="digest: write the activity digest of customers that lack it (after an upgrade)")

    imp = sub.add_parser("import", help="bulk import a directory of CSV files")
    imp.add_argument("directory", type=Path)
    imp.add_argument("--report", type=Path, help="write a JSON report of loaded/rejected rows here")
    imp.add_argument("--strict", action="store_true", help="exit non-zero when any row was rejected")
    imp.add_argument("--merge-duplicates", action="store_true", help="merge customers sharing email/phone")
    imp.add_argument("--batch-size", type=int, default=2000)
    imp.add_argument("--default-region", help="phone region for numbers without +country (CUSTGRAPH_DEFAULT_REGION)")

    demo = sub.add_parser("demo", help="generate a seeded demo CRM graph and import it")
    demo.add_argument("--customers", type=int, default=3000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--out", type=Path, help="keep the generated CSV files here")
    demo.add_argument("--only-if-empty", action="store_true", help="do nothing when customers exist")
    demo.add_argument("--no-tags", action="store_true", help="skip installing and refreshing the starter tags")
    tags = sub.add_parser("tags", help="the tag engine: refresh automatic tags, install the starter catalogue")
    from resolvers.mining_commands import MINING_ACTIONS, add_mining_arguments

    tags.add_argument("tags_action", choices=["refresh", "install-catalogue", "runs", *MINING_ACTIONS])
    tags.add_argument("--tag", help="only this tag (and what it depends on)")
    tags.add_argument("--as-of", type=parse_when, help="evaluate windows as of this ISO 8601 time (default now)")
    add_mining_arguments(tags)  # tags mine value-groups|influence|communities|lookalike, tags train KEY --label L

    from resolvers.auth_commands import add_auth_commands
    from resolvers.segment_commands import add_commands as add_segment_commands

    add_segment_commands(sub)  # segments snapshot|export, cypher run|query
    add_auth_commands(sub)  # keys create|list|revoke, users create
    return parser


def parse_when(text: str) -> datetime:
    """Return an aware UTC datetime from ISO 8601 text (naive means UTC)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 date or datetime") from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for flag, key in [
        ("data_dir", "data_dir"),
        ("host", "host"),
        ("port", "port"),
        ("workers", "workers"),
        ("log_level", "log_level"),
        ("default_region", "default_region"),
    ]:
        value = getattr(args, flag, None)
        if value is not None:
            overrides[key] = value
    settings = Settings()
    if getattr(args, "neo4j_uri", None):
        overrides["neo4j_uri"] = args.neo4j_uri
    if getattr(args, "database", None):
        overrides["neo4j_database"] = args.database
    return settings.model_copy(update=overrides)


def cmd_db(settings: Settings, action: str) -> int:
    from rich.console import Console

    from graph import embedded

    console = Console()
    if settings.neo4j_uri:
        console.print(f"NEO4J_URI is set ({settings.neo4j_uri}): no embedded server is managed.")
        return 1
    data_dir = settings.data_dir.resolve()
    if action == "start":
        info, started = embedded.start(data_dir, settings.neo4j_database, settings.db_heap)
        console.print(("started" if started else "already running") + f" embedded graph server pid {info.pid}")
    elif action == "stop":
        console.print("stopped" if embedded.stop(data_dir) else "no embedded server is running on " + str(data_dir))
        return 0
    found = embedded.status(data_dir)
    if found is None:
        console.print(f"no embedded server is running on {data_dir}")
        return 3 if action == "status" else 1
    console.print(f"bolt URI:  {found.uri}   (user root, database {found.database})")
    console.print(f"password:  {data_dir / embedded.PASSWORD_FILE}")
    console.print(f"HTTP:      http://127.0.0.1:{found.http_port}   log: {data_dir / embedded.LOG_FILE}")
    console.print(f"pid:       {found.pid}")
    return 0


def settings_env(settings: Settings) -> dict[str, str]:
    """Return the environment variables that reproduce these settings in a worker process."""
    env = {
        "CUSTGRAPH_DATA_DIR": str(settings.data_dir),
        "NEO4J_DATABASE": settings.neo4j_database,
        "CUSTGRAPH_LOG_LEVEL": settings.log_level,
        "CUSTGRAPH_DEFAULT_REGION": settings.default_region,
    }
    if settings.neo4j_uri:
        env["NEO4J_URI"] = settings.neo4j_uri
    return env


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from graph import embedded

    # The embedded server is started here, once, so that every uvicorn worker finds it
    # running (and none of them stops it); this process stops it when serving ends.
    started = False
    if not settings.neo4j_uri:
        _, started = embedded.start(settings.data_dir, settings.neo4j_database, settings.db_heap)
    # uvicorn re-raises the SIGTERM it handled once it has shut down; turn it into SystemExit so
    # the `finally` below still stops the embedded server (the default action would kill us first).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        # The schema (and the embedded server's one-time datetime index repair, graph/setup.py) is set up
        # here, once, before the workers start: workers setting it up at the same time would race.
        if args.demo:
            asyncio.run(load_demo_if_empty(settings, args.demo_customers))
        else:
            asyncio.run(with_connection(settings, _schema_ready))
        log.info("GraphQL (GraphiQL in a browser) on http://%s:%d/graphql", settings.host, settings.port)
        # Workers build their app from the environment, so CLI flags travel through it.
        os.environ.update(settings_env(settings))
        if not settings.neo4j_uri:
            os.environ["CUSTGRAPH_MANAGE_EMBEDDED"] = "1"  # the workers' watchdog restarts it if it dies
        uvicorn.run(
            "main:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers if settings.workers > 1 else None,
            log_level=settings.log_level.lower(),
            timeout_graceful_shutdown=20,
        )
    finally:
        if started:
            embedded.stop(settings.data_dir)
    return 0


async def _schema_ready(graph: Any) -> None:
    """Nothing to do: connecting set up the schema."""


async def with_connection(settings: Settings, fn: Any) -> Any:
    from graph.connection import connect

    conn = await connect(settings.target())
    try:
        return await fn(conn.graph)
    finally:
        await conn.close()


async def load_demo_if_empty(settings: Settings, customers: int, seed: int = 7, out: Path | None = None) -> None:
    async def go(graph: Any) -> None:
        if (await graph.read("import/count_customers"))[0]["customers"]:
            log.info("the graph already holds customers; demo data not loaded")
            return
        await demo_with_tags(graph, settings, customers=customers, seed=seed, out=out)

    await with_connection(settings, go)


async def demo_with_tags(graph: Any, settings: Settings, *, customers: int, seed: int, out: Path | None,
                         tags: bool = True) -> int:
    """Import the demo graph, then install the starter tag catalogue and refresh it (so portraits show tags)."""
    from graph.tag_catalogue import install_catalogue
    from ingest.demo import run_demo
    from resolvers.tag_commands import tags_command

    code = await run_demo(graph, customers=customers, seed=seed, out=out, default_region=settings.default_region)
    if tags:
        await install_catalogue(graph)
        code = max(code, await tags_command(graph, "refresh"))
    return int(code)


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from ingest.cli import run_import_cli

    async def go(graph: Any) -> int:
        return await run_import_cli(
            graph,
            args.directory,
            report=args.report,
            strict=args.strict,
            merge_duplicates=args.merge_duplicates,
            batch_size=args.batch_size,
            default_region=settings.default_region,
        )

    return int(asyncio.run(with_connection(settings, go)))


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    async def go(graph: Any) -> int:
        if args.only_if_empty and (await graph.read("import/count_customers"))[0]["customers"]:
            log.info("the graph already holds customers; demo data not loaded")
            return 0
        return await demo_with_tags(graph, settings, customers=args.customers, seed=args.seed, out=args.out,
                                    tags=not args.no_tags)

    return int(asyncio.run(with_connection(settings, go)))


def main(argv: Sequence[str] | None = None) -> int:
    from resolvers.mining_commands import MINING_ACTIONS

    args = build_parser().parse_args(argv)
    settings = settings_from(args)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    if args.command == "db" and args.action == "digest":
        from graph.activity import backfill

        written = asyncio.run(with_connection(settings, backfill))
        print(f"activity digest written for {written} customers")
        return 0
    if args.command == "db":
        return cmd_db(settings, args.action)
    if args.command == "serve":
        return cmd_serve(settings, args)
    if args.command == "import":
        return cmd_import(settings, args)
    if args.command == "demo":
        return cmd_demo(settings, args)
    if args.command in ("segments", "cypher"):
        from resolvers.segment_commands import dispatch

        return int(asyncio.run(with_connection(settings, lambda graph: dispatch(graph, args))))
    if args.command in ("keys", "users"):
        from resolvers.auth_commands import run_auth_command

        return int(asyncio.run(with_connection(settings, lambda graph: run_auth_command(graph, args))))
    if args.command == "tags" and args.tags_action in MINING_ACTIONS:
        from resolvers.mining_commands import mining_command

        return int(asyncio.run(with_connection(settings, lambda graph: mining_command(graph, args))))
    if args.command == "tags":
        from resolvers.tag_commands import tags_command

        return int(asyncio.run(with_connection(
            settings, lambda graph: tags_command(graph, args.tags_action, tag=args.tag, as_of=args.as_of))))
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
