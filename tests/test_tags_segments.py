"""Tag rules may use stored segments: `{"segment": key}` resolves, orders and assigns."""

from __future__ import annotations

import pytest
from test_tags_world import T0

from graph.db import Graph
from graph.errors import BadInputError
from graph.segments import SegmentSpec, create_segment
from graph.tag_refresh import refresh_tags
from graph.tags import TagSpec, create_tag


async def test_rule_tag_uses_a_stored_segment(graph: Graph) -> None:
    await graph.write_text(
        "t",
        "UNWIND $rows AS r CREATE (:Customer {id: r.id, city: r.city, created_at: $at})",
        {"rows": [{"id": "s1", "city": "上海"}, {"id": "s2", "city": "北京"}, {"id": "s3", "city": "上海"}], "at": T0},
    )
    await graph.write_text("t", "MERGE (:AttributeDef {id: 'customer.city'})", {})
    await create_segment(graph, SegmentSpec(key="shanghai", name="上海客户", rule={"attribute": "city", "eq": "上海"}))
    await create_tag(
        graph,
        TagSpec(key="shanghai_member", name="Shanghai member", kind="RULE", status="ACTIVE",
                definition={"rule": {"all": [{"segment": "shanghai"}, {"not": {"attribute": "id", "eq": "s3"}}]}}),
        by="test",
    )
    report = await refresh_tags(graph, tag="shanghai_member", as_of=T0, by="test")
    assert report.status == "DONE", report.error
    rows = await graph.read_text(
        "t", "MATCH (c:Customer)-[:HAS_TAG]->(:Tag {key: 'shanghai_member'}) RETURN c.id AS id ORDER BY id", {})
    assert rows == [{"id": "s1"}]


async def test_unknown_segment_in_a_tag_rule_is_named(graph: Graph) -> None:
    with pytest.raises(BadInputError, match=r"unknown segment 'nope'"):
        await create_tag(
            graph,
            TagSpec(key="x_tag", name="x", kind="RULE", status="ACTIVE", definition={"rule": {"segment": "nope"}}),
            by="test",
        )
