"""Value groups: K-means on scaled RFM features, k chosen by silhouette, clusters named by centroids."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.impute import SimpleImputer
from sklearn.metrics import silhouette_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from graph.db import Graph
from graph.errors import BadInputError
from graph.mining.features import Features, Progress, extract
from graph.mining.models import Targets, check_key, check_seed, save_definition, save_model

SILHOUETTE_SAMPLE = 5000
MAX_K = 20


@dataclass(frozen=True)
class Cluster:
    """One value group: its name, size and centroid in feature units (means of its members)."""

    name: str
    size: int
    centroid: dict[str, float]


@dataclass(frozen=True)
class ValueGroupsReport:
    key: str
    version: int
    k: int
    silhouettes: dict[int, float]
    clusters: list[Cluster] = field(default_factory=list)


def log1p_nonneg(X: np.ndarray) -> np.ndarray:
    """Return log(1 + max(X, 0)): RFM amounts and counts are long-tailed."""
    out: np.ndarray = np.log1p(np.clip(X, 0, None))
    return out


def _prepare() -> Pipeline:
    return make_pipeline(SimpleImputer(strategy="median"), FunctionTransformer(log1p_nonneg), StandardScaler())


def name_clusters(names: list[str], centres: np.ndarray) -> list[str]:
    """Return a name per scaled centroid: high_value, potential, active, at_risk or sleeping (suffixed when repeated).

    Recency counts inversely (fewer days is better); value is the mean of the other columns.
    """
    rec_col = names.index("recency_days") if "recency_days" in names else None
    others = [j for j in range(len(names)) if j != rec_col]
    out: list[str] = []
    order = np.argsort(-centres[:, others].mean(axis=1)) if others else np.arange(len(centres))
    labels: dict[int, str] = {}
    for i in order:
        value = float(centres[i, others].mean()) if others else 0.0
        recent = -float(centres[i, rec_col]) if rec_col is not None else 0.0
        if recent >= 0:
            base = "high_value" if value >= 0.5 else "potential" if value >= 0 else "active"
        else:
            base = "at_risk" if value >= 0 else "sleeping"
        name, n = base, 2
        while name in labels.values():
            name, n = f"{base}_{n}", n + 1
        labels[int(i)] = name
    out = [labels[i] for i in range(len(centres))]
    return out


def confidence(distances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (nearest cluster, 1 - d_nearest / d_second) per row of a distance matrix."""
    order = np.argsort(distances, axis=1)
    nearest = order[:, 0]
    d1 = distances[np.arange(len(distances)), nearest]
    d2 = distances[np.arange(len(distances)), order[:, 1]] if distances.shape[1] > 1 else d1 + 1
    return nearest, np.where(d2 > 0, 1 - d1 / np.maximum(d2, 1e-12), 1.0)


def choose_k(Z: np.ndarray, k_range: tuple[int, int], seed: int) -> tuple[KMeans, dict[int, float]]:
    """Fit K-means for each k in the range; return the best by silhouette (on a sample) and all scores."""
    lo, hi = k_range
    if not 2 <= lo <= hi <= MAX_K:
        raise BadInputError(f"k range {lo}..{hi} must satisfy 2 ≤ kMin ≤ kMax ≤ {MAX_K}", path="kMin")
    distinct = len(np.unique(Z, axis=0)) if len(Z) else 0
    hi = min(hi, distinct - 1)  # the silhouette needs fewer groups than distinct customers
    if hi < lo:
        raise BadInputError(f"need at least {lo + 1} customers with different features to form {lo} value groups "
                            f"(found {distinct})", path="kMin")
    scores: dict[int, float] = {}
    best: KMeans | None = None
    for k in range(lo, hi + 1):
        km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(Z)
        sample = min(len(Z), SILHOUETTE_SAMPLE)
        scores[k] = round(float(silhouette_score(Z, km.labels_, sample_size=sample, random_state=seed)), 4)
        if best is None or scores[k] > scores[best.n_clusters]:
            best = km
    assert best is not None
    return best, scores


async def mine_value_groups(graph: Graph, *, key: str = "value_group", features: list[str] | None = None,
                            k_range: tuple[int, int] = (3, 6), seed: int = 7, as_of: datetime | None = None,
                            by: str = "cli", progress: Progress | None = None) -> ValueGroupsReport:
    """Cluster customers, store the model and the MINED tag definition; return sizes and centroids."""
    as_of = (as_of or datetime.now(UTC)).astimezone(UTC)
    await check_key(graph, key)
    check_seed(seed)
    data = await extract(graph, as_of, features=features or ["rfm"], progress=progress)
    if len(data.ids) <= k_range[0]:
        raise BadInputError(f"need more than {k_range[0]} customers to form value groups (found {len(data.ids)})",
                            path="kMin")
    prep = _prepare().fit(data.X)
    Z = prep.transform(data.X)
    km, scores = choose_k(Z, k_range, seed)
    names = name_clusters(data.names, km.cluster_centers_)
    clusters = [Cluster(names[c], int((km.labels_ == c).sum()),
                        {n: round(float(np.nanmean(data.X[km.labels_ == c, j])), 3) for j, n in enumerate(data.names)})
                for c in range(km.n_clusters)]
    meta = {"miner": "value_groups", "columns": data.names, "names": names}
    version = await save_model(graph, key, {"prep": prep, "kmeans": km, "names": names, "columns": data.names},
                               meta, by=by)
    definition = {"miner": "value_groups", "features": features or ["rfm"], "kRange": list(k_range), "seed": seed,
                  "model": {"version": version, "k": km.n_clusters, "silhouettes": {str(k): v for k, v in scores.items()},
                            "columns": data.names, "trainedAt": as_of.isoformat(),
                            "clusters": [{"name": c.name, "size": c.size, "centroid": c.centroid} for c in clusters]}}
    await save_definition(graph, key, definition, by=by, name="Value group", category="value",
                          description="RFM value group found by K-means: " + ", ".join(sorted(names)) + ".")
    return ValueGroupsReport(key, version, km.n_clusters, scores, sorted(clusters, key=lambda c: -c.size))


def assign(model: dict[str, Any], data: Features) -> Targets:
    """Return each customer's group name and distance-based confidence."""
    distances = model["kmeans"].transform(model["prep"].transform(data.X))
    nearest, conf = confidence(distances)
    return {("customer", i): (model["names"][c], round(float(s), 4))
            for i, c, s in zip(data.ids, nearest, conf, strict=True)}
