"""The rule language shared by tags and segments: parse, validate, compile, explain, evaluate.

    catalog = await load_catalog(graph)
    rule = parse_rule({"any": [...]}, catalog)          # BadInputError naming the JSON path
    compiled = compile_rule(rule, as_of)                 # one parameterised Cypher query
    ids = {r["id"] for r in await graph.read_text("rule", compiled.text, compiled.params)}
"""

from __future__ import annotations

from graph.rules.catalog import Catalog, SegmentLookup, TagInfo
from graph.rules.compiler import CompiledRule, compile_rule, compile_where
from graph.rules.evaluator import Evaluator, GraphData
from graph.rules.explain import Branch, ExplainQuery, branches, compile_explain
from graph.rules.loader import load_catalog, select_ids
from graph.rules.nodes import Node, leaves, tag_keys
from graph.rules.parser import parse_rule
from graph.rules.render import describe

__all__ = [
    "Branch", "Catalog", "CompiledRule", "Evaluator", "ExplainQuery", "GraphData", "Node", "SegmentLookup",
    "TagInfo", "branches", "compile_explain", "compile_rule", "compile_where", "describe", "leaves",
    "load_catalog", "parse_rule", "select_ids", "tag_keys",
]
