"""Mined-tag resolvers: thin calls into graph.mining, then a refresh of the tag through the tag engine."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph.mining.lookalike import LookalikeReport, mine_lookalike
from graph.mining.network import CommunityReport, InfluenceReport, mine_communities, mine_influence
from graph.mining.predictive import TrainReport, train_predictive_tag
from graph.mining.value_groups import ValueGroupsReport, mine_value_groups
from resolvers import tags as rt
from resolvers.context import Context

Run = dict[str, Any]


async def train(ctx: Context, key: str, label_tag: str, features: list[str] | None, holdout_fraction: float,
                seed: int, negative_tag: str | None, threshold: float | None,
                as_of: datetime | None) -> tuple[TrainReport, Run, Run]:
    """Train a predictive tag, then refresh it and its score tag; return the report and both runs."""
    report = await train_predictive_tag(ctx.graph, key, label_tag, features, holdout_fraction, seed, negative_tag,
                                        threshold, as_of=as_of, by=ctx.principal.name)
    return report, await rt.refresh(ctx, key, as_of), await rt.refresh(ctx, f"{key}_score", as_of)


async def value_groups(ctx: Context, key: str, features: list[str] | None, k_min: int, k_max: int, seed: int,
                       as_of: datetime | None) -> tuple[ValueGroupsReport, Run]:
    """Cluster customers into value groups, then refresh the tag."""
    report = await mine_value_groups(ctx.graph, key=key, features=features, k_range=(k_min, k_max), seed=seed,
                                     as_of=as_of, by=ctx.principal.name)
    return report, await rt.refresh(ctx, key, as_of)


async def influence(ctx: Context, key: str, top: float, via: list[str] | None,
                    as_of: datetime | None) -> tuple[InfluenceReport, Run]:
    """Define the influencer tag, then refresh it."""
    report, _ = await mine_influence(ctx.graph, key=key, top=top, via=via, as_of=as_of, by=ctx.principal.name)
    return report, await rt.refresh(ctx, key, as_of)


async def communities(ctx: Context, key: str, via: list[str] | None, seed: int, resolution: float, min_size: int,
                      as_of: datetime | None) -> tuple[CommunityReport, Run]:
    """Define the community tag, then refresh it."""
    report = await mine_communities(ctx.graph, key=key, via=via, seed=seed, resolution=resolution, min_size=min_size,
                                    as_of=as_of, by=ctx.principal.name)
    return report, await rt.refresh(ctx, key, as_of)


async def lookalike(ctx: Context, key: str, seed_tag: str, features: list[str] | None, top: int,
                    as_of: datetime | None) -> tuple[LookalikeReport, Run]:
    """Define a lookalike tag from a seed tag, then refresh it."""
    report = await mine_lookalike(ctx.graph, key=key, seed_tag=seed_tag, features=features, top=top, as_of=as_of,
                                  by=ctx.principal.name)
    return report, await rt.refresh(ctx, key, as_of)
