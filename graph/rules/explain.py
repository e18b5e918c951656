"""The explaining form of a rule: per customer, which leaves held, measured values, evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph.cypher import check_identifier
from graph.rules import nodes as n
from graph.rules.compiler import LABELS, Compiler
from graph.rules.render import describe, measured, render_test

MAX_EVIDENCE = 20


@dataclass(frozen=True)
class ExplainQuery:
    """Cypher returning `id` and per leaf k the columns hk (held), vk (value) and ek (evidence)."""

    text: str
    params: dict[str, Any]
    leaves: tuple[n.Node, ...]


@dataclass(frozen=True)
class Branch:
    """One leaf condition of a rule for one customer: whether it held, what was measured."""

    path: str
    condition: str
    held: bool
    value: Any
    text: str
    evidence: tuple[str, ...]


def compile_explain(rule: n.Node, as_of: datetime, *, entity: str = "customer") -> ExplainQuery:
    """Return the explaining query for rule; it takes `$ids`, the ids to explain."""
    c = Compiler(as_of, "x")
    leaves = tuple(n.leaves(rule))
    cols = []
    for k, leaf in enumerate(leaves):
        value, evidence = _measure(c, leaf, "c", entity)
        cols.append(f"{c.expr(leaf, 'c', entity)} AS h{k}, {value} AS v{k}, {evidence} AS e{k}")
    text = (
        f"UNWIND $ids AS cid MATCH (c:{LABELS[entity]} {{id: cid}}) "
        f"RETURN c.id AS id{''.join(', ' + col for col in cols)}"
    )
    return ExplainQuery(text, c.params, leaves)


def _measure(c: Compiler, leaf: n.Node, v: str, entity: str) -> tuple[str, str]:
    """Return Cypher (value, evidence list) expressions for one leaf."""
    if isinstance(leaf, n.Attribute):
        return f"{v}.{check_identifier(leaf.field, 'attribute')}", "[]"
    if isinstance(leaf, n.Tag):
        t, pattern = c.tag_pattern(leaf, v)
        return f"head([{pattern} | {t}.value])", f"[{pattern} | {t}.source]"
    if isinstance(leaf, n.Interactions):
        i, pattern, where = c.interactions_match(leaf, v)
        return c.interactions_measure(leaf, v), f"[{pattern} WHERE {where} | {i}.id][..{MAX_EVIDENCE}]"
    if isinstance(leaf, n.Recency):
        i = c.var("i")
        parts = [*c.interaction_filters(i, leaf.types), f"{i}.occurred_at <= {c.param(c.as_of)}"]
        rows = f"[({v})-[:PERFORMED]->({i}:Interaction) WHERE {' AND '.join(parts)} | [{i}.occurred_at, {i}.id]]"
        return rows, "[]"
    if isinstance(leaf, n.Referrals):
        _, o, pattern, where = c.referrals_match(leaf, v)
        edge = f"{v}.id + ' -> ' + {o}.id" if leaf.direction == "out" else f"{o}.id + ' -> ' + {v}.id"
        return f"COUNT {{ MATCH {pattern} WHERE {where} }}", f"[{pattern} WHERE {where} | {edge}][..{MAX_EVIDENCE}]"
    if isinstance(leaf, n.Employment):
        co, pattern, where = c.employment_match(leaf, v)
        return f"COUNT {{ MATCH {pattern} WHERE {where} }}", f"[{pattern} WHERE {where} | {co}.id]"
    if isinstance(leaf, n.Project):
        p, pattern, where = c.project_match(leaf, v)
        return (f"COUNT {{ MATCH {pattern} WHERE {where} RETURN DISTINCT {p} AS x }}",
                f"[{pattern} WHERE {where} | {p}.id][..{MAX_EVIDENCE}]")
    if isinstance(leaf, n.Related):
        a, path, pattern, where, on_path = c.related_match(leaf, v, named=True)
        # The embedded server cannot use the path variable in a comprehension's WHERE: test it in the projection.
        nodes = f"CASE WHEN {on_path} THEN [z IN nodes({path}) | coalesce(z.id, '')] END"
        walk = f"[w IN [{pattern} WHERE {where} | {nodes}] WHERE w IS NOT NULL][..{MAX_EVIDENCE * 5}]"
        return f"COUNT {{ MATCH {pattern} WHERE {where} AND {on_path} RETURN DISTINCT {a} AS x }}", walk
    if isinstance(leaf, n.CompanyHas):
        co = v
        if entity == "customer":
            w, co = c.var("w"), c.var("co")
            e, pattern, where = c.company_employees(leaf, co)
            outer = f"({v})-[{w}:WORKS_AT]->({co}:Company) WHERE {c.current(w)}"
            return (f"head([{outer} | COUNT {{ MATCH {pattern} WHERE {where} RETURN DISTINCT {e} AS x }}])",
                    f"[{outer} | [{pattern} WHERE {where} | {e}.id]]")
        e, pattern, where = c.company_employees(leaf, co)
        return f"COUNT {{ MATCH {pattern} WHERE {where} RETURN DISTINCT {e} AS x }}", f"[[{pattern} WHERE {where} | {e}.id]]"
    raise TypeError(f"no explanation for {type(leaf).__name__}")


def branches(query: ExplainQuery, row: dict[str, Any]) -> list[Branch]:
    """Return one Branch per leaf from a row of the explaining query."""
    out = []
    for k, leaf in enumerate(query.leaves):
        value, evidence = _finish(leaf, row[f"v{k}"], row[f"e{k}"])
        held = bool(row[f"h{k}"])
        out.append(Branch(leaf.path, describe(leaf), held, value, _text(leaf, value, held), evidence))
    return out


def _finish(leaf: n.Node, value: Any, evidence: Any) -> tuple[Any, tuple[str, ...]]:
    if isinstance(leaf, n.Recency):
        rows = sorted(value or [], key=lambda r: r[0])
        if not rows:
            return None, ()
        pick = rows[-1] if leaf.which == "last" else rows[0]
        return pick[0], (str(pick[1]),)
    if isinstance(leaf, n.Related):
        paths = sorted({tuple(p) for p in evidence or []}, key=lambda p: (len(p), p))
        seen: set[str] = set()
        shortest = []
        for p in paths:  # the shortest path to each anchor
            if p[-1] not in seen:
                seen.add(p[-1])
                shortest.append(" — ".join(p))
        return value, tuple(shortest[:MAX_EVIDENCE])
    if isinstance(leaf, n.CompanyHas):
        return value, tuple(sorted({str(x) for group in evidence or [] for x in group}))
    return value, tuple(sorted(str(x) for x in evidence or []))


def _text(leaf: n.Node, value: Any, held: bool) -> str:
    """Return e.g. `purchase interactions in P180D: count = 4 ≥ 3`."""
    tests = getattr(leaf, "tests", ())
    value_text = value.isoformat() if isinstance(value, datetime) else value
    if isinstance(leaf, n.Attribute):
        return f"{leaf.field} = {value_text!r} {render_test(n.Test(leaf.op, leaf.value))}"
    if isinstance(leaf, n.Recency | n.Employment | n.Tag):
        return f"{describe(leaf)}: {'holds' if held else 'does not hold'} ({value_text})"
    return f"{measured(leaf)} = {value_text} {' and '.join(render_test(t) for t in tests)}"
