"""Relay connections: edges with opaque cursors, pageInfo and a lazily counted totalCount."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

T = TypeVar("T")


@strawberry.type(description="Where a page sits in its list (Relay).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="One item of a page and the cursor that points after it.")
class Edge(Generic[T]):
    node: T
    cursor: str


@strawberry.type(description="A page of a list (Relay connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]] | int]

    @strawberry.field(description="Number of items matching the filter, across all pages.")
    async def total_count(self) -> int:
        if isinstance(self._count, int):
            return self._count
        return await self._count()


def connection(nodes: list[T], cursors: list[str], has_next: bool, has_previous: bool,
               count: Callable[[], Awaitable[int]] | int) -> Connection[T]:
    """Return a Connection from nodes and their cursors."""
    return Connection(
        edges=[Edge(node=n, cursor=c) for n, c in zip(nodes, cursors, strict=True)],
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        _count=count,
    )
