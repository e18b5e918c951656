"""Why an entity carries a tag: the rule branches that held with measured values and evidence."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.errors import NotFoundError
from graph.rules import branches, compile_explain, describe
from graph.rules import nodes as n
from graph.rules.explain import MAX_EVIDENCE
from graph.rules.render import measured
from graph.segments import rule_catalog
from graph.tags import require_tag


class ExplainedBranch(BaseModel):
    """One condition of the rule for this entity."""

    model_config = ConfigDict(frozen=True)

    path: str
    condition: str
    held: bool
    value: str | None
    text: str
    evidence: list[str]


class Explanation(BaseModel):
    """Why (or whether) an entity carries a tag."""

    model_config = ConfigDict(frozen=True)

    key: str
    entity_id: str
    tagged: bool
    kind: str
    source: str | None = None
    assigned_at: datetime | None = None
    assigned_by: str | None = None
    reason: str | None = None
    expires_at: datetime | None = None
    run_id: str | None = None
    value: str | None = None
    as_of: datetime
    summary: str
    rule: str | None = None
    branches: list[ExplainedBranch] = []


def _show(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


async def why_tagged(graph: Graph, entity_id: str, key: str, *, as_of: datetime | None = None) -> Explanation:
    """Return the explanation; raise NotFoundError for an unknown tag or entity."""
    tag = await require_tag(graph, key)
    kinds = await graph.read("tag/get_entity_kind", id=entity_id)
    if not kinds:
        raise NotFoundError(f"customer or company {entity_id!r} not found")
    entity = kinds[0]["entity"]
    as_of = (as_of or datetime.now(UTC)).astimezone(UTC)
    rows = await graph.read("tag/get_assignment", id=entity_id, key=key)
    a: dict[str, Any] = rows[0]["assignment"] if rows else {}
    base: dict[str, Any] = {
        "key": key, "entity_id": entity_id, "tagged": bool(rows), "kind": tag.kind, "source": a.get("source"),
        "assigned_at": a.get("assigned_at"), "assigned_by": a.get("assigned_by"), "reason": a.get("reason"),
        "expires_at": a.get("expires_at"), "run_id": a.get("run_id"), "value": _show(a.get("value")), "as_of": as_of,
    }
    if tag.kind == "MINED" and a.get("source") != "manual":  # models, ranks and communities explain themselves
        from graph.mining.explain import explain_mined

        summary, items = await explain_mined(graph, tag, entity_id, a, as_of)
        return Explanation(**base, summary=summary, branches=items)
    if a.get("source") == "manual" or tag.kind in ("MANUAL", "MINED"):
        if rows:
            why = f" because {a['reason']!r}" if a.get("reason") else ""
            summary = f"tagged {key!r} by {a.get('assigned_by')} at {_show(a.get('assigned_at'))}{why}"
        else:
            summary = f"not tagged {key!r}"
        return Explanation(**base, summary=summary)
    parsed = tag.parsed(await rule_catalog(graph))
    if parsed.statistic is not None:
        rule: n.Node = parsed.statistic.source
        rule_entity = "customer"
    elif entity == "company" or parsed.contacts is None:
        rule, rule_entity = parsed.rule, parsed.entity  # type: ignore[assignment]
    else:
        rule, rule_entity = parsed.contacts, "customer"
    query = compile_explain(rule, as_of, entity=rule_entity)
    found = await graph.read_text("tag/explain", query.text, {**query.params, "ids": [entity_id]})
    explained = branches(query, found[0]) if found else []
    items = [ExplainedBranch(path=b.path, condition=b.condition, held=b.held, value=_show(b.value), text=b.text,
                             evidence=list(b.evidence[:MAX_EVIDENCE])) for b in explained]
    held = [b.text for b in items if b.held]
    if parsed.statistic is not None:
        summary = f"{measured(rule)} = {items[0].value if items else None}" + (
            f" ({base['value']})" if base["value"] not in (None, items[0].value if items else None) else "")
    else:
        summary = ("; ".join(held) if held else "no condition holds") + f" (as of {as_of.isoformat()})"
    shown = measured(rule) if parsed.statistic is not None else describe(rule)
    return Explanation(**base, summary=summary, rule=shown, branches=items)
