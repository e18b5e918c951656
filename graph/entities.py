"""What the API knows about each node label: its stored fields, their kinds and GraphQL names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, TypeVar

from pydantic import BaseModel

from graph.activity import PROPS as ACTIVITY_PROPS
from graph.cypher import check_identifier
from graph.errors import BadInputError

M = TypeVar("M", bound=BaseModel)

# Field kinds decide how filter values are coerced before they become parameters.
STRING, INT, FLOAT, BOOL, DATE, DATETIME = "string", "int", "float", "bool", "date", "datetime"


@dataclass(frozen=True)
class Field:
    """A stored property as the API exposes it (GraphQL name → property key)."""

    name: str
    prop: str
    kind: str = STRING
    search_prop: str | None = None  # lower-cased twin used for contains/startsWith


@dataclass(frozen=True)
class Entity:
    """One node label: its label, AttributeDef entity name and standard fields."""

    label: str
    entity: str
    fields: tuple[Field, ...]
    kept: frozenset[str] = frozenset()  # properties the service keeps on the node itself (not attributes)

    @cached_property
    def standard_props(self) -> frozenset[str]:
        """Return the property keys that are standard fields (not custom attributes); computed once
        (rebuilt per property it was ~9 % of a 20-customer list request's CPU)."""
        return frozenset(f.prop for f in self.fields) | {"name_lc"} | self.kept

    def projection(self, var: str) -> str:
        """Return `var {.*}` as a Cypher map projection, the kept properties nulled: a read has no use for them
        and the activity digest's lists made a 20-customer page 1.7 x slower to read (6.5 vs 3.8 ms)."""
        if not self.kept:
            return f"{var} {{.*}}"
        return f"{var} {{.*, {', '.join(f'{k}: null' for k in sorted(self.kept))}}}"

    def select(self, var: str, props: frozenset[str] | None) -> str:
        """Return a map of var's props (and id), or the projection `projection(var)` for None: a list that
        shows a few fields of each node reads and decodes only those (a 20-customer page with its employers:
        ~5 -> ~3 ms on the embedded server, docs/performance.md). props must be standard properties."""
        if props is None:
            return self.projection(var)
        names = sorted({"id", *props})
        unknown = [p for p in names if p not in self.standard_props]
        if unknown:
            raise ValueError(f"not standard {self.entity} properties: {unknown}")
        # A map literal, not the projection `var {.id, .name}`: the embedded server returns a projection nested in
        # a map literal ({company: co {.id}, title: …}) in place of the whole outer map. Both read missing as null.
        return "{" + ", ".join(f"{p}: {var}.{check_identifier(p, 'property')}" for p in names) + "}"

    def field(self, name: str) -> Field:
        """Return the field for a GraphQL field name or a custom attribute key; raise BadInputError."""
        for f in self.fields:
            if f.name == name or f.prop == name:
                return f
        try:
            check_identifier(name, "attribute key")
        except ValueError as exc:
            raise BadInputError(f"field {name!r} is not a {self.entity} field or attribute key") from exc
        return Field(name, name, "any")


CUSTOMER = Entity(
    "Customer",
    "customer",
    (
        Field("id", "id"),
        Field("name", "name", search_prop="name_lc"),
        Field("firstName", "first_name"),
        Field("lastName", "last_name"),
        Field("gender", "gender"),
        Field("birthDate", "birth_date", DATE),
        Field("phone", "phone"),
        Field("email", "email"),
        Field("country", "country"),
        Field("city", "city"),
        Field("occupation", "occupation"),
        Field("sourceChannel", "source_channel"),
        Field("createdAt", "created_at", DATETIME),
        Field("updatedAt", "updated_at", DATETIME),
    ),
    kept=ACTIVITY_PROPS,
)

COMPANY = Entity(
    "Company",
    "company",
    (
        Field("id", "id"),
        Field("name", "name", search_prop="name_lc"),
        Field("industry", "industry"),
        Field("employees", "employees", INT),
        Field("country", "country"),
        Field("city", "city"),
        Field("createdAt", "created_at", DATETIME),
        Field("updatedAt", "updated_at", DATETIME),
    ),
)

PROJECT = Entity(
    "Project",
    "project",
    (
        Field("id", "id"),
        Field("name", "name"),
        Field("companyId", "company_id"),
        Field("stage", "stage"),
        Field("value", "value", FLOAT),
        Field("startedAt", "started_at", DATETIME),
        Field("closedAt", "closed_at", DATETIME),
    ),
)

INTERACTION = Entity(
    "Interaction",
    "interaction",
    (
        Field("id", "id"),
        Field("type", "type"),
        Field("occurredAt", "occurred_at", DATETIME),
        Field("amount", "amount", FLOAT),
        Field("channel", "channel"),
        Field("subject", "subject"),
        Field("customerId", "customer_id"),
        Field("projectId", "project_id"),
    ),
)


def custom_attributes(entity: Entity, props: dict[str, Any], keys: list[str] | None) -> dict[str, Any]:
    """Return the properties registered as custom attributes (AttributeDef) for this entity."""
    if not keys:
        return {}
    registered, standard = set(keys), entity.standard_props
    return {k: v for k, v in props.items() if k in registered and k not in standard}


@cache
def field_names(model: type[BaseModel]) -> frozenset[str]:
    """Return a model's field names, once per class (reading `model_fields` per key was ~4 % of a list's CPU)."""
    return frozenset(model.model_fields)


def known_fields(model: type[BaseModel], props: Mapping[str, Any]) -> dict[str, Any]:
    """Return the items of props that are fields of model (stored extras such as name_lc are left out)."""
    names = field_names(model)
    return {k: v for k, v in props.items() if k in names}


def from_node(model: type[M], entity: Entity, props: dict[str, Any], keys: list[str] | None) -> M:
    """Return an entity model from node properties and the registered attribute keys (default: the keys the
    list queries store under `__attribute_keys__`); custom attributes go to `attributes`."""
    keys = keys if keys is not None else props.get("__attribute_keys__")
    fields = known_fields(model, props)
    fields.pop("attributes", None)
    return model(**fields, attributes=custom_attributes(entity, props, keys))
