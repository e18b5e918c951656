"""GraphQL for mined tags: train predictive tags and mine value groups, influencers, communities, lookalikes.

Each mutation trains or defines the MINED tag, then refreshes it through the tag engine (the
returned run is in the run log); `Customer.whyTagged` explains the assignments.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from resolvers import mining as r
from resolvers.context import Context
from schema.tags import TagRun

Ctx = Info[Context, None]


@strawberry.type(description="A feature and its permutation importance (drop in holdout ROC AUC when shuffled).")
class FeatureImportance:
    feature: str
    importance: float


@strawberry.type(description="A trained predictive tag: holdout metrics, importances and the refresh runs.")
class TrainPredictiveTagPayload:
    key: str
    model_version: int
    algorithm: str = strawberry.field(description="logistic_regression, or hist_gradient_boosting when it beat it.")
    auc: float = strawberry.field(description="Holdout ROC AUC of the chosen algorithm.")
    baseline_auc: float
    boosted_auc: float | None
    threshold: float
    precision: float = strawberry.field(description="Holdout precision at the threshold.")
    recall: float = strawberry.field(description="Holdout recall at the threshold.")
    positives: int
    negatives: int
    holdout: int
    scored: int
    importances: list[FeatureImportance]
    run: TagRun = strawberry.field(description="The refresh of the tag (customers at or above the threshold).")
    score_run: TagRun = strawberry.field(description="The refresh of KEY_score (every scored customer).")


@strawberry.type(description="One value group: name from its centroid, size, and centroid in feature units.")
class ValueGroup:
    name: str
    size: int
    centroid: JSON


@strawberry.type(description="Value groups found by K-means (k chosen by silhouette) and the refresh run.")
class ValueGroupsPayload:
    key: str
    model_version: int
    k: int
    silhouettes: JSON = strawberry.field(description="Silhouette score by k.")
    groups: list[ValueGroup]
    run: TagRun


@strawberry.type(description="A customer ranked by influence.")
class RankedCustomer:
    id: strawberry.ID
    rank: int
    score: float = strawberry.field(description="PageRank × number of customers (1.0 is average).")


@strawberry.type(description="The influencer tag: how many were tagged, the top ones, and the refresh run.")
class InfluencePayload:
    key: str
    customers: int
    ties: int
    tagged: int
    top: list[RankedCustomer]
    run: TagRun


@strawberry.type(description="A community id and its size.")
class CommunitySize:
    id: str
    size: int


@strawberry.type(description="Communities found by Louvain and the refresh run.")
class CommunitiesPayload:
    key: str
    customers: int
    ties: int
    communities: int
    tagged: int
    largest: list[CommunitySize]
    run: TagRun


@strawberry.type(description="A lookalike customer, its nearest seed customer and the similarity.")
class Lookalike:
    id: strawberry.ID
    nearest_seed: strawberry.ID
    similarity: float


@strawberry.type(description="The lookalike tag: seeds, how many were tagged, the best matches and the refresh run.")
class LookalikePayload:
    key: str
    model_version: int
    seeds: int
    tagged: int
    best: list[Lookalike]
    run: TagRun


@strawberry.type
class MiningMutations:
    @strawberry.mutation(description="Train a predictive MINED tag for 'has labelTag' (negatives: negativeTag, "
                         "else everyone else), store it, and score customers into KEY and KEY_score.")
    async def train_predictive_tag(
        self, info: Ctx, key: str, label_tag: str, features: list[str] | None = None, holdout_fraction: float = 0.25,
        seed: int = 7, negative_tag: str | None = None, threshold: float | None = None, as_of: datetime | None = None,
    ) -> TrainPredictiveTagPayload:
        t, run, score_run = await r.train(info.context, key, label_tag, features, holdout_fraction, seed, negative_tag,
                                          threshold, as_of)
        return TrainPredictiveTagPayload(
            key=t.key, model_version=t.version, algorithm=t.algorithm, auc=t.auc, baseline_auc=t.baseline_auc,
            boosted_auc=t.boosted_auc, threshold=t.threshold, precision=t.precision, recall=t.recall,
            positives=t.positives, negatives=t.negatives, holdout=t.holdout, scored=t.scored,
            importances=[FeatureImportance(feature=n, importance=v) for n, v in t.importances],
            run=TagRun.from_row(run), score_run=TagRun.from_row(score_run))

    @strawberry.mutation(description="Cluster customers on scaled RFM (or other) features into named value groups.")
    async def mine_value_groups(self, info: Ctx, key: str = "value_group", features: list[str] | None = None,
                                k_min: int = 3, k_max: int = 6, seed: int = 7,
                                as_of: datetime | None = None) -> ValueGroupsPayload:
        v, run = await r.value_groups(info.context, key, features, k_min, k_max, seed, as_of)
        return ValueGroupsPayload(key=v.key, model_version=v.version, k=v.k,
                                  silhouettes=JSON({str(k): s for k, s in v.silhouettes.items()}),
                                  groups=[ValueGroup(name=c.name, size=c.size, centroid=JSON(c.centroid))
                                          for c in v.clusters],
                                  run=TagRun.from_row(run))

    @strawberry.mutation(description="Tag the top fraction of customers by PageRank over KNOWS + REFERRED.")
    async def mine_influence(self, info: Ctx, key: str = "influencer", top: float = 0.05, via: list[str] | None = None,
                             as_of: datetime | None = None) -> InfluencePayload:
        i, run = await r.influence(info.context, key, top, via, as_of)
        return InfluencePayload(key=i.key, customers=i.customers, ties=i.ties, tagged=i.tagged,
                                top=[RankedCustomer(id=strawberry.ID(c), rank=k, score=s) for c, k, s in i.top],
                                run=TagRun.from_row(run))

    @strawberry.mutation(description="Tag customers with their Louvain community over KNOWS + COLLEAGUE + REFERRED.")
    async def mine_communities(self, info: Ctx, key: str = "community", via: list[str] | None = None, seed: int = 7,
                               resolution: float = 1.0, min_size: int = 3,
                               as_of: datetime | None = None) -> CommunitiesPayload:
        c, run = await r.communities(info.context, key, via, seed, resolution, min_size, as_of)
        return CommunitiesPayload(key=c.key, customers=c.customers, ties=c.ties, communities=c.communities,
                                  tagged=c.tagged, largest=[CommunitySize(id=n, size=s) for n, s in c.sizes[:20]],
                                  run=TagRun.from_row(run))

    @strawberry.mutation(description="Tag the customers most similar (feature-space neighbours) to a seed tag's holders.")
    async def mine_lookalike(self, info: Ctx, key: str, seed_tag: str, features: list[str] | None = None,
                             top: int = 100, as_of: datetime | None = None) -> LookalikePayload:
        lk, run = await r.lookalike(info.context, key, seed_tag, features, top, as_of)
        return LookalikePayload(key=lk.key, model_version=lk.version, seeds=lk.seeds, tagged=lk.tagged,
                                best=[Lookalike(id=strawberry.ID(i), nearest_seed=strawberry.ID(s), similarity=v)
                                      for i, s, v in lk.best],
                                run=TagRun.from_row(run))
