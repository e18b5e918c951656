"""Roles through GraphQL with a real Context: what each role may run, masking, scope, and the audit of writes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph import audit
from graph.auth import DEV_ADMIN, Principal, scopes_for
from graph.db import Graph
from graph.masking import mark_personal
from resolvers.context import Context
from schema.app import Schema, build_schema


def schema_with_access_control() -> Schema:
    """The app's schema; until main wiring lands, composed here with the privacy roots and AccessControl."""
    from strawberry.tools import merge_types

    from resolvers.auth_guard import AccessControl
    from resolvers.auth_privacy import PrivacyMutations, PrivacyQueries
    from schema.errors import ErrorCodes
    from schema.limits import limit_extensions
    from schema.mutation import MUTATIONS
    from schema.query import QUERIES

    built = build_schema()
    if any(getattr(e, "__name__", "") == "AccessControl" for e in built.extensions):
        return built
    return Schema(query=merge_types("Query", (*QUERIES, PrivacyQueries)),
                  mutation=merge_types("Mutation", (*MUTATIONS, PrivacyMutations)),
                  extensions=[*limit_extensions(10, 30, 2000), AccessControl, lambda: ErrorCodes(2000)])


SCHEMA = schema_with_access_control()

ADMIN = DEV_ADMIN
ANALYST = Principal(id="key:an", role="analyst", scopes=scopes_for("analyst"))
SERVICE_READ = Principal(id="key:svc-r", role="service", scopes=scopes_for("service", "read"))
SERVICE_WRITE = Principal(id="key:svc-w", role="service", scopes=scopes_for("service", "write"))
MANAGER = Principal(id="key:am", role="account_manager", scopes=scopes_for("account_manager"), user_id="u-li",
                    company_ids=("co-1",))


async def run(graph: Graph, principal: Principal, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    context = Context.build(graph, principal=principal)  # the Context limits the graph to the principal's scope
    result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [{"message": e.message, "code": (e.extensions or {}).get("code"), "path": e.path}
                         for e in result.errors]
    return out


async def build(graph: Graph) -> None:
    await mark_personal(graph, "customer", "wechat_id")
    await mark_personal(graph, "customer", "vip_level", personal=False)  # registered, not personal
    await graph.write_text("tests/roles", """
        CREATE (a:Company {id: 'co-1', name: 'Acme', name_lc: 'acme'}), (b:Company {id: 'co-2', name: 'Bolt', name_lc: 'bolt'})
        CREATE (a)-[:OWNS]->(:Project {id: 'p-1', name: 'ERP', company_id: 'co-1'})
        CREATE (b)-[:OWNS]->(:Project {id: 'p-2', name: 'CRM', company_id: 'co-2'})
        CREATE (ada:Customer {id: 'c-1', name: 'Ada', name_lc: 'ada', phone: '+8613812345678', email: 'ada@example.com',
                              birth_date: date('1988-04-01'), wechat_id: 'wx_ada', vip_level: 2})-[:WORKS_AT]->(a)
        CREATE (bo:Customer {id: 'c-2', name: 'Adam', name_lc: 'adam', email: 'adam@example.com'})-[:WORKS_AT]->(b)
        CREATE (ada)-[:KNOWS]->(bo)
        """, {})


CUSTOMER = '{ customer(id: "c-1") { id name phone email birthDate attributes vip: attribute(key: "vip_level") wx: attribute(key: "wechat_id") } }'


async def test_personal_fields_masked_for_analysts_only(graph: Graph) -> None:
    await build(graph)
    analyst = await run(graph, ANALYST, CUSTOMER)
    assert analyst == {"data": {"customer": {
        "id": "c-1", "name": "Ada", "phone": "+86138****5678", "email": "a***@example.com", "birthDate": None,
        "attributes": {"vip_level": 2, "wechat_id": "***"}, "vip": 2, "wx": "***"}}}
    for principal in (ADMIN, SERVICE_READ):
        shown = await run(graph, principal, CUSTOMER)
        assert shown["data"]["customer"]["phone"] == "+8613812345678"
        assert shown["data"]["customer"]["birthDate"] == date(1988, 4, 1).isoformat()
        assert shown["data"]["customer"]["wx"] == "wx_ada"


UPSERT = 'mutation { upsertCustomer(input: {id: "c-9", name: "Neo"}) { id name } }'


@pytest.mark.parametrize(("principal", "message"), [
    (ANALYST, "a analyst key is read-only: upsertCustomer is a mutation"),
    (SERVICE_READ, "a service key is read-only: upsertCustomer is a mutation"),
])
async def test_read_only_roles_cannot_mutate(graph: Graph, principal: Principal, message: str) -> None:
    assert await run(graph, principal, UPSERT) == {
        "data": None, "errors": [{"message": message, "code": "FORBIDDEN", "path": ["upsertCustomer"]}]}
    assert await graph.read_text("tests/none", "MATCH (c:Customer {id: 'c-9'}) RETURN count(c) AS n", {}) == [{"n": 0}]


async def test_writers_mutate_and_every_mutation_is_audited(graph: Graph) -> None:
    assert await run(graph, SERVICE_WRITE, UPSERT) == {"data": {"upsertCustomer": {"id": "c-9", "name": "Neo"}}}
    await run(graph, ANALYST, UPSERT)
    entries = await audit.list_entries(graph)
    assert [(e.actor, e.action, e.targets, e.outcome) for e in entries] == [
        ("key:svc-w", "mutation.upsertCustomer", ["c-9"], "ok")]
    # Refusals by role are not audited as operations (nothing ran); refusals by scope are, below.


async def test_admin_only_and_cypher_fields(graph: Graph) -> None:
    await build(graph)
    refused = await run(graph, SERVICE_WRITE, '{ runCypher(query: "MATCH (c:Customer) RETURN c.email AS e") { rows } }')
    assert refused["errors"] == [{"message": "runCypher is for analysts and admins only", "code": "FORBIDDEN",
                                  "path": ["runCypher"]}]
    rows = await run(graph, ANALYST, '{ runCypher(query: "MATCH (c:Customer) RETURN c.email AS e, c.name AS n ORDER BY n") { rows } }')
    assert rows == {"data": {"runCypher": {"rows": [{"e": "a***@example.com", "n": "Ada"},
                                                    {"e": "a***@example.com", "n": "Adam"}]}}}
    entry = (await audit.list_entries(graph, action="cypher."))[0]
    assert (entry.actor, entry.action, entry.rows, entry.outcome) == ("key:an", "cypher.runCypher", 2, "ok")
    erase = await run(graph, MANAGER, 'mutation { eraseCustomer(customerId: "c-1") { erasedAs } }')
    assert erase["errors"] == [{"message": "eraseCustomer is for admins only", "code": "FORBIDDEN",
                                "path": ["eraseCustomer"]}]


async def test_account_manager_writes_only_inside_their_accounts(graph: Graph) -> None:
    await build(graph)
    inside = await run(graph, MANAGER, 'mutation { upsertCustomer(input: {id: "c-1", city: "上海"}) { id } }')
    assert inside == {"data": {"upsertCustomer": {"id": "c-1"}}}
    outside = await run(graph, MANAGER, 'mutation { upsertCustomer(input: {id: "c-2", city: "上海"}) { id } }')
    assert outside == {"data": None, "errors": [{"message": "outside your accounts: c-2", "code": "FORBIDDEN",
                                                 "path": ["upsertCustomer"]}]}
    tags = await run(graph, MANAGER, 'mutation { refreshTags { id } }')
    assert tags == {"data": None, "errors": [{"message": "refreshTags is not available to account managers",
                                              "code": "FORBIDDEN", "path": ["refreshTags"]}]}
    entries = await audit.list_entries(graph, actor="key:am")
    assert [(e.action, e.targets, e.outcome) for e in entries] == [
        ("mutation.upsertCustomer", ["c-2"], "error:FORBIDDEN"), ("mutation.upsertCustomer", ["c-1"], "ok")]


SCOPED_READS = """{
  inside: customer(id: "c-1") { id name }
  outside: customer(id: "c-2") { id name }
  co1: company(id: "co-1") { id }
  co2: company(id: "co-2") { id }
  p1: project(id: "p-1") { id }
  p2: project(id: "p-2") { id }
  search(text: "a") { customers { id } companies { id } }
  customers { totalCount edges { node { id } } }
  companies { totalCount edges { node { id } } }
  projects { totalCount edges { node { id } } }
}"""


async def test_account_manager_reads_only_their_accounts_including_counts(graph: Graph) -> None:
    await build(graph)
    assert await run(graph, MANAGER, SCOPED_READS) == {"data": {
        "inside": {"id": "c-1", "name": "Ada"}, "outside": None,
        "co1": {"id": "co-1"}, "co2": None, "p1": {"id": "p-1"}, "p2": None,
        "search": {"customers": [{"id": "c-1"}], "companies": [{"id": "co-1"}]},
        "customers": {"totalCount": 1, "edges": [{"node": {"id": "c-1"}}]},
        "companies": {"totalCount": 1, "edges": [{"node": {"id": "co-1"}}]},
        "projects": {"totalCount": 1, "edges": [{"node": {"id": "p-1"}}]},
    }}
    everything = await run(graph, ADMIN, SCOPED_READS)
    assert everything["data"]["customers"]["totalCount"] == 2 and everything["data"]["outside"] == {"id": "c-2", "name": "Adam"}
    assert everything["data"]["search"] == {"customers": [{"id": "c-1"}, {"id": "c-2"}], "companies": [{"id": "co-1"}]}


async def test_account_manager_paths_and_networks_stay_inside_their_accounts(graph: Graph) -> None:
    await build(graph)  # c-1 KNOWS c-2, who works at co-2 outside the manager's accounts
    path = '{ relationshipPath(fromId: "c-1", toId: "c-2") { length } }'
    assert await run(graph, MANAGER, path) == {"data": {"relationshipPath": None}}
    assert await run(graph, ADMIN, path) == {"data": {"relationshipPath": {"length": 1}}}
    network = '{ customer(id: "c-1") { network { nodes { id kind } edges { source target kind } } } }'
    assert await run(graph, MANAGER, network) == {"data": {"customer": {"network": {
        "nodes": [{"id": "c-1", "kind": "CUSTOMER"}, {"id": "co-1", "kind": "COMPANY"}],
        "edges": [{"source": "c-1", "target": "co-1", "kind": "WORKS_AT"}]}}}}
    # Analysts' free-form Cypher cannot be limited to their companies: still refused (see docs/security.md).
    cypher = await run(graph, MANAGER, '{ runCypher(query: "MATCH (c:Customer) RETURN count(c) AS n") { rows } }')
    assert cypher["errors"] == [{"message": "runCypher is for analysts and admins only", "code": "FORBIDDEN",
                                 "path": ["runCypher"]}]


LIST_WITH_NEIGHBOURHOOD = """{ customers { edges { node { id company { id } employments { companyId } projects { projectId } } } }
  one: customer(id: "c-1") { id company { id } employments { companyId } projects { projectId } } }"""


async def test_a_managers_customer_page_shows_only_their_employers_and_projects(graph: Graph) -> None:
    await build(graph)  # the page and its neighbourhood are one query: the scope must hold on both
    await graph.write_text("test/outside", """MATCH (ada:Customer {id: 'c-1'}), (b:Company {id: 'co-2'})
        MATCH (p1:Project {id: 'p-1'}), (p2:Project {id: 'p-2'})
        CREATE (ada)-[:WORKS_AT {since: date('2015-01-01'), until: date('2019-01-01')}]->(b)
        CREATE (ada)-[:MEMBER_OF {role: 'lead'}]->(p1), (ada)-[:MEMBER_OF {role: 'member'}]->(p2)""", {})
    ada = {"id": "c-1", "company": {"id": "co-1"}, "employments": [{"companyId": "co-1"}], "projects": [{"projectId": "p-1"}]}
    assert await run(graph, MANAGER, LIST_WITH_NEIGHBOURHOOD) == {"data": {
        "customers": {"edges": [{"node": ada}]}, "one": ada}}
    everything = (await run(graph, ADMIN, LIST_WITH_NEIGHBOURHOOD))["data"]
    assert everything["customers"]["edges"][0]["node"] == everything["one"] == {
        "id": "c-1", "company": {"id": "co-1"}, "employments": [{"companyId": "co-1"}, {"companyId": "co-2"}],
        "projects": [{"projectId": "p-1"}, {"projectId": "p-2"}]}
