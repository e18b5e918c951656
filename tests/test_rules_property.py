"""Property: on generated small graphs, compiled Cypher and the Python evaluator select the same ids."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from conftest import clear
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.activity import backfill
from graph.db import Graph
from graph.rules import Catalog, Evaluator, TagInfo, compile_rule, parse_rule
from graph.rules.evaluator import Edge, GraphData
from graph.rules.snapshot import load_graph_data, write_graph_data

AS_OF = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
CATALOG = Catalog(custom={"customer": {"vip_level": "int"}}, tags={"vip": TagInfo("vip"), "gold": TagInfo("gold")})
DAYS = st.sampled_from([-3, 0, 1, 20, 45, 100, 200, 400])


def ago(days: int) -> datetime:
    return AS_OF - timedelta(days=days, hours=1)


@st.composite
def graphs(draw: st.DrawFn) -> GraphData:
    """A graph of up to 6 customers, 2 companies, 2 projects and random relationships."""
    d = GraphData()
    n = draw(st.integers(1, 6))
    cust = [f"c{i}" for i in range(n)]
    for c in cust:
        props: dict[str, Any] = {"id": c}
        for key, values in (("city", ["a", "b", "ab"]), ("vip_level", [0, 1, 3]),
                            ("birth_date", [date(1980, 1, 1), date(1999, 9, 9)])):
            v = draw(st.sampled_from([None, *values]))
            if v is not None:
                props[key] = v
        d.nodes["Customer"][c] = props
    d.nodes["Company"].update({f"co{i}": {"id": f"co{i}", "industry": ["x", "y"][i], "employees": 10 * i} for i in range(2)})
    d.nodes["Project"].update({f"p{i}": {"id": f"p{i}", "stage": ["won", "proposal"][i]} for i in range(2)})
    pick_c = st.sampled_from(cust)
    for k, (c, typ, days, amount) in enumerate(draw(st.lists(st.tuples(
            pick_c, st.sampled_from(["purchase", "call"]), DAYS, st.sampled_from([None, 10.0, 25.5])), max_size=12))):
        d.nodes["Interaction"][f"i{k}"] = {"id": f"i{k}", "type": typ, "occurred_at": ago(days), "amount": amount}
        d.edges.append(Edge("PERFORMED", c, f"i{k}", {}))
    for c, co, until, title in draw(st.lists(st.tuples(pick_c, st.sampled_from(["co0", "co1"]), st.sampled_from(
            [None, date(2020, 1, 1), date(2030, 1, 1)]), st.sampled_from(["CTO", "dev"])), max_size=6)):
        props = {"title": title, "since": date(2015, 1, 1)} | ({"until": until} if until else {})
        d.edges.append(Edge("WORKS_AT", c, co, props))
    for a, b in draw(st.lists(st.tuples(pick_c, pick_c), max_size=6)):
        d.edges.append(Edge("KNOWS", a, b, {}))
    for a, b, days, conv in draw(st.lists(st.tuples(pick_c, pick_c, DAYS, st.sampled_from([None, True, False])),
                                          max_size=6)):
        d.edges.append(Edge("REFERRED", a, b, {"at": ago(days)} | ({} if conv is None else {"converted": conv})))
    for c, p, role in draw(st.lists(st.tuples(pick_c, st.sampled_from(["p0", "p1"]),
                                              st.sampled_from(["decision_maker", "user"])), max_size=5)):
        d.edges.append(Edge("MEMBER_OF", c, p, {"role": role}))
    owners = st.sampled_from([*cust, "co0", "co1"])
    for who, key, src, score, expires in draw(st.lists(st.tuples(owners, st.sampled_from(["vip", "gold"]), st.sampled_from(
            ["manual", "rule"]), st.sampled_from([None, 0.5, 1.0]), st.sampled_from([None, 10, -10])), max_size=6)):
        props = {"source": src, "assigned_at": ago(60)} | ({"score": score} if score is not None else {})
        d.edges.append(Edge("HAS_TAG", who, key, props | ({"expires_at": ago(expires)} if expires else {})))
    return d


NUM = st.sampled_from([{"gte": 1}, {"gte": 2}, {"lt": 2}, {"eq": 0}, {"between": [1, 3]}, {"ne": 1}, {"in": [0, 2]}])
WITHIN = st.sampled_from([{}, {"within": "P30D"}, {"within": "P180D"}, {"from": "2025-01-01", "to": "2026-06-01"}])
TYPES = st.sampled_from([{}, {"type": "purchase"}, {"type": ["purchase", "call"]}])

attribute = st.sampled_from([
    {"attribute": "city", "eq": "a"}, {"attribute": "city", "ne": "a"}, {"attribute": "city", "in": ["a", "b"]},
    {"attribute": "city", "startsWith": "a"}, {"attribute": "city", "contains": "b"},
    {"attribute": "city", "exists": True}, {"attribute": "vip_level", "gte": 1},
    {"attribute": "vip_level", "between": [0, 1]}, {"attribute": "birth_date", "lt": "1990-01-01"},
])
tag = st.builds(lambda k, extra: {"tag": k} | extra, st.sampled_from(["vip", "gold"]), st.sampled_from(
    [{}, {"minScore": 0.8}, {"source": "manual"}, {"validAt": "2026-06-25T00:00:00Z"}]))
simple = st.one_of(attribute, tag)
interactions = st.builds(
    lambda t, w, m, cmp, where: {"interactions": t | w | where | {m: cmp}}, TYPES, WITHIN,
    st.sampled_from(["count", "sum", "avg", "distinctDays"]),
    st.sampled_from([{"gte": 1}, {"gte": 2}, {"gt": 20}, {"lt": 15}]),
    st.sampled_from([{}, {"where": {"attribute": "amount", "gte": 20}}]))
recency = st.builds(lambda which, t, w: {which: t | w}, st.sampled_from(["lastInteraction", "firstInteraction"]), TYPES,
                    st.sampled_from([{"olderThan": "P90D"}, {"within": "P30D"}, {"olderThan": "P30D", "within": "P1Y"}]))
referrals = st.builds(lambda d, w, conv, cnt: {"referrals": {"direction": d, "count": cnt} | w | conv},
                      st.sampled_from(["out", "in"]), WITHIN, st.sampled_from([{}, {"converted": True},
                                                                               {"converted": False}]), NUM)
employment = st.builds(lambda parts: {"employment": parts}, st.fixed_dictionaries({}, optional={
    "company": st.sampled_from([{"attribute": "industry", "eq": "x"}, {"tag": "vip"}]),
    "title": st.sampled_from(["CTO", {"in": ["dev"]}]), "current": st.booleans(), "sinceBefore": st.just("2016-01-01")}))
project = st.builds(lambda parts: {"project": parts}, st.fixed_dictionaries({}, optional={
    "role": st.just("decision_maker"), "where": st.just({"attribute": "stage", "in": ["proposal"]}), "count": NUM}))
related = st.builds(
    lambda via, hops, to, cnt, direction: {"related": {"via": via, "maxHops": hops, "to": to, "count": cnt}
                                           | ({"direction": direction} if via == ["REFERRED"] else {})},
    st.sampled_from([["KNOWS"], ["REFERRED"], ["COLLEAGUE"], ["KNOWS", "REFERRED", "COLLEAGUE"]]), st.integers(1, 3),
    st.one_of(simple, st.sampled_from([{"id": "c0"}, {"id": "c1"}])), NUM, st.sampled_from(["both", "in", "out"]))
company_has = st.builds(lambda emp, cnt: {"companyHas": {"employees": emp, "count": cnt}}, simple, NUM)
leaf = st.one_of(attribute, tag, interactions, recency, referrals, employment, project, related, company_has)
rules = st.recursive(leaf, lambda kids: st.one_of(
    st.builds(lambda xs: {"all": xs}, st.lists(kids, min_size=1, max_size=3)),
    st.builds(lambda xs: {"any": xs}, st.lists(kids, min_size=1, max_size=3)),
    st.builds(lambda x: {"not": x}, kids)), max_leaves=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=graphs(), batch=st.lists(rules, min_size=1, max_size=4), digest=st.booleans())
async def test_compiled_rules_agree_with_the_evaluator(graph: Graph, data: GraphData, batch: list[Any],
                                                       digest: bool) -> None:
    await clear(graph)
    await write_graph_data(graph, data)
    if digest:  # windowed counts then read the activity digest; without it, the interactions
        await backfill(graph)
    evaluator = Evaluator(await load_graph_data(graph), AS_OF)
    for raw in batch:
        node = parse_rule(raw, CATALOG)
        compiled = compile_rule(node, AS_OF)
        got = {r["id"] for r in await graph.read_text("property", compiled.text, compiled.params)}
        assert got == evaluator.select(node), (raw, compiled.text)


# Conditions the activity digest answers (graph/activity.py): windowed counts and recency of named types.
DIGEST_TYPES = st.sampled_from([{"type": "purchase"}, {"type": ["purchase", "call"]}, {"type": "call"}])
digest_leaf = st.one_of(
    st.builds(lambda t, w, cmp: {"interactions": t | w | {"count": cmp}}, DIGEST_TYPES,
              st.sampled_from([{"within": "P30D"}, {"within": "P180D"}, {"from": "2025-01-01", "to": "2026-06-01"},
                               {"from": "2026-06-01"}]), NUM),
    st.builds(lambda which, t, w: {which: t | w}, st.sampled_from(["lastInteraction", "firstInteraction"]), DIGEST_TYPES,
              st.sampled_from([{"olderThan": "P90D"}, {"within": "P30D"}, {"olderThan": "P30D", "within": "P1Y"}])))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=graphs(), batch=st.lists(digest_leaf, min_size=1, max_size=4))
async def test_rules_read_from_the_activity_digest_agree_with_the_evaluator(graph: Graph, data: GraphData,
                                                                            batch: list[Any]) -> None:
    await clear(graph)
    await write_graph_data(graph, data)
    await backfill(graph)
    evaluator = Evaluator(await load_graph_data(graph), AS_OF)
    for raw in batch:
        node = parse_rule(raw, CATALOG)
        compiled = compile_rule(node, AS_OF)
        assert "activity_v" in compiled.text, raw
        got = {r["id"] for r in await graph.read_text("property", compiled.text, compiled.params)}
        assert got == evaluator.select(node), (raw, compiled.text)
