"""Query limits, error codes and masking, and database round trips that do not grow with the list."""

from __future__ import annotations

import logging

import neo4j
import pytest
from test_api_graph import known, ok, run

from graph.connection import Connection
from graph.db import Graph
from resolvers.context import Context
from schema.app import build_schema

__all__ = ["known"]


class Limits:
    max_depth = 4
    max_aliases = 3
    max_tokens = 60


SMALL = build_schema(Limits())


async def small(graph: Graph, query: str) -> list[dict[str, object]]:
    result = await SMALL.execute(query, context_value=Context.build(graph))
    assert result.data is None
    return [e.formatted for e in result.errors or []]


async def test_depth_limit_names_the_limit(graph: Graph) -> None:
    errors = await small(graph, '{ customer(id: "a") { company { employees { customer { company { id } } } } } }')
    assert errors == [{"message": "query depth 6 exceeds the limit max_depth=4",
                       "extensions": {"code": "BAD_USER_INPUT", "limit": "max_depth"}}]


async def test_depth_counts_through_fragments_and_ignores_introspection(graph: Graph) -> None:
    q = "fragment F on Company { employees { customer { company { id } } } } { customer(id: \"a\") { company { ...F } } }"
    assert (await small(graph, q))[0]["message"] == "query depth 6 exceeds the limit max_depth=4"
    result = await SMALL.execute("{ __schema { types { fields { type { ofType { ofType { name } } } } } } }",
                                 context_value=Context.build(graph))
    assert result.errors is None


async def test_alias_limit_counts_fragment_expansions(graph: Graph) -> None:
    q = "fragment F on Customer { a: id b: name } { x: customer(id: \"1\") { ...F } y: customer(id: \"2\") { ...F } }"
    errors = await small(graph, q)
    assert errors[0]["message"] == "query uses 6 aliases (fragments expanded), above the limit max_aliases=3"
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "limit": "max_aliases"}


async def test_token_limit(graph: Graph) -> None:
    q = "{ " + " ".join(f'c{i}: customer(id: "{i}") {{ id }}' for i in range(3)) + " customers { totalCount } " * 20 + "}"
    errors = await small(graph, q)
    assert errors[0]["message"] == "query exceeds the token limit max_tokens=60"
    assert errors[0]["extensions"] == {"code": "BAD_USER_INPUT", "limit": "max_tokens"}


async def test_syntax_and_validation_errors_are_bad_user_input(graph: Graph) -> None:
    for q, message in [("{ customer(id: ", "Syntax Error"), ("{ nope }", "Cannot query field 'nope' on type 'Query'.")]:
        out = await run(graph, q)
        assert message in out["errors"][0]["message"] and out["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_unexpected_errors_are_masked_and_logged_in_full(connection: Connection, caplog: pytest.LogCaptureFixture) -> None:
    broken = Graph(connection.driver, "no_such_database")
    with caplog.at_level(logging.ERROR, logger="schema.errors"):
        out = await run(broken, '{ customer(id: "c1") { id } }')
    assert out == {"data": {"customer": None}, "errors": [{
        "message": "Internal server error", "locations": [{"line": 1, "column": 3}], "path": ["customer"],
        "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}
    [record] = caplog.records
    assert record.getMessage() == "unexpected error in operation None at ['customer']"
    assert record.exc_info is not None and "no_such_database" in str(record.exc_info[1])


async def test_unreachable_database_is_service_unavailable() -> None:
    driver = neo4j.AsyncGraphDatabase.driver("bolt://127.0.0.1:9", auth=("x", "y"), connection_acquisition_timeout=2,
                                         max_transaction_retry_time=0.5)
    try:
        out = await run(Graph(driver, "crm", timeout=2), '{ customer(id: "c1") { id } }')
    finally:
        await driver.close()
    assert out["errors"][0]["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
    assert out["errors"][0]["message"] == "the graph database is unavailable; try again shortly"


NESTED = """{ customers(first: 50, sort: [{field: "name"}]) { totalCount edges { node {
  id company { name employees { customerId } projects { id } } employments { title company { id } }
  projects { role project { name members { customerId } } }
  interactions(first: 3) { totalCount edges { node { type project { id } } } }
  connections(first: 5) { totalCount edges { node { kind customer { name } } } }
  portrait(asOf: "2025-07-01T00:00:00Z") { rfm { recencyScore } lifecycleStage relationships { knowsCount } }
  tags { key category }
} } } }"""


async def populate(graph: Graph, start: int, n: int) -> None:
    rows = [{"id": f"r{i:03}", "name": f"Person {i:03}", "prev": f"r{i - 1:03}" if i else None} for i in range(start, n)]
    await graph.write_text("test/pop", """
        MERGE (co:Company {id: 'rco', name: 'Hub'}) MERGE (co)-[:OWNS]->(p:Project {id: 'rp', name: 'Deal', company_id: 'rco'})
        WITH co, p UNWIND $rows AS row
        CREATE (c:Customer {id: row.id, name: row.name, name_lc: toLower(row.name)})
        CREATE (c)-[:WORKS_AT {title: 'Staff', since: date('2020-01-01')}]->(co)
        CREATE (c)-[:MEMBER_OF {role: 'member'}]->(p)
        MERGE (t:Tag {key: 'rvip', name: 'VIP', category: 'value'})
        CREATE (c)-[:HAS_TAG {source: 'manual', assigned_at: datetime('2025-01-01T00:00:00Z')}]->(t)
        CREATE (c)-[:PERFORMED]->(:Interaction {id: row.id + '-i', type: 'purchase', amount: 1.0,
                                                occurred_at: datetime('2025-06-01T00:00:00Z'), customer_id: row.id})
        """, {"rows": rows})
    await graph.write_text("test/knows", """UNWIND $rows AS row WITH row WHERE row.prev IS NOT NULL
        MATCH (a:Customer {id: row.id}), (b:Customer {id: row.prev}) CREATE (a)-[:KNOWS {since: datetime('2024-01-01T00:00:00Z')}]->(b)""",
                           {"rows": rows})


async def test_round_trips_do_not_grow_with_the_number_of_customers(graph: Graph) -> None:
    trips = []
    for start, n in [(0, 3), (3, 12), (12, 40)]:
        await populate(graph, start, n)
        counting = graph.counting()
        data = await ok(counting, NESTED)
        assert data["customers"]["totalCount"] == n and len(data["customers"]["edges"]) == n
        assert all(e["node"]["tags"] == [{"key": "rvip", "category": "value"}] for e in data["customers"]["edges"])
        assert counting.stats is not None
        trips.append(sorted(counting.stats.names))
    # one query per list, per DataLoader and per nested page, whatever the number of customers
    assert trips[0] == trips[1] == trips[2]
    assert len(trips[0]) == 10, trips[0]
    # the page and its employers, projects and tags in one query
    assert trips[0].count("list/customer_neighbourhoods") == 1 and "customer/get_neighbourhoods" not in trips[0]


LIST = """{ customers(first: 2) { edges { node { id name company { id name } tags { key category } } } } }"""


async def test_a_customers_page_with_employers_and_tags_is_one_query_after_the_id_probe(graph: Graph) -> None:
    await populate(graph, 0, 3)
    counting = graph.counting()
    data = await ok(counting, LIST)
    assert data == {"customers": {"edges": [
        {"node": {"id": f"r00{i}", "name": f"Person 00{i}", "company": {"id": "rco", "name": "Hub"},
                  "tags": [{"key": "rvip", "category": "value"}]}} for i in range(2)]}}
    # The id probe bounds the page (graph/lists.py); employers and tags come with the page itself.
    assert counting.stats is not None and counting.stats.names == ["list/customer_bound", "list/customer_neighbourhoods"]


async def test_a_list_reads_only_the_neighbourhood_parts_it_asks_for(graph: Graph) -> None:
    await populate(graph, 0, 3)
    counting = graph.counting()
    # The list asks for tags only: its query returns no memberships, and the projects asked for elsewhere
    # in the same request are read for themselves, not taken from the list's empty column.
    data = await ok(counting, """{ customers(first: 2) { edges { node { id tags { key } } } }
      one: customer(id: "r001") { projects { role } } }""")
    assert data["customers"]["edges"] == [{"node": {"id": f"r00{i}", "tags": [{"key": "rvip"}]}} for i in range(2)]
    assert data["one"] == {"projects": [{"role": "member"}]}
    assert counting.stats is not None
    assert counting.stats.names.count("list/customer_neighbourhoods") == 1


DETAIL = """query($id: ID!) { customer(id: $id) { id name company { id name } employments { title }
  projects { role } tags { key category } } }"""


async def test_a_customer_with_employer_projects_and_tags_is_one_round_trip(graph: Graph) -> None:
    await populate(graph, 0, 3)
    counting = graph.counting()
    data = await ok(counting, DETAIL, {"id": "r001"})
    assert data == {"customer": {"id": "r001", "name": "Person 001", "company": {"id": "rco", "name": "Hub"},
                                 "employments": [{"title": "Staff"}], "projects": [{"role": "member"}],
                                 "tags": [{"key": "rvip", "category": "value"}]}}
    assert counting.stats is not None and counting.stats.names == ["customer/get_neighbourhoods"]
    counting = graph.counting()
    assert await ok(counting, DETAIL, {"id": "nobody"}) == {"customer": None}
    assert counting.stats is not None and counting.stats.names == ["customer/get_neighbourhoods"]
