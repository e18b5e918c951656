"""Distributions and cross tables over customers (all, or a segment's members), counted in Cypher.

A dimension is a built-in field, a custom attribute, `age_band`, `lifecycle_stage`,
`industry` (current employer), `tag` / `tag_category:<category>` (multi-valued: a customer
counts once per tag held), or a numeric measure (`spend`, `purchases`, numeric attributes)
which is bucketed into equal-width ranges with round edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.cypher import check_identifier
from graph.db import Graph
from graph.errors import BadInputError
from graph.portrait import LifecycleThresholds
from graph.rules import Catalog
from graph.segment_members import Audience, count_members

FIELDS = ("gender", "city", "country", "occupation", "source_channel")
SPECIAL = ("age_band", "lifecycle_stage", "industry", "tag", "spend", "purchases")
AGE_BANDS = ((18, "<18"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64"))
LIFECYCLE = ("NEW", "ACTIVE", "SILENT", "CHURNED")
_VALID = "(h.expires_at IS NULL OR h.expires_at > $as_of) AND (h.assigned_at IS NULL OR h.assigned_at <= $as_of)"
_PURCHASES = "[(c)-[:PERFORMED]->(i:Interaction) WHERE i.type = 'purchase' AND i.occurred_at <= $as_of | i]"


@dataclass(frozen=True)
class Dimension:
    """A Cypher expression on customer `c` that one distribution groups by."""

    name: str
    expr: str
    params: dict[str, Any] = field(default_factory=dict)
    multi: bool = False  # the expression is a list; each element counts
    numeric: bool = False
    order: tuple[str, ...] = ()  # natural order of values, when there is one
    labels: tuple[str, ...] = ()  # bucket labels by index, once bucketed


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def dimension(name: str, catalog: Catalog, as_of: datetime, lifecycle: LifecycleThresholds | None = None,
              prefix: str = "d") -> Dimension:
    """Return the dimension called name; raise BadInputError listing the known ones."""
    p = f"{prefix}_"
    if name in FIELDS:
        return Dimension(name, f"c.{check_identifier(name)}")
    if name == "age_band":
        day = as_of.date()
        cases = " ".join(f"WHEN c.birth_date > ${p}age{i} THEN '{label}'" for i, (_, label) in enumerate(AGE_BANDS))
        params = {f"{p}age{i}": _years_before(day, years) for i, (years, _) in enumerate(AGE_BANDS)}
        return Dimension(name, f"CASE WHEN c.birth_date IS NULL THEN null {cases} ELSE '65+' END", params,
                         order=(*(label for _, label in AGE_BANDS), "65+"))
    if name == "lifecycle_stage":
        t = lifecycle or LifecycleThresholds()
        def since(var: str) -> str:
            return (f"EXISTS {{ MATCH (c)-[:PERFORMED]->(i:Interaction) WHERE i.occurred_at > ${p}{var} "
                    f"AND i.occurred_at <= ${p}as_of }}")
        expr = (f"CASE WHEN (c.created_at IS NULL OR c.created_at > ${p}new) AND NOT EXISTS {{ MATCH (c)-[:PERFORMED]->"
                f"(i:Interaction) WHERE i.occurred_at <= ${p}new }} THEN 'NEW' "
                f"WHEN {since('active')} THEN 'ACTIVE' WHEN {since('churn')} THEN 'SILENT' ELSE 'CHURNED' END")
        params = {f"{p}as_of": as_of, f"{p}new": as_of - timedelta(days=t.new_days),
                  f"{p}active": as_of - timedelta(days=t.active_days), f"{p}churn": as_of - timedelta(days=t.churn_days)}
        return Dimension(name, expr, params, order=LIFECYCLE)
    if name == "industry":
        return Dimension(name, f"head([(c)-[w:WORKS_AT]->(co:Company) WHERE w.until IS NULL OR w.until >= ${p}today "
                               "| co.industry])", {f"{p}today": as_of.date()})
    if name == "tag" or name.startswith("tag_category:"):
        valid = _VALID.replace("$as_of", f"${p}as_of")
        tag_params: dict[str, Any] = {f"{p}as_of": as_of}
        cat = ""
        if name != "tag":
            cat = f" AND t.category = ${p}category"
            tag_params[f"{p}category"] = name.removeprefix("tag_category:")
        return Dimension(name, f"[(c)-[h:HAS_TAG]->(t:Tag) WHERE {valid}{cat} | t.key]", tag_params, multi=True)
    if name == "spend":
        purchases = _PURCHASES.replace("$as_of", f"${p}as_of")
        return Dimension(name, f"reduce(s = 0.0, i IN {purchases} | s + coalesce(i.amount, 0.0))",
                         {f"{p}as_of": as_of}, numeric=True)
    if name == "purchases":
        return Dimension(name, f"size({_PURCHASES.replace('$as_of', f'${p}as_of')})", {f"{p}as_of": as_of},
                         numeric=True)
    key = name.removeprefix("attribute:")
    type_ = catalog.custom.get("customer", {}).get(key)
    if type_ is not None:
        return Dimension(name, f"c.{check_identifier(key)}", numeric=type_ in ("int", "float"))
    known = ", ".join([*FIELDS, *SPECIAL, "tag_category:<category>", *sorted(catalog.custom.get("customer", {}))])
    raise BadInputError(f"unknown dimension {name!r} (expected one of {known})")


class Bucket(BaseModel):
    """One value of a distribution (None = unknown) with its count and share of the customers."""

    model_config = ConfigDict(frozen=True)

    value: str | None
    count: int
    share: float
    low: float | None = None
    high: float | None = None


class Distribution(BaseModel):
    model_config = ConfigDict(frozen=True)

    dimension: str
    total: int
    buckets: list[Bucket]


class Cell(BaseModel):
    model_config = ConfigDict(frozen=True)

    row: str | None
    column: str | None
    count: int
    share: float


class CrossTable(BaseModel):
    model_config = ConfigDict(frozen=True)

    rows: str
    columns: str
    total: int
    cells: list[Cell]


def _nice(step: float) -> float:
    magnitude = 10.0 ** math.floor(math.log10(step))
    return float(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step))


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


async def bucketed(graph: Graph, aud: Audience, dim: Dimension, buckets: int = 5) -> tuple[Dimension, list[tuple[float, float]]]:
    """Return a numeric dimension turned into bucket indexes, with each bucket's [low, high) edges."""
    text = f"{aud.match()}\nWITH {dim.expr} AS v\nRETURN min(v) AS lo, max(v) AS hi"
    row = (await graph.read_text("analysis/range", text, {**aud.params, **dim.params}))[0]
    if row["lo"] is None:
        return replace(dim, numeric=False, expr="null"), []
    lo, hi = float(row["lo"]), float(row["hi"])
    step = _nice((hi - lo) / buckets) if hi > lo else 1.0
    start = math.floor(lo / step) * step
    count = max(1, min(buckets + 1, math.floor((hi - start) / step) + 1))
    edges = [(start + i * step, start + (i + 1) * step) for i in range(count)]
    p = f"{dim.name.replace(':', '_')}_b"
    expr = (f"CASE WHEN {dim.expr} IS NULL THEN null ELSE toInteger(floor((toFloat({dim.expr}) - ${_ident(p)}lo) / "
            f"${_ident(p)}step)) END")
    labels = tuple(f"{_fmt(a)}–{_fmt(b)}" for a, b in edges)
    return replace(dim, expr=expr, params={**dim.params, f"{_ident(p)}lo": start, f"{_ident(p)}step": step},
                   numeric=False, labels=labels), edges


def _ident(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in text)


async def group_counts(graph: Graph, aud: Audience, dims: list[Dimension]) -> list[tuple[tuple[Any, ...], int]]:
    """Return (values, customers) for each combination of dimension values among the audience."""
    names = [f"v{i}" for i in range(len(dims))]
    withs = ", ".join(f"{d.expr} AS {n}" for d, n in zip(dims, names, strict=True))
    unwinds = "".join(f"\nUNWIND (CASE WHEN size({n}) = 0 THEN [null] ELSE {n} END) AS {n}_each"
                      for d, n in zip(dims, names, strict=True) if d.multi)
    cols = [f"{n}_each" if d.multi else n for d, n in zip(dims, names, strict=True)]
    text = (f"{aud.match()}\nWITH c, {withs}{unwinds}\nRETURN {', '.join(f'{c} AS k{i}' for i, c in enumerate(cols))}, "
            "count(*) AS n")
    params: dict[str, Any] = dict(aud.params)
    for d in dims:
        params.update(d.params)
    rows = await graph.read_text("analysis/group", text, params)
    out = []
    for r in rows:
        values = tuple(_label(d, r[f"k{i}"]) for i, d in enumerate(dims))
        out.append((values, int(r["n"])))
    return out


def _label(dim: Dimension, value: Any) -> str | None:
    if value is None:
        return None
    if dim.labels:
        return dim.labels[min(int(value), len(dim.labels) - 1)]
    return str(value) if not isinstance(value, str) else value


def _sort_key(dim: Dimension, value: str | None, count: int) -> tuple[Any, ...]:
    order = dim.order or dim.labels
    if value is None:
        return (2, 0, "")
    if order and value in order:
        return (0, order.index(value), "")
    return (1, -count, value)


async def distribution(graph: Graph, aud: Audience, dim: Dimension, buckets: int = 5) -> Distribution:
    """Return counts and shares of the dimension's values among the audience (unknown last)."""
    total = await count_members(graph, aud)
    edges: list[tuple[float, float]] = []
    if dim.numeric:
        dim, edges = await bucketed(graph, aud, dim, buckets)
    merged: dict[str | None, int] = {}
    for (value,), n in await group_counts(graph, aud, [dim]):
        merged[value] = merged.get(value, 0) + n
    ranges = dict(zip(dim.labels, edges, strict=False))
    for label in dim.labels:  # a histogram shows its empty buckets too
        merged.setdefault(label, 0)
    items = sorted(merged.items(), key=lambda kv: _sort_key(dim, kv[0], kv[1]))
    return Distribution(dimension=dim.name, total=total, buckets=[
        Bucket(value=v, count=n, share=n / total if total else 0.0,
               low=ranges[v][0] if v in ranges else None, high=ranges[v][1] if v in ranges else None)
        for v, n in items])


async def cross_table(graph: Graph, aud: Audience, rows: Dimension, columns: Dimension, buckets: int = 5) -> CrossTable:
    """Return customer counts for every (row value, column value) pair present among the audience."""
    total = await count_members(graph, aud)
    dims = []
    for d in (rows, columns):
        dims.append((await bucketed(graph, aud, d, buckets))[0] if d.numeric else d)
    merged: dict[tuple[str | None, str | None], int] = {}
    for (a, b), n in await group_counts(graph, aud, dims):
        merged[(a, b)] = merged.get((a, b), 0) + n
    cells = sorted(merged.items(), key=lambda kv: (_sort_key(dims[0], kv[0][0], 0), _sort_key(dims[1], kv[0][1], 0)))
    return CrossTable(rows=rows.name, columns=columns.name, total=total, cells=[
        Cell(row=a, column=b, count=n, share=n / total if total else 0.0) for (a, b), n in cells])
