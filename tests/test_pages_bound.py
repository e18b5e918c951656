"""Unfiltered id-ordered pages are bounded by an id probe (graph/lists.py): same pages as a full sort."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from graph.db import Graph, Record
from graph.entities import CUSTOMER
from graph.filters import Condition, Filter
from graph.lists import list_nodes, page_match
from graph.neighbourhoods import list_neighbourhoods
from graph.pages import PageRequest
from graph.scope import ScopedGraph

IDS = [f"c-{i:03d}" for i in range(47)]


async def seed(graph: Graph) -> None:
    shuffled = IDS[:]
    random.Random(3).shuffle(shuffled)  # stored out of id order, so storage order is no help
    await graph.write_text("test/seed", "UNWIND $ids AS id CREATE (:Customer {id: id, name: 'N ' + id})", {"ids": shuffled})
    await graph.write_text("test/seed", "CREATE (:Company {id: 'co-1', name: 'One'})", {})
    await graph.write_text(
        "test/seed", "UNWIND $ids AS id MATCH (c:Customer {id: id}), (co:Company {id: 'co-1'}) CREATE (c)-[:WORKS_AT]->(co)",
        {"ids": IDS[5:40:3]})


async def walk(graph: Graph, first: int, *, neighbourhoods: bool = False) -> list[list[str]]:
    pages, after = [], None
    while True:
        req = PageRequest(first=first, after=after)
        page = (await list_neighbourhoods(graph, None, req))[0] if neighbourhoods else await list_nodes(graph, CUSTOMER, None, req)
        pages.append([r["id"] for r in page.rows])
        if not page.has_next:
            return pages
        after = page.cursors[-1]


async def test_bounded_pages_equal_the_sorted_ids_and_use_the_probe(graph: Graph) -> None:
    await seed(graph)
    counting = graph.counting()
    pages = await walk(counting, 10)
    assert pages == [IDS[i:i + 10] for i in range(0, 47, 10)]
    assert counting.stats is not None
    # one probe per page, and no second read of the short last page
    assert counting.stats.names.count("list/customer_bound") == 5
    assert counting.stats.names.count("list/customer") == 5
    assert await walk(graph, 10, neighbourhoods=True) == pages
    match = await page_match(graph, CUSTOMER, None, PageRequest(first=10))
    assert match.bounded and "c-010" in match.params.values()  # the 11th id bounds a page of 10 (+1)


async def test_filtered_and_other_sorts_are_not_probed(graph: Graph) -> None:
    await seed(graph)
    flt = Filter(conditions=[Condition(field="id", starts_with="c-01")])
    match = await page_match(graph, CUSTOMER, flt, PageRequest(first=3))
    assert not match.bounded
    page = await list_nodes(graph, CUSTOMER, flt, PageRequest(first=3))
    assert [r["id"] for r in page.rows] == ["c-010", "c-011", "c-012"]


async def test_scoped_pages_probe_inside_the_scope(graph: Graph) -> None:
    await seed(graph)
    scoped = ScopedGraph(graph.driver, graph.database, graph.timeout, None, ("co-1",))
    pages = await walk(scoped, 4)
    assert [i for p in pages for i in p] == IDS[5:40:3]
    assert [len(p) for p in pages] == [4, 4, 4]


class DeletesAfterProbe(Graph):
    """A Graph that deletes a customer right after the page probe ran: a concurrent delete between the two queries."""

    victim = "c-003"

    async def read_text(self, tag: str, text: str, params: Mapping[str, Any], timeout: float | None = None) -> list[Record]:
        rows = await super().read_text(tag, text, params, timeout)
        if tag == "list/customer_bound":
            await self.write_text("test/delete", "MATCH (c:Customer {id: $id}) DETACH DELETE c", {"id": self.victim})
        return rows


async def test_a_page_that_lost_a_row_to_a_concurrent_delete_is_read_again_in_full(graph: Graph) -> None:
    await seed(graph)
    racing = DeletesAfterProbe(graph.driver, graph.database, graph.timeout)
    page = await list_nodes(racing, CUSTOMER, None, PageRequest(first=10))
    assert [r["id"] for r in page.rows] == [i for i in IDS if i != "c-003"][:10]
    assert page.has_next
