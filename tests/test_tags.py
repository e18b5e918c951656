"""Tag engine: catalogue, refresh of every starter tag with exact assignments, idempotence, rollback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_tags_world import CUSTOMERS, T0, build, holders, values

from graph.db import Graph
from graph.errors import BadInputError, ConflictError
from graph.tag_catalogue import CATALOGUE, install_catalogue
from graph.tag_refresh import TagResult, list_runs, refresh_tags
from graph.tags import TagSpec, coverage, create_tag, get_tag, list_tags, retire_tag, update_tag

EXPECTED = {
    "vip": {"g"},
    "important_customer": {"a", "b"},
    "super_referrer": {"b"},
    "referred_by_vip": {"d1", "d2", "d3", "d4", "d5"},
    "colleague_of_vip": {"a", "b", "c", "h"},
    "open_project_decision_maker": {"e"},
    "key_account": {"co1", "a", "b", "c"},
    "silent_customer": set(CUSTOMERS) - {"a"},
    "purchases_180d": {"a"},
    "spend_365d": {"a"},
    "last_contact_days": {"a", "e"},
    "referrals_converted": {"b"},
}


async def test_catalogue_installs_once(graph: Graph) -> None:
    first = await install_catalogue(graph)
    assert first.created == [s.key for s in CATALOGUE]
    second = await install_catalogue(graph)
    assert (second.created, second.unchanged) == ([], [s.key for s in CATALOGUE])
    tags = await list_tags(graph, status="ACTIVE")
    assert [t.key for t in tags] == sorted(s.key for s in CATALOGUE)
    referred = await get_tag(graph, "referred_by_vip")
    assert referred is not None and referred.uses == ("important_customer", "vip")


async def test_refresh_assigns_every_starter_tag_exactly(graph: Graph) -> None:
    await build(graph)
    seen: list[str] = []
    report = await refresh_tags(graph, as_of=T0, by="test", on_tag=lambda r: seen.append(r.key))
    assert report.status == "DONE", report.error
    assert await holders(graph) == EXPECTED
    # tags used by other tags come first
    assert seen.index("important_customer") < min(seen.index("referred_by_vip"), seen.index("key_account"))
    added = {r.key: r.added for r in report.tags}
    assert added == {k: len(v) for k, v in EXPECTED.items() if k != "vip"}
    assert await values(graph, "purchases_180d") == {"a": 3}
    assert await values(graph, "spend_365d") == {"a": "low"}
    assert await values(graph, "last_contact_days") == {"a": 10, "e": 100}
    assert await values(graph, "referrals_converted") == {"b": 3}
    assert await coverage(graph, "important_customer", T0) == (2, len(CUSTOMERS))
    row = (await graph.read_text("t", "MATCH (:Customer {id: 'a'})-[r:HAS_TAG]->(:Tag {key: 'important_customer'}) "
                                 "RETURN r {.*} AS r", {}))[0]["r"]
    assert (row["source"], row["score"], row["assigned_at"], row["expires_at"], row["run_id"]) == (
        "rule", 1.0, T0, T0 + timedelta(days=2), report.run_id)


async def test_refresh_of_one_tag_refreshes_what_it_uses_first(graph: Graph) -> None:
    await build(graph)
    report = await refresh_tags(graph, tag="key_account", as_of=T0)
    assert [r.key for r in report.tags] == ["important_customer", "key_account"]
    assert await holders(graph) == {k: v for k, v in EXPECTED.items() if k in ("vip", "important_customer", "key_account")}


async def test_refresh_is_idempotent(graph: Graph) -> None:
    await build(graph)
    await refresh_tags(graph, as_of=T0)
    again = await refresh_tags(graph, as_of=T0)
    assert await holders(graph) == EXPECTED
    assert all((r.added, r.removed, r.expired, r.updated) == (0, 0, 0, 0) for r in again.tags)
    assert sum(r.unchanged for r in again.tags) == sum(len(v) for k, v in EXPECTED.items() if k != "vip")


async def test_refresh_removes_what_no_longer_holds_but_never_manual(graph: Graph) -> None:
    from graph.tag_assign import assign_tag

    await build(graph)
    await refresh_tags(graph, as_of=T0)
    await assign_tag(graph, "important_customer", ids=["e"], by="bob", reason="big deal", at=T0)
    await graph.write_text("t", "MATCH (:Customer {id: 'a'})-[:PERFORMED]->(i) DETACH DELETE i", {})
    report = await refresh_tags(graph, tag="important_customer", as_of=T0 + timedelta(hours=1))
    assert report.tags == [TagResult("important_customer", 0, 1, 0, 1, 0, report.tags[0].seconds)]
    assert (await holders(graph))["important_customer"] == {"b", "e"}


async def test_failed_refresh_leaves_assignments_intact(graph: Graph) -> None:
    await build(graph)
    await refresh_tags(graph, as_of=T0)
    before = await holders(graph)
    await graph.write_text("t", "MATCH (:Customer {id: 'a'})-[:PERFORMED]->(i) DETACH DELETE i", {})

    def stop_midway(result: TagResult) -> None:
        if result.key == "important_customer":  # already applied inside the transaction
            raise RuntimeError("disk full")

    report = await refresh_tags(graph, as_of=T0 + timedelta(hours=1), by="test", on_tag=stop_midway)
    assert (report.status, report.error) == ("FAILED", "RuntimeError: disk full")
    assert await holders(graph) == before
    runs = await list_runs(graph)
    assert [(r["status"], r.get("error")) for r in runs[:2]] == [("FAILED", "RuntimeError: disk full"), ("DONE", None)]
    assert runs[1]["added"] == sum(len(v) for k, v in EXPECTED.items() if k != "vip")


async def test_definition_validation(graph: Graph) -> None:
    await install_catalogue(graph)
    cases = [
        (TagSpec(key="Bad Key", name="x"), "tag key 'Bad Key' must match [a-z0-9_]+"),
        (TagSpec(key="x", name="x", category="mood"), "tag category 'mood' is not one of"),
        (TagSpec(key="x", name="x", valid_for="2 days"), "validFor: '2 days' is not an ISO 8601 duration"),
        (TagSpec(key="x", name="x", kind="RULE"), "a RULE tag needs a definition"),
        (TagSpec(key="x", name="x", kind="RULE", definition={"rule": {"tag": "nope"}}), "rule.tag: unknown tag 'nope'"),
        (TagSpec(key="x", name="x", kind="RULE", definition={"rule": {"any": [{"tag": "vip"}, {"referrals": {
            "count": {"gtx": 1}}}]}}), "rule.any[1].referrals.count: unknown operator 'gtx'"),
        (TagSpec(key="x", name="x", kind="STATISTICAL", definition={"statistic": "median", "interactions": {}}),
         "definition.statistic: unknown statistic 'median'"),
    ]
    for spec, message in cases:
        with pytest.raises(BadInputError) as info:
            await create_tag(graph, spec, by="test")
        assert info.value.message.startswith(message), info.value.message
    with pytest.raises(BadInputError, match=r"^rule.tag: tag dependency cycle important_customer -> referred_by_vip"):
        await update_tag(graph, "important_customer", {"definition": {"rule": {"tag": "referred_by_vip"}}}, by="t")
    with pytest.raises(ConflictError, match="tag 'vip' already exists"):
        await create_tag(graph, CATALOGUE[0], by="test")


async def test_update_and_retire(graph: Graph) -> None:
    await build(graph)
    await refresh_tags(graph, as_of=T0)
    changed = await update_tag(graph, "super_referrer", {"name": "Top referrer", "valid_for": "P7D"}, by="carol")
    assert (changed.name, changed.valid_for, changed.updated_by) == ("Top referrer", "P7D", "carol")
    with pytest.raises(ConflictError, match="tag 'vip' is used by colleague_of_vip, key_account, referred_by_vip; change"):
        await retire_tag(graph, "vip", by="carol")
    retired, removed = await retire_tag(graph, "super_referrer", by="carol", reason="replaced")
    assert (retired.status, removed) == ("RETIRED", 1)
    assert "super_referrer" not in await holders(graph)
    report = await refresh_tags(graph, as_of=T0)
    assert "super_referrer" not in [r.key for r in report.tags]
