"""Analysts' read-only Cypher: a tokenizer-based guard, then a capped, timed, rolled-back read.

The embedded server lets a write through a READ session, so the access mode protects
nothing there: `check_read_only` is the real protection. It tokenizes the text the way
Cypher does (comments, string literals with escapes, backtick identifiers), refuses what
it cannot classify with certainty, and rejects write clauses and procedures outside an
allow-list as whole tokens. As a second line, `run_read_only` executes in an explicit
transaction that is always rolled back, never committed.
"""

from __future__ import annotations

import itertools
import logging
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import neo4j
from neo4j import exceptions as nx
from neo4j import graph as ngraph
from pydantic import BaseModel, ConfigDict

from graph.db import Graph, map_error, to_native, to_param
from graph.errors import BadInputError
from graph.scope import check_query

log = logging.getLogger(__name__)

# Clauses and commands that write, load, manage the database or leave the current one.
FORBIDDEN = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "LOAD", "FOREACH", "INSERT", "UPSERT",
    "DROP", "ALTER", "RENAME", "GRANT", "DENY", "REVOKE", "START", "STOP", "TERMINATE", "ENABLE",
    "DISABLE", "TRANSACTIONS", "PERIODIC", "COMMIT", "ROLLBACK", "BEGIN", "USE", "IMPORT", "COPY",
    # The server also speaks SQL; its writing words are refused too in case a prefix ever switches language.
    "UPDATE", "TRUNCATE", "MOVE", "REBUILD", "BACKUP", "RESTORE", "EXPORT", "KILL",
})
ALLOWED_PROCEDURES = frozenset({"db.labels", "db.relationshiptypes", "db.propertykeys"})
# Namespaced functions from Cypher itself; any other `a.b(` call could be a plugin that writes.
FUNCTION_NAMESPACES = frozenset({
    "date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector",
})
_LINE_ENDS = ("\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c")
_PUNCT2 = ("<>", "<=", ">=", "=~", "->", "<-", "..", "+=")


class CypherGuardError(BadInputError):
    """A query the read-only guard refuses; the message says why and where."""


@dataclass(frozen=True)
class Token:
    kind: str  # word, quoted (backtick name), string, number, param, punct
    text: str  # for quoted names and strings: the decoded value
    pos: int
    end: int


def _fail(pos: int, message: str) -> CypherGuardError:
    return CypherGuardError(f"query rejected at character {pos + 1}: {message}", position=pos + 1)


def tokenize(text: str) -> list[Token]:
    """Return Cypher tokens without whitespace and comments; raise CypherGuardError on anything unclear."""
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
        elif text.startswith("//", i):
            # End at any character some lexer might take as a line end, so nothing hides after it.
            ends = [e for e in (text.find(t, i) for t in _LINE_ENDS) if e >= 0]
            i = min(ends) + 1 if ends else n
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise _fail(i, "unterminated /* comment")
            i = end + 2
        elif ch in "'\"":
            value, i2 = _string(text, i)
            out.append(Token("string", value, i, i2))
            i = i2
        elif ch == "`":
            value, i2 = _backticked(text, i)
            out.append(Token("quoted", value, i, i2))
            i = i2
        elif ch == "$":
            j = i + 1
            if j < n and text[j] == "`":
                value, j = _backticked(text, j)
            else:
                while j < n and (text[j].isascii() and (text[j].isalnum() or text[j] == "_")):
                    j += 1
                value = text[i + 1 : j]
            if not value:
                raise _fail(i, "a '$' must be followed by a parameter name")
            out.append(Token("param", value, i, j))
            i = j
        elif ch.isascii() and (ch.isalpha() or ch == "_"):
            j = i
            while j < n and text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
                j += 1
            out.append(Token("word", text[i:j], i, j))
            i = j
        elif ch.isascii() and ch.isdigit():
            j = i
            while j < n and text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
                j += 1
            # A fraction, but not a range `1..3`.
            if j + 1 < n and text[j] == "." and text[j + 1].isascii() and text[j + 1].isdigit():
                j += 1
                while j < n and text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
                    j += 1
            out.append(Token("number", text[i:j], i, j))
            i = j
        elif ch.isascii() and ch.isprintable():
            two = text[i : i + 2]
            size = 2 if two in _PUNCT2 else 1
            out.append(Token("punct", text[i : i + size], i, i + size))
            i += size
        else:
            # Unicode outside literals and backticks: look-alike letters, odd spaces, controls.
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            raise _fail(i, f"character {name} outside a string or `backticked` name is not allowed")
    _no_adjacent_literals(out)
    return out


def _string(text: str, start: int) -> tuple[str, int]:
    quote, i, n = text[start], start + 1, len(text)
    chars: list[str] = []
    while i < n:
        ch = text[i]
        if ch == "\\":
            if i + 1 >= n:
                break
            chars.append(text[i : i + 2])
            i += 2
        elif ch == quote:
            return "".join(chars), i + 1
        else:
            chars.append(ch)
            i += 1
    raise _fail(start, "unterminated string literal")


def _backticked(text: str, start: int) -> tuple[str, int]:
    i, n = start + 1, len(text)
    chars: list[str] = []
    while i < n:
        if text[i] == "`":
            if text.startswith("``", i):
                chars.append("`")
                i += 2
                continue
            return "".join(chars), i + 1
        chars.append(text[i])
        i += 1
    raise _fail(start, "unterminated `backticked` name")


def _no_adjacent_literals(tokens: list[Token]) -> None:
    """Refuse touching literals like 'a''b': servers disagree whether a doubled quote escapes."""
    for a, b in itertools.pairwise(tokens):
        if a.kind in ("string", "quoted", "param") and b.kind in ("string", "quoted") and a.end == b.pos:
            raise _fail(b.pos, "two quoted literals touch; escape a quote inside a string with a backslash")


def _keyword(word: str) -> str:
    return unicodedata.normalize("NFKC", word).upper()


def _dotted_name(tokens: list[Token], i: int) -> tuple[str, int]:
    """Return (dotted name, index after it) for name tokens joined by '.' starting at i."""
    parts: list[str] = []
    while i < len(tokens) and tokens[i].kind in ("word", "quoted"):
        parts.append(tokens[i].text)
        if i + 1 < len(tokens) and tokens[i + 1].text == "." and tokens[i + 1].kind == "punct":
            i += 2
        else:
            i += 1
            break
    return ".".join(parts), i


def check_read_only(text: str) -> str:
    """Return the single read-only statement in text (trailing ';' removed); raise CypherGuardError."""
    tokens = tokenize(text)
    if not tokens:
        raise CypherGuardError("query rejected: it is empty")
    for k, tok in enumerate(tokens):
        if tok.kind == "punct" and tok.text == ";" and k != len(tokens) - 1:
            raise _fail(tok.pos, "only one statement is allowed (found ';')")
        if tok.kind != "word":
            continue
        word = _keyword(tok.text)
        after_dot = k > 0 and tokens[k - 1].kind == "punct" and tokens[k - 1].text == "."
        if word in FORBIDDEN and not after_dot:  # `x.set`, `date.truncate(...)`: names, never clauses
            raise _fail(tok.pos, f"{word} is not allowed in read-only queries "
                                 "(a name spelled like a keyword must be written in `backticks`)")
        if word == "CALL":
            _check_call(tokens, k)
        elif (k + 1 < len(tokens) and tokens[k + 1].text == "."
              and (k == 0 or (tokens[k - 1].text != "." and _keyword(tokens[k - 1].text) != "CALL"))):
            name, after = _dotted_name(tokens, k)
            if after < len(tokens) and tokens[after].text == "(" and name.count(".") >= 1:
                ns = name.split(".")[0].lower()
                if ns not in FUNCTION_NAMESPACES:
                    raise _fail(tok.pos, f"function {name}() is not allowed (only Cypher's own functions)")
    last = tokens[-1]
    return text[: last.pos] if last.kind == "punct" and last.text == ";" else text


def _check_call(tokens: list[Token], k: int) -> None:
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if nxt is not None and nxt.kind == "punct" and nxt.text in ("{", "("):
        return  # a subquery; its clauses are checked like any others
    name, _ = _dotted_name(tokens, k + 1)
    if not name:
        raise _fail(tokens[k].pos, "CALL must be followed by a subquery or a procedure name")
    if name.lower() not in ALLOWED_PROCEDURES:
        allowed = ", ".join(sorted(("db.labels", "db.relationshipTypes", "db.propertyKeys")))
        raise _fail(tokens[k].pos, f"procedure {name} is not allowed (allowed: {allowed})")


class CypherResult(BaseModel):
    """Rows of an analyst query as JSON-ready dicts, with a flag when the row cap cut them."""

    model_config = ConfigDict(frozen=True)

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    row_cap: int


def jsonable(value: Any) -> Any:
    """Return a result value as plain JSON data (nodes and relationships as property maps)."""
    value = to_native(value)
    if isinstance(value, ngraph.Node):
        return {"_labels": sorted(value.labels), **{k: jsonable(v) for k, v in value.items()}}
    if isinstance(value, ngraph.Relationship):
        return {"_type": value.type, **{k: jsonable(v) for k, v in value.items()}}
    if isinstance(value, ngraph.Path):
        return [jsonable(n) for n in value.nodes]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


async def run_read_only(graph: Graph, text: str, params: dict[str, Any], *, row_cap: int = 1000,
                        timeout: float = 10.0, tag: str = "analyst/query") -> CypherResult:
    """Check text with the guard, then return at most row_cap rows; raise BadInputError on bad queries."""
    statement = check_read_only(text)
    return await execute_rolled_back(graph, statement, params, row_cap=row_cap, timeout=timeout, tag=tag)


async def execute_rolled_back(graph: Graph, text: str, params: dict[str, Any], *, row_cap: int,
                              timeout: float, tag: str) -> CypherResult:
    """Run text in a read transaction that is rolled back whatever happens (callers guard it first)."""
    # Free-form Cypher cannot be limited to an account manager's companies: refuse scoped callers.
    check_query(tag, (), getattr(graph, "scope", None))
    if graph.stats is not None:
        graph.stats.record(tag)
    rows: list[dict[str, Any]] = []
    truncated = False
    columns: list[str] = []
    try:
        async with graph.driver.session(database=graph.database, default_access_mode=neo4j.READ_ACCESS,
                                        fetch_size=row_cap + 1) as session:
            tx = await session.begin_transaction(metadata={"query": tag}, timeout=timeout)
            try:
                result = await tx.run(text, to_param(params))
                columns = list(result.keys())
                async for record in result:
                    if len(rows) >= row_cap:
                        truncated = True
                        break
                    rows.append({k: jsonable(record[k]) for k in columns})
            finally:
                await tx.rollback()
    except nx.CypherSyntaxError as exc:
        raise BadInputError(f"the query is not valid Cypher: {exc.message}") from exc
    except nx.ClientError as exc:
        if "timeout" in (exc.code or "").lower() or "terminated" in (exc.message or "").lower():
            raise BadInputError(f"the query ran longer than the {timeout:g}s limit") from exc
        raise BadInputError(f"the query failed: {exc.message}") from exc
    except nx.Neo4jError as exc:
        mapped = map_error(exc, tag)
        if mapped is exc:
            raise BadInputError(f"the query failed: {exc.message}") from exc
        raise mapped from exc
    return CypherResult(columns=columns, rows=rows, truncated=truncated, row_cap=row_cap)
