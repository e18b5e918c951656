"""Rule validation: every error is BAD_USER_INPUT and names the JSON path inside the rule."""

from __future__ import annotations

from typing import Any

import pytest

from graph.errors import BadInputError
from graph.rules import Catalog, TagInfo, parse_rule
from graph.rules.timeparse import parse_duration

CATALOG = Catalog(
    custom={"customer": {"vip_level": "int", "joined": "date"}},
    tags={"vip": TagInfo("vip"), "old": TagInfo("old", "RETIRED"),
          "a": TagInfo("a", uses=frozenset({"b"})), "b": TagInfo("b", uses=frozenset({"c"})), "c": TagInfo("c")},
)

ERRORS: list[tuple[Any, str]] = [
    ({"any": [{"tag": "vip"}, {"referrals": {"count": {"gtx": 2}}}]},
     "rule.any[1].referrals.count: unknown operator 'gtx' (expected one of eq, ne, in, gt, gte, lt, lte, between)"),
    ({"attribute": "shoe_size", "eq": 42}, "rule.attribute: unknown customer attribute 'shoe_size'"),
    ({"attribute": "vip_level", "gt": "high"}, "rule.gt: 'high' is not a number"),
    ({"attribute": "joined", "lt": "yesterday"}, "rule.lt: 'yesterday' is not a date such as '2024-01-31'"),
    ({"attribute": "vip_level", "contains": 3}, "rule: unknown operator 'contains' (expected one of eq, ne, in, gt, "
     "gte, lt, lte, between, exists)"),
    ({"attribute": "city", "eq": "x", "ne": "y"}, "rule: expected exactly one operator"),
    ({"tag": "nope"}, "rule.tag: unknown tag 'nope'"),
    ({"tag": "old"}, "rule.tag: tag 'old' is retired"),
    ({"all": []}, "rule.all: expected a non-empty list of conditions"),
    ({"not": {"wat": 1}}, "rule.not: unknown condition ['wat']"),
    ({"interactions": {"within": "180 days"}}, "rule.interactions.within: '180 days' is not an ISO 8601 duration"),
    ({"interactions": {"within": "P1D", "from": "2024-01-01"}}, "rule.interactions.within: use either within or"),
    ({"interactions": {"count": {"gte": 1}, "sum": {"gte": 1}}}, "rule.interactions.sum: use one of"),
    ({"interactions": {"where": {"attribute": "colour", "eq": "red"}}},
     "rule.interactions.where.attribute: unknown interaction attribute 'colour'"),
    ({"related": {"via": ["KNOWS"], "maxHops": 4, "to": {"tag": "vip"}}},
     "rule.related.maxHops: 4 is not a whole number from 1 to 3"),
    ({"related": {"via": ["KNOWS"], "maxHops": "1..3", "to": {"tag": "vip"}}}, "rule.related.maxHops: '1..3'"),
    ({"related": {"via": ["FRIEND"], "to": {"tag": "vip"}}}, "rule.related.via[0]: unknown relationship 'FRIEND'"),
    ({"related": {"via": ["KNOWS"], "direction": "in", "to": {"tag": "vip"}}}, "rule.related.direction: a direction"),
    ({"employment": {"company": {"interactions": {}}}},
     "rule.employment.company.interactions: interactions conditions do not apply to a company"),
    ({"employment": {"sinceBefore": "soon"}}, "rule.employment.sinceBefore: 'soon' is not a date"),
    ({"segment": "big_spenders"}, "rule.segment: unknown segment 'big_spenders'"),
    ({"lastInteraction": {"type": "call"}}, "rule.lastInteraction: expected olderThan or within"),
    ({"referrals": {"direction": "sideways"}}, "rule.referrals.direction: unknown direction 'sideways'"),
    ({"project": {"count": {"between": [5, 1]}}}, "rule.project.count.between: low is greater than high"),
    ([1, 2], "rule: a condition must be a non-empty JSON object"),
]


@pytest.mark.parametrize(("rule", "message"), ERRORS, ids=[e[1][:40] for e in ERRORS])
def test_errors_name_the_path(rule: Any, message: str) -> None:
    with pytest.raises(BadInputError) as info:
        parse_rule(rule, CATALOG)
    assert info.value.code == "BAD_USER_INPUT"
    assert info.value.message.startswith(message), info.value.message


def test_tag_dependency_cycle_is_rejected() -> None:
    with pytest.raises(BadInputError) as info:
        parse_rule({"any": [{"attribute": "city", "eq": "x"}, {"tag": "a"}]}, CATALOG, tag_key="c")
    assert info.value.message == "rule.any[1].tag: tag dependency cycle c -> a -> b -> c"
    with pytest.raises(BadInputError, match="rule.tag: tag dependency cycle vip -> vip"):
        parse_rule({"tag": "vip"}, CATALOG, tag_key="vip")
    assert parse_rule({"tag": "c"}, CATALOG, tag_key="a")


def test_segment_hook_inlines_the_segment_rule() -> None:
    inner = parse_rule({"attribute": "city", "eq": "上海"}, CATALOG)
    catalog = Catalog(CATALOG.custom, CATALOG.tags, lambda key: inner if key == "sh" else None)
    node = parse_rule({"segment": "sh"}, catalog)
    assert node.rule == inner  # type: ignore[attr-defined]


def test_durations() -> None:
    from datetime import UTC, datetime

    at = datetime(2026, 3, 31, tzinfo=UTC)
    assert parse_duration("P1M").before(at) == datetime(2026, 2, 28, tzinfo=UTC)
    assert parse_duration("P1Y2W").before(at) == datetime(2025, 3, 17, tzinfo=UTC)
    assert parse_duration("PT12H").after(at) == datetime(2026, 3, 31, 12, tzinfo=UTC)
    for bad in ["P", "PT", "180D", "P1.5D", 180]:
        with pytest.raises(ValueError, match="is not an ISO 8601 duration"):
            parse_duration(bad)
