"""The root Query, merged from one class per area: add your area's class to QUERIES."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from graph.pages import check_first
from graph.search import search as search_graph
from resolvers import customers as rc
from resolvers import network as rn
from resolvers import tagged as rt
from resolvers.auth_privacy import PrivacyQueries
from resolvers.context import Context
from resolvers.lists import list_customers, list_page
from schema.company import Company
from schema.customer import Customer, neighbourhood_parts, page_projection, wants_neighbourhood
from schema.inputs import CompanyFilter, CustomerFilter, InteractionFilter, ProjectFilter, SortInput, to_filter, to_sort
from schema.interaction import Interaction
from schema.network import ConnectionKind, PathStep, RelationshipPath, kind_values
from schema.pagination import Connection, connection
from schema.project import Project
from schema.segments import SegmentQueries
from schema.tag import Tag
from schema.tags import TagQueries

Ctx = Info[Context, None]


@strawberry.type(description="Customers and companies matching a search text.")
class SearchResult:
    customers: list[Customer]
    companies: list[Company]


@strawberry.type
class CustomerQueries:
    @strawberry.field(description="The customer with this id; null when absent.")
    async def customer(self, info: Ctx, id: strawberry.ID) -> Customer | None:
        found = await rc.customer(info.context, id, with_neighbourhood=wants_neighbourhood(info))
        return Customer.from_model(found) if found else None

    @strawberry.field(description="Customers matching the filter, sorted (id breaks ties), one page at a time.")
    async def customers(
        self, info: Ctx, filter: CustomerFilter | None = None, sort: list[SortInput] | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[Customer]:
        found = await list_customers(info.context, to_filter(filter), to_sort(sort), first, after,
                                     neighbourhood=neighbourhood_parts(info), projection=page_projection(info))
        nodes = [Customer.from_model(m, e) for m, e in zip(found.customers, found.employers, strict=True)]
        page = found.page
        return connection(nodes, page.cursors, page.has_next, page.has_previous, found.count)

    @strawberry.field(description="Customers by name, email or phone and companies by name (prefix matches first).")
    async def search(self, info: Ctx, text: str, first: int = 20) -> SearchResult:
        ctx = info.context
        found = await search_graph(ctx.graph, text, check_first(first, ctx.config.max_page_size))
        return SearchResult(customers=[Customer.from_model(c) for c in found.customers],
                            companies=[Company.from_model(c) for c in found.companies])


@strawberry.type
class CompanyQueries:
    @strawberry.field(description="The company with this id; null when absent.")
    async def company(self, info: Ctx, id: strawberry.ID) -> Company | None:
        found = await rc.company(info.context, id)
        return Company.from_model(found) if found else None

    @strawberry.field(description="Companies matching the filter, sorted (id breaks ties), one page at a time.")
    async def companies(
        self, info: Ctx, filter: CompanyFilter | None = None, sort: list[SortInput] | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[Company]:
        page, models, count = await list_page(info.context, "company", to_filter(filter), to_sort(sort), first, after)
        return connection([Company.from_model(m) for m in models], page.cursors, page.has_next, page.has_previous, count)


@strawberry.type
class ProjectQueries:
    @strawberry.field(description="The project with this id; null when absent.")
    async def project(self, info: Ctx, id: strawberry.ID) -> Project | None:
        found = await rc.project(info.context, id)
        return Project.from_model(found) if found else None

    @strawberry.field(description="Projects matching the filter, sorted (id breaks ties), one page at a time.")
    async def projects(
        self, info: Ctx, filter: ProjectFilter | None = None, sort: list[SortInput] | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[Project]:
        page, models, count = await list_page(info.context, "project", to_filter(filter), to_sort(sort), first, after)
        return connection([Project.from_model(m) for m in models], page.cursors, page.has_next, page.has_previous, count)


@strawberry.type
class InteractionQueries:
    @strawberry.field(description="Interactions matching the filter, sorted (id breaks ties), one page at a time.")
    async def interactions(
        self, info: Ctx, filter: InteractionFilter | None = None, sort: list[SortInput] | None = None,
        first: int | None = None, after: str | None = None,
    ) -> Connection[Interaction]:
        page, models, count = await list_page(info.context, "interaction", to_filter(filter), to_sort(sort), first, after)
        return connection([Interaction.from_model(m) for m in models], page.cursors, page.has_next, page.has_previous, count)


@strawberry.type
class TagLookupQueries:
    @strawberry.field(description="The tag with this key; null when absent.")
    async def tag(self, info: Ctx, key: str) -> Tag | None:
        found = await rt.tag(info.context, key)
        return Tag.from_model(found) if found else None


@strawberry.type
class NetworkQueries:
    @strawberry.field(
        description="One shortest path between two customers over these kinds; null when none within maxHops "
        "relationships (a COLLEAGUE step passes through the company and counts as two)."
    )
    async def relationship_path(
        self, info: Ctx, from_id: strawberry.ID, to_id: strawberry.ID, via: list[ConnectionKind] | None = None,
        max_hops: int = 6,
    ) -> RelationshipPath | None:
        steps = await rn.relationship_path(info.context, from_id, to_id, kind_values(via), max_hops)
        return RelationshipPath(steps=[PathStep.from_model(s) for s in steps]) if steps is not None else None


QUERIES: list[type] = [
    CustomerQueries,
    CompanyQueries,
    ProjectQueries,
    InteractionQueries,
    TagLookupQueries,
    NetworkQueries,
    TagQueries,
    SegmentQueries,
    PrivacyQueries,
]

Query = merge_types("Query", tuple(QUERIES))
