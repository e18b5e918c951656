"""A bounded schemathesis run over every GraphQL query and mutation: no 5xx, every error carries a code,
no unexpected (masked) internal error, and nothing that looks like a stack trace reaches the client.

Examples are generated first (deterministic: derandomized Hypothesis, no example database), then sent
through the real app with its lifespan, security middleware and the session's embedded server.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from graphql import NameNode, ObjectFieldNode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.db import Graph
from main import Settings, create_app
from schema.app import export_sdl

BUDGET = 200  # documents in all, shared evenly by the operations (at least 2 each)
# Fuzzing found two unexpected internal errors, both fixed: previewRule with entity "" (a KeyError in
# graph/rules/parser.py) and createSegment with a rule/params that is not an object (a pydantic
# ValidationError escaping resolvers/segments.py); both now answer BAD_USER_INPUT. Still open, listed
# until their owner fixes it (masked correctly, so no leak): mineValueGroups on a graph of two
# customers fails inside scikit-learn (graph/mining/value_groups.py) instead of saying too few.
KNOWN_INTERNAL: set[str] = {"Mutation.mineValueGroups"}
TRACE = re.compile(r"Traceback|File \"|\bline \d+, in\b|neo4j\.exceptions|CypherSyntaxError|pydantic_core|\.py\b")


def _json_scalar() -> st.SearchStrategy[Any]:
    """GraphQL literals for the JSON scalar: strings, numbers, booleans, and small objects of them."""
    nodes = schemathesis.graphql.nodes
    leaf = st.one_of(st.text(max_size=20).map(nodes.String), st.integers(-10**6, 10**6).map(nodes.Int),
                     st.booleans().map(nodes.Boolean), st.just(nodes.Null))
    field = st.tuples(st.sampled_from(["op", "attr", "value", "tag", "and", "or", "not", "field"]), leaf).map(
        lambda kv: ObjectFieldNode(name=NameNode(value=kv[0]), value=kv[1]))
    return st.one_of(leaf, st.lists(field, max_size=3, unique_by=lambda f: f.name.value).map(nodes.Object))


def generate_cases() -> list[tuple[str, str]]:
    """Return (operation label, GraphQL document) pairs, BUDGET shared by the query and mutation fields."""
    schemathesis.graphql.scalar("JSON", _json_scalar())
    schema = schemathesis.graphql.from_dict(_introspection())
    out: list[tuple[str, str]] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    per_operation = max(2, BUDGET // len(operations))
    for operation in operations:
        found: list[str] = []

        @settings(max_examples=per_operation, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(operation.as_strategy())
        def collect(case: Any) -> None:
            found.append(str(case.body))  # noqa: B023 -- collect() runs at once, inside this iteration

        collect()
        out.extend((operation.label, body) for body in dict.fromkeys(found))
    return out


def _introspection() -> dict[str, Any]:
    from graphql import build_schema, get_introspection_query, graphql_sync

    result = graphql_sync(build_schema(export_sdl()), get_introspection_query())
    assert result.errors is None
    return {"data": result.data}


async def seed(graph: Graph) -> None:
    await graph.write_text("tests/fuzz-seed", """
        CREATE (c:Customer {id: 'c-1', name: 'Ada', name_lc: 'ada', email: 'ada@example.com', phone: '+8613812345678'})
        CREATE (d:Customer {id: 'c-2', name: 'Bo', name_lc: 'bo'})
        CREATE (co:Company {id: 'co-1', name: 'Acme', name_lc: 'acme'})
        CREATE (p:Project {id: 'p-1', name: 'ERP', company_id: 'co-1', stage: 'won'})
        CREATE (co)-[:OWNS]->(p), (c)-[:WORKS_AT {title: 'CFO'}]->(co), (c)-[:KNOWS]->(d)
        """, {})


def problems(label: str, body: str, response: httpx.Response) -> list[str]:
    """Return what is wrong with one response (empty when it is fine)."""
    found: list[str] = []
    if response.status_code >= 500 and response.status_code != 503:
        found.append(f"HTTP {response.status_code}")
    try:
        payload = response.json()
    except json.JSONDecodeError:
        return [*found, f"non-JSON response {response.text[:200]!r}"]
    for error in payload.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if not code:
            found.append(f"error without extensions.code: {error.get('message')!r}")
        if code == "INTERNAL_SERVER_ERROR" and label not in KNOWN_INTERNAL:
            found.append(f"unexpected internal error at {error.get('path')}")
        if TRACE.search(json.dumps(error)):
            found.append(f"error leaks internals: {json.dumps(error)[:300]}")
    return [f"{label}: {p}\n{body}" for p in found]


async def test_fuzz_every_operation(graph: Graph, db_dir: Path, tmp_path: Path) -> None:
    await seed(graph)
    cases = generate_cases()
    assert 100 <= len(cases) <= 2 * BUDGET
    app = create_app(Settings(data_dir=db_dir))  # loopback: the keyless development admin, not rate limited
    found: list[str] = []
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                     base_url="http://t", timeout=60) as client:
            for label, body in cases:
                response = await client.post("/graphql", json={"query": body})
                found.extend(problems(label, body, response))
    assert found == [], "\n\n".join(found)
