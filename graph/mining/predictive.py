"""Predictive tags: a classifier of "has the label tag" trained on customer features, then scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from graph.db import Graph
from graph.errors import BadInputError
from graph.mining.features import Features, Progress, extract, holders
from graph.mining.models import Targets, check_key, check_seed, save_definition, save_model
from graph.tags import require_tag

MIN_CLASS = 5  # positives and negatives each, at least
BOOST_MARGIN = 0.005  # gradient boosting must beat the baseline's holdout AUC by this much
IMPORTANCE_SAMPLE = 2000


@dataclass(frozen=True)
class TrainReport:
    """What training found: the chosen algorithm, holdout metrics and feature importances."""

    key: str
    version: int
    algorithm: str
    auc: float
    baseline_auc: float
    boosted_auc: float | None
    threshold: float
    precision: float
    recall: float
    positives: int
    negatives: int
    scored: int
    holdout: int
    importances: list[tuple[str, float]] = field(default_factory=list)


def _baseline(seed: int) -> Pipeline:
    return make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler(),
                         LogisticRegression(max_iter=2000, random_state=seed))


def _boosted(seed: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.1, early_stopping=False, random_state=seed)


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """Return the probability threshold with the best F1 on (y, p)."""
    precision, recall, thresholds = precision_recall_curve(y, p)
    f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
    return float(thresholds[int(np.argmax(f1))]) if len(thresholds) else 0.5


def importances(model: Any, X: np.ndarray, y: np.ndarray, names: list[str], seed: int) -> list[tuple[str, float]]:
    """Return features by permutation importance (drop in ROC AUC) on held-out rows, largest first."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(X), size=min(len(X), IMPORTANCE_SAMPLE), replace=False)
    found = permutation_importance(model, X[rows], y[rows], scoring="roc_auc", n_repeats=3, random_state=seed)
    pairs = [(n, round(float(v), 4)) for n, v in zip(names, found.importances_mean, strict=True)]
    return sorted(pairs, key=lambda kv: (-kv[1], kv[0]))


def medians(X: np.ndarray) -> np.ndarray:
    """Return each column's median ignoring NaN (0 for a column with no values)."""
    out = np.zeros(X.shape[1])
    for j in range(X.shape[1]):
        seen = X[~np.isnan(X[:, j]), j]
        out[j] = float(np.median(seen)) if len(seen) else 0.0
    return out


def contributions(model: dict[str, Any], x: np.ndarray) -> list[tuple[str, float, float]]:
    """Return (feature, value, change in probability when the value is replaced by the training median).

    An occlusion explanation: simple, and the same for both algorithms.
    """
    clf, medians = model["classifier"], model["medians"]
    base = float(clf.predict_proba(x[None, :])[0, 1])
    probes = np.repeat(x[None, :], len(x), axis=0)
    probes[np.arange(len(x)), np.arange(len(x))] = medians
    shifted = clf.predict_proba(probes)[:, 1]
    return [(n, float(v), round(base - float(s), 4)) for n, v, s in zip(model["columns"], x, shifted, strict=True)]


async def train_predictive_tag(graph: Graph, key: str, label_tag: str, features: list[str] | None = None,
                               holdout_fraction: float = 0.25, seed: int = 7, negative_tag: str | None = None,
                               threshold: float | None = None, *, as_of: datetime | None = None, by: str = "cli",
                               progress: Progress | None = None) -> TrainReport:
    """Train, evaluate on a holdout, store the model and the MINED tags `key` and `key_score`.

    Positives hold `label_tag`; negatives hold `negative_tag`, or else (the fallback) are all other
    customers. Raises BadInputError for unknown tags, too few examples or a bad holdout fraction.
    """
    if not 0.05 <= holdout_fraction <= 0.5:
        raise BadInputError("holdout fraction must be between 0.05 and 0.5", path="holdoutFraction")
    if threshold is not None and not 0 < threshold < 1:
        raise BadInputError("threshold must be between 0 and 1", path="threshold")
    as_of = (as_of or datetime.now(UTC)).astimezone(UTC)
    for tag in filter(None, (label_tag, negative_tag)):
        await require_tag(graph, tag)
    await check_key(graph, key)
    check_seed(seed)
    await check_key(graph, f"{key}_score")
    data = await extract(graph, as_of, features=features, progress=progress)
    pos = data.rows(await holders(graph, label_tag, as_of))
    neg = data.rows(await holders(graph, negative_tag, as_of)) & ~pos if negative_tag else ~pos
    if pos.sum() < MIN_CLASS or neg.sum() < MIN_CLASS:
        raise BadInputError(f"need at least {MIN_CLASS} positive and {MIN_CLASS} negative customers "
                            f"(found {int(pos.sum())} and {int(neg.sum())})", path="labelTag")
    labelled = pos | neg
    X, y = data.X[labelled], pos[labelled].astype(int)
    try:
        X_tr, X_ho, y_tr, y_ho = train_test_split(X, y, test_size=holdout_fraction, random_state=seed, stratify=y)
    except ValueError as exc:  # a holdout too small to hold both classes
        raise BadInputError(f"cannot hold out {holdout_fraction} of {len(y)} labelled customers with both classes; "
                            "label more customers or raise the holdout fraction", path="holdoutFraction") from exc
    base = _baseline(seed).fit(X_tr, y_tr)
    base_auc = float(roc_auc_score(y_ho, base.predict_proba(X_ho)[:, 1]))
    boost = _boosted(seed).fit(X_tr, y_tr)
    boost_auc = float(roc_auc_score(y_ho, boost.predict_proba(X_ho)[:, 1]))
    chosen, algorithm, auc = (boost, "hist_gradient_boosting", boost_auc) if boost_auc > base_auc + BOOST_MARGIN \
        else (base, "logistic_regression", base_auc)
    p_ho = chosen.predict_proba(X_ho)[:, 1]
    cut = threshold if threshold is not None else best_threshold(y_ho, p_ho)
    precision = float(precision_score(y_ho, p_ho >= cut, zero_division=0))
    recall = float(recall_score(y_ho, p_ho >= cut, zero_division=0))
    ranked = importances(chosen, X_ho, y_ho, data.names, seed)
    final = (_boosted(seed) if algorithm == "hist_gradient_boosting" else _baseline(seed)).fit(X, y)
    model = {"classifier": final, "columns": data.names, "medians": medians(X)}
    metrics = {"algorithm": algorithm, "auc": round(auc, 4), "baselineAuc": round(base_auc, 4),
               "boostedAuc": round(boost_auc, 4), "threshold": round(cut, 4), "precision": round(precision, 4),
               "recall": round(recall, 4), "positives": int(pos.sum()), "negatives": int(neg.sum()),
               "holdout": len(y_ho)}
    version = await save_model(graph, key, model, {"miner": "predictive", **metrics}, by=by)
    scored = int((~labelled).sum()) if negative_tag else int((~pos).sum())
    definition = {"miner": "predictive", "label": label_tag, "negative": negative_tag, "features": features,
                  "holdoutFraction": holdout_fraction, "seed": seed, "threshold": threshold,
                  "model": {"version": version, **metrics, "columns": data.names, "trainedAt": as_of.isoformat(),
                            "importances": [[n, v] for n, v in ranked[:15]]}}
    await save_definition(graph, key, definition, by=by, category="risk",
                          description=f"Predicted to be like customers tagged {label_tag!r} "
                                      f"(probability ≥ threshold; see {key}_score for every score).")
    await save_definition(graph, f"{key}_score", {"miner": "predictive_score", "of": key}, by=by, category="risk",
                          name=f"{key.replace('_', ' ').capitalize()} score",
                          description=f"Probability from the {key!r} model for every scored customer (in score).")
    return TrainReport(key, version, algorithm, round(auc, 4), round(base_auc, 4), round(boost_auc, 4), round(cut, 4),
                       round(precision, 4), round(recall, 4), int(pos.sum()), int(neg.sum()), scored, len(y_ho),
                       ranked)


async def scored_ids(graph: Graph, definition: dict[str, Any], data: Features, as_of: datetime) -> np.ndarray:
    """Return the mask of customers a predictive tag scores: neither labelled positive nor (explicit) negative."""
    pos = data.rows(await holders(graph, definition["label"], as_of))
    neg = data.rows(await holders(graph, definition["negative"], as_of)) if definition.get("negative") else pos
    mask: np.ndarray = ~(pos | neg)
    return mask


def score(model: dict[str, Any], data: Features, mask: np.ndarray, threshold: float,
          only_above: bool) -> Targets:
    """Return (None, probability) for scored customers (only those at or above threshold when asked)."""
    if not mask.any():
        return {}
    p = model["classifier"].predict_proba(data.X[mask])[:, 1]
    ids = [i for i, m in zip(data.ids, mask, strict=True) if m]
    return {("customer", i): (None, round(float(s), 4)) for i, s in zip(ids, p, strict=True)
            if not only_above or s >= threshold}
