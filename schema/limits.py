"""Query limits as validation rules: depth and aliases (fragments expanded), plus the token limit's message."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from functools import lru_cache

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    parse,
)
from strawberry.extensions import AddValidationRules, SchemaExtension

Fragments = dict[str, FragmentDefinitionNode]


def limit_error(message: str, limit: str) -> GraphQLError:
    """Return a BAD_USER_INPUT error naming the limit."""
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT", "limit": limit})


def _walk(sel: SelectionSetNode | None, frags: Fragments, seen: frozenset[str]) -> Iterator[tuple[FieldNode, int]]:
    """Yield (field, depth) for every field reached, expanding fragment spreads each time they occur."""
    if sel is None:
        return
    for node in sel.selections:
        if isinstance(node, FieldNode):
            if node.name.value.startswith("__"):
                continue  # introspection (GraphiQL, tools) is exempt, as in graphql-depth-limit
            yield node, 1
            for child, d in _walk(node.selection_set, frags, seen):
                yield child, d + 1
        elif isinstance(node, InlineFragmentNode):
            yield from _walk(node.selection_set, frags, seen)
        elif isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name in frags and name not in seen:
                yield from _walk(frags[name].selection_set, frags, seen | {name})


def limits_rule(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """Return a validation rule enforcing max_depth and max_aliases per operation."""

    class QueryLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            doc = context.document
            frags = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
            for op in doc.definitions:
                if not isinstance(op, OperationDefinitionNode):
                    continue
                fields = list(_walk(op.selection_set, frags, frozenset()))
                depth = max((d for _, d in fields), default=0)
                aliases = sum(1 for f, _ in fields if f.alias is not None)
                if depth > max_depth:
                    context.report_error(limit_error(f"query depth {depth} exceeds the limit max_depth={max_depth}", "max_depth"))
                if aliases > max_aliases:
                    context.report_error(limit_error(
                        f"query uses {aliases} aliases (fragments expanded), above the limit max_aliases={max_aliases}",
                        "max_aliases",
                    ))

    return QueryLimits


def limit_extensions(max_depth: int, max_aliases: int, max_tokens: int) -> list[Callable[[], SchemaExtension]]:
    """Return factories of the schema extensions that enforce the query limits (fresh ones per request)."""
    rule = limits_rule(max_depth, max_aliases)
    return [lambda: AddValidationRules([rule]), lambda: TokenLimit(max_tokens)]


@lru_cache(maxsize=256)
def parse_cached(text: str, max_tokens: int) -> DocumentNode:
    """Return graphql-core's parse of a document text (max_tokens counted), from a bounded cache of the
    last 256 texts: repeated queries skip the parser, ~4 % of a 20-customer list's CPU under load
    (docs/performance.md). Failed parses raise and are not cached."""
    return parse(text, max_tokens=max_tokens)


class TokenLimit(SchemaExtension):
    """Stops the parser after max_tokens tokens (graphql-core counts them while lexing); caches parses.

    A document that fails to parse is left to Strawberry's own parse, which raises the same error and
    reports it as a request error (strawberry.extensions.ParserCache raises it from the extension hook,
    where it escapes that handling)."""

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.max_tokens
        if context.query and context.graphql_document is None:
            with contextlib.suppress(GraphQLError):
                context.graphql_document = parse_cached(context.query, self.max_tokens)
        yield
