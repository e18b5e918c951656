"""Mutations: validated upserts, interactions, link/unlink, error codes and fresh reads after writes."""

from __future__ import annotations

from test_api_graph import AS_OF, known, ok, run

from graph.db import Graph

__all__ = ["known"]

UPSERT = """mutation($input: CustomerInput!) { upsertCustomer(input: $input) {
  id name email phone gender city attributes createdAt updatedAt } }"""


async def test_upsert_customer_creates_then_updates_idempotently(graph: Graph) -> None:
    created = (await ok(graph, UPSERT, {"input": {
        "id": "n1", "firstName": "Mei", "lastName": "Lin", "email": " Mei@Example.COM ", "phone": "138 0013 8000",
        "gender": "FEMALE", "city": "Hangzhou", "attributes": {"vip_level": 2, "joined": "2024-05-01"}}}))["upsertCustomer"]
    assert {k: created[k] for k in ("id", "name", "email", "phone", "gender", "city", "attributes")} == {
        "id": "n1", "name": "Mei Lin", "email": "mei@example.com", "phone": "+8613800138000", "gender": "female",
        "city": "Hangzhou", "attributes": {"vip_level": 2, "joined": "2024-05-01"}}
    again = (await ok(graph, UPSERT, {"input": {"id": "n1", "city": "Suzhou"}}))["upsertCustomer"]
    assert again["city"] == "Suzhou" and again["name"] == "Mei Lin" and again["createdAt"] == created["createdAt"]
    cleared = (await ok(graph, UPSERT, {"input": {"id": "n1", "city": None}}))["upsertCustomer"]
    assert cleared["city"] is None
    count = await graph.read_text("t", "MATCH (c:Customer {id: 'n1'}) RETURN count(c) AS n", {})
    assert count == [{"n": 1}]
    defs = await graph.read_text("t", "MATCH (d:AttributeDef {entity: 'customer'}) RETURN d.id AS id, d.type AS type ORDER BY id", {})
    assert defs == [{"id": "customer.joined", "type": "date"}, {"id": "customer.vip_level", "type": "int"}]
    found = await ok(graph, '{ customers(filter: {conditions: [{field: "joined", gte: "2024-01-01"}]}) { totalCount } }')
    assert found == {"customers": {"totalCount": 1}}


async def test_invalid_input_is_bad_user_input_naming_the_field(graph: Graph) -> None:
    cases = [
        ({"id": "n1", "email": "not-an-email"}, "invalid input: email: Value error, email is not a valid address"),
        ({"id": "n1", "gender": "robot"}, "gender must be one of male, female, other, unknown"),
        ({"id": "bad id!"}, "invalid input: id: String should match pattern"),
        ({"id": "n1", "phone": "12"}, "phone is not a valid phone number"),
        ({"id": "n1", "attributes": {"bad key": 1}}, "attribute key 'bad key' is not a valid identifier"),
        ({"id": "n1", "attributes": {"city": "x"}}, "attribute key 'city' is a standard customer field"),
    ]
    for data, message in cases:
        out = await run(graph, UPSERT, {"input": data})
        [error] = out["errors"]
        assert message in error["message"] and error["extensions"] == {"code": "BAD_USER_INPUT"}, error
    assert await graph.read_text("t", "MATCH (c:Customer) RETURN count(c) AS n", {}) == [{"n": 0}]


async def test_company_project_and_interaction(graph: Graph) -> None:
    co = await ok(graph, """mutation { upsertCompany(input: {id: "k1", name: "Initech", employeeCount: 40, city: "Wuhan"}) {
      id name employeeCount city } }""")
    assert co == {"upsertCompany": {"id": "k1", "name": "Initech", "employeeCount": 40, "city": "Wuhan"}}
    pr = await ok(graph, """mutation { upsertProject(input: {id: "q1", companyId: "k1", name: "ERP", stage: "Lead", value: 10.5}) {
      id stage value company { id } } }""")
    assert pr == {"upsertProject": {"id": "q1", "stage": "lead", "value": 10.5, "company": {"id": "k1"}}}
    out = await run(graph, 'mutation { upsertProject(input: {id: "q2", companyId: "nope"}) { id } }')
    assert out["errors"][0]["message"] == "company 'nope' not found"
    assert out["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
    out = await run(graph, 'mutation { upsertProject(input: {id: "q2", companyId: "k1", stage: "maybe"}) { id } }')
    assert out["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    await ok(graph, UPSERT, {"input": {"id": "n1", "name": "Mei"}})
    record = """mutation($i: InteractionInput!) { recordInteraction(input: $i) { created interaction {
      id type amount occurredAt project { id } customer { id } } } }"""
    i = {"id": "x1", "customerId": "n1", "type": "Purchase", "occurredAt": "2025-06-01T08:00:00+08:00", "amount": 12.5,
         "projectId": "q1"}
    first = (await ok(graph, record, {"i": i}))["recordInteraction"]
    assert first == {"created": True, "interaction": {"id": "x1", "type": "purchase", "amount": 12.5,
                     "occurredAt": "2025-06-01T00:00:00+00:00", "project": {"id": "q1"}, "customer": {"id": "n1"}}}
    again = (await ok(graph, record, {"i": i}))["recordInteraction"]
    assert again["created"] is False and again["interaction"]["id"] == "x1"
    out = await run(graph, 'mutation { upsertCustomer(input: {id: "n2"}) { id } }')
    assert "errors" not in out
    out = await run(graph, record, {"i": {**i, "customerId": "n2"}})
    assert out["errors"][0]["extensions"] == {"code": "CONFLICT"}
    assert out["errors"][0]["message"] == "interaction 'x1' already exists for another customer"
    out = await run(graph, record, {"i": {**i, "id": "x2", "customerId": "ghost"}})
    assert out["errors"][0]["message"] == "customer 'ghost' not found"
    out = await run(graph, record, {"i": {**i, "id": "x3", "occurredAt": "2025-06-01T08:00:00"}})
    assert "occurredAt must carry a time zone offset" in out["errors"][0]["message"]


async def test_link_and_unlink_relationships(known: Graph) -> None:
    q = """mutation { linkEmployment(customerId: "c5", companyId: "co2", title: "Intern", since: "2025-06-01") {
      company { id } employments { companyId title since } } }"""
    assert (await ok(known, q))["linkEmployment"] == {
        "company": {"id": "co2"}, "employments": [{"companyId": "co2", "title": "Intern", "since": "2025-06-01"}]}
    q = 'mutation { linkMembership(customerId: "c5", projectId: "p2", role: "observer") { projects { projectId role } } }'
    assert (await ok(known, q))["linkMembership"] == {"projects": [{"projectId": "p2", "role": "observer"}]}
    q = """mutation { linkKnows(customerId: "c3", otherId: "c5", since: "2020-01-01T00:00:00Z") {
      connections(kinds: [KNOWS]) { edges { node { customerId since } } } } }"""
    # c5-c3 already existed (stored c5->c3): the undirected MERGE updates it instead of adding a second one
    assert (await ok(known, q))["linkKnows"]["connections"]["edges"] == [
        {"node": {"customerId": "c1", "since": "2023-05-01T00:00:00+00:00"}},
        {"node": {"customerId": "c5", "since": "2020-01-01T00:00:00+00:00"}},
    ]
    q = """mutation { linkReferral(referrerId: "c5", referredId: "c6", at: "2025-06-30T00:00:00Z", converted: true) {
      portrait(asOf: "2025-07-01T00:00:00Z") { relationships { referralsMade { total converted } } } } }"""
    assert (await ok(known, q))["linkReferral"]["portrait"]["relationships"]["referralsMade"] == {"total": 1, "converted": 1}
    q = 'mutation { unlinkKnows(customerId: "c3", otherId: "c5") { connections(kinds: [KNOWS]) { totalCount } } }'
    assert (await ok(known, q))["unlinkKnows"]["connections"]["totalCount"] == 1
    for m in ['unlinkEmployment(customerId: "c5", companyId: "co2")', 'unlinkMembership(customerId: "c5", projectId: "p2")',
              'unlinkReferral(referrerId: "c5", referredId: "c6")']:
        assert (await ok(known, f"mutation {{ {m} {{ id }} }}")) is not None
    out = await run(known, 'mutation { unlinkEmployment(customerId: "c5", companyId: "co2") { id } }')
    assert out["errors"][0] == {**out["errors"][0], "message": "employment of customer 'c5' at company 'co2' not found",
                                "extensions": {"code": "NOT_FOUND"}}
    out = await run(known, 'mutation { linkEmployment(customerId: "c5", companyId: "zz") { id } }')
    assert out["errors"][0]["message"] == "company 'zz' not found"
    out = await run(known, 'mutation { linkKnows(customerId: "c5", otherId: "c5") { id } }')
    assert out["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    out = await run(known, 'mutation { linkEmployment(customerId: "c5", companyId: "co1", since: "2025-01-01", until: "2024-01-01") { id } }')
    assert out["errors"][0]["message"] == "until must not be before since"


async def test_reads_after_a_write_in_the_same_request_are_fresh(known: Graph) -> None:
    q = """mutation { before: upsertCustomer(input: {id: "c1"}) { company { id } }
      link: linkEmployment(customerId: "c1", companyId: "co2", title: "Advisor", since: "2025-01-01") { company { id } }
      after: upsertCustomer(input: {id: "c1", city: "Hangzhou"}) { city company { id } } }"""
    data = await ok(known, q)
    assert data == {"before": {"company": {"id": "co1"}}, "link": {"company": {"id": "co2"}},
                    "after": {"city": "Hangzhou", "company": {"id": "co2"}}}


async def test_recording_a_purchase_refreshes_rfm(known: Graph) -> None:
    q = 'query($a: DateTime) { customer(id: "c5") { portrait(asOf: $a) { rfm { frequency recencyScore population } } } }'
    from resolvers.context import ApiConfig

    config = ApiConfig()
    assert (await ok(known, q, {"a": AS_OF}, config))["customer"]["portrait"]["rfm"]["population"] == 4
    m = """mutation { recordInteraction(input: {id: "z1", customerId: "c5", type: "purchase",
      occurredAt: "2025-06-29T00:00:00Z", amount: 5}) { created } }"""
    assert (await ok(known, m, None, config)) == {"recordInteraction": {"created": True}}
    rfm = (await ok(known, q, {"a": AS_OF}, config))["customer"]["portrait"]["rfm"]
    assert rfm == {"frequency": 1, "recencyScore": 4, "population": 5}
