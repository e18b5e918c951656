"""Privacy duties (PIPL/GDPR style): consent with timestamps, personal-data export, erasure.

Consent is stored on the customer as ``consent_<purpose>`` (bool) and ``consent_<purpose>_at``
(when it was given or withdrawn), both registered as custom attributes. Marketing uses keep
to customers matching `MARKETING_CONSENT` (``consent_marketing = true``); no record means no.

Erasure is irreversible: the customer node and everything naming the person go; what stays
is an ``ErasedCustomer`` node with a random id carrying aggregates (interaction count and
amount), anonymised interactions (type, time, amount, project) and referral edges (time,
outcome) so population statistics and other customers' referral counts do not change.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, date, datetime
from typing import Any

from graph import audit
from graph.audit import Actor
from graph.db import Graph
from graph.errors import BadInputError, NotFoundError

log = logging.getLogger(__name__)

PURPOSES = ("marketing", "profiling", "third_party")
# The Cypher predicate segment and export queries add for marketing use (customer bound to `c`).
MARKETING_CONSENT = "coalesce(c.consent_marketing, false) = true"


async def set_consent(graph: Graph, actor: Actor, customer_id: str, purpose: str, granted: bool,
                      at: datetime | None = None) -> None:
    """Record a consent decision with its time; raise BadInputError/NotFoundError. Audited."""
    if purpose not in PURPOSES:
        raise BadInputError(f"consent purpose {purpose!r} is not one of {', '.join(PURPOSES)}")
    at = at or datetime.now(UTC)
    key = f"consent_{purpose}"
    defs = [{"id": f"customer.{key}", "key": key, "type": "bool"},
            {"id": f"customer.{key}_at", "key": f"{key}_at", "type": "datetime"}]
    rows = await graph.write("privacy/set_consent", id=customer_id, props={key: granted, f"{key}_at": at},
                             defs=defs, at=at)
    if not rows:
        await audit.record(graph, actor, "customer.consent", [customer_id], rows=0, outcome="error:NOT_FOUND")
        raise NotFoundError(f"customer {customer_id!r} not found")
    await audit.record(graph, actor, "customer.consent", [customer_id], rows=1)


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _sorted(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    return sorted(items, key=lambda d: tuple(str(d.get(k) or "") for k in keys))


async def export_personal_data(graph: Graph, actor: Actor, customer_id: str, now: datetime | None = None) -> dict[str, Any]:
    """Return everything held about a customer as JSON-ready data (others named by id only). Audited."""
    rows = await graph.read("privacy/get_personal_data", id=customer_id)
    if not rows:
        await audit.record(graph, actor, "customer.export_personal_data", [customer_id], rows=0,
                           outcome="error:NOT_FOUND")
        raise NotFoundError(f"customer {customer_id!r} not found")
    r = rows[0]
    customer = dict(r["customer"])
    consent = {k: v for k, v in customer.items() if k.startswith("consent_")}
    data = {
        "customer_id": customer_id,
        "exported_at": now or datetime.now(UTC),
        "attributes": customer,
        "consent": consent,
        "employment": _sorted(r["employment"], "company_id", "since"),
        "projects": _sorted(r["projects"], "project_id"),
        "tags": _sorted(r["tags"], "tag_key"),
        "tag_history": _sorted(r["tag_history"], "at", "tag_key", "action"),
        "interactions": _sorted(r["interactions"], "occurred_at", "id"),
        "relationships": {
            "knows": _sorted(r["knows"], "customer_id"),
            "referred": _sorted(r["referred"], "customer_id"),
            "referred_by": _sorted(r["referred_by"], "customer_id"),
        },
        "segment_snapshots": _sorted(r["segment_snapshots"], "at", "id"),
        "merge_records": _sorted(r["merges"], "at", "merged_id"),
    }
    await audit.record(graph, actor, "customer.export_personal_data", [customer_id], rows=1)
    return _json(data)


async def erase_customer(graph: Graph, actor: Actor, customer_id: str, now: datetime | None = None) -> dict[str, Any]:
    """Erase a customer irreversibly in one transaction; return what was done. Raise NotFoundError. Audited."""
    at = now or datetime.now(UTC)
    anon_id = f"erased-{secrets.token_hex(8)}"

    async def work(tx: Any) -> dict[str, Any]:
        history = await tx.run("privacy/erase_tag_history", id=customer_id)
        snapshots = await tx.run("privacy/erase_snapshot_memberships", id=customer_id)
        merges = await tx.run("privacy/erase_merge_records", id=customer_id)
        node = await tx.run("privacy/erase_customer", id=customer_id, anon_id=anon_id, at=at)
        if not node:
            raise NotFoundError(f"customer {customer_id!r} not found")
        return {"erased_as": anon_id, "tag_events": history[0]["deleted"], "snapshots": snapshots[0]["updated"],
                "merge_records": merges[0]["deleted"], "interactions": node[0]["interactions"]}

    try:
        done = await graph.in_transaction(work)
    except NotFoundError as exc:
        await audit.record(graph, actor, "customer.erase", [customer_id], rows=0, outcome=audit.outcome_of(exc), now=at)
        raise
    await audit.record(graph, actor, "customer.erase", [customer_id], rows=1, now=at)
    log.info("erased customer %s as %s", customer_id, anon_id)
    return done
