"""Validity expiry, history as-of queries, manual tagging and explanations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_tags_world import T0, ago, build, holders

from graph.db import Graph
from graph.errors import BadInputError, NotFoundError
from graph.rules import load_catalog, parse_rule, select_ids
from graph.tag_assign import assign_tag, unassign_tag
from graph.tag_explain import why_tagged
from graph.tag_history import tag_history, tags_at
from graph.tag_refresh import refresh_tags

DAY = timedelta(days=1)


async def test_expired_tags_stop_counting_and_refresh_removes_them(graph: Graph) -> None:
    await build(graph)
    await refresh_tags(graph, as_of=T0)
    rule = parse_rule({"tag": "important_customer"}, await load_catalog(graph))
    assert await select_ids(graph, rule, T0 + DAY) == {"a", "b"}
    assert await select_ids(graph, rule, T0 + 3 * DAY) == set()  # validFor P2D has passed
    await graph.write_text("t", "MATCH (:Customer {id: 'b'})-[r:REFERRED]->() DETACH DELETE r", {})
    report = await refresh_tags(graph, tag="important_customer", as_of=T0 + 3 * DAY)
    (result,) = report.tags
    assert (result.added, result.removed, result.expired, result.unchanged) == (1, 0, 2, 0)
    assert (await holders(graph))["important_customer"] == {"a"}
    events = [(e.action, e.at, e.run_id) for e in await tag_history(graph, "a", key="important_customer")]
    first_run = events[0][2]
    assert events == [("add", T0, first_run), ("expire", T0 + 3 * DAY, report.run_id), ("add", T0 + 3 * DAY, report.run_id)]
    b_events = [(e.action, e.at) for e in await tag_history(graph, "b", key="important_customer")]
    assert b_events == [("add", T0), ("expire", T0 + 3 * DAY)]


async def test_tags_at_a_date(graph: Graph) -> None:
    await build(graph)
    await refresh_tags(graph, as_of=T0)
    await graph.write_text("t", "MATCH (:Customer {id: 'a'})-[:PERFORMED]->(i) DETACH DELETE i", {})
    await refresh_tags(graph, as_of=T0 + DAY)
    before = {t.key for t in await tags_at(graph, "a", T0 - DAY)}
    during = {t.key: t for t in await tags_at(graph, "a", T0 + timedelta(hours=1))}
    after = {t.key for t in await tags_at(graph, "a", T0 + DAY + timedelta(hours=1))}
    expired = {t.key for t in await tags_at(graph, "a", T0 + 5 * DAY)}
    assert before == set()
    assert set(during) == {"important_customer", "colleague_of_vip", "key_account", "purchases_180d", "spend_365d",
                           "last_contact_days"}
    assert (during["purchases_180d"].value, during["purchases_180d"].source) == (3, "statistical")
    assert after == {"colleague_of_vip", "silent_customer"}  # b is still important; co1 has one VIP left
    assert expired == set()
    assert {t.key for t in await tags_at(graph, "g", T0 + 5 * DAY)} == {"vip"}  # manual: no validity period


async def test_manual_tagging_by_ids_and_by_rule(graph: Graph) -> None:
    await build(graph)
    first = await assign_tag(graph, "vip", ids=["a", "g", "nobody"], by="alice", reason="fair", at=T0)
    assert (first.changed, first.unchanged, first.missing) == (1, 1, ["nobody"])
    by_rule = await assign_tag(graph, "vip", rule={"project": {"role": "decision_maker"}}, by="bob", at=T0)
    assert (by_rule.changed, by_rule.unchanged) == (2, 0)
    assert (await holders(graph))["vip"] == {"a", "e", "f", "g"}
    await refresh_tags(graph, as_of=T0)
    assert (await holders(graph))["vip"] == {"a", "e", "f", "g"}  # refresh never removes manual tags
    removed = await unassign_tag(graph, "vip", ids=["f", "c"], by="carol", reason="left", at=T0 + DAY)
    assert (removed.changed, removed.unchanged, removed.missing) == (1, 1, [])
    events = [(e.action, e.by, e.reason) for e in await tag_history(graph, "f", key="vip")]
    assert events == [("add", "bob", ""), ("remove", "carol", "left")]
    with pytest.raises(BadInputError, match="give either customer ids or a rule"):
        await assign_tag(graph, "vip", by="x")
    with pytest.raises(NotFoundError, match="tag 'nope' not found"):
        await assign_tag(graph, "nope", ids=["a"], by="x")


async def test_explanations(graph: Graph) -> None:
    await build(graph)
    await refresh_tags(graph, as_of=T0)
    why = await why_tagged(graph, "a", "important_customer", as_of=T0)
    assert (why.tagged, why.source, why.run_id is not None) == (True, "rule", True)
    got = [(b.path, b.held, b.value, b.text, b.evidence) for b in why.branches]
    assert got == [
        ("rule.any[0].interactions", True, "3", "count of purchase interactions in P180D = 3 ≥ 3", ["i0", "i1", "i2"]),
        ("rule.any[1].referrals", False, "0", "converted referrals made = 0 ≥ 2", []),
    ]
    assert why.summary == f"count of purchase interactions in P180D = 3 ≥ 3 (as of {T0.isoformat()})"

    referred = await why_tagged(graph, "d1", "referred_by_vip", as_of=T0)
    assert [(b.held, b.evidence) for b in referred.branches] == [(True, ["d1 — b"])]

    colleague = await why_tagged(graph, "h", "colleague_of_vip", as_of=T0)
    assert colleague.branches[0].evidence == ["h — co2 — g"]

    company = await why_tagged(graph, "co1", "key_account", as_of=T0)
    assert [(b.value, b.evidence) for b in company.branches] == [("2", ["a", "b"])]
    contact = await why_tagged(graph, "c", "key_account", as_of=T0)
    assert [(b.held, b.evidence) for b in contact.branches] == [(True, ["co1"])]

    manual = await why_tagged(graph, "g", "vip")
    assert (manual.source, manual.assigned_by, manual.reason, manual.assigned_at) == ("manual", "alice",
                                                                                      "met at the fair", ago(5))
    assert manual.summary == f"tagged 'vip' by alice at {ago(5).isoformat()} because 'met at the fair'"

    stat = await why_tagged(graph, "a", "spend_365d", as_of=T0)
    assert (stat.value, stat.branches[0].value, stat.branches[0].evidence) == ("low", "600.0", ["i0", "i1", "i2"])

    untagged = await why_tagged(graph, "c", "important_customer", as_of=T0)
    assert (untagged.tagged, untagged.summary) == (False, f"no condition holds (as of {T0.isoformat()})")
