"""GraphQL for the tag engine: definitions, assignments, history, runs, explanations."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graph import tag_explain, tag_history, tags
from resolvers import tags as r
from resolvers.context import Context
from resolvers.loaders import MISSING, ready

Ctx = Info[Context, None]


def _json(value: Any) -> Any:
    """Return value as JSON-safe data (datetimes as ISO text)."""
    return json.loads(json.dumps(value, default=str)) if value is not None else None


@strawberry.type(description="How many customers hold a tag validly at a time, and their share of all customers.")
class TagCoverage:
    holders: int
    total: int
    share: float


@strawberry.type(description="A tag definition: what it means, how it is computed, how long it stays valid.")
class TagDefinition:
    key: str
    name: str
    description: str
    category: str
    kind: str = strawberry.field(description="MANUAL, STATISTICAL, RULE or MINED.")
    status: str = strawberry.field(description="DRAFT, ACTIVE or RETIRED.")
    owner: str | None
    valid_for: str | None = strawberry.field(description="ISO 8601 duration; automatic assignments expire after it.")
    refresh: str
    definition: JSON | None = strawberry.field(description="The rule or statistic, as JSON (see docs/tags.md).")
    uses: list[str] = strawberry.field(description="Tags this definition refers to (refreshed before it).")
    entity: str = strawberry.field(description="customer, or company for account tags.")
    readable: str | None = strawberry.field(description="The rule in words.")
    updated_at: datetime | None
    updated_by: str | None

    @classmethod
    def from_model(cls, m: tags.TagDefinition) -> TagDefinition:
        """Return the GraphQL type for a definition."""
        fields = m.model_dump(include={"key", "name", "description", "category", "kind", "status", "owner",
                                       "valid_for", "refresh", "definition", "entity", "updated_at", "updated_by"})
        return cls(**fields, uses=list(m.uses), readable=_readable(m))

    @strawberry.field(description="Customers holding the tag validly at asOf (default now), and their share.")
    async def coverage(self, info: Ctx, as_of: datetime | None = None) -> TagCoverage:
        holders, total = await r.coverage(info.context, self.key, as_of)
        return TagCoverage(holders=holders, total=total, share=holders / total if total else 0.0)


def _readable(m: tags.TagDefinition) -> str | None:
    rule = (m.definition or {}).get("rule")
    if rule is None:
        return None
    from graph.rules import Catalog, TagInfo, describe, parse_rule

    try:  # rendering only: unknown names do not matter here
        permissive = Catalog(tags={k: TagInfo(k) for k in m.uses})
        return describe(parse_rule(rule, permissive, entity=m.entity))
    except Exception:
        return None


@strawberry.type(description="A tag a customer holds, with where it came from and until when it is valid.")
class TagAssignment:
    key: str
    name: str | None
    category: str | None
    source: str | None = strawberry.field(description="manual, rule, statistical or mined.")
    score: float | None
    value: JSON | None
    assigned_at: datetime | None
    expires_at: datetime | None
    assigned_by: str | None
    reason: str | None
    run_id: str | None

    @classmethod
    def from_model(cls, m: tag_history.TagState) -> TagAssignment:
        return cls(**{**m.model_dump(), "value": _json(m.value)})


@strawberry.type(description="One change to a tag assignment: add, update, remove or expire.")
class TagEvent:
    entity: str
    entity_id: str
    tag_key: str
    action: str
    at: datetime
    by: str | None
    run_id: str | None
    reason: str | None
    source: str | None
    value: JSON | None
    expires_at: datetime | None

    @classmethod
    def from_model(cls, m: tag_history.TagEvent) -> TagEvent:
        return cls(**{**m.model_dump(), "value": _json(m.value)})


@strawberry.type(description="What one refresh run did to one tag.")
class TagRunResult:
    key: str
    added: int
    removed: int
    expired: int
    unchanged: int
    updated: int
    seconds: float


@strawberry.type(description="A refresh run from the run log.")
class TagRun:
    id: str
    by: str | None
    status: str = strawberry.field(
        description="RUNNING, DONE, FAILED (a failed run changed nothing) or ABORTED (its process died; error says so).")
    as_of: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    added: int | None
    removed: int | None
    unchanged: int | None
    error: str | None
    results: list[TagRunResult]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TagRun:
        keys = {f.name for f in dataclasses.fields(cls)}
        fields: dict[str, Any] = {k: row.get(k) for k in keys if k != "results"}
        return cls(**fields, results=[TagRunResult(**x) for x in row.get("results") or []])


@strawberry.type(description="One condition of the rule for this customer, with what was measured.")
class ExplanationBranch:
    path: str = strawberry.field(description="Where the condition sits in the rule, e.g. rule.any[0].interactions.")
    condition: str
    held: bool
    value: str | None
    text: str = strawberry.field(description="e.g. 'count of purchase interactions in P180D = 4 ≥ 3'.")
    evidence: list[str] = strawberry.field(description="Interaction ids, referral edges, paths to the anchor…")


@strawberry.type(description="Why a customer carries a tag: rule branches with evidence, or who/when/why.")
class Explanation:
    key: str
    entity_id: str
    tagged: bool
    kind: str
    source: str | None
    assigned_at: datetime | None
    assigned_by: str | None
    reason: str | None
    expires_at: datetime | None
    run_id: str | None
    value: str | None
    as_of: datetime
    summary: str
    rule: str | None
    branches: list[ExplanationBranch]

    @classmethod
    def from_model(cls, m: tag_explain.Explanation) -> Explanation:
        data = m.model_dump(exclude={"branches"})
        return cls(**data, branches=[ExplanationBranch(**b.model_dump()) for b in m.branches])


@strawberry.type(description="A rule checked against the graph: its rendering and the ids it matches.")
class RulePreview:
    readable: str
    count: int
    ids: list[str] = strawberry.field(description="The first 100 matching ids, sorted.")


@strawberry.type(description="How many customers a bulk tagging changed.")
class BulkTagPayload:
    key: str
    changed: int
    unchanged: int
    missing: list[str] = strawberry.field(description="Ids that are not customers.")


@strawberry.type
class RetireTagPayload:
    tag: TagDefinition
    removed: int


@strawberry.type
class InstallCataloguePayload:
    created: list[str]
    upgraded: list[str]
    unchanged: list[str]
    skipped: list[str]


@strawberry.input(description="A new tag definition; definition is the rule or statistic JSON (docs/tags.md).")
class TagInput:
    key: str
    name: str
    description: str = ""
    category: str = "basic"
    kind: str = "MANUAL"
    status: str = "DRAFT"
    owner: str | None = None
    valid_for: str | None = None
    refresh: str = "manual"
    definition: JSON | None = None


@strawberry.input(description="Changes to a tag definition; omitted fields stay as they are.")
class TagPatch:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    category: str | None = strawberry.UNSET
    status: str | None = strawberry.UNSET
    owner: str | None = strawberry.UNSET
    valid_for: str | None = strawberry.UNSET
    refresh: str | None = strawberry.UNSET
    definition: JSON | None = strawberry.UNSET


@strawberry.type
class TagQueries:
    @strawberry.field(description="Tag definitions, filtered by kind, status and category, by key.")
    async def tag_definitions(self, info: Ctx, kind: str | None = None, status: str | None = None,
                              category: str | None = None) -> list[TagDefinition]:
        return [TagDefinition.from_model(m) for m in await r.definitions(info.context, kind, status, category)]

    @strawberry.field(description="One tag definition; null when absent.")
    async def tag_definition(self, info: Ctx, key: str) -> TagDefinition | None:
        found = await r.definition(info.context, key)
        return TagDefinition.from_model(found) if found else None

    @strawberry.field(description="The refresh run log, newest first.")
    async def tag_runs(self, info: Ctx, first: int = 20) -> list[TagRun]:
        return [TagRun.from_row(row) for row in await r.runs(info.context, first)]

    @strawberry.field(description="Validate a rule and show what it matches at asOf (default now).")
    async def preview_rule(self, info: Ctx, rule: JSON, as_of: datetime | None = None,
                           entity: str = "customer") -> RulePreview:
        readable, ids = await r.preview(info.context, rule, as_of, entity)
        return RulePreview(readable=readable, count=len(ids), ids=ids[:100])


@strawberry.type
class TagMutations:
    @strawberry.mutation(description="Create a tag definition (its rule is validated first).")
    async def create_tag(self, info: Ctx, input: TagInput) -> TagDefinition:
        return TagDefinition.from_model(await r.create(info.context, vars(input)))

    @strawberry.mutation(description="Change a tag definition (kind and key stay).")
    async def update_tag(self, info: Ctx, key: str, input: TagPatch) -> TagDefinition:
        changes = {k: v for k, v in vars(input).items() if v is not strawberry.UNSET}
        return TagDefinition.from_model(await r.update(info.context, key, changes))

    @strawberry.mutation(description="Retire a tag and remove its assignments (history keeps them).")
    async def retire_tag(self, info: Ctx, key: str, reason: str = "") -> RetireTagPayload:
        tag, removed = await r.retire(info.context, key, reason)
        return RetireTagPayload(tag=TagDefinition.from_model(tag), removed=removed)

    @strawberry.mutation(description="Tag customers by hand, given by ids or by a rule, with a reason.")
    async def assign_tag(self, info: Ctx, key: str, customer_ids: list[strawberry.ID] | None = None,
                         rule: JSON | None = None, reason: str = "") -> BulkTagPayload:
        rep = await r.assign(info.context, key, _ids(customer_ids), rule, reason, remove=False)
        return BulkTagPayload(key=rep.key, changed=rep.changed, unchanged=rep.unchanged, missing=rep.missing)

    @strawberry.mutation(description="Remove a tag by hand from customers given by ids or by a rule.")
    async def unassign_tag(self, info: Ctx, key: str, customer_ids: list[strawberry.ID] | None = None,
                           rule: JSON | None = None, reason: str = "") -> BulkTagPayload:
        rep = await r.assign(info.context, key, _ids(customer_ids), rule, reason, remove=True)
        return BulkTagPayload(key=rep.key, changed=rep.changed, unchanged=rep.unchanged, missing=rep.missing)

    @strawberry.mutation(description="Recompute automatic tags (one, or all in dependency order) at asOf.")
    async def refresh_tags(self, info: Ctx, tag: str | None = None, as_of: datetime | None = None) -> TagRun:
        return TagRun.from_row(await r.refresh(info.context, tag, as_of))

    @strawberry.mutation(description="Install the starter catalogue of tag definitions (idempotent).")
    async def install_tag_catalogue(self, info: Ctx) -> InstallCataloguePayload:
        rep = await r.install_catalogue(info.context)
        return InstallCataloguePayload(created=rep.created, upgraded=rep.upgraded, unchanged=rep.unchanged,
                                       skipped=rep.skipped)


def _ids(ids: list[strawberry.ID] | None) -> list[str] | None:
    return None if ids is None else [str(i) for i in ids]


@strawberry.type
class CustomerTagFields:
    """Fields the tag engine adds to Customer (registered in schema/extensions.py); reads self.id."""

    id: strawberry.ID = strawberry.field(description="The customer's id.")

    @strawberry.field(description="Tags valid at validAt (default now; past times are answered from history).")
    def tags(self, info: Ctx, valid_at: datetime | None = None) -> list[TagAssignment]:
        # Answered at once when a list page primed the loader (no task per row), else awaited.
        found = ready(info.context.loaders.tags_valid_at, (str(self.id), valid_at))
        if found is MISSING:
            return _assignments(r.customer_tags(info.context, str(self.id), valid_at))  # type: ignore[return-value]
        return [TagAssignment.from_model(m) for m in found]

    @strawberry.field(description="Every add, update, remove and expire of the customer's tags, oldest first.")
    async def tag_history(self, info: Ctx, tag: str | None = None) -> list[TagEvent]:
        return [TagEvent.from_model(m) for m in await r.history(info.context, str(self.id), tag)]

    @strawberry.field(description="Why the customer carries the tag (or would not), with evidence.")
    async def why_tagged(self, info: Ctx, tag: str, as_of: datetime | None = None) -> Explanation:
        return Explanation.from_model(await r.why(info.context, str(self.id), tag, as_of))


@strawberry.type
class TagEngineFields:
    """Fields the tag engine adds to Tag (coverage and the definition); reads self.key."""

    key: str = strawberry.field(description="Stable key, [a-z0-9_]+.")

    @strawberry.field(description="Customers holding the tag validly at asOf (default now), and their share.")
    async def coverage(self, info: Ctx, as_of: datetime | None = None) -> TagCoverage:
        holders, total = await r.coverage(info.context, self.key, as_of)
        return TagCoverage(holders=holders, total=total, share=holders / total if total else 0.0)

    @strawberry.field(description="The full definition: validity, refresh, rule, owner.")
    async def definition(self, info: Ctx) -> TagDefinition | None:
        found = await r.definition(info.context, self.key)
        return TagDefinition.from_model(found) if found else None


async def _assignments(pending: Awaitable[list[Any]]) -> list[TagAssignment]:
    return [TagAssignment.from_model(m) for m in await pending]
