"""GraphQL for privacy duties and the audit log: exportPersonalData, eraseCustomer, setConsent, auditLog.

The root classes are merged into Query/Mutation by schema/query.py and schema/mutation.py;
role checks (admin only for export, erasure and the audit log) are in resolvers/auth_guard.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graph import audit, privacy
from resolvers.context import Context

Ctx = Info[Context, None]


@strawberry.type(description="One audited operation: who, when, what, which ids, how many rows, outcome.")
class AuditEntry:
    id: strawberry.ID
    at: datetime
    actor: str
    role: str
    action: str
    targets: list[str]
    target_count: int
    rows: int | None
    outcome: str


@strawberry.type(description="What an erasure did; the customer's data is gone, aggregates stay on erasedAs.")
class Erasure:
    customer_id: strawberry.ID
    erased_as: str
    interactions: int
    tag_events: int
    snapshots: int
    merge_records: int


@strawberry.type
class PrivacyQueries:
    @strawberry.field(description="Everything held about a customer (attributes, consent, tags with history, "
                                  "interactions, relationships) as JSON. Admins only; audited.")
    async def export_personal_data(self, info: Ctx, customer_id: strawberry.ID) -> JSON:
        ctx = info.context
        return cast(JSON, await privacy.export_personal_data(ctx.graph, ctx.principal, str(customer_id)))

    @strawberry.field(description="The audit log, newest first; action matches as a prefix. Admins only.")
    async def audit_log(self, info: Ctx, actor: str | None = None, action: str | None = None,
                        target: str | None = None, since: datetime | None = None, first: int = 100) -> list[AuditEntry]:
        entries = await audit.list_entries(info.context.graph, actor=actor, action=action, target=target,
                                           since=since, limit=first)
        return [AuditEntry(**e.model_dump()) for e in entries]


@strawberry.type
class PrivacyMutations:
    @strawberry.mutation(description="Erase a customer irreversibly: identifiers, personal attributes, tags and "
                                     "their history, snapshot memberships, merge records. Admins only; audited.")
    async def erase_customer(self, info: Ctx, customer_id: strawberry.ID) -> Erasure:
        ctx = info.context
        done = await privacy.erase_customer(ctx.graph, ctx.principal, str(customer_id))
        return Erasure(customer_id=customer_id, **done)

    @strawberry.mutation(description="Record a consent decision (marketing, profiling, third_party) with its time.")
    async def set_consent(self, info: Ctx, customer_id: strawberry.ID, purpose: str, granted: bool) -> bool:
        ctx = info.context
        await privacy.set_consent(ctx.graph, ctx.principal, str(customer_id), purpose, granted)
        return granted
