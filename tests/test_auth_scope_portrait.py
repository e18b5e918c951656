"""An account manager's customer portraits (RFM against their own customers, relationships inside their accounts)
and tag coverage of their customers, through GraphQL with a real context, next to an admin's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from test_auth_roles import SCHEMA
from test_auth_scope_graph import ADMIN, MANAGER, build

from graph.db import Graph
from graph.segment_snapshots import snapshot_tag_coverage
from resolvers.context import ApiConfig, Context

AS_OF = "2026-01-01T00:00:00+00:00"


async def purchases(graph: Graph) -> None:
    """Purchases up to asOf. Inside: a1 (r 2, f 2, m 150), a2 (r 61, f 1, m 20), b1 (r 214, f 1, m 500); a3 only
    called. Outside: x1 (r 1, f 3, m 3000) and f1 (r 1, f 1, m 900), who outrank a1 in the whole population."""
    await build(graph)
    await graph.write_text("tests/scope-portrait", """
        UNWIND $rows AS row
        MATCH (c:Customer {id: row.c})
        CREATE (c)-[:PERFORMED]->(:Interaction {id: row.id, customer_id: row.c, type: row.type,
                                                occurred_at: datetime(row.at), amount: row.amount})
        """, {"rows": [
        {"id": "i1", "c": "a1", "type": "purchase", "at": "2025-12-30T10:00:00Z", "amount": 100.0},
        {"id": "i2", "c": "a1", "type": "purchase", "at": "2025-12-01T10:00:00Z", "amount": 50.0},
        {"id": "i3", "c": "a2", "type": "purchase", "at": "2025-11-01T10:00:00Z", "amount": 20.0},
        {"id": "i4", "c": "b1", "type": "purchase", "at": "2025-06-01T10:00:00Z", "amount": 500.0},
        {"id": "i5", "c": "a3", "type": "call", "at": "2025-12-15T10:00:00Z", "amount": None},
        {"id": "i6", "c": "x1", "type": "purchase", "at": "2025-12-31T10:00:00Z", "amount": 1000.0},
        {"id": "i7", "c": "x1", "type": "purchase", "at": "2025-12-20T10:00:00Z", "amount": 1000.0},
        {"id": "i8", "c": "x1", "type": "purchase", "at": "2025-12-10T10:00:00Z", "amount": 1000.0},
        {"id": "i9", "c": "f1", "type": "purchase", "at": "2025-12-31T10:00:00Z", "amount": 900.0},
    ]})
    await graph.write_text("tests/scope-tags", """
        CREATE (vip:Tag {key: 'vip', name: 'VIP', category: 'value'}), (gold:Tag {key: 'gold', name: 'Gold', category: 'value'}),
               (old:Tag {key: 'old', name: 'Old', category: 'risk'})
        WITH vip, gold, old
        MATCH (a1:Customer {id: 'a1'}), (a2:Customer {id: 'a2'}), (b1:Customer {id: 'b1'}), (x1:Customer {id: 'x1'}),
              (f1:Customer {id: 'f1'})
        CREATE (a1)-[:HAS_TAG {source: 'manual', assigned_at: datetime('2025-06-01T00:00:00Z')}]->(vip)
        CREATE (x1)-[:HAS_TAG {source: 'manual', assigned_at: datetime('2025-06-01T00:00:00Z')}]->(vip)
        CREATE (b1)-[:HAS_TAG {source: 'rule', assigned_at: datetime('2025-06-01T00:00:00Z')}]->(gold)
        CREATE (f1)-[:HAS_TAG {source: 'rule', assigned_at: datetime('2025-06-01T00:00:00Z')}]->(gold)
        CREATE (x1)-[:HAS_TAG {source: 'rule', assigned_at: datetime('2025-06-01T00:00:00Z')}]->(gold)
        CREATE (a2)-[:HAS_TAG {source: 'rule', assigned_at: datetime('2025-01-01T00:00:00Z'),
                               expires_at: datetime('2025-07-01T00:00:00Z')}]->(old)
        """, {})


PORTRAIT = """query($asOf: DateTime) {
  a1: customer(id: "a1") { portrait(asOf: $asOf) {
    customer { id } asOf attributes
    tags { category tags { key source valid } }
    behaviour { interactionCount purchaseCount purchaseTotal lastInteraction { at type } activeDays }
    rfm { recencyDays frequency monetary recencyScore frequencyScore monetaryScore population }
    lifecycleStage
    relationships {
      employer { companyId since } colleaguesCount projects { projectId role }
      referralsMade { total converted } referralsReceived { total converted } knowsCount
    }
  } }
  x1: customer(id: "x1") { portrait(asOf: $asOf) { rfm { population } } }
}"""

A1_SHARED = {
    "customer": {"id": "a1"}, "asOf": AS_OF, "attributes": {"wechat_id": "wx_ada"},
    "tags": [{"category": "value", "tags": [{"key": "vip", "source": "manual", "valid": True}]}],
    "behaviour": {"interactionCount": 2, "purchaseCount": 2, "purchaseTotal": 150.0,
                  "lastInteraction": {"at": "2025-12-30T10:00:00+00:00", "type": "purchase"}, "activeDays": 2},
    "lifecycleStage": "ACTIVE",
}


async def portrait_of(graph: Graph, principal: Any, config: ApiConfig) -> dict[str, Any]:
    context = Context.build(graph, config, principal=principal)
    result = await SCHEMA.execute(PORTRAIT, variable_values={"asOf": AS_OF}, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


async def test_a_managers_portrait_ranks_among_their_customers_and_shows_only_their_accounts(graph: Graph) -> None:
    await purchases(graph)
    config = ApiConfig()  # one process-wide RFM cache shared by both principals, as in the service
    mine = await portrait_of(graph, MANAGER, config)
    everything = await portrait_of(graph, ADMIN, config)
    again = await portrait_of(graph, MANAGER, config)  # a cache hit must not hand the admin's breakpoints over
    # Among their customers with a purchase (a1, a2, b1): R 2, 61, 214 → breakpoints 25.6, 49.2, 91.6, 152.8;
    # F 2, 1, 1 → 1, 1, 1.2, 1.6; M 150, 20, 500 → 72, 124, 220, 360.
    assert mine == again == {"a1": {"portrait": {**A1_SHARED,
        "rfm": {"recencyDays": 2, "frequency": 2, "monetary": 150.0, "recencyScore": 5, "frequencyScore": 5,
                "monetaryScore": 3, "population": 3},
        "relationships": {
            "employer": {"companyId": "co-1", "since": "2020-01-01"}, "colleaguesCount": 2,
            "projects": [{"projectId": "p-1", "role": "lead"}],
            "referralsMade": {"total": 0, "converted": 0}, "referralsReceived": {"total": 0, "converted": 0},
            "knowsCount": 1}}},
        "x1": None}
    # Among everyone with a purchase (x1 and f1 too): R 1, 1, 2, 61, 214 → 1, 1.6, 25.6, 91.6;
    # F 3, 2, 1, 1, 1 → 1, 1, 1.4, 2.2; M 3000, 900, 500, 150, 20 → 124, 360, 660, 1320.
    assert everything == {"a1": {"portrait": {**A1_SHARED,
        "rfm": {"recencyDays": 2, "frequency": 2, "monetary": 150.0, "recencyScore": 3, "frequencyScore": 4,
                "monetaryScore": 2, "population": 5},
        "relationships": {
            "employer": {"companyId": "co-1", "since": "2020-01-01"}, "colleaguesCount": 3,
            "projects": [{"projectId": "p-1", "role": "lead"}, {"projectId": "p-x", "role": "advisor"}],
            "referralsMade": {"total": 1, "converted": 1}, "referralsReceived": {"total": 1, "converted": 0},
            "knowsCount": 2}}},
        "x1": {"portrait": {"rfm": {"population": 5}}}}


COVERAGE = """query($asOf: DateTime) {
  tagCoverage(asOf: $asOf) { lastSnapshotAt tags { key name category holders share previous change } }
  tagDefinition(key: "gold") { coverage(asOf: $asOf) { holders total } }
}"""


async def test_tag_coverage_counts_only_a_managers_customers(graph: Graph) -> None:
    await purchases(graph)
    await snapshot_tag_coverage(graph, datetime(2025, 12, 1, tzinfo=UTC))
    assert await run_at(graph, MANAGER) == {"data": {
        "tagCoverage": {"lastSnapshotAt": None, "tags": [  # snapshots hold totals over everyone: not theirs
            {"key": "gold", "name": "Gold", "category": "value", "holders": 1, "share": 0.25, "previous": None,
             "change": None},
            {"key": "old", "name": "Old", "category": "risk", "holders": 0, "share": 0.0, "previous": None,
             "change": None},
            {"key": "vip", "name": "VIP", "category": "value", "holders": 1, "share": 0.25, "previous": None,
             "change": None}]},
        "tagDefinition": {"coverage": {"holders": 1, "total": 4}}}}
    assert await run_at(graph, ADMIN) == {"data": {
        "tagCoverage": {"lastSnapshotAt": "2025-12-01T00:00:00+00:00", "tags": [
            {"key": "gold", "name": "Gold", "category": "value", "holders": 3, "share": 0.5, "previous": 3,
             "change": 0},
            {"key": "old", "name": "Old", "category": "risk", "holders": 0, "share": 0.0, "previous": 0,
             "change": 0},
            {"key": "vip", "name": "VIP", "category": "value", "holders": 2, "share": 2 / 6, "previous": 2,
             "change": 0}]},
        "tagDefinition": {"coverage": {"holders": 3, "total": 6}}}}


async def run_at(graph: Graph, principal: Any) -> dict[str, Any]:
    context = Context.build(graph, principal=principal)
    result = await SCHEMA.execute(COVERAGE, variable_values={"asOf": AS_OF}, context_value=context)
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [{"message": e.message, "code": (e.extensions or {}).get("code")} for e in result.errors]
    return out


async def test_a_manager_reads_tag_definitions_by_key(graph: Graph) -> None:
    await purchases(graph)
    query = '{ tag(key: "gold") { key name category } missing: tag(key: "nope") { key } }'
    for principal in (MANAGER, ADMIN):  # a definition names no customer: the same for both
        result = await SCHEMA.execute(query, context_value=Context.build(graph, principal=principal))
        assert (result.errors, result.data) == (None, {"tag": {"key": "gold", "name": "Gold", "category": "value"},
                                                       "missing": None})
