"""The audit log: one `AuditEntry` node per mutation, export, ad-hoc Cypher run and key operation.

An entry says who (principal id and role), when, what (an action name such as
``customer.erase``), to which ids, how many rows and the outcome. It never holds values:
targets are ids, and anything in them that looks like an email or a phone number is masked
before it is written, so a caller passing the wrong thing cannot put personal data here.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.masking import mask_text

log = logging.getLogger(__name__)

_ACTION = re.compile(r"^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
MAX_TARGETS = 100


class Actor(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def role(self) -> str: ...


class AuditEntry(BaseModel):
    """One recorded operation."""

    model_config = ConfigDict(frozen=True)

    id: str
    at: datetime
    actor: str
    role: str
    action: str
    targets: list[str]
    target_count: int
    rows: int | None = None
    outcome: str


def outcome_of(exc: BaseException | None) -> str:
    """Return 'ok', or 'error:<CODE>' for a domain error, or 'error:INTERNAL_SERVER_ERROR'."""
    if exc is None:
        return "ok"
    return f"error:{getattr(exc, 'code', 'INTERNAL_SERVER_ERROR')}"


async def record(
    graph: Graph,
    actor: Actor,
    action: str,
    targets: list[str] | tuple[str, ...] = (),
    rows: int | None = None,
    outcome: str = "ok",
    now: datetime | None = None,
) -> AuditEntry:
    """Write one audit entry and return it; targets beyond 100 are counted, not listed."""
    if not _ACTION.match(action):
        raise ValueError(f"audit action {action!r} must look like 'area.verb'")
    clean = [mask_text(str(t))[:200] for t in targets]
    entry = AuditEntry(
        id=uuid.uuid4().hex, at=now or datetime.now(UTC), actor=actor.id, role=actor.role, action=action,
        targets=clean[:MAX_TARGETS], target_count=len(clean), rows=rows, outcome=outcome,
    )
    props: dict[str, Any] = {k: v for k, v in entry.model_dump().items() if v is not None}
    await graph.write("audit/record_entry", entry=props)
    log.info("audit %s by %s (%s): %d targets, outcome %s", action, actor.id, actor.role, len(clean), outcome)
    return entry


async def list_entries(
    graph: Graph,
    *,
    actor: str | None = None,
    action: str | None = None,
    target: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Return audit entries newest first; action matches as a prefix (``customer.`` finds all)."""
    rows = await graph.read("audit/list_entries", actor=actor, action=action, target=target, since=since,
                            until=until, limit=max(1, min(limit, 1000)))
    return [AuditEntry(**r["entry"]) for r in rows]
