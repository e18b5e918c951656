"""A human-readable rendering of conditions, used in explanations and the docs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from graph.rules import nodes as n

_SYMBOL = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}


def _value(v: Any) -> str:
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return repr(v) if isinstance(v, str) else str(v)


def render_test(t: n.Test) -> str:
    """Return e.g. `≥ 3`, `in ['a', 'b']`, `between 1 and 5`."""
    if t.op in _SYMBOL:
        return f"{_SYMBOL[t.op]} {_value(t.value)}"
    if t.op == "between":
        return f"between {_value(t.value[0])} and {_value(t.value[1])}"
    if t.op == "exists":
        return "is set" if t.value else "is not set"
    return f"{t.op} {_value(t.value)}"


def _tests(tests: tuple[n.Test, ...]) -> str:
    return " and ".join(render_test(t) for t in tests)


def _window(w: n.Window | None) -> str:
    if w is None:
        return ""
    if w.within is not None:
        return f" in {w.within.text}"
    return "".join([f" from {_value(w.start)}" if w.start else "", f" to {_value(w.end)}" if w.end else ""])


def _types(types: tuple[str, ...]) -> str:
    return "/".join(types) + " " if types else ""


def describe(node: n.Node) -> str:
    """Return a one-line English rendering of the condition, e.g. `count of purchase interactions in P180D ≥ 3`."""
    tests = getattr(node, "tests", ())
    if tests and tests != (n.Test("gte", 1),):
        return f"{measured(node)} {_tests(tests)}"
    return measured(node)


def measured(node: n.Node) -> str:
    """Return the rendering without the comparison: what is measured, e.g. `count of purchase interactions`."""
    if isinstance(node, n.All | n.AnyOf):
        word = " and " if isinstance(node, n.All) else " or "
        return "(" + word.join(describe(i) for i in node.items) + ")"
    if isinstance(node, n.Not):
        return f"not {describe(node.item)}"
    if isinstance(node, n.Segment):
        return f"in segment {node.key!r}"
    if isinstance(node, n.Attribute):
        return f"{node.field} {render_test(n.Test(node.op, node.value))}"
    if isinstance(node, n.Tag):
        extra = [f"score ≥ {node.min_score}"] if node.min_score is not None else []
        extra += [f"source {'/'.join(node.sources)}"] if node.sources else []
        extra += [f"valid at {_value(node.valid_at)}"] if node.valid_at else []
        extra += [f"value {_tests(node.value)}"] if node.value else []
        return f"tagged {node.key!r}" + (f" ({', '.join(extra)})" if extra else "")
    if isinstance(node, n.Interactions):
        where = f" where {describe(node.where)}" if node.where else ""
        return f"{node.measure} of {_types(node.types)}interactions{_window(node.window)}{where}"
    if isinstance(node, n.Recency):
        parts = ([f"older than {node.older_than.text}"] if node.older_than else []) + (
            [f"within {node.within.text}"] if node.within else [])
        return f"{node.which} {_types(node.types)}interaction {' and '.join(parts)}"
    if isinstance(node, n.Referrals):
        conv = {True: "converted ", False: "unconverted ", None: ""}[node.converted]
        way = "made" if node.direction == "out" else "received"
        return f"{conv}referrals {way}{_window(node.window)}"
    if isinstance(node, n.Employment):
        parts = [f"at a company where {describe(node.company)}"] if node.company else []
        parts += [f"title {_tests(node.title)}"] if node.title else []
        parts += [f"since before {_value(node.since_before)}"] if node.since_before else []
        parts += [f"since after {_value(node.since_after)}"] if node.since_after else []
        parts += [{True: "current", False: "past"}[node.current]] if node.current is not None else []
        return "employment " + ", ".join(parts) if parts else "any employment"
    if isinstance(node, n.Project):
        parts = [f"role {_tests(node.role)}"] if node.role else []
        parts += [f"where {describe(node.where)}"] if node.where else []
        return "projects" + (" with " + ", ".join(parts) if parts else "")
    if isinstance(node, n.Related):
        target = f"customer {node.to_id!r}" if node.to_id else f"customers where {describe(node.to)}" if node.to else ""
        arrow = {"both": "", "in": " (towards this customer)", "out": " (from this customer)"}[node.direction]
        return f"{target} within {node.max_hops} hop(s) via {'/'.join(node.via)}{arrow}"
    if isinstance(node, n.CompanyHas):
        who = f" where {describe(node.employees)}" if node.employees else ""
        return f"current employees{who} at the company"
    return type(node).__name__
