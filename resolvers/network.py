"""Relationship exploration resolvers: connections, shortest path, neighbourhood."""

from __future__ import annotations

from graph.network import KINDS, Connection, Kind, page_connections
from graph.pages import check_first
from graph.paths import Network, PathStep, neighbourhood, shortest_path
from resolvers.context import Context


async def connections(
    ctx: Context, customer_id: str, kinds: list[Kind] | None, first: int | None, after: str | None
) -> tuple[list[Connection], bool, int]:
    """Return a page of related customers (since desc, id asc), whether more follow, and the total."""
    n = check_first(ctx.config.default_page_size if first is None else first, ctx.config.max_page_size)
    nb = await ctx.loaders.neighbours.load(customer_id)
    items = nb.connections(kinds or KINDS) if nb else []
    page, more = page_connections(items, n, after)
    return page, more, len(items)


async def relationship_path(ctx: Context, from_id: str, to_id: str, via: list[Kind] | None, max_hops: int) -> list[PathStep] | None:
    """Return one shortest path between two customers, or None."""
    return await shortest_path(ctx.graph, from_id, to_id, via or list(KINDS), max_hops)


async def network(ctx: Context, customer_id: str, depth: int, kinds: list[Kind] | None, limit: int) -> Network | None:
    """Return the customer's neighbourhood capped at limit nodes."""
    cap = check_first(limit, ctx.config.max_network_nodes, "limit", "max_network_nodes")
    return await neighbourhood(ctx.graph, customer_id, depth, kinds or list(KINDS), cap)
