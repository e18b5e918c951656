"""Lookalike tags: the customers nearest in feature space to the members of a seed tag."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from graph.db import Graph
from graph.errors import BadInputError
from graph.mining.features import Features, Progress, extract, holders
from graph.mining.models import Targets, check_key, save_definition, save_model
from graph.tags import require_tag

DEFAULT_FEATURES = ["rfm", "activity", "network"]


@dataclass(frozen=True)
class LookalikeReport:
    key: str
    version: int
    seed_tag: str
    seeds: int
    tagged: int
    best: list[tuple[str, str, float]] = field(default_factory=list)  # id, nearest seed, similarity


def similar(model: dict[str, Any], data: Features, top: int, min_similarity: float) -> Targets:
    """Return the `top` non-seed customers nearest a seed: value = nearest seed id, score = 1 / (1 + distance)."""
    seeds = set(model["seed_ids"])
    mask = ~data.rows(seeds)
    if not mask.any():
        return {}
    Z = model["prep"].transform(data.X[mask])
    distance, nearest = model["nn"].kneighbors(Z, n_neighbors=1)
    sim = 1 / (1 + distance[:, 0])
    ids = [i for i, m in zip(data.ids, mask, strict=True) if m]
    order = sorted(range(len(ids)), key=lambda k: (-sim[k], ids[k]))[:top]
    return {("customer", ids[k]): (model["seed_ids"][nearest[k, 0]], round(float(sim[k]), 4))
            for k in order if sim[k] >= min_similarity}


async def mine_lookalike(graph: Graph, *, key: str, seed_tag: str, features: list[str] | None = None, top: int = 100,
                         min_similarity: float = 0.0, as_of: datetime | None = None, by: str = "cli",
                         progress: Progress | None = None) -> LookalikeReport:
    """Fit the scaling and the seed neighbourhood, store them and define the tag; return the best matches."""
    if top < 1:
        raise BadInputError("top must be at least 1", path="top")
    await require_tag(graph, seed_tag)
    as_of = (as_of or datetime.now(UTC)).astimezone(UTC)
    await check_key(graph, key)
    data = await extract(graph, as_of, features=features or DEFAULT_FEATURES, progress=progress)
    seed_mask = data.rows(await holders(graph, seed_tag, as_of))
    if not seed_mask.any():
        raise BadInputError(f"no customer holds tag {seed_tag!r}", path="seedTag")
    prep = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()).fit(data.X)
    seed_ids = [i for i, m in zip(data.ids, seed_mask, strict=True) if m]
    nn = NearestNeighbors(n_neighbors=1).fit(prep.transform(data.X[seed_mask]))
    model = {"prep": prep, "nn": nn, "seed_ids": seed_ids, "columns": data.names}
    version = await save_model(graph, key, model, {"miner": "lookalike", "seeds": len(seed_ids)}, by=by)
    found = similar(model, data, top, min_similarity)
    definition = {"miner": "lookalike", "seedTag": seed_tag, "features": features or DEFAULT_FEATURES, "top": top,
                  "minSimilarity": min_similarity,
                  "model": {"version": version, "seeds": len(seed_ids), "columns": data.names,
                            "trainedAt": as_of.isoformat()}}
    await save_definition(graph, key, definition, by=by, name=f"Looks like {seed_tag}", category="value",
                          description=f"The {top} customers most similar to those tagged {seed_tag!r} "
                                      "(score = 1 / (1 + distance to the nearest one)).")
    best = sorted(((i[1], v[0], v[1]) for i, v in found.items()), key=lambda t: (-t[2], t[0]))[:10]
    return LookalikeReport(key, version, seed_tag, len(seed_ids), len(found), best)


def nearest_seeds(model: dict[str, Any], x: np.ndarray, k: int = 3) -> list[tuple[str, float]]:
    """Return the k nearest seed members of one feature row with their similarity."""
    distance, nearest = model["nn"].kneighbors(model["prep"].transform(x[None, :]),
                                               n_neighbors=min(k, len(model["seed_ids"])))
    return [(model["seed_ids"][j], round(float(1 / (1 + d)), 4)) for d, j in zip(distance[0], nearest[0], strict=True)]
