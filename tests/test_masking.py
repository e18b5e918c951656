"""Masking rules for principals without access to personal fields (analysts)."""

from __future__ import annotations

from datetime import date

from graph.auth import DEV_ADMIN, Principal, scopes_for
from graph.db import Graph
from graph.masking import (
    mark_personal,
    mask_customer,
    mask_email,
    mask_phone,
    mask_text,
    mask_value,
    personal_attribute_keys,
)

ANALYST = Principal(id="key:analyst", role="analyst", scopes=scopes_for("analyst"))
MANAGER = Principal(id="key:am", role="account_manager", scopes=scopes_for("account_manager"), company_ids=())

ROW = {
    "id": "c-1", "name": "王伟", "phone": "+8613812345678", "email": "wang.wei@example.com",
    "birth_date": date(1988, 4, 1), "city": "上海", "wechat_id": "wx_wangwei", "vip_level": 3,
}


def test_field_rules() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+8613812345678") == "+86138****5678"
    assert mask_phone("+4930123") == "+*****23"
    assert mask_phone("+49301") == "+***01"
    assert mask_email("alice@x.com") == "a***@x.com"
    assert mask_email("not-an-email") == "***"


def test_mask_customer_for_analyst_only() -> None:
    personal = frozenset({"wechat_id"})
    assert mask_customer(ROW, ANALYST, personal) == {
        "id": "c-1", "name": "王伟", "phone": "+86138****5678", "email": "w***@example.com",
        "birth_date": 1988, "city": "上海", "wechat_id": "***", "vip_level": 3,
    }
    assert mask_customer(ROW, DEV_ADMIN, personal) is ROW
    assert mask_customer(ROW, MANAGER, personal) is ROW
    nested = {"id": "c-1", "birth_date": "1990-02-03", "attributes": {"wechat_id": "wx", "vip_level": 1}}
    assert mask_customer(nested, ANALYST, personal) == {
        "id": "c-1", "birth_date": 1990, "attributes": {"wechat_id": "***", "vip_level": 1}}


def test_mask_value_catches_renamed_columns() -> None:
    rows = [{"x": "wang.wei@example.com", "who": "call +8613812345678 today", "c": ROW, "n": 5}]
    assert mask_value(rows, ANALYST, frozenset({"wechat_id"})) == [{
        "x": "w***@example.com", "who": "call +86138****5678 today",
        "c": {**ROW, "phone": "+86138****5678", "email": "w***@example.com", "birth_date": 1988, "wechat_id": "***"},
        "n": 5,
    }]
    assert mask_value(rows, DEV_ADMIN) is rows
    assert mask_text("mail a@b.cn or 021-5555-1234") == "mail a***@b.cn or 021-****-1234"


def test_columns_computed_from_personal_keys_are_found_through_aliases() -> None:
    from graph.masking import mask_column, personal_columns

    personal = frozenset({"wechat_id"})
    query = ("MATCH (c:Customer) WITH c, c.wechat_id AS w UNWIND [w] AS ws "
             "RETURN c {.id, .wechat_id} AS c, ws AS x, c['wechat_id'] AS y, c[$k] AS z, c.birth_date, c.name AS n")
    assert personal_columns(query, personal) == {"x": "wechat_id", "y": "wechat_id", "z": None,
                                                 "c.birth_date": "birth_date"}
    assert personal_columns("MATCH (c) WITH c.wechat_id AS w RETURN *", personal) == {"w": "wechat_id"}
    assert personal_columns("MATCH (c) WITH c.wechat_id AS w WITH 1 AS w RETURN w", personal) == {}
    assert personal_columns("CALL { MATCH (c) RETURN c.wechat_id AS w } RETURN collect(w) AS ws", personal) == {
        "w": "wechat_id", "ws": "wechat_id"}
    assert mask_column(["wx_1", None, {"a": "wx_2"}], "wechat_id", personal) == ["***", None, {"a": "***"}]
    assert mask_column("1988-04-01", "birth_date", personal) == 1988


async def test_personal_attribute_keys_come_from_attribute_defs(graph: Graph) -> None:
    assert await personal_attribute_keys(graph) == frozenset()
    await mark_personal(graph, "customer", "wechat_id")
    await mark_personal(graph, "customer", "id_card_no")
    await mark_personal(graph, "company", "tax_id")
    assert await personal_attribute_keys(graph) == frozenset({"wechat_id", "id_card_no"})
    await mark_personal(graph, "customer", "id_card_no", personal=False)
    assert await personal_attribute_keys(graph) == frozenset({"wechat_id"})
    assert await personal_attribute_keys(graph, "company") == frozenset({"tax_id"})


def test_export_rows_use_the_same_rules() -> None:
    from graph.exports import mask_row

    row = {"id": "c-1", "name": "王伟", "email": "wang.wei@example.com", "phone": "+8613812345678",
           "birth_date": "1988-04-01", "note": "call 13812345678"}
    assert mask_row(row, ANALYST) == {"id": "c-1", "name": "王伟", "email": "w***@example.com",
                                      "phone": "+86138****5678", "birth_date": 1988, "note": "call 138****5678"}
    assert mask_row(row, DEV_ADMIN) is row
    assert mask_row(row, None) is row
    personal = {"id": "c-1", "wechat_id": "wx_wangwei", "vip_level": 3}
    assert mask_row(personal, ANALYST, frozenset({"wechat_id"})) == {"id": "c-1", "wechat_id": "***", "vip_level": 3}
    assert mask_row(personal, MANAGER, frozenset({"wechat_id"})) is personal
