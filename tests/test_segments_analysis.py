"""Overlap, compare, portraits, distributions, snapshots, tag coverage and exports on the segment test graph."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pytest
from test_segments import AS_OF, seg

from graph.analysis import cross_table, dimension, distribution
from graph.db import Graph
from graph.errors import BadInputError
from graph.exports import export_members
from graph.rules import load_catalog
from graph.segment_analysis import compare, overlap, portrait
from graph.segment_members import audience, population
from graph.segment_snapshots import (
    changes,
    history,
    snapshot_all,
    snapshot_segment,
    snapshot_tag_coverage,
    tag_coverage,
)
from graph.segments import adhoc_segment, get_segment, require_segment

__all__ = ["seg"]


def buckets(dist: object) -> list[tuple[str | None, int]]:
    return [(b.value, b.count) for b in dist.buckets]  # type: ignore[attr-defined]


async def test_overlap_counts_every_region(seg: Graph) -> None:
    found = await overlap(seg, ["shanghai", "spenders", "at_acme"], AS_OF)
    assert (found.sizes, found.union) == ([3, 2, 2], 4)
    assert [(r.keys, r.count) for r in found.regions] == [
        (["shanghai"], 1), (["spenders"], 0), (["shanghai", "spenders"], 1), (["at_acme"], 1),
        (["shanghai", "at_acme"], 0), (["spenders", "at_acme"], 0), (["shanghai", "spenders", "at_acme"], 1)]
    two = await overlap(seg, ["shanghai", "top_referrers"], AS_OF)
    assert [(r.keys, r.count) for r in two.regions] == [(["shanghai"], 2), (["top_referrers"], 0),
                                                        (["shanghai", "top_referrers"], 1)]
    with pytest.raises(BadInputError, match="2 to 4 different segment keys"):
        await overlap(seg, ["shanghai"], AS_OF)


async def test_compare_splits_members(seg: Graph) -> None:
    found = await compare(seg, "shanghai", "at_acme", AS_OF)
    assert (found.only_a, found.only_b, found.both) == (["a3", "a5"], ["a2"], ["a1"])


async def test_portrait_distributions_tags_and_averages(seg: Graph) -> None:
    found = await portrait(seg, await require_segment(seg, "shanghai"), AS_OF)
    assert (found.size, found.population) == (3, 6)
    dists = {d.dimension: buckets(d) for d in found.distributions}
    assert dists == {
        "gender": [("female", 3)],
        "age_band": [("25-34", 1), ("35-44", 1), ("55-64", 1)],
        "city": [("Shanghai", 3)],
        "industry": [("finance", 1), ("software", 1), (None, 1)],
        "source_channel": [("web", 2), ("referral", 1)],
        "lifecycle_stage": [("NEW", 1), ("ACTIVE", 2)],
    }
    assert [(t.key, t.holders, round(t.share, 4), round(t.population_share, 4), t.lift) for t in found.top_tags] == [
        ("vip", 2, 0.6667, 0.3333, pytest.approx(2.0))]
    a = found.averages
    assert (a.spend, a.population_spend) == (pytest.approx(1510 / 3), pytest.approx(1580 / 6))
    assert (a.purchases_per_year, a.population_purchases_per_year) == (pytest.approx(4 / 3), pytest.approx(5 / 6))


async def test_distributions_numeric_tags_and_cross_tables(seg: Graph) -> None:
    catalog = await load_catalog(seg)
    everyone = population(AS_OF)
    levels = await distribution(seg, everyone, dimension("vip_level", catalog, AS_OF))
    assert buckets(levels) == [("0–1", 1), ("1–2", 1), ("2–3", 0), ("3–4", 1), ("4–5", 0), ("5–6", 1), (None, 2)]
    assert (levels.buckets[0].low, levels.buckets[0].high, levels.buckets[0].share) == (0.0, 1.0, pytest.approx(1 / 6))
    values = await distribution(seg, everyone, dimension("tag_category:value", catalog, AS_OF))
    assert buckets(values) == [("vip", 2), (None, 4)]
    spend = await distribution(seg, everyone, dimension("spend", catalog, AS_OF), buckets=2)
    assert buckets(spend) == [("0–1000", 5), ("1000–2000", 1)]
    stages = await distribution(seg, everyone, dimension("lifecycle_stage", catalog, AS_OF))
    assert buckets(stages) == [("NEW", 1), ("ACTIVE", 2), ("SILENT", 1), ("CHURNED", 2)]
    aud = await audience(seg, await require_segment(seg, "at_acme"), AS_OF)
    assert buckets(await distribution(seg, aud, dimension("city", catalog, AS_OF))) == [("Beijing", 1), ("Shanghai", 1)]
    table = await cross_table(seg, everyone, dimension("gender", catalog, AS_OF),
                              dimension("lifecycle_stage", catalog, AS_OF))
    assert [(c.row, c.column, c.count) for c in table.cells] == [
        ("female", "NEW", 1), ("female", "ACTIVE", 2), ("male", "SILENT", 1), ("male", "CHURNED", 1),
        ("other", "CHURNED", 1)]
    with pytest.raises(BadInputError, match="unknown dimension 'shoe_size'"):
        dimension("shoe_size", catalog, AS_OF)


async def test_snapshots_history_and_entered_left(seg: Graph) -> None:
    shanghai = await require_segment(seg, "shanghai")
    first = await snapshot_segment(seg, shanghai, at=AS_OF)
    count_only = await snapshot_segment(seg, shanghai, at=AS_OF + timedelta(hours=1), with_members=False)
    await seg.write_text("t/move", "MATCH (a:Customer {id: 'a3'}), (b:Customer {id: 'a4'}) "
                         "SET a.city = 'Beijing', b.city = 'Shanghai'", {})
    second = await snapshot_segment(seg, shanghai, at=AS_OF + timedelta(days=1))
    assert [(s.id, s.count, s.has_members) for s in await history(seg, "shanghai")] == [
        (first.id, 3, True), (count_only.id, 3, False), (second.id, 3, True)]
    found = await changes(seg, "shanghai")
    assert (found.entered, found.left, found.before.id, found.after.id) == (["a4"], ["a3"], first.id, second.id)
    with pytest.raises(BadInputError, match="stored only the count"):
        await changes(seg, "shanghai", count_only.id, second.id)
    with pytest.raises(BadInputError, match="belongs to segment 'shanghai', not 'spenders'"):
        await changes(seg, "spenders", first.id, second.id)
    every = await snapshot_all(seg, at=AS_OF)
    assert {s.segment_key for s in every} >= {"shanghai", "spenders", "at_acme", "top_referrers"}


async def test_tag_coverage_changes_since_the_last_snapshot(seg: Graph) -> None:
    before, last = await tag_coverage(seg, AS_OF)
    assert last is None and [(t.key, t.holders, t.previous, t.change) for t in before] == [
        ("churned", 1, None, None), ("early", 0, None, None), ("vip", 2, None, None)]
    await snapshot_tag_coverage(seg, AS_OF)
    await seg.write_text("t/tag", "MATCH (c:Customer {id: 'a3'}), (t:Tag {key: 'vip'}) CREATE (c)-[:HAS_TAG]->(t)", {})
    now, last = await tag_coverage(seg, AS_OF + timedelta(hours=1))
    assert last == AS_OF
    assert [(t.key, t.holders, t.previous, t.change, round(t.share, 2)) for t in now] == [
        ("churned", 1, 1, 0, 0.17), ("early", 0, 0, 0, 0.0), ("vip", 3, 2, 1, 0.5)]


async def test_exports_leave_out_customers_without_consent(seg: Graph, tmp_path: Path) -> None:
    acme = await require_segment(seg, "at_acme")
    out = await export_members(seg, acme, tmp_path / "acme.csv", columns=["id", "name", "vip_level"], as_of=AS_OF)
    assert (out.rows, out.excluded_without_consent) == (1, 1)
    with out.path.open(encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [["id", "name", "vip_level"], ["a1", "Alice", "3"]]
    chain = await get_segment(seg, "referral_chain_from_vip")
    assert chain is not None
    lines = await export_members(seg, chain, tmp_path / "chain.jsonl", fmt="jsonl", columns=["id", "birth_date"])
    assert (lines.rows, lines.excluded_without_consent) == (2, 2)
    assert [json.loads(x) for x in lines.path.read_text(encoding="utf-8").splitlines()] == [
        {"id": "a3", "birth_date": "2000-02-02"}, {"id": "a6", "birth_date": "2010-01-01"}]
    everyone = await export_members(seg, chain, tmp_path / "all.jsonl", fmt="jsonl", include_non_consenting=True)
    assert (everyone.rows, everyone.columns) == (4, ["id", "name", "email", "phone", "city"])
    adhoc = await export_members(seg, adhoc_segment({"attribute": "city", "eq": "Shanghai"}), tmp_path / "sh.csv")
    assert adhoc.rows == 3
    with pytest.raises(BadInputError, match="unknown export column 'password'"):
        await export_members(seg, acme, tmp_path / "x.csv", columns=["id", "password"])
    with pytest.raises(BadInputError, match="unknown export format 'xlsx'"):
        await export_members(seg, acme, tmp_path / "x.xlsx", fmt="xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.csv", "all.jsonl", "chain.jsonl", "sh.csv"]
