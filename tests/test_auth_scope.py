"""The account-manager scope in the graph layer: passed to queries that declare it, fail closed otherwise."""

from __future__ import annotations

import pytest

from graph.auth import DEV_ADMIN, Principal, scopes_for
from graph.db import Graph
from graph.errors import ForbiddenError
from graph.scope import ScopedGraph, check_query, for_principal, out_of_scope

MANAGER = Principal(id="key:am", role="account_manager", scopes=scopes_for("account_manager"), user_id="u-li",
                    company_ids=("co-1",))


async def build(graph: Graph) -> None:
    await graph.write_text("tests/scope", """
        CREATE (a:Company {id: 'co-1'}), (b:Company {id: 'co-2'})
        CREATE (p1:Project {id: 'p-1', company_id: 'co-1'}), (p2:Project {id: 'p-2', company_id: 'co-2'})
        CREATE (a)-[:OWNS]->(p1), (b)-[:OWNS]->(p2)
        CREATE (:Customer {id: 'c-in'})-[:WORKS_AT]->(a)
        CREATE (:Customer {id: 'c-left'})-[:WORKS_AT {until: date('2024-01-01')}]->(a)
        CREATE (:Customer {id: 'c-out'})-[:WORKS_AT]->(b)
        CREATE (:Customer {id: 'c-none'})
        """, {})


async def test_for_principal_scopes_only_account_managers(graph: Graph) -> None:
    assert for_principal(graph, DEV_ADMIN) is graph
    scoped = for_principal(graph, MANAGER)
    assert isinstance(scoped, ScopedGraph) and scoped.scope == ("co-1",)
    assert isinstance(scoped.counting(), ScopedGraph) and scoped.counting().scope == ("co-1",)


async def test_scoped_graph_fails_closed(graph: Graph) -> None:
    scoped = for_principal(graph, MANAGER)
    assert await scoped.read("admin/ping") == [{"ok": 1}]
    with pytest.raises(ForbiddenError, match="^'tests/x' is not available to account managers"):
        await scoped.read_text("tests/x", "MATCH (c:Customer) RETURN c", {})
    with pytest.raises(ForbiddenError, match="^'search/search_companies' is not available to account managers"):
        check_query("search/search_companies", {"text", "limit"}, ("co-1",))
    check_query("search/search_companies", {"text", "limit"}, None)  # unscoped principals run anything


async def test_out_of_scope_names_existing_entities_outside(graph: Graph) -> None:
    await build(graph)
    ids = ["c-in", "c-left", "c-out", "c-none", "co-1", "co-2", "p-1", "p-2", "new-id"]
    assert await out_of_scope(graph, ("co-1",), ids) == ["c-left", "c-none", "c-out", "co-2", "p-2"]
    assert await out_of_scope(graph, None, ids) == []
    assert await out_of_scope(graph, (), ["c-in", "co-1"]) == ["c-in", "co-1"]
