"""Every Cypher file loads and declares exactly the params it uses (no database needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.cypher import CypherFileError, check_identifier, load_all, parse_query, used_params


def test_every_cypher_file_loads() -> None:
    queries = load_all()
    assert "admin/ping" in queries
    assert all(q.description for q in queries.values())
    schema = [n for n in queries if n.startswith("schema/")]
    assert "schema/constraint_customer_id" in schema


def test_declared_params_must_match_used() -> None:
    src = "// Find one.\n// params: id\nMATCH (c:Customer {id: $id}) WHERE c.x = $other RETURN c\n"
    with pytest.raises(CypherFileError, match=r"x\.cypher: uses undeclared params other"):
        parse_query("x", Path("x.cypher"), src)


def test_unused_declared_param_is_reported() -> None:
    src = "// Find one.\n// params: id, spare\nMATCH (c:Customer {id: $id}) RETURN c\n"
    with pytest.raises(CypherFileError, match="declares params it never uses spare"):
        parse_query("x", Path("x.cypher"), src)


def test_header_is_required() -> None:
    with pytest.raises(CypherFileError, match="one-line description"):
        parse_query("x", Path("x.cypher"), "MATCH (n) RETURN n\n")
    with pytest.raises(CypherFileError, match="must declare '// params:'"):
        parse_query("x", Path("x.cypher"), "// Everything.\nMATCH (n) RETURN n\n")


def test_typed_params_and_example_block() -> None:
    src = (
        "// Customers in a city.\n// params: city:string, min_spend:float\n// returns: customer_id\n"
        '/* :params {city: "上海", min_spend: 100.0} */\n'
        "MATCH (c:Customer {city: $city}) WHERE c.spend >= $min_spend RETURN c.id AS customer_id\n"
    )
    q = parse_query("segments/x", Path("x.cypher"), src)
    assert [(p.name, p.type) for p in q.params] == [("city", "string"), ("min_spend", "float")]
    assert q.returns == ("customer_id",)
    assert q.example_params == '{city: "上海", min_spend: 100.0}'


def test_unknown_param_type_is_rejected() -> None:
    src = "// X.\n// params: a:money\nRETURN $a\n"
    with pytest.raises(CypherFileError, match="unknown type 'money'"):
        parse_query("x", Path("x.cypher"), src)


def test_params_inside_strings_and_comments_do_not_count() -> None:
    assert used_params("RETURN '$a' AS x, \"$b\" AS y // $c\n/* $d */ , $e") == {"e"}


def test_identifiers_are_checked_and_backticked() -> None:
    assert check_identifier("vip_level") == "`vip_level`"
    for bad in ["a b", "x`) DETACH DELETE (n", "1abc", ""]:
        with pytest.raises(ValueError, match="not a valid identifier"):
            check_identifier(bad)
