"""Probable duplicate customers (shared email or phone): report them, or merge into the oldest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph.activity import PROPS as ACTIVITY_PROPS
from graph.activity import refresh_activity
from graph.db import Graph, Tx
from ingest.report import Duplicate, Merge

# Relationship moves, one Cypher file per type and direction (no dynamic types without APOC).
MOVE_QUERIES = (
    "import/merge_works_at",
    "import/merge_member_of",
    "import/merge_knows_out",
    "import/merge_knows_in",
    "import/merge_referred_out",
    "import/merge_referred_in",
    "import/merge_has_tag",
    "import/merge_performed",
)
# Properties that describe the record rather than the person: never copied from a merged one. The activity
# digest is rewritten from the moved interactions instead.
_NOT_FILLED = {"id", "updated_at", "created_at"} | ACTIVITY_PROPS
MERGE_CHUNK = 200


async def find_duplicates(graph: Graph) -> list[Duplicate]:
    """Return groups of customers connected by a shared email or phone, ids sorted."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links: list[tuple[list[str], str]] = []
    for name, field in (("import/find_duplicate_emails", "email"), ("import/find_duplicate_phones", "phone")):
        for row in await graph.read(name):
            ids = sorted(row["ids"])
            links.append((ids, field))
            for other in ids[1:]:
                parent[root(other)] = root(ids[0])
    groups: dict[str, set[str]] = {}
    for ids, _ in links:
        for x in ids:
            groups.setdefault(root(x), set()).add(x)
    by_root: dict[str, set[str]] = {}
    for ids, field in links:
        by_root.setdefault(root(ids[0]), set()).add(field)
    out = [
        Duplicate(tuple(sorted(members)), "same " + " and ".join(sorted(by_root[r])))
        for r, members in groups.items()
    ]
    return sorted(out, key=lambda d: d.ids)


def oldest_first(customer: dict[str, Any]) -> tuple[bool, datetime, str]:
    """Sort key: customers with the earliest created_at first, then by id; unknown dates last."""
    created = customer.get("created_at")
    if isinstance(created, datetime):
        return False, created if created.tzinfo else created.replace(tzinfo=UTC), customer["id"]
    return True, datetime.max.replace(tzinfo=UTC), customer["id"]


async def merge_duplicates(graph: Graph, groups: list[Duplicate], now: datetime) -> list[Merge]:
    """Merge each group into its oldest customer, moving relationships; return the merges done."""
    ids = sorted({i for g in groups for i in g.ids})
    customers: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 5000):
        for row in await graph.read("import/get_customers", ids=ids[start:start + 5000]):
            customers[row["id"]] = row["customer"]
    pairs: list[dict[str, Any]] = []
    for group in groups:
        members = sorted((customers[i] for i in group.ids if i in customers), key=oldest_first)
        if len(members) < 2:
            continue
        kept = dict(members[0])
        for other in members[1:]:
            fill = {k: v for k, v in other.items() if k not in _NOT_FILLED and kept.get(k) is None}
            kept.update(fill)
            pairs.append({"kept_id": kept["id"], "merged_id": other["id"], "reason": group.reason, "fill": fill})
    for start in range(0, len(pairs), MERGE_CHUNK):
        chunk = pairs[start:start + MERGE_CHUNK]

        async def work(tx: Tx, chunk: list[dict[str, Any]] = chunk) -> None:
            for name in MOVE_QUERIES:
                await tx.run(name, pairs=chunk)
            await tx.run("import/merge_customers", pairs=chunk, now=now)
            await refresh_activity(tx, [p["kept_id"] for p in chunk])

        await graph.in_transaction(work)
    return [Merge(p["kept_id"], p["merged_id"], p["reason"]) for p in pairs]
