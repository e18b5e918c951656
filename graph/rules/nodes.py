"""The parsed rule: a typed condition tree, each node remembering its JSON path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from graph.rules.timeparse import Duration

Entity = Literal["customer", "company", "project", "interaction"]
Relation = Literal["KNOWS", "REFERRED", "COLLEAGUE"]

VALUE_OPS = ("eq", "ne", "in", "gt", "gte", "lt", "lte", "between")
ATTRIBUTE_OPS = (*VALUE_OPS, "contains", "startsWith", "exists")
MEASURES = ("count", "sum", "avg", "distinctDays")


@dataclass(frozen=True)
class Test:
    """One comparison `<measured> <op> <value>`; between holds a (low, high) pair."""

    op: str
    value: Any


@dataclass(frozen=True)
class Window:
    """A time window: `within` a duration before asOf, or from (inclusive) / to (exclusive)."""

    within: Duration | None = None
    start: datetime | None = None
    end: datetime | None = None

    def bounds(self, as_of: datetime) -> tuple[datetime | None, datetime, bool]:
        """Return (low inclusive, high, high inclusive) for this window at as_of."""
        if self.within is not None:
            return self.within.before(as_of), as_of, True
        if self.end is not None and self.end <= as_of:
            return self.start, self.end, False
        return self.start, as_of, True


@dataclass(frozen=True)
class Node:
    path: str


@dataclass(frozen=True)
class All(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    item: Node


@dataclass(frozen=True)
class Attribute(Node):
    field: str
    type: str  # int, float, bool, date, datetime, string
    op: str
    value: Any


@dataclass(frozen=True)
class Tag(Node):
    key: str
    min_score: float | None = None
    sources: tuple[str, ...] = ()
    valid_at: datetime | None = None
    value: tuple[Test, ...] = ()


@dataclass(frozen=True)
class Interactions(Node):
    types: tuple[str, ...]
    window: Window | None
    where: Node | None
    measure: str
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class Recency(Node):
    """lastInteraction / firstInteraction with olderThan and/or within."""

    which: Literal["last", "first"]
    types: tuple[str, ...]
    older_than: Duration | None
    within: Duration | None


@dataclass(frozen=True)
class Referrals(Node):
    direction: Literal["out", "in"]
    window: Window | None
    converted: bool | None
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class Employment(Node):
    company: Node | None
    title: tuple[Test, ...]
    since_before: date | None
    since_after: date | None
    current: bool | None


@dataclass(frozen=True)
class Project(Node):
    where: Node | None
    role: tuple[Test, ...]
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class Related(Node):
    via: tuple[Relation, ...]
    max_hops: int
    direction: Literal["both", "out", "in"]
    to: Node | None
    to_id: str | None
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class CompanyHas(Node):
    employees: Node | None
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class Segment(Node):
    key: str
    rule: Node


LEAVES = (Attribute, Tag, Interactions, Recency, Referrals, Employment, Project, Related, CompanyHas)


def leaves(node: Node) -> list[Node]:
    """Return the leaf conditions of the top-level tree (not those nested inside a leaf)."""
    if isinstance(node, All | AnyOf):
        return [leaf for item in node.items for leaf in leaves(item)]
    if isinstance(node, Not):
        return leaves(node.item)
    if isinstance(node, Segment):
        return leaves(node.rule)
    return [node]


def tag_keys(node: Node | None) -> set[str]:
    """Return every tag key the condition refers to, however deeply nested."""
    if node is None:
        return set()
    if isinstance(node, Tag):
        return {node.key}
    if isinstance(node, All | AnyOf):
        return set().union(*(tag_keys(i) for i in node.items))
    if isinstance(node, Not):
        return tag_keys(node.item)
    if isinstance(node, Segment):
        return tag_keys(node.rule)
    for attr in ("where", "company", "to", "employees"):
        child = getattr(node, attr, None)
        if isinstance(child, Node):
            return tag_keys(child)
    return set()
