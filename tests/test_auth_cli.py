"""The `keys` and `users` commands: a key printed once that then works, listing, revocation, audit."""

from __future__ import annotations

import argparse
import io

import pytest
from rich.console import Console

from graph import audit, auth
from graph.db import Graph
from resolvers.auth_commands import add_auth_commands, run_auth_command


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_auth_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


async def run(graph: Graph, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = await run_auth_command(graph, parse(*argv), Console(file=out, width=200, color_system=None))
    return code, out.getvalue()


async def test_users_and_keys_commands(graph: Graph, capsys: pytest.CaptureFixture[str]) -> None:
    await graph.write_text("tests/co", "CREATE (:Company {id: 'co-1'}), (:Company {id: 'co-2'})", {})
    assert await run(graph, "users", "create", "u-li", "--manages", "co-1", "co-2") == (0, "user u-li manages 2 companies\n")
    code, text = await run(graph, "keys", "create", "--role", "account_manager", "--user", "u-li", "--name", "li")
    assert code == 0 and text.startswith("created account_manager key ")
    key = capsys.readouterr().out.strip()
    principal = await auth.verify_key(graph, key)
    assert (principal.role, principal.company_ids) == ("account_manager", ("co-1", "co-2"))
    code, listing = await run(graph, "keys", "list")
    assert code == 0 and principal.id.removeprefix("key:") in listing and key not in listing
    assert await run(graph, "keys", "revoke", "ffffffffffff") == (1, "API key 'ffffffffffff' not found\n")
    code, text = await run(graph, "keys", "revoke", principal.id.removeprefix("key:"))
    assert code == 0 and text.startswith(f"revoked key {principal.id.removeprefix('key:')} (li) at ")
    assert await run(graph, "users", "create", "u-x", "--manages", "co-9") == (1, "companies not found: co-9\n")
    entries = await audit.list_entries(graph)
    assert [(e.action, e.outcome, e.role) for e in reversed(entries)] == [
        ("user.upsert", "ok", "admin"), ("key.create", "ok", "admin"), ("key.list", "ok", "admin"),
        ("key.revoke", "error:NOT_FOUND", "admin"), ("key.revoke", "ok", "admin"), ("user.upsert", "error:NOT_FOUND", "admin"),
    ]
    assert all(e.actor.startswith("cli:") for e in entries)
    assert key not in str([e.model_dump() for e in entries])
