"""The portrait on the known graph, with values computed by hand (asOf 2025-07-01T00:00Z)."""

from __future__ import annotations

import pytest
from test_api_graph import AS_OF, known, ok

from graph.db import Graph
from graph.portrait import LifecycleThresholds, percentile
from resolvers.context import ApiConfig

__all__ = ["known"]

PORTRAIT = """query($id: ID!, $asOf: DateTime) { customer(id: $id) { portrait(asOf: $asOf) {
  customer { id } asOf attributes
  tags { category tags { key name source score value assignedAt expiresAt assignedBy reason valid } }
  behaviour {
    windows { days start count byType { type count } }
    interactionCount purchaseCount purchaseTotal purchaseAverage
    firstInteraction { at type } lastInteraction { at type } activeDays
  }
  rfm { recencyDays frequency monetary recencyScore frequencyScore monetaryScore population }
  lifecycleStage
  relationships {
    employer { companyId title since } colleaguesCount projects { projectId role }
    referralsMade { total converted } referralsReceived { total converted } knowsCount
  }
} } }"""


async def test_full_portrait_of_alice(known: Graph) -> None:
    p = (await ok(known, PORTRAIT, {"id": "c1", "asOf": AS_OF}))["customer"]["portrait"]
    assert p["customer"] == {"id": "c1"} and p["asOf"] == AS_OF and p["attributes"] == {"vip_level": 3}
    assert p["tags"] == [
        {"category": "risk", "tags": [
            {"key": "churn-risk", "name": "Churn risk", "source": "manual", "score": None, "value": None,
             "assignedAt": "2025-06-01T00:00:00+00:00", "expiresAt": "2025-12-31T00:00:00+00:00",
             "assignedBy": "am-1", "reason": "fewer visits", "valid": True}]},
        {"category": "value", "tags": [
            {"key": "early", "name": "Early adopter", "source": "import", "score": None, "value": None,
             "assignedAt": "2024-01-01T00:00:00+00:00", "expiresAt": "2025-01-01T00:00:00+00:00",
             "assignedBy": None, "reason": None, "valid": False},
            {"key": "vip", "name": "VIP", "source": "rule", "score": 0.9, "value": None,
             "assignedAt": "2025-01-01T00:00:00+00:00", "expiresAt": None,
             "assignedBy": "engine", "reason": "spend above 300", "valid": True}]},
    ]
    # i7 (2025-08-01) is after asOf and never counts.
    assert p["behaviour"] == {
        "windows": [
            {"days": 30, "start": "2025-06-01T00:00:00+00:00", "count": 2, "byType": [{"type": "purchase", "count": 2}]},
            {"days": 90, "start": "2025-04-02T00:00:00+00:00", "count": 3,
             "byType": [{"type": "call", "count": 1}, {"type": "purchase", "count": 2}]},
            {"days": 180, "start": "2025-01-02T00:00:00+00:00", "count": 4,
             "byType": [{"type": "call", "count": 1}, {"type": "purchase", "count": 3}]},
            {"days": 365, "start": "2024-07-01T00:00:00+00:00", "count": 5,
             "byType": [{"type": "call", "count": 1}, {"type": "purchase", "count": 3}, {"type": "visit", "count": 1}]},
        ],
        "interactionCount": 6, "purchaseCount": 4, "purchaseTotal": 380.0, "purchaseAverage": 95.0,
        "firstInteraction": {"at": "2024-06-01T12:00:00+00:00", "type": "purchase"},
        "lastInteraction": {"at": "2025-06-25T15:00:00+00:00", "type": "purchase"},
        "activeDays": 5,
    }
    # Population (purchases up to asOf): c1 r=6 f=3 m=380; c2 r=91 f=1 m=500; c3 r=167 f=2 m=100; c4 r=1 f=1 m=10.
    # Breakpoints (linear interpolation at 20/40/60/80 %): R 4, 23, 74, 121.4; F 1, 1.2, 1.8, 2.4; M 64, 156, 324, 428.
    assert p["rfm"] == {"recencyDays": 6, "frequency": 3, "monetary": 380.0, "recencyScore": 4, "frequencyScore": 5,
                        "monetaryScore": 4, "population": 4}
    assert p["lifecycleStage"] == "ACTIVE"
    assert p["relationships"] == {
        "employer": {"companyId": "co1", "title": "CTO", "since": "2020-01-01"},
        "colleaguesCount": 1,  # Bob at Acme; Carol left Acme before Alice joined
        "projects": [{"projectId": "p1", "role": "sponsor"}],
        "referralsMade": {"total": 1, "converted": 1},
        "referralsReceived": {"total": 1, "converted": 0},
        "knowsCount": 1,
    }


async def test_rfm_scores_of_the_rest_of_the_population(known: Graph) -> None:
    q = """query($asOf: DateTime) { customers { edges { node { id portrait(asOf: $asOf) {
      rfm { recencyDays frequency monetary recencyScore frequencyScore monetaryScore } lifecycleStage } } } } }"""
    rows = {e["node"]["id"]: e["node"]["portrait"] for e in (await ok(known, q, {"asOf": AS_OF}))["customers"]["edges"]}
    assert {k: (v["rfm"]["recencyScore"], v["rfm"]["frequencyScore"], v["rfm"]["monetaryScore"]) for k, v in rows.items()} == {
        "c1": (4, 5, 4), "c2": (2, 1, 5), "c3": (1, 4, 2), "c4": (5, 1, 1),
        "c5": (None, None, None), "c6": (None, None, None),
    }
    assert rows["c3"]["rfm"] == {"recencyDays": 167, "frequency": 2, "monetary": 100.0, "recencyScore": 1,
                                 "frequencyScore": 4, "monetaryScore": 2}
    assert {k: v["lifecycleStage"] for k, v in rows.items()} == {
        "c1": "ACTIVE", "c2": "ACTIVE", "c3": "SILENT", "c4": "ACTIVE", "c5": "NEW", "c6": "CHURNED"}


async def test_lifecycle_thresholds_are_configurable(known: Graph) -> None:
    q = 'query($asOf: DateTime) { customer(id: "c3") { portrait(asOf: $asOf) { lifecycleStage } } }'
    strict = ApiConfig(lifecycle=LifecycleThresholds(new_days=30, active_days=90, churn_days=120))
    data = await ok(known, q, {"asOf": AS_OF}, config=strict)
    assert data["customer"]["portrait"]["lifecycleStage"] == "CHURNED"


async def test_portrait_as_of_an_earlier_time(known: Graph) -> None:
    q = """query($asOf: DateTime) { customer(id: "c1") { portrait(asOf: $asOf) {
      tags { tags { key valid } } behaviour { interactionCount lastInteraction { type } }
      rfm { recencyDays frequency monetary } relationships { referralsMade { total } knowsCount } } } }"""
    p = (await ok(known, q, {"asOf": "2024-03-01T00:00:00Z"}))["customer"]["portrait"]
    assert p == {
        "tags": [{"tags": [{"key": "churn-risk", "valid": False}]},
                 {"tags": [{"key": "early", "valid": True}, {"key": "vip", "valid": False}]}],
        "behaviour": {"interactionCount": 0, "lastInteraction": None},
        "rfm": {"recencyDays": None, "frequency": 0, "monetary": 0.0},
        "relationships": {"referralsMade": {"total": 0}, "knowsCount": 1},
    }


def test_percentile_interpolates_like_percentile_cont() -> None:
    assert [percentile([1, 6, 91, 167], p) for p in (0.2, 0.4, 0.6, 0.8)] == pytest.approx([4.0, 23.0, 74.0, 121.4])
    assert percentile([5], 0.8) == 5
