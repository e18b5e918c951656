"""The starter catalogue of tag definitions, installed idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.db import Graph
from graph.segments import rule_catalog
from graph.tags import TagSpec, create_tag, get_tag, update_tag

VIP: dict[str, Any] = {"any": [{"tag": "vip"}, {"tag": "important_customer"}]}
OPEN_STAGES = ["lead", "qualified", "proposal", "negotiation"]
KEY_ACCOUNT_MIN_VIPS = 2


def _rule(key: str, name: str, category: str, description: str, rule: dict[str, Any], **extra: Any) -> TagSpec:
    definition = {"rule": rule, **extra}
    return TagSpec(key=key, name=name, category=category, description=description, kind="RULE", status="ACTIVE",
                   owner="crm", valid_for="P2D", refresh="daily", definition=definition)


def _stat(key: str, name: str, category: str, description: str, definition: dict[str, Any]) -> TagSpec:
    return TagSpec(key=key, name=name, category=category, description=description, kind="STATISTICAL",
                   status="ACTIVE", owner="crm", valid_for="P2D", refresh="daily", definition=definition)


CATALOGUE: list[TagSpec] = [
    TagSpec(key="vip", name="VIP", category="value", kind="MANUAL", status="ACTIVE", owner="sales",
            description="Top customers, set by account managers."),
    _rule("important_customer", "Important customer", "value",
          "At least 3 purchases in the last 180 days, or at least 2 converted referrals.",
          {"any": [{"interactions": {"type": "purchase", "within": "P180D", "count": {"gte": 3}}},
                   {"referrals": {"direction": "out", "converted": True, "count": {"gte": 2}}}]}),
    _rule("super_referrer", "Super referrer", "interaction",
          "Referred at least 5 customers, at least 3 of whom converted.",
          {"all": [{"referrals": {"direction": "out", "count": {"gte": 5}}},
                   {"referrals": {"direction": "out", "converted": True, "count": {"gte": 3}}}]}),
    _rule("referred_by_vip", "Referred by a VIP", "interaction",
          "Was referred by a VIP or an important customer.",
          {"related": {"via": ["REFERRED"], "direction": "in", "maxHops": 1, "to": VIP}}),
    _rule("colleague_of_vip", "Colleague of a VIP", "interaction",
          "Currently works at the same company as a VIP or an important customer.",
          {"related": {"via": ["COLLEAGUE"], "maxHops": 1, "to": VIP}}),
    _rule("open_project_decision_maker", "Decision-maker on an open project", "value",
          "Decision maker on a project that is not yet won or lost.",
          {"project": {"role": "decision_maker", "where": {"attribute": "stage", "in": OPEN_STAGES}}}),
    _rule("key_account", "Key account", "value",
          f"A company with at least {KEY_ACCOUNT_MIN_VIPS} VIP employees, and its current contacts.",
          {"companyHas": {"employees": VIP, "count": {"gte": KEY_ACCOUNT_MIN_VIPS}}}, entity="company", contacts=True),
    _rule("silent_customer", "Silent customer", "risk", "No interaction in the last 90 days.",
          {"not": {"lastInteraction": {"within": "P90D"}}}),
    _stat("purchases_180d", "Purchases in 180 days", "behaviour", "Number of purchases in the last 180 days.",
          {"statistic": "count", "interactions": {"type": "purchase", "within": "P180D"}}),
    _stat("spend_365d", "Spend band (365 days)", "value", "Purchase amount in the last 365 days: low, mid or high.",
          {"statistic": "sum", "interactions": {"type": "purchase", "within": "P365D"},
           "buckets": [{"label": "low", "below": 1000}, {"label": "mid", "below": 10000}, {"label": "high"}]}),
    _stat("last_contact_days", "Days since last contact", "interaction", "Days since the last interaction of any kind.",
          {"statistic": "daysSinceLast", "interactions": {}}),
    _stat("referrals_converted", "Converted referrals", "interaction", "Number of referrals made that converted.",
          {"statistic": "count", "referrals": {"direction": "out", "converted": True}}),
]


@dataclass(frozen=True)
class InstallReport:
    created: list[str] = field(default_factory=list)
    upgraded: list[str] = field(default_factory=list)  # imported manual placeholders given the definition
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # exist with a different definition: left alone


async def install_catalogue(graph: Graph, *, by: str = "catalogue") -> InstallReport:
    """Create the starter tags that are missing; never overwrite a tag someone defined differently."""
    report = InstallReport()
    for spec in CATALOGUE:
        existing = await get_tag(graph, spec.key)
        if existing is None:
            await create_tag(graph, spec, by=by, catalog=await rule_catalog(graph))
            report.created.append(spec.key)
        elif existing.kind == spec.kind and existing.definition == spec.definition:
            report.unchanged.append(spec.key)
        elif existing.kind == "MANUAL" and existing.definition is None and spec.kind != "MANUAL":
            await _upgrade(graph, spec, by)
            report.upgraded.append(spec.key)
        else:
            report.skipped.append(spec.key)
    return report


async def _upgrade(graph: Graph, spec: TagSpec, by: str) -> None:
    """Turn an imported manual tag into the catalogue's automatic one (its manual assignments stay)."""
    await graph.write("tag/set_tag_kind", key=spec.key, kind=spec.kind)
    await update_tag(graph, spec.key, spec.model_dump(exclude={"key"}), by=by)
