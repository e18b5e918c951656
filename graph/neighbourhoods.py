"""A customer with its one-hop neighbourhood (employers, projects, tags), read in one query."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from graph.companies import Company
from graph.customers import Customer, Employment, Membership, newest_first
from graph.db import Graph
from graph.tag_history import TagState, valid_state


class Neighbourhood(BaseModel):
    """What a customer screen or list row shows next to the customer, ordered like the single loaders."""

    model_config = ConfigDict(frozen=True)

    customer: Customer
    employments: list[Employment]
    companies: list[Company]
    memberships: list[Membership]
    tags: list[TagState]  # current assignments, valid now


async def get_neighbourhoods(graph: Graph, ids: list[str]) -> list[Neighbourhood | None]:
    """Return per id its customer and neighbourhood (None where absent or out of scope)."""
    now = datetime.now(UTC)
    found: dict[str, Neighbourhood] = {}
    for r in await graph.read("customer/get_neighbourhoods", ids=ids, now=now):
        companies = {e["company_id"]: Company.from_props(e["company"], r["company_attribute_keys"])
                     for e in r["employments"]}
        employments = [Employment(**{k: v for k, v in e.items() if k != "company"}) for e in r["employments"]]
        tags = [s for t in sorted(r["tags"], key=lambda t: t["key"]) if (s := valid_state(t, now)) is not None]
        found[r["id"]] = Neighbourhood(
            customer=Customer.from_props(r["customer"], r["attribute_keys"]),
            employments=newest_first(employments),
            companies=list(companies.values()),
            memberships=sorted((Membership(**m) for m in r["memberships"]), key=lambda m: m.project_id),
            tags=tags,
        )
    return [found.get(i) for i in ids]
