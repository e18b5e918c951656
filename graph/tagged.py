"""Tags as the API reads them (the tag engine owns writing them): by key, for the Tag type."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.entities import known_fields


class Tag(BaseModel):
    """A tag definition."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str | None = None
    category: str | None = None
    description: str | None = None
    kind: str | None = None
    status: str | None = None

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> Tag:
        """Return a Tag from node properties (extra engine properties are ignored)."""
        return cls(**known_fields(cls, props))


async def get_tags(graph: Graph, keys: list[str]) -> list[Tag | None]:
    """Return the tags with these keys in keys order (None where absent)."""
    rows = await graph.read("customer/get_tags", keys=keys)
    found = {r["key"]: Tag.from_props(r["tag"]) for r in rows}
    return [found.get(k) for k in keys]
