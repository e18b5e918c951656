"""Mined tags on seeded graphs whose right answers are known: clusters, a predictive label, influence,
communities and lookalikes, each refreshed through the tag engine and explained."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_mining_world import T0, clusters, customer, labelled, purchases, star_and_cliques, twins

from graph.db import Graph
from graph.errors import BadInputError
from graph.mining.lookalike import mine_lookalike
from graph.mining.network import mine_communities, mine_influence
from graph.mining.predictive import train_predictive_tag
from graph.mining.value_groups import mine_value_groups
from graph.rules.evaluator import GraphData
from graph.rules.snapshot import write_graph_data
from graph.tag_explain import why_tagged
from graph.tag_history import tag_history
from graph.tag_refresh import list_runs, refresh_tags
from graph.tags import TagSpec, create_tag, get_tag


async def assignments(graph: Graph, key: str) -> dict[str, tuple[object, float]]:
    rows = await graph.read_text(
        "tests/assignments", "MATCH (c:Customer)-[r:HAS_TAG]->(:Tag {key: $key}) "
        "RETURN c.id AS id, r.value AS value, r.score AS score, r.source AS source", {"key": key})
    assert {r["source"] for r in rows} <= {"mined"}
    return {r["id"]: (r["value"], r["score"]) for r in rows}


async def test_value_groups_find_the_separable_clusters(graph: Graph) -> None:
    members = await clusters(graph)
    report = await mine_value_groups(graph, k_range=(2, 5), seed=7, as_of=T0)
    assert report.k == 3
    assert sorted(c.size for c in report.clusters) == [10, 10, 10]
    assert report.silhouettes[3] == max(report.silhouettes.values())
    refreshed = await refresh_tags(graph, tag="value_group", as_of=T0)
    assert (refreshed.status, [(t.key, t.added) for t in refreshed.tags]) == ("DONE", [("value_group", 30)])
    got = await assignments(graph, "value_group")
    names = {g: {got[c][0] for c in ids} for g, ids in members.items()}
    assert all(len(v) == 1 for v in names.values())
    assert (names["hi"], names["lo"]) == ({"high_value"}, {"sleeping"})
    assert len({next(iter(v)) for v in names.values()}) == 3
    assert all(0 < score <= 1 for _, score in got.values())
    centroid = next(c for c in report.clusters if c.name == "high_value").centroid
    assert (centroid["frequency"], round(centroid["recency_days"])) == (10.0, 6)

    why = await why_tagged(graph, "hi00", "value_group", as_of=T0)
    assert (why.tagged, why.kind, why.source, why.value) == (True, "MINED", "mined", "high_value")
    assert why.summary.startswith("in value group 'high_value' (distance ")
    assert [b.path for b in why.branches] == ["cluster.distance", "cluster.features.frequency",
                                              "cluster.features.monetary", "cluster.features.recency_days"]
    assert why.branches[1].value == "10"


async def test_predictive_tag_learns_the_one_feature_that_decides(graph: Graph) -> None:
    xs, unlabelled = await labelled(graph)
    report = await train_predictive_tag(graph, "buyer", "bought", ["attributes", "network"], holdout_fraction=0.25,
                                        seed=7, negative_tag="not_bought", as_of=T0)
    assert report.auc >= 0.95
    assert report.importances[0][0] == "attr:x"
    assert (report.positives + report.negatives, report.scored, report.holdout) == (90, 30, 23)
    assert report.precision >= 0.8 and report.recall >= 0.8
    tag = await get_tag(graph, "buyer")
    assert tag is not None and tag.definition is not None
    assert (tag.kind, tag.definition["model"]["version"], tag.definition["model"]["auc"]) == ("MINED", 1, report.auc)

    run = await refresh_tags(graph, as_of=T0)
    assert run.status == "DONE"
    assert {t.key for t in run.tags} == {"buyer", "buyer_score"}
    scores = await assignments(graph, "buyer_score")
    assert set(scores) == set(unlabelled)
    tagged = await assignments(graph, "buyer")
    assert set(tagged) == {c for c in unlabelled if scores[c][1] >= report.threshold}
    assert {c for c in unlabelled if xs[c] > 0.6} <= set(tagged)
    assert not {c for c in unlabelled if xs[c] < 0.4} & set(tagged)

    high = max(unlabelled, key=lambda c: xs[c])
    why = await why_tagged(graph, high, "buyer", as_of=T0)
    assert why.tagged and why.branches[0].path == "model.features.attr:x"
    assert why.summary.startswith(f"probability {scores[high][1]:.3f} at or above the threshold")
    low = min(unlabelled, key=lambda c: xs[c])
    assert (await why_tagged(graph, low, "buyer", as_of=T0)).tagged is False

    with pytest.raises(BadInputError, match="need at least 5 positive"):
        await train_predictive_tag(graph, "never", "not_bought", ["attributes"], negative_tag="not_bought", as_of=T0)


async def test_refresh_writes_history_and_run_log_and_retraining_bumps_the_version(graph: Graph) -> None:
    await labelled(graph)
    await train_predictive_tag(graph, "buyer", "bought", ["attributes"], negative_tag="not_bought", as_of=T0)
    await create_tag(graph, TagSpec(key="outside", name="Scored elsewhere", kind="MINED", status="ACTIVE"), by="t")
    first = await refresh_tags(graph, as_of=T0)  # a MINED tag without a miner is left alone, not an error
    assert (first.status, sorted(t.key for t in first.tags)) == ("DONE", ["buyer", "buyer_score", "outside"])
    later = T0 + timedelta(days=1)
    await graph.write_text("tests/drop", "MATCH (c:Customer {id: 'p119'}) DETACH DELETE c", {})
    second = await refresh_tags(graph, tag="buyer_score", as_of=later)
    (result,) = second.tags
    assert (result.added, result.removed, result.unchanged) == (0, 0, 29)
    events = [(e.action, e.run_id, e.source) for e in await tag_history(graph, "p100", key="buyer_score")]
    assert events == [("add", first.run_id, "mined")]
    runs = await list_runs(graph, limit=2)
    assert [(r["id"], r["status"]) for r in runs] == [(second.run_id, "DONE"), (first.run_id, "DONE")]
    retrained = await train_predictive_tag(graph, "buyer", "bought", ["attributes"], negative_tag="not_bought",
                                           as_of=later)
    assert retrained.version == 2


async def test_influence_finds_the_centre_of_the_star(graph: Graph) -> None:
    await star_and_cliques(graph)
    report, _ = await mine_influence(graph, top=0.12, as_of=T0)
    assert (report.customers, report.tagged, report.top[0][:2]) == (25, 3, ("s", 1))
    await refresh_tags(graph, tag="influencer", as_of=T0)
    got = await assignments(graph, "influencer")
    assert got["s"][0] == 1 and len(got) == 3
    why = await why_tagged(graph, "s", "influencer", as_of=T0)
    assert why.summary == f"tagged 'influencer': PageRank rank 1, {got['s'][1]}× the average customer's"
    assert (await why_tagged(graph, "r3", "influencer", as_of=T0)).summary.startswith("not among the top")


async def test_two_cliques_are_two_communities(graph: Graph) -> None:
    await star_and_cliques(graph)
    report = await mine_communities(graph, seed=7, min_size=5, as_of=T0)
    await refresh_tags(graph, tag="community", as_of=T0)
    got = await assignments(graph, "community")
    cliques = {p: {got[f"{p}{k}"][0] for k in range(5)} for p in "ab"}
    assert cliques == {"a": {"cm-a0"}, "b": {"cm-b0"}}
    assert ("cm-a0", 5) in report.sizes and ("cm-b0", 5) in report.sizes
    assert got["a1"][1] == 1.0 and got["a0"][1] == 0.8  # a0's one tie outside goes to b0
    why = await why_tagged(graph, "a0", "community", as_of=T0)
    assert why.summary == "member of community cm-a0 (5 members)"
    assert why.branches[1].evidence == ["a0 — a1 (KNOWS)", "a0 — a2 (KNOWS)", "a0 — a3 (KNOWS)", "a0 — a4 (KNOWS)"]


async def test_lookalikes_of_a_seed_are_its_near_twins(graph: Graph) -> None:
    await twins(graph)
    report = await mine_lookalike(graph, key="vip_like", seed_tag="vip_seed", features=["rfm"], top=3, as_of=T0)
    assert {(i, s) for i, s, _ in report.best} == {("t0", "v0"), ("t1", "v1"), ("t2", "v2")}
    await refresh_tags(graph, tag="vip_like", as_of=T0)
    got = await assignments(graph, "vip_like")
    assert {c: v for c, (v, _) in got.items()} == {"t0": "v0", "t1": "v1", "t2": "v2"}
    why = await why_tagged(graph, "t1", "vip_like", as_of=T0)
    assert why.summary.startswith("tagged 'vip_like': looks like v1 (similarity ")
    assert why.branches[0].evidence[0] == "v1"


async def test_too_few_customers_for_value_groups_is_bad_input(graph: Graph) -> None:
    d = GraphData()
    for cid, (recency, count) in {"x1": (5, 3), "x2": (50, 1)}.items():
        customer(d, cid)
        purchases(d, cid, recency, count, 10.0)
    await write_graph_data(graph, d)
    with pytest.raises(BadInputError, match="need more than 2 customers"):
        await mine_value_groups(graph, k_range=(2, 4), as_of=T0)
    with pytest.raises(BadInputError, match="need more than 3 customers"):
        await mine_value_groups(graph, as_of=T0)
    with pytest.raises(BadInputError, match="k range 1..4 must satisfy"):
        await mine_value_groups(graph, k_range=(1, 4), as_of=T0)
    with pytest.raises(BadInputError, match="seed -1 must be between 0 and"):
        await mine_value_groups(graph, seed=-1, as_of=T0)
