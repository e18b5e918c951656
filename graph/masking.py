"""Masking of personal fields for principals without access to them (analysts).

One set of rules for every way data leaves the service — GraphQL, exports, analysts'
Cypher output: phone ``+86138****5678``, email ``a***@x.com``, birth date → its year,
custom attributes whose `AttributeDef` is marked ``personal`` → ``"***"``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Protocol

from graph.db import Graph

PHONE_KEYS = frozenset({"phone"})
EMAIL_KEYS = frozenset({"email"})
BIRTH_KEYS = frozenset({"birth_date", "birthDate"})
STANDARD_PERSONAL = PHONE_KEYS | EMAIL_KEYS | BIRTH_KEYS
HIDDEN = "***"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"\+?\d[\d \-]{6,18}\d")


class Viewer(Protocol):
    @property
    def sees_personal(self) -> bool: ...


def mask_phone(phone: str) -> str:
    """Return a phone with the four digits before its last four hidden: ``13812345678`` → ``138****5678``
    (separators kept; numbers under eight digits show only their last two)."""
    digits = sum(ch.isdigit() for ch in phone)
    hide = range(5, 9) if digits >= 8 else range(3, digits + 1)
    out, seen = [], 0
    for ch in reversed(phone):
        if ch.isdigit():
            seen += 1
            out.append("*" if seen in hide else ch)
        else:
            out.append(ch)
    return "".join(reversed(out))


def mask_email(email: str) -> str:
    """Return an email with the local part hidden after its first character: ``a***@x.com``."""
    local, at, domain = email.partition("@")
    if not at:
        return HIDDEN
    return f"{local[:1]}***@{domain}"


def mask_birth_date(value: Any) -> Any:
    """Return a birth date's year only (an int), whatever form the date came in."""
    if isinstance(value, datetime | date):
        return value.year
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return None if value is None else HIDDEN


def mask_field(key: str, value: Any, personal_attributes: frozenset[str] = frozenset()) -> Any:
    """Return the masked form of one field value by its key (unchanged when the key is not personal)."""
    if value is None:
        return None
    if key in PHONE_KEYS:
        return mask_phone(str(value))
    if key in EMAIL_KEYS:
        return mask_email(str(value))
    if key in BIRTH_KEYS:
        return mask_birth_date(value)
    if key in personal_attributes:
        return HIDDEN
    return value


def mask_customer(row: dict[str, Any], principal: Viewer, personal_attributes: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Return a customer dict (node properties or a model dump, custom attributes flat or under
    ``attributes``) with personal fields masked when the principal may not see them."""
    if principal.sees_personal:
        return row
    out = {k: mask_field(k, v, personal_attributes) for k, v in row.items()}
    if isinstance(row.get("attributes"), dict):
        out["attributes"] = {k: mask_field(k, v, personal_attributes) for k, v in row["attributes"].items()}
    return out


def mask_text(text: str) -> str:
    """Return a string with anything that looks like an email or a phone number masked."""
    text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def mask_value(value: Any, principal: Viewer, personal_attributes: frozenset[str] = frozenset(),
               key: str | None = None) -> Any:
    """Return any query output (maps, lists, scalars) masked: personal keys by rule, and emails or
    phone numbers found in any string by pattern, so `RETURN c.email AS x` is masked too."""
    if principal.sees_personal:
        return value
    if key is not None and value is not None and (key in STANDARD_PERSONAL or key in personal_attributes):
        return mask_field(key, value, personal_attributes)
    if isinstance(value, dict):
        return {k: mask_value(v, principal, personal_attributes, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(v, principal, personal_attributes) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


async def personal_attribute_keys(graph: Graph, entity: str = "customer") -> frozenset[str]:
    """Return the keys of an entity's custom attributes whose AttributeDef is marked personal."""
    rows = await graph.read("privacy/get_personal_attribute_keys", entity=entity)
    return frozenset(r["key"] for r in rows)


async def mark_personal(graph: Graph, entity: str, key: str, personal: bool = True) -> None:
    """Mark (or unmark) a custom attribute as personal, registering its AttributeDef if needed."""
    await graph.write("privacy/mark_personal_attribute", id=f"{entity}.{key}", entity=entity, key=key,
                      personal=personal)
