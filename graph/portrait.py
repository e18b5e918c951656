"""Customer portraits as of a time: tags by category, behaviour windows, RFM scores, lifecycle, relationships."""

from __future__ import annotations

import asyncio
import math
import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.network import Connection, Neighbours
from graph.scope import graph_scope

WINDOWS = (30, 90, 180, 365)
QUINTILES = (0.2, 0.4, 0.6, 0.8)


class LifecycleThresholds(BaseModel):
    """Days that separate lifecycle stages (configurable via CUSTGRAPH_LIFECYCLE_* settings)."""

    model_config = ConfigDict(frozen=True)

    new_days: int = 30
    active_days: int = 90
    churn_days: int = 365


class TagAssignment(BaseModel):
    """A HAS_TAG edge with its tag, and whether it is valid at the portrait's asOf."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str | None = None
    category: str | None = None
    source: str | None = None
    score: float | None = None
    value: Any = None
    assigned_at: datetime | None = None
    expires_at: datetime | None = None
    assigned_by: str | None = None
    reason: str | None = None
    valid: bool


class Window(BaseModel):
    """Interaction counts in (asOf - days, asOf], in total and by type (sorted by type)."""

    model_config = ConfigDict(frozen=True)

    days: int
    start: datetime
    total: int
    by_type: list[tuple[str, int]]


class Behaviour(BaseModel):
    """Behaviour statistics up to asOf."""

    model_config = ConfigDict(frozen=True)

    windows: list[Window]
    interactions: int
    purchases: int
    purchase_total: float
    purchase_average: float | None
    first: tuple[datetime, str] | None
    last: tuple[datetime, str] | None
    active_days: int


class Rfm(BaseModel):
    """Recency (days), frequency (purchase days), monetary (total) and 1–5 quintile scores."""

    model_config = ConfigDict(frozen=True)

    recency_days: int | None
    frequency: int
    monetary: float
    recency_score: int | None
    frequency_score: int | None
    monetary_score: int | None
    population: int


class Breakpoints(BaseModel):
    """Quintile breakpoints (20/40/60/80th percentiles) of the RFM population."""

    model_config = ConfigDict(frozen=True)

    as_of: datetime
    population: int
    recency: list[float]
    frequency: list[float]
    monetary: list[float]


class Relationships(BaseModel):
    """A customer's relationships as of asOf."""

    model_config = ConfigDict(frozen=True)

    employer: dict[str, Any] | None
    colleagues: int
    projects: list[dict[str, Any]]
    referrals_made: int
    referrals_made_converted: int
    referrals_received: int
    referrals_received_converted: int
    knows: int


class PortraitData(BaseModel):
    """Raw inputs of a portrait: interactions up to asOf and tag assignments."""

    model_config = ConfigDict(frozen=True)

    id: str
    interactions: list[dict[str, Any]]
    tags: list[dict[str, Any]]


async def get_portrait_data(graph: Graph, ids: list[str], as_of: datetime) -> list[PortraitData | None]:
    """Return portrait inputs for each customer id in ids order (None where absent)."""
    rows = await graph.read("portrait/get_portrait_data", ids=ids, as_of=as_of)
    found = {r["id"]: PortraitData(**r) for r in rows}
    return [found.get(i) for i in ids]


def tag_groups(tags: list[dict[str, Any]], as_of: datetime) -> list[tuple[str, list[TagAssignment]]]:
    """Return tag assignments grouped by category (sorted; None → 'uncategorized'), tags by key."""
    groups: dict[str, list[TagAssignment]] = {}
    for t in tags:
        valid = (t["assigned_at"] is None or t["assigned_at"] <= as_of) and (
            t["expires_at"] is None or t["expires_at"] > as_of
        )
        groups.setdefault(t["category"] or "uncategorized", []).append(TagAssignment(**t, valid=valid))
    return [(cat, sorted(items, key=lambda a: a.key)) for cat, items in sorted(groups.items())]


def behaviour(interactions: list[dict[str, Any]], as_of: datetime) -> Behaviour:
    """Return behaviour statistics from interactions at or before asOf."""
    items = sorted((i for i in interactions if i["occurred_at"] <= as_of), key=lambda i: (i["occurred_at"], i["type"]))
    windows = []
    for days in WINDOWS:
        start = as_of - timedelta(days=days)
        counts: dict[str, int] = {}
        for i in items:
            if i["occurred_at"] > start:
                counts[i["type"]] = counts.get(i["type"], 0) + 1
        windows.append(Window(days=days, start=start, total=sum(counts.values()), by_type=sorted(counts.items())))
    purchases = [i for i in items if i["type"] == "purchase"]
    total = float(sum(i["amount"] or 0.0 for i in purchases))
    return Behaviour(
        windows=windows,
        interactions=len(items),
        purchases=len(purchases),
        purchase_total=total,
        purchase_average=total / len(purchases) if purchases else None,
        first=(items[0]["occurred_at"], items[0]["type"]) if items else None,
        last=(items[-1]["occurred_at"], items[-1]["type"]) if items else None,
        active_days=len({i["occurred_at"].date() for i in items}),
    )


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile with linear interpolation between closest ranks (like percentileCont)."""
    xs = sorted(values)
    pos = p * (len(xs) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def recency_days(last: datetime, as_of: datetime) -> int:
    """Return whole UTC calendar days from the last purchase to asOf."""
    return (as_of.date() - last.date()).days


def breakpoints(rows: list[dict[str, Any]], as_of: datetime) -> Breakpoints:
    """Return the quintile breakpoints of population rows (last_purchase, frequency, monetary)."""
    if not rows:
        return Breakpoints(as_of=as_of, population=0, recency=[], frequency=[], monetary=[])
    rec = [float(recency_days(r["last_purchase"], as_of)) for r in rows]
    freq = [float(r["frequency"]) for r in rows]
    mon = [float(r["monetary"]) for r in rows]
    return Breakpoints(
        as_of=as_of,
        population=len(rows),
        recency=[percentile(rec, p) for p in QUINTILES],
        frequency=[percentile(freq, p) for p in QUINTILES],
        monetary=[percentile(mon, p) for p in QUINTILES],
    )


def rfm(interactions: list[dict[str, Any]], as_of: datetime, bp: Breakpoints) -> Rfm:
    """Return RFM values and scores: higher is better; 1 + breakpoints beaten (recency: fewer days beats)."""
    purchases = [i for i in interactions if i["type"] == "purchase" and i["occurred_at"] <= as_of]
    if not purchases:
        return Rfm(recency_days=None, frequency=0, monetary=0.0, recency_score=None, frequency_score=None,
                   monetary_score=None, population=bp.population)
    last = max(i["occurred_at"] for i in purchases)
    r = recency_days(last, as_of)
    f = len({i["occurred_at"].date() for i in purchases})
    m = float(sum(i["amount"] or 0.0 for i in purchases))
    return Rfm(
        recency_days=r,
        frequency=f,
        monetary=m,
        recency_score=1 + sum(1 for b in bp.recency if r < b),
        frequency_score=1 + sum(1 for b in bp.frequency if f > b),
        monetary_score=1 + sum(1 for b in bp.monetary if m > b),
        population=bp.population,
    )


def lifecycle(created_at: datetime | None, b: Behaviour, as_of: datetime, t: LifecycleThresholds) -> str:
    """Return NEW, ACTIVE, SILENT or CHURNED as documented in docs/api.md."""
    seen = [d for d in (created_at, b.first[0] if b.first else None) if d is not None]
    if not seen or min(seen) > as_of - timedelta(days=t.new_days):
        return "NEW"
    if b.last is not None and b.last[0] > as_of - timedelta(days=t.active_days):
        return "ACTIVE"
    if b.last is not None and b.last[0] > as_of - timedelta(days=t.churn_days):
        return "SILENT"
    return "CHURNED"


def relationships(nb: Neighbours, as_of: datetime) -> Relationships:
    """Return employer, colleague count, projects, referrals and KNOWS count as of asOf."""
    on = as_of.date()
    current = [
        e for e in nb.employments
        if (e["since"] is None or e["since"] <= on) and (e["until"] is None or e["until"] >= on)
    ]
    current.sort(key=lambda e: (e["since"] or date.min, e["company_id"]), reverse=True)
    made = [r for r in nb.referred if r["at"] is None or r["at"] <= as_of]
    received = [r for r in nb.referred_by if r["at"] is None or r["at"] <= as_of]
    conns: list[Connection] = nb.connections(["COLLEAGUE"])
    return Relationships(
        employer=current[0] if current else None,
        colleagues=len(conns),
        projects=sorted(nb.memberships, key=lambda m: m["project_id"]),
        referrals_made=len(made),
        referrals_made_converted=sum(1 for r in made if r["converted"]),
        referrals_received=len(received),
        referrals_received_converted=sum(1 for r in received if r["converted"]),
        knows=sum(1 for k in nb.knows if k["since"] is None or k["since"] <= as_of),
    )


@dataclass
class RfmCache:
    """Per-process cache of population breakpoints, keyed by the scope and asOf floored to the hour, for ttl seconds.

    The population is everyone for unscoped callers and an account manager's own customers for them
    (graph/scope.py): their scores rank a customer among their customers, and neither the breakpoints nor the
    population count say anything about customers outside their accounts (docs/security.md)."""

    ttl: float = 600.0
    _entries: dict[tuple[tuple[str, ...] | None, datetime], tuple[float, Breakpoints]] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def get(self, graph: Graph, as_of: datetime) -> Breakpoints:
        """Return breakpoints for the graph's scope and asOf's hour, computing them (one query) when missing or stale."""
        at = as_of.replace(minute=0, second=0, microsecond=0)
        scope = graph_scope(graph)
        key = (None if scope is None else tuple(sorted(set(scope))), at)
        async with self._lock:  # concurrent portraits in one request share one population query
            hit = self._entries.get(key)
            if hit is not None and clock.monotonic() - hit[0] < self.ttl:
                return hit[1]
            if scope is None:
                rows = await graph.read("portrait/get_rfm_population", as_of=at)
            else:  # the scoped Graph passes the managed companies as $scope_company_ids
                rows = await graph.read("portrait/get_scoped_rfm_population", as_of=at)
            bp = breakpoints(rows, at)
            if len(self._entries) > 64:
                self._entries.clear()
            self._entries[key] = (clock.monotonic(), bp)
            return bp

    def invalidate(self) -> None:
        """Forget every cached breakpoint set (after a purchase is recorded)."""
        self._entries.clear()
