"""The demo generator: seeded and reproducible, realistic enough, and imported without rejections."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from graph.db import Graph
from ingest.demo import HEADERS, run_demo, write_demo

AS_OF = date(2026, 11, 1)


def rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    write_demo(tmp_path / "a", 120, seed=3, as_of=AS_OF)
    write_demo(tmp_path / "b", 120, seed=3, as_of=AS_OF)
    write_demo(tmp_path / "c", 120, seed=4, as_of=AS_OF)
    for name in HEADERS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "customers.csv").read_bytes() != (tmp_path / "c" / "customers.csv").read_bytes()


def test_demo_files_look_like_a_crm(tmp_path: Path) -> None:
    write_demo(tmp_path, 1000, seed=7, as_of=AS_OF)
    customers = rows(tmp_path, "customers.csv")
    assert len(customers) == 1000
    chinese = sum(1 for c in customers if c["country"] == "CN")
    assert 550 < chinese < 750  # about two thirds Chinese names, the rest English
    interactions = rows(tmp_path, "interactions.csv")
    assert 8000 < len(interactions) < 12000  # about ten per customer
    start = datetime(2024, 11, 1, tzinfo=UTC)  # two years (730 days) before AS_OF
    times = [datetime.fromisoformat(i["occurred_at"]) for i in interactions]
    assert start <= min(times) and max(times) <= datetime(2026, 11, 1, tzinfo=UTC)
    assert max(times) - min(times) > timedelta(days=700)
    assert {i["type"] for i in interactions} == {"purchase", "call", "email", "visit", "meeting", "feedback",
                                                 "support"}
    assert {p["stage"] for p in rows(tmp_path, "projects.csv")} == {"lead", "qualified", "proposal", "negotiation",
                                                                   "won", "lost"}
    referred = {r["referred_id"] for r in rows(tmp_path, "referrals.csv")}
    referrers = {r["referrer_id"] for r in rows(tmp_path, "referrals.csv")}
    assert referred & referrers  # chains: some referred customers refer others
    assert len({c["city"] for c in rows(tmp_path, "companies.csv")}) > 10


async def test_small_demo_imports_cleanly_and_only_into_an_empty_graph(graph: Graph, tmp_path: Path) -> None:
    assert await run_demo(graph, customers=200, seed=7, out=tmp_path, as_of=AS_OF) == 0
    expected = {name: len(rows(tmp_path, name)) for name in HEADERS}
    counts = await graph.read_text(
        "t",
        "CALL () { MATCH (c:Customer) RETURN count(c) AS customers } "
        "CALL () { MATCH (i:Interaction) RETURN count(i) AS interactions } "
        "CALL () { MATCH ()-[k:KNOWS]->() RETURN count(k) AS knows } "
        "CALL () { MATCH ()-[w:WORKS_AT]->() RETURN count(w) AS works } "
        "CALL () { MATCH (:Company)-[o:OWNS]->(:Project) RETURN count(o) AS owns } "
        "CALL () { MATCH (:Customer)-[r:REFERRED]->(:Customer) RETURN count(r) AS referred } "
        "CALL () { MATCH (:Customer)-[h:HAS_TAG]->(:Tag) RETURN count(h) AS tagged } "
        "CALL () { MATCH (a:AttributeDef) RETURN collect(a.id) AS defs } "
        "RETURN customers, interactions, knows, works, owns, referred, tagged, defs",
        {},
    )
    got = counts[0]
    assert (got["customers"], got["interactions"], got["knows"], got["works"], got["owns"], got["referred"]) == (
        200, expected["interactions.csv"], expected["knows.csv"], expected["employment.csv"],
        expected["projects.csv"], expected["referrals.csv"],
    )
    assert got["tagged"] == len({(r["customer_id"], r["tag_key"]) for r in rows(tmp_path, "customer_tags.csv")})
    assert sorted(got["defs"]) == ["company.listed", "customer.consent_marketing", "customer.member_since",
                                   "customer.preferred_language", "customer.vip_level", "interaction.satisfaction"]
    vip = await graph.read_text("t", "MATCH (c:Customer {id: 'c-000000'}) RETURN c.vip_level AS v, c.name AS n", {})
    assert isinstance(vip[0]["v"], int) and vip[0]["n"]
    # Loading again into a non-empty graph is skipped when asked.
    assert await run_demo(graph, customers=50, seed=1, only_if_empty=True) == 0
    again = await graph.read_text("t", "MATCH (c:Customer) RETURN count(c) AS n", {})
    assert again[0]["n"] == 200
