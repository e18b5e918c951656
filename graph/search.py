"""Search customers (name, email, phone) and companies (name) by one text."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from graph.companies import Company
from graph.customers import Customer
from graph.db import Graph
from graph.errors import BadInputError

_PHONEISH = re.compile(r"^[+\d\s().\-]+$")


class SearchResult(BaseModel):
    """Customers and companies matching a search text."""

    model_config = ConfigDict(frozen=True)

    customers: list[Customer]
    companies: list[Company]


def normalise(text: str) -> tuple[str, str | None]:
    """Return (lower-cased text, phone digits or None); phone digits need at least 4 digits."""
    text = text.strip()
    if not 1 <= len(text) <= 100:
        raise BadInputError("search text must be 1 to 100 characters long")
    digits = re.sub(r"\D", "", text) if _PHONEISH.match(text) else ""
    return text.lower(), (digits if len(digits) >= 4 else None)


async def search(graph: Graph, text: str, limit: int) -> SearchResult:
    """Return up to limit customers and up to limit companies matching text."""
    lc, digits = normalise(text)
    cust = await graph.read("search/search_customers", text=lc, digits=digits, limit=limit)
    comp = await graph.read("search/search_companies", text=lc, limit=limit)
    return SearchResult(
        customers=[Customer.from_props(r["customer"], r["attribute_keys"]) for r in cust],
        companies=[Company.from_props(r["company"], r["attribute_keys"]) for r in comp],
    )
