"""Tag resolvers (read side): a tag by key and the customers carrying it."""

from __future__ import annotations

from graph.pages import Page
from graph.tagged import Tag
from resolvers.context import Context
from resolvers.lists import page_request


async def tag(ctx: Context, key: str) -> Tag | None:
    """Return the tag or None."""
    return await ctx.loaders.tag.load(key)


async def tag_customers(ctx: Context, key: str, first: int | None, after: str | None) -> Page:
    """Return a page of the customers carrying the tag, by id."""
    return await ctx.loaders.tag_customers.load(key, None, page_request(ctx, first, after))
