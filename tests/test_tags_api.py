"""The tag engine through GraphQL (schema.execute with a real Context)."""

from __future__ import annotations

from test_api_graph import ok, run
from test_tags_world import T0, build

from graph.db import Graph


async def test_refresh_then_read_tags_history_and_explanations(graph: Graph) -> None:
    await build(graph)
    at = T0.isoformat()
    data = await ok(graph, 'mutation($at: DateTime) { refreshTags(asOf: $at) { status error added results { key added } } }',
                    {"at": at})
    run_ = data["refreshTags"]
    assert (run_["status"], run_["error"], run_["added"]) == ("DONE", None, 33)
    assert {"key": "important_customer", "added": 2} in run_["results"]
    q = """query($at: DateTime, $later: DateTime) { customer(id: "a") {
        now: tags { key }
        then: tags(validAt: $later) { key source value }
        tagHistory(tag: "important_customer") { action at runId }
        whyTagged(tag: "important_customer", asOf: $at) { tagged source summary branches { path held value evidence } }
      }
      tag(key: "important_customer") { key coverage(asOf: $later) { holders total } definition { kind validFor uses readable } }
      tagDefinitions(kind: "STATISTICAL") { key entity }
      tagRuns(first: 1) { status by }
    }"""
    data = await ok(graph, q, {"at": at, "later": T0.replace(hour=13).isoformat()})
    c = data["customer"]
    assert c["now"] == []  # validFor P2D: all of a's tags have expired by now
    assert {t["key"]: (t["source"], t["value"]) for t in c["then"]} == {
        "important_customer": ("rule", None), "colleague_of_vip": ("rule", None), "key_account": ("rule", None),
        "purchases_180d": ("statistical", 3), "spend_365d": ("statistical", "low"), "last_contact_days": ("statistical", 10),
    }
    assert c["tagHistory"] == [{"action": "add", "at": at, "runId": c["tagHistory"][0]["runId"]}]
    assert c["whyTagged"] == {"tagged": True, "source": "rule",
                              "summary": f"count of purchase interactions in P180D = 3 ≥ 3 (as of {at})",
                              "branches": [
                                  {"path": "rule.any[0].interactions", "held": True, "value": "3",
                                   "evidence": ["i0", "i1", "i2"]},
                                  {"path": "rule.any[1].referrals", "held": False, "value": "0", "evidence": []}]}
    assert data["tag"] == {"key": "important_customer", "coverage": {"holders": 2, "total": 12}, "definition": {
        "kind": "RULE", "validFor": "P2D", "uses": [],
        "readable": "(count of purchase interactions in P180D ≥ 3 or converted referrals made ≥ 2)"}}
    assert [d["key"] for d in data["tagDefinitions"]] == ["last_contact_days", "purchases_180d",
                                                           "referrals_converted", "spend_365d"]
    assert data["tagRuns"] == [{"status": "DONE", "by": "anonymous"}]


async def test_definition_and_manual_tagging_mutations(graph: Graph) -> None:
    await build(graph)
    bad = await run(graph, """mutation { createTag(input: {key: "x", name: "X", kind: "RULE", definition:
        {rule: {any: [{tag: "vip"}, {referrals: {count: {gtx: 2}}}]}}}) { key } }""")
    (err,) = bad["errors"]
    assert (err["message"], err["extensions"]["code"]) == (
        "rule.any[1].referrals.count: unknown operator 'gtx' (expected one of eq, ne, in, gt, gte, lt, lte, between)",
        "BAD_USER_INPUT")
    made = await ok(graph, """mutation { createTag(input: {key: "big_city", name: "Big city", kind: "RULE",
        status: "ACTIVE", validFor: "P1D", definition: {rule: {attribute: "name", in: ["A", "B"]}}}) {
        key status validFor readable } }""")
    assert made["createTag"] == {"key": "big_city", "status": "ACTIVE", "validFor": "P1D",
                                 "readable": "name in ['A', 'B']"}
    assigned = await ok(graph, """mutation { assignTag(key: "vip", customerIds: ["a", "zz"], reason: "fair") {
        changed unchanged missing } }""")
    assert assigned["assignTag"] == {"changed": 1, "unchanged": 0, "missing": ["zz"]}
    by_rule = await ok(graph, """mutation { unassignTag(key: "vip", rule: {attribute: "name", eq: "A"}) {
        changed } }""")
    assert by_rule["unassignTag"] == {"changed": 1}
    preview = await ok(graph, '{ previewRule(rule: {related: {via: ["COLLEAGUE"], to: {id: "g"}}}) { readable count ids } }')
    assert preview["previewRule"] == {"readable": "customer 'g' within 1 hop(s) via COLLEAGUE", "count": 1, "ids": ["h"]}
    retired = await ok(graph, 'mutation { retireTag(key: "big_city") { removed tag { status } } }')
    assert retired["retireTag"] == {"removed": 0, "tag": {"status": "RETIRED"}}


async def test_cli_command(graph: Graph) -> None:
    import io

    from rich.console import Console

    from resolvers.tag_commands import tags_command

    buf = io.StringIO()
    console = Console(file=buf, width=200)
    assert await tags_command(graph, "install-catalogue", console=console) == 0
    await build(graph)
    assert await tags_command(graph, "refresh", as_of=T0, console=console) == 0
    assert await tags_command(graph, "refresh", tag="vip", console=console) == 2
    assert await tags_command(graph, "runs", console=console) == 0
    text = buf.getvalue()
    assert "created: vip, important_customer" in text
    assert "│ important_customer          │ 2     │ 0       │ 0       │ 0       │ 0         │" in text
    assert "tag 'vip' is manual; refresh computes automatic tags only" in text
    assert "DONE" in text


async def test_cli_through_main(graph: Graph, db_dir: object, capsys: object) -> None:
    import asyncio

    import main

    await build(graph)
    args = ["--data-dir", str(db_dir), "tags", "refresh", "--tag", "referred_by_vip", "--as-of", T0.isoformat()]
    assert await asyncio.to_thread(main.main, args) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "important_cu" in out and "referred_by" in out and "DONE" in out  # wrapped at 80 columns
    assert await asyncio.to_thread(main.main, ["--data-dir", str(db_dir), "tags", "refresh", "--tag", "nope"]) == 2
    assert "tag 'nope' not found" in capsys.readouterr().out  # type: ignore[attr-defined]
