"""The only code that talks to the database: a `Graph` value over one async driver."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl
from neo4j import exceptions as nx
from neo4j import time as ntime
from neo4j.graph import Node, Path, Relationship

from graph.cypher import query
from graph.errors import ConflictError, UnavailableError

log = logging.getLogger(__name__)

T = TypeVar("T")

# Reads are retried on retryable errors (leader switch, deadlock, connection lost): attempts, first delay in s.
READ_ATTEMPTS = 4
READ_RETRY_DELAY = 0.1


@dataclass
class QueryStats:
    """Counts the database round trips made through one Graph (e.g. one request)."""

    count: int = 0
    names: list[str] = field(default_factory=list)

    def record(self, name: str) -> None:
        self.count += 1
        self.names.append(name)


def to_native(value: Any, export: bool = False) -> Any:
    """Return value with driver temporal types turned into Python ones (datetimes as aware UTC).

    With export, also nodes into property maps, relationships into (start, type, end) and paths into
    alternating lists, as `Record.data()` exports them (record_data); without, those stay driver objects
    (graph/analyst_cypher.py shows their labels and types)."""
    if value is None or isinstance(value, _PLAIN):
        return value
    if isinstance(value, dict):
        return {k: to_native(v, export) for k, v in value.items()}
    if isinstance(value, list):
        return [to_native(v, export) for v in value]
    if isinstance(value, ntime.DateTime):
        dt = value.to_native()
        return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    if isinstance(value, ntime.Date):
        return value.to_native()
    if not export:
        return value
    if isinstance(value, Node):
        return {k: to_native(v, export) for k, v in value.items()}
    if isinstance(value, Relationship):
        return (to_native(value.start_node, export), type(value).__name__, to_native(value.end_node, export))
    if isinstance(value, Path):
        out = [to_native(value.start_node, export)]
        for rel, node in zip(value.relationships, value.nodes[1:], strict=True):
            out += [type(rel).__name__, to_native(node, export)]
        return out
    return value  # Duration, Time, Point and anything else as the driver gives it


_PLAIN = (str, int, float, bool)


def record_data(record: neo4j.Record) -> Record:
    """Return one result record as a dict of plain Python values, in one pass (`Record.data()` and then
    to_native walked every value twice: ~5 % of a 20-customer list request's CPU)."""
    return {k: to_native(v, True) for k, v in record.items()}


def to_param(value: Any) -> Any:
    """Return value ready to send: naive datetimes are taken as UTC, aware ones moved to UTC, and every datetime
    cut to the millisecond: the embedded server's datetime indexes keep milliseconds (graph/setup.py), so both
    servers store what they are sent and a stored value compares equal to the value sent again."""
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(microsecond=value.microsecond - value.microsecond % 1000)
    if isinstance(value, dict):
        return {k: to_param(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_param(v) for v in value]
    return value


Record = dict[str, Any]


@dataclass(frozen=True)
class Graph:
    """Driver plus database name; runs named Cypher files (or compiled text) with parameters."""

    driver: AsyncDriver
    database: str
    timeout: float = 30.0
    stats: QueryStats | None = None

    def counting(self) -> Graph:
        """Return a Graph on the same driver that counts its round trips in a fresh QueryStats."""
        return Graph(self.driver, self.database, self.timeout, QueryStats())

    async def read(self, name: str, **params: Any) -> list[Record]:
        """Run the named Cypher file in a read transaction and return its rows."""
        return await self._run(name, query(name).text, unscoped(name, params), RoutingControl.READ)

    async def write(self, name: str, **params: Any) -> list[Record]:
        """Run the named Cypher file in a write transaction and return its rows."""
        return await self._run(name, query(name).text, unscoped(name, params), RoutingControl.WRITE)

    async def read_text(self, tag: str, text: str, params: Mapping[str, Any], timeout: float | None = None) -> list[Record]:
        """Run generated Cypher (compiled rules) in a read transaction; tag names it in metadata."""
        return await self._run(tag, text, dict(params), RoutingControl.READ, timeout)

    async def write_text(self, tag: str, text: str, params: Mapping[str, Any]) -> list[Record]:
        """Run generated Cypher in a write transaction."""
        return await self._run(tag, text, dict(params), RoutingControl.WRITE)

    async def _run(
        self,
        name: str,
        text: str,
        params: dict[str, Any],
        routing: RoutingControl,
        timeout: float | None = None,
    ) -> list[Record]:
        if self.stats is not None:
            self.stats.record(name)
        q = neo4j.Query(text, metadata={"query": name}, timeout=timeout or self.timeout)
        try:
            if routing == RoutingControl.READ:
                return await self._read(q, to_param(params))
            result = await self.driver.execute_query(
                q,
                parameters_=to_param(params),
                database_=self.database,
                routing_=routing,
            )
        except Exception as exc:
            raise map_error(exc, name) from exc
        return [record_data(r) for r in result.records]

    async def _read(self, q: neo4j.Query, params: dict[str, Any]) -> list[Record]:
        """Run one read as an auto-commit query in a READ session (routed to followers on a cluster),
        retrying retryable errors (leader switch, deadlock, a dropped connection) up to READ_ATTEMPTS
        times within ~0.7 s; after that the error stands (the API answers 503 with Retry-After)
        instead of the driver's managed retries for up to 30 s.

        A read needs no explicit transaction: BEGIN/RUN/PULL then COMMIT are two network round
        trips, RUN/PULL one. Measured on the embedded server, per small query: Python CPU 0.9 ->
        0.5 ms, server CPU 0.5 -> 0.3 ms (docs/performance.md). The sessions share execute_query's
        bookmark manager, so a read still sees the writes this process made before it (causal
        consistency on a cluster)."""
        for attempt in range(READ_ATTEMPTS):
            try:
                async with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS,
                                               bookmark_manager=self.driver.execute_query_bookmark_manager) as session:
                    result = await session.run(q, params)
                    return [record_data(r) async for r in result]
            except (nx.Neo4jError, nx.DriverError) as exc:
                if attempt + 1 == READ_ATTEMPTS or not exc.is_retryable():
                    raise
                log.info("retrying a read after %s (attempt %d)", type(exc).__name__, attempt + 1)
                await asyncio.sleep(READ_RETRY_DELAY * 2**attempt)
        raise AssertionError("unreachable")

    async def in_transaction(self, fn: Callable[[Tx], Awaitable[T]], *, write: bool = True,
                             timeout: float | None = None) -> T:
        """Run fn inside one managed transaction (retried by the driver on transient errors)."""
        @neo4j.unit_of_work(timeout=timeout)
        async def work(tx: AsyncManagedTransaction) -> T:
            return await fn(Tx(tx, self))

        try:
            async with self.driver.session(database=self.database) as session:
                if write:
                    return await session.execute_write(work)
                return await session.execute_read(work)
        except Exception as exc:
            raise map_error(exc, "transaction") from exc

    @asynccontextmanager
    async def session(self) -> AsyncIterator[neo4j.AsyncSession]:
        async with self.driver.session(database=self.database) as s:
            yield s


@dataclass(frozen=True)
class Tx:
    """A transaction handle that runs named Cypher files; all or nothing with its siblings."""

    tx: AsyncManagedTransaction
    graph: Graph

    async def run(self, name: str, **params: Any) -> list[Record]:
        return await self.run_text(name, query(name).text, unscoped(name, params))

    async def run_text(self, tag: str, text: str, params: Mapping[str, Any]) -> list[Record]:
        if self.graph.stats is not None:
            self.graph.stats.record(tag)
        result = await self.tx.run(text, to_param(dict(params)))
        return [record_data(r) async for r in result]


def unscoped(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Return params with `scope_company_ids` null (no account-manager limit) when the file declares it
    and the caller did not pass it; graph.scope.ScopedGraph passes the limit for scoped requests."""
    if "scope_company_ids" in query(name).param_names:
        params.setdefault("scope_company_ids", None)
    return params


def map_error(exc: Exception, name: str) -> Exception:
    """Turn a driver error into a domain error where one fits; others pass through."""
    if isinstance(exc, nx.ConstraintError):
        return ConflictError(f"the write in {name} conflicts with existing data: {exc.message}")
    if isinstance(exc, nx.ServiceUnavailable | nx.SessionExpired):
        return UnavailableError("the graph database is unavailable; try again shortly")
    if isinstance(exc, OSError):
        return UnavailableError("the graph database is unavailable; try again shortly")
    return exc


async def open_driver(uri: str, user: str, password: str, *, max_pool: int = 50) -> AsyncDriver:
    """Create and verify the process's one driver; raise UnavailableError when unreachable."""
    driver = neo4j.AsyncGraphDatabase.driver(
        uri, auth=(user, password), max_connection_pool_size=max_pool, connection_acquisition_timeout=10
    )
    try:
        await driver.verify_connectivity()
    except Exception as exc:
        await driver.close()
        raise UnavailableError(f"cannot connect to the graph database at {uri}: {exc}") from exc
    return driver
