"""Connections, relationship paths, neighbourhoods and the company relationship map on the known graph."""

from __future__ import annotations

from test_api_graph import known, ok, run

from graph.db import Graph

__all__ = ["known"]


async def test_connections_of_every_kind_in_order(known: Graph) -> None:
    q = """{ customer(id: "c1") { connections { totalCount edges { node {
      customerId kind since at converted companyId projectId customer { name } } } } } }"""
    conn = (await ok(known, q))["customer"]["connections"]
    assert conn["totalCount"] == 4
    assert [e["node"] for e in conn["edges"]] == [
        {"customerId": "c4", "kind": "REFERRED", "since": "2024-03-15T00:00:00+00:00", "at": "2024-03-15T00:00:00+00:00",
         "converted": True, "companyId": None, "projectId": None, "customer": {"name": "Dan Chen"}},
        {"customerId": "c2", "kind": "REFERRED_BY", "since": "2023-12-01T00:00:00+00:00", "at": "2023-12-01T00:00:00+00:00",
         "converted": False, "companyId": None, "projectId": "p1", "customer": {"name": "Bob Li"}},
        {"customerId": "c3", "kind": "KNOWS", "since": "2023-05-01T00:00:00+00:00", "at": None, "converted": None,
         "companyId": None, "projectId": None, "customer": {"name": "Carol Zhang"}},
        {"customerId": "c2", "kind": "COLLEAGUE", "since": "2021-06-01T00:00:00+00:00", "at": None, "converted": None,
         "companyId": "co1", "projectId": None, "customer": {"name": "Bob Li"}},
    ]


async def test_connections_filter_kinds_and_paginate(known: Graph) -> None:
    q = """query($after: String) { customer(id: "c1") { connections(kinds: [KNOWS, COLLEAGUE, REFERRED], first: 2, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { customerId kind } } } } }"""
    page = (await ok(known, q))["customer"]["connections"]
    assert [(e["node"]["customerId"], e["node"]["kind"]) for e in page["edges"]] == [("c4", "REFERRED"), ("c3", "KNOWS")]
    assert page["pageInfo"]["hasNextPage"] is True
    page = (await ok(known, q, {"after": page["pageInfo"]["endCursor"]}))["customer"]["connections"]
    assert [(e["node"]["customerId"], e["node"]["kind"]) for e in page["edges"]] == [("c2", "COLLEAGUE")]
    assert page["pageInfo"]["hasNextPage"] is False


async def test_colleagues_need_overlapping_employment(known: Graph) -> None:
    q = '{ customer(id: "c3") { connections(kinds: [COLLEAGUE]) { edges { node { customerId since companyId } } } } }'
    edges = (await ok(known, q))["customer"]["connections"]["edges"]
    # Carol was at Acme 2015–2019: no overlap with Alice (2020–) or Bob (2021–); at Globex with Dan since 2022.
    assert [e["node"] for e in edges] == [{"customerId": "c4", "since": "2022-01-01T00:00:00+00:00", "companyId": "co2"}]


PATH = """query($from: ID!, $to: ID!, $via: [ConnectionKind!], $max: Int! = 6) {
  relationshipPath(fromId: $from, toId: $to, via: $via, maxHops: $max) {
    length steps { customerId kind since at converted companyId customer { name } } } }"""


async def test_shortest_path_over_all_kinds(known: Graph) -> None:
    path = (await ok(known, PATH, {"from": "c2", "to": "c5"}))["relationshipPath"]
    assert path == {"length": 3, "steps": [
        {"customerId": "c2", "kind": None, "since": None, "at": None, "converted": None, "companyId": None,
         "customer": {"name": "Bob Li"}},
        {"customerId": "c1", "kind": "REFERRED", "since": "2023-12-01T00:00:00+00:00", "at": "2023-12-01T00:00:00+00:00",
         "converted": False, "companyId": None, "customer": {"name": "Alice Wang"}},
        {"customerId": "c3", "kind": "KNOWS", "since": "2023-05-01T00:00:00+00:00", "at": None, "converted": None,
         "companyId": None, "customer": {"name": "Carol Zhang"}},
        {"customerId": "c5", "kind": "KNOWS", "since": "2024-07-01T00:00:00+00:00", "at": None, "converted": None,
         "companyId": None, "customer": {"name": "Eve Liu"}},
    ]}


async def test_path_restricted_to_kinds_and_hops(known: Graph) -> None:
    via = ["COLLEAGUE", "KNOWS"]
    path = (await ok(known, PATH, {"from": "c2", "to": "c5", "via": via}))["relationshipPath"]
    # Carol's past job at Acme does not make her Bob's colleague: the path goes through Alice.
    assert [(s["customerId"], s["kind"], s["companyId"]) for s in path["steps"]] == [
        ("c2", None, None), ("c1", "COLLEAGUE", "co1"), ("c3", "KNOWS", None), ("c5", "KNOWS", None)]
    assert path["steps"][1]["since"] == "2021-06-01T00:00:00+00:00"
    assert (await ok(known, PATH, {"from": "c2", "to": "c5", "via": via, "max": 3}))["relationshipPath"] is None
    back = (await ok(known, PATH, {"from": "c4", "to": "c1", "via": ["REFERRED_BY"]}))["relationshipPath"]
    assert [(s["customerId"], s["kind"]) for s in back["steps"]] == [("c4", None), ("c1", "REFERRED_BY")]


async def test_no_path_and_same_customer(known: Graph) -> None:
    assert (await ok(known, PATH, {"from": "c1", "to": "c6"}))["relationshipPath"] is None
    same = (await ok(known, PATH, {"from": "c1", "to": "c1"}))["relationshipPath"]
    assert same["length"] == 0 and [s["customerId"] for s in same["steps"]] == ["c1"]
    out = await run(known, PATH, {"from": "c1", "to": "c2", "max": 13})
    assert out["errors"][0]["message"] == "maxHops must be between 1 and 12 (got 13)"
    assert out["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


NETWORK = """query($depth: Int!, $limit: Int!, $kinds: [ConnectionKind!]) { customer(id: "c1") {
  network(depth: $depth, limit: $limit, kinds: $kinds) { truncated nodes { id kind label depth } edges { source target kind } } } }"""


async def test_network_depth_one(known: Graph) -> None:
    net = (await ok(known, NETWORK, {"depth": 1, "limit": 100}))["customer"]["network"]
    assert net == {
        "truncated": False,
        "nodes": [
            {"id": "c1", "kind": "CUSTOMER", "label": "Alice Wang", "depth": 0},
            {"id": "co1", "kind": "COMPANY", "label": "Acme", "depth": 1},
            {"id": "c2", "kind": "CUSTOMER", "label": "Bob Li", "depth": 1},
            {"id": "c3", "kind": "CUSTOMER", "label": "Carol Zhang", "depth": 1},
            {"id": "c4", "kind": "CUSTOMER", "label": "Dan Chen", "depth": 1},
            {"id": "p1", "kind": "PROJECT", "label": "CRM rollout", "depth": 1},
        ],
        "edges": [
            {"source": "c1", "target": "c2", "kind": "COLLEAGUE"},
            {"source": "c1", "target": "c3", "kind": "KNOWS"},
            {"source": "c1", "target": "c4", "kind": "REFERRED"},
            {"source": "c1", "target": "co1", "kind": "WORKS_AT"},
            {"source": "c1", "target": "p1", "kind": "MEMBER_OF"},
            {"source": "c2", "target": "c1", "kind": "REFERRED"},
        ],
    }


async def test_network_depth_two_only_knows_and_truncation(known: Graph) -> None:
    net = (await ok(known, NETWORK, {"depth": 2, "limit": 100, "kinds": ["KNOWS"]}))["customer"]["network"]
    assert [(n["id"], n["depth"]) for n in net["nodes"]] == [
        ("c1", 0), ("co1", 1), ("c3", 1), ("p1", 1), ("co2", 2), ("c5", 2)]
    assert net["edges"] == [
        {"source": "c1", "target": "c3", "kind": "KNOWS"},
        {"source": "c1", "target": "co1", "kind": "WORKS_AT"},
        {"source": "c1", "target": "p1", "kind": "MEMBER_OF"},
        {"source": "c3", "target": "c5", "kind": "KNOWS"},
        {"source": "c3", "target": "co1", "kind": "WORKS_AT"},
        {"source": "c3", "target": "co2", "kind": "WORKS_AT"},
    ]
    small = (await ok(known, NETWORK, {"depth": 1, "limit": 3}))["customer"]["network"]
    assert small["truncated"] is True and len(small["nodes"]) == 3
    out = await run(known, NETWORK, {"depth": 4, "limit": 10})
    assert out["errors"][0]["message"] == "depth must be between 1 and 3 (got 4)"


async def test_company_relationship_map(known: Graph) -> None:
    q = """{ company(id: "co1") { relationshipMap {
      employees { customerId title until }
      memberships { customerId projectId role }
      referralsOut { referrerId referredId converted referred { name } }
      referralsIn { referrerId referredId }
      referralsInternal { referrerId referredId projectId at }
    } } }"""
    m = (await ok(known, q))["company"]["relationshipMap"]
    assert m == {
        "employees": [
            {"customerId": "c1", "title": "CTO", "until": None},
            {"customerId": "c2", "title": "Engineer", "until": None},
            {"customerId": "c3", "title": "Analyst", "until": "2019-12-31"},
        ],
        "memberships": [{"customerId": "c1", "projectId": "p1", "role": "sponsor"},
                        {"customerId": "c2", "projectId": "p1", "role": "engineer"}],
        "referralsOut": [{"referrerId": "c1", "referredId": "c4", "converted": True, "referred": {"name": "Dan Chen"}}],
        "referralsIn": [],
        "referralsInternal": [{"referrerId": "c2", "referredId": "c1", "projectId": "p1", "at": "2023-12-01T00:00:00+00:00"}],
    }
