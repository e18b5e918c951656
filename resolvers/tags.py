"""Tag engine resolvers: thin calls into graph.tags, tag_assign, tag_refresh, tag_history, tag_explain."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph import tag_assign, tag_catalogue, tag_explain, tag_history, tag_refresh, tags
from graph.rules import describe, parse_rule, select_ids
from graph.segments import rule_catalog
from resolvers.context import Context


def _who(ctx: Context) -> str:
    return ctx.principal.name


async def definitions(ctx: Context, kind: str | None, status: str | None, category: str | None) -> list[tags.TagDefinition]:
    """Return tag definitions filtered by kind, status and category."""
    return await tags.list_tags(ctx.graph, kind=kind, status=status, category=category)


async def definition(ctx: Context, key: str) -> tags.TagDefinition | None:
    """Return one tag definition or None."""
    return await tags.get_tag(ctx.graph, key)


async def coverage(ctx: Context, key: str, as_of: datetime | None) -> tuple[int, int]:
    """Return (holders, all customers) for a tag at as_of."""
    return await tags.coverage(ctx.graph, key, as_of)


async def create(ctx: Context, spec: dict[str, Any]) -> tags.TagDefinition:
    """Create a tag definition as the caller."""
    return await tags.create_tag(ctx.graph, tags.TagSpec(**spec), by=_who(ctx))


async def update(ctx: Context, key: str, changes: dict[str, Any]) -> tags.TagDefinition:
    """Change a tag definition as the caller."""
    return await tags.update_tag(ctx.graph, key, changes, by=_who(ctx))


async def retire(ctx: Context, key: str, reason: str) -> tuple[tags.TagDefinition, int]:
    """Retire a tag and remove its assignments."""
    return await tags.retire_tag(ctx.graph, key, by=_who(ctx), reason=reason)


async def assign(ctx: Context, key: str, ids: list[str] | None, rule: Any, reason: str, remove: bool) -> tag_assign.BulkReport:
    """Assign (or remove) a tag by hand for customers given by ids or a rule."""
    fn = tag_assign.unassign_tag if remove else tag_assign.assign_tag
    return await fn(ctx.graph, key, by=_who(ctx), reason=reason, ids=ids, rule=rule)


async def refresh(ctx: Context, key: str | None, as_of: datetime | None) -> dict[str, Any]:
    """Refresh automatic tags and return the run as the run log stores it."""
    report = await tag_refresh.refresh_tags(ctx.graph, tag=key, as_of=as_of, by=_who(ctx))
    return next(r for r in await tag_refresh.list_runs(ctx.graph, 50) if r["id"] == report.run_id)


async def runs(ctx: Context, first: int) -> list[dict[str, Any]]:
    """Return the latest refresh runs, newest first."""
    return await tag_refresh.list_runs(ctx.graph, min(max(first, 1), 200))


async def install_catalogue(ctx: Context) -> tag_catalogue.InstallReport:
    """Install the starter catalogue (idempotent)."""
    return await tag_catalogue.install_catalogue(ctx.graph, by=_who(ctx))


async def customer_tags(ctx: Context, customer_id: str, valid_at: datetime | None) -> list[tag_history.TagState]:
    """Return the tags a customer holds validly at valid_at (default now)."""
    return await ctx.loaders.tags_valid_at.load((customer_id, valid_at))


async def history(ctx: Context, customer_id: str, key: str | None) -> list[tag_history.TagEvent]:
    """Return a customer's tag events, oldest first."""
    return await tag_history.tag_history(ctx.graph, customer_id, key=key)


async def why(ctx: Context, customer_id: str, key: str, as_of: datetime | None) -> tag_explain.Explanation:
    """Explain why a customer carries (or not) a tag."""
    return await tag_explain.why_tagged(ctx.graph, customer_id, key, as_of=as_of)


async def preview(ctx: Context, rule: Any, as_of: datetime | None, entity: str) -> tuple[str, list[str]]:
    """Validate a rule and return its rendering and the ids it matches, sorted."""
    node = parse_rule(rule, await rule_catalog(ctx.graph), entity=entity)
    ids = await select_ids(ctx.graph, node, as_of or datetime.now(UTC), entity=entity)
    return describe(node), sorted(ids)
