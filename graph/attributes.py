"""Custom attributes: plain node properties whose keys are registered as AttributeDef nodes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from graph.cypher import check_identifier
from graph.db import Graph
from graph.entities import Entity
from graph.errors import BadInputError
from graph.filters import parse_datetime


def infer_type(value: Any) -> str:
    """Return the AttributeDef type of a value (bool, int, float, date, datetime or string)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "string"


def clean_attributes(entity: Entity, values: dict[str, Any] | None) -> dict[str, Any]:
    """Return custom attribute values ready to store; raise BadInputError for bad keys or values."""
    out: dict[str, Any] = {}
    for key, value in (values or {}).items():
        try:
            check_identifier(key, "attribute key")
        except ValueError as exc:
            raise BadInputError(f"attribute key {key!r} is not a valid identifier") from exc
        if key in entity.standard_props:
            raise BadInputError(f"attribute key {key!r} is a standard {entity.entity} field")
        if value is not None and not isinstance(value, str | int | float | bool):
            raise BadInputError(f"attribute {key!r} must be a string, number or boolean")
        if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
            value = _temporal(value)
        out[key] = value
    return out


def _temporal(value: str) -> Any:
    try:
        return parse_datetime(value) if len(value) > 10 else date.fromisoformat(value)
    except ValueError:
        return value


async def register_attributes(graph: Graph, entity: Entity, values: dict[str, Any]) -> None:
    """Register AttributeDef nodes for attribute keys not registered yet (their type is inferred)."""
    defs = [
        {"id": f"{entity.entity}.{k}", "entity": entity.entity, "key": k, "type": infer_type(v)}
        for k, v in values.items()
        if v is not None
    ]
    if defs:
        await graph.write("attribute/merge_attribute_defs", defs=defs)
