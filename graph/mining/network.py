"""Graph-derived tags: influence (PageRank) and communities (Louvain), computed in Python on ties read out.

The embedded server has no graph algorithm library, so ties are read page by page (id ranges)
as id pairs only and the algorithms run in networkx.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from graph.db import Graph
from graph.errors import BadInputError
from graph.mining.features import Progress, id_ranges
from graph.mining.models import Targets, check_key, check_seed, save_definition

TIE_TYPES = ("KNOWS", "REFERRED", "COLLEAGUE")
REFERRAL_BACK = 0.5
MAX_COMPANY = 500  # larger companies would add a quadratic number of COLLEAGUE ties: left out


async def read_ties(graph: Graph, types: list[str], as_of: datetime,
                    progress: Progress | None = None) -> list[tuple[str, str, str]]:
    """Return (src, dst, type) ties between customers at as_of; COLLEAGUE ties pair current co-workers."""
    unknown = set(types) - set(TIE_TYPES)
    if unknown or not types:
        raise BadInputError(f"ties must be some of {', '.join(TIE_TYPES)}", path="via")
    out: list[tuple[str, str, str]] = []
    stored = [t for t in types if t != "COLLEAGUE"]
    if stored:
        for after, last in await id_ranges(graph):
            rows = await graph.read("mining/get_ties", after=after, last=last, types=stored, as_of=as_of)
            out += [(r["src"], r["dst"], r["type"]) for r in rows]
            if progress is not None:
                done = progress(len(rows))
                if done is not None:
                    await done
    if "COLLEAGUE" in types:
        for row in await graph.read("mining/get_colleague_groups", today=as_of.date()):
            members = sorted(row["members"])
            if len(members) <= MAX_COMPANY:
                out += [(a, b, "COLLEAGUE") for k, a in enumerate(members) for b in members[k + 1:]]
    return out


async def all_ids(graph: Graph) -> list[str]:
    """Return every customer id (the nodes of the graph algorithms, including the isolated)."""
    return [r["id"] for r in await graph.read("mining/get_customer_ids")]


@dataclass(frozen=True)
class InfluenceReport:
    key: str
    customers: int
    ties: int
    tagged: int
    top: list[tuple[str, int, float]] = field(default_factory=list)  # id, rank, relative PageRank


def influence(ids: list[str], ties: list[tuple[str, str, str]], top: float) -> Targets:
    """Return the top fraction of customers by PageRank: value = rank, score = PageRank × n (1.0 is average).

    KNOWS counts both ways; a referral endorses the referrer (weight 1 referred → referrer) and passes
    half as much back, so that a referrer is not a dead end whose rank leaks to everyone.
    """
    g = nx.DiGraph()
    g.add_nodes_from(ids)
    for src, dst, kind in ties:
        back = REFERRAL_BACK if kind == "REFERRED" else 1.0
        for a, b, w in ((dst, src, 1.0), (src, dst, back)):
            g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0.0})["weight"] + w)
    if not ids:
        return {}
    rank = nx.pagerank(g, alpha=0.85, weight="weight")
    ordered = sorted(rank.items(), key=lambda kv: (-kv[1], kv[0]))
    keep = max(1, round(len(ordered) * top))
    n = len(ordered)
    return {("customer", cid): (pos + 1, round(pr * n, 4)) for pos, (cid, pr) in enumerate(ordered[:keep])}


def communities(ids: list[str], ties: list[tuple[str, str, str]], seed: int, resolution: float,
                min_size: int) -> Targets:
    """Return each member of a community of at least min_size: value = community id, score = share of ties inside.

    The community id is 'cm-' plus its smallest member id, so it stays put while membership changes little.
    """
    g = nx.Graph()
    g.add_nodes_from(ids)
    for src, dst, _ in ties:
        if src != dst:
            w = g.get_edge_data(src, dst, {"weight": 0})["weight"]
            g.add_edge(src, dst, weight=w + 1)
    out: Targets = {}
    for members in nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=seed):
        if len(members) < min_size:
            continue
        name = f"cm-{min(members)}"
        for cid in members:
            total = sum(d["weight"] for _, _, d in g.edges(cid, data=True))
            inside = sum(d["weight"] for _, o, d in g.edges(cid, data=True) if o in members)
            out[("customer", cid)] = (name, round(inside / total, 4) if total else 0.0)
    return out


async def compute(graph: Graph, definition: dict[str, Any], as_of: datetime,
                  progress: Progress | None = None) -> Targets:
    """Return the targets of an influence or communities tag at as_of."""
    ids = await all_ids(graph)
    ties = await read_ties(graph, definition["via"], as_of, progress)
    if definition["miner"] == "influence":
        return influence(ids, ties, definition["top"])
    return communities(ids, ties, definition["seed"], definition["resolution"], definition["minSize"])


async def mine_influence(graph: Graph, *, key: str = "influencer", top: float = 0.05,
                         via: list[str] | None = None, as_of: datetime | None = None, by: str = "cli",
                         progress: Progress | None = None) -> tuple[InfluenceReport, dict[str, Any]]:
    """Define (or redefine) the influencer tag and return what it would assign at as_of."""
    if not 0 < top <= 1:
        raise BadInputError("top must be a fraction between 0 and 1", path="top")
    as_of = (as_of or datetime.now(UTC)).astimezone(UTC)
    await check_key(graph, key)
    ties_via = via or ["KNOWS", "REFERRED"]
    definition: dict[str, Any] = {"miner": "influence", "via": ties_via, "top": top}
    ids = await all_ids(graph)
    ties = await read_ties(graph, ties_via, as_of, progress)
    found = influence(ids, ties, top)
    await save_definition(graph, key, definition, by=by, name="Influencer", category="interaction",
                          description=f"Top {top:.0%} of customers by PageRank over {' + '.join(ties_via)}.")
    best = sorted(((i[1], v[0], v[1]) for i, v in found.items()), key=lambda t: t[1])[:10]
    return InfluenceReport(key, len(ids), len(ties), len(found), best), definition


@dataclass(frozen=True)
class CommunityReport:
    key: str
    customers: int
    ties: int
    communities: int
    tagged: int
    sizes: list[tuple[str, int]] = field(default_factory=list)  # largest first


async def mine_communities(graph: Graph, *, key: str = "community", via: list[str] | None = None, seed: int = 7,
                           resolution: float = 1.0, min_size: int = 3, as_of: datetime | None = None,
                           by: str = "cli", progress: Progress | None = None) -> CommunityReport:
    """Define (or redefine) the community tag and return the communities it would assign at as_of."""
    as_of = (as_of or datetime.now(UTC)).astimezone(UTC)
    await check_key(graph, key)
    check_seed(seed)
    if resolution <= 0 or min_size < 1:
        raise BadInputError("resolution must be positive and minSize at least 1", path="resolution")
    ties_via = via or list(TIE_TYPES)
    definition: dict[str, Any] = {"miner": "communities", "via": ties_via, "seed": seed, "resolution": resolution,
                                  "minSize": min_size}
    ids = await all_ids(graph)
    ties = await read_ties(graph, ties_via, as_of, progress)
    found = communities(ids, ties, seed, resolution, min_size)
    await save_definition(graph, key, definition, by=by, name="Community", category="interaction",
                          description="Community id (Louvain over " + " + ".join(ties_via) + "); "
                                      "score = share of the customer's ties inside it.")
    sizes = Counter(v[0] for v in found.values())
    return CommunityReport(key, len(ids), len(ties), len(sizes), len(found),
                           sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))
