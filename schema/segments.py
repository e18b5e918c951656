"""Segments, analysis and analyst Cypher in GraphQL: SegmentQueries and SegmentMutations."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from graph import analysis as ga
from graph import analyst_cypher as gc
from graph import exports as ge
from graph import segment_analysis as gsa
from graph import segment_snapshots as gss
from graph import segments as gs
from graph.errors import BadInputError
from resolvers import segments as r
from resolvers.context import Context
from schema.customer import Customer
from schema.inputs import UNSET
from schema.pagination import Connection, connection

Ctx = Info[Context, None]


@strawberry.enum(description="RULE: a condition tree; CYPHER: an analyst's saved query under cypher/segments/.")
class SegmentKind(Enum):
    RULE = "RULE"
    CYPHER = "CYPHER"


@strawberry.enum
class ExportFormat(Enum):
    CSV = "csv"
    JSONL = "jsonl"


def _customers(found: list[Any]) -> list[Customer]:
    return [Customer.from_model(c) for c in found]


async def _id_connection(info: Ctx, ids: list[str], first: int | None, after: str | None) -> Connection[Customer]:
    found, cursors, more = await r.id_page(info.context, ids, first, after)
    return connection(_customers(found), cursors, more, after is not None, len(ids))


@strawberry.type(description="A stored snapshot of a segment's size (and, when has_members, its member ids).")
class SegmentSnapshot:
    id: strawberry.ID
    segment_key: str
    at: datetime
    count: int
    has_members: bool

    @classmethod
    def from_model(cls, m: gss.Snapshot) -> SegmentSnapshot:
        return cls(id=strawberry.ID(m.id), segment_key=m.segment_key, at=m.at, count=m.count, has_members=m.has_members)


@strawberry.type(description="Who entered and who left a segment between two snapshots.")
class SegmentChanges:
    before: SegmentSnapshot
    after: SegmentSnapshot
    entered_count: int
    left_count: int
    model: strawberry.Private[gss.Changes]

    @strawberry.field(description="Customers in the later snapshot only, by id.")
    async def entered(self, info: Ctx, first: int | None = None, after: str | None = None) -> Connection[Customer]:
        return await _id_connection(info, self.model.entered, first, after)

    @strawberry.field(description="Customers in the earlier snapshot only, by id.")
    async def left(self, info: Ctx, first: int | None = None, after: str | None = None) -> Connection[Customer]:
        return await _id_connection(info, self.model.left, first, after)


@strawberry.type(description="One value of a distribution (null = unknown); numeric buckets carry [low, high).")
class DistributionBucket:
    value: str | None
    count: int
    share: float
    low: float | None
    high: float | None


@strawberry.type(description="Customers counted by the values of one dimension, with shares of the total.")
class Distribution:
    dimension: str
    total: int
    buckets: list[DistributionBucket]

    @classmethod
    def from_model(cls, m: ga.Distribution) -> Distribution:
        return cls(dimension=m.dimension, total=m.total, buckets=[DistributionBucket(**b.model_dump()) for b in m.buckets])


@strawberry.type
class CrossTableCell:
    row: str | None
    column: str | None
    count: int
    share: float


@strawberry.type(description="Customers counted by pairs of values of two dimensions.")
class CrossTable:
    rows: str
    columns: str
    total: int
    cells: list[CrossTableCell]


@strawberry.type(description="A tag's share among members versus all customers; lift = share / populationShare.")
class TagLift:
    key: str
    name: str | None
    category: str | None
    holders: int
    share: float
    population_share: float
    lift: float | None


@strawberry.type(description="Per-customer means: purchase spend up to asOf, purchases in the 365 days before it.")
class SegmentAverages:
    spend: float | None
    population_spend: float | None
    purchases_per_year: float | None
    population_purchases_per_year: float | None


@strawberry.type(description="群体画像: who the members are, against all customers.")
class SegmentPortrait:
    size: int
    population: int
    as_of: datetime
    distributions: list[Distribution]
    top_tags: list[TagLift]
    averages: SegmentAverages

    @classmethod
    def from_model(cls, m: gsa.SegmentPortrait) -> SegmentPortrait:
        return cls(size=m.size, population=m.population, as_of=m.as_of,
                   distributions=[Distribution.from_model(d) for d in m.distributions],
                   top_tags=[TagLift(**t.model_dump()) for t in m.top_tags],
                   averages=SegmentAverages(**m.averages.model_dump()))


@strawberry.type(description="A customer segment: a rule or a saved analyst query. Key is null for an ad-hoc rule.")
class Segment:
    key: str | None
    name: str
    description: str
    owner: str | None
    status: str
    kind: SegmentKind
    rule: JSON | None
    query: str | None = strawberry.field(description="The saved query (cypher/segments/<query>.cypher) of a CYPHER segment.")
    params: JSON
    source: str = strawberry.field(description="graph (stored), file (a saved query file) or adhoc.")
    created_at: datetime | None
    updated_at: datetime | None
    model: strawberry.Private[gs.Segment]

    @classmethod
    def from_model(cls, m: gs.Segment) -> Segment:
        return cls(key=m.key, name=m.name, description=m.description, owner=m.owner, status=m.status,
                   kind=SegmentKind(m.kind), rule=cast(JSON, m.rule), query=m.query, params=cast(JSON, m.params),
                   source=m.source,
                   created_at=m.created_at, updated_at=m.updated_at, model=m)

    @strawberry.field(description="Members at asOf (default now); params override a CYPHER segment's.")
    async def count(self, info: Ctx, as_of: datetime | None = None, params: JSON | None = None) -> int:
        return await r.count(info.context, self.model, as_of, params)

    @strawberry.field(description="Members as customers, by id (stable cursors).")
    async def members(self, info: Ctx, first: int | None = None, after: str | None = None,
                      as_of: datetime | None = None, params: JSON | None = None) -> Connection[Customer]:
        page, aud = await r.members(info.context, self.model, first, after, as_of, params)

        async def total() -> int:
            return await r.total(info.context, aud)

        return connection(_customers(page.customers), page.cursors, page.has_next, after is not None, total)

    @strawberry.field(description="Up to n members drawn at random, by id.")
    async def sample(self, info: Ctx, n: int = 10, as_of: datetime | None = None,
                     params: JSON | None = None) -> list[Customer]:
        return _customers(await r.sample(info.context, self.model, n, as_of, params))

    @strawberry.field(description="Snapshots of the segment's size, oldest first.")
    async def history(self, info: Ctx, limit: int = 100) -> list[SegmentSnapshot]:
        if self.key is None:
            return []
        return [SegmentSnapshot.from_model(s) for s in await r.history(info.context, self.key, limit)]

    @strawberry.field(description="Entered/left between two snapshots (default: the last two with members).")
    async def changes(self, info: Ctx, before: strawberry.ID | None = None,
                      after: strawberry.ID | None = None) -> SegmentChanges:
        found = await r.changes(info.context, self.key or "", before, after)
        return SegmentChanges(before=SegmentSnapshot.from_model(found.before),
                              after=SegmentSnapshot.from_model(found.after), entered_count=len(found.entered),
                              left_count=len(found.left), model=found)

    @strawberry.field(description="Distributions, top tags with lift and averages against all customers.")
    async def portrait(self, info: Ctx, as_of: datetime | None = None) -> SegmentPortrait:
        return SegmentPortrait.from_model(await r.portrait(info.context, self.model, as_of))


@strawberry.type(description="Customers in exactly these segments (and none of the others asked about).")
class VennRegion:
    keys: list[str]
    count: int


@strawberry.type
class SegmentOverlap:
    keys: list[str]
    sizes: list[int]
    union: int
    regions: list[VennRegion]


@strawberry.type(description="Members only in a, only in b, and in both; each list paged by id.")
class SegmentComparison:
    a: str
    b: str
    only_a_count: int
    only_b_count: int
    both_count: int
    model: strawberry.Private[gsa.Comparison]

    @strawberry.field
    async def only_a(self, info: Ctx, first: int | None = None, after: str | None = None) -> Connection[Customer]:
        return await _id_connection(info, self.model.only_a, first, after)

    @strawberry.field
    async def only_b(self, info: Ctx, first: int | None = None, after: str | None = None) -> Connection[Customer]:
        return await _id_connection(info, self.model.only_b, first, after)

    @strawberry.field
    async def both(self, info: Ctx, first: int | None = None, after: str | None = None) -> Connection[Customer]:
        return await _id_connection(info, self.model.both, first, after)


@strawberry.type(description="Customers holding a tag now, and the change since the last coverage snapshot.")
class TagCoverageChange:
    key: str
    name: str | None
    category: str | None
    holders: int
    share: float
    previous: int | None
    change: int | None


@strawberry.type
class TagCoverageReport:
    last_snapshot_at: datetime | None
    tags: list[TagCoverageChange]


@strawberry.type(description="Rows of an analyst query (JSON objects by column); truncated when the row cap cut them.")
class CypherResult:
    columns: list[str]
    rows: list[JSON]
    truncated: bool
    row_cap: int

    @classmethod
    def from_model(cls, m: gc.CypherResult) -> CypherResult:
        return cls(columns=m.columns, rows=[cast(JSON, row) for row in m.rows], truncated=m.truncated,
                   row_cap=m.row_cap)


@strawberry.type(description="A written export: a path under the data directory's exports/ folder.")
class SegmentExport:
    path: str
    format: ExportFormat
    columns: list[str]
    rows: int
    excluded_without_consent: int

    @classmethod
    def from_model(cls, m: ge.ExportResult) -> SegmentExport:
        return cls(path=str(m.path), format=ExportFormat(m.format), columns=m.columns, rows=m.rows,
                   excluded_without_consent=m.excluded_without_consent)


@strawberry.type
class SegmentQueries:
    @strawberry.field(description="The segment with this key (stored or a saved query file); null when absent.")
    async def segment(self, info: Ctx, key: str) -> Segment | None:
        found = await r.segment(info.context, key)
        return Segment.from_model(found) if found else None

    @strawberry.field(description="Stored and saved-query segments by key.")
    async def segments(self, info: Ctx, status: str | None = None, kind: SegmentKind | None = None) -> list[Segment]:
        found = await r.list_all(info.context, status, kind.value if kind else None)
        return [Segment.from_model(s) for s in found]

    @strawberry.field(description="An unsaved segment for a rule (validated), to count, list or sample it.")
    async def adhoc_segment(self, info: Ctx, rule: JSON) -> Segment:
        return Segment.from_model(await r.adhoc(info.context, rule))

    @strawberry.field(description="Venn counts of 2 to 4 segments: every region, in bit order of keys.")
    async def segment_overlap(self, info: Ctx, keys: list[str], as_of: datetime | None = None) -> SegmentOverlap:
        m = await r.overlap(info.context, keys, as_of)
        return SegmentOverlap(keys=m.keys, sizes=m.sizes, union=m.union,
                              regions=[VennRegion(keys=x.keys, count=x.count) for x in m.regions])

    @strawberry.field(description="Members only in a, only in b and in both.")
    async def segment_compare(self, info: Ctx, a: str, b: str, as_of: datetime | None = None) -> SegmentComparison:
        m = await r.compare(info.context, a, b, as_of)
        return SegmentComparison(a=a, b=b, only_a_count=len(m.only_a), only_b_count=len(m.only_b),
                                 both_count=len(m.both), model=m)

    @strawberry.field(description="Counts by a dimension (field, attribute, age_band, lifecycle_stage, industry, tag, "
                                  "tag_category:<c>, spend, purchases) among a segment's members or all customers.")
    async def distribution(self, info: Ctx, dimension: str, segment: str | None = None, rule: JSON | None = None,
                           buckets: int = 5, as_of: datetime | None = None) -> Distribution:
        seg = await r.target(info.context, segment, rule)
        return Distribution.from_model(await r.distribution(info.context, dimension, seg, buckets, as_of))

    @strawberry.field(description="Counts by pairs of values of two dimensions.")
    async def cross_table(self, info: Ctx, rows: str, columns: str, segment: str | None = None,
                          rule: JSON | None = None, buckets: int = 5, as_of: datetime | None = None) -> CrossTable:
        seg = await r.target(info.context, segment, rule)
        m = await r.cross_table(info.context, rows, columns, seg, buckets, as_of)
        return CrossTable(rows=m.rows, columns=m.columns, total=m.total,
                          cells=[CrossTableCell(**c.model_dump()) for c in m.cells])

    @strawberry.field(description="Per tag: customers holding it now and the change since the last coverage snapshot.")
    async def tag_coverage(self, info: Ctx, as_of: datetime | None = None) -> TagCoverageReport:
        tags, last = await r.tag_coverage(info.context, as_of)
        return TagCoverageReport(last_snapshot_at=last, tags=[TagCoverageChange(**t.model_dump()) for t in tags])

    @strawberry.field(description="Run a saved segment query (cypher/segments/<name>.cypher) with typed params.")
    async def run_segment_query(self, info: Ctx, name: str, params: JSON | None = None) -> CypherResult:
        return CypherResult.from_model(await r.run_segment_query(info.context, name, params))

    @strawberry.field(description="Run read-only Cypher: write clauses and most procedures are rejected before "
                                  "execution; a timeout and a row cap apply.")
    async def run_cypher(self, info: Ctx, query: str, params: JSON | None = None) -> CypherResult:
        return CypherResult.from_model(await r.run_cypher(info.context, query, params))


@strawberry.input(description="A new segment: give a rule, or a saved query name with params.")
class SegmentInput:
    key: str
    name: str
    description: str = ""
    owner: str | None = None
    status: str = "ACTIVE"
    rule: JSON | None = None
    query: str | None = None
    params: JSON | None = None


@strawberry.input(description="Segment fields to change; omitted ones stay.")
class SegmentUpdateInput:
    name: str | None = UNSET
    description: str | None = UNSET
    owner: str | None = UNSET
    status: str | None = UNSET
    rule: JSON | None = UNSET
    query: str | None = UNSET
    params: JSON | None = UNSET


@strawberry.type
class SegmentMutations:
    @strawberry.mutation(description="Store a segment definition (the rule or query is validated).")
    async def create_segment(self, info: Ctx, input: SegmentInput) -> Segment:
        return Segment.from_model(await r.create(info.context, vars(input)))

    @strawberry.mutation(description="Change a stored segment.")
    async def update_segment(self, info: Ctx, key: str, input: SegmentUpdateInput) -> Segment:
        changes = {k: v for k, v in vars(input).items() if v is not UNSET}
        return Segment.from_model(await r.update(info.context, key, changes))

    @strawberry.mutation(description="Delete a stored segment and its snapshots; false when there was none.")
    async def delete_segment(self, info: Ctx, key: str) -> bool:
        return await r.delete(info.context, key)

    @strawberry.mutation(description="Snapshot one segment, or every ACTIVE segment and tag coverage when key is null.")
    async def snapshot_segments(self, info: Ctx, key: str | None = None, with_members: bool = True) -> list[SegmentSnapshot]:
        return [SegmentSnapshot.from_model(s) for s in await r.snapshot(info.context, key, with_members)]

    @strawberry.mutation(description="Export a segment's (or a rule's) members to a file under the data dir's exports/; "
                                     "customers without marketing consent are left out unless asked.")
    async def export_segment(self, info: Ctx, key: str | None = None, rule: JSON | None = None,
                             format: ExportFormat = ExportFormat.CSV, columns: list[str] | None = None,
                             include_non_consenting: bool = False, as_of: datetime | None = None) -> SegmentExport:
        seg = await r.target(info.context, key, rule)
        if seg is None:
            raise BadInputError("give a segment key or a rule to export")
        return SegmentExport.from_model(await r.export(info.context, seg, format.value, columns,
                                                       include_non_consenting, as_of))
