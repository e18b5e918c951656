"""The Cypher the API generates (lists, nested pages, paths) passes the Neo4j 5 dialect gate too."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph.entities import CUSTOMER, INTERACTION
from graph.filters import Condition, Filter, Params, compile_filter
from graph.lists import PARENTS
from graph.pages import SortKey, after_condition, order_by, sort_props
from graph.paths import path_query

LINT_DIR = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"
NOW = datetime(2025, 7, 1, tzinfo=UTC)


def header(name: str, params: list[str]) -> str:
    return f"// Generated sample: {name}.\n// params: {', '.join(sorted(params))}\n"


def samples() -> dict[str, str]:
    """Return generated queries exercising every filter form, both sort directions and cursors."""
    f = Filter(
        or_=[Filter(city="X"), Filter(has_tag="vip")], not_=Filter(conditions=[Condition(field="id", eq="c5")]),
        company_id="co1", created_from=NOW, created_to=NOW,
        conditions=[Condition(field="name", contains="li"), Condition(field="vip_level", in_=[1, 2]),
                    Condition(field="email", is_null=True), Condition(field="birthDate", gte="1990-01-01")],
    )
    params = Params()
    where = compile_filter(CUSTOMER, f, params, "n", now=NOW)
    keys = sort_props(CUSTOMER, (SortKey(field="city", descending=True), SortKey(field="createdAt")))
    after = after_condition(keys, ["Shanghai", None, "c3"], params, "n")
    listing = (
        "OPTIONAL MATCH (d:AttributeDef {entity: $entity})\nWITH collect(d.key) AS attribute_keys\n"
        f"MATCH (n:Customer)\nWHERE {where} AND {after}\n"
        f"WITH n, attribute_keys ORDER BY {order_by(keys, 'n')} LIMIT $limit\nRETURN n {{.*}} AS node, attribute_keys\n"
    )
    p2 = Params()
    w2 = compile_filter(INTERACTION, Filter(type="purchase", occurred_from=NOW, occurred_to=NOW), p2, "n", now=NOW)
    k2 = sort_props(INTERACTION, (SortKey(field="occurredAt", descending=True),))
    a2 = after_condition(k2, [None, "i1"], p2, "x")
    children = (
        "OPTIONAL MATCH (d:AttributeDef {entity: $entity})\nWITH collect(d.key) AS attribute_keys\nUNWIND $ids AS parent_id\n"
        f"{PARENTS['tag_customers'][0]}\nWHERE {PARENTS['tag_customers'][1]} AND {w2}\nWITH attribute_keys, parent_id, n ORDER BY {order_by(k2, 'n')}\n"
        "WITH attribute_keys, parent_id, collect(n) AS items\n"
        f"RETURN parent_id, size(items) AS total, [x IN items WHERE {a2} | x {{.*}}][0..$limit] AS nodes, attribute_keys\n"
    )
    path = path_query(["KNOWS", "COLLEAGUE", "REFERRED"], 6).split("\n", 1)[1] + "\n"
    return {
        "list": header("customer list", [*params.values, "entity", "limit"]) + listing,
        "children": header("customers per tag", [*p2.values, "entity", "ids", "limit", "now"]) + children,
        "path": header("shortest path", ["from_id", "to_id"]) + path,
    }


def test_generated_cypher_is_valid_neo4j_5(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (LINT_DIR / "node_modules").exists():
        pytest.skip("node or tools/cypher-lint/node_modules is missing (tools/dev setup installs them)")
    for name, text in samples().items():
        (tmp_path / f"{name}.cypher").write_text(text, encoding="utf-8")
    proc = subprocess.run([node, "lint.mjs", str(tmp_path)], cwd=LINT_DIR, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("3 files linted, 0 errors")
