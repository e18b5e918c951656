"""Segments on a hand-built graph: definitions, exact members of rule and saved-query segments, pages, samples."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from graph.db import Graph
from graph.errors import BadInputError, ConflictError, NotFoundError
from graph.segment_members import audience, count_members, member_ids, member_page, sample_members
from graph.segment_queries import saved_queries
from graph.segments import (
    SegmentSpec,
    adhoc_segment,
    create_segment,
    delete_segment,
    get_segment,
    list_segments,
    update_segment,
)

AS_OF = datetime(2025, 7, 1, tzinfo=UTC)
TODAY = date(2025, 7, 1)


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


CUSTOMERS: list[dict[str, Any]] = [
    {"id": "a1", "name": "Alice", "gender": "female", "city": "Shanghai", "birth_date": date(1990, 5, 17),
     "source_channel": "web", "created_at": dt("2024-01-01"), "consent_marketing": True, "vip_level": 3,
     "email": "alice@example.com"},
    {"id": "a2", "name": "Bob", "gender": "male", "city": "Beijing", "birth_date": date(1985, 1, 1),
     "source_channel": "referral", "created_at": dt("2024-02-01"), "consent_marketing": False, "vip_level": 1,
     "email": "bob@example.com"},
    {"id": "a3", "name": "Carol", "gender": "female", "city": "Shanghai", "birth_date": date(2000, 2, 2),
     "source_channel": "web", "created_at": dt("2025-06-20"), "consent_marketing": True, "vip_level": 0,
     "email": "carol@example.com"},
    {"id": "a4", "name": "Dan", "gender": "male", "city": "Shenzhen", "source_channel": "ads",
     "created_at": dt("2023-01-01"), "email": "dan@example.com"},
    {"id": "a5", "name": "Eve", "gender": "female", "city": "Shanghai", "birth_date": date(1970, 1, 1),
     "source_channel": "referral", "created_at": dt("2023-05-01"), "consent_marketing": True, "vip_level": 5,
     "email": "eve@example.com"},
    {"id": "a6", "name": "Frank", "gender": "other", "city": "Beijing", "birth_date": date(2010, 1, 1),
     "source_channel": "web", "created_at": dt("2022-01-01"), "consent_marketing": True, "email": "frank@example.com"},
]
COMPANIES = [
    {"id": "co1", "name": "Acme", "industry": "software", "employees": 500},
    {"id": "co2", "name": "Globex", "industry": "finance", "employees": 50},
]
PROJECTS = [("co1", {"id": "p1", "name": "CRM", "stage": "proposal", "value": 50000.0, "company_id": "co1"}),
            ("co2", {"id": "p2", "name": "Audit", "stage": "won", "value": 80000.0, "company_id": "co2"})]
WORKS_AT = [("a1", "co1", None), ("a2", "co1", None), ("a4", "co2", None), ("a5", "co2", None),
            ("a3", "co2", date(2024, 1, 1))]
REFERRED = [("a1", "a2", True), ("a2", "a3", True), ("a5", "a6", False), ("a1", "a4", True)]
KNOWS = [("a3", "a1"), ("a3", "a5"), ("a6", "a1")]
TAGS = [{"key": "vip", "name": "VIP", "category": "value", "status": "ACTIVE"},
        {"key": "churned", "name": "Churned", "category": "risk", "status": "ACTIVE"},
        {"key": "early", "name": "Early adopter", "category": "value", "status": "ACTIVE"}]
HAS_TAG = [("a1", "vip", dt("2025-01-01"), None), ("a5", "vip", dt("2025-02-01"), None),
           ("a4", "churned", dt("2025-03-01"), None), ("a2", "early", dt("2024-01-01"), dt("2025-01-01"))]
INTERACTIONS = [("i1", "a1", "purchase", dt("2025-06-20"), 300.0), ("i2", "a1", "purchase", dt("2025-03-01"), 200.0),
                ("i3", "a2", "purchase", dt("2024-01-10"), 50.0), ("i4", "a4", "purchase", dt("2024-09-01"), 20.0),
                ("i5", "a5", "purchase", dt("2025-06-25"), 1000.0), ("i6", "a5", "purchase", dt("2025-06-26"), 10.0),
                ("i7", "a5", "call", dt("2025-06-27"), None)]

SHANGHAI = {"attribute": "city", "eq": "Shanghai"}
SPENDERS = {"interactions": {"type": "purchase", "within": "P180D", "sum": {"gte": 250}}}
AT_ACME = {"employment": {"company": {"attribute": "name", "eq": "Acme"}, "current": True}}


async def build(graph: Graph) -> None:
    """Write the segment test graph with plain Cypher."""
    w = graph.write_text
    await w("t/customers", "UNWIND $rows AS row CREATE (c:Customer) SET c = row", {"rows": CUSTOMERS})
    await w("t/defs", "UNWIND $rows AS row CREATE (d:AttributeDef) SET d = row", {"rows": [
        {"id": "customer.consent_marketing", "entity": "customer", "key": "consent_marketing", "type": "bool",
         "personal": False},
        {"id": "customer.vip_level", "entity": "customer", "key": "vip_level", "type": "int", "personal": False}]})
    await w("t/companies", "UNWIND $rows AS row CREATE (c:Company) SET c = row", {"rows": COMPANIES})
    for co, p in PROJECTS:
        await w("t/project", "MATCH (co:Company {id: $co}) CREATE (co)-[:OWNS]->(p:Project) SET p = $p",
                {"co": co, "p": p})
    for c, co, until in WORKS_AT:
        await w("t/works", "MATCH (c:Customer {id: $c}), (co:Company {id: $co}) "
                "CREATE (c)-[:WORKS_AT {since: $since, until: $until}]->(co)",
                {"c": c, "co": co, "since": date(2020, 1, 1), "until": until})
    for a, b, conv in REFERRED:
        await w("t/ref", "MATCH (a:Customer {id: $a}), (b:Customer {id: $b}) "
                "CREATE (a)-[:REFERRED {at: $at, converted: $conv}]->(b)", {"a": a, "b": b, "conv": conv,
                                                                            "at": dt("2024-06-01")})
    for a, b in KNOWS:
        await w("t/knows", "MATCH (a:Customer {id: $a}), (b:Customer {id: $b}) CREATE (a)-[:KNOWS]->(b)",
                {"a": a, "b": b})
    await w("t/tags", "UNWIND $rows AS row CREATE (t:Tag) SET t = row", {"rows": TAGS})
    for c, t, at, until in HAS_TAG:
        await w("t/has_tag", "MATCH (c:Customer {id: $c}), (t:Tag {key: $t}) "
                "CREATE (c)-[:HAS_TAG {source: 'rule', assigned_at: $at, expires_at: $until}]->(t)",
                {"c": c, "t": t, "at": at, "until": until})
    for iid, c, typ, at, amount in INTERACTIONS:
        await w("t/interaction", "MATCH (c:Customer {id: $c}) CREATE (c)-[:PERFORMED]->(:Interaction "
                "{id: $id, type: $type, occurred_at: $at, amount: $amount, customer_id: $c})",
                {"c": c, "id": iid, "type": typ, "at": at, "amount": amount})


async def define_standard(graph: Graph) -> None:
    """Store the three rule segments most tests use."""
    for key, rule in (("shanghai", SHANGHAI), ("spenders", SPENDERS), ("at_acme", AT_ACME)):
        await create_segment(graph, SegmentSpec(key=key, name=key.title(), rule=rule, owner="mkt"))


@pytest.fixture
async def seg(graph: Graph) -> Graph:
    """The session's graph holding the segment test graph and the standard segments."""
    await build(graph)
    await define_standard(graph)
    return graph


async def members(graph: Graph, key: str, params: dict[str, Any] | None = None) -> list[str]:
    found = await get_segment(graph, key)
    assert found is not None
    return await member_ids(graph, await audience(graph, found, AS_OF, params=params))


async def test_rule_segments_have_exact_members(seg: Graph) -> None:
    assert await members(seg, "shanghai") == ["a1", "a3", "a5"]
    assert await members(seg, "spenders") == ["a1", "a5"]
    assert await members(seg, "at_acme") == ["a1", "a2"]


async def test_segment_condition_inlines_stored_segments(seg: Graph) -> None:
    rule = {"all": [{"segment": "shanghai"}, {"not": {"segment": "spenders"}}]}
    await create_segment(seg, SegmentSpec(key="shanghai_quiet", name="Quiet Shanghai", rule=rule))
    assert await members(seg, "shanghai_quiet") == ["a3"]
    adhoc = await audience(seg, adhoc_segment({"any": [{"segment": "shanghai_quiet"}, {"segment": "at_acme"}]}), AS_OF)
    assert await member_ids(seg, adhoc) == ["a1", "a2", "a3"]


async def test_segment_cycles_and_unknown_segments_are_rejected(seg: Graph) -> None:
    await create_segment(seg, SegmentSpec(key="outer", name="Outer", rule={"segment": "shanghai"}))
    with pytest.raises(BadInputError, match="segment dependency cycle shanghai -> outer -> shanghai"):
        await update_segment(seg, "shanghai", {"rule": {"segment": "outer"}})
    with pytest.raises(ConflictError, match="segment 'shanghai' is used by segment 'outer'; change those first"):
        await delete_segment(seg, "shanghai")
    with pytest.raises(BadInputError, match="segment dependency cycle loop -> loop"):
        await create_segment(seg, SegmentSpec(key="loop", name="Loop", rule={"segment": "loop"}))
    with pytest.raises(BadInputError, match="rule.segment: unknown segment 'nope'"):
        await create_segment(seg, SegmentSpec(key="bad", name="Bad", rule={"segment": "nope"}))
    with pytest.raises(BadInputError, match=r"rule.attribute: unknown customer attribute 'shoe_size'"):
        await create_segment(seg, SegmentSpec(key="bad", name="Bad", rule={"attribute": "shoe_size", "eq": 1}))


async def test_create_update_delete_and_list(seg: Graph) -> None:
    with pytest.raises(ConflictError, match="segment 'shanghai' already exists"):
        await create_segment(seg, SegmentSpec(key="shanghai", name="Again", rule=SHANGHAI))
    with pytest.raises(ConflictError, match="already exists as a saved query file"):
        await create_segment(seg, SegmentSpec(key="top_referrers", name="X", rule=SHANGHAI))
    with pytest.raises(BadInputError, match="must be lower case"):
        await create_segment(seg, SegmentSpec(key="Big Spenders", name="X", rule=SHANGHAI))
    with pytest.raises(BadInputError, match="either a rule or a saved query"):
        await create_segment(seg, SegmentSpec(key="neither", name="X"))
    changed = await update_segment(seg, "shanghai", {"status": "ARCHIVED", "description": "old city rule"})
    assert (changed.status, changed.description, changed.rule, changed.owner) == (
        "ARCHIVED", "old city rule", SHANGHAI, "mkt")
    with pytest.raises(BadInputError, match="unknown segment status 'GONE'"):
        await update_segment(seg, "shanghai", {"status": "GONE"})
    with pytest.raises(NotFoundError, match="segment 'nope' not found"):
        await update_segment(seg, "nope", {"name": "x"})
    listed = await list_segments(seg)
    assert [s.key for s in listed] == sorted(["at_acme", "shanghai", "spenders", *saved_queries()])
    assert {s.key: s.kind for s in listed}["top_referrers"] == "CYPHER"
    assert [s.key for s in await list_segments(seg, status="ARCHIVED")] == ["shanghai"]
    assert await delete_segment(seg, "shanghai") is True
    assert await delete_segment(seg, "shanghai") is False
    assert await get_segment(seg, "shanghai") is None


async def test_saved_query_segments_have_exact_members(seg: Graph) -> None:
    assert await members(seg, "referral_chain_from_vip", {"max_hops": 2, "as_of": AS_OF}) == ["a2", "a3", "a4", "a6"]
    assert await members(seg, "referral_chain_from_vip", {"max_hops": 1, "as_of": AS_OF}) == ["a2", "a4", "a6"]
    assert await members(seg, "warm_leads_near_tag", {"as_of": AS_OF}) == ["a3"]
    assert await members(seg, "dormant_at_key_companies", {"today": TODAY}) == ["a2"]
    assert await members(seg, "colleagues_of_churned", {"churn_tag": "churned", "as_of": AS_OF,
                                                        "today": TODAY}) == ["a5"]
    assert await members(seg, "open_project_above_value", {"today": TODAY}) == ["a1", "a2"]
    assert await members(seg, "top_referrers") == ["a1"]
    assert await members(seg, "big_spenders_in_city") == ["a1", "a5"]


async def test_stored_segment_can_point_at_a_saved_query_with_params(seg: Graph) -> None:
    spec = SegmentSpec(key="direct_vip_referrals", name="Direct VIP referrals", query="referral_chain_from_vip",
                       params={"max_hops": 1})
    made = await create_segment(seg, spec)
    assert (made.kind, made.query, made.params) == ("CYPHER", "referral_chain_from_vip", {"max_hops": 1})
    assert await members(seg, "direct_vip_referrals", {"as_of": AS_OF}) == ["a2", "a4", "a6"]
    with pytest.raises(BadInputError, match="param 'max_hops' must be a whole number"):
        await create_segment(seg, spec.model_copy(update={"key": "x", "params": {"max_hops": "many"}}))
    with pytest.raises(BadInputError, match="param 'hops' is not declared"):
        await create_segment(seg, spec.model_copy(update={"key": "x", "params": {"hops": 1}}))


async def test_count_pages_and_sample(seg: Graph) -> None:
    aud = await audience(seg, adhoc_segment({"attribute": "email", "contains": "@example.com"}), AS_OF)
    assert await count_members(seg, aud) == 6
    first = await member_page(seg, aud, 4)
    assert ([c.id for c in first.customers], first.has_next) == (["a1", "a2", "a3", "a4"], True)
    assert first.customers[0].attributes == {"consent_marketing": True, "vip_level": 3}
    # A member added before the cursor does not shift the next page.
    await seg.write_text("t/add", "CREATE (:Customer {id: 'a0', email: 'zed@example.com'})", {})
    rest = await member_page(seg, aud, 4, first.cursors[-1])
    assert ([c.id for c in rest.customers], rest.has_next) == (["a5", "a6"], False)
    sample = await sample_members(seg, aud, 3)
    assert len(sample) == 3 and {c.id for c in sample} <= {"a0", "a1", "a2", "a3", "a4", "a5", "a6"}
    assert len({c.id for c in sample}) == 3
    with pytest.raises(BadInputError, match="not a valid cursor"):
        await member_page(seg, aud, 4, "garbage!")


async def test_an_employment_condition_is_the_start_anchor(seg: Graph) -> None:
    """Rules starting from the companies an employment condition names select what a scan of customers selects."""
    rules: list[tuple[dict[str, Any], list[str]]] = [
        ({"all": [{"employment": {"company": {"attribute": "employees", "gte": 100}, "current": True}},
                  {"any": [SPENDERS, {"referrals": {"direction": "out", "count": {"gte": 2}}}]}]}, ["a1"]),
        ({"all": [{"employment": {"current": True}}, {"not": {"attribute": "city", "eq": "Beijing"}}]},
         ["a1", "a4", "a5"]),
        ({"employment": {"current": False}}, ["a3"]),
        ({"all": [{"segment": "at_acme"}, {"attribute": "gender", "eq": "male"}]}, ["a2"]),
    ]
    for rule, expected in rules:
        anchored = await audience(seg, adhoc_segment(rule), AS_OF)
        assert anchored.anchor.startswith(("MATCH (anchor_co:Company)", "MATCH (c:Customer)-[anchor_w:WORKS_AT]"))
        assert anchored.distinct
        scan = await audience(seg, adhoc_segment({"any": [rule]}), AS_OF)  # an `any` has no required condition
        assert scan.anchor == "MATCH (c:Customer)"
        assert await member_ids(seg, anchored) == await member_ids(seg, scan) == expected
        assert await count_members(seg, anchored) == len(expected)


async def test_anchored_rules_count_each_member_once(seg: Graph) -> None:
    # A second, expired vip assignment for a1: the tag anchor reaches a1 twice.
    await seg.write_text("t/again", "MATCH (c:Customer {id: 'a1'}), (t:Tag {key: 'vip'}) "
                         "CREATE (c)-[:HAS_TAG {assigned_at: $at, expires_at: $at}]->(t)", {"at": dt("2024-01-01")})
    vip = await audience(seg, adhoc_segment({"all": [{"tag": "vip"}, {"attribute": "gender", "eq": "female"}]}), AS_OF)
    assert vip.anchor.startswith("MATCH (:Tag") and vip.distinct
    assert (await count_members(seg, vip), await member_ids(seg, vip)) == (2, ["a1", "a5"])
    assert [c.id for c in (await member_page(seg, vip, 10)).customers] == ["a1", "a5"]
    city = await audience(seg, adhoc_segment({"all": [{"attribute": "city", "in": ["Beijing", "Shenzhen"]},
                                                      {"not": {"segment": "at_acme"}}]}), AS_OF)
    assert city.anchor.startswith("UNWIND") and await member_ids(seg, city) == ["a4", "a6"]
    one = await audience(seg, adhoc_segment({"segment": "shanghai"}), AS_OF)
    assert one.anchor == "MATCH (c:Customer {`city`: $s_anchor})" and await member_ids(seg, one) == ["a1", "a3", "a5"]
    either = await audience(seg, adhoc_segment({"any": [{"tag": "vip"}, {"attribute": "city", "eq": "Beijing"}]}), AS_OF)
    assert either.anchor == "MATCH (c:Customer)" and await member_ids(seg, either) == ["a1", "a2", "a5", "a6"]
