"""The query benchmarks: each as custgraph GraphQL, the @neo4j/graphql peer (where it can express it)
and the floor (Cypher sent straight through the neo4j driver), all on the same inputs.

A case's three callables take the repetition number and do one whole unit of work (a connection
walk is several requests); the runner times them. Inputs rotate over customers sampled once per
run with a fixed seed, so the three sides read the same rows.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from neo4j import READ_ACCESS, AsyncDriver, RoutingControl

from bench.queries import bench_query
from graph.cypher import query as service_query

Call = Callable[[int], Awaitable[Any]]

AS_OF = "2026-11-01T00:00:00+00:00"  # the demo data's as-of time, so windows hold data

DETAIL = """query Detail($id: ID!) { customer(id: $id) {
  id name email city company { id name } projects { projectId role } %TAGS% } }"""
PEER_DETAIL = """query Detail($id: ID!) { customers(where: {id: {eq: $id}}) {
  id name email city
  worksAtConnection(first: 1, where: {edge: {until: {eq: null}}}, sort: [{edge: {since: DESC}}]) { edges { node { id name } } }
  projectsConnection { edges { properties { role } node { id } } }
  tags { key name category } } }"""

NESTED_LIST = """query NestedList { customers(first: 20) { edges { node {
  id name email city company { id name } %TAGS% } } } }"""
PEER_NESTED_LIST = """query NestedList { customers(limit: 20, sort: [{id: ASC}]) {
  id name email city
  worksAtConnection(first: 1, where: {edge: {until: {eq: null}}}, sort: [{edge: {since: DESC}}]) { edges { node { id name } } }
  tags { key name category } } }"""

PORTRAIT = """query Portrait($id: ID!, $asOf: DateTime) { customer(id: $id) { id name portrait(asOf: $asOf) {
  asOf attributes lifecycleStage
  tags { category tags { key name source score valid } }
  behaviour { interactionCount purchaseCount purchaseTotal purchaseAverage activeDays
              windows { days count byType { type count } } lastInteraction { at type } }
  rfm { recencyDays frequency monetary recencyScore frequencyScore monetaryScore population }
  relationships { employer { companyId title } colleaguesCount knowsCount
                  referralsMade { total converted } referralsReceived { total converted }
                  projects { projectId role } } } } }"""

WALK = """query Walk($after: String) { customers(first: 50, after: $after) {
  edges { cursor node { id name email city } } pageInfo { endCursor hasNextPage } } }"""
PEER_WALK = """query Walk($after: String) { customersConnection(first: 50, after: $after, sort: [{id: ASC}]) {
  edges { cursor node { id name email city } } pageInfo { endCursor hasNextPage } } }"""
WALK_PAGES = 5

PATH = """query Path($from: ID!, $to: ID!) { relationshipPath(fromId: $from, toId: $to, via: [KNOWS, REFERRED, REFERRED_BY], maxHops: 6) {
  length steps { customerId kind } } }"""

NETWORK = """query Network($id: ID!) { customer(id: $id) { network(depth: 2, limit: 100) {
  truncated nodes { id kind label depth } edges { source target kind } } } }"""
PEER_NETWORK = """query Network($id: ID!) { customers(where: {id: {eq: $id}}) { id name
  knows { id name knows { id name } referred { id name } worksAt { id name } }
  referred { id name knows { id name } worksAt { id name } }
  referredBy { id name knows { id name } worksAt { id name } }
  worksAt { id name staff(limit: 20) { id name } }
  projects { id name } } }"""


@dataclass
class Samples:
    """Inputs drawn once per run (seeded): customers with an employer, and pairs 3 KNOWS steps apart."""

    customers: list[str]
    pairs: list[tuple[str, str]]


async def draw_samples(driver: AsyncDriver, database: str, n: int = 40, seed: int = 11) -> Samples:
    """Return seeded sample customers (with an employer and interactions) and path pairs."""
    rows, _, _ = await driver.execute_query(
        bench_query("floor/sample_customers").text, {"limit": 2000}, database_=database, routing_=RoutingControl.READ)
    ids = sorted(r["id"] for r in rows)
    rng = random.Random(seed)
    customers = rng.sample(ids, min(n, len(ids)))
    pairs: list[tuple[str, str]] = []
    for cid in customers:
        found, _, _ = await driver.execute_query(
            bench_query("floor/sample_far_customer").text, {"id": cid}, database_=database,
            routing_=RoutingControl.READ)
        if found:
            pairs.append((cid, found[0]["id"]))
    return Samples(customers, pairs[:20] or [(customers[0], customers[1])])


@dataclass
class Case:
    """One benchmark: how to run it on each side; None where a side cannot express it."""

    name: str
    title: str
    custgraph: Call | None
    peer: Call | None
    floor: Call | None
    floor_kind: str = ""
    repeat_cap: int | None = None  # slow cases (seconds each) run at most this many times
    # For round-trip counting in-process: (GraphQL document, variables for repetition 0).
    documents: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    peer_documents: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


class GraphQLClient:
    """POSTs GraphQL documents over one keep-alive connection; raises on errors in the response."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=1))

    async def __call__(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post(self.url, json={"query": document, "variables": variables or {}})
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise RuntimeError(f"{self.url} answered {response.status_code}: {str(body)[:500]}")
        return body["data"]

    async def close(self) -> None:
        await self.http.aclose()


class Floor:
    """Runs Cypher straight through the neo4j driver as an auto-commit read, reading every record (the floor)."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self.driver, self.database = driver, database

    async def __call__(self, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        async with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            result = await session.run(text, params)
            return [r.data() async for r in result]


def build_cases(samples: Samples, cg: GraphQLClient | None, peer: GraphQLClient | None, floor: Floor,
                customer_has_tags: bool) -> list[Case]:
    """Return the query cases over these clients (a None client leaves its side out)."""
    ids, pairs = samples.customers, samples.pairs

    def cid(i: int) -> str:
        return ids[i % len(ids)]

    nested = NESTED_LIST.replace("%TAGS%", "tags { key name category }" if customer_has_tags else "")
    as_of = datetime.fromisoformat(AS_OF).astimezone(UTC)
    cases: list[Case] = []

    # One customer by id with employer, projects and tags: index lookups only, the service's overhead shows.
    detail = DETAIL.replace("%TAGS%", "tags { key name category }" if customer_has_tags else "")
    detail_floor = bench_query("floor/customer_detail").text
    cases.append(Case(
        "customer_detail", "1 customer + company + projects + tags",
        (lambda i: cg(detail, {"id": cid(i)})) if cg else None,
        (lambda i: peer(PEER_DETAIL, {"id": cid(i)})) if peer else None,
        lambda i: floor(detail_floor, {"id": cid(i)}),
        "one hand-written query",
        documents=[(detail, {"id": ids[0]})], peer_documents=[(PEER_DETAIL, {"id": ids[0]})],
    ))

    # 20-customer nested list: customers + current company + tags.
    nested_floor = bench_query("floor/nested_list").text
    page_bound = bench_query("floor/page_bound").text

    async def bound(after: str, limit: int) -> Any:
        return (await floor(page_bound, {"after": after, "limit": limit}))[0]["bound"]

    async def nested_direct(i: int) -> Any:
        return await floor(nested_floor, {"limit": 20, "bound": await bound("", 20)})

    cases.append(Case(
        "nested_list", "20 customers + company + tags",
        (lambda i: cg(nested)) if cg else None,
        (lambda i: peer(PEER_NESTED_LIST)) if peer else None,
        nested_direct,
        "hand-written: id bound, then one query",
        documents=[(nested, {})], peer_documents=[(PEER_NESTED_LIST, {})],
    ))

    # Portrait: the service's two portrait queries run directly (RFM population is cached in both).
    portrait_text = service_query("portrait/get_portrait_data").text
    neighbours_text = service_query("network/get_neighbours").text

    # The service's files take the account-manager scope; null is no limit, as for an admin.
    async def portrait_floor(i: int) -> Any:
        return await asyncio.gather(floor(portrait_text, {"ids": [cid(i)], "as_of": as_of, "scope_company_ids": None}),
                                    floor(neighbours_text, {"ids": [cid(i)], "scope_company_ids": None}))

    cases.append(Case(
        "portrait", "customer portrait",
        (lambda i: cg(PORTRAIT, {"id": cid(i), "asOf": AS_OF})) if cg else None,
        None,
        portrait_floor,
        "the service's 2 portrait queries, direct, concurrent",
        documents=[(PORTRAIT, {"id": ids[0], "asOf": AS_OF})],
    ))

    # Paged connection walk: 5 pages of 50 by id, each after the previous page's cursor.
    walk_floor = bench_query("floor/customer_page").text

    async def walk(client: GraphQLClient, document: str, root: str) -> None:
        after = None
        for _ in range(WALK_PAGES):
            page = (await client(document, {"after": after}))[root]
            after = page["pageInfo"]["endCursor"]

    async def walk_direct(i: int) -> None:
        after = ""
        for _ in range(WALK_PAGES):
            rows = await floor(walk_floor, {"after": after, "bound": await bound(after, 50), "limit": 50})
            after = rows[-1]["customer"]["id"]

    cases.append(Case(
        "connection_walk", f"paged walk, {WALK_PAGES} pages of 50",
        (lambda i: walk(cg, WALK, "customers")) if cg else None,
        (lambda i: walk(peer, PEER_WALK, "customersConnection")) if peer else None,
        walk_direct,
        "keyset pages by id: id bound, then the page",
        documents=[(WALK, {"after": None})], peer_documents=[(PEER_WALK, {"after": None})],
    ))

    # Relationship path between customers 3 KNOWS steps apart.
    path_floor = bench_query("floor/shortest_path").text

    def pair(i: int) -> tuple[str, str]:
        return pairs[i % len(pairs)]

    cases.append(Case(
        "relationship_path", "shortest path (KNOWS/REFERRED, 3 apart)",
        (lambda i: cg(PATH, {"from": pair(i)[0], "to": pair(i)[1]})) if cg else None,
        None,
        lambda i: floor(path_floor, {"from_id": pair(i)[0], "to_id": pair(i)[1]}),
        "one shortestPath() query",
        documents=[(PATH, {"from": pairs[0][0], "to": pairs[0][1]})],
    ))

    # 2-hop network around a customer.
    async def network_floor(i: int) -> Any:
        first = await floor(neighbours_text, {"ids": [cid(i)], "scope_company_ids": None})
        ring = sorted({o["id"] for r in first for k in ("knows", "referred", "referred_by", "colleagues")
                       for o in r[k]})[:100]
        return await floor(neighbours_text, {"ids": ring, "scope_company_ids": None})

    cases.append(Case(
        "network_2hop", "2-hop network (limit 100)",
        (lambda i: cg(NETWORK, {"id": cid(i)})) if cg else None,
        (lambda i: peer(PEER_NETWORK, {"id": cid(i)})) if peer else None,
        network_floor,
        "the service's neighbour query, direct, for the centre then ring 1",
        documents=[(NETWORK, {"id": ids[0]})], peer_documents=[(PEER_NETWORK, {"id": ids[0]})],
    ))
    return cases


# --- segments -----------------------------------------------------------------------------

# Three top-level conditions: employer size, (≥3 purchases in 180 days OR ≥2 referrals made), no churn-risk tag.
SEGMENT_RULE: dict[str, Any] = {"all": [
    {"employment": {"company": {"attribute": "employees", "gte": 100}, "current": True}},
    {"any": [{"interactions": {"type": "purchase", "within": "P180D", "count": {"gte": 3}}},
             {"referrals": {"direction": "out", "count": {"gte": 2}}}]},
    {"not": {"tag": "churn_risk"}},
]}
OVERLAP_SEGMENTS: dict[str, dict[str, Any]] = {
    "bench_three_conditions": SEGMENT_RULE,
    "bench_buyers_365d": {"interactions": {"type": "purchase", "within": "P365D", "count": {"gte": 2}}},
    "bench_recent_90d": {"lastInteraction": {"within": "P90D"}},
}
SEGMENT_COUNT = """query SegmentCount($rule: JSON!, $asOf: DateTime) { adhocSegment(rule: $rule) { count(asOf: $asOf) } }"""
SEGMENT_PAGE = """query SegmentPage($rule: JSON!, $asOf: DateTime) { adhocSegment(rule: $rule) {
  members(first: 50, asOf: $asOf) { edges { cursor node { id name email city } } pageInfo { endCursor hasNextPage } } } }"""
SEGMENT_OVERLAP = """query Overlap($keys: [String!]!, $asOf: DateTime) { segmentOverlap(keys: $keys, asOf: $asOf) {
  keys sizes union regions { keys count } } }"""
CREATE_SEGMENT = """mutation Create($input: SegmentInput!) { createSegment(input: $input) { key } }"""
GET_SEGMENT = """query Get($key: String!) { segment(key: $key) { key } }"""


async def segment_cases(cg: GraphQLClient | None, floor: Floor, graph: Any) -> list[Case]:
    """Return the segment cases (count, first page, overlap of 3); stores the 3 bench segments when missing."""
    from graph.segment_members import audience
    from graph.segments import adhoc_segment

    if cg is not None:
        for key, rule in OVERLAP_SEGMENTS.items():
            if (await cg(GET_SEGMENT, {"key": key}))["segment"] is None:
                await cg(CREATE_SEGMENT, {"input": {"key": key, "name": key, "owner": "bench", "rule": rule}})
    as_of = datetime.fromisoformat(AS_OF).astimezone(UTC)
    aud = await audience(graph, adhoc_segment(SEGMENT_RULE), as_of)
    count_text = f"{aud.match()}\nRETURN count(c) AS n"
    page_text = f"{aud.match()}\nWITH c ORDER BY c.id LIMIT 51\nRETURN c {{.id, .name, .email, .city}} AS customer"
    variables = {"rule": SEGMENT_RULE, "asOf": AS_OF}
    keys = list(OVERLAP_SEGMENTS)
    return [
        Case("segment_count", "3-condition segment: count",
             (lambda i: cg(SEGMENT_COUNT, variables)) if cg else None, None,
             lambda i: floor(count_text, aud.params), "the compiled rule, direct",
             repeat_cap=10, documents=[(SEGMENT_COUNT, variables)]),
        Case("segment_page", "3-condition segment: first page of 50",
             (lambda i: cg(SEGMENT_PAGE, variables)) if cg else None, None,
             lambda i: floor(page_text, aud.params), "the compiled rule + ORDER BY id LIMIT 51, direct",
             repeat_cap=10, documents=[(SEGMENT_PAGE, variables)]),
        Case("segment_overlap", "overlap of 3 stored segments",
             (lambda i: cg(SEGMENT_OVERLAP, {"keys": keys, "asOf": AS_OF})) if cg else None, None, None,
             repeat_cap=5, documents=[(SEGMENT_OVERLAP, {"keys": keys, "asOf": AS_OF})]),
    ]
