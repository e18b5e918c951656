"""The command line through its entry point: db status, demo with starter tags, only-if-empty."""

from __future__ import annotations

from pathlib import Path

import pytest

import main
from graph.db import Graph


def test_db_status_prints_where_the_server_listens(db_dir: Path, graph: Graph, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--data-dir", str(db_dir), "db", "status"]) == 0
    out = capsys.readouterr().out
    assert "bolt://127.0.0.1:" in out
    assert str(db_dir.resolve() / "root-password") in out.replace("\n", "")


def test_db_status_without_a_server_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--data-dir", str(tmp_path), "db", "status"]) == 3
    assert "no embedded server is running" in capsys.readouterr().out


async def test_demo_loads_data_and_refreshes_the_starter_tags(db_dir: Path, graph: Graph) -> None:
    import asyncio

    code = await asyncio.to_thread(main.main, ["--data-dir", str(db_dir), "demo", "--customers", "80", "--seed", "5"])
    assert code == 0
    counts = await graph.read_text(
        "t", "MATCH (c:Customer) WITH count(c) AS customers "
        "OPTIONAL MATCH (r:TagRun) RETURN customers, collect(r.status) AS runs", {})
    assert counts == [{"customers": 80, "runs": ["DONE"]}]
    active = await graph.read_text("t", "MATCH (t:Tag {status: 'ACTIVE'}) RETURN count(t) AS n", {})
    assert active[0]["n"] >= 12  # the starter catalogue
    rule_tags = await graph.read_text(
        "t", "MATCH (:Customer)-[r:HAS_TAG]->(:Tag {key: 'silent_customer'}) RETURN count(r) AS n", {})
    assert rule_tags[0]["n"] > 0
    # A second run with --only-if-empty changes nothing.
    again = await asyncio.to_thread(
        main.main, ["--data-dir", str(db_dir), "demo", "--customers", "30", "--only-if-empty"])
    assert again == 0
    assert (await graph.read_text("t", "MATCH (c:Customer) RETURN count(c) AS n", {}))[0]["n"] == 80


def test_mining_commands_parse_through_the_main_parser() -> None:
    args = main.build_parser().parse_args(["tags", "train", "predicted_churn", "--label", "churned", "--holdout", "0.3"])
    assert (args.command, args.tags_action, args.target, args.label, args.holdout) == (
        "tags", "train", "predicted_churn", "churned", 0.3)
    args = main.build_parser().parse_args(["tags", "mine", "influence", "--top", "0.1"])
    assert (args.tags_action, args.target, args.top) == ("mine", "influence", 0.1)
