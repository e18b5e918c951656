"""The mining command-line glue, run through its argument parser on a seeded graph."""

from __future__ import annotations

import argparse
import io

from rich.console import Console
from test_mining_world import T0, clusters

from graph.db import Graph
from resolvers.mining_commands import MINING_ACTIONS, add_mining_arguments, mining_command


def parse(argv: list[str]) -> argparse.Namespace:
    tags = argparse.ArgumentParser(prog="tags")
    tags.add_argument("tags_action", choices=MINING_ACTIONS)
    tags.add_argument("--as-of", type=lambda _: T0)
    add_mining_arguments(tags)
    return tags.parse_args(argv)


async def test_mine_value_groups_from_the_command_line(graph: Graph) -> None:
    await clusters(graph)
    out = io.StringIO()
    code = await mining_command(graph, parse(["mine", "value-groups", "--k-min", "2", "--k-max", "4", "--as-of", "x"]),
                                Console(file=out, width=200))
    text = out.getvalue()
    assert code == 0, text
    assert "value_group v1: k = 3" in text
    assert "value_group — DONE, added 30, removed 0, updated 0, unchanged 0" in text
    bad = io.StringIO()
    assert await mining_command(graph, parse(["train", "x", "--label", "nope"]), Console(file=bad, width=200)) == 2
    assert bad.getvalue().strip() == "tag 'nope' not found"
