"""Errors at the GraphQL edge: domain errors carry their code, request errors are BAD_USER_INPUT,
anything unexpected is masked ("Internal server error") and logged in full."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from graph.errors import DomainError

log = logging.getLogger(__name__)

INTERNAL = "INTERNAL_SERVER_ERROR"
_TOKENS = "Document contains more than"


def is_unexpected(error: GraphQLError) -> bool:
    """Return whether an error is a bug or outage to hide from clients (not a domain or request error)."""
    orig = error.original_error
    if isinstance(orig, DomainError) or (error.extensions or {}).get("code"):
        return False
    return orig is not None and error.path is not None


def with_code(error: GraphQLError, max_tokens: int | None = None) -> GraphQLError:
    """Return the client-facing version of an error, always carrying extensions.code."""
    orig = error.original_error
    if (error.extensions or {}).get("code"):
        return error
    if isinstance(orig, DomainError):
        return _copy(error, orig.message, {"code": orig.code})
    if is_unexpected(error):
        return _copy(error, "Internal server error", {"code": INTERNAL})
    message = error.message
    extensions: dict[str, object] = {"code": "BAD_USER_INPUT"}
    if _TOKENS in message:
        message = f"query exceeds the token limit max_tokens={max_tokens}"
        extensions["limit"] = "max_tokens"
    return _copy(error, message, extensions)


def _copy(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, original_error=None, extensions=extensions)


def log_errors(errors: list[GraphQLError], context: ExecutionContext | None) -> None:
    """Log unexpected errors with their traceback; expected ones at debug level without values."""
    name = context.operation_name if context else None
    for error in errors:
        if is_unexpected(error):
            log.error("unexpected error in operation %s at %s", name, error.path, exc_info=error.original_error)
        else:
            log.debug("request error in operation %s: %s", name, type(error.original_error or error).__name__)


class ErrorCodes(SchemaExtension):
    """Rewrites the operation's errors for clients (after they were logged by the schema)."""

    def __init__(self, max_tokens: int | None = None) -> None:
        self.max_tokens = max_tokens

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [with_code(e, self.max_tokens) for e in errors]
