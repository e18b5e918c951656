"""Analysts' saved segment queries: `cypher/segments/<key>.cypher`, typed params, checked on load."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from graph.analyst_cypher import CypherGuardError, CypherResult, Token, check_read_only, run_read_only, tokenize
from graph.cypher import Query, load_all
from graph.db import Graph
from graph.errors import BadInputError, NotFoundError

PREFIX = "segments/"
KEY = re.compile(r"^[a-z0-9_]+$")
_TRUE = ("true", "yes", "y", "1")
_FALSE = ("false", "no", "n", "0")


class SavedQueryError(ValueError):
    """A saved segment query file that does not meet the rules; names the file."""


def _parse_dt(value: str) -> datetime:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def coerce(name: str, type_: str, value: Any) -> Any:
    """Return value converted to a header type; raise BadInputError naming the param."""
    def bad(expected: str) -> BadInputError:
        return BadInputError(f"param {name!r} must be {expected} (got {value!r})", param=name)

    if value is None:
        raise bad("given")
    text = value.strip() if isinstance(value, str) else None
    try:
        if type_ == "string":
            if not isinstance(value, str):
                raise bad("a string")
            return value
        if type_ == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if text is not None and re.fullmatch(r"[-+]?\d+", text):
                return int(text)
            raise bad("a whole number")
        if type_ == "float":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise bad("a number")
            return float(value)
        if type_ == "bool":
            if isinstance(value, bool):
                return value
            if text is not None and text.lower() in _TRUE + _FALSE:
                return text.lower() in _TRUE
            raise bad("true or false")
        if type_ == "date":
            if isinstance(value, date) and not isinstance(value, datetime):
                return value
            if text is None:
                raise bad("a date like 2025-06-30")
            return date.fromisoformat(text)
        if type_ == "datetime":
            if isinstance(value, datetime):
                return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
            if text is None:
                raise bad("a datetime like 2025-06-30T00:00:00Z")
            return _parse_dt(text)
        if type_ in ("list", "map"):
            expected = list if type_ == "list" else dict
            if text is not None:
                if type_ == "list" and not text.startswith("["):
                    return [v.strip() for v in text.split(",") if v.strip()]
                value = json.loads(text)
            if not isinstance(value, expected):
                raise bad("a list" if type_ == "list" else "a map")
            return value
        if text is not None:  # any: JSON when it parses, else the string (CLI values)
            try:
                return json.loads(text)
            except ValueError:
                return value
        return value
    except ValueError as exc:
        raise bad({"float": "a number", "date": "a date like 2025-06-30", "list": "a list", "map": "a map"}.get(
            type_, "a datetime like 2025-06-30T00:00:00Z" if type_ == "datetime" else f"a valid {type_}")) from exc


def coerce_params(q: Query, given: dict[str, Any] | None, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return given params checked against q's header (defaults fill gaps); raise BadInputError naming one."""
    given = dict(given or {})
    declared = {p.name: p.type for p in q.params}
    for name in sorted(given):
        if name not in declared:
            raise BadInputError(f"param {name!r} is not declared by {q.name} (declared: {', '.join(declared) or 'none'})",
                                param=name)
    out: dict[str, Any] = {}
    for name, type_ in declared.items():
        if name in given:
            out[name] = coerce(name, type_, given[name])
        elif defaults and name in defaults:
            default = defaults[name]
            out[name] = default.value() if isinstance(default, Now) else default
        else:
            raise BadInputError(f"param {name!r} is required by {q.name} ({type_})", param=name)
    return out


# --- the `/* :params {...} */` example block, used as defaults ---------------------------

@dataclass(frozen=True)
class Now:
    """`date()` or `datetime()` in an example: today or now, taken when the query runs."""

    kind: str

    def value(self) -> date | datetime:
        now = datetime.now(UTC)
        return now.date() if self.kind == "date" else now


def literal(text: str) -> Any:
    """Return the value of a Cypher literal map/list (strings, numbers, booleans, null, date() and datetime())."""
    tokens = tokenize(text)
    try:
        value, i = _value(tokens, 0)
    except IndexError as exc:
        raise ValueError("the value ends early") from exc
    if i != len(tokens):
        raise ValueError(f"unexpected {tokens[i].text!r} after the value")
    return value


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "\\": "\\", "'": "'", '"': '"'}


def _unescape(raw: str) -> str:
    out, i = [], 0
    while i < len(raw):
        if raw[i] == "\\" and i + 1 < len(raw):
            ch = raw[i + 1]
            if ch in "uU" and re.fullmatch(r"[0-9a-fA-F]{4}", raw[i + 2 : i + 6]):
                out.append(chr(int(raw[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(_ESCAPES.get(ch, ch))
            i += 2
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _value(t: list[Token], i: int) -> tuple[Any, int]:
    if i >= len(t):
        raise ValueError("the value ends early")
    tok = t[i]
    if tok.kind == "string":
        return _unescape(tok.text), i + 1
    if tok.kind == "number":
        return (float(tok.text) if "." in tok.text or "e" in tok.text.lower() else int(tok.text)), i + 1
    if tok.kind == "punct" and tok.text == "-" and i + 1 < len(t) and t[i + 1].kind == "number":
        v, j = _value(t, i + 1)
        return -v, j
    if tok.kind == "word":
        low = tok.text.lower()
        if low in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[low], i + 1
        if low in ("date", "datetime") and i + 2 < len(t) and t[i + 1].text == "(" and t[i + 2].text == ")":
            return Now(low), i + 3
        if low in ("date", "datetime") and i + 3 < len(t) and t[i + 1].text == "(" and t[i + 2].kind == "string" \
                and t[i + 3].text == ")":
            raw, _ = _value(t, i + 2)
            return (date.fromisoformat(raw) if low == "date" else _parse_dt(raw)), i + 4
    if tok.text == "[":
        items: list[Any] = []
        i += 1
        while t[i].text != "]":
            v, i = _value(t, i)
            items.append(v)
            if t[i].text == ",":
                i += 1
        return items, i + 1
    if tok.text == "{":
        out: dict[str, Any] = {}
        i += 1
        while t[i].text != "}":
            if t[i].kind not in ("word", "quoted", "string") or t[i + 1].text != ":":
                raise ValueError(f"expected a key at {t[i].text!r}")
            key = t[i].text
            out[key], i = _value(t, i + 2)
            if t[i].text == ",":
                i += 1
        return out, i + 1
    raise ValueError(f"{tok.text!r} is not a literal")


# --- the registry ------------------------------------------------------------------------

def _check(q: Query) -> dict[str, Any]:
    """Return q's default params after checking the saved-query rules; raise SavedQueryError naming the file."""
    key = q.name.removeprefix(PREFIX)
    if not KEY.match(key):
        raise SavedQueryError(f"{q.path}: the file name must be lower case letters, digits and _")
    if "customer_id" not in q.returns:
        raise SavedQueryError(f"{q.path}: '// returns:' must include customer_id")
    try:
        check_read_only(q.text)
    except CypherGuardError as exc:
        raise SavedQueryError(f"{q.path}: {exc.message}") from exc
    if q.example_params is None:
        return {}
    declared = {p.name: p.type for p in q.params}
    try:
        example = literal(q.example_params)
        if not isinstance(example, dict):
            raise ValueError("expected a map")
        unknown = sorted(set(example) - set(declared))
        if unknown:
            raise ValueError(f"undeclared params {', '.join(unknown)}")
        # date()/datetime() stay symbolic: today/now are taken when the query runs.
        return {k: v if isinstance(v, Now) else coerce(k, declared[k], v) for k, v in example.items()}
    except (ValueError, BadInputError) as exc:
        raise SavedQueryError(f"{q.path}: the /* :params */ example is not usable as defaults: {exc}") from exc


@cache
def saved_queries() -> dict[str, tuple[Query, dict[str, Any]]]:
    """Return key -> (query, default params) for every saved segment query; raise SavedQueryError on a bad file."""
    return {q.name.removeprefix(PREFIX): (q, _check(q)) for name, q in load_all().items() if name.startswith(PREFIX)}


def saved_query(key: str) -> tuple[Query, dict[str, Any]]:
    """Return one saved query and its defaults; raise NotFoundError naming it."""
    found = saved_queries().get(key.removeprefix(PREFIX))
    if found is None:
        raise NotFoundError(f"saved segment query {key!r} not found (see cypher/segments/)")
    return found


async def run_saved_query(graph: Graph, key: str, params: dict[str, Any] | None = None, *, row_cap: int = 1000,
                          timeout: float = 10.0) -> CypherResult:
    """Run a saved segment query with params checked against its header; raise BadInputError naming a param."""
    q, defaults = saved_query(key)
    values = coerce_params(q, params, defaults)
    return await run_read_only(graph, q.text, values, row_cap=row_cap, timeout=timeout, tag=q.name)
