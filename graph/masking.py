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


# Words that end a projection list (WITH/RETURN/UNWIND items) in a query's tokens.
_CLAUSE_ENDS = frozenset({"WHERE", "ORDER", "SKIP", "LIMIT", "MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL",
                          "UNION", "CREATE", "MERGE", "FOREACH"})
_NAME_BEFORE = frozenset({"word", "quoted"})


def personal_columns(text: str, personal_attributes: frozenset[str]) -> dict[str, str | None]:
    """Return the result columns of a Cypher query that are computed from a birth date or a personal custom
    attribute, with that key (None for a dynamic `x[$key]` access), following aliases through WITH and UNWIND.

    Patterns catch emails and phone numbers wherever they appear, and keyed maps are masked by key; a renamed
    value such as `RETURN c.wechat_id AS w` is caught only here, so such columns are masked whole."""
    from graph.analyst_cypher import Token, tokenize

    sensitive = BIRTH_KEYS | personal_attributes
    tokens = tokenize(text)
    tainted: dict[str, str | None] = {}
    columns: dict[str, str | None] = {}

    def taint(expr: list[Token]) -> tuple[bool, str | None]:
        for i, tok in enumerate(expr):
            before = expr[i - 1] if i else None
            if (tok.kind in _NAME_BEFORE and tok.text in sensitive and before is not None and before.text == "."
                    and i >= 2 and (expr[i - 2].kind in _NAME_BEFORE or expr[i - 2].text in (")", "]"))):
                return True, tok.text  # x.key (a map projection's `{.key}` stays keyed and is masked by key)
            if before is not None and before.text == "[" and i >= 2 and expr[i - 2].kind in _NAME_BEFORE:
                if tok.kind == "string" and tok.text in sensitive:
                    return True, tok.text  # x['key']
                if tok.kind in ("param", "word") and not tok.text.isdigit():
                    return True, None  # x[$key]: could be any property
            if tok.kind in _NAME_BEFORE and tok.text in tainted and (before is None or before.text != "."):
                return True, tainted[tok.text]
        return False, None

    i, n = 0, len(tokens)
    while i < n:
        word = tokens[i].text.upper() if tokens[i].kind == "word" else ""
        if word not in ("WITH", "RETURN", "UNWIND"):
            i += 1
            continue
        final = word == "RETURN"
        i += 1
        if i < n and tokens[i].kind == "word" and tokens[i].text.upper() == "DISTINCT":
            i += 1
        item: list[Token] = []
        depth = 0
        while i <= n:
            tok = tokens[i] if i < n else None
            if tok is not None and tok.kind == "punct" and tok.text in "([{":
                depth += 1
            elif tok is not None and tok.kind == "punct" and tok.text in ")]}":
                depth -= 1
            end = tok is None or depth < 0 or (depth == 0 and (
                (tok.kind == "word" and tok.text.upper() in _CLAUSE_ENDS) or (tok.kind == "punct" and tok.text == ";")))
            if end or (depth == 0 and tok is not None and tok.kind == "punct" and tok.text == ","):
                if item:
                    as_at = max((k for k, t in enumerate(item) if t.kind == "word" and t.text.upper() == "AS"),
                                default=None)
                    expr = item[:as_at] if as_at is not None else item
                    name = item[as_at + 1].text if as_at is not None and as_at + 1 < len(item) else \
                        text[item[0].pos:item[-1].end]
                    hit, key = taint(expr)
                    if final and [t.text for t in item] == ["*"]:
                        columns.update(tainted)  # RETURN *: every variable is a column
                    elif hit:
                        tainted[name] = key
                        if final:
                            columns[name] = key
                    else:
                        tainted.pop(name, None)
                item = []
                if end:
                    break
            else:
                item.append(tok)  # type: ignore[arg-type]
            i += 1
    return columns


def mask_column(value: Any, key: str | None, personal_attributes: frozenset[str]) -> Any:
    """Return a whole column value masked as its personal key is (every leaf; birth dates to their year)."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {k: mask_column(v, key, personal_attributes) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_column(v, key, personal_attributes) for v in value]
    if key is not None and key in BIRTH_KEYS:
        return mask_birth_date(value)
    return HIDDEN


async def personal_attribute_keys(graph: Graph, entity: str = "customer") -> frozenset[str]:
    """Return the keys of an entity's custom attributes whose AttributeDef is marked personal."""
    rows = await graph.read("privacy/get_personal_attribute_keys", entity=entity)
    return frozenset(r["key"] for r in rows)


async def mark_personal(graph: Graph, entity: str, key: str, personal: bool = True) -> None:
    """Mark (or unmark) a custom attribute as personal, registering its AttributeDef if needed."""
    await graph.write("privacy/mark_personal_attribute", id=f"{entity}.{key}", entity=entity, key=key,
                      personal=personal)
