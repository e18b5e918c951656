"""Analyst Cypher: the read-only guard against every smuggling route, caps, and saved-query params."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_segments import build

from graph.analyst_cypher import CypherGuardError, check_read_only, execute_rolled_back, run_read_only, tokenize
from graph.db import Graph
from graph.errors import BadInputError, NotFoundError
from graph.segment_queries import literal, run_saved_query, saved_queries

# Each of these would write (or reach outside the database) if it reached the server.
WRITES = {
    "plain create": "CREATE (:Customer {id: 'x'})",
    "lower case": "match (c:Customer) set c.hacked = true return c",
    "mixed case": "MaTcH (c:Customer) DeTaCh DeLeTe c",
    "merge": "MERGE (:Customer {id: 'x'})",
    "remove": "MATCH (c:Customer) REMOVE c.city RETURN count(c)",
    "delete": "MATCH (c:Customer) DELETE c",
    "foreach": "MATCH (c:Customer) WITH collect(c) AS cs FOREACH (x IN cs | SET x.hacked = true)",
    "call subquery": "MATCH (c:Customer) CALL (c) { CREATE (:Customer {id: c.id + 'x'}) } RETURN count(*)",
    "call subquery old scope": "MATCH (c:Customer) CALL { WITH c CREATE (:Customer {id: c.id + 'x'}) } RETURN 1",
    "in transactions": "MATCH (c:Customer) CALL (c) { RETURN c.id AS i } IN TRANSACTIONS RETURN i",
    "load csv": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "two statements": "MATCH (c:Customer) RETURN count(c); CREATE (:Customer {id: 'x'})",
    "after line comment": "MATCH (c:Customer) // harmless\nCREATE (:Customer {id: 'x'}) RETURN 1",
    "carriage return ends a comment": "MATCH (c:Customer) // note\rCREATE (:Customer {id: 'x'}) RETURN 1",
    "line separator ends a comment": "MATCH (c:Customer) // note\u2028CREATE (:Customer {id: 'x'}) RETURN 1",
    "after block comment": "MATCH (c:Customer) /* RETURN 1 */ CREATE (:Customer {id: 'x'})",
    "comment opener in string": "MATCH (c:Customer) WHERE c.name = '/*' CREATE (:Customer {id: 'x'}) RETURN '*/'",
    "escaped quote": "RETURN 'it\\'s' AS a CREATE (:Customer {id: 'x'})",
    "escaped backslash": "RETURN 'a\\\\' AS a CREATE (:Customer {id: 'x'}) RETURN 'b'",
    "doubled quote": "RETURN 'a'' CREATE (:Customer {id: ''x''}) ''' AS a",
    "double quotes": 'RETURN "a\\"b" AS a CREATE (:Customer {id: "x"})',
    "backtick trick": "MATCH (c:`Customer`) CREATE (:`Customer` {id: 'x'}) RETURN 1",
    "fullwidth letters": "MATCH (c:Customer) ＣＲＥＡＴＥ (:Customer {id: 'x'})",
    "cyrillic lookalike": "MATCH (c:Customer) SЕT c.hacked = true",
    "non-breaking space": "MATCH (c:Customer)\u00a0DETACH\u00a0DELETE c",
    "zero width joiner": "MATCH (c:Customer) DE\u200bLETE c",
    "dbms procedure": "CALL dbms.security.createUser('x', 'y', false)",
    "backticked procedure": "CALL `dbms`.`security`.`createUser`('x', 'y', false)",
    "db procedure not allowed": "CALL db.createLabel('X')",
    "apoc function": "RETURN apoc.cypher.runFirstColumnSingle('CREATE (n) RETURN n', {}) AS x",
    "unterminated comment": "MATCH (c:Customer) RETURN c /* CREATE (:Customer {id: 'x'})",
    "unterminated string": "MATCH (c:Customer) RETURN 'c CREATE (:Customer {id: 'x'})",
    "use another database": "USE system MATCH (n) RETURN n",
    "drop": "DROP CONSTRAINT customer_id",
    "create index": "CREATE INDEX x FOR (c:Customer) ON (c.x)",
    "insert": "INSERT (:Customer {id: 'x'})",
    "sql words": "TRUNCATE TYPE Customer UNSAFE",
}

READS = {
    "keywords in comments and strings": "// CREATE\nMATCH (c:Customer) /* DELETE */ "
                                        "WHERE c.name <> 'SET x' RETURN c.id AS id, \"MERGE\" AS s ORDER BY id",
    "backticked keyword name": "MATCH (c:Customer) RETURN c.id AS `set` ORDER BY `set` LIMIT 2",
    "read subquery": "MATCH (c:Customer) CALL (c) { RETURN size(c.id) AS n } RETURN sum(n) AS total",
    "allowed procedure": "CALL db.labels() YIELD label RETURN label ORDER BY label",
    "trailing semicolon": "MATCH (c:Customer) RETURN count(c) AS n;",
    "cypher functions": "RETURN date.truncate('month', date('2025-06-15')) AS m, duration.between(date('2025-01-01'), "
                        "date('2025-02-01')).days AS d",
    "keywords after a dot are names": "MATCH (c:Customer) RETURN c.set AS a, c {.delete} AS b, "
                                      "datetime.truncate('day', datetime('2025-06-15T10:00:00Z')) AS d",
    "unicode in strings": "MATCH (c:Customer) WHERE c.city <> '上海' RETURN count(c) AS n",
}


async def count_all(graph: Graph) -> tuple[int, int, int]:
    rows = await graph.read_text("t/count", "MATCH (n) WITH count(n) AS nodes "
                                 "OPTIONAL MATCH (c:Customer) WHERE c.hacked IS NOT NULL OR c.city IS NULL "
                                 "RETURN nodes, count(c) AS touched, 0 AS z", {})
    return rows[0]["nodes"], rows[0]["touched"], rows[0]["z"]


@pytest.mark.parametrize("text", list(WRITES.values()), ids=list(WRITES))
def test_guard_rejects_writes(text: str) -> None:
    with pytest.raises(CypherGuardError, match="query rejected"):
        check_read_only(text)


@pytest.mark.parametrize("text", list(READS.values()), ids=list(READS))
def test_guard_accepts_reads(text: str) -> None:
    assert check_read_only(text).rstrip().endswith(";") is False


def test_guard_messages_name_the_problem() -> None:
    with pytest.raises(CypherGuardError, match="at character 20: SET is not allowed in read-only queries"):
        check_read_only("MATCH (c:Customer) set c.x = 1")
    with pytest.raises(CypherGuardError, match="procedure dbms.killQuery is not allowed"):
        check_read_only("CALL dbms.killQuery('q')")
    with pytest.raises(CypherGuardError, match="only one statement is allowed"):
        check_read_only("RETURN 1; RETURN 2")
    with pytest.raises(CypherGuardError, match="FULLWIDTH LATIN CAPITAL LETTER C"):
        check_read_only("ＣREATE ()")
    tokens = tokenize("RETURN 'a\\'b' AS `x``y` // c")
    assert [(t.kind, t.text) for t in tokens] == [("word", "RETURN"), ("string", "a\\'b"), ("word", "AS"),
                                                 ("quoted", "x`y")]


async def test_no_write_gets_through_and_nothing_changes(graph: Graph) -> None:
    await build(graph)
    before = await count_all(graph)
    for name, text in WRITES.items():
        with pytest.raises(BadInputError, match="query rejected"):
            await run_read_only(graph, text, {})
        assert await count_all(graph) == before, name


async def test_rollback_is_a_second_line_behind_the_guard(graph: Graph) -> None:
    """Even a write that skipped the guard (called below it on purpose) leaves the graph unchanged."""
    await build(graph)
    before = await count_all(graph)
    result = await execute_rolled_back(graph, "CREATE (c:Customer {id: 'zz'}) RETURN c.id AS id", {},
                                       row_cap=10, timeout=10, tag="t/bypass")
    assert result.rows == [{"id": "zz"}]
    assert await count_all(graph) == before


async def test_scoped_callers_cannot_run_free_form_cypher(graph: Graph) -> None:
    """An account manager's Graph carries a scope free-form Cypher cannot apply: it fails closed."""
    from graph.errors import ForbiddenError
    from graph.scope import ScopedGraph

    scoped = ScopedGraph(graph.driver, graph.database, scope=("co1",))
    with pytest.raises(ForbiddenError, match="'analyst/query' is not available to account managers"):
        await run_read_only(scoped, "MATCH (c:Customer) RETURN c.id AS id", {})
    with pytest.raises(ForbiddenError, match="'segments/top_referrers' is not available to account managers"):
        await run_saved_query(scoped, "top_referrers", {})
    unscoped = ScopedGraph(graph.driver, graph.database, scope=None)
    assert (await run_read_only(unscoped, "RETURN 1 AS one", {})).rows == [{"one": 1}]


async def test_reads_run_with_a_row_cap(graph: Graph) -> None:
    await build(graph)
    for text in READS.values():
        await run_read_only(graph, text, {})
    capped = await run_read_only(graph, "MATCH (c:Customer) RETURN c.id AS id, c.birth_date AS born, c AS node "
                                 "ORDER BY id", {}, row_cap=2)
    assert (capped.columns, capped.truncated, len(capped.rows)) == (["id", "born", "node"], True, 2)
    assert capped.rows[0]["born"] == "1990-05-17"
    assert capped.rows[0]["node"]["_labels"] == ["Customer"] and capped.rows[0]["node"]["city"] == "Shanghai"
    full = await run_read_only(graph, "MATCH (c:Customer {city: $city}) RETURN c.id AS id ORDER BY id",
                               {"city": "Shanghai"}, row_cap=3)
    assert (full.rows, full.truncated) == ([{"id": "a1"}, {"id": "a3"}, {"id": "a5"}], False)
    with pytest.raises(BadInputError, match="not valid Cypher"):
        await run_read_only(graph, "MATCH (c:Customer RETURN c", {})


async def test_saved_query_params_are_coerced_and_named(graph: Graph) -> None:
    await build(graph)
    result = await run_saved_query(graph, "referral_chain_from_vip",
                                   {"max_hops": "1", "as_of": "2025-07-01T00:00:00Z"})
    assert result.rows == [{"customer_id": "a2", "referrer_id": "a1", "hops": 1},
                           {"customer_id": "a4", "referrer_id": "a1", "hops": 1},
                           {"customer_id": "a6", "referrer_id": "a5", "hops": 1}]
    big = await run_saved_query(graph, "big_spenders_in_city", {"min_spend": "600", "city": "Shanghai"})
    assert big.rows == [{"customer_id": "a5", "spend": 1010.0, "purchases": 2}]
    with pytest.raises(BadInputError, match="param 'max_hops' must be a whole number") as info:
        await run_saved_query(graph, "referral_chain_from_vip", {"max_hops": "two"})
    assert info.value.code == "BAD_USER_INPUT"
    with pytest.raises(BadInputError, match="param 'since' must be a datetime"):
        await run_saved_query(graph, "big_spenders_in_city", {"since": "yesterday"})
    with pytest.raises(BadInputError, match="param 'city' must be a string"):
        await run_saved_query(graph, "big_spenders_in_city", {"city": 3})
    with pytest.raises(BadInputError, match="param 'town' is not declared by segments/big_spenders_in_city"):
        await run_saved_query(graph, "big_spenders_in_city", {"town": "x"})
    with pytest.raises(NotFoundError, match="saved segment query 'nope' not found"):
        await run_saved_query(graph, "nope", {})


def test_every_saved_query_loads_with_usable_defaults() -> None:
    queries = saved_queries()
    assert len(queries) >= 6
    for key, (q, defaults) in queries.items():
        assert "customer_id" in q.returns, key
        assert set(defaults) <= q.param_names, key
    assert literal('{a: "x", b: [1, 2.5, -3], c: {d: true, e: null}, f: date("2025-01-02")}') == {
        "a": "x", "b": [1, 2.5, -3], "c": {"d": True, "e": None}, "f": datetime(2025, 1, 2).date()}
    _ = UTC


# --- properties of the guard (no database) -----------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graph.analyst_cypher import FORBIDDEN  # noqa: E402

_KEYWORDS = [*sorted(FORBIDDEN - {"USE", "START", "STOP", "BEGIN", "COMMIT", "ROLLBACK"}), "CREATE", "SET", "DELETE"]


def _any_case(word: str) -> st.SearchStrategy[str]:
    return st.tuples(*(st.sampled_from([ch.lower(), ch.upper()]) for ch in word)).map("".join)


_harmless = st.sampled_from([
    " ", "\n", "\t", "/* x */", "// note\n", "'text'", '"text"', "'it\\'s'", "`name`", "1", "$p", "(c)", ",",
])
# Controls and line separators end a // comment early on purpose (see test above), so pads leave them out.
_literal_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\\'"),
                        max_size=12)


@settings(max_examples=300, deadline=None)
@given(before=st.lists(_harmless, max_size=4), after=st.lists(_harmless, max_size=4),
       keyword=st.sampled_from(_KEYWORDS).flatmap(_any_case))
def test_a_keyword_token_anywhere_is_rejected(before: list[str], after: list[str], keyword: str) -> None:
    text = "MATCH (c:Customer) " + " ".join(before) + f" {keyword} " + " ".join(after) + " RETURN c"
    with pytest.raises(CypherGuardError):
        check_read_only(text)


@settings(max_examples=300, deadline=None)
@given(keyword=st.sampled_from(_KEYWORDS).flatmap(_any_case), pad=_literal_text, quote=st.sampled_from(["'", '"']),
       where=st.sampled_from(["string", "line comment", "block comment", "backticks"]))
def test_a_keyword_inside_a_literal_or_comment_is_accepted(keyword: str, pad: str, quote: str, where: str) -> None:
    safe = pad.replace(quote, "").replace("*/", "").replace("`", "")
    inner = f"{safe} {keyword} {safe}"
    part = {"string": f"{quote}{inner}{quote}", "line comment": f"// {inner}\n", "block comment": f"/* {inner} */",
            "backticks": f"`{inner}`"}[where]
    text = f"MATCH (c:Customer) WITH c, {part} AS x RETURN c" if where in ("string", "backticks") else \
        f"MATCH (c:Customer) {part} RETURN c"
    if where == "backticks":
        text = f"MATCH (c:Customer) RETURN c AS {part}"
    assert check_read_only(text) == text
