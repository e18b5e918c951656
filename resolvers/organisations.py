"""Company and project resolvers: employees, owned projects, members, relationship map."""

from __future__ import annotations

from graph.customers import Employment, Membership
from graph.network import RelationshipMap
from graph.projects import Project
from resolvers.context import Context


async def employees(ctx: Context, company_id: str, current_only: bool) -> list[Employment]:
    """Return the company's employments (current first, by customer id); only current ones when asked."""
    items: list[Employment] = await ctx.loaders.employees.load(company_id)
    return [e for e in items if e.until is None] if current_only else items


async def company_projects(ctx: Context, company_id: str) -> list[Project]:
    """Return the projects the company owns, by id."""
    rows = await ctx.loaders.company_projects.load(company_id)
    found = await ctx.loaders.project.load_many([r["id"] for r in rows])
    return [p for p in found if p is not None]


async def members(ctx: Context, project_id: str) -> list[Membership]:
    """Return the project's memberships by customer id."""
    return await ctx.loaders.members.load(project_id)


async def relationship_map(ctx: Context, company_id: str) -> RelationshipMap | None:
    """Return the company's relationship map."""
    return await ctx.loaders.relationship_map.load(company_id)
