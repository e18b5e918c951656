"""Tag definitions: create, update, retire, read; rules are validated before they are saved."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.errors import BadInputError, ConflictError, NotFoundError
from graph.rules import Catalog, TagInfo, tag_keys
from graph.rules.timeparse import parse_duration
from graph.scope import graph_scope
from graph.segments import rule_catalog
from graph.tag_definition import Definition, parse_definition

CATEGORIES = ("basic", "behaviour", "preference", "psychology", "risk", "interaction", "value")
KINDS = ("MANUAL", "STATISTICAL", "RULE", "MINED")
STATUSES = ("DRAFT", "ACTIVE", "RETIRED")
REFRESH = ("manual", "hourly", "daily", "weekly", "monthly")
_KEY = re.compile(r"^[a-z0-9_]+$")


class TagSpec(BaseModel):
    """What a caller gives to create a tag (or, with None fields, to change one)."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    description: str = ""
    category: str = "basic"
    kind: str = "MANUAL"
    status: str = "DRAFT"
    owner: str | None = None
    valid_for: str | None = None
    refresh: str = "manual"
    definition: dict[str, Any] | None = None


class TagDefinition(TagSpec):
    """A stored tag definition: the spec plus what the store derives and records."""

    uses: tuple[str, ...] = ()
    entity: Literal["customer", "company"] = "customer"
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> TagDefinition:
        """Return the definition stored in a Tag node's properties."""
        raw = p.get("definition")
        fields = {k: v for k, v in p.items() if k in cls.model_fields and v is not None}
        fields["definition"] = json.loads(raw) if isinstance(raw, str) and raw else None
        fields["uses"] = tuple(p.get("uses") or ())
        fields.setdefault("name", p["key"])
        for upper in ("kind", "status"):  # imports write manual/active in lower case
            if isinstance(fields.get(upper), str):
                fields[upper] = fields[upper].upper()
        return cls(**fields)

    @property
    def automatic(self) -> bool:
        return self.kind in ("RULE", "STATISTICAL", "MINED")

    def parsed(self, catalog: Catalog) -> Definition:
        """Return the parsed definition (rule or statistic); raise BadInputError when invalid."""
        return parse_definition(self.kind, self.definition, catalog, self.key)


def validate(spec: TagSpec, catalog: Catalog) -> tuple[Definition | None, tuple[str, ...]]:
    """Check a spec; return its parsed definition and the tags it uses, or raise BadInputError."""
    if not _KEY.match(spec.key):
        raise BadInputError(f"tag key {spec.key!r} must match [a-z0-9_]+", path="key")
    for value, allowed, what in ((spec.category, CATEGORIES, "category"), (spec.kind, KINDS, "kind"),
                                 (spec.status, STATUSES, "status"), (spec.refresh, REFRESH, "refresh")):
        if value not in allowed:
            raise BadInputError(f"tag {what} {value!r} is not one of {', '.join(allowed)}", path=what)
    if not spec.name.strip():
        raise BadInputError(f"tag {spec.key!r} needs a name", path="name")
    if spec.valid_for is not None:
        try:
            parse_duration(spec.valid_for)
        except ValueError as exc:
            raise BadInputError(f"validFor: {exc}", path="validFor") from exc
    if spec.kind in ("RULE", "STATISTICAL"):
        if spec.definition is None:
            raise BadInputError(f"a {spec.kind} tag needs a definition", path="definition")
        parsed = parse_definition(spec.kind, spec.definition, catalog, spec.key)
        return parsed, tuple(sorted(tag_keys(parsed.rule) | tag_keys(parsed.contacts)))
    return None, ()


def _props(spec: TagSpec, uses: tuple[str, ...], entity: str) -> dict[str, Any]:
    return {
        "key": spec.key, "name": spec.name, "description": spec.description, "category": spec.category,
        "kind": spec.kind, "status": spec.status, "owner": spec.owner, "valid_for": spec.valid_for,
        "refresh": spec.refresh, "uses": list(uses), "entity": entity,
        "definition": json.dumps(spec.definition, ensure_ascii=False, sort_keys=True) if spec.definition else None,
    }


async def create_tag(graph: Graph, spec: TagSpec, *, by: str, catalog: Catalog | None = None) -> TagDefinition:
    """Create a tag definition; raise BadInputError when invalid, ConflictError when the key exists."""
    catalog = catalog or await rule_catalog(graph)
    if spec.key in catalog.tags:
        raise ConflictError(f"tag {spec.key!r} already exists")
    parsed, uses = validate(spec, catalog.with_tag(TagInfo(spec.key, spec.status)))
    entity = parsed.entity if parsed else "customer"
    rows = await graph.write("tag/create_tag", props=_props(spec, uses, entity), at=datetime.now(UTC), by=by)
    return TagDefinition.from_props(rows[0]["tag"])


async def get_tag(graph: Graph, key: str) -> TagDefinition | None:
    """Return the tag definition with this key, or None."""
    rows = await graph.read("tag/get_tag", key=key)
    return TagDefinition.from_props(rows[0]["tag"]) if rows else None


async def require_tag(graph: Graph, key: str) -> TagDefinition:
    """Return the tag definition with this key; raise NotFoundError when absent."""
    tag = await get_tag(graph, key)
    if tag is None:
        raise NotFoundError(f"tag {key!r} not found")
    return tag


async def list_tags(graph: Graph, *, kind: str | None = None, status: str | None = None,
                    category: str | None = None) -> list[TagDefinition]:
    """Return tag definitions ordered by key, filtered by kind, status and category when given."""
    rows = await graph.read("tag/list_tags", kind=kind, status=status, category=category)
    return [TagDefinition.from_props(r["tag"]) for r in rows]


async def update_tag(graph: Graph, key: str, changes: dict[str, Any], *, by: str) -> TagDefinition:
    """Change fields of a definition (key and kind stay); the result is validated like a new tag."""
    current = await require_tag(graph, key)
    unknown = set(changes) - set(TagSpec.model_fields) - {"key"}
    if unknown or changes.get("key", key) != key:
        raise BadInputError(f"cannot change {', '.join(sorted(unknown)) or 'key'} of tag {key!r}")
    if "kind" in changes and changes["kind"] != current.kind:
        raise BadInputError(f"cannot change the kind of tag {key!r}; create a new tag instead", path="kind")
    merged = TagSpec(**{**current.model_dump(include=set(TagSpec.model_fields)), **changes})
    if merged.status == "RETIRED" and current.status != "RETIRED":
        raise BadInputError(f"retire tag {key!r} with retireTag, which also removes its assignments", path="status")
    catalog = await rule_catalog(graph)
    parsed, uses = validate(merged, catalog)
    entity = parsed.entity if parsed else "customer"
    rows = await graph.write("tag/update_tag", key=key, props=_props(merged, uses, entity), at=datetime.now(UTC), by=by)
    return TagDefinition.from_props(rows[0]["tag"])


async def retire_tag(graph: Graph, key: str, *, by: str, reason: str = "") -> tuple[TagDefinition, int]:
    """Retire a tag and remove its assignments (history keeps them); return it and how many were removed."""
    await require_tag(graph, key)
    users = [t.key for t in await list_tags(graph) if key in t.uses and t.status != "RETIRED"]
    if users:
        raise ConflictError(f"tag {key!r} is used by {', '.join(users)}; change or retire those first")
    rows = await graph.write("tag/retire_tag", key=key, at=datetime.now(UTC), by=by, reason=reason)
    return TagDefinition.from_props(rows[0]["tag"]), rows[0]["removed"]


async def coverage(graph: Graph, key: str, as_of: datetime | None = None) -> tuple[int, int]:
    """Return (customers holding the tag validly at as_of, all customers); an account manager's customers only
    when graph is their scoped Graph."""
    at = as_of or datetime.now(UTC)
    if graph_scope(graph) is not None:
        rows = await graph.read("segment/get_scoped_tag_holders", at=at)
        return next((r["holders"] for r in rows if r["key"] == key), 0), rows[0]["total"] if rows else 0
    rows = await graph.read("tag/get_coverage", key=key, at=at)
    return rows[0]["holders"], rows[0]["total"]
