"""Mined tag definitions and their stored models.

A mined tag is a Tag of kind MINED whose definition JSON names its miner and parameters and,
once trained, a summary of the model (version, metrics, centroids…). The fitted scikit-learn
object itself is stored as a `MinedModel` node (joblib bytes, base64) per tag and version, so a
refresh can score with it and an explanation can open it. Only this service writes MinedModel
nodes: loading one unpickles it, so never let other writers create them.
"""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import joblib

from graph.db import Graph
from graph.errors import BadInputError, NotFoundError
from graph.tags import TagDefinition, TagSpec, create_tag, get_tag, update_tag

Targets = dict[tuple[str, str], tuple[Any, float]]  # (entity, id) -> (value, score)
MINERS = ("value_groups", "predictive", "predictive_score", "influence", "communities", "lookalike")


def has_miner(tag: TagDefinition) -> bool:
    """Return whether a tag is MINED with a known miner in its definition."""
    return tag.kind == "MINED" and (tag.definition or {}).get("miner") in MINERS


def miner_of(tag: TagDefinition) -> str:
    """Return the miner named by a MINED tag's definition; raise BadInputError when it has none."""
    miner = (tag.definition or {}).get("miner")
    if tag.kind != "MINED" or miner not in MINERS:
        raise BadInputError(f"tag {tag.key!r} is not a mined tag (no known miner in its definition)")
    return str(miner)


def check_seed(seed: int) -> None:
    """Raise BadInputError unless seed is a valid random seed (0 to 2**32 - 1)."""
    if not 0 <= seed < 2**32:
        raise BadInputError(f"seed {seed} must be between 0 and {2**32 - 1}", path="seed")


async def check_key(graph: Graph, key: str) -> None:
    """Raise BadInputError when `key` names a tag that is not mined or is retired (before any long work)."""
    current = await get_tag(graph, key)
    if current is not None and current.kind != "MINED":
        raise BadInputError(f"tag {key!r} exists and is {current.kind.lower()}, not mined; choose another key")
    if current is not None and current.status == "RETIRED":
        raise BadInputError(f"tag {key!r} is retired; choose another key")


async def save_definition(graph: Graph, key: str, definition: dict[str, Any], *, by: str, name: str | None = None,
                          description: str = "", category: str = "value", valid_for: str | None = None) -> TagDefinition:
    """Create the MINED tag (ACTIVE) or replace its definition; raise BadInputError for a non-mined tag."""
    current = await get_tag(graph, key)
    if current is None:
        spec = TagSpec(key=key, name=name or key.replace("_", " ").capitalize(), description=description,
                       category=category, kind="MINED", status="ACTIVE", owner="mining", refresh="daily",
                       valid_for=valid_for, definition=definition)
        return await create_tag(graph, spec, by=by)
    await check_key(graph, key)
    return await update_tag(graph, key, {"definition": definition}, by=by)


async def save_model(graph: Graph, key: str, model: Any, meta: dict[str, Any], *, by: str) -> int:
    """Store a fitted model as the tag's next version and return that version."""
    version = int((await graph.read("mining/get_model_versions", key=key))[0]["version"]) + 1
    buf = io.BytesIO()
    joblib.dump(model, buf, compress=3)
    await graph.write("mining/index_mined_model")
    await graph.write("mining/save_model", key=key, version=version, blob=base64.b64encode(buf.getvalue()).decode(),
                      meta=json.dumps(meta, sort_keys=True, default=str), at=datetime.now(UTC), by=by)
    return version


async def load_model(graph: Graph, key: str, version: int) -> Any:
    """Return the stored model of a tag at a version; raise NotFoundError when absent."""
    rows = await graph.read("mining/get_model", key=key, version=version)
    if not rows:
        raise NotFoundError(f"model version {version} of tag {key!r} not found; train it again")
    return _unpickle(rows[0]["blob"])


@lru_cache(maxsize=16)
def _unpickle(blob: str) -> Any:
    return joblib.load(io.BytesIO(base64.b64decode(blob)))
