"""Property: an account manager's segment (scoped anchor + scoped compiled rule, as graph.segment_members builds it)
selects exactly what the Python evaluator selects when customers, companies and projects outside the scope are not
there at all: conditions that reach other nodes (referrals, employment, project, related, companyHas) never count
outsiders."""

from __future__ import annotations

from typing import Any

from conftest import clear
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rules_property import AS_OF, CATALOG, graphs, rules

from graph.db import Graph
from graph.rules import CompiledRule, Evaluator, compile_where, parse_rule
from graph.rules.evaluator import Edge, GraphData
from graph.rules.snapshot import load_graph_data, write_graph_data
from graph.scope import ScopedGraph
from graph.segment_members import Audience, choose_anchor, member_ids

SCOPES = st.sampled_from([("co0",), ("co1",), (), ("co0", "co1")])


def scoped_audience(raw: Any) -> Audience:
    """Return the account manager's audience of a rule, built like graph.segment_members.audience."""
    node = parse_rule(raw, CATALOG)
    anchor, anchor_params, distinct, rest = choose_anchor(node, "s_anchor", AS_OF, scoped=True)
    compiled = compile_where(rest, AS_OF, prefix="s_", scoped=True) if rest is not None else CompiledRule("true", {})
    return Audience(anchor, compiled.text, {**compiled.params, **anchor_params}, AS_OF, distinct, scoped=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=graphs(), scope=SCOPES, batch=st.lists(rules, min_size=1, max_size=4))
async def test_scoped_rules_agree_with_the_evaluator_inside_the_scope(graph: Graph, data: GraphData,
                                                                      scope: tuple[str, ...], batch: list[Any]) -> None:
    await clear(graph)
    data.edges += [Edge("OWNS", "co0", "p0", {}), Edge("OWNS", "co1", "p1", {})]
    await write_graph_data(graph, data)
    loaded = await load_graph_data(graph)
    evaluator = Evaluator(loaded, AS_OF, frozenset(scope))
    manager = ScopedGraph(graph.driver, graph.database, graph.timeout, graph.stats, scope)
    for raw in batch:
        aud = scoped_audience(raw)
        assert set(await member_ids(manager, aud)) == evaluator.select(parse_rule(raw, CATALOG)), (raw, aud.match())
