"""The rule language on a hand-built graph: exact matches per condition kind, compiled and evaluated."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from graph.db import Graph
from graph.rules import Evaluator, branches, compile_explain, compile_rule, load_catalog, parse_rule
from graph.rules.compiler import count_keys
from graph.rules.evaluator import Edge, GraphData
from graph.rules.snapshot import load_graph_data, write_graph_data
from graph.tag_definition import interaction_statistics

AS_OF = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def ago(days: float) -> datetime:
    return AS_OF - timedelta(days=days)


def sample() -> GraphData:
    """Five customers, two companies, two projects, interactions, referrals and a VIP tag."""
    d = GraphData()
    d.nodes["Customer"].update({
        "c1": {"id": "c1", "name": "Li Lei", "city": "上海", "birth_date": date(1980, 5, 1), "vip_level": 3,
               "created_at": datetime(2015, 1, 1, tzinfo=UTC)},
        "c2": {"id": "c2", "name": "Han Meimei", "city": "北京", "vip_level": 1},
        "c3": {"id": "c3", "name": "Wang Fang", "city": "上海", "birth_date": date(1995, 2, 3)},
        "c4": {"id": "c4", "name": "Zhang Wei", "city": "深圳"},
        "c5": {"id": "c5", "name": "Liu Yang"},
    })
    d.nodes["Company"].update({
        "co1": {"id": "co1", "name": "Acme", "industry": "tech", "employees": 500},
        "co2": {"id": "co2", "name": "Tiny", "industry": "retail", "employees": 20},
    })
    d.nodes["Project"].update({
        "p1": {"id": "p1", "name": "Rollout", "stage": "negotiation", "value": 50000.0},
        "p2": {"id": "p2", "name": "Pilot", "stage": "won", "value": 8000.0},
    })
    interactions = [
        ("i1", "c1", "purchase", ago(10), 100.0), ("i2", "c1", "purchase", ago(40), 200.0),
        ("i3", "c1", "purchase", ago(40.2), 50.0), ("i4", "c1", "purchase", ago(170), None),
        ("i5", "c1", "purchase", ago(400), 999.0), ("i6", "c2", "call", ago(100), None),
        ("i7", "c4", "purchase", ago(10), 30.0),
    ]
    for iid, cid, typ, at, amount in interactions:
        d.nodes["Interaction"][iid] = {"id": iid, "type": typ, "occurred_at": at, "amount": amount, "customer_id": cid}
        d.edges.append(Edge("PERFORMED", cid, iid, {}))
    d.edges += [
        Edge("WORKS_AT", "c1", "co1", {"title": "CTO", "since": date(2010, 3, 1)}),
        Edge("WORKS_AT", "c2", "co1", {"title": "Engineer", "since": date(2020, 1, 1)}),
        Edge("WORKS_AT", "c3", "co2", {"title": "Clerk", "since": date(2018, 1, 1), "until": date(2024, 1, 1)}),
        Edge("WORKS_AT", "c4", "co2", {"title": "Buyer", "since": date(2022, 1, 1)}),
        Edge("REFERRED", "c1", "c2", {"at": ago(300), "converted": True}),
        Edge("REFERRED", "c1", "c3", {"at": ago(20), "converted": True}),
        Edge("REFERRED", "c1", "c4", {"at": ago(20), "converted": False}),
        Edge("REFERRED", "c3", "c5", {"at": ago(5), "converted": True}),
        Edge("KNOWS", "c2", "c3", {}),
        Edge("KNOWS", "c4", "c1", {}),
        Edge("MEMBER_OF", "c4", "p1", {"role": "decision_maker"}),
        Edge("MEMBER_OF", "c2", "p2", {"role": "engineer"}),
        Edge("MEMBER_OF", "c2", "p1", {"role": "engineer"}),
        Edge("HAS_TAG", "c1", "vip", {"source": "manual", "score": 1.0, "assigned_at": ago(30)}),
        Edge("HAS_TAG", "c3", "vip", {"source": "rule", "score": 0.5, "assigned_at": ago(30), "expires_at": ago(1)}),
        Edge("HAS_TAG", "co1", "vip", {"source": "manual", "assigned_at": ago(30)}),
    ]
    return d


@pytest.fixture
async def world(graph: Graph) -> Graph:
    await write_graph_data(graph, sample())
    await graph.write_text(
        "tests/attr", "CREATE (:AttributeDef {id: 'customer.vip_level', entity: 'customer', key: 'vip_level', type: 'int'})", {}
    )
    return graph


async def matches(graph: Graph, rule: dict[str, Any], entity: str = "customer") -> set[str]:
    """Run the compiled rule and check the evaluator agrees; return the matching ids."""
    node = parse_rule(rule, await load_catalog(graph), entity=entity)
    compiled = compile_rule(node, AS_OF, entity=entity)
    got = {r["id"] for r in await graph.read_text("test", compiled.text, compiled.params)}
    expected = Evaluator(await load_graph_data(graph), AS_OF).select(node, entity)
    assert got == expected, compiled.text
    return got


CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("eq", {"attribute": "city", "eq": "上海"}, {"c1", "c3"}),
    ("ne skips missing", {"attribute": "city", "ne": "上海"}, {"c2", "c4"}),
    ("in", {"attribute": "city", "in": ["北京", "深圳"]}, {"c2", "c4"}),
    ("custom gt", {"attribute": "vip_level", "gt": 1}, {"c1"}),
    ("between", {"attribute": "vip_level", "between": [1, 3]}, {"c1", "c2"}),
    ("contains", {"attribute": "name", "contains": "Wei"}, {"c4"}),
    ("startsWith", {"attribute": "name", "startsWith": "L"}, {"c1", "c5"}),
    ("exists", {"attribute": "birth_date", "exists": True}, {"c1", "c3"}),
    ("not exists", {"attribute": "birth_date", "exists": False}, {"c2", "c4", "c5"}),
    ("date compares as date", {"attribute": "birth_date", "lt": "1990-01-01"}, {"c1"}),
    ("datetime", {"attribute": "created_at", "lt": "2016-01-01T00:00:00Z"}, {"c1"}),
    ("not", {"not": {"attribute": "city", "eq": "上海"}}, {"c2", "c4", "c5"}),
    ("all", {"all": [{"attribute": "city", "eq": "上海"}, {"attribute": "vip_level", "exists": True}]}, {"c1"}),
    ("tag valid", {"tag": "vip"}, {"c1"}),
    ("tag valid in the past", {"tag": "vip", "validAt": "2026-06-20T00:00:00Z"}, {"c1", "c3"}),
    ("tag source", {"tag": "vip", "source": "rule", "validAt": "2026-06-20T00:00:00Z"}, {"c3"}),
    ("tag anchor in all", {"all": [{"attribute": "city", "eq": "上海"}, {"tag": "vip", "validAt": "2026-06-20T00:00:00Z"}]},
     {"c1", "c3"}),
    ("tag minScore", {"tag": "vip", "minScore": 0.8, "validAt": "2026-06-20T00:00:00Z"}, {"c1"}),
    ("important: purchases", {"interactions": {"type": "purchase", "within": "P180D", "count": {"gte": 3}}}, {"c1"}),
    ("sum", {"interactions": {"type": "purchase", "within": "P180D", "sum": {"gt": 300}}}, {"c1"}),
    ("avg", {"interactions": {"type": "purchase", "within": "P180D", "avg": {"lt": 100}}}, {"c4"}),
    ("distinct days", {"interactions": {"within": "P180D", "distinctDays": {"gte": 3}}}, {"c1"}),
    ("where", {"interactions": {"where": {"attribute": "amount", "gte": 200}}}, {"c1"}),
    ("from/to", {"interactions": {"from": "2025-01-01", "to": "2025-12-31"}}, {"c1"}),
    ("lastInteraction olderThan", {"lastInteraction": {"olderThan": "P90D"}}, {"c2"}),
    ("silent", {"not": {"lastInteraction": {"within": "P90D"}}}, {"c2", "c3", "c5"}),
    ("firstInteraction within", {"firstInteraction": {"within": "P30D"}}, {"c4"}),
    ("firstInteraction olderThan", {"firstInteraction": {"olderThan": "P1Y"}}, {"c1"}),
    ("referrals converted", {"referrals": {"direction": "out", "converted": True, "count": {"gte": 2}}}, {"c1"}),
    ("referrals within", {"referrals": {"direction": "out", "within": "P30D"}}, {"c1", "c3"}),
    ("referrals in", {"referrals": {"direction": "in", "converted": False}}, {"c4"}),
    ("employment same edge", {"employment": {"company": {"attribute": "industry", "eq": "tech"}, "title": "CTO"}}, {"c1"}),
    ("employment since", {"employment": {"sinceBefore": "2011-01-01", "current": True}}, {"c1"}),
    ("employment past", {"employment": {"current": False}}, {"c3"}),
    ("employment company tag", {"employment": {"company": {"tag": "vip"}}}, {"c1", "c2"}),
    ("project open decision maker", {"project": {"role": "decision_maker", "where": {
        "attribute": "stage", "in": ["lead", "qualified", "proposal", "negotiation"]}}}, {"c4"}),
    ("project count", {"project": {"count": {"gte": 2}}}, {"c2"}),
    ("related knows", {"related": {"via": ["KNOWS"], "to": {"tag": "vip"}}}, {"c4"}),
    ("related 2 hops", {"related": {"via": ["KNOWS", "REFERRED"], "maxHops": 2, "to": {"id": "c5"}}}, {"c1", "c2", "c3"}),
    ("referred by vip", {"related": {"via": ["REFERRED"], "direction": "in", "to": {"tag": "vip"}}}, {"c2", "c3", "c4"}),
    ("colleague of vip", {"related": {"via": ["COLLEAGUE"], "to": {"tag": "vip"}}}, {"c2"}),
    ("related count", {"related": {"via": ["KNOWS", "REFERRED", "COLLEAGUE"], "to": {"attribute": "city", "exists": True},
                                   "count": {"gte": 3}}}, {"c1"}),
    ("companyHas", {"companyHas": {"employees": {"attribute": "vip_level", "exists": True}, "count": {"gte": 2}}},
     {"c1", "c2"}),
]


@pytest.mark.parametrize(("rule", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_condition_kinds(world: Graph, rule: dict[str, Any], expected: set[str]) -> None:
    assert await matches(world, rule) == expected


async def test_company_rules(world: Graph) -> None:
    rule = {"companyHas": {"employees": {"interactions": {"type": "purchase"}}, "count": {"gte": 1}}}
    assert await matches(world, rule, "company") == {"co1", "co2"}
    assert await matches(world, {"all": [rule, {"tag": "vip"}]}, "company") == {"co1"}


async def test_accounts_are_counted_from_the_holders_of_required_tags(world: Graph) -> None:
    vips = {"any": [{"tag": "vip"}, {"all": [{"tag": "vip", "minScore": 0.5}, {"attribute": "city", "eq": "上海"}]}]}
    for rule in ({"companyHas": {"employees": {"tag": "vip"}, "count": {"gte": 1}}},
                 {"all": [{"companyHas": {"employees": vips, "count": {"gte": 1}}}, {"attribute": "name", "exists": True}]},
                 {"companyHas": {"employees": {"tag": "vip"}, "count": {"gte": 2}}}):
        node = parse_rule(rule, await load_catalog(world), entity="company")
        assert compile_rule(node, AS_OF, entity="company").text.startswith("MATCH (ga:Tag) WHERE ga.key IN $r0 ")
        assert await matches(world, rule, "company") == await matches(world, {"any": [rule]}, "company")
    assert await matches(world, {"companyHas": {"employees": {"tag": "vip"}, "count": {"gte": 1}}}, "company")


async def test_rules_can_read_interaction_counts_measured_in_one_pass(world: Graph) -> None:
    rules: list[dict[str, Any]] = [
        {"interactions": {"type": "purchase", "within": "P180D", "count": {"gte": 2}}},
        {"interactions": {"type": ["call", "visit"], "count": {"lt": 1}}},
        {"any": [{"lastInteraction": {"olderThan": "P90D"}}, {"firstInteraction": {"within": "P30D"}}]},
        {"not": {"lastInteraction": {"type": "purchase", "within": "P90D"}}},
        {"related": {"via": ["KNOWS"], "to": {"interactions": {"type": "purchase", "count": {"gte": 1}}}}},
    ]
    catalog = await load_catalog(world)
    for raw in rules:
        node = parse_rule(raw, catalog)
        keys = sorted(count_keys(node, AS_OF), key=repr)
        q = interaction_statistics([], AS_OF, keys)
        (row,) = await world.read_text("test", q.text, q.params)
        measured = {k: {r[0]: r[j + 1] for r in row["rows"] if r[j + 1]} for j, k in enumerate(keys)}
        compiled = compile_rule(node, AS_OF, measured=measured)
        assert "PERFORMED" not in compiled.text
        got = {r["id"] for r in await world.read_text("test", compiled.text, compiled.params)}
        assert got == await matches(world, raw), raw


async def test_a_tag_condition_is_the_start_anchor(world: Graph) -> None:
    catalog = await load_catalog(world)
    anchored = compile_rule(parse_rule({"all": [{"attribute": "city", "eq": "上海"}, {"tag": "vip"}]}, catalog), AS_OF)
    assert anchored.text.startswith("MATCH (g2:Tag {key: $r0})<-[t1:HAS_TAG]-(c:Customer) WHERE ")
    plain = compile_rule(parse_rule({"any": [{"attribute": "city", "eq": "上海"}, {"tag": "vip"}]}, catalog), AS_OF)
    assert plain.text.startswith("MATCH (c:Customer) WHERE ")


async def test_compiled_text_carries_no_values(world: Graph) -> None:
    node = parse_rule({"attribute": "city", "eq": "x') DETACH DELETE (n"}, await load_catalog(world))
    compiled = compile_rule(node, AS_OF)
    assert "DETACH" not in compiled.text and compiled.params["r0"] == "x') DETACH DELETE (n"


async def test_explain_reports_measured_values_and_evidence(world: Graph) -> None:
    rule = {"any": [
        {"interactions": {"type": "purchase", "within": "P180D", "count": {"gte": 3}}},
        {"referrals": {"direction": "out", "converted": True, "count": {"gte": 2}}},
        {"related": {"via": ["KNOWS", "REFERRED"], "maxHops": 2, "to": {"id": "c5"}}},
    ]}
    q = compile_explain(parse_rule(rule, await load_catalog(world)), AS_OF)
    (row,) = await world.read_text("test", q.text, {**q.params, "ids": ["c1"]})
    got = [(b.path, b.held, b.value, b.text, b.evidence) for b in branches(q, row)]
    assert got == [
        ("rule.any[0].interactions", True, 4, "count of purchase interactions in P180D = 4 ≥ 3",
         ("i1", "i2", "i3", "i4")),
        ("rule.any[1].referrals", True, 2, "converted referrals made = 2 ≥ 2", ("c1 -> c2", "c1 -> c3")),
        ("rule.any[2].related", True, 1, "customer 'c5' within 2 hop(s) via KNOWS/REFERRED = 1 ≥ 1",
         ("c1 — c3 — c5",)),
    ]
