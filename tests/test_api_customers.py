"""Customers, companies, projects, interactions and tags through schema.execute on the known graph."""

from __future__ import annotations

from typing import Any

from test_api_graph import known, ok, run

from graph.db import Graph

__all__ = ["known"]

CUSTOMER_FIELDS = """
  id name firstName lastName gender birthDate phone email country city occupation sourceChannel createdAt
  attributes vip: attribute(key: "vip_level") missing: attribute(key: "nope")
"""


async def test_customer_has_every_stored_field(known: Graph) -> None:
    data = await ok(known, f'{{ customer(id: "c1") {{ {CUSTOMER_FIELDS} }} }}')
    assert data == {"customer": {
        "id": "c1", "name": "Alice Wang", "firstName": "Alice", "lastName": "Wang", "gender": "female",
        "birthDate": "1990-05-17", "phone": "+8613800000001", "email": "alice@example.com", "country": "CN",
        "city": "Shanghai", "occupation": None, "sourceChannel": None, "createdAt": "2024-01-01T00:00:00+00:00",
        "attributes": {"vip_level": 3}, "vip": 3, "missing": None,
    }}


async def test_absent_entities_are_null_without_error(known: Graph) -> None:
    data = await ok(known, '{ customer(id: "nope") { id } company(id: "x") { id } project(id: "x") { id } tag(key: "x") { key } }')
    assert data == {"customer": None, "company": None, "project": None, "tag": None}


async def test_nested_customer_fields(known: Graph) -> None:
    q = """{ customer(id: "c3") {
      company { id name employeeCount }
      employments { companyId title since until current }
      projects { role project { id } }
      interactions { totalCount edges { node { id type amount occurredAt project { id } customer { id } } } }
    } }"""
    data = await ok(known, q)
    assert data["customer"] == {
        "company": {"id": "co2", "name": "Globex", "employeeCount": 50},
        "employments": [
            {"companyId": "co2", "title": "Manager", "since": "2020-03-01", "until": None, "current": True},
            {"companyId": "co1", "title": "Analyst", "since": "2015-01-01", "until": "2019-12-31", "current": False},
        ],
        "projects": [],
        "interactions": {"totalCount": 2, "edges": [
            {"node": {"id": "i11", "type": "purchase", "amount": 20.0, "occurredAt": "2025-01-15T12:00:00+00:00",
                      "project": None, "customer": {"id": "c3"}}},
            {"node": {"id": "i10", "type": "purchase", "amount": 80.0, "occurredAt": "2024-12-01T12:00:00+00:00",
                      "project": None, "customer": {"id": "c3"}}},
        ]},
    }


async def test_customer_interactions_filter_and_pages(known: Graph) -> None:
    q = """query($after: String) { customer(id: "c1") {
      interactions(filter: {type: "purchase", occurredFrom: "2025-01-01T00:00:00Z"}, first: 2, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } }
      } } }"""
    first = (await ok(known, q))["customer"]["interactions"]
    assert [e["node"]["id"] for e in first["edges"]] == ["i7", "i2"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"] is True
    second = (await ok(known, q, {"after": first["pageInfo"]["endCursor"]}))["customer"]["interactions"]
    assert [e["node"]["id"] for e in second["edges"]] == ["i1", "i4"]
    assert second["pageInfo"]["hasNextPage"] is False and second["pageInfo"]["hasPreviousPage"] is True


async def test_company_and_project_nested(known: Graph) -> None:
    q = """{ company(id: "co1") {
      id name industry city attributes
      employees { customer { id } title current }
      current: employees(currentOnly: true) { customerId }
      projects { id name stage value company { id } members { customerId role since customer { name } } }
    } project(id: "p2") { id companyId members { customerId role } } }"""
    data = await ok(known, q)
    assert data == {
        "company": {
            "id": "co1", "name": "Acme", "industry": "software", "city": "Shanghai", "attributes": {},
            "employees": [
                {"customer": {"id": "c1"}, "title": "CTO", "current": True},
                {"customer": {"id": "c2"}, "title": "Engineer", "current": True},
                {"customer": {"id": "c3"}, "title": "Analyst", "current": False},
            ],
            "current": [{"customerId": "c1"}, {"customerId": "c2"}],
            "projects": [{"id": "p1", "name": "CRM rollout", "stage": "proposal", "value": 50000.0,
                          "company": {"id": "co1"}, "members": [
                              {"customerId": "c1", "role": "sponsor", "since": "2024-05-01", "customer": {"name": "Alice Wang"}},
                              {"customerId": "c2", "role": "engineer", "since": "2024-05-02", "customer": {"name": "Bob Li"}},
                          ]}],
        },
        "project": {"id": "p2", "companyId": "co2", "members": [{"customerId": "c4", "role": "lead"}]},
    }


async def test_expired_assignments_do_not_count_as_carrying_the_tag(known: Graph) -> None:
    data = await ok(known, '{ tag(key: "early") { customers { totalCount edges { node { id } } } } }')
    assert data == {"tag": {"customers": {"totalCount": 0, "edges": []}}}


async def test_tag_and_its_customers_paginate(known: Graph) -> None:
    q = """query($after: String) { tag(key: "vip") { key name category
      customers(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }"""
    page1 = (await ok(known, q))["tag"]
    assert page1["key"] == "vip" and page1["name"] == "VIP" and page1["category"] == "value"
    assert page1["customers"]["totalCount"] == 2
    assert [e["node"]["id"] for e in page1["customers"]["edges"]] == ["c1"]
    page2 = (await ok(known, q, {"after": page1["customers"]["pageInfo"]["endCursor"]}))["tag"]["customers"]
    assert [e["node"]["id"] for e in page2["edges"]] == ["c2"] and page2["pageInfo"]["hasNextPage"] is False


async def ids(graph: Graph, args: str, variables: dict[str, Any] | None = None, root: str = "customers") -> list[str]:
    data = await ok(graph, f"{{ {root}({args}) {{ edges {{ node {{ id }} }} }} }}", variables)
    return [e["node"]["id"] for e in data[root]["edges"]]


async def test_multi_key_sort_pages_across_the_list(known: Graph) -> None:
    q = """query($after: String) { customers(sort: [{field: "city"}, {field: "name", direction: ASC}], first: 2, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }"""
    seen: list[list[str]] = []
    after = None
    while True:
        page = (await ok(known, q, {"after": after}))["customers"]
        assert page["totalCount"] == 6
        seen.append([e["node"]["id"] for e in page["edges"]])
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [["c2", "c5"], ["c1", "c3"], ["c4", "c6"]]  # Beijing, Shanghai, Shenzhen, then null city


async def test_descending_sort_puts_nulls_first_and_id_breaks_ties(known: Graph) -> None:
    assert await ids(known, 'sort: [{field: "city", direction: DESC}]') == ["c6", "c4", "c1", "c3", "c2", "c5"]
    assert await ids(known, 'sort: [{field: "vip_level", direction: DESC}]') == ["c3", "c4", "c5", "c6", "c1", "c2"]
    assert await ids(known, 'sort: [{field: "id", direction: DESC}], first: 2') == ["c6", "c5"]


async def test_descending_pages_across_the_null_block(known: Graph) -> None:
    q = """query($after: String) { customers(sort: [{field: "vip_level", direction: DESC}], first: 3, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { id } } } }"""
    seen, after = [], None
    while True:
        page = (await ok(known, q, {"after": after}))["customers"]
        seen.append([e["node"]["id"] for e in page["edges"]])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [["c3", "c4", "c5"], ["c6", "c1", "c2"]]


async def test_cursor_is_stable_when_rows_are_added_before_it(known: Graph) -> None:
    q = 'query($after: String) { customers(first: 2, after: $after) { pageInfo { endCursor } edges { node { id } } } }'
    page = (await ok(known, q))["customers"]
    await known.write_text("test/add", "CREATE (:Customer {id: 'c0', name: 'Zero'})", {})
    nxt = (await ok(known, q, {"after": page["pageInfo"]["endCursor"]}))["customers"]
    assert [e["node"]["id"] for e in nxt["edges"]] == ["c3", "c4"]


async def test_filters_compose_with_and_or_not(known: Graph) -> None:
    f = '{or: [{city: "Beijing"}, {hasTag: "vip"}], not: {conditions: [{field: "id", eq: "c5"}]}}'
    assert await ids(known, f"filter: {f}") == ["c1", "c2"]
    assert await ids(known, 'filter: {conditions: [{field: "vip_level", gte: 2}]}') == ["c1"]
    assert await ids(known, 'filter: {createdFrom: "2024-02-01T00:00:00Z", createdTo: "2024-04-01T00:00:00Z"}') == ["c2", "c3"]
    assert await ids(known, 'filter: {companyId: "co2"}') == ["c3", "c4"]
    assert await ids(known, 'filter: {conditions: [{field: "name", contains: "LI"}]}') == ["c1", "c2", "c5"]
    assert await ids(known, 'filter: {conditions: [{field: "email", startsWith: "Da"}]}') == ["c4"]
    assert await ids(known, 'filter: {conditions: [{field: "city", in: ["Shenzhen", "Beijing"]}]}') == ["c2", "c4", "c5"]
    assert await ids(known, 'filter: {conditions: [{field: "email", isNull: true}]}') == ["c6"]
    assert await ids(known, 'filter: {and: [{city: "Shanghai"}, {conditions: [{field: "createdAt", lt: "2024-02-01T00:00:00Z"}]}]}') == ["c1"]
    assert await ids(known, 'filter: {conditions: [{field: "birthDate", gt: "1990-01-01"}]}') == ["c1"]


async def test_other_lists_filter_and_sort(known: Graph) -> None:
    assert await ids(known, 'sort: [{field: "employeeCount"}]', root="companies") == ["co1", "co2"]
    assert await ids(known, 'sort: [{field: "employees", direction: DESC}]', root="companies") == ["co1", "co2"]
    assert await ids(known, 'filter: {city: "Beijing"}', root="companies") == ["co2"]
    assert await ids(known, 'filter: {stage: "WON"}', root="projects") == ["p2"]
    assert await ids(known, 'filter: {companyId: "co1"}', root="projects") == ["p1"]
    assert await ids(known, 'filter: {type: "purchase", conditions: [{field: "amount", gte: 100}]}, '
                            'sort: [{field: "amount", direction: DESC}]', root="interactions") == ["i7", "i8", "i4", "i1"]


async def test_bad_filters_and_cursors_are_bad_user_input(known: Graph) -> None:
    cases = {
        'filter: {conditions: [{field: "x`) DETACH DELETE (n", eq: 1}]}': "is not a customer field or attribute key",
        'filter: {conditions: [{field: "city", eq: "a", ne: "b"}]}': "must set exactly one operator, not 2",
        'filter: {conditions: [{field: "createdAt", gt: "yesterday"}]}': "value for 'createdAt' must be a datetime",
        'after: "bm9wZQ"': "is not a valid cursor",
        'first: 501': "first=501 exceeds the limit max_page_size=500",
        'first: -1': "first must not be negative",
    }
    for args, message in cases.items():
        out = await run(known, f"{{ customers({args}) {{ edges {{ node {{ id }} }} }} }}")
        assert out["data"] is None
        [error] = out["errors"]
        assert message in error["message"] and error["extensions"] == {"code": "BAD_USER_INPUT"}, error


async def test_cursor_from_another_sort_is_rejected(known: Graph) -> None:
    data = await ok(known, '{ customers(first: 1) { pageInfo { endCursor } } }')
    cursor = data["customers"]["pageInfo"]["endCursor"]
    out = await run(known, 'query($a: String) { customers(first: 1, after: $a, sort: [{field: "city"}]) { totalCount } }', {"a": cursor})
    assert out["errors"][0]["message"].endswith("belongs to a different sort order")


async def test_search_by_name_email_phone_and_company(known: Graph) -> None:
    q = 'query($t: String!) { search(text: $t) { customers { id } companies { id } } }'
    assert (await ok(known, q, {"t": "ali"}))["search"] == {"customers": [{"id": "c1"}], "companies": []}
    assert (await ok(known, q, {"t": "+86 138-0000-0002"}))["search"] == {"customers": [{"id": "c2"}], "companies": []}
    assert (await ok(known, q, {"t": "BOB@EXAMPLE"}))["search"] == {"customers": [{"id": "c2"}], "companies": []}
    assert (await ok(known, q, {"t": "Glob"}))["search"] == {"customers": [], "companies": [{"id": "co2"}]}
    # prefix matches first: "li" starts "Li"-nothing; contains in Alice, Bob Li, Eve Liu -> all rank 1, by name
    assert (await ok(known, q, {"t": "li"}))["search"]["customers"] == [{"id": "c1"}, {"id": "c2"}, {"id": "c5"}]
    out = await run(known, q, {"t": "  "})
    assert out["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


NARROW_PAGE = """{ customers(first: 10, sort: [{field: "city"}]) { edges { node {
  id email city ...More company { name employeeCount } } } } }
fragment More on Customer { birthDate createdAt }"""


async def test_a_page_showing_few_fields_gives_the_values_a_whole_read_gives(known: Graph) -> None:
    # A page that shows only stored fields reads only those (and its sort keys); one that also shows the custom
    # attributes reads whole nodes. Both must show the same values, employer and fragments included.
    narrow = await ok(known, NARROW_PAGE)
    whole = await ok(known, NARROW_PAGE.replace("employeeCount }", "employeeCount attributes } attributes"))
    edges = whole["customers"]["edges"]
    for e in edges:
        node = e["node"]
        assert node.pop("attributes") == ({"vip_level": 3} if node["id"] == "c1" else {"vip_level": 1} if node["id"] == "c2" else {})
        if node["company"] is not None:
            assert node["company"].pop("attributes") == {}
    assert narrow["customers"]["edges"] == edges
    by_id = {e["node"]["id"]: e["node"] for e in edges}
    assert by_id["c1"] == {"id": "c1", "email": "alice@example.com", "city": "Shanghai", "birthDate": "1990-05-17",
                           "createdAt": "2024-01-01T00:00:00+00:00", "company": {"name": "Acme", "employeeCount": 120}}
    assert by_id["c3"]["company"] == {"name": "Globex", "employeeCount": 50}
    assert by_id["c6"]["company"] is None
    assert [e["node"]["id"] for e in edges] == ["c2", "c5", "c1", "c3", "c4", "c6"]  # by city (nulls last), then id


async def test_a_narrow_page_reads_the_sort_keys_its_cursors_hold(known: Graph) -> None:
    # Sorted by name, which the page does not show: the cursors still hold it, so the walk goes on in order.
    query = """query($after: String) { customers(first: 2, after: $after, sort: [{field: "name", direction: DESC}]) {
      edges { node { id } } pageInfo { endCursor hasNextPage } } }"""
    seen, after = [], None
    for _ in range(5):  # 6 customers, 2 a page: a cursor that went wrong shows as repeats, not as a loop
        page = (await ok(known, query, {"after": after}))["customers"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["c6", "c5", "c4", "c3", "c2", "c1"]  # Frank, Eve, Dan, Carol, Bob, Alice


async def test_a_narrow_page_leaves_whole_nodes_to_the_other_fields_of_the_request(known: Graph) -> None:
    # The page shows each customer's name and its employer's id only. The same customers and companies reached
    # through the employer's employees are read whole (the page's narrow nodes must not reach the loaders).
    data = await ok(known, """{ customers(first: 10) { edges { node { id name company { id employees {
      customer { id email attributes } company { id name employeeCount } } } } } } }""")
    by_id = {e["node"]["id"]: e["node"] for e in data["customers"]["edges"]}
    assert by_id["c1"]["name"] == "Alice Wang" and by_id["c1"]["company"]["id"] == "co1"
    people = {e["customer"]["id"]: e for e in by_id["c1"]["company"]["employees"]}
    assert people["c1"]["customer"] == {"id": "c1", "email": "alice@example.com", "attributes": {"vip_level": 3}}
    assert people["c2"]["customer"] == {"id": "c2", "email": "bob@example.com", "attributes": {"vip_level": 1}}
    assert people["c1"]["company"] == {"id": "co1", "name": "Acme", "employeeCount": 120}
    # A customer read whole elsewhere in the request is not narrowed by the page either.
    data = await ok(known, """{ customers(first: 10) { edges { node { id } } }
      customer(id: "c1") { email city attributes } }""")
    assert data["customer"] == {"email": "alice@example.com", "city": "Shanghai", "attributes": {"vip_level": 3}}
