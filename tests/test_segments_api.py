"""Segments, analysis and analyst Cypher through schema.execute with a real Context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_segments import SHANGHAI, seg

from graph.db import Graph
from resolvers import segments as rs
from resolvers.context import Context
from schema.app import build_schema

__all__ = ["seg"]

SCHEMA = build_schema()
AS_OF = "2025-07-01T00:00:00+00:00"


async def run(graph: Graph, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    result = await SCHEMA.execute(query, variable_values=variables, context_value=Context.build(graph))
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
    return out


async def ok(graph: Graph, query: str, variables: dict[str, Any] | None = None) -> Any:
    out = await run(graph, query, variables)
    assert "errors" not in out, out["errors"]
    return out["data"]


async def error(graph: Graph, query: str, variables: dict[str, Any] | None = None) -> tuple[str, str]:
    out = await run(graph, query, variables)
    assert "errors" in out, out
    e = out["errors"][0]
    return e["extensions"]["code"], e["message"]


MEMBERS = """
query($key: String!, $after: String, $asOf: DateTime) {
  segment(key: $key) {
    key kind count(asOf: $asOf)
    members(first: 2, after: $after, asOf: $asOf) {
      edges { cursor node { id city attributes portrait(asOf: $asOf) { lifecycleStage } } }
      pageInfo { hasNextPage endCursor } totalCount
    }
    sample(n: 2, asOf: $asOf) { id }
  }
}"""


async def test_create_segment_and_page_its_members(seg: Graph) -> None:
    made = await ok(seg, """mutation($rule: JSON) { createSegment(input: {key: "sh_female", name: "Shanghai women",
        owner: "mkt", rule: $rule}) { key kind rule status owner source } }""",
                    {"rule": {"all": [{"segment": "shanghai"}, {"attribute": "gender", "eq": "female"}]}})
    assert made["createSegment"] == {"key": "sh_female", "kind": "RULE", "status": "ACTIVE", "owner": "mkt",
                                     "source": "graph",
                                     "rule": {"all": [{"segment": "shanghai"}, {"attribute": "gender", "eq": "female"}]}}
    first = (await ok(seg, MEMBERS, {"key": "sh_female", "asOf": AS_OF}))["segment"]
    assert (first["count"], first["members"]["totalCount"], first["members"]["pageInfo"]["hasNextPage"]) == (3, 3, True)
    assert [(e["node"]["id"], e["node"]["portrait"]["lifecycleStage"]) for e in first["members"]["edges"]] == [
        ("a1", "ACTIVE"), ("a3", "NEW")]
    assert first["members"]["edges"][0]["node"]["attributes"] == {"consent_marketing": True, "vip_level": 3}
    assert len({c["id"] for c in first["sample"]}) == 2 and {c["id"] for c in first["sample"]} <= {"a1", "a3", "a5"}
    rest = (await ok(seg, MEMBERS, {"key": "sh_female", "asOf": AS_OF,
                                    "after": first["members"]["pageInfo"]["endCursor"]}))["segment"]
    assert ([e["node"]["id"] for e in rest["members"]["edges"]], rest["members"]["pageInfo"]["hasNextPage"]) == (
        ["a5"], False)
    assert await error(seg, """mutation { createSegment(input: {key: "x", name: "X", rule: {attribute: "city",
        gt: "a", lt: "b"}}) { key } }""") == (
        "BAD_USER_INPUT", "rule: expected exactly one operator (eq, ne, in, gt, gte, lt, lte, between, contains, "
                          "startsWith, exists) for attribute 'city'")
    assert await error(seg, 'mutation { createSegment(input: {key: "shanghai", name: "X", rule: {segment: "spenders"}})'
                            " { key } }") == ("CONFLICT", "segment 'shanghai' already exists")
    updated = await ok(seg, 'mutation { updateSegment(key: "sh_female", input: {status: "ARCHIVED"}) { status rule } }')
    assert updated["updateSegment"]["status"] == "ARCHIVED"
    assert (await ok(seg, 'mutation { deleteSegment(key: "sh_female") }')) == {"deleteSegment": True}
    assert (await ok(seg, '{ segment(key: "sh_female") { key } }')) == {"segment": None}


async def test_adhoc_rules_and_saved_query_segments(seg: Graph) -> None:
    data = await ok(seg, """query($rule: JSON!, $asOf: DateTime) { adhocSegment(rule: $rule) { key source
        count(asOf: $asOf) members(asOf: $asOf) { edges { node { id } } } } }""", {"rule": SHANGHAI, "asOf": AS_OF})
    assert data["adhocSegment"]["key"] is None and data["adhocSegment"]["count"] == 3
    assert [e["node"]["id"] for e in data["adhocSegment"]["members"]["edges"]] == ["a1", "a3", "a5"]
    assert await error(seg, '{ adhocSegment(rule: {tag: "nope"}) { count } }') == (
        "BAD_USER_INPUT", "rule.tag: unknown tag 'nope'")
    chain = await ok(seg, """{ segment(key: "referral_chain_from_vip") { kind source query params
        count(params: {max_hops: 1}) members(params: {max_hops: 1}) { edges { node { id } } } } }""")
    s = chain["segment"]
    assert (s["kind"], s["source"], s["query"], s["count"]) == ("CYPHER", "file", "referral_chain_from_vip", 3)
    assert s["params"] == {"tag": "vip", "max_hops": 3, "as_of": "datetime()"}
    assert [e["node"]["id"] for e in s["members"]["edges"]] == ["a2", "a4", "a6"]
    assert await error(seg, '{ segment(key: "referral_chain_from_vip") { count(params: {max_hops: "x"}) } }') == (
        "BAD_USER_INPUT", "param 'max_hops' must be a whole number (got 'x')")
    kinds = await ok(seg, "{ segments(kind: CYPHER) { key } }")
    assert len(kinds["segments"]) >= 6


async def test_overlap_and_compare(seg: Graph) -> None:
    data = await ok(seg, """query($asOf: DateTime) {
      segmentOverlap(keys: ["shanghai", "at_acme"], asOf: $asOf) { sizes union regions { keys count } }
      segmentCompare(a: "shanghai", b: "at_acme", asOf: $asOf) { onlyACount onlyBCount bothCount
        onlyA(first: 1) { edges { node { id name } } pageInfo { hasNextPage endCursor } totalCount }
        onlyB { edges { node { id } } } both { edges { node { id } } } }
    }""", {"asOf": AS_OF})
    assert data["segmentOverlap"] == {"sizes": [3, 2], "union": 4, "regions": [
        {"keys": ["shanghai"], "count": 2}, {"keys": ["at_acme"], "count": 1}, {"keys": ["shanghai", "at_acme"], "count": 1}]}
    cmp = data["segmentCompare"]
    assert (cmp["onlyACount"], cmp["onlyBCount"], cmp["bothCount"]) == (2, 1, 1)
    assert cmp["onlyA"]["edges"] == [{"node": {"id": "a3", "name": "Carol"}}] and cmp["onlyA"]["totalCount"] == 2
    assert [e["node"]["id"] for e in cmp["onlyB"]["edges"]] == ["a2"]
    assert [e["node"]["id"] for e in cmp["both"]["edges"]] == ["a1"]
    more = await ok(seg, """query($after: String) { segmentCompare(a: "shanghai", b: "at_acme") {
        onlyA(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage } } } }""",
                    {"after": cmp["onlyA"]["pageInfo"]["endCursor"]})
    assert more["segmentCompare"]["onlyA"] == {"edges": [{"node": {"id": "a5"}}], "pageInfo": {"hasNextPage": False}}
    assert await error(seg, '{ segmentOverlap(keys: ["shanghai", "nope"]) { union } }') == (
        "NOT_FOUND", "segment 'nope' not found")


async def test_portrait_distribution_cross_table_and_coverage(seg: Graph) -> None:
    data = await ok(seg, """query($asOf: DateTime) {
      segment(key: "shanghai") { portrait(asOf: $asOf) { size population
        distributions { dimension buckets { value count } } topTags { key lift } averages { spend populationSpend } } }
      distribution(dimension: "city", segment: "at_acme", asOf: $asOf) { total buckets { value count share } }
      crossTable(rows: "city", columns: "gender", asOf: $asOf) { total cells { row column count } }
      tagCoverage(asOf: $asOf) { lastSnapshotAt tags { key holders change } }
    }""", {"asOf": AS_OF})
    p = data["segment"]["portrait"]
    assert (p["size"], p["population"], p["topTags"]) == (3, 6, [{"key": "vip", "lift": pytest.approx(2.0)}])
    assert {d["dimension"]: d["buckets"] for d in p["distributions"]}["lifecycle_stage"] == [
        {"value": "NEW", "count": 1}, {"value": "ACTIVE", "count": 2}]
    assert data["distribution"] == {"total": 2, "buckets": [{"value": "Beijing", "count": 1, "share": 0.5},
                                                            {"value": "Shanghai", "count": 1, "share": 0.5}]}
    assert data["crossTable"]["cells"] == [
        {"row": "Beijing", "column": "male", "count": 1}, {"row": "Beijing", "column": "other", "count": 1},
        {"row": "Shanghai", "column": "female", "count": 3}, {"row": "Shenzhen", "column": "male", "count": 1}]
    assert data["tagCoverage"]["tags"] == [{"key": "churned", "holders": 1, "change": None},
                                           {"key": "early", "holders": 0, "change": None},
                                           {"key": "vip", "holders": 2, "change": None}]
    assert await error(seg, '{ distribution(dimension: "shoe") { total } }') == (
        "BAD_USER_INPUT", "unknown dimension 'shoe' (expected one of gender, city, country, occupation, source_channel, "
                          "age_band, lifecycle_stage, industry, tag, spend, purchases, tag_category:<category>, "
                          "consent_marketing, vip_level)")


async def test_snapshots_history_and_changes(seg: Graph) -> None:
    await ok(seg, 'mutation { snapshotSegments(key: "shanghai") { segmentKey count hasMembers } }')
    await seg.write_text("t/move", "MATCH (c:Customer {id: 'a3'}) SET c.city = 'Beijing'", {})
    snaps = await ok(seg, "mutation { snapshotSegments { segmentKey count } }")
    assert {"segmentKey": "shanghai", "count": 2} in snaps["snapshotSegments"]
    data = await ok(seg, """{ segment(key: "shanghai") { history { count hasMembers }
        changes { enteredCount leftCount left { edges { node { id } } } entered { totalCount } } } }""")
    assert data["segment"]["history"] == [{"count": 3, "hasMembers": True}, {"count": 2, "hasMembers": True}]
    assert data["segment"]["changes"] == {"enteredCount": 0, "leftCount": 1, "left": {"edges": [{"node": {"id": "a3"}}]},
                                          "entered": {"totalCount": 0}}
    cov = await ok(seg, "{ tagCoverage { lastSnapshotAt tags { key holders previous change } } }")
    assert cov["tagCoverage"]["lastSnapshotAt"] is not None
    assert cov["tagCoverage"]["tags"][2] == {"key": "vip", "holders": 2, "previous": 2, "change": 0}


async def test_analyst_cypher_through_graphql(seg: Graph) -> None:
    rows = await ok(seg, """{ runSegmentQuery(name: "top_referrers", params: {min_converted: "2"}) {
        columns rows truncated rowCap } }""")
    assert rows["runSegmentQuery"] == {"columns": ["customer_id", "converted", "referred"],
                                       "rows": [{"customer_id": "a1", "converted": 2, "referred": 2}],
                                       "truncated": False, "rowCap": 1000}
    assert await error(seg, '{ runSegmentQuery(name: "top_referrers", params: {min_converted: "lots"}) { rows } }') == (
        "BAD_USER_INPUT", "param 'min_converted' must be a whole number (got 'lots')")
    found = await ok(seg, """query($q: String!) { runCypher(query: $q, params: {city: "Shanghai"}) { columns rows } }""",
                     {"q": "MATCH (c:Customer {city: $city}) RETURN c.id AS id ORDER BY id"})
    assert found["runCypher"]["rows"] == [{"id": "a1"}, {"id": "a3"}, {"id": "a5"}]
    before = await seg.read_text("t/n", "MATCH (n) WHERE NOT n:AuditEntry RETURN count(n) AS n", {})
    code, message = await error(seg, """query($q: String!) { runCypher(query: $q) { rows } }""",
                                {"q": "MATCH (c:Customer) CALL (c) { DETACH DELETE c } RETURN 1"})
    assert (code, message) == ("BAD_USER_INPUT", "query rejected at character 31: DETACH is not allowed in read-only "
                                                 "queries (a name spelled like a keyword must be written in `backticks`)")
    assert await seg.read_text("t/n", "MATCH (n) WHERE NOT n:AuditEntry RETURN count(n) AS n", {}) == before  # the refusal is audited


async def test_export_mutation_writes_under_the_data_dir(seg: Graph, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTGRAPH_DATA_DIR", str(tmp_path))
    rs.segment_settings.cache_clear()
    try:
        data = await ok(seg, """mutation { exportSegment(key: "at_acme", format: JSONL, columns: ["id", "email"]) {
            path format columns rows excludedWithoutConsent } }""")
    finally:
        rs.segment_settings.cache_clear()
    out = data["exportSegment"]
    path = Path(out["path"])
    assert path.parent == tmp_path / "exports" and path.name.startswith("at_acme-") and path.suffix == ".jsonl"
    assert (out["rows"], out["excludedWithoutConsent"], out["columns"]) == (1, 1, ["id", "email"])
    assert path.read_text(encoding="utf-8") == '{"id": "a1", "email": "alice@example.com"}\n'
    assert await error(seg, 'mutation { exportSegment(key: "at_acme", columns: ["pw"]) { rows } }') == (
        "BAD_USER_INPUT", "unknown export column 'pw' (expected customer fields or attributes: birth_date, city, "
                          "consent_marketing, country, created_at, email, first_name, gender, id, last_name, name, "
                          "name_lc, occupation, phone, source_channel, updated_at, vip_level)")
