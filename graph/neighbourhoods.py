"""A customer with its one-hop neighbourhood (employers, projects, tags), read in one query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.companies import Company
from graph.customers import Customer, Employment, Membership, current_employment, newest_first
from graph.cypher import query
from graph.db import Graph
from graph.entities import COMPANY, CUSTOMER
from graph.filters import Filter
from graph.lists import ATTRIBUTE_KEYS, read_page, with_sort_keys
from graph.pages import Page, PageRequest, make_page, sort_props
from graph.tag_history import TagState, valid_state


class Neighbourhood(BaseModel):
    """What a customer screen or list row shows next to the customer, ordered like the single loaders."""

    model_config = ConfigDict(frozen=True)

    customer: Customer
    employments: list[Employment]
    companies: list[Company]
    memberships: list[Membership]
    tags: list[TagState]  # current assignments, valid now


def from_row(r: Any, now: datetime) -> Neighbourhood:
    """Return the Neighbourhood of one row of customer/get_neighbourhoods' RETURN clause (tags valid at now)."""
    companies = {e["company_id"]: Company.from_props(e["company"], r["company_attribute_keys"])
                 for e in r["employments"]}
    employments = [Employment(**{k: v for k, v in e.items() if k != "company"}) for e in r["employments"]]
    tags = [s for t in sorted(r["tags"], key=lambda t: t["key"]) if (s := valid_state(t, now)) is not None]
    return Neighbourhood(
        customer=Customer.from_props(r["customer"], r["attribute_keys"]),
        employments=newest_first(employments),
        companies=list(companies.values()),
        memberships=sorted((Membership(**m) for m in r["memberships"]), key=lambda m: m.project_id),
        tags=tags,
    )


def current_employer(n: Neighbourhood) -> Company | None:
    """Return the company n's customer works at today (the first current employment, newest first), or None."""
    current = current_employment(n.employments)
    return next((co for co in n.companies if co.id == current.company_id), None) if current else None


async def get_neighbourhoods(graph: Graph, ids: list[str]) -> list[Neighbourhood | None]:
    """Return per id its customer and neighbourhood (None where absent or out of scope)."""
    now = datetime.now(UTC)
    found = {r["id"]: from_row(r, now) for r in await graph.read("customer/get_neighbourhoods", ids=ids, now=now)}
    return [found.get(i) for i in ids]


# The parts of a neighbourhood a list can ask for, and the RETURN column each reads.
PARTS = frozenset({"employments", "memberships", "tags"})


@dataclass(frozen=True)
class Projection:
    """The stored properties a customers page reads of each customer and of its employers' companies; None reads
    them all with the registered custom attribute keys (what a loader may be primed with). Narrower reads hold
    only what the request's selection shows (schema/customer.py page_projection), so they must not reach the
    loaders, where another field of the same request could take them for whole nodes."""

    customer: frozenset[str] | None = None
    company: frozenset[str] | None = None

    @property
    def whole(self) -> bool:
        return self.customer is None and self.company is None


WHOLE = Projection()


# Bounded: the key follows the fields a request selects, so clients could otherwise grow it without end.
@lru_cache(maxsize=256)
def _page_text(parts: frozenset[str] = PARTS, projection: Projection = WHOLE) -> str:
    """Return the Cypher after a customer page is bound to `page`: the RETURN of customer/get_neighbourhoods per row,
    with the columns of parts not asked for returned empty (their comprehensions are not evaluated), and the
    customer's and the companies' properties narrowed to the projection's."""
    source = query("customer/get_neighbourhoods").text
    ret = source[source.index("\nRETURN id,") + 1:]
    for column in PARTS - parts:
        # One comprehension: from a line starting "  [" to its "] AS <column>", not across the next one.
        found = re.search(r"\n  \[(?:(?!\n  \[).)*?\] AS " + column + r"\b", ret, re.S)
        assert found is not None, f"customer/get_neighbourhoods returns no {column} comprehension"
        ret = ret[:found.start()] + f"\n  [] AS {column}" + ret[found.end():]
    keys = {"customer": ATTRIBUTE_KEYS.format(var="d", entity=repr("customer")),
            "company": ATTRIBUTE_KEYS.format(var="e", entity=repr("company"))}
    if projection.customer is not None:
        whole = f"{CUSTOMER.projection('c')} AS customer"
        assert whole in ret, "customer/get_neighbourhoods returns the customer otherwise than Entity.projection"
        ret = ret.replace(whole, f"{CUSTOMER.select('c', projection.customer)} AS customer")
        keys["customer"] = "[]"  # custom attributes are not shown
    if projection.company is not None and "employments" in parts:
        assert "company: properties(co)" in ret, "customer/get_neighbourhoods returns employers otherwise"
        ret = ret.replace("company: properties(co)", f"company: {COMPANY.select('co', projection.company)}")
        keys["company"] = "[]"
    return (
        f"WITH page, {keys['customer']} AS attribute_keys,\n"
        f"  {keys['company']} AS company_attribute_keys\n"
        "UNWIND page AS c\n"
        "WITH c, c.id AS id, attribute_keys, company_attribute_keys\n"
        + ret
    )


async def list_neighbourhoods(graph: Graph, flt: Filter | None, req: PageRequest, parts: frozenset[str] = PARTS,
                             projection: Projection = WHOLE) -> tuple[Page, list[Neighbourhood]]:
    """Return a customers page (as graph.lists.list_nodes) with each shown customer's neighbourhood, in one query.

    The page is cut first (filter, scope, sort, cursor, LIMIT), then only its rows read their employers,
    projects and tags, so a list asking for them needs no query per field. Only the parts asked for are
    read (employments, memberships, tags); the others come back empty and must not be taken as read. Only the
    projection's properties are read, with the page's sort keys for its cursors (all of them when a custom
    attribute sorts it)."""
    now = datetime.now(UTC)
    if projection.customer is not None:
        projection = Projection(with_sort_keys(CUSTOMER, projection.customer, req), projection.company)
    # The unscoped Graph passes parameters as given; a ScopedGraph replaces this null with the scope.
    rows = await read_page(graph, CUSTOMER, flt, req, "list/customer_neighbourhoods",
                           "Customer page with neighbourhoods (generated by graph/neighbourhoods.py).", _page_text(parts, projection),
                           {"now": now, "scope_company_ids": None})
    nodes = [{**r["customer"], "__attribute_keys__": r["attribute_keys"]} for r in rows]
    page = make_page(sort_props(CUSTOMER, req.sort), nodes, req)
    return page, [from_row(r, now) for r in rows[: len(page.rows)]]
