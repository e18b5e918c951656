"""An account manager's scope over the graph families: network, connections, paths, employees, relationship
maps, segments (counts, members, samples, overlap, compare, distributions, snapshots, exports), all through
GraphQL with a real context; plus export masking and the audit of CLI exports and Cypher runs."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from test_auth_roles import run

from graph import audit
from graph.auth import DEV_ADMIN, Principal, scopes_for
from graph.db import Graph
from graph.exports import export_members
from graph.masking import mark_personal
from graph.segment_snapshots import snapshot_segment
from graph.segments import SegmentSpec, create_segment, require_segment
from resolvers import segments as rs
from resolvers.segment_commands import dispatch

ADMIN = DEV_ADMIN
ANALYST = Principal(id="key:an", role="analyst", scopes=scopes_for("analyst"))
MANAGER = Principal(id="key:am", role="account_manager", scopes=scopes_for("account_manager"), user_id="u-li",
                    company_ids=("co-1", "co-2"))
T1 = datetime(2026, 1, 1, tzinfo=UTC)
T2 = datetime(2026, 2, 1, tzinfo=UTC)
T3 = datetime(2026, 3, 1, tzinfo=UTC)


async def build(graph: Graph) -> None:
    """Managed: co-1 (a1, a2, a3) and co-2 (b1). Outside: co-x (x1, and f1 who left co-1 for it), its project p-x.
    The shortest a1-b1 chain runs through x1; the one inside the scope is a1-a2-a3-b1. a2 and b1 were colleagues
    at co-x only."""
    await mark_personal(graph, "customer", "wechat_id")
    await graph.write_text("tests/scope-graph", """
        CREATE (co1:Company {id: 'co-1', name: 'Acme'}), (co2:Company {id: 'co-2', name: 'Bolt'}),
               (cox:Company {id: 'co-x', name: 'Xeno'})
        CREATE (co1)-[:OWNS]->(p1:Project {id: 'p-1', name: 'ERP', company_id: 'co-1'})
        CREATE (cox)-[:OWNS]->(px:Project {id: 'p-x', name: 'Secret', company_id: 'co-x'})
        CREATE (a1:Customer {id: 'a1', name: 'Ada', city: '上海', email: 'ada@example.com', wechat_id: 'wx_ada'})
               -[:WORKS_AT {since: date('2020-01-01')}]->(co1)
        CREATE (a2:Customer {id: 'a2', name: 'Ann', city: '上海'})-[:WORKS_AT {since: date('2021-01-01')}]->(co1)
        CREATE (a3:Customer {id: 'a3', name: 'Al', city: '北京'})-[:WORKS_AT {since: date('2022-01-01')}]->(co1)
        CREATE (b1:Customer {id: 'b1', name: 'Bo', city: '上海'})-[:WORKS_AT {since: date('2019-01-01')}]->(co2)
        CREATE (x1:Customer {id: 'x1', name: 'Xu', city: '上海', email: 'xu@example.com'})
               -[:WORKS_AT {since: date('2018-01-01')}]->(cox)
        CREATE (f1:Customer {id: 'f1', name: 'Fay', city: '上海'})
               -[:WORKS_AT {since: date('2015-01-01'), until: date('2023-01-01')}]->(co1)
        CREATE (f1)-[:WORKS_AT {since: date('2023-02-01')}]->(cox)
        CREATE (a2)-[:WORKS_AT {since: date('2019-01-01'), until: date('2020-12-31')}]->(cox)
        CREATE (b1)-[:WORKS_AT {since: date('2017-01-01'), until: date('2020-06-30')}]->(cox)
        CREATE (a1)-[:KNOWS {since: datetime('2024-01-01T00:00:00Z')}]->(a2)
        CREATE (a2)-[:KNOWS {since: datetime('2024-02-01T00:00:00Z')}]->(a3)
        CREATE (a1)-[:KNOWS {since: datetime('2024-03-01T00:00:00Z')}]->(x1)
        CREATE (x1)-[:KNOWS {since: datetime('2024-04-01T00:00:00Z')}]->(b1)
        CREATE (a3)-[:REFERRED {at: datetime('2025-01-01T00:00:00Z'), converted: true}]->(b1)
        CREATE (x1)-[:REFERRED {at: datetime('2025-02-01T00:00:00Z'), converted: false}]->(a1)
        CREATE (a1)-[:REFERRED {at: datetime('2025-03-01T00:00:00Z'), converted: true}]->(f1)
        CREATE (a1)-[:MEMBER_OF {role: 'lead'}]->(p1), (a1)-[:MEMBER_OF {role: 'advisor'}]->(px)
        CREATE (x1)-[:MEMBER_OF {role: 'dev'}]->(p1)
        """, {})


NETWORK = """{ customer(id: "a1") {
  connections { totalCount edges { node { customerId kind companyId } } }
  network(depth: 2) { nodes { id kind depth } edges { source target kind } truncated }
  employments { companyId } projects { projectId } company { id }
} }"""


async def test_network_and_connections_show_only_the_scope(graph: Graph) -> None:
    await build(graph)
    assert await run(graph, MANAGER, NETWORK) == {"data": {"customer": {
        "connections": {"totalCount": 3, "edges": [
            {"node": {"customerId": "a2", "kind": "KNOWS", "companyId": None}},
            {"node": {"customerId": "a3", "kind": "COLLEAGUE", "companyId": "co-1"}},
            {"node": {"customerId": "a2", "kind": "COLLEAGUE", "companyId": "co-1"}}]},
        "network": {"nodes": [
            {"id": "a1", "kind": "CUSTOMER", "depth": 0},
            {"id": "co-1", "kind": "COMPANY", "depth": 1},
            {"id": "a2", "kind": "CUSTOMER", "depth": 1},
            {"id": "a3", "kind": "CUSTOMER", "depth": 1},
            {"id": "p-1", "kind": "PROJECT", "depth": 1},
            {"id": "b1", "kind": "CUSTOMER", "depth": 2}],
            "edges": [
                {"source": "a1", "target": "a2", "kind": "COLLEAGUE"},
                {"source": "a1", "target": "a2", "kind": "KNOWS"},
                {"source": "a1", "target": "a3", "kind": "COLLEAGUE"},
                {"source": "a1", "target": "co-1", "kind": "WORKS_AT"},
                {"source": "a1", "target": "p-1", "kind": "MEMBER_OF"},
                {"source": "a2", "target": "a3", "kind": "COLLEAGUE"},
                {"source": "a2", "target": "a3", "kind": "KNOWS"},
                {"source": "a2", "target": "co-1", "kind": "WORKS_AT"},
                {"source": "a3", "target": "b1", "kind": "REFERRED"},
                {"source": "a3", "target": "co-1", "kind": "WORKS_AT"}],
            "truncated": False},
        "employments": [{"companyId": "co-1"}], "projects": [{"projectId": "p-1"}], "company": {"id": "co-1"},
    }}}
    everything = (await run(graph, ADMIN, NETWORK))["data"]["customer"]
    assert everything["connections"]["totalCount"] == 7
    assert {n["id"] for n in everything["network"]["nodes"]} >= {"x1", "f1", "co-x", "p-x"}
    assert everything["projects"] == [{"projectId": "p-1"}, {"projectId": "p-x"}]
    # Outside customers have no network, connections or employments at all.
    outside = '{ customer(id: "x1") { id } n: relationshipPath(fromId: "x1", toId: "x1") { length } }'
    assert await run(graph, MANAGER, outside) == {"data": {"customer": None, "n": None}}


PATHS = """{
  ab: relationshipPath(fromId: "a1", toId: "b1", via: [KNOWS, REFERRED, REFERRED_BY]) {
    length steps { customerId kind } }
  all: relationshipPath(fromId: "a2", toId: "b1") { length steps { customerId kind companyId } }
  colleagues: relationshipPath(fromId: "a2", toId: "b1", via: [COLLEAGUE]) { steps { customerId kind companyId } }
  out: relationshipPath(fromId: "a1", toId: "x1") { length }
  short: relationshipPath(fromId: "a1", toId: "b1", via: [KNOWS], maxHops: 2) { length }
}"""


async def test_paths_never_pass_through_an_outside_node(graph: Graph) -> None:
    await build(graph)
    assert await run(graph, MANAGER, PATHS) == {"data": {
        "ab": {"length": 3, "steps": [{"customerId": "a1", "kind": None}, {"customerId": "a2", "kind": "KNOWS"},
                                      {"customerId": "a3", "kind": "KNOWS"}, {"customerId": "b1", "kind": "REFERRED"}]},
        "all": {"length": 2, "steps": [{"customerId": "a2", "kind": None, "companyId": None},
                                       {"customerId": "a3", "kind": "KNOWS", "companyId": None},
                                       {"customerId": "b1", "kind": "REFERRED", "companyId": None}]},
        "colleagues": None,
        "out": None,
        "short": None,
    }}
    everything = (await run(graph, ADMIN, PATHS))["data"]
    assert everything["ab"] == {"length": 2, "steps": [{"customerId": "a1", "kind": None},
                                                       {"customerId": "x1", "kind": "KNOWS"},
                                                       {"customerId": "b1", "kind": "KNOWS"}]}
    assert (everything["out"], everything["short"]) == ({"length": 1}, {"length": 2})
    assert everything["colleagues"] == {"steps": [{"customerId": "a2", "kind": None, "companyId": None},
                                                  {"customerId": "b1", "kind": "COLLEAGUE", "companyId": "co-x"}]}


COMPANY = """{
  co1: company(id: "co-1") {
    employees { customerId }
    projects { id members { customerId role } }
    relationshipMap {
      employees { customerId } memberships { customerId projectId }
      referralsOut { referrerId referredId } referralsIn { referrerId referredId } referralsInternal { referrerId }
    }
  }
  cox: company(id: "co-x") { id }
  px: project(id: "p-x") { id }
}"""


async def test_employees_members_and_relationship_maps_show_only_the_scope(graph: Graph) -> None:
    await build(graph)
    assert await run(graph, MANAGER, COMPANY) == {"data": {
        "co1": {
            "employees": [{"customerId": "a1"}, {"customerId": "a2"}, {"customerId": "a3"}],
            "projects": [{"id": "p-1", "members": [{"customerId": "a1", "role": "lead"}]}],
            "relationshipMap": {
                "employees": [{"customerId": "a1"}, {"customerId": "a2"}, {"customerId": "a3"}],
                "memberships": [{"customerId": "a1", "projectId": "p-1"}],
                "referralsOut": [{"referrerId": "a3", "referredId": "b1"}],
                "referralsIn": [], "referralsInternal": []}},
        "cox": None, "px": None}}
    co1 = (await run(graph, ADMIN, COMPANY))["data"]["co1"]
    assert co1["employees"] == [{"customerId": "a1"}, {"customerId": "a2"}, {"customerId": "a3"}, {"customerId": "f1"}]
    assert co1["relationshipMap"]["referralsIn"] == [{"referrerId": "x1", "referredId": "a1"}]
    assert co1["relationshipMap"]["referralsInternal"] == [{"referrerId": "a1"}]  # a1 referred f1, a former colleague


SHANGHAI = {"attribute": "city", "eq": "上海"}
NAMED = {"attribute": "name", "in": ["Ada", "Xu", "Al"]}
SEGMENTS = """{
  segment(key: "shanghai") {
    count members(first: 10) { totalCount edges { node { id } } } sample(n: 10) { id }
    portrait { size population }
  }
  segmentOverlap(keys: ["shanghai", "named"]) { sizes union regions { keys count } }
  segmentCompare(a: "shanghai", b: "named") {
    onlyA { totalCount edges { node { id } } } onlyB { edges { node { id } } } both { edges { node { id } } } }
  distribution(dimension: "city") { total buckets { value count } }
  inSegment: distribution(dimension: "city", segment: "named") { total buckets { value count } }
}"""


async def segments(graph: Graph) -> None:
    await build(graph)
    await create_segment(graph, SegmentSpec(key="shanghai", name="Shanghai", rule=SHANGHAI))
    await create_segment(graph, SegmentSpec(key="named", name="Named", rule=NAMED))


def ids(*names: str) -> dict[str, Any]:
    return {"edges": [{"node": {"id": n}} for n in names]}


async def test_segment_counts_members_and_analysis_see_only_the_scope(graph: Graph) -> None:
    await segments(graph)
    assert await run(graph, MANAGER, SEGMENTS) == {"data": {
        "segment": {"count": 3, "members": {"totalCount": 3, **ids("a1", "a2", "b1")},
                    "sample": [{"id": "a1"}, {"id": "a2"}, {"id": "b1"}], "portrait": {"size": 3, "population": 4}},
        "segmentOverlap": {"sizes": [3, 2], "union": 4, "regions": [
            {"keys": ["shanghai"], "count": 2}, {"keys": ["named"], "count": 1}, {"keys": ["shanghai", "named"], "count": 1}]},
        "segmentCompare": {"onlyA": {"totalCount": 2, **ids("a2", "b1")}, "onlyB": ids("a3"), "both": ids("a1")},
        "distribution": {"total": 4, "buckets": [{"value": "上海", "count": 3}, {"value": "北京", "count": 1}]},
        "inSegment": {"total": 2, "buckets": [{"value": "上海", "count": 1}, {"value": "北京", "count": 1}]},
    }}
    everything = (await run(graph, ADMIN, SEGMENTS))["data"]
    assert everything["segment"]["count"] == 5 and everything["segment"]["portrait"] == {"size": 5, "population": 6}
    assert everything["segmentOverlap"]["sizes"] == [5, 3]
    assert everything["distribution"]["total"] == 6


async def test_segments_an_account_manager_cannot_limit_are_refused(graph: Graph) -> None:
    await segments(graph)
    saved = await run(graph, MANAGER, '{ segment(key: "top_referrers") { count } }')
    assert saved == {"data": {"segment": None}, "errors": [
        {"message": "segment 'top_referrers' runs an analysts' saved query, which cannot be limited to an account "
                    "manager's companies", "code": "FORBIDDEN", "path": ["segment", "count"]}]}
    cypher = await run(graph, MANAGER, '{ runSegmentQuery(name: "top_referrers") { rows } }')
    assert cypher == {"data": None, "errors": [{"message": "runSegmentQuery is for analysts and admins only",
                                                "code": "FORBIDDEN", "path": ["runSegmentQuery"]}]}


HISTORY = """{ segment(key: "shanghai") {
  history { count hasMembers }
  changes { before { count } after { count } enteredCount leftCount
            entered { totalCount edges { node { id } } } left { edges { node { id } } } }
} }"""


async def test_snapshots_show_an_account_manager_their_members_only(graph: Graph) -> None:
    await segments(graph)
    seg = await require_segment(graph, "shanghai")
    await snapshot_segment(graph, seg, at=T1)  # a1 a2 b1 f1 x1
    await graph.write_text("tests/move", """
        MATCH (a2:Customer {id: 'a2'}), (co1:Company {id: 'co-1'}), (cox:Company {id: 'co-x'})
        SET a2.city = '北京'
        CREATE (:Customer {id: 'a4', name: 'Amy', city: '上海'})-[:WORKS_AT]->(co1)
        CREATE (:Customer {id: 'x2', name: 'Xi', city: '上海'})-[:WORKS_AT]->(cox)
        """, {})
    await snapshot_segment(graph, seg, at=T2)  # a1 a4 b1 f1 x1 x2
    await snapshot_segment(graph, seg, at=T3, with_members=False)
    assert await run(graph, MANAGER, HISTORY) == {"data": {"segment": {
        "history": [{"count": 3, "hasMembers": True}, {"count": 3, "hasMembers": True}],
        "changes": {"before": {"count": 3}, "after": {"count": 3}, "enteredCount": 1, "leftCount": 1,
                    "entered": {"totalCount": 1, **ids("a4")}, "left": ids("a2")}}}}
    assert await run(graph, ADMIN, HISTORY) == {"data": {"segment": {
        "history": [{"count": 5, "hasMembers": True}, {"count": 6, "hasMembers": True},
                    {"count": 6, "hasMembers": False}],
        "changes": {"before": {"count": 5}, "after": {"count": 6}, "enteredCount": 2, "leftCount": 1,
                    "entered": {"totalCount": 2, **ids("a4", "x2")}, "left": ids("a2")}}}}


EXPORT = 'mutation { exportSegment(key: "shanghai", format: JSONL, columns: ["id", "email", "wechat_id"]) { path rows } }'


async def test_exports_hold_only_the_scope_and_mask_personal_attributes(graph: Graph, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    await segments(graph)
    monkeypatch.setenv("CUSTGRAPH_DATA_DIR", str(tmp_path))
    rs.segment_settings.cache_clear()
    try:
        mine = (await run(graph, MANAGER, EXPORT))["data"]["exportSegment"]
    finally:
        rs.segment_settings.cache_clear()
    assert mine["rows"] == 3
    assert [json.loads(line) for line in Path(mine["path"]).read_text(encoding="utf-8").splitlines()] == [
        {"id": "a1", "email": "ada@example.com", "wechat_id": "wx_ada"},
        {"id": "a2", "email": None, "wechat_id": None}, {"id": "b1", "email": None, "wechat_id": None}]
    entry = (await audit.list_entries(graph, action="mutation.exportSegment"))[0]
    assert (entry.actor, entry.role, entry.targets, entry.rows, entry.outcome) == (
        "key:am", "account_manager", [], 3, "ok")
    # An analyst's export masks the attribute marked personal like GraphQL does, in CSV and JSON Lines.
    seg = await require_segment(graph, "shanghai")
    await export_members(graph, seg, tmp_path / "a.csv", columns=["id", "email", "wechat_id"], principal=ANALYST)
    with (tmp_path / "a.csv").open(encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [["id", "email", "wechat_id"], ["a1", "a***@example.com", "***"],
                                        ["a2", "", ""], ["b1", "", ""], ["f1", "", ""], ["x1", "x***@example.com", ""]]
    await export_members(graph, seg, tmp_path / "a.jsonl", fmt="jsonl", columns=["id", "wechat_id"], principal=ANALYST)
    assert (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()[0] == '{"id": "a1", "wechat_id": "***"}'


async def test_analyst_cypher_masks_personal_attributes_like_exports(graph: Graph) -> None:
    await build(graph)
    query = ('{ runCypher(query: "MATCH (c:Customer {id: \'a1\'}) RETURN c {.id, .wechat_id, .email} AS c, '
             'c.wechat_id AS w, [c.wechat_id] AS ws, c[\'wechat_id\'] AS b") { rows } }')
    assert await run(graph, ANALYST, query) == {"data": {"runCypher": {"rows": [{
        "c": {"id": "a1", "wechat_id": "***", "email": "a***@example.com"}, "w": "***", "ws": ["***"], "b": "***"}]}}}
    shown = await run(graph, ADMIN, query)
    assert shown["data"]["runCypher"]["rows"][0]["w"] == "wx_ada"


def cli_args(*argv: str) -> Any:
    from main import build_parser

    return build_parser().parse_args(list(argv))


async def test_cli_exports_and_cypher_runs_are_audited(graph: Graph, tmp_path: Path) -> None:
    await segments(graph)
    console = Console(record=True, width=200, color_system=None)
    assert await dispatch(graph, cli_args("segments", "export", "shanghai", "--out", str(tmp_path / "s.csv")),
                          console) == 0
    assert await dispatch(graph, cli_args("cypher", "query", "MATCH (c:Customer) WHERE c.email = $e RETURN c.id AS id",
                                          "--param", "e=ada@example.com"), console) == 0
    assert await dispatch(graph, cli_args("cypher", "run", "top_referrers", "--param", "min_converted=1"), console) == 0
    assert await dispatch(graph, cli_args("cypher", "query", "MATCH (c) DELETE c"), console) == 2
    assert await dispatch(graph, cli_args("segments", "export", "nope", "--out", str(tmp_path / "n.csv")), console) == 2
    entries = await audit.list_entries(graph)
    user = entries[0].actor
    assert user.startswith("cli:") and {e.actor for e in entries} == {user}
    assert [(e.role, e.action, e.targets, e.rows, e.outcome) for e in reversed(entries)] == [
        ("admin", "export.segment", ["shanghai"], 5, "ok"),
        ("admin", "cypher.runCypher", [], 1, "ok"),
        ("admin", "cypher.runSegmentQuery", ["top_referrers"], 2, "ok"),
        ("admin", "cypher.runCypher", [], 0, "error:BAD_USER_INPUT"),
        ("admin", "export.segment", ["nope"], 0, "error:NOT_FOUND"),
    ]
    assert "ada@example.com" not in str([e.model_dump() for e in entries])


REACHING = {
    # a3 referred b1 (both inside); a1 referred only f1 and was referred only by x1 (both outside).
    "referred": "{referrals: {count: {gte: 1}}}",
    "referredBy": '{referrals: {direction: "in", count: {gte: 1}}}',
    # a1 and b1 know x1: "my customers who know x1" must not reveal that x1 exists.
    "knowX1": '{related: {via: [KNOWS], to: {id: "x1"}}}',
    "notNearX1": '{not: {related: {to: {id: "x1"}}}}',
    # a1 reaches b1 in two KNOWS hops only through x1; inside, a1-a2-a3 lead to b1 by a referral, not KNOWS.
    "knowB1In2": '{related: {via: [KNOWS], maxHops: 2, to: {id: "b1"}}}',
    # Former employments: f1's at co-1 (f1 is outside now), a2's and b1's at co-x (outside): none inside.
    "former": "{employment: {current: false}}",
    "allFormer": "{all: [{employment: {current: false}}]}",  # the employment start anchor, with nothing left over
    "atXeno": '{employment: {company: {attribute: "name", eq: "Xeno"}}}',
    "anyProject": "{project: {count: {gte: 1}}}",
    "twoProjects": "{project: {count: {gte: 2}}}",
    "bigTeam": '{companyHas: {employees: {attribute: "city", eq: "上海"}, count: {gte: 2}}}',
}
REACHING_QUERY = "{ " + " ".join(
    f"{alias}: adhocSegment(rule: {rule}) {{ count members(first: 10) {{ edges {{ node {{ id }} }} }} }}"
    for alias, rule in REACHING.items()) + " }"


def members(*names: str) -> dict[str, Any]:
    return {"count": len(names), "members": ids(*names)}


async def test_rule_conditions_reaching_other_nodes_never_count_outsiders(graph: Graph) -> None:
    """Outsiders do not count for an account manager: as if the customers, companies and projects outside their
    accounts were not in the graph (docs/security.md); an admin's answers show what they would have revealed."""
    await build(graph)
    assert await run(graph, MANAGER, REACHING_QUERY) == {"data": {
        "referred": members("a3"),
        "referredBy": members("b1"),
        "knowX1": members(),
        "notNearX1": members("a1", "a2", "a3", "b1"),
        "knowB1In2": members(),
        "former": members(),
        "allFormer": members(),
        "atXeno": members(),
        "anyProject": members("a1"),
        "twoProjects": members(),
        "bigTeam": members("a1", "a2", "a3"),
    }}
    assert await run(graph, ADMIN, REACHING_QUERY) == {"data": {
        "referred": members("a1", "a3", "x1"),
        "referredBy": members("a1", "b1", "f1"),
        "knowX1": members("a1", "b1"),
        "notNearX1": members("a2", "a3", "f1", "x1"),  # `via` defaults to KNOWS: f1 is x1's colleague only
        "knowB1In2": members("a1", "x1"),
        "former": members("a2", "b1", "f1"),
        "allFormer": members("a2", "b1", "f1"),
        "atXeno": members("a2", "b1", "f1", "x1"),
        "anyProject": members("a1", "x1"),
        "twoProjects": members("a1"),
        "bigTeam": members("a1", "a2", "a3", "f1", "x1"),
    }}
