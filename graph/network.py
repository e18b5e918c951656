"""Relationships between customers: one-step neighbours, connections, shortest paths and neighbourhoods."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.errors import BadInputError

Kind = Literal["KNOWS", "REFERRED", "REFERRED_BY", "COLLEAGUE"]
KINDS: tuple[Kind, ...] = ("KNOWS", "REFERRED", "REFERRED_BY", "COLLEAGUE")


class Connection(BaseModel):
    """A related customer: the kind of relationship and its properties (since = at for referrals)."""

    model_config = ConfigDict(frozen=True)

    customer_id: str
    name: str | None = None
    kind: Kind
    since: datetime | None = None
    at: datetime | None = None
    converted: bool | None = None
    company_id: str | None = None
    project_id: str | None = None


class Neighbours(BaseModel):
    """Everything one step from a customer, as read by network/get_neighbours."""

    model_config = ConfigDict(frozen=True)

    id: str
    knows: list[dict[str, Any]] = []
    referred: list[dict[str, Any]] = []
    referred_by: list[dict[str, Any]] = []
    colleagues: list[dict[str, Any]] = []
    employments: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []

    def connections(self, kinds: tuple[Kind, ...] | list[Kind] = KINDS) -> list[Connection]:
        """Return the connections of these kinds ordered by since descending (nulls last), id, kind."""
        out: list[Connection] = []
        if "KNOWS" in kinds:
            out += [Connection(customer_id=k["id"], name=k["name"], kind="KNOWS", since=k["since"]) for k in self.knows]
        referrals: tuple[tuple[Kind, list[dict[str, Any]]], ...] = (("REFERRED", self.referred), ("REFERRED_BY", self.referred_by))
        for kind, items in referrals:
            if kind in kinds:
                out += [
                    Connection(customer_id=r["id"], name=r["name"], kind=kind, since=r["at"], at=r["at"],
                               converted=bool(r["converted"]), project_id=r["project_id"])
                    for r in items
                ]
        if "COLLEAGUE" in kinds:
            out += colleagues(self.colleagues)
        unique = {(c.customer_id, c.kind, c.since, c.project_id): c for c in out}
        return sorted(unique.values(), key=connection_key)


def as_datetime(value: date | datetime | None) -> datetime | None:
    """Return a date as midnight UTC (datetimes unchanged)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time(), tzinfo=UTC)


def overlap_start(s1: date | None, u1: date | None, s2: date | None, u2: date | None) -> tuple[bool, date | None]:
    """Return whether two employments overlap (unknown dates never exclude) and when the overlap starts."""
    overlaps = (s1 is None or u2 is None or s1 <= u2) and (s2 is None or u1 is None or s2 <= u1)
    known = [d for d in (s1, s2) if d is not None]
    return overlaps, max(known) if known else None


def colleagues(rows: list[dict[str, Any]]) -> list[Connection]:
    """Return one COLLEAGUE connection per other customer: the earliest overlapping employment."""
    best: dict[str, Connection] = {}
    for r in rows:
        ok, start = overlap_start(r["since1"], r["until1"], r["since2"], r["until2"])
        if not ok:
            continue
        conn = Connection(customer_id=r["id"], name=r["name"], kind="COLLEAGUE", since=as_datetime(start),
                          company_id=r["company_id"])
        prev = best.get(r["id"])
        if prev is None or _earlier(conn, prev):
            best[r["id"]] = conn
    return list(best.values())


def _earlier(a: Connection, b: Connection) -> bool:
    if a.since is None or b.since is None:
        return (b.since is None and a.since is not None) or (a.since == b.since and (a.company_id or "") < (b.company_id or ""))
    return (a.since, a.company_id or "") < (b.since, b.company_id or "")


def connection_key(c: Connection) -> tuple[Any, ...]:
    """Return the sort key: since descending with nulls last, then customer id, then kind."""
    return (c.since is None, -(c.since.timestamp()) if c.since else 0.0, c.customer_id, c.kind)


def connection_cursor(c: Connection) -> str:
    """Return an opaque cursor for a connection's position."""
    raw = json.dumps([c.since.isoformat() if c.since else None, c.customer_id, c.kind]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def page_connections(items: list[Connection], first: int, after: str | None) -> tuple[list[Connection], bool]:
    """Return the connections after the cursor (at most first) and whether more follow."""
    if after is not None:
        try:
            since, cid, kind = json.loads(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
            mark = Connection(customer_id=cid, kind=kind, since=datetime.fromisoformat(since) if since else None)
        except (ValueError, TypeError) as exc:
            raise BadInputError(f"cursor {after!r} is not a valid connections cursor") from exc
        items = [c for c in items if connection_key(c) > connection_key(mark)]
    return items[:first], len(items) > first


async def get_neighbours(graph: Graph, ids: list[str]) -> list[Neighbours | None]:
    """Return the one-step neighbourhood of each customer id in ids order (None where absent)."""
    rows = await graph.read("network/get_neighbours", ids=ids)
    found = {r["id"]: Neighbours(**r) for r in rows}
    return [found.get(i) for i in ids]


class Referral(BaseModel):
    """A REFERRED relationship."""

    model_config = ConfigDict(frozen=True)

    referrer_id: str
    referred_id: str
    at: datetime | None = None
    converted: bool | None = None
    project_id: str | None = None


class RelationshipMap(BaseModel):
    """A company's people: employments, their memberships, referrals out of, into and within it."""

    model_config = ConfigDict(frozen=True)

    company_id: str
    employees: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    referrals_out: list[Referral]
    referrals_in: list[Referral]
    referrals_internal: list[Referral]


async def get_relationship_maps(graph: Graph, ids: list[str]) -> list[RelationshipMap | None]:
    """Return each company's relationship map in ids order (None where absent)."""
    rows = await graph.read("company/get_relationship_maps", ids=ids)
    found: dict[str, RelationshipMap] = {}
    for r in rows:
        staff = {e["customer_id"] for e in r["employees"]}
        refs_out = {_referral(x) for x in r["referrals_out"]}
        refs_in = {_referral(x) for x in r["referrals_in"]}
        internal = {x for x in refs_out | refs_in if x.referrer_id in staff and x.referred_id in staff}
        found[r["id"]] = RelationshipMap(
            company_id=r["id"],
            employees=sorted(_unique(r["employees"], ("customer_id", "since")), key=lambda e: (e["customer_id"], str(e["since"]))),
            memberships=sorted(_unique(r["memberships"], ("customer_id", "project_id")), key=lambda m: (m["customer_id"], m["project_id"])),
            referrals_out=sorted(refs_out - internal, key=_ref_key),
            referrals_in=sorted(refs_in - internal, key=_ref_key),
            referrals_internal=sorted(internal, key=_ref_key),
        )
    return [found.get(i) for i in ids]


def _referral(x: dict[str, Any]) -> Referral:
    return Referral(referrer_id=x["referrer_id"], referred_id=x["referred_id"], at=x["at"],
                    converted=x["converted"], project_id=x["project_id"])


def _ref_key(r: Referral) -> tuple[str, str, str]:
    return (r.referrer_id, r.referred_id, r.at.isoformat() if r.at else "")


def _unique(items: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return list({tuple(str(i[k]) for k in keys): i for i in items}.values())
