"""What MINED tags should assign at a time: the tag engine's refresh asks here before it writes.

Stored models are applied as trained (retraining is an explicit `tags train` / `tags mine`);
influence and communities are recomputed from the current ties. Features are read once for all
the model-based tags of one refresh.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph.db import Graph
from graph.errors import BadInputError
from graph.mining import lookalike, network, predictive, value_groups
from graph.mining.features import Features, extract
from graph.mining.models import Targets, has_miner, load_model, miner_of
from graph.tags import TagDefinition, require_tag

MODEL_MINERS = ("value_groups", "predictive", "predictive_score", "lookalike")


async def _model_tag(graph: Graph, tag: TagDefinition) -> TagDefinition:
    """Return the tag whose stored model this tag applies (itself, or the predictive tag a score tag follows)."""
    if miner_of(tag) == "predictive_score":
        return await require_tag(graph, tag.definition["of"])  # type: ignore[index]
    return tag


def _subset(data: Features, columns: list[str]) -> Features:
    index = [data.names.index(c) for c in columns]
    return Features(data.ids, columns, data.X[:, index])


async def mined_targets(graph: Graph, tags: list[TagDefinition], as_of: datetime) -> dict[str, Targets]:
    """Return key -> {(entity, id): (value, score)} for each MINED tag with a miner; raise BadInputError for an untrained one.

    A MINED tag without a miner in its definition (e.g. scores assigned by an outside system) is
    left out, so the refresh leaves its assignments alone.
    """
    tags = [t for t in tags if has_miner(t)]
    models: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for tag in tags:
        if miner_of(tag) in MODEL_MINERS:
            owner = await _model_tag(graph, tag)
            version = (owner.definition or {}).get("model", {}).get("version")
            if version is None:
                raise BadInputError(f"mined tag {owner.key!r} has no trained model; train it first")
            models[tag.key] = (owner.definition or {}, await load_model(graph, owner.key, version))
    data: Features | None = None
    if models:
        columns = sorted({c for _, m in models.values() for c in m["columns"]})
        data = await extract(graph, as_of, columns=columns)
    out: dict[str, Targets] = {}
    for tag in tags:
        miner = miner_of(tag)
        if miner in ("influence", "communities"):
            out[tag.key] = await network.compute(graph, tag.definition or {}, as_of)
            continue
        assert data is not None
        definition, model = models[tag.key]
        mine = _subset(data, model["columns"])
        if miner == "value_groups":
            out[tag.key] = value_groups.assign(model, mine)
        elif miner == "lookalike":
            out[tag.key] = lookalike.similar(model, mine, definition["top"], definition.get("minSimilarity", 0.0))
        else:
            mask = await predictive.scored_ids(graph, definition, mine, as_of)
            out[tag.key] = predictive.score(model, mine, mask, definition["model"]["threshold"],
                                            only_above=miner == "predictive")
    return out
