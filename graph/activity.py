"""The activity digest: per customer, the time of each interaction of a canonical type, kept on the customer.

A windowed count such as "≥ 3 purchases in the last 180 days" otherwise reads every interaction of
every candidate: at 100k customers a 3-condition segment spends 0.6 s of its 1.0 s reading ~320k
interaction nodes. With `c.activity_purchase` (a list of datetimes) the same test reads the customer
alone: 0.18 s (docs/performance.md, "Session 4").

- Kept by every write that adds, moves or changes interactions, in the same transaction: the importer
  (interactions file, per batch), `recordInteraction` and duplicate merges. Erasure moves a customer's
  interactions to an `ErasedCustomer`, which has no digest.
- `activity_v` marks a customer whose digest is complete. Compiled rules test it and fall back to
  reading the interactions when it is missing (`CASE` evaluates only the branch it takes, on both
  servers), so correctness never depends on the digest: a database written before it existed, or a
  customer written by hand, gets the same answers, only slower. `backfill` fills it in.
- Only the types in `DIGEST_TYPES` and only windowed conditions use it (an interaction without
  `occurred_at` is left out of the digest, and a window never matches one).
"""

from __future__ import annotations

import logging

from graph.db import Graph, Tx

log = logging.getLogger(__name__)

# The interaction types the demo data, the starter catalogue and CRM practice use; others are counted
# from the interactions themselves. Each has a list property `activity_<type>` (cypher/interaction/refresh_activity).
DIGEST_TYPES: tuple[str, ...] = ("purchase", "call", "email", "visit", "meeting", "feedback", "support", "referral")
VERSION = 1
VERSION_PROP = "activity_v"
PROPS: frozenset[str] = frozenset({f"activity_{t}" for t in DIGEST_TYPES} | {VERSION_PROP})
BACKFILL_BATCH = 5000


def digest_prop(kind: str) -> str | None:
    """Return the customer property holding the times of interactions of this type (None when not digested)."""
    return f"activity_{kind}" if kind in DIGEST_TYPES else None


async def refresh_activity(tx: Tx, ids: list[str]) -> int:
    """Rewrite the digest of these customers inside tx; return how many exist."""
    if not ids:
        return 0
    return int((await tx.run("interaction/refresh_activity", ids=sorted(set(ids))))[0]["refreshed"])


async def backfill(graph: Graph, batch: int = BACKFILL_BATCH) -> int:
    """Write the digest of every customer that lacks a current one, batch by batch; return how many."""
    done = 0
    while True:
        ids = [r["id"] for r in await graph.read("interaction/get_undigested_customers", version=VERSION, limit=batch)]
        if not ids:
            break

        async def write(tx: Tx, ids: list[str] = ids) -> int:
            return await refresh_activity(tx, ids)

        written = await graph.in_transaction(write)
        if not written:  # deleted meanwhile; stop rather than read them again (the fallback keeps answers right)
            log.warning("activity digest: %d customers could not be written; stopping", len(ids))
            break
        done += written
        log.info("activity digest: %d customers written", done)
    return done
