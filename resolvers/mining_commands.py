"""Command-line glue for mined tags, with progress; the lead wires it into main.py's `tags` command.

    python main.py tags mine value-groups [--key value_group] [--features rfm] [--k-min 3] [--k-max 6] [--seed 7]
    python main.py tags mine influence [--key influencer] [--top 0.05] [--via KNOWS REFERRED]
    python main.py tags mine communities [--key community] [--via KNOWS COLLEAGUE REFERRED] [--seed 7] [--min-size 3]
    python main.py tags mine lookalike --seed-tag vip [--key vip_lookalike] [--features ...] [--top 100]
    python main.py tags train KEY --label L [--negative N] [--features …] [--holdout 0.25] [--seed 7] [--threshold T]

Each mines or trains, then refreshes the tag through the tag engine (run log, history) unless
--no-refresh. Wiring in main.py (build_parser, then main)::

    tags.add_argument("tags_action", choices=["refresh", "install-catalogue", "runs", *MINING_ACTIONS])
    add_mining_arguments(tags)
    ...
    if args.tags_action in MINING_ACTIONS:
        return int(asyncio.run(with_connection(settings, lambda graph: mining_command(graph, args))))

Standalone: `python -m resolvers.mining_commands --data-dir DIR tags train churn_risk --label churned`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.db import Graph
from graph.errors import DomainError
from graph.tag_refresh import refresh_tags

MINING_ACTIONS = ("mine", "train")
MINERS = ("value-groups", "influence", "communities", "lookalike")
BAD_INPUT = 2


def add_mining_arguments(tags: argparse.ArgumentParser) -> None:
    """Add the `tags mine WHAT` / `tags train KEY` arguments to the `tags` parser."""
    tags.add_argument("target", nargs="?", help=f"mine: one of {', '.join(MINERS)}; train: the tag key to train")
    tags.add_argument("--key", help="tag key to define (mine; defaults per miner)")
    tags.add_argument("--label", help="train: customers holding this tag are the positives")
    tags.add_argument("--negative", help="train: customers holding this tag are the negatives (default: all others)")
    tags.add_argument("--features", nargs="+", help="feature groups or columns (rfm activity profile network "
                      "attributes tags, or e.g. monetary, attr:vip_level)")
    tags.add_argument("--holdout", type=float, default=0.25, help="train: holdout fraction")
    tags.add_argument("--seed", type=int, default=7, help="random seed")
    tags.add_argument("--threshold", type=float, help="train: probability threshold (default: best F1 on holdout)")
    tags.add_argument("--k-min", type=int, default=3)
    tags.add_argument("--k-max", type=int, default=6)
    tags.add_argument("--top", type=float, help="influence: top fraction (0.05); lookalike: how many (100)")
    tags.add_argument("--via", nargs="+", help="tie types: KNOWS REFERRED COLLEAGUE")
    tags.add_argument("--min-size", type=int, default=3, help="communities: smallest community to tag")
    tags.add_argument("--resolution", type=float, default=1.0, help="communities: Louvain resolution")
    tags.add_argument("--seed-tag", help="lookalike: the tag whose holders are the seed")
    tags.add_argument("--no-refresh", action="store_true", help="define/train only; do not write assignments")


async def mining_command(graph: Graph, args: argparse.Namespace, console: Console | None = None) -> int:
    """Run `tags mine …` or `tags train …`; return 0, 1 when the refresh failed, 2 on bad input."""
    out = console or Console()
    as_of: datetime | None = getattr(args, "as_of", None)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} rows"),
                      TimeElapsedColumn(), console=out, transient=True) as bar:
            task = bar.add_task("reading customers and ties", total=None)

            def step(n: int) -> None:
                bar.advance(task, n)

            started = time.perf_counter()
            key = await _run(graph, args, as_of, step, out)
        if key is None:
            return BAD_INPUT
        out.print(f"{args.tags_action} {args.target}: {time.perf_counter() - started:.1f}s (reading, fitting, storing)")
        if args.no_refresh:
            return 0
        keys = [key, f"{key}_score"] if args.tags_action == "train" else [key]
        for k in keys:
            report = await refresh_tags(graph, tag=k, as_of=as_of, by="cli")
            done = ", ".join(f"added {r.added}, removed {r.removed}, updated {r.updated}, unchanged {r.unchanged}, "
                             f"{r.seconds:.1f}s" for r in report.tags)
            out.print(f"refresh {report.run_id}: {k} — {report.status}, {done or report.error}")
            if report.error:
                return 1
        return 0
    except DomainError as exc:
        out.print(f"[red]{exc.message}")
        return BAD_INPUT


async def _run(graph: Graph, args: argparse.Namespace, as_of: datetime | None, step: Any, out: Console) -> str | None:
    # Imported here: scikit-learn takes ~1.7 s to import, which every other CLI command would pay.
    from graph.mining.churn import CHURN_FEATURES, CHURN_LABEL, ensure_churn_label
    from graph.mining.lookalike import mine_lookalike
    from graph.mining.network import mine_communities, mine_influence
    from graph.mining.predictive import train_predictive_tag
    from graph.mining.value_groups import mine_value_groups

    if args.tags_action == "train":
        if not args.target or not args.label:
            out.print("[red]usage: tags train KEY --label TAG [--negative TAG] [--features …]")
            return None
        features = args.features
        if args.label == CHURN_LABEL:
            created = await ensure_churn_label(graph, as_of=as_of)
            if created is not None:
                out.print(f"created the label tag {CHURN_LABEL!r} (no interaction in 365 days): run {created.run_id}")
            features = features or CHURN_FEATURES
        t = await train_predictive_tag(graph, args.target, args.label, features, args.holdout, args.seed,
                                       args.negative, args.threshold, as_of=as_of, by="cli", progress=step)
        out.print(f"{t.key} v{t.version}: {t.algorithm}, holdout ROC AUC {t.auc} (logistic {t.baseline_auc}, "
                  f"boosting {t.boosted_auc}); at threshold {t.threshold}: precision {t.precision}, recall {t.recall}; "
                  f"{t.positives} positives, {t.negatives} negatives, {t.holdout} held out, {t.scored} to score")
        table = Table("feature", "importance (AUC drop)")
        for name, value in t.importances[:10]:
            table.add_row(name, f"{value:.4f}")
        out.print(table)
        return t.key
    what = args.target
    if what == "value-groups":
        v = await mine_value_groups(graph, key=args.key or "value_group", features=args.features,
                                    k_range=(args.k_min, args.k_max), seed=args.seed, as_of=as_of, by="cli",
                                    progress=step)
        out.print(f"{v.key} v{v.version}: k = {v.k}; silhouette by k: {v.silhouettes}")
        table = Table("group", "size", "centroid")
        for c in v.clusters:
            table.add_row(c.name, str(c.size), ", ".join(f"{n} {x:g}" for n, x in c.centroid.items()))
        out.print(table)
        return v.key
    if what == "influence":
        i, _ = await mine_influence(graph, key=args.key or "influencer", top=args.top or 0.05, via=args.via,
                                    as_of=as_of, by="cli", progress=step)
        out.print(f"{i.key}: {i.tagged} of {i.customers} customers over {i.ties} ties; top: "
                  + ", ".join(f"#{rank} {cid} ({score}× average)" for cid, rank, score in i.top))
        return i.key
    if what == "communities":
        cm = await mine_communities(graph, key=args.key or "community", via=args.via, seed=args.seed,
                                   resolution=args.resolution, min_size=args.min_size, as_of=as_of, by="cli",
                                   progress=step)
        out.print(f"{cm.key}: {cm.communities} communities of ≥ {args.min_size}, {cm.tagged} of {cm.customers} "
                  "customers tagged; largest: " + ", ".join(f"{n} ({s})" for n, s in cm.sizes[:10]))
        return cm.key
    if what == "lookalike":
        if not args.seed_tag:
            out.print("[red]usage: tags mine lookalike --seed-tag TAG [--key KEY] [--top N]")
            return None
        lk = await mine_lookalike(graph, key=args.key or f"{args.seed_tag}_lookalike", seed_tag=args.seed_tag,
                                  features=args.features, top=int(args.top or 100), as_of=as_of, by="cli",
                                  progress=step)
        out.print(f"{lk.key}: {lk.tagged} customers like the {lk.seeds} holders of {lk.seed_tag!r}; best: "
                  + ", ".join(f"{cid} ~ {seed} ({s})" for cid, seed, s in lk.best))
        return lk.key
    out.print(f"[red]tags mine: expected one of {', '.join(MINERS)}")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry until main.py wires the commands: `--data-dir DIR tags mine|train …`."""
    from graph.connection import Target, connect

    parser = argparse.ArgumentParser(prog="mining_commands")
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--database", default="crm")
    sub = parser.add_subparsers(dest="command", required=True)
    tags = sub.add_parser("tags")
    tags.add_argument("tags_action", choices=MINING_ACTIONS)
    tags.add_argument("--as-of", type=datetime.fromisoformat)
    add_mining_arguments(tags)
    args = parser.parse_args(argv)

    async def go() -> int:
        conn = await connect(Target(uri=None, user="root", password="", database=args.database,
                                    data_dir=args.data_dir, heap="2g"))
        try:
            return await mining_command(conn.graph, args)
        finally:
            await conn.close()

    return asyncio.run(go())


if __name__ == "__main__":
    sys.exit(main())
