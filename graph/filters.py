"""Compile API filters to a parameterised Cypher WHERE: keys checked and backticked, values as params."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.cypher import check_identifier
from graph.entities import BOOL, DATE, DATETIME, FLOAT, INT, STRING, Entity, Field
from graph.errors import BadInputError

OPS = ("eq", "ne", "in_", "gt", "gte", "lt", "lte", "contains", "starts_with", "is_null")
_CMP = {"eq": "=", "ne": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class Condition(BaseModel):
    """One comparison on a field or custom attribute; exactly one operator is set."""

    model_config = ConfigDict(frozen=True)

    field: str
    eq: Any = None
    ne: Any = None
    in_: list[Any] | None = None
    gt: Any = None
    gte: Any = None
    lt: Any = None
    lte: Any = None
    contains: str | None = None
    starts_with: str | None = None
    is_null: bool | None = None


class Filter(BaseModel):
    """A boolean filter tree: conditions and shortcuts are ANDed, then and/or/not apply."""

    model_config = ConfigDict(frozen=True)

    and_: list[Filter] | None = None
    or_: list[Filter] | None = None
    not_: Filter | None = None
    conditions: list[Condition] | None = None
    has_tag: str | None = None
    company_id: str | None = None
    city: str | None = None
    type: str | None = None
    stage: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


class Params:
    """Collects parameter values and hands out fresh `$pN` names."""

    def __init__(self, prefix: str = "p") -> None:
        self.values: dict[str, Any] = {}
        self._prefix = prefix

    def add(self, value: Any) -> str:
        name = f"{self._prefix}{len(self.values)}"
        self.values[name] = value
        return f"${name}"


def prop(var: str, key: str) -> str:
    """Return `var.`key`` with the key checked as an identifier."""
    return f"{var}.{check_identifier(key, 'property key')}"


def compile_filter(entity: Entity, f: Filter | None, params: Params, var: str = "n", *, now: datetime) -> str:
    """Return a Cypher boolean expression for f over node var ('true' when empty); raise BadInputError."""
    if f is None:
        return "true"
    parts: list[str] = []
    for c in f.conditions or ():
        parts.append(_condition(entity, c, params, var))
    if f.has_tag is not None:
        _only(entity, "hasTag", "customer")
        parts.append(
            f"EXISTS {{ MATCH ({var})-[h:HAS_TAG]->(:Tag {{key: {params.add(f.has_tag)}}}) "
            f"WHERE h.expires_at IS NULL OR h.expires_at > {params.add(now)} }}"
        )
    if f.company_id is not None:
        if entity.entity == "customer":
            parts.append(
                f"EXISTS {{ MATCH ({var})-[w:WORKS_AT]->(:Company {{id: {params.add(f.company_id)}}}) "
                f"WHERE w.until IS NULL OR w.until >= {params.add(now.date())} }}"
            )
        else:
            _only(entity, "companyId", "project")
            parts.append(f"{var}.company_id = {params.add(f.company_id)}")
    if f.city is not None:
        parts.append(f"{var}.city = {params.add(f.city)}")
    if f.type is not None:
        _only(entity, "type", "interaction")
        parts.append(f"{var}.type = {params.add(f.type.lower())}")
    if f.stage is not None:
        _only(entity, "stage", "project")
        parts.append(f"{var}.stage = {params.add(f.stage.lower())}")
    if f.created_from is not None:
        parts.append(f"{var}.created_at >= {params.add(f.created_from)}")
    if f.created_to is not None:
        parts.append(f"{var}.created_at < {params.add(f.created_to)}")
    if f.occurred_from is not None:
        _only(entity, "occurredFrom", "interaction")
        parts.append(f"{var}.occurred_at >= {params.add(f.occurred_from)}")
    if f.occurred_to is not None:
        _only(entity, "occurredTo", "interaction")
        parts.append(f"{var}.occurred_at < {params.add(f.occurred_to)}")
    if f.and_:
        parts.extend(compile_filter(entity, g, params, var, now=now) for g in f.and_)
    if f.or_:
        parts.append("(" + " OR ".join(compile_filter(entity, g, params, var, now=now) for g in f.or_) + ")")
    if f.not_ is not None:
        parts.append(f"NOT {compile_filter(entity, f.not_, params, var, now=now)}")
    if not parts:
        return "true"
    return "(" + " AND ".join(parts) + ")"


def _only(entity: Entity, shortcut: str, allowed: str) -> None:
    if entity.entity != allowed:
        raise BadInputError(f"filter {shortcut!r} does not apply to {entity.entity} lists")


def _condition(entity: Entity, c: Condition, params: Params, var: str) -> str:
    fld = entity.field(c.field)
    set_ops = [op for op in OPS if getattr(c, op) is not None]
    if len(set_ops) != 1:
        raise BadInputError(f"condition on {c.field!r} must set exactly one operator, not {len(set_ops)}")
    op = set_ops[0]
    target = prop(var, fld.prop)
    if op == "is_null":
        return f"{target} IS {'' if c.is_null else 'NOT '}NULL"
    if op in ("contains", "starts_with"):
        text = getattr(c, op)
        if fld.search_prop:
            target, text = prop(var, fld.search_prop), text.lower()
        elif fld.prop == "email":
            text = text.lower()
        keyword = "CONTAINS" if op == "contains" else "STARTS WITH"
        return f"{target} {keyword} {params.add(text)}"
    if op == "in_":
        values = [coerce(fld, v) for v in c.in_ or []]
        return f"{target} IN {params.add(values)}"
    return f"{target} {_CMP[op]} {params.add(coerce(fld, getattr(c, op)))}"


def coerce(fld: Field, value: Any) -> Any:
    """Return a filter value converted to the field's stored type; raise BadInputError naming the field."""
    kind = fld.kind
    try:
        if kind == DATETIME or (kind == "any" and isinstance(value, str) and _ISO_DATETIME.match(value)):
            return parse_datetime(value)
        if kind == DATE or (kind == "any" and isinstance(value, str) and _ISO_DATE.match(value)):
            return value if isinstance(value, date) else date.fromisoformat(value)
        if kind == INT and not isinstance(value, bool):
            return int(value)
        if kind == FLOAT and not isinstance(value, bool):
            return float(value)
        if kind == BOOL and isinstance(value, bool):
            return value
        if kind == STRING:
            if isinstance(value, str):
                return value.lower() if fld.prop in ("email", "type", "stage") else value
            raise TypeError(value)
        if kind == "any" and isinstance(value, str | int | float | bool):
            return value
    except (TypeError, ValueError):
        pass
    raise BadInputError(f"value for {fld.name!r} must be a {kind if kind != 'any' else 'scalar'}")


def parse_datetime(value: Any) -> datetime:
    """Return an aware UTC datetime from a datetime or ISO string (naive means UTC)."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str):
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    else:
        raise TypeError(value)
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
