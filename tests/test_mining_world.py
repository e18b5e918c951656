"""Seeded graphs for the mining tests (no tests here) where the right answer is known."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from graph.db import Graph
from graph.rules.evaluator import Edge, GraphData
from graph.rules.snapshot import write_graph_data
from graph.tag_assign import assign_tag
from graph.tags import TagSpec, create_tag

T0 = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
GROUPS = {"hi": (5, 10, 1000.0), "lo": (300, 1, 10.0), "mid": (20, 3, 60.0)}  # recency days, purchases, amount


def ago(days: float) -> datetime:
    return T0 - timedelta(days=days)


def customer(d: GraphData, cid: str, **props: object) -> None:
    d.nodes["Customer"][cid] = {"id": cid, "name": cid.upper(), "created_at": ago(400), **props}


def purchases(d: GraphData, cid: str, recency: float, count: int, amount: float) -> None:
    for k in range(count):
        iid = f"{cid}-i{k}"
        d.nodes["Interaction"][iid] = {"id": iid, "type": "purchase", "occurred_at": ago(recency + 7 * k),
                                       "amount": amount}
        d.edges.append(Edge("PERFORMED", cid, iid, {}))


async def manual_tag(graph: Graph, key: str, ids: list[str]) -> None:
    await create_tag(graph, TagSpec(key=key, name=key, kind="MANUAL", status="ACTIVE"), by="test")
    if ids:
        await assign_tag(graph, key, ids=ids, by="test", at=ago(1))


async def clusters(graph: Graph) -> dict[str, list[str]]:
    """Three separable RFM groups of 10 customers: recent big spenders, lapsed one-timers, recent small buyers."""
    d = GraphData()
    members: dict[str, list[str]] = {}
    for group, (recency, count, amount) in GROUPS.items():
        for k in range(10):
            cid = f"{group}{k:02d}"
            customer(d, cid)
            purchases(d, cid, recency + k % 3, count, amount * (1 + k / 100))
            members.setdefault(group, []).append(cid)
    await write_graph_data(graph, d)
    return members


async def labelled(graph: Graph, n: int = 120, seed: int = 3) -> tuple[dict[str, float], list[str]]:
    """Customers with attributes x (decides the label: x > 0.5) and noise y; the last quarter is unlabelled."""
    rng = random.Random(seed)
    d = GraphData()
    xs: dict[str, float] = {}
    for k in range(n):
        cid = f"p{k:03d}"
        xs[cid] = rng.random()
        customer(d, cid, x=xs[cid], y=rng.random())
    await write_graph_data(graph, d)
    await graph.write_text("tests/attr", "UNWIND ['x', 'y'] AS k MERGE (a:AttributeDef {id: 'customer.' + k}) "
                           "SET a.entity = 'customer', a.key = k, a.type = 'float', a.personal = false", {})
    labelled_ids = sorted(xs)[: n * 3 // 4]
    await manual_tag(graph, "bought", [c for c in labelled_ids if xs[c] > 0.5])
    await manual_tag(graph, "not_bought", [c for c in labelled_ids if xs[c] <= 0.5])
    return xs, sorted(xs)[n * 3 // 4:]


async def star_and_cliques(graph: Graph) -> None:
    """A referral star (s refers r0..r7), a KNOWS chain k0..k5, and two KNOWS 5-cliques a*, b* joined by one tie."""
    d = GraphData()
    for cid in ["s", *(f"r{k}" for k in range(8)), *(f"k{k}" for k in range(6)),
                *(f"a{k}" for k in range(5)), *(f"b{k}" for k in range(5))]:
        customer(d, cid)
    for k in range(8):
        d.edges.append(Edge("REFERRED", "s", f"r{k}", {"at": ago(30), "converted": True}))
    for k in range(5):
        d.edges.append(Edge("KNOWS", f"k{k}", f"k{k + 1}", {"since": ago(100)}))
    for p in "ab":
        for i in range(5):
            for j in range(i + 1, 5):
                d.edges.append(Edge("KNOWS", f"{p}{i}", f"{p}{j}", {"since": ago(100)}))
    d.edges.append(Edge("KNOWS", "a0", "b0", {"since": ago(100)}))
    await write_graph_data(graph, d)


async def twins(graph: Graph) -> None:
    """Seed customers v0..v2 (tag 'vip_seed'), their near twins t0..t2 and ordinary customers o0..o9."""
    d = GraphData()
    for k in range(3):
        customer(d, f"v{k}")
        purchases(d, f"v{k}", 3 + 40 * k, 8 + 4 * k, 500.0 * (k + 1))
        customer(d, f"t{k}")
        purchases(d, f"t{k}", 4 + 40 * k, 8 + 4 * k, 505.0 * (k + 1))
    for k in range(10):
        customer(d, f"o{k}")
        purchases(d, f"o{k}", 200 + 10 * k, 1 + k % 2, 20.0 + k)
    await write_graph_data(graph, d)
    await manual_tag(graph, "vip_seed", ["v0", "v1", "v2"])
