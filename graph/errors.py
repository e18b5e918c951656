"""Domain errors raised by the graph layer and mapped to GraphQL codes at the edge."""

from __future__ import annotations


class DomainError(Exception):
    """An expected failure with a stable code clients can act on."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadInputError(DomainError):
    code = "BAD_USER_INPUT"


class NotFoundError(DomainError):
    code = "NOT_FOUND"


class ConflictError(DomainError):
    code = "CONFLICT"


class ForbiddenError(DomainError):
    code = "FORBIDDEN"


class UnauthenticatedError(DomainError):
    code = "UNAUTHENTICATED"


class UnavailableError(DomainError):
    """The database cannot be reached; the HTTP edge answers 503."""

    code = "SERVICE_UNAVAILABLE"
