"""Segment resolvers: thin calls into graph/segment*.py, analysis, exports and analyst Cypher."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph import analysis, exports, segment_analysis, segment_snapshots
from graph import segments as g
from graph.analyst_cypher import CypherResult, run_read_only
from graph.customers import Customer
from graph.errors import BadInputError
from graph.pages import check_first
from graph.rules import load_catalog
from graph.segment_members import (
    Audience,
    MemberPage,
    audience,
    count_members,
    cursor_for,
    customers_by_id,
    member_page,
    page_of_ids,
    population,
    sample_members,
)
from graph.segment_queries import run_saved_query
from resolvers.context import Context


class SegmentSettings(BaseSettings):
    """Limits for analysts' queries and where exports go (CUSTGRAPH_*; the data dir is main.Settings')."""

    model_config = SettingsConfigDict(env_prefix="CUSTGRAPH_", extra="ignore")

    data_dir: Path = Path("data")
    cypher_row_cap: int = 1000
    cypher_timeout: float = 10.0


@cache
def segment_settings() -> SegmentSettings:
    """Return the settings, read from the environment once per process."""
    return SegmentSettings()


def _at(as_of: datetime | None) -> datetime:
    return as_of or datetime.now(UTC)


def _prime(ctx: Context, customers: list[Customer]) -> list[Customer]:
    for c in customers:
        ctx.loaders.customer.prime(c.id, c)
    return customers


async def segment(ctx: Context, key: str) -> g.Segment | None:
    """Return the stored or file segment, or None."""
    return await g.get_segment(ctx.graph, key)


async def list_all(ctx: Context, status: str | None, kind: str | None) -> list[g.Segment]:
    """Return stored and file segments by key, optionally filtered."""
    return await g.list_segments(ctx.graph, status=status, kind=kind)


async def total(ctx: Context, aud: Audience) -> int:
    """Return the size of an audience already built (a connection's totalCount)."""
    return await count_members(ctx.graph, aud)


async def adhoc(ctx: Context, rule: Any) -> g.Segment:
    """Return an unsaved segment for a rule after validating it; raise BadInputError naming the path."""
    if not isinstance(rule, dict):
        raise BadInputError("rule: a condition must be a non-empty JSON object")
    seg = g.adhoc_segment(rule)
    await audience(ctx.graph, seg)
    return seg


async def target(ctx: Context, key: str | None, rule: Any | None) -> g.Segment | None:
    """Return the segment a key or an ad-hoc rule names (None for all customers); not both."""
    if key is not None and rule is not None:
        raise BadInputError("give a segment key or a rule, not both")
    if key is not None:
        return await g.require_segment(ctx.graph, key)
    return await adhoc(ctx, rule) if rule is not None else None


async def members_audience(ctx: Context, seg: g.Segment | None, as_of: datetime | None,
                           params: Any | None = None) -> Audience:
    """Return the Cypher audience of a segment (everyone when seg is None)."""
    if seg is None:
        return population(_at(as_of), ctx.graph)
    return await audience(ctx.graph, seg, _at(as_of), params=params)


async def count(ctx: Context, seg: g.Segment, as_of: datetime | None, params: Any | None) -> int:
    """Return how many customers are in the segment."""
    return await count_members(ctx.graph, await members_audience(ctx, seg, as_of, params))


async def members(ctx: Context, seg: g.Segment, first: int | None, after: str | None, as_of: datetime | None,
                  params: Any | None) -> tuple[MemberPage, Audience]:
    """Return one page of members by id (loaders primed) and the audience, for a lazy total."""
    n = check_first(ctx.config.default_page_size if first is None else first, ctx.config.max_page_size)
    aud = await members_audience(ctx, seg, as_of, params)
    page = await member_page(ctx.graph, aud, n, after)
    _prime(ctx, page.customers)
    return page, aud


async def sample(ctx: Context, seg: g.Segment, n: int, as_of: datetime | None, params: Any | None) -> list[Customer]:
    """Return up to n random members."""
    check_first(n, ctx.config.max_page_size, "n")
    aud = await members_audience(ctx, seg, as_of, params)
    return _prime(ctx, await sample_members(ctx.graph, aud, n))


async def id_page(ctx: Context, ids: list[str], first: int | None, after: str | None
                  ) -> tuple[list[Customer], list[str], bool]:
    """Return a page of customers from sorted ids (set-algebra results), their cursors, and whether more follow."""
    n = check_first(ctx.config.default_page_size if first is None else first, ctx.config.max_page_size)
    shown, more = page_of_ids(ids, n, after)
    found = _prime(ctx, await customers_by_id(ctx.graph, shown))
    return found, [cursor_for(c.id) for c in found], more


async def portrait(ctx: Context, seg: g.Segment, as_of: datetime | None) -> segment_analysis.SegmentPortrait:
    """Return the segment's portrait against all customers."""
    return await segment_analysis.portrait(ctx.graph, seg, _at(as_of), lifecycle=ctx.config.lifecycle)


async def distribution(ctx: Context, dim: str, seg: g.Segment | None, buckets: int,
                       as_of: datetime | None) -> analysis.Distribution:
    """Return the distribution of a dimension among the segment's members (or all customers)."""
    at = _at(as_of)
    d = analysis.dimension(dim, await load_catalog(ctx.graph), at, ctx.config.lifecycle)
    return await analysis.distribution(ctx.graph, await members_audience(ctx, seg, at), d, _buckets(buckets))


async def cross_table(ctx: Context, rows: str, columns: str, seg: g.Segment | None, buckets: int,
                      as_of: datetime | None) -> analysis.CrossTable:
    """Return the two-dimension cross table among the segment's members (or all customers)."""
    at = _at(as_of)
    catalog = await load_catalog(ctx.graph)
    r = analysis.dimension(rows, catalog, at, ctx.config.lifecycle, prefix="dr")
    c = analysis.dimension(columns, catalog, at, ctx.config.lifecycle, prefix="dc")
    return await analysis.cross_table(ctx.graph, await members_audience(ctx, seg, at), r, c, _buckets(buckets))


def _buckets(n: int) -> int:
    if not 1 <= n <= 50:
        raise BadInputError(f"buckets must be from 1 to 50 (got {n})")
    return n


async def overlap(ctx: Context, keys: list[str], as_of: datetime | None) -> segment_analysis.Overlap:
    return await segment_analysis.overlap(ctx.graph, keys, _at(as_of))


async def compare(ctx: Context, a: str, b: str, as_of: datetime | None) -> segment_analysis.Comparison:
    return await segment_analysis.compare(ctx.graph, a, b, _at(as_of))


async def history(ctx: Context, key: str, limit: int) -> list[segment_snapshots.Snapshot]:
    return await segment_snapshots.history(ctx.graph, key, check_first(limit, 10_000, "limit"))


async def changes(ctx: Context, key: str, before: str | None, after: str | None) -> segment_snapshots.Changes:
    return await segment_snapshots.changes(ctx.graph, key, before, after)


async def tag_coverage(ctx: Context, as_of: datetime | None) -> tuple[list[segment_snapshots.TagCoverage], datetime | None]:
    return await segment_snapshots.tag_coverage(ctx.graph, as_of)


def _params(params: Any) -> dict[str, Any]:
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise BadInputError("params must be a JSON object of name: value")
    return params


async def run_segment_query(ctx: Context, name: str, params: Any) -> CypherResult:
    """Run a saved segment query with checked params."""
    s = segment_settings()
    return await run_saved_query(ctx.graph, name, _params(params), row_cap=s.cypher_row_cap, timeout=s.cypher_timeout)


async def run_cypher(ctx: Context, query: str, params: Any) -> CypherResult:
    """Run an analyst's ad-hoc query after the read-only guard, capped and timed."""
    s = segment_settings()
    return await run_read_only(ctx.graph, query, _params(params), row_cap=s.cypher_row_cap, timeout=s.cypher_timeout)


# --- mutations ---------------------------------------------------------------------------

async def create(ctx: Context, data: dict[str, Any]) -> g.Segment:
    try:
        spec = g.SegmentSpec(**data)
    except ValidationError as exc:  # found by fuzzing: a rule or params that is not an object was an internal error
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "input"
        raise BadInputError(f"segment {where}: {error['msg']}", path=where) from exc
    return await g.create_segment(ctx.graph, spec)


async def update(ctx: Context, key: str, changes: dict[str, Any]) -> g.Segment:
    return await g.update_segment(ctx.graph, key, changes)


async def delete(ctx: Context, key: str) -> bool:
    return await g.delete_segment(ctx.graph, key)


async def snapshot(ctx: Context, key: str | None, with_members: bool) -> list[segment_snapshots.Snapshot]:
    """Snapshot one segment, or every active one (and tag coverage) when key is None."""
    return await segment_snapshots.snapshot_all(ctx.graph, key=key, with_members=with_members)


async def export(ctx: Context, seg: g.Segment, fmt: str, columns: list[str] | None, include_non_consenting: bool,
                 as_of: datetime | None) -> exports.ExportResult:
    """Write the members to a file under the data dir's exports/ and describe it."""
    out = exports.export_path(segment_settings().data_dir, seg.key, fmt)
    return await exports.export_members(ctx.graph, seg, out, fmt=fmt, columns=columns, as_of=as_of,
                                        principal=ctx.principal, include_non_consenting=include_non_consenting)
