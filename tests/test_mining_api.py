"""Mined tags through GraphQL (schema.execute with a real Context): train, mine, then whyTagged on Customer."""

from __future__ import annotations

from test_api_graph import ok, run
from test_mining_world import T0, labelled, star_and_cliques

from graph.db import Graph


async def test_train_predictive_tag_then_explain_through_graphql(graph: Graph) -> None:
    xs, unlabelled = await labelled(graph)
    q = """mutation($at: DateTime) { trainPredictiveTag(key: "buyer", labelTag: "bought", negativeTag: "not_bought",
             features: ["attributes"], holdoutFraction: 0.25, seed: 7, asOf: $at) {
        key modelVersion algorithm auc positives negatives holdout scored importances { feature }
        run { status results { key added } } scoreRun { status results { key added } } } }"""
    data = (await ok(graph, q, {"at": T0.isoformat()}))["trainPredictiveTag"]
    assert (data["key"], data["modelVersion"], data["positives"] + data["negatives"], data["holdout"]) == \
        ("buyer", 1, 90, 23)
    assert data["auc"] >= 0.95 and data["importances"][0] == {"feature": "attr:x"}
    assert data["scoreRun"] == {"status": "DONE", "results": [{"key": "buyer_score", "added": 30}]}
    assert data["run"]["status"] == "DONE"
    best = max(unlabelled, key=lambda c: xs[c])
    why = await ok(graph, """query($id: ID!, $at: DateTime) { customer(id: $id) {
        whyTagged(tag: "buyer", asOf: $at) { tagged kind source summary branches { path } } } }""",
                   {"id": best, "at": T0.isoformat()})
    w = why["customer"]["whyTagged"]
    assert (w["tagged"], w["kind"], w["source"], w["branches"][0]["path"]) == (True, "MINED", "mined",
                                                                             "model.features.attr:x")
    bad = await run(graph, 'mutation { trainPredictiveTag(key: "x", labelTag: "nope") { key } }')
    assert bad["errors"][0]["message"] == "tag 'nope' not found"


async def test_mine_influence_and_communities_through_graphql(graph: Graph) -> None:
    await star_and_cliques(graph)
    data = await ok(graph, """mutation($at: DateTime) {
        mineInfluence(top: 0.04, asOf: $at) { key tagged top { id rank } run { status added } }
        mineCommunities(minSize: 5, asOf: $at) { key communities largest { id size } run { status } } }""",
                    {"at": T0.isoformat()})
    assert data["mineInfluence"] == {"key": "influencer", "tagged": 1, "top": [{"id": "s", "rank": 1}],
                                     "run": {"status": "DONE", "added": 1}}
    c = data["mineCommunities"]
    assert (c["key"], c["run"]["status"]) == ("community", "DONE")
    assert {"id": "cm-a0", "size": 5} in c["largest"] and {"id": "cm-b0", "size": 5} in c["largest"]
