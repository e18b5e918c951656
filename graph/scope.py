"""An account manager's scope, enforced inside the Cypher queries, never by filtering in Python.

Every query that reads customers, companies or projects for a request declares the parameter
``$scope_company_ids`` and guards its entities with the predicates below: the parameter is
null for unscoped principals (admin, analyst, service) and the list of managed company ids for
an account manager. A customer is in scope while it currently ``WORKS_AT`` (``until`` null)
one of those companies, a company when its id is listed, a project when a listed company
``OWNS`` it.

The per-request Graph carries the scope (`Graph.scope`) and passes it to every query that
declares the parameter. It fails closed: a scoped Graph refuses to run any query that does not
declare it, unless the query is listed in `NEUTRAL` (it reads no customer, company or project
data), so a query nobody has scoped yet answers FORBIDDEN instead of leaking. Writes are admitted
at the GraphQL root instead: an account manager's mutation runs only when every id it names lies
inside the scope (resolvers/auth_guard.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from graph.cypher import query, used_params
from graph.db import Graph, QueryStats, Record, Tx
from graph.errors import ForbiddenError

T = TypeVar("T")

SCOPE_PARAM = "scope_company_ids"

# Predicates to paste into queries (customer bound to `c`, company to `co`, project to `p`).
CUSTOMER_IN_SCOPE = (
    "($scope_company_ids IS NULL OR EXISTS { MATCH (c)-[sw:WORKS_AT]->(sco:Company) "
    "WHERE sw.until IS NULL AND sco.id IN $scope_company_ids })"
)
COMPANY_IN_SCOPE = "($scope_company_ids IS NULL OR co.id IN $scope_company_ids)"
PROJECT_IN_SCOPE = (
    "($scope_company_ids IS NULL OR EXISTS { MATCH (sco:Company)-[:OWNS]->(p) WHERE sco.id IN $scope_company_ids })"
)

# Queries that read no customer, company or project data: a scoped Graph runs them unchanged.
NEUTRAL = frozenset({
    "admin/ping",
    "audit/record_entry",
    "auth/find_out_of_scope",
    "auth/get_users",
    "customer/get_tags",  # Tag nodes by key (definitions only; holders are read by scoped queries)
    "privacy/get_personal_attribute_keys",
    "rules/get_attribute_defs",
    "rules/get_tag_infos",
    "segment/get_segments",  # definitions (rules, saved-query names), not members; evaluation is scoped
    "tag/get_tag",
    "tag/list_tags",
})


def scope_condition(label: str, var: str) -> str:
    """Return the scope predicate for a node of this label bound to var, for generated Cypher."""
    customer = ("EXISTS {{ MATCH ({v})-[sw:WORKS_AT]->(sco:Company) "
                "WHERE sw.until IS NULL AND sco.id IN $scope_company_ids }}")
    inner = {
        "Customer": customer.format(v=var),
        "Company": f"{var}.id IN $scope_company_ids",
        "Project": f"EXISTS {{ MATCH (sco:Company)-[:OWNS]->({var}) WHERE sco.id IN $scope_company_ids }}",
        "Interaction": (f"EXISTS {{ MATCH (scc:Customer)-[:PERFORMED]->({var}) WHERE "
                        + customer.format(v="scc") + " }"),
    }.get(label)
    if inner is None:
        raise ForbiddenError(f"{label} lists are not available to account managers")
    return f"($scope_company_ids IS NULL OR {inner})"


def graph_scope(graph: object) -> tuple[str, ...] | None:
    """Return the scope a Graph runs under (None for the shared, unscoped Graph)."""
    return getattr(graph, "scope", None)


class Scoped(Protocol):
    @property
    def scope_company_ids(self) -> list[str] | None: ...


def scope_of(principal: Scoped | None) -> tuple[str, ...] | None:
    """Return the Graph scope for a principal: None when unscoped, else its managed company ids."""
    ids = principal.scope_company_ids if principal is not None else None
    return None if ids is None else tuple(ids)


def check_query(name: str, declared: Iterable[str], scope: tuple[str, ...] | None) -> None:
    """Raise ForbiddenError when a scoped caller would run a query that cannot apply the scope."""
    if scope is None or name in NEUTRAL or SCOPE_PARAM in declared:
        return
    raise ForbiddenError(f"'{name}' is not available to account managers: it cannot be limited to their companies")


async def out_of_scope(graph: object, scope: tuple[str, ...] | None, ids: Iterable[str]) -> list[str]:
    """Return the ids among ids that name existing customers/companies/projects outside the scope."""
    wanted = sorted({i for i in ids if isinstance(i, str)})
    if scope is None or not wanted:
        return []
    rows = await graph.read("auth/find_out_of_scope", ids=wanted, scope_company_ids=list(scope))  # type: ignore[attr-defined]
    return sorted(r["id"] for r in rows)


@dataclass(frozen=True)
class ScopedGraph(Graph):
    """A Graph for one account manager's request: passes their scope to every query, refuses the rest."""

    scope: tuple[str, ...] | None = None

    def counting(self) -> ScopedGraph:
        return dataclasses.replace(self, stats=QueryStats())

    def scoped(self, name: str, params: dict[str, Any], *, reading: bool = True) -> dict[str, Any]:
        """Return params with the scope added; raise ForbiddenError when a read cannot apply it.

        Writes are not refused here: an account manager's mutations are admitted at the GraphQL
        root only when every id they name lies inside the scope (resolvers/auth_guard.py)."""
        declared = query(name).param_names
        if reading:
            check_query(name, declared, self.scope)
        if SCOPE_PARAM in declared:
            params[SCOPE_PARAM] = None if self.scope is None else list(self.scope)
        return params

    async def read(self, name: str, **params: Any) -> list[Record]:
        return await super().read(name, **self.scoped(name, params))

    async def write(self, name: str, **params: Any) -> list[Record]:
        return await super().write(name, **self.scoped(name, params, reading=False))

    async def read_text(self, tag: str, text: str, params: Mapping[str, Any], timeout: float | None = None) -> list[Record]:
        """Run generated Cypher: only when it applies the scope itself (uses `$scope_company_ids`)."""
        declared = used_params(text)
        check_query(tag, declared, self.scope)
        if SCOPE_PARAM in declared:
            params = {**params, SCOPE_PARAM: None if self.scope is None else list(self.scope)}
        return await super().read_text(tag, text, params, timeout)

    async def in_transaction(self, fn: Callable[[Tx], Awaitable[T]], *, write: bool = True, **options: Any) -> T:
        # options (e.g. a timeout) pass through unchanged to Graph.in_transaction.
        return await super().in_transaction(lambda tx: fn(ScopedTx(tx.tx, self, write)), write=write, **options)


@dataclass(frozen=True)
class ScopedTx(Tx):
    """A transaction handle that applies its ScopedGraph's scope to each named query."""

    writing: bool = False

    async def run(self, name: str, **params: Any) -> list[Record]:
        graph = self.graph
        if isinstance(graph, ScopedGraph):
            params = graph.scoped(name, params, reading=not self.writing)
        return await super().run(name, **params)


def for_principal(graph: Graph, principal: Scoped | None) -> Graph:
    """Return the Graph a request runs on: the shared one, or a ScopedGraph for an account manager."""
    scope = scope_of(principal)
    if scope is None:
        return graph
    return ScopedGraph(graph.driver, graph.database, graph.timeout, graph.stats, scope)
