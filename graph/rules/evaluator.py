"""A plain-Python evaluator of rules over a small graph held in memory (the compiler's oracle)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graph.rules import nodes as n

Props = dict[str, Any]


@dataclass(frozen=True)
class Edge:
    type: str
    src: str
    dst: str
    props: Props


@dataclass
class GraphData:
    """Nodes by label then id, and relationships; HAS_TAG edges point at the tag key."""

    nodes: dict[str, dict[str, Props]] = field(default_factory=lambda: defaultdict(dict))
    edges: list[Edge] = field(default_factory=list)


def check(x: Any, t: n.Test) -> bool:
    """Return whether value x passes test t, treating missing and incomparable values as false."""
    if t.op == "exists":
        return (x is not None) == bool(t.value)
    if x is None:
        return False
    try:
        if t.op == "eq":
            return bool(x == t.value)
        if t.op == "ne":
            return bool(x != t.value)
        if t.op == "in":
            return any(x == v for v in t.value)
        if t.op == "between":
            return bool(t.value[0] <= x <= t.value[1])
        if t.op in ("contains", "startsWith"):
            return isinstance(x, str) and (t.value in x if t.op == "contains" else x.startswith(t.value))
        return bool({"gt": x > t.value, "gte": x >= t.value, "lt": x < t.value, "lte": x <= t.value}[t.op])
    except TypeError:
        return False


def check_all(x: Any, tests: tuple[n.Test, ...]) -> bool:
    return all(check(x, t) for t in tests)


class Evaluator:
    """Evaluates conditions for one asOf over one GraphData."""

    def __init__(self, data: GraphData, as_of: datetime, scope: frozenset[str] | None = None) -> None:
        self.data = data
        self.as_of = as_of
        # An account manager's company ids (the compiler's `$scope_company_ids`): customers, companies and projects
        # outside them are not there at all, as members or as anything a condition reaches.
        self.scope = scope
        self.out: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self.inc: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        for e in data.edges:
            self.out[(e.type, e.src)].append(e)
            self.inc[(e.type, e.dst)].append(e)

    def select(self, rule: n.Node, entity: str = "customer") -> set[str]:
        """Return the ids of entities of that kind (inside the scope, when given) for which the rule holds."""
        label = entity.capitalize()
        return {i for i in self.data.nodes[label] if self.visible(label, i) and self.holds(rule, entity, i)}

    def visible(self, label: str, id_: str) -> bool:
        """Return whether the node exists and lies inside the scope (graph/scope.py): a customer currently working
        (no `until`) at a scope company, a listed company, a project a listed company owns."""
        if id_ not in self.data.nodes[label]:
            return False
        if self.scope is None:
            return True
        if label == "Customer":
            return any(w.props.get("until") is None and w.dst in self.scope for w in self.out[("WORKS_AT", id_)])
        if label == "Company":
            return id_ in self.scope
        if label == "Project":
            return any(o.src in self.scope for o in self.inc[("OWNS", id_)])
        return True

    def holds(self, node: n.Node, entity: str, id_: str) -> bool:
        if isinstance(node, n.All):
            return all(self.holds(i, entity, id_) for i in node.items)
        if isinstance(node, n.AnyOf):
            return any(self.holds(i, entity, id_) for i in node.items)
        if isinstance(node, n.Not):
            return not self.holds(node.item, entity, id_)
        if isinstance(node, n.Segment):
            return self.holds(node.rule, entity, id_)
        if isinstance(node, n.Attribute):
            props = self.data.nodes[entity.capitalize()].get(id_, {})
            return check(props.get(node.field), n.Test(node.op, node.value))
        method = getattr(self, f"h_{type(node).__name__.lower()}")
        return bool(method(node, entity, id_))

    def current(self, e: Edge) -> bool:
        until = e.props.get("until")
        return until is None or until > self.as_of.date()

    def in_window(self, t: Any, window: n.Window | None) -> bool:
        if window is None:
            return True
        if t is None:
            return False
        low, high, incl = window.bounds(self.as_of)
        return bool((low is None or t >= low) and (t <= high if incl else t < high))

    def h_tag(self, node: n.Tag, entity: str, id_: str) -> bool:
        at = node.valid_at or self.as_of
        for e in self.out[("HAS_TAG", id_)]:
            p = e.props
            if e.dst != node.key:
                continue
            if p.get("expires_at") is not None and not p["expires_at"] > at:
                continue
            if p.get("assigned_at") is not None and not p["assigned_at"] <= at:
                continue
            if node.min_score is not None and not check(p.get("score"), n.Test("gte", node.min_score)):
                continue
            if node.sources and p.get("source") not in node.sources:
                continue
            if check_all(p.get("value"), node.value):
                return True
        return False

    def interactions(self, id_: str, types: tuple[str, ...]) -> list[Props]:
        rows = (self.data.nodes["Interaction"][e.dst] for e in self.out[("PERFORMED", id_)])
        return [r for r in rows if not types or r.get("type") in types]

    def measure(self, node: n.Interactions, id_: str) -> Any:
        rows = [r for r in self.interactions(id_, node.types)
                if self.in_window(r.get("occurred_at"), node.window)
                and (node.where is None or self.holds(node.where, "interaction", r["id"]))]
        if node.measure == "count":
            return len(rows)
        if node.measure == "distinctDays":
            return len({r["occurred_at"].date() for r in rows if r.get("occurred_at") is not None})
        amounts = [float(r["amount"]) for r in rows if r.get("amount") is not None]
        total = 0.0
        for a in amounts:
            total += a
        if node.measure == "sum":
            return total
        return total / len(amounts) if amounts else None

    def h_interactions(self, node: n.Interactions, entity: str, id_: str) -> bool:
        return check_all(self.measure(node, id_), node.tests)

    def any_between(self, id_: str, types: tuple[str, ...], low: datetime | None, high: datetime, incl: bool) -> bool:
        for r in self.interactions(id_, types):
            t = r.get("occurred_at")
            if t is not None and (low is None or t >= low) and (t <= high if incl else t < high):
                return True
        return False

    def h_recency(self, node: n.Recency, entity: str, id_: str) -> bool:
        low = node.within.before(self.as_of) if node.within else None
        high, incl = (self.as_of, True) if node.older_than is None else (node.older_than.before(self.as_of), False)
        ok = self.any_between(id_, node.types, low, high, incl)
        if node.which == "last" and not incl:
            ok = ok and not self.any_between(id_, node.types, high, self.as_of, True)
        if node.which == "first" and low is not None:
            ok = ok and not self.any_between(id_, node.types, None, low, False)
        return ok

    def h_referrals(self, node: n.Referrals, entity: str, id_: str) -> bool:
        edges = self.out[("REFERRED", id_)] if node.direction == "out" else self.inc[("REFERRED", id_)]
        count = sum(
            1 for e in edges
            if (self.scope is None or self.visible("Customer", e.dst if node.direction == "out" else e.src))
            and self.in_window(e.props.get("at"), node.window)
            and (node.converted is None or bool(e.props.get("converted") or False) == node.converted)
        )
        return check_all(count, node.tests)

    def h_employment(self, node: n.Employment, entity: str, id_: str) -> bool:
        for e in self.out[("WORKS_AT", id_)]:
            if self.scope is not None and not self.visible("Company", e.dst):
                continue
            since = e.props.get("since")
            if not check_all(e.props.get("title"), node.title):
                continue
            if node.since_before is not None and not check(since, n.Test("lt", node.since_before)):
                continue
            if node.since_after is not None and not check(since, n.Test("gt", node.since_after)):
                continue
            if node.current is not None and self.current(e) != node.current:
                continue
            if node.company is None or self.holds(node.company, "company", e.dst):
                return True
        return False

    def h_project(self, node: n.Project, entity: str, id_: str) -> bool:
        projects = {
            e.dst for e in self.out[("MEMBER_OF", id_)]
            if (self.scope is None or self.visible("Project", e.dst)) and check_all(e.props.get("role"), node.role)
            and (node.where is None or self.holds(node.where, "project", e.dst))
        }
        return check_all(len(projects), node.tests)

    def neighbours(self, node: n.Related, id_: str) -> set[str]:
        out: set[str] = set()
        if "KNOWS" in node.via:
            out |= {e.dst for e in self.out[("KNOWS", id_)]} | {e.src for e in self.inc[("KNOWS", id_)]}
        if "REFERRED" in node.via:
            if node.direction in ("both", "out"):
                out |= {e.dst for e in self.out[("REFERRED", id_)]}
            if node.direction in ("both", "in"):
                out |= {e.src for e in self.inc[("REFERRED", id_)]}
        if "COLLEAGUE" in node.via:
            for w in self.out[("WORKS_AT", id_)]:
                if self.current(w) and self.visible("Company", w.dst):
                    out |= {x.src for x in self.inc[("WORKS_AT", w.dst)] if self.current(x)}
        return {x for x in out if self.visible("Customer", x)}

    def h_related(self, node: n.Related, entity: str, id_: str) -> bool:
        reached, frontier = {id_}, {id_}
        for _ in range(node.max_hops):
            frontier = {y for x in frontier for y in self.neighbours(node, x)} - reached
            reached |= frontier
        reached.discard(id_)
        if node.to_id is not None:
            anchors = {a for a in reached if a == node.to_id}
        else:
            anchors = {a for a in reached if node.to is None or self.holds(node.to, "customer", a)}
        return check_all(len(anchors), node.tests)

    def h_companyhas(self, node: n.CompanyHas, entity: str, id_: str) -> bool:
        if entity == "customer":
            return any(self.current(w) and self.visible("Company", w.dst) and self.h_companyhas(node, "company", w.dst)
                       for w in self.out[("WORKS_AT", id_)])
        employees = {
            x.src for x in self.inc[("WORKS_AT", id_)]
            if self.current(x) and self.visible("Customer", x.src)
            and (node.employees is None or self.holds(node.employees, "customer", x.src))
        }
        return check_all(len(employees), node.tests)
