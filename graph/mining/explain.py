"""Why a customer carries (or not) a mined tag, in the tag engine's explanation shape."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import numpy as np

from graph.db import Graph
from graph.mining import lookalike, predictive
from graph.mining.features import Features, extract
from graph.mining.models import has_miner, load_model, miner_of
from graph.mining.targets import _model_tag
from graph.tag_explain import ExplainedBranch
from graph.tags import TagDefinition

TOP = 5
Explained = tuple[str, list[ExplainedBranch]]


def _fmt(x: float) -> str:
    return "missing" if math.isnan(x) else f"{x:.4g}"


def _branch(path: str, condition: str, held: bool, value: Any, text: str, evidence: list[str] | None = None
            ) -> ExplainedBranch:
    return ExplainedBranch(path=path, condition=condition, held=held, value=None if value is None else str(value),
                           text=text, evidence=evidence or [])


async def _row(graph: Graph, entity_id: str, columns: list[str], as_of: datetime) -> Features | None:
    data = await extract(graph, as_of, columns=columns, ids=[entity_id])
    return data if data.ids else None


async def explain_mined(graph: Graph, tag: TagDefinition, entity_id: str, a: dict[str, Any],
                        as_of: datetime) -> Explained:
    """Return (summary, branches) for a MINED tag and one customer (tagged or not)."""
    if not has_miner(tag):  # assigned from outside: say who and when, as for manual tags
        at = a.get("assigned_at")
        when = at.isoformat() if isinstance(at, datetime) else at
        return (f"tagged {tag.key!r} by {a.get('assigned_by')} at {when}" if a else f"not tagged {tag.key!r}"), []
    miner = miner_of(tag)
    d = tag.definition or {}
    if miner == "influence":
        return _influence(tag.key, a)
    if miner == "communities":
        return await _community(graph, tag.key, entity_id, a, as_of)
    owner = await _model_tag(graph, tag)
    od = owner.definition or {}
    model = await load_model(graph, owner.key, od["model"]["version"])
    data = await _row(graph, entity_id, model["columns"], as_of)
    if data is None:
        return f"{entity_id!r} is not a customer", []
    x = data.X[0]
    if miner == "value_groups":
        return _cluster(tag.key, model, x, a)
    if miner == "lookalike":
        return _lookalike(tag.key, d, model, x, a)
    return _predictive(owner.key, od, model, x, a)


def _influence(key: str, a: dict[str, Any]) -> Explained:
    if not a:
        return f"not among the top customers by PageRank ({key!r})", []
    rank, score = a.get("value"), a.get("score")
    text = f"PageRank rank {rank}, {score}× the average customer's"
    return f"tagged {key!r}: {text}", [_branch("influence.pagerank", "rank within the top fraction", True, rank, text)]


async def _community(graph: Graph, key: str, entity_id: str, a: dict[str, Any], as_of: datetime) -> Explained:
    if not a:
        return f"not in a community large enough to tag ({key!r})", []
    community = a.get("value")
    members = {r["id"] for r in await graph.read("mining/get_tag_value_holders", key=key, value=community)}
    ties = await graph.read("mining/get_customer_ties", id=entity_id, today=as_of.date())
    inside: dict[str, list[str]] = {}
    for t in ties:
        if t["other"] in members:
            inside.setdefault(t["other"], []).append(t["type"])
    strongest = sorted(inside.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP]
    branches = [
        _branch("community.size", "members", True, len(members), f"community {community} has {len(members)} members"),
        _branch("community.ties", "ties inside the community", True, a.get("score"),
                f"{len(inside)} of its ties are to members ({a.get('score')} of its tie weight)",
                [f"{entity_id} — {other} ({'+'.join(sorted(set(kinds)))})" for other, kinds in strongest]),
    ]
    return f"member of community {community} ({len(members)} members)", branches


def _cluster(key: str, model: dict[str, Any], x: np.ndarray, a: dict[str, Any]) -> Explained:
    distances = model["kmeans"].transform(model["prep"].transform(x[None, :]))[0]
    order = np.argsort(distances)
    names, centres = model["names"], model["kmeans"].cluster_centers_
    own, nxt = int(order[0]), int(order[1]) if len(order) > 1 else int(order[0])
    z = model["prep"].transform(x[None, :])[0]
    branches = [_branch("cluster.distance", f"nearest centroid '{names[own]}'", True, round(float(distances[own]), 4),
                        f"distance to the '{names[own]}' centroid {distances[own]:.3f}; next '{names[nxt]}' "
                        f"{distances[nxt]:.3f} (confidence {a.get('score')})")]
    for j, col in enumerate(model["columns"]):
        branches.append(_branch(f"cluster.features.{col}", f"{col} vs centroid", True, _fmt(x[j]),
                                f"{col} = {_fmt(x[j])} (scaled {z[j]:+.2f}; centroid {centres[own, j]:+.2f})"))
    return f"in value group '{names[own]}' (distance {distances[own]:.3f}, next '{names[nxt]}' " \
           f"{distances[nxt]:.3f})", branches


def _lookalike(key: str, d: dict[str, Any], model: dict[str, Any], x: np.ndarray, a: dict[str, Any]) -> Explained:
    near = lookalike.nearest_seeds(model, x)
    branches = [_branch("lookalike.nearest", f"nearest members of {d.get('seedTag')!r}", bool(a),
                        near[0][1] if near else None,
                        "nearest seeds: " + ", ".join(f"{i} (similarity {s})" for i, s in near),
                        [i for i, _ in near])]
    head = f"looks like {near[0][0]} (similarity {near[0][1]})" if near else "no seed customers"
    return (f"tagged {key!r}: {head}" if a else f"not among the top {d.get('top')} lookalikes; {head}"), branches


def _predictive(key: str, d: dict[str, Any], model: dict[str, Any], x: np.ndarray, a: dict[str, Any]) -> Explained:
    p = float(model["classifier"].predict_proba(x[None, :])[0, 1])
    cut = d["model"]["threshold"]
    parts = sorted(predictive.contributions(model, x), key=lambda t: (-abs(t[2]), t[0]))[:TOP]
    branches = [_branch(f"model.features.{name}", f"{name} (median replaced: {delta:+.3f})", delta > 0, _fmt(value),
                        f"{name} = {_fmt(value)} {'raises' if delta > 0 else 'lowers'} the probability by "
                        f"{abs(delta):.3f} (against the training median)")
                for name, value, delta in parts]
    verdict = "at or above" if p >= cut else "below"
    top = ", ".join(f"{n} {dl:+.3f}" for n, _, dl in parts[:3])
    return (f"probability {p:.3f} {verdict} the threshold {cut} of {key!r} "
            f"({d['model']['algorithm']} v{d['model']['version']}); top contributions: {top}"), branches
