"""Portrait resolvers: assemble tags, behaviour, RFM, lifecycle and relationships as of a time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from graph import portrait as p
from graph.customers import Customer
from graph.filters import parse_datetime
from resolvers.context import Context


class Portrait(BaseModel):
    """Everything an account manager needs about one customer as of asOf."""

    model_config = ConfigDict(frozen=True)

    customer: Customer
    as_of: datetime
    tag_groups: list[tuple[str, list[p.TagAssignment]]]
    behaviour: p.Behaviour
    rfm: p.Rfm
    lifecycle: str
    relationships: p.Relationships


async def portrait(ctx: Context, customer: Customer, as_of: datetime | None) -> Portrait:
    """Return the customer's portrait as of asOf (default now)."""
    at = parse_datetime(as_of) if as_of else datetime.now(UTC)
    data, nb, bp = await asyncio.gather(
        ctx.loaders.portrait_data.load((customer.id, at)),
        ctx.loaders.neighbours.load(customer.id),
        ctx.config.rfm_cache.get(ctx.graph, at),
    )
    interactions = data.interactions if data else []
    beh = p.behaviour(interactions, at)
    return Portrait(
        customer=customer,
        as_of=at,
        tag_groups=p.tag_groups(data.tags if data else [], at),
        behaviour=beh,
        rfm=p.rfm(interactions, at, bp),
        lifecycle=p.lifecycle(customer.created_at, beh, at, ctx.config.lifecycle),
        relationships=p.relationships(nb, at) if nb else p.Relationships(
            employer=None, colleagues=0, projects=[], referrals_made=0, referrals_made_converted=0,
            referrals_received=0, referrals_received_converted=0, knows=0),
    )
