"""The churn label for the first predictive tag: a RULE tag `churned` matching the portrait's CHURNED stage.

The portrait calls a customer CHURNED when nothing happened in `churn_days` (365) days; as a rule
that is "no interaction within P365D". Features that define the label (recency, recent windows)
would leak it, so churn models use CHURN_FEATURES.
"""

from __future__ import annotations

from datetime import datetime

from graph.db import Graph
from graph.tag_refresh import RefreshReport, refresh_tags
from graph.tags import TagSpec, create_tag, get_tag

CHURN_LABEL = "churned"
CHURN_RULE = {"not": {"lastInteraction": {"within": "P365D"}}}
CHURN_FEATURES = ["profile", "network", "attributes", "frequency", "monetary"]


async def ensure_churn_label(graph: Graph, *, as_of: datetime | None = None, by: str = "cli") -> RefreshReport | None:
    """Create the `churned` RULE tag when missing and refresh it; return that refresh (None when it existed)."""
    if await get_tag(graph, CHURN_LABEL) is not None:
        return None
    spec = TagSpec(key=CHURN_LABEL, name="Churned", category="risk", kind="RULE", status="ACTIVE", owner="mining",
                   refresh="daily", valid_for="P2D", definition={"rule": CHURN_RULE},
                   description="No interaction in the last 365 days (the portrait's CHURNED stage).")
    await create_tag(graph, spec, by=by)
    return await refresh_tags(graph, tag=CHURN_LABEL, as_of=as_of, by=by)
