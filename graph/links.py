"""Linking and unlinking relationships: employment, membership, acquaintance (KNOWS) and referral."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any

from graph.companies import get_companies
from graph.customers import get_customers
from graph.db import Graph
from graph.errors import BadInputError, NotFoundError
from graph.projects import get_projects

_GETTERS: dict[str, Callable[[Graph, list[str]], Awaitable[Sequence[object | None]]]] = {
    "customer": get_customers, "company": get_companies, "project": get_projects,
}


async def _missing(graph: Graph, **ids: str) -> NotFoundError:
    """Return a NotFoundError naming the first id that does not exist (keys like customer, customer2)."""
    for what, value in ids.items():
        kind = what.rstrip("0123456789")
        if (await _GETTERS[kind](graph, [value]))[0] is None:
            return NotFoundError(f"{kind} {value!r} not found")
    return NotFoundError("the relationship's ends were not found")


async def _link(graph: Graph, name: str, ends: dict[str, str], **params: Any) -> None:
    rows = await graph.write(name, **params)
    if not rows or not rows[0]["linked"]:
        raise await _missing(graph, **ends)


async def _unlink(graph: Graph, name: str, what: str, **params: Any) -> None:
    rows = await graph.write(name, **params)
    if not rows or not rows[0]["removed"]:
        raise NotFoundError(f"{what} not found")


async def link_employment(graph: Graph, customer_id: str, company_id: str, title: str | None,
                          since: date | None, until: date | None) -> None:
    """Create or update WORKS_AT; raise NotFoundError or BadInputError (until before since)."""
    if since and until and until < since:
        raise BadInputError("until must not be before since")
    await _link(graph, "network/link_employment", {"customer": customer_id, "company": company_id},
                customer_id=customer_id, company_id=company_id, title=title, since=since, until=until)


async def unlink_employment(graph: Graph, customer_id: str, company_id: str) -> None:
    """Remove WORKS_AT; raise NotFoundError when there is none."""
    await _unlink(graph, "network/unlink_employment", f"employment of customer {customer_id!r} at company {company_id!r}",
                  customer_id=customer_id, company_id=company_id)


async def link_membership(graph: Graph, customer_id: str, project_id: str, role: str | None, since: date | None) -> None:
    """Create or update MEMBER_OF; raise NotFoundError."""
    await _link(graph, "network/link_membership", {"customer": customer_id, "project": project_id},
                customer_id=customer_id, project_id=project_id, role=role, since=since)


async def unlink_membership(graph: Graph, customer_id: str, project_id: str) -> None:
    """Remove MEMBER_OF; raise NotFoundError when there is none."""
    await _unlink(graph, "network/unlink_membership", f"membership of customer {customer_id!r} in project {project_id!r}",
                  customer_id=customer_id, project_id=project_id)


async def link_knows(graph: Graph, customer_id: str, other_id: str, since: datetime | None) -> None:
    """Create KNOWS once between two customers; raise BadInputError for a self-link, NotFoundError."""
    if customer_id == other_id:
        raise BadInputError("a customer cannot know themselves")
    await _link(graph, "network/link_knows", {"customer": customer_id, "customer2": other_id},
                customer_id=customer_id, other_id=other_id, since=since)


async def unlink_knows(graph: Graph, customer_id: str, other_id: str) -> None:
    """Remove KNOWS in either direction; raise NotFoundError when there is none."""
    await _unlink(graph, "network/unlink_knows", f"KNOWS between {customer_id!r} and {other_id!r}",
                  customer_id=customer_id, other_id=other_id)


async def link_referral(graph: Graph, referrer_id: str, referred_id: str, at: datetime | None, converted: bool,
                        project_id: str | None) -> None:
    """Create or update REFERRED; raise BadInputError for a self-referral, NotFoundError."""
    if referrer_id == referred_id:
        raise BadInputError("a customer cannot refer themselves")
    if project_id is not None and (await get_projects(graph, [project_id]))[0] is None:
        raise NotFoundError(f"project {project_id!r} not found")
    await _link(graph, "network/link_referral", {"customer": referrer_id, "customer2": referred_id},
                referrer_id=referrer_id, referred_id=referred_id, at=at, converted=converted, project_id=project_id)


async def unlink_referral(graph: Graph, referrer_id: str, referred_id: str) -> None:
    """Remove REFERRED; raise NotFoundError when there is none."""
    await _unlink(graph, "network/unlink_referral", f"referral from {referrer_id!r} to {referred_id!r}",
                  referrer_id=referrer_id, referred_id=referred_id)
