"""Set algebra and portraits of segments: Venn regions, comparisons, 群体画像 against the population."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from graph.analysis import Distribution, dimension, distribution
from graph.db import Graph
from graph.errors import BadInputError
from graph.portrait import LifecycleThresholds
from graph.rules import Catalog
from graph.segment_members import Audience, audience, count_members, member_ids, population
from graph.segments import Segment, require_segment, segment_catalog

PORTRAIT_DIMENSIONS = ("gender", "age_band", "city", "industry", "source_channel", "lifecycle_stage")


class Region(BaseModel):
    """Customers in exactly these segments (and in none of the others asked about)."""

    model_config = ConfigDict(frozen=True)

    keys: list[str]
    count: int


class Overlap(BaseModel):
    model_config = ConfigDict(frozen=True)

    keys: list[str]
    sizes: list[int]
    union: int
    regions: list[Region]


class Comparison(BaseModel):
    """Member ids only in a, only in b and in both, sorted."""

    model_config = ConfigDict(frozen=True)

    a: str
    b: str
    only_a: list[str]
    only_b: list[str]
    both: list[str]


async def member_sets(graph: Graph, keys: list[str], as_of: datetime) -> list[set[str]]:
    """Return each segment's member ids, each evaluated by its own Cypher query."""
    catalog = await segment_catalog(graph)
    out = []
    for key in keys:
        seg = await require_segment(graph, key)
        out.append(set(await member_ids(graph, await audience(graph, seg, as_of, catalog=catalog))))
    return out


async def overlap(graph: Graph, keys: list[str], as_of: datetime | None = None) -> Overlap:
    """Return the count of every Venn region of 2 to 4 segments (regions in bit order of keys)."""
    if not 2 <= len(keys) <= 4 or len(set(keys)) != len(keys):
        raise BadInputError(f"segmentOverlap takes 2 to 4 different segment keys (got {len(keys)})")
    sets = await member_sets(graph, keys, as_of or datetime.now(UTC))
    union = set().union(*sets)
    regions = []
    for mask in range(1, 2 ** len(keys)):
        inside = [i for i in range(len(keys)) if mask >> i & 1]
        count = sum(1 for cid in union if all((cid in sets[i]) == (i in inside) for i in range(len(keys))))
        regions.append(Region(keys=[keys[i] for i in inside], count=count))
    return Overlap(keys=keys, sizes=[len(s) for s in sets], union=len(union), regions=regions)


async def compare(graph: Graph, a: str, b: str, as_of: datetime | None = None) -> Comparison:
    """Return members only in a, only in b and in both."""
    sa, sb = await member_sets(graph, [a, b], as_of or datetime.now(UTC))
    return Comparison(a=a, b=b, only_a=sorted(sa - sb), only_b=sorted(sb - sa), both=sorted(sa & sb))


class TagLift(BaseModel):
    """A tag's share among members, among all customers, and their ratio (lift)."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str | None
    category: str | None
    holders: int
    share: float
    population_share: float
    lift: float | None


class Averages(BaseModel):
    """Mean purchase spend (all time up to asOf) and purchases in the 365 days before asOf, per customer."""

    model_config = ConfigDict(frozen=True)

    spend: float | None
    population_spend: float | None
    purchases_per_year: float | None
    population_purchases_per_year: float | None


class SegmentPortrait(BaseModel):
    model_config = ConfigDict(frozen=True)

    size: int
    population: int
    as_of: datetime
    distributions: list[Distribution]
    top_tags: list[TagLift]
    averages: Averages


_TAGS = """{match}
MATCH (c)-[h:HAS_TAG]->(t:Tag)
WHERE (h.expires_at IS NULL OR h.expires_at > $p_as_of) AND (h.assigned_at IS NULL OR h.assigned_at <= $p_as_of)
RETURN t.key AS key, t.name AS name, t.category AS category, count(DISTINCT c) AS holders"""
_AVERAGES = """{match}
WITH c, [(c)-[:PERFORMED]->(i:Interaction) WHERE i.type = 'purchase' AND i.occurred_at <= $p_as_of | i] AS ps
RETURN avg(reduce(s = 0.0, i IN ps | s + coalesce(i.amount, 0.0))) AS spend,
  avg(size([i IN ps WHERE i.occurred_at > $p_year_ago])) AS purchases"""


async def _tags(graph: Graph, aud: Audience) -> dict[str, dict[str, object]]:
    rows = await graph.read_text("segment/portrait_tags", _TAGS.format(match=aud.match()),
                                 {**aud.params, "p_as_of": aud.as_of})
    return {r["key"]: r for r in rows}


async def _averages(graph: Graph, aud: Audience) -> tuple[float | None, float | None]:
    rows = await graph.read_text("segment/portrait_averages", _AVERAGES.format(match=aud.match()),
                                 {**aud.params, "p_as_of": aud.as_of, "p_year_ago": aud.as_of - timedelta(days=365)})
    return rows[0]["spend"], rows[0]["purchases"]


async def portrait(graph: Graph, segment: Segment, as_of: datetime | None = None, *,
                   lifecycle: LifecycleThresholds | None = None, top: int = 10,
                   catalog: Catalog | None = None) -> SegmentPortrait:
    """Return the segment's distributions, top tags with lift, and averages against all customers."""
    at = as_of or datetime.now(UTC)
    cat, hook = await segment_catalog(graph)
    aud = await audience(graph, segment, at, catalog=(cat, hook))
    everyone = population(at, graph)
    size, pop = await count_members(graph, aud), await count_members(graph, everyone)
    dists = [await distribution(graph, aud, dimension(d, catalog or cat, at, lifecycle)) for d in PORTRAIT_DIMENSIONS]
    mine, all_tags = await _tags(graph, aud), await _tags(graph, everyone)
    lifts = []
    for key, row in mine.items():
        share = int(row["holders"]) / size if size else 0.0  # type: ignore[call-overload]
        pshare = int(all_tags[key]["holders"]) / pop if pop else 0.0  # type: ignore[call-overload]
        lifts.append(TagLift(key=key, name=row["name"], category=row["category"], holders=row["holders"],
                             share=share, population_share=pshare, lift=share / pshare if pshare else None))
    lifts.sort(key=lambda t: (-t.holders, -(t.lift or 0.0), t.key))
    spend, purchases = await _averages(graph, aud)
    pspend, ppurchases = await _averages(graph, everyone)
    return SegmentPortrait(size=size, population=pop, as_of=at, distributions=dists, top_tags=lifts[:top],
                           averages=Averages(spend=spend, population_spend=pspend, purchases_per_year=purchases,
                                             population_purchases_per_year=ppurchases))
