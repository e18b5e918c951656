"""Segment definitions: stored `Segment` nodes (a rule or a saved query) plus the saved query files.

A segment is either a RULE (the tag engine's JSON condition tree, compiled to one Cypher
traversal) or CYPHER (an analyst's saved query under `cypher/segments/`, with params). Every
file there appears as a segment automatically; stored segments may also point at a file
with their own params. Rules may use `{"segment": "key"}`: `SegmentRules` is the hook the
rule language calls to inline another segment's rule, with cycles reported.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.errors import BadInputError, ConflictError, NotFoundError
from graph.rules import Catalog, Node, load_catalog, parse_rule
from graph.segment_queries import Now, coerce_params, saved_queries, saved_query

STATUSES = ("DRAFT", "ACTIVE", "ARCHIVED")
KINDS = ("RULE", "CYPHER")
_KEY = re.compile(r"^[a-z0-9_]+$")
_FIELDS = ("name", "description", "owner", "status", "rule", "query", "params")


class SegmentSpec(BaseModel):
    """What a caller gives to create a segment: a rule or the name of a saved query (with params)."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    description: str = ""
    owner: str | None = None
    status: str = "ACTIVE"
    rule: dict[str, Any] | None = None
    query: str | None = None
    params: dict[str, Any] | None = None


class Segment(BaseModel):
    """A segment definition; key is None for an ad-hoc rule that was never saved."""

    model_config = ConfigDict(frozen=True)

    key: str | None
    name: str
    description: str = ""
    owner: str | None = None
    status: str = "ACTIVE"
    kind: Literal["RULE", "CYPHER"]
    rule: dict[str, Any] | None = None
    query: str | None = None
    params: dict[str, Any] = {}
    source: Literal["graph", "file", "adhoc"] = "graph"
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def label(self) -> str:
        """Return how messages name the segment."""
        return f"segment {self.key!r}" if self.key else "the ad-hoc segment"


class SegmentRules:
    """The rule language's segment hook: key -> parsed rule of a stored RULE segment, or None."""

    def __init__(self, rules: dict[str, dict[str, Any]]) -> None:
        self.rules = rules
        self.catalog: Catalog | None = None
        self.parsing: list[str] = []
        self._parsed: dict[str, Node] = {}

    def __call__(self, key: str) -> Node | None:
        if key in self._parsed:
            return self._parsed[key]
        if key in self.parsing:
            cycle = [*self.parsing[self.parsing.index(key):], key]
            raise BadInputError(f"segment dependency cycle {' -> '.join(cycle)}")
        rule = self.rules.get(key)
        if rule is None or self.catalog is None:
            return None
        self.parsing.append(key)
        try:
            node = parse_rule(rule, self.catalog, path=f"segment {key!r} rule")
        finally:
            self.parsing.pop()
        self._parsed[key] = node
        return node


async def segment_catalog(graph: Graph, rows: list[Segment] | None = None) -> tuple[Catalog, SegmentRules]:
    """Return the rule catalogue whose segment hook knows every stored RULE segment."""
    rows = rows if rows is not None else await stored_segments(graph)
    hook = SegmentRules({s.key: s.rule for s in rows if s.kind == "RULE" and s.key and s.rule is not None})
    catalog = await load_catalog(graph, hook)
    hook.catalog = catalog
    return catalog, hook


async def rule_catalog(graph: Graph) -> Catalog:
    """Return the rule catalogue (attributes, tags and stored RULE segments) every rule is parsed with."""
    catalog, _ = await segment_catalog(graph)
    return catalog


def _from_node(props: dict[str, Any]) -> Segment:
    data = {k: props.get(k) for k in ("key", "name", "description", "owner", "status", "kind", "query",
                                      "created_at", "updated_at")}
    data["description"] = data["description"] or ""
    data["rule"] = json.loads(props["rule"]) if props.get("rule") else None
    data["params"] = json.loads(props["params"]) if props.get("params") else {}
    return Segment.model_validate({**data, "source": "graph"})


def file_segment(key: str) -> Segment:
    """Return the segment every saved query file stands for (defaults as params)."""
    q, defaults = saved_query(key)
    shown = {k: f"{v.kind}()" if isinstance(v, Now) else _json(v) for k, v in defaults.items()}
    return Segment(key=key, name=key.replace("_", " ").capitalize(), description=q.description,
                   owner="analysts", status="ACTIVE", kind="CYPHER", query=key, params=shown, source="file")


def adhoc_segment(rule: dict[str, Any]) -> Segment:
    """Return an unsaved RULE segment for counting or listing an ad-hoc rule."""
    return Segment(key=None, name="ad-hoc rule", kind="RULE", rule=rule, source="adhoc")


async def stored_segments(graph: Graph, keys: list[str] | None = None) -> list[Segment]:
    """Return the stored segment definitions (those with keys, or all), by key."""
    return [_from_node(r["segment"]) for r in await graph.read("segment/get_segments", keys=keys)]


async def get_segment(graph: Graph, key: str) -> Segment | None:
    """Return the stored or file segment with this key, or None."""
    found = await stored_segments(graph, [key])
    if found:
        return found[0]
    return file_segment(key) if key in saved_queries() else None


async def require_segment(graph: Graph, key: str) -> Segment:
    """Return the segment with this key; raise NotFoundError naming it."""
    found = await get_segment(graph, key)
    if found is None:
        raise NotFoundError(f"segment {key!r} not found")
    return found


async def list_segments(graph: Graph, *, status: str | None = None, kind: str | None = None) -> list[Segment]:
    """Return stored and file segments by key, optionally only those with a status or kind."""
    stored = await stored_segments(graph)
    files = [file_segment(k) for k in sorted(saved_queries()) if k not in {s.key for s in stored}]
    out = sorted([*stored, *files], key=lambda s: s.key or "")
    return [s for s in out if (status is None or s.status == status) and (kind is None or s.kind == kind)]


async def check_definition(graph: Graph, key: str | None, rule: dict[str, Any] | None, query: str | None,
                           params: dict[str, Any] | None) -> dict[str, Any]:
    """Return the params to store after validating the rule or saved query; raise BadInputError."""
    if (rule is None) == (query is None):
        raise BadInputError("a segment needs either a rule or a saved query, not both")
    if rule is not None:
        if params:
            raise BadInputError("params apply to saved-query segments only")
        catalog, hook = await segment_catalog(graph)
        hook.parsing = [key] if key else []
        parse_rule(rule, catalog)
        return {}
    assert query is not None
    q, _ = saved_query(query)
    given = params or {}
    coerce_params(q, given, {p.name: None for p in q.params})  # types only: missing params use the file's defaults
    return {k: _json(v) for k, v in given.items()}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _props(spec: dict[str, Any]) -> dict[str, Any]:
    out = dict(spec)
    if "rule" in out:
        out["rule"] = json.dumps(out["rule"], ensure_ascii=False, sort_keys=True) if out["rule"] is not None else None
    if "params" in out:
        out["params"] = json.dumps(out["params"], ensure_ascii=False, sort_keys=True) if out["params"] else None
    return out


def _check_fields(name: str | None, status: str | None) -> None:
    if name is not None and not name.strip():
        raise BadInputError("a segment name must not be empty")
    if status is not None and status not in STATUSES:
        raise BadInputError(f"unknown segment status {status!r} (expected one of {', '.join(STATUSES)})")


async def create_segment(graph: Graph, spec: SegmentSpec) -> Segment:
    """Store a new segment definition; raise BadInputError (invalid) or ConflictError (key taken)."""
    if not _KEY.match(spec.key):
        raise BadInputError(f"segment key {spec.key!r} must be lower case letters, digits and _")
    _check_fields(spec.name, spec.status)
    if spec.key in saved_queries():
        raise ConflictError(f"segment {spec.key!r} already exists as a saved query file")
    params = await check_definition(graph, spec.key, spec.rule, spec.query, spec.params)
    props = _props({**spec.model_dump(), "params": params, "kind": "RULE" if spec.rule is not None else "CYPHER"})
    rows = await graph.write("segment/create_segment", props=props, now=datetime.now(UTC))
    if not rows:
        raise ConflictError(f"segment {spec.key!r} already exists")
    return _from_node(rows[0]["segment"])


async def update_segment(graph: Graph, key: str, changes: dict[str, Any]) -> Segment:
    """Change fields of a stored segment (a new rule or query replaces the old definition)."""
    unknown = sorted(set(changes) - set(_FIELDS))
    if unknown:
        raise BadInputError(f"cannot change {', '.join(unknown)} of a segment")
    found = await stored_segments(graph, [key])
    if not found:
        if key in saved_queries():
            raise BadInputError(f"segment {key!r} is a saved query file; edit cypher/segments/{key}.cypher")
        raise NotFoundError(f"segment {key!r} not found")
    old = found[0]
    _check_fields(changes.get("name"), changes.get("status"))
    props = dict(changes)
    if {"rule", "query", "params"} & set(changes):
        rule = changes["rule"] if "rule" in changes else (None if changes.get("query") else old.rule)
        query = changes["query"] if "query" in changes else (None if changes.get("rule") else old.query)
        params = changes.get("params", old.params if query == old.query else None)
        props["params"] = await check_definition(graph, key, rule, query, params)
        props.update(rule=rule, query=query, kind="RULE" if rule is not None else "CYPHER")
    rows = await graph.write("segment/update_segment", key=key, props=_props(props), now=datetime.now(UTC))
    return _from_node(rows[0]["segment"])


def _segment_refs(rule: Any) -> set[str]:
    """Return the segment keys a rule's JSON refers to with {"segment": key}."""
    if isinstance(rule, dict):
        found = {rule["segment"]} if isinstance(rule.get("segment"), str) else set()
        return found.union(*(_segment_refs(v) for v in rule.values()))
    if isinstance(rule, list):
        return set().union(*(_segment_refs(v) for v in rule))
    return set()


async def delete_segment(graph: Graph, key: str) -> bool:
    """Delete a stored segment and its snapshots; return False when there was none."""
    if key in saved_queries() and not await stored_segments(graph, [key]):
        raise BadInputError(f"segment {key!r} is a saved query file; delete cypher/segments/{key}.cypher instead")
    users = [s.key for s in await stored_segments(graph) if s.key != key and key in _segment_refs(s.rule)]
    if users:
        raise ConflictError(f"segment {key!r} is used by segment {', '.join(repr(u) for u in users)}; change those first")
    rows = await graph.write("segment/delete_segment", key=key)
    return bool(rows and rows[0]["deleted"])
