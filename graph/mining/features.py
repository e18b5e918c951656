"""Customer feature matrices for mining, read out page by page with Cypher.

Columns are named: built-ins (`recency_days`, `monetary`, `knows`, …), one-hot built-in
categories (`gender=female`), custom attributes (`attr:vip_level`, `attr:preferred_language=zh`)
and statistical tag values (`tag:purchases_180d`, `tag:spend_365d=high`). Groups select many at
once: rfm, activity, profile, network, attributes, tags. Missing values stay NaN; models impute.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np

from graph.db import Graph
from graph.errors import BadInputError

PAGE = 2000
MAX_CATEGORIES = 8  # one-hot columns per categorical field (most frequent values)
NUMERIC_TYPES = ("int", "float", "bool", "date", "datetime")

GROUPS: dict[str, tuple[str, ...]] = {
    "rfm": ("recency_days", "frequency", "monetary"),
    "activity": ("interactions", "interactions_90d", "interactions_365d", "days_since_last_interaction",
                 "monetary_365d"),
    "profile": ("tenure_days", "age_years", "employed", "gender", "source_channel"),
    "network": ("knows", "referrals_made", "referrals_converted", "referred_by", "projects"),
}
CATEGORICAL = ("gender", "source_channel")
COUNTS = ("frequency", "monetary", "monetary_365d", "interactions", "interactions_90d", "interactions_365d",
          "knows", "referrals_made", "referrals_converted", "referred_by", "projects", "employed")

Progress = Callable[[int], Awaitable[None] | None]


@dataclass(frozen=True)
class Features:
    """A feature matrix: one row per customer id (id order), one column per name; NaN = missing."""

    ids: list[str]
    names: list[str]
    X: np.ndarray

    def column(self, name: str) -> np.ndarray:
        return self.X[:, self.names.index(name)]

    def rows(self, ids: Iterable[str]) -> np.ndarray:
        """Return a boolean mask of the rows whose id is in ids."""
        wanted = set(ids)
        return np.array([i in wanted for i in self.ids], dtype=bool)


def _days(as_of: datetime, then: datetime | date | None) -> float:
    if then is None:
        return math.nan
    if isinstance(then, datetime):
        return (as_of.date() - then.astimezone(UTC).date()).days
    return (as_of.date() - then).days


def _number(value: Any, kind: str, as_of: datetime) -> float:
    if value is None:
        return math.nan
    if kind in ("date", "datetime"):
        return _days(as_of, value) if isinstance(value, date) else math.nan
    if isinstance(value, bool | int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def builtin_row(r: dict[str, Any], as_of: datetime) -> tuple[dict[str, float], dict[str, str | None]]:
    """Return the numeric and categorical built-in features of one feature-query row."""
    tenure = _days(as_of, r["created_at"] or r["first_interaction"])
    since_last = _days(as_of, r["last_interaction"])
    recency = _days(as_of, r["last_purchase"])
    birth = r["birth_date"]
    nums = {k: float(r[k] or 0) for k in COUNTS}
    nums.update({
        "tenure_days": tenure,
        # never bought / never seen: as long ago as the customer has existed (NaN when unknown)
        "recency_days": recency if not math.isnan(recency) else tenure,
        "days_since_last_interaction": since_last if not math.isnan(since_last) else tenure,
        "age_years": (as_of.date() - birth).days / 365.25 if isinstance(birth, date) else math.nan,
    })
    cats = {k: (str(r[k]).lower() if r[k] is not None else None) for k in CATEGORICAL}
    return nums, cats


@dataclass
class _Collected:
    """Columns as lists, one entry per customer (a field first seen late is back-filled as missing)."""

    ids: list[str]
    nums: dict[str, list[float]]
    cats: dict[str, list[str | None]]

    def add(self, cid: str, nums: dict[str, float], cats: dict[str, str | None]) -> None:
        n = len(self.ids)
        for name, value in nums.items():
            if name not in self.nums:
                self.nums[name] = [math.nan] * n
            self.nums[name].append(value)
        for name, text in cats.items():
            if name not in self.cats:
                self.cats[name] = [None] * n
            self.cats[name].append(text)
        for column in self.nums.values():
            if len(column) == n:
                column.append(math.nan)
        for labels in self.cats.values():
            if len(labels) == n:
                labels.append(None)
        self.ids.append(cid)


async def _collect(graph: Graph, as_of: datetime, ids: list[str] | None, attr_defs: list[tuple[str, str]],
                   tag_keys: list[str], progress: Progress | None) -> _Collected:
    keys = [k for k, _ in attr_defs]
    out = _Collected([], {}, {})
    params = {"ids": ids, "keys": keys, "as_of": as_of, "since_90": as_of - timedelta(days=90),
              "since_365": as_of - timedelta(days=365), "today": as_of.date()}
    after = ""
    while True:
        rows = await graph.read("mining/get_customer_features", after=after, limit=PAGE, **params)
        if not rows:
            break
        tags: dict[tuple[str, str], Any] = {}
        if tag_keys:
            for t in await graph.read("mining/get_tag_values", keys=tag_keys, after=after, last=rows[-1]["id"],
                                      at=as_of):
                tags[(t["id"], t["key"])] = t["value"]
        for r in rows:
            nums, cats = builtin_row(r, as_of)
            for (key, kind), value in zip(attr_defs, r["attributes"], strict=True):
                if kind in NUMERIC_TYPES:
                    nums[f"attr:{key}"] = _number(value, kind, as_of)
                else:
                    cats[f"attr:{key}"] = None if value is None else str(value)
            for key in tag_keys:
                value = tags.get((r["id"], key))
                if isinstance(value, bool | int | float) or value is None:
                    nums[f"tag:{key}"] = math.nan if value is None else float(value)
                else:
                    cats[f"tag:{key}"] = str(value)
            out.add(r["id"], nums, cats)
        after = rows[-1]["id"]
        if progress is not None:
            done = progress(len(rows))
            if done is not None:
                await done
        if len(rows) < PAGE:
            break
    return out


def _columns(c: _Collected) -> list[str]:
    names = sorted(c.nums)
    for field, values in sorted(c.cats.items()):
        counts = Counter(v for v in values if v is not None)
        names += [f"{field}={v}" for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CATEGORIES]]
    return names


def select(columns: list[str], wanted: list[str] | None) -> list[str]:
    """Return the columns a selection names (groups, columns, or fields whose one-hot columns are meant)."""
    if not wanted:
        return columns
    prefixes = {"attributes": "attr:", "tags": "tag:"}
    out: list[str] = []
    for item in wanted:
        if item in prefixes:
            hits = [c for c in columns if c.startswith(prefixes[item])]
        else:
            names = GROUPS.get(item, (item,))
            hits = [c for c in columns if any(c == n or c.startswith(f"{n}=") for n in names)]
            if not hits and item not in GROUPS:
                raise BadInputError(f"unknown feature {item!r} (groups: {', '.join([*GROUPS, *prefixes])})",
                                    path="features")
        out += [h for h in hits if h not in out]
    return out


def _matrix(c: _Collected, names: list[str]) -> np.ndarray:
    X = np.full((len(c.ids), len(names)), np.nan)
    for j, name in enumerate(names):
        if name in c.nums:
            X[:, j] = c.nums[name]
        elif "=" in name:
            field, value = name.split("=", 1)
            values = c.cats.get(field)
            if values is not None:
                X[:, j] = [1.0 if v == value else 0.0 for v in values]
            else:
                X[:, j] = 0.0
    return X


async def feature_sources(graph: Graph) -> tuple[list[tuple[str, str]], list[str]]:
    """Return the usable custom attributes (key, type) and the ACTIVE statistical tag keys."""
    from graph.tags import list_tags

    attrs = [(r["key"], r["type"]) for r in await graph.read("mining/get_attribute_defs")]
    tags = [t.key for t in await list_tags(graph, kind="STATISTICAL", status="ACTIVE")]
    return attrs, tags


async def extract(graph: Graph, as_of: datetime, *, features: list[str] | None = None,
                  columns: list[str] | None = None, ids: list[str] | None = None,
                  progress: Progress | None = None) -> Features:
    """Return the feature matrix of every customer (or of ids) at as_of.

    With `columns` (a trained model's) exactly those columns come back, in that order; otherwise
    the columns are discovered from the data and narrowed to `features`. Raises BadInputError for
    an unknown feature name.
    """
    attrs, tags = await feature_sources(graph)
    if columns is not None:  # only read what the columns need
        fields = {c.split("=", 1)[0] for c in columns}
        attrs = [(k, t) for k, t in attrs if f"attr:{k}" in fields]
        tags = [k for k in tags if f"tag:{k}" in fields]
    collected = await _collect(graph, as_of, ids, attrs, tags, progress)
    names = columns if columns is not None else select(_columns(collected), features)
    if not names:
        raise BadInputError("no features selected", path="features")
    return Features(collected.ids, list(names), _matrix(collected, names))


async def holders(graph: Graph, key: str, at: datetime) -> list[str]:
    """Return the ids of customers holding tag `key` validly at `at`."""
    return [r["id"] for r in await graph.read("mining/get_tag_holders", key=key, at=at)]


async def id_ranges(graph: Graph, size: int = 5000) -> list[tuple[str, str]]:
    """Return (after, last] id ranges of about `size` customers each, covering every customer."""
    lasts = [r["last"] for r in await graph.read("mining/get_id_pages", size=size)]
    return list(zip(["", *lasts[:-1]], lasts, strict=True))
