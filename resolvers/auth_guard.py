"""Roles at the GraphQL layer: which root fields a principal may run, masking, and the audit of writes.

One Strawberry extension, `AccessControl`, sees every field resolution:

- root fields: refused with FORBIDDEN by role (analysts and read-scoped service keys cannot run
  mutations; admin-only fields; analyst Cypher for admins and analysts only); an account
  manager's mutations must name only customers, companies and projects inside their scope;
- every mutation and every ad-hoc Cypher run is written to the audit log with its outcome;
- personal fields of `Customer` and analysts' Cypher rows are masked for principals without
  access (`graph.masking`).

What an account manager can *read* is limited in the graph layer (`graph.scope`), not here.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from graph import audit
from graph.auth import Principal
from graph.errors import DomainError, ForbiddenError
from graph.masking import (
    HIDDEN,
    mask_column,
    mask_email,
    mask_phone,
    mask_value,
    personal_attribute_keys,
    personal_columns,
)
from graph.scope import out_of_scope
from graph.segment_queries import saved_query

log = logging.getLogger(__name__)

ADMIN_ONLY = frozenset({"eraseCustomer", "exportPersonalData", "auditLog"})
CYPHER_FIELDS = frozenset({"runCypher", "runSegmentQuery"})
CYPHER_ROLES = frozenset({"admin", "analyst"})
# Mutations an account manager may run, on entities inside their scope only.
MANAGER_MUTATIONS = frozenset({
    "upsertCustomer", "upsertCompany", "upsertProject", "recordInteraction",
    "linkEmployment", "unlinkEmployment", "linkMembership", "unlinkMembership",
    "linkKnows", "unlinkKnows", "linkReferral", "unlinkReferral", "assignTag", "unassignTag", "setConsent",
    "exportSegment",  # writes a file of members only: the segment is evaluated inside their scope (graph/scope.py)
})
# Argument and input-field names that hold customer, company or project ids.
ID_ARGS = frozenset({"id", "customer_id", "company_id", "project_id", "other_id", "referrer_id", "referred_id",
                     "customerId", "companyId", "projectId", "otherId", "referrerId", "referredId"})
PERSONAL_CUSTOMER_FIELDS = frozenset({"phone", "email", "birthDate", "attributes", "attribute"})


def referenced_ids(value: Any, key: str | None = None) -> list[str]:
    """Return the id-like values in resolver arguments (input objects walked recursively)."""
    if isinstance(value, dict):
        return [i for k, v in value.items() for i in referenced_ids(v, k)]
    if isinstance(value, list | tuple):
        return [i for v in value for i in referenced_ids(v, key)]
    if hasattr(value, "__dataclass_fields__") or hasattr(value, "__strawberry_definition__"):
        return referenced_ids({k: v for k, v in vars(value).items() if not k.startswith("_")})
    if key in ID_ARGS and isinstance(value, str):
        return [value]
    return []


def check_root_field(principal: Principal, operation: str, field: str) -> None:
    """Raise ForbiddenError when the principal's role may not run this root field."""
    if field.startswith("__"):
        return
    if field in ADMIN_ONLY and not principal.is_admin:
        raise ForbiddenError(f"{field} is for admins only")
    if field in CYPHER_FIELDS and principal.role not in CYPHER_ROLES:
        raise ForbiddenError(f"{field} is for analysts and admins only")
    if operation != "mutation":
        return
    if not principal.can_write:
        raise ForbiddenError(f"a {principal.role} {'key ' if principal.via == 'key' else ''}is read-only: "
                             f"{field} is a mutation")
    if principal.role == "account_manager" and field not in MANAGER_MUTATIONS:
        raise ForbiddenError(f"{field} is not available to account managers")


def _mask_customer_field(field: str, value: Any, principal: Principal) -> Any:
    if value is None or principal.sees_personal:
        return value
    if field == "phone":
        return mask_phone(str(value))
    if field == "email":
        return mask_email(str(value))
    if field == "birthDate":
        return None  # a Date cannot hold "the year only"; analysts get age bands from portraits
    return HIDDEN  # attributes / attribute(key): see _mask_attributes


class AccessControl(SchemaExtension):
    """Role checks, scope checks on writes, masking and auditing, per field resolution."""

    def resolve(self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, *args: Any, **kwargs: Any) -> Any:
        parent = info.parent_type.name
        principal: Principal | None = getattr(info.context, "principal", None)
        if principal is None:
            return _next(root, info, *args, **kwargs)
        if parent in ("Query", "Mutation"):
            operation = "mutation" if parent == "Mutation" else "query"
            check_root_field(principal, operation, info.field_name)
            if operation == "mutation" or info.field_name in CYPHER_FIELDS:
                return self._audited(_next, root, info, principal, operation, *args, **kwargs)
            return _next(root, info, *args, **kwargs)
        if parent == "Customer" and info.field_name in PERSONAL_CUSTOMER_FIELDS and not principal.sees_personal:
            return self._masked(_next(root, info, *args, **kwargs), info, principal)
        if parent == "CypherResult" and info.field_name == "rows" and not principal.sees_personal:
            return self._masked(_next(root, info, *args, **kwargs), info, principal)
        return _next(root, info, *args, **kwargs)

    async def _masked(self, value: Any, info: GraphQLResolveInfo, principal: Principal) -> Any:
        if hasattr(value, "__await__"):
            value = await value
        if info.field_name == "rows":
            personal = await self._personal(info)
            return [mask_value(row, principal, personal) for row in value]
        if info.field_name in ("attributes", "attribute"):
            personal = await self._personal(info)
            if info.field_name == "attribute":
                return HIDDEN if value is not None and _attribute_key(info) in personal else value
            return {k: (HIDDEN if k in personal and v is not None else v) for k, v in (value or {}).items()}
        return _mask_customer_field(info.field_name, value, principal)

    async def _personal(self, info: GraphQLResolveInfo) -> frozenset[str]:
        """Return the personal custom attribute keys, read once per operation."""
        found: frozenset[str] | None = getattr(self, "_personal_keys", None)
        if found is None:
            found = await personal_attribute_keys(info.context.graph)
            self._personal_keys = found
        return found

    async def _audited(self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, principal: Principal,
                       operation: str, *args: Any, **kwargs: Any) -> Any:
        graph = info.context.graph
        targets = referenced_ids(kwargs)
        action = f"{operation}.{info.field_name}" if operation == "mutation" else f"cypher.{info.field_name}"
        outside = await out_of_scope(graph, _scope(principal), targets) if operation == "mutation" else []
        if outside:
            error = ForbiddenError(f"outside your accounts: {', '.join(outside)}")
            await audit.record(graph, principal, action, targets, rows=0, outcome=audit.outcome_of(error))
            raise error
        try:
            result = _next(root, info, *args, **kwargs)
            if hasattr(result, "__await__"):
                result = await result
        except DomainError as exc:
            await audit.record(graph, principal, action, targets, rows=0, outcome=audit.outcome_of(exc))
            raise
        except Exception as exc:
            await audit.record(graph, principal, action, targets, rows=0, outcome=audit.outcome_of(exc))
            raise
        if info.field_name in CYPHER_FIELDS and not principal.sees_personal:
            result = await self._mask_columns(result, info, kwargs)
        found = getattr(result, "rows", None)
        rows = len(found) if isinstance(found, list) else found if isinstance(found, int) else None  # exports: a count
        typename = type(result).__name__
        outcome = f"error:{typename}" if typename.endswith("Error") else "ok"
        await audit.record(graph, principal, action, targets, rows=rows, outcome=outcome)
        return result


    async def _mask_columns(self, result: Any, info: GraphQLResolveInfo, kwargs: dict[str, Any]) -> Any:
        """Return an analyst's Cypher result with columns computed from birth dates or personal custom
        attributes masked whole (renamed values escape masking by key; the rows field masks the rest)."""
        text = kwargs.get("query") if info.field_name == "runCypher" else saved_query(str(kwargs.get("name")))[0].text
        personal = await self._personal(info)
        columns = personal_columns(str(text), personal)
        if not columns:
            return result
        rows = [{k: mask_column(v, columns[k], personal) if k in columns else v for k, v in row.items()}
                for row in result.rows]
        return dataclasses.replace(result, rows=rows)


def _scope(principal: Principal) -> tuple[str, ...] | None:
    ids = principal.scope_company_ids
    return None if ids is None else tuple(ids)


def _attribute_key(info: GraphQLResolveInfo) -> str | None:
    """Return the `key` argument of the `attribute(key:)` field being resolved."""
    from graphql.execution.values import get_argument_values

    definition = info.parent_type.fields[info.field_name]
    args = get_argument_values(definition, info.field_nodes[0], info.variable_values)
    key = args.get("key")
    return key if isinstance(key, str) else None
