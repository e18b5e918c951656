"""Consent, personal-data export and erasure — erasure proven by scanning every property in the graph."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from graph import audit, privacy
from graph.auth import Principal, scopes_for
from graph.db import Graph
from graph.errors import BadInputError, NotFoundError
from graph.masking import mark_personal

ADMIN = Principal(id="key:dpo", role="admin", scopes=scopes_for("admin"))
AT = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
T1 = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
T2 = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)

NAME, EMAIL, PHONE, WECHAT = "王伟", "wang.wei@example.com", "+8613812345678", "wx_wangwei_88"
SECRETS = [NAME, EMAIL, PHONE, PHONE[3:], WECHAT, "wang.wei"]


async def build(graph: Graph) -> None:
    """c-1 (the person) with every kind of data the service holds about someone; c-2, c-3 around."""
    await mark_personal(graph, "customer", "wechat_id")
    await graph.write_text("tests/people", """
        CREATE (c:Customer {id: 'c-1', name: $name, name_lc: $name, first_name: '伟', last_name: '王', email: $email,
                            phone: $phone, birth_date: date('1988-04-01'), city: '上海', wechat_id: $wechat, vip_level: 3})
        CREATE (dup:Customer {id: 'c-1b', name: $name, email: $email})
        CREATE (o:Customer {id: 'c-2', name: 'Li Na', email: 'li.na@example.com'})
        CREATE (r:Customer {id: 'c-3', name: 'Zhao Lei'})
        CREATE (co:Company {id: 'co-1', name: 'Acme'})
        CREATE (p:Project {id: 'p-1', name: 'ERP', company_id: 'co-1'})
        CREATE (co)-[:OWNS]->(p)
        CREATE (c)-[:WORKS_AT {title: 'CFO', since: date('2019-01-01')}]->(co)
        CREATE (c)-[:MEMBER_OF {role: 'sponsor'}]->(p)
        CREATE (c)-[:KNOWS {since: $t1}]->(o)
        CREATE (c)-[:REFERRED {at: $t1, converted: true, project_id: 'p-1'}]->(r)
        CREATE (o)-[:REFERRED {at: $t2, converted: false}]->(c)
        CREATE (c)-[:PERFORMED]->(:Interaction {id: 'i-1', type: 'purchase', occurred_at: $t1, amount: 120.5,
                                                customer_id: 'c-1', subject: 'order for ' + $email, channel: 'web'})
        CREATE (c)-[:PERFORMED]->(i2:Interaction {id: 'i-2', type: 'call', occurred_at: $t2, customer_id: 'c-1',
                                                  project_id: 'p-1', subject: 'called ' + $phone})
        CREATE (i2)-[:ABOUT]->(p)
        """, {"name": NAME, "email": EMAIL, "phone": PHONE, "wechat": WECHAT, "t1": T1, "t2": T2})
    await graph.write("tag/create_tag", props={"key": "vip", "name": "VIP", "kind": "MANUAL", "status": "ACTIVE"},
                      at=T1, by="alice")
    await graph.write("tag/add_assignments", key="vip", rows=[{"entity": "customer", "id": "c-1", "score": 1.0,
                      "value": None}, {"entity": "customer", "id": "c-2", "score": 1.0, "value": None}],
                      source="rule", at=T1, expires_at=None, by="cli", run_id="run-1")
    await graph.write("segment/create_snapshot", id="snap-1", key="big_spenders", at=T2, count=2, members=["c-1", "c-2"])
    await graph.write("import/merge_customers", pairs=[{"kept_id": "c-1", "merged_id": "c-1b", "reason": "same email",
                                                        "fill": {}}], now=T2)
    await privacy.set_consent(graph, ADMIN, "c-1", "marketing", True, at=T1)


async def everything(graph: Graph) -> list[dict[str, Any]]:
    nodes = await graph.read_text("tests/all", "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", {})
    rels = await graph.read_text("tests/all", "MATCH ()-[r]->() RETURN type(r) AS type, properties(r) AS props", {})
    return nodes + rels


async def test_consent_is_recorded_with_its_time(graph: Graph) -> None:
    await graph.write_text("tests/c", "CREATE (:Customer {id: 'c-1'})", {})
    await privacy.set_consent(graph, ADMIN, "c-1", "marketing", True, at=T1)
    await privacy.set_consent(graph, ADMIN, "c-1", "marketing", False, at=T2)
    rows = await graph.read_text("tests/c", "MATCH (c:Customer {id: 'c-1'}) RETURN c.consent_marketing AS ok, "
                                 "c.consent_marketing_at AS at", {})
    assert rows == [{"ok": False, "at": T2}]
    defs = await graph.read_text("tests/d", "MATCH (d:AttributeDef) RETURN d.id AS id, d.type AS type ORDER BY id", {})
    assert defs == [{"id": "customer.consent_marketing", "type": "bool"},
                    {"id": "customer.consent_marketing_at", "type": "datetime"}]
    with pytest.raises(BadInputError, match="^consent purpose 'spam' is not one of marketing, profiling, third_party$"):
        await privacy.set_consent(graph, ADMIN, "c-1", "spam", True)
    with pytest.raises(NotFoundError, match="^customer 'c-404' not found$"):
        await privacy.set_consent(graph, ADMIN, "c-404", "marketing", True)
    assert [(e.action, e.outcome) for e in await audit.list_entries(graph)] == [
        ("customer.consent", "error:NOT_FOUND"), ("customer.consent", "ok"), ("customer.consent", "ok")]


async def test_export_holds_everything_about_the_person(graph: Graph) -> None:
    await build(graph)
    data = await privacy.export_personal_data(graph, ADMIN, "c-1", now=AT)
    assert data["attributes"] == {
        "id": "c-1", "name": NAME, "name_lc": NAME, "first_name": "伟", "last_name": "王", "email": EMAIL,
        "phone": PHONE, "birth_date": "1988-04-01", "city": "上海", "wechat_id": WECHAT, "vip_level": 3,
        "consent_marketing": True, "consent_marketing_at": T1.isoformat(), "updated_at": T1.isoformat()}
    assert data["consent"] == {"consent_marketing": True, "consent_marketing_at": T1.isoformat()}
    assert data["employment"] == [{"company_id": "co-1", "company_name": "Acme", "since": "2019-01-01", "title": "CFO",
                                   "until": None}]
    assert data["projects"] == [{"project_id": "p-1", "project_name": "ERP", "role": "sponsor", "since": None}]
    assert [(t["tag_key"], t["source"]) for t in data["tags"]] == [("vip", "rule")]
    assert [(e["tag_key"], e["action"], e["at"]) for e in data["tag_history"]] == [("vip", "add", T1.isoformat())]
    assert [(i["id"], i["type"], i.get("amount")) for i in data["interactions"]] == [("i-1", "purchase", 120.5),
                                                                                    ("i-2", "call", None)]
    assert data["relationships"] == {
        "knows": [{"customer_id": "c-2", "since": T1.isoformat()}],
        "referred": [{"customer_id": "c-3", "at": T1.isoformat(), "converted": True}],
        "referred_by": [{"customer_id": "c-2", "at": T2.isoformat(), "converted": False}]}
    assert data["segment_snapshots"] == [{"id": "snap-1", "segment_key": "big_spenders", "at": T2.isoformat()}]
    assert [(m["kept_id"], m["merged_id"], m["reason"]) for m in data["merge_records"]] == [("c-1", "c-1b", "same email")]
    assert (data["customer_id"], data["exported_at"]) == ("c-1", AT.isoformat())
    assert "Li Na" not in str(data)  # other people appear by id only
    entry = (await audit.list_entries(graph, action="customer.export"))[0]
    assert (entry.actor, entry.targets, entry.rows, entry.outcome) == ("key:dpo", ["c-1"], 1, "ok")


async def test_erasure_leaves_nothing_findable_and_keeps_aggregates(graph: Graph) -> None:
    await build(graph)
    before = str(await everything(graph))
    assert all(secret in before for secret in SECRETS)
    done = await privacy.erase_customer(graph, ADMIN, "c-1", now=AT)
    assert {k: v for k, v in done.items() if k != "erased_as"} == {
        "tag_events": 1, "snapshots": 1, "merge_records": 1, "interactions": 2}
    anon = done["erased_as"]
    dump = str(await everything(graph))
    for secret in SECRETS:
        assert secret not in dump, f"{secret!r} is still in the graph"
    # The id survives only in the audit log (who erased whom, proof of erasure).
    rest = [x for x in await everything(graph) if "AuditEntry" not in x.get("labels", [])]
    assert "'c-1'" not in str(rest)
    erased = await graph.read_text("tests/e", "MATCH (e:ErasedCustomer) RETURN properties(e) AS p", {})
    assert erased == [{"p": {"id": anon, "erased_at": AT, "interaction_count": 2, "interaction_amount": 120.5}}]
    interactions = await graph.read_text(
        "tests/i", "MATCH (e:ErasedCustomer)-[:PERFORMED]->(i:Interaction) RETURN properties(i) AS p ORDER BY i.id", {})
    assert interactions == [
        {"p": {"id": "i-1", "type": "purchase", "occurred_at": T1, "amount": 120.5, "customer_id": anon}},
        {"p": {"id": "i-2", "type": "call", "occurred_at": T2, "project_id": "p-1", "customer_id": anon}}]
    referrals = await graph.read_text("tests/r", "MATCH (a)-[r:REFERRED]->(b) RETURN a.id AS a, b.id AS b, "
                                      "properties(r) AS p ORDER BY a", {})
    assert referrals == [{"a": "c-2", "b": anon, "p": {"at": T2, "converted": False}},
                         {"a": anon, "b": "c-3", "p": {"at": T1, "converted": True}}]
    assert await graph.read_text("tests/t", "MATCH (:Customer)-[r:HAS_TAG]->() RETURN count(r) AS n", {}) == [{"n": 1}]
    snap = await graph.read_text("tests/s", "MATCH (s:SegmentSnapshot) RETURN s.members AS m, s.count AS n", {})
    assert snap == [{"m": ["c-2"], "n": 2}]
    assert await graph.read_text("tests/p", "MATCH (p:Project)<-[:ABOUT]-(i) RETURN i.id AS i", {}) == [{"i": "i-2"}]
    entry = (await audit.list_entries(graph, action="customer.erase"))[0]
    assert (entry.actor, entry.targets, entry.rows, entry.outcome, entry.at) == ("key:dpo", ["c-1"], 1, "ok", AT)
    with pytest.raises(NotFoundError, match="^customer 'c-1' not found$"):
        await privacy.erase_customer(graph, ADMIN, "c-1")
    with pytest.raises(NotFoundError):
        await privacy.export_personal_data(graph, ADMIN, "c-1")


def test_marketing_consent_predicate() -> None:
    assert privacy.MARKETING_CONSENT == "coalesce(c.consent_marketing, false) = true"
    assert date(2026, 1, 1).isoformat() == "2026-01-01"
