"""Cypher queries kept as files under `cypher/`, loaded once and checked.

Each file holds one query and opens with a header an analyst can read::

    // Customers with these ids, for the customer DataLoader.
    // params: ids
    // returns: customer
    /* :params {ids: ["c-001"]} */
    UNWIND $ids AS id ...

A query's name is its path below `cypher/` without the suffix, e.g.
`customer/get_customers`. Declared params may carry a type (`city:string`), used by
analyst segment queries; the loader checks that the declared names equal the `$names`
the body uses and fails loudly naming the file when they do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"

PARAM_TYPES = ("string", "int", "float", "bool", "date", "datetime", "list", "map", "any")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# `$name` outside strings and comments; `$` followed by a backtick-quoted name is not used.
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRINGS_AND_COMMENTS = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", re.DOTALL
)


class CypherFileError(ValueError):
    """A Cypher file whose header or body is malformed."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "any"


@dataclass(frozen=True)
class Query:
    """One loaded Cypher file."""

    name: str
    path: Path
    description: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    text: str
    example_params: str | None = field(default=None)

    @property
    def param_names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.params)


def used_params(text: str) -> set[str]:
    """Return the `$names` a Cypher text uses outside string literals and comments."""
    return set(_PARAM_USE.findall(_STRINGS_AND_COMMENTS.sub(" ", text)))


def parse_query(name: str, path: Path, source: str) -> Query:
    """Parse one Cypher file's header and body; raise CypherFileError naming the file."""
    lines = source.splitlines()
    header: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("//"):
            header.append(stripped[2:].strip())
        else:
            break
    if not header or not header[0] or header[0].startswith(("params:", "returns:")):
        raise CypherFileError(f"{path}: the first line must be a '// ' one-line description")
    description = header[0]
    params: tuple[Param, ...] | None = None
    returns: tuple[str, ...] = ()
    for item in header[1:]:
        if item.startswith("params:"):
            params = _parse_params(path, item.removeprefix("params:"))
        elif item.startswith("returns:"):
            returns = tuple(r.strip() for r in item.removeprefix("returns:").split(",") if r.strip())
    if params is None:
        raise CypherFileError(f"{path}: the header must declare '// params:' (empty when none)")
    example = re.search(r"/\*\s*:params\s*(.*?)\*/", source, re.DOTALL)
    if not source.strip().replace(" ", ""):
        raise CypherFileError(f"{path}: the file is empty")
    body = _STRINGS_AND_COMMENTS.sub(" ", source)
    if not body.strip():
        raise CypherFileError(f"{path}: the file has a header but no query")
    used = used_params(source)
    declared = {p.name for p in params}
    if used != declared:
        missing = sorted(used - declared)
        unused = sorted(declared - used)
        parts = []
        if missing:
            parts.append(f"uses undeclared params {', '.join(missing)}")
        if unused:
            parts.append(f"declares params it never uses {', '.join(unused)}")
        raise CypherFileError(f"{path}: {'; '.join(parts)}")
    return Query(
        name=name,
        path=path,
        description=description,
        params=params,
        returns=returns,
        text=source,
        example_params=example.group(1).strip() if example else None,
    )


def _parse_params(path: Path, spec: str) -> tuple[Param, ...]:
    out: list[Param] = []
    for raw in (s.strip() for s in spec.split(",")):
        if not raw:
            continue
        pname, _, ptype = (x.strip() for x in raw.partition(":"))
        ptype = ptype or "any"
        if not _IDENT.match(pname):
            raise CypherFileError(f"{path}: param name {pname!r} is not an identifier")
        if ptype not in PARAM_TYPES:
            raise CypherFileError(
                f"{path}: param {pname!r} has unknown type {ptype!r} (use one of {', '.join(PARAM_TYPES)})"
            )
        if any(p.name == pname for p in out):
            raise CypherFileError(f"{path}: param {pname!r} is declared twice")
        out.append(Param(pname, ptype))
    return tuple(out)


def load_file(path: Path, root: Path = CYPHER_DIR) -> Query:
    """Load and check one Cypher file."""
    name = path.relative_to(root).with_suffix("").as_posix()
    return parse_query(name, path, path.read_text(encoding="utf-8"))


@cache
def load_all(root: Path = CYPHER_DIR) -> dict[str, Query]:
    """Load every `.cypher` file below root, keyed by name; raise on the first bad file."""
    return {q.name: q for q in (load_file(p, root) for p in sorted(root.rglob("*.cypher")))}


def query(name: str) -> Query:
    """Return the loaded query called name; raise KeyError naming it when absent."""
    queries = load_all()
    if name not in queries:
        raise KeyError(f"no Cypher file named {name!r} under {CYPHER_DIR}")
    return queries[name]


def check_identifier(value: str, what: str = "identifier") -> str:
    """Return value backticked for Cypher when it is a plain identifier; raise ValueError otherwise."""
    if not isinstance(value, str) or not _IDENT.match(value):
        raise ValueError(f"{what} {value!r} is not a valid identifier ([A-Za-z_][A-Za-z0-9_]*)")
    return f"`{value}`"
