"""What a rule may refer to: field types per entity, tags and their dependencies, segments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from graph.rules.nodes import Node

_STR = "string"
_DT = "datetime"

BUILTIN_FIELDS: dict[str, dict[str, str]] = {
    "customer": {
        "id": _STR, "name": _STR, "name_lc": _STR, "first_name": _STR, "last_name": _STR,
        "gender": _STR, "birth_date": "date", "phone": _STR, "email": _STR, "country": _STR,
        "city": _STR, "occupation": _STR, "source_channel": _STR, "created_at": _DT, "updated_at": _DT,
    },
    "company": {
        "id": _STR, "name": _STR, "name_lc": _STR, "industry": _STR, "employees": "int",
        "country": _STR, "city": _STR, "created_at": _DT, "updated_at": _DT,
    },
    "project": {
        "id": _STR, "name": _STR, "company_id": _STR, "stage": _STR, "value": "float",
        "started_at": _DT, "closed_at": _DT,
    },
    "interaction": {
        "id": _STR, "type": _STR, "occurred_at": _DT, "amount": "float", "channel": _STR,
        "subject": _STR, "customer_id": _STR, "project_id": _STR,
    },
}
ATTRIBUTE_TYPES = ("int", "float", "bool", "date", "datetime", "string")


@dataclass(frozen=True)
class TagInfo:
    """A tag as rules see it: whether it can be used and which tags its definition uses."""

    key: str
    status: str = "ACTIVE"
    uses: frozenset[str] = frozenset()


# Issue 5 (segments) plugs in here: key -> parsed rule, or None when unknown.
SegmentLookup = Callable[[str], Node | None]


def no_segments(key: str) -> Node | None:
    """The default segment registry: no segment is known yet."""
    return None


@dataclass(frozen=True)
class Catalog:
    """Everything validation needs, loaded once per request from the graph (or built in tests)."""

    custom: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # entity -> key -> type
    tags: Mapping[str, TagInfo] = field(default_factory=dict)
    segment: SegmentLookup = no_segments

    def field_type(self, entity: str, key: str) -> str | None:
        """Return the type of a built-in field or custom attribute, or None when unknown."""
        return BUILTIN_FIELDS.get(entity, {}).get(key) or self.custom.get(entity, {}).get(key)

    def with_tag(self, info: TagInfo) -> Catalog:
        """Return a catalogue where info replaces the tag of the same key."""
        return Catalog(self.custom, {**self.tags, info.key: info}, self.segment)

    def cycle_from(self, key: str, uses: set[str]) -> list[str] | None:
        """Return a dependency cycle through key if its definition used `uses`, else None."""
        graph = {k: set(t.uses) for k, t in self.tags.items()}
        graph[key] = set(uses)
        stack: list[tuple[str, list[str]]] = [(u, [key, u]) for u in sorted(uses)]
        seen: set[str] = set()
        while stack:
            node, trail = stack.pop()
            if node == key:
                return trail
            if node in seen:
                continue
            seen.add(node)
            stack.extend((n, [*trail, n]) for n in sorted(graph.get(node, ())))
        return None
