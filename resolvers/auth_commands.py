"""Command-line glue for keys and users: `keys create|list|revoke`, `users create`; every one audited.

Wiring in main.py::

    add_auth_commands(sub)                                   # in build_parser()
    if args.command in AUTH_COMMANDS:                        # in main()
        return int(asyncio.run(with_connection(settings, lambda g: run_auth_command(g, args))))
"""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from rich.console import Console
from rich.table import Table

from graph import audit, auth
from graph.db import Graph
from graph.errors import DomainError
from resolvers.auth_middleware import SecuritySettings

AUTH_COMMANDS = ("keys", "users")


def add_auth_commands(sub: Any) -> None:
    """Register the `keys` and `users` subcommands on an argparse subparsers object."""
    keys = sub.add_parser("keys", help="API keys: create (shown once), list, revoke")
    kc = keys.add_subparsers(dest="keys_action", required=True)
    create = kc.add_parser("create", help="create a key and print it once")
    create.add_argument("--role", required=True, choices=auth.ROLES)
    create.add_argument("--name", required=True, help="what the key is for, e.g. 'crm sync'")
    create.add_argument("--user", help="the User an account_manager key belongs to")
    create.add_argument("--scope", choices=("read", "write"), help="service keys: read (default) or write")
    kc.add_parser("list", help="list keys (never the keys themselves)")
    revoke = kc.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("id", help="the key's id (the part after 'cgk_')")
    users = sub.add_parser("users", help="Users: account managers and the companies they manage")
    uc = users.add_subparsers(dest="users_action", required=True)
    ucreate = uc.add_parser("create", help="create or update a User; --manages replaces its companies")
    ucreate.add_argument("id")
    ucreate.add_argument("--manages", nargs="*", default=[], metavar="COMPANY_ID")
    ucreate.add_argument("--name")


async def run_auth_command(graph: Graph, args: argparse.Namespace, console: Console | None = None) -> int:
    """Run a parsed `keys`/`users` command: 0 on success, 1 when refused (the reason printed)."""
    console = console or Console()
    settings = SecuritySettings()
    try:
        if args.command == "keys" and args.keys_action == "create":
            return await keys_create(graph, args.role, args.name, args.scope, args.user, settings.pepper, console)
        if args.command == "keys" and args.keys_action == "list":
            return await keys_list(graph, console)
        if args.command == "keys" and args.keys_action == "revoke":
            return await keys_revoke(graph, args.id, console)
        if args.command == "users" and args.users_action == "create":
            return await users_create(graph, args.id, args.manages, args.name, console)
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/red]", highlight=False)
        return 1
    raise AssertionError(f"unhandled command {args.command}")


def _actor() -> auth.Principal:
    return auth.cli_principal(getpass.getuser())


async def keys_create(graph: Graph, role: str, name: str, scope: str | None, user: str | None,
                      pepper: bytes | None, console: Console) -> int:
    """Create a key and print it once."""
    try:
        meta, key = await auth.create_key(graph, role=role, name=name, scope=scope, user_id=user, pepper=pepper)
    except DomainError as exc:
        await audit.record(graph, _actor(), "key.create", [], outcome=audit.outcome_of(exc))
        raise
    await audit.record(graph, _actor(), "key.create", [meta.id], rows=1)
    console.print(f"created {meta.role} key {meta.id} ({meta.name}). It is shown only now; keep it safe:")
    print(key, flush=True)  # plain stdout, so scripts can capture it
    return 0


async def keys_list(graph: Graph, console: Console) -> int:
    """Print every key's metadata."""
    keys = await auth.list_keys(graph)
    await audit.record(graph, _actor(), "key.list", [], rows=len(keys))
    table = Table("id", "name", "role", "scope", "user", "created", "revoked")
    for k in keys:
        table.add_row(k.id, k.name, k.role, k.scope or "", k.user_id or "", f"{k.created_at:%Y-%m-%d %H:%M}",
                      f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "")
    console.print(table)
    return 0


async def keys_revoke(graph: Graph, key_id: str, console: Console) -> int:
    """Revoke a key."""
    try:
        meta = await auth.revoke_key(graph, key_id)
    except DomainError as exc:
        await audit.record(graph, _actor(), "key.revoke", [key_id], outcome=audit.outcome_of(exc))
        raise
    await audit.record(graph, _actor(), "key.revoke", [key_id], rows=1)
    console.print(f"revoked key {meta.id} ({meta.name}) at {meta.revoked_at:%Y-%m-%d %H:%M:%S} UTC")
    return 0


async def users_create(graph: Graph, user_id: str, manages: list[str], name: str | None, console: Console) -> int:
    """Create or update a User and the companies it manages."""
    try:
        count = await auth.upsert_user(graph, user_id, manages, name=name)
    except DomainError as exc:
        await audit.record(graph, _actor(), "user.upsert", [user_id], outcome=audit.outcome_of(exc))
        raise
    await audit.record(graph, _actor(), "user.upsert", [user_id, *manages], rows=count)
    console.print(f"user {user_id} manages {count} compan{'y' if count == 1 else 'ies'}")
    return 0
