"""The segment and cypher commands through their argparse wiring and printing glue."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from rich.console import Console
from test_segments import seg

from graph.db import Graph
from resolvers.segment_commands import add_commands, dispatch

__all__ = ["seg"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="custgraph")
    add_commands(p.add_subparsers(dest="command", required=True))
    return p


async def cli(graph: Graph, *argv: str) -> tuple[int, str]:
    console = Console(record=True, width=200, color_system=None)
    code = await dispatch(graph, parser().parse_args(list(argv)), console)
    return code, console.export_text()


async def test_cypher_run_prints_a_table_or_writes_csv(seg: Graph, tmp_path: Path) -> None:
    code, text = await cli(seg, "cypher", "run", "referral_chain_from_vip", "--param", "max_hops=1",
                           "--param", "as_of=2025-07-01T00:00:00Z")
    assert code == 0
    assert [line.split() for line in text.splitlines() if line.strip().startswith("│ a")] == [
        ["│", "a2", "│", "a1", "│", "1", "│"], ["│", "a4", "│", "a1", "│", "1", "│"], ["│", "a6", "│", "a5", "│", "1", "│"]]
    code, text = await cli(seg, "cypher", "run", "top_referrers", "--csv", str(tmp_path / "r.csv"))
    assert (code, text.strip()) == (0, f"wrote 1 rows to {tmp_path / 'r.csv'}")
    with (tmp_path / "r.csv").open(encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [["customer_id", "converted", "referred"], ["a1", "2", "2"]]
    code, text = await cli(seg, "cypher", "run", "top_referrers", "--param", "min_converted=many")
    assert (code, text.strip()) == (2, "BAD_USER_INPUT: param 'min_converted' must be a whole number (got 'many')")
    code, text = await cli(seg, "cypher", "run", "top_referrers", "--param", "oops")
    assert (code, text.strip()) == (2, "BAD_USER_INPUT: --param 'oops' is not of the form name=value")


async def test_cypher_query_is_guarded_and_capped(seg: Graph) -> None:
    code, text = await cli(seg, "cypher", "query", "MATCH (c:Customer) WHERE c.vip_level >= $min RETURN c.id AS id "
                           "ORDER BY id", "--param", "min=1", "--row-cap", "2")
    assert code == 0 and "a1" in text and "a2" in text and "a5" not in text
    assert "truncated: only the first 2 rows are shown" in text
    code, text = await cli(seg, "cypher", "query", "MATCH (c:Customer) SET c.x = 1")
    assert code == 2 and text.startswith("BAD_USER_INPUT: query rejected at character 20: SET is not allowed")
    rows = await seg.read_text("t/x", "MATCH (c:Customer) WHERE c.x IS NOT NULL RETURN count(c) AS n", {})
    assert rows == [{"n": 0}]


async def test_segments_snapshot_and_export(seg: Graph, tmp_path: Path) -> None:
    code, text = await cli(seg, "segments", "snapshot", "--key", "shanghai")
    assert code == 0 and "shanghai" in text and " 3 " in text
    out = tmp_path / "acme.csv"
    code, text = await cli(seg, "segments", "export", "at_acme", "--columns", "id,name", "--out", str(out))
    assert code == 0
    assert text.splitlines() == [f"wrote 1 rows (id, name) to {out}",
                                 "left out 1 customers without marketing consent"]
    assert out.read_text(encoding="utf-8").splitlines() == ["id,name", "a1,Alice"]
    code, text = await cli(seg, "segments", "export", "nope", "--out", str(out))
    assert (code, text.strip()) == (2, "NOT_FOUND: segment 'nope' not found")


async def test_segments_bench_prints_timings_without_asserting_them(seg: Graph) -> None:
    code, text = await cli(seg, "segments", "bench", "--key", "shanghai", "--runs", "2")
    assert code == 0 and "segment 'shanghai': 3 members, 2 runs" in text
    assert "count" in text and "first page (50)" in text
