"""The small known graph the API tests share, and helpers to run GraphQL against it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from graph.db import Graph
from resolvers.context import ApiConfig, Context
from schema.app import build_schema

SCHEMA = build_schema()
AS_OF = "2025-07-01T00:00:00+00:00"


def dt(text: str) -> datetime:
    """Return an aware UTC datetime from 'YYYY-MM-DD[THH:MM]'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


CUSTOMERS = [
    {"id": "c1", "name": "Alice Wang", "first_name": "Alice", "last_name": "Wang", "gender": "female",
     "email": "alice@example.com", "phone": "+8613800000001", "city": "Shanghai", "country": "CN",
     "birth_date": date(1990, 5, 17), "created_at": dt("2024-01-01"), "vip_level": 3},
    {"id": "c2", "name": "Bob Li", "email": "bob@example.com", "phone": "+8613800000002", "city": "Beijing",
     "created_at": dt("2024-02-01"), "vip_level": 1},
    {"id": "c3", "name": "Carol Zhang", "email": "carol@example.com", "city": "Shanghai", "created_at": dt("2024-03-01")},
    {"id": "c4", "name": "Dan Chen", "email": "dan@example.com", "city": "Shenzhen", "created_at": dt("2024-04-01")},
    {"id": "c5", "name": "Eve Liu", "email": "eve@example.com", "city": "Beijing", "created_at": dt("2025-06-20")},
    {"id": "c6", "name": "Frank Wu", "created_at": dt("2023-01-01")},
]
COMPANIES = [
    {"id": "co1", "name": "Acme", "industry": "software", "employees": 120, "city": "Shanghai"},
    {"id": "co2", "name": "Globex", "industry": "finance", "employees": 50, "city": "Beijing"},
]
PROJECTS = [
    {"id": "p1", "name": "CRM rollout", "company_id": "co1", "stage": "proposal", "value": 50000.0},
    {"id": "p2", "name": "Audit", "company_id": "co2", "stage": "won", "value": 12000.0},
]
WORKS_AT = [
    ("c1", "co1", "CTO", date(2020, 1, 1), None),
    ("c2", "co1", "Engineer", date(2021, 6, 1), None),
    ("c3", "co1", "Analyst", date(2015, 1, 1), date(2019, 12, 31)),
    ("c3", "co2", "Manager", date(2020, 3, 1), None),
    ("c4", "co2", "Analyst", date(2022, 1, 1), None),
]
MEMBER_OF = [("c1", "p1", "sponsor", date(2024, 5, 1)), ("c2", "p1", "engineer", date(2024, 5, 2)),
             ("c4", "p2", "lead", date(2024, 1, 10))]
KNOWS = [("c1", "c3", dt("2023-05-01")), ("c5", "c3", dt("2024-07-01"))]
REFERRED = [("c1", "c4", dt("2024-03-15"), True, None), ("c2", "c1", dt("2023-12-01"), False, "p1")]
TAGS = [
    {"key": "vip", "name": "VIP", "category": "value"},
    {"key": "early", "name": "Early adopter", "category": "value"},
    {"key": "churn-risk", "name": "Churn risk", "category": "risk"},
]
HAS_TAG = [
    {"c": "c1", "t": "vip", "source": "rule", "score": 0.9, "assigned_at": dt("2025-01-01"), "expires_at": None,
     "assigned_by": "engine", "reason": "spend above 300"},
    {"c": "c1", "t": "early", "source": "import", "score": None, "assigned_at": dt("2024-01-01"),
     "expires_at": dt("2025-01-01"), "assigned_by": None, "reason": None},
    {"c": "c1", "t": "churn-risk", "source": "manual", "score": None, "assigned_at": dt("2025-06-01"),
     "expires_at": dt("2025-12-31"), "assigned_by": "am-1", "reason": "fewer visits"},
    {"c": "c2", "t": "vip", "source": "rule", "score": 0.7, "assigned_at": dt("2025-02-01"), "expires_at": None,
     "assigned_by": "engine", "reason": "spend above 300"},
]
INTERACTIONS = [
    ("i1", "c1", "purchase", dt("2025-06-25T10:00"), 100.0),
    ("i2", "c1", "purchase", dt("2025-06-25T15:00"), 50.0),
    ("i3", "c1", "call", dt("2025-05-20T09:00"), None),
    ("i4", "c1", "purchase", dt("2025-02-10T12:00"), 200.0),
    ("i5", "c1", "visit", dt("2024-09-01T08:00"), None),
    ("i6", "c1", "purchase", dt("2024-06-01T12:00"), 30.0),
    ("i7", "c1", "purchase", dt("2025-08-01T12:00"), 999.0),
    ("i8", "c2", "purchase", dt("2025-04-01T12:00"), 500.0),
    ("i9", "c2", "email", dt("2025-06-30T12:00"), None),
    ("i10", "c3", "purchase", dt("2024-12-01T12:00"), 80.0),
    ("i11", "c3", "purchase", dt("2025-01-15T12:00"), 20.0),
    ("i12", "c4", "purchase", dt("2025-06-30T18:00"), 10.0),
    ("i13", "c5", "visit", dt("2025-06-22T12:00"), None),
]


async def build(graph: Graph) -> None:
    """Write the known graph with plain Cypher (no API code involved), one UNWIND per kind."""
    w = graph.write_text
    people = [{**c, "name_lc": c["name"].lower()} for c in CUSTOMERS]
    await w("test/customers", "UNWIND $rows AS row CREATE (c:Customer) SET c = row", {"rows": people})
    await w("test/attr", "CREATE (:AttributeDef {id: 'customer.vip_level', entity: 'customer', key: 'vip_level', "
                         "type: 'int', personal: false})", {})
    firms = [{**co, "name_lc": co["name"].lower()} for co in COMPANIES]
    await w("test/companies", "UNWIND $rows AS row CREATE (c:Company) SET c = row", {"rows": firms})
    await w("test/projects", "UNWIND $rows AS row MATCH (co:Company {id: row.company_id}) "
            "CREATE (co)-[:OWNS]->(p:Project) SET p = row", {"rows": PROJECTS})
    rows = [{"c": c, "co": co, "title": t, "since": s, "until": u} for c, co, t, s, u in WORKS_AT]
    await w("test/works", "UNWIND $rows AS row MATCH (c:Customer {id: row.c}), (co:Company {id: row.co}) "
            "CREATE (c)-[:WORKS_AT {title: row.title, since: row.since, until: row.until}]->(co)", {"rows": rows})
    rows = [{"c": c, "p": p, "role": r, "since": s} for c, p, r, s in MEMBER_OF]
    await w("test/members", "UNWIND $rows AS row MATCH (c:Customer {id: row.c}), (p:Project {id: row.p}) "
            "CREATE (c)-[:MEMBER_OF {role: row.role, since: row.since}]->(p)", {"rows": rows})
    rows = [{"a": a, "b": b, "since": s} for a, b, s in KNOWS]
    await w("test/knows", "UNWIND $rows AS row MATCH (a:Customer {id: row.a}), (b:Customer {id: row.b}) "
            "CREATE (a)-[:KNOWS {since: row.since}]->(b)", {"rows": rows})
    rows = [{"a": a, "b": b, "at": at, "converted": cv, "project": p} for a, b, at, cv, p in REFERRED]
    await w("test/referred", "UNWIND $rows AS row MATCH (a:Customer {id: row.a}), (b:Customer {id: row.b}) "
            "CREATE (a)-[:REFERRED {at: row.at, converted: row.converted, project_id: row.project}]->(b)", {"rows": rows})
    await w("test/tags", "UNWIND $rows AS row CREATE (t:Tag) SET t = row", {"rows": TAGS})
    await w("test/has_tag", "UNWIND $rows AS h MATCH (c:Customer {id: h.c}), (t:Tag {key: h.t}) CREATE (c)-[r:HAS_TAG]->(t) "
            "SET r.source = h.source, r.score = h.score, r.assigned_at = h.assigned_at, "
            "r.expires_at = h.expires_at, r.assigned_by = h.assigned_by, r.reason = h.reason", {"rows": HAS_TAG})
    rows = [{"c": c, "id": i, "type": t, "at": at, "amount": a} for i, c, t, at, a in INTERACTIONS]
    await w("test/interactions", "UNWIND $rows AS row MATCH (c:Customer {id: row.c}) CREATE (c)-[:PERFORMED]->(i:Interaction "
            "{id: row.id, type: row.type, occurred_at: row.at, amount: row.amount, customer_id: row.c})", {"rows": rows})
    await w("test/about", "MATCH (i:Interaction {id: 'i1'}), (p:Project {id: 'p1'}) CREATE (i)-[:ABOUT]->(p) "
            "SET i.project_id = 'p1'", {})


@pytest.fixture
async def known(graph: Graph) -> Graph:
    """The session's graph holding the known graph."""
    await build(graph)
    return graph


async def run(graph: Graph, query: str, variables: dict[str, Any] | None = None,
              config: ApiConfig | None = None) -> dict[str, Any]:
    """Execute through schema.execute with a fresh real Context; return {'data':..., 'errors':[...]} as JSON."""
    result = await SCHEMA.execute(query, variable_values=variables, context_value=Context.build(graph, config))
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
    return out


async def ok(graph: Graph, query: str, variables: dict[str, Any] | None = None, config: ApiConfig | None = None) -> Any:
    """Execute and return data, failing the test on any error."""
    out = await run(graph, query, variables, config)
    assert "errors" not in out, out["errors"]
    return out["data"]


async def test_the_known_graph_loads(known: Graph) -> None:
    data = await ok(known, "{ customer(id: \"c1\") { id name attributes } }")
    assert data == {"customer": {"id": "c1", "name": "Alice Wang", "attributes": {"vip_level": 3}}}
