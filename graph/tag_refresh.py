"""Refresh automatic tags in dependency order, all or nothing, with a run log and history."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph.db import Graph, Tx
from graph.errors import BadInputError
from graph.rules.compiler import CountKey, Measured, count_keys
from graph.rules.timeparse import parse_duration
from graph.segments import rule_catalog
from graph.tag_definition import interaction_statistics
from graph.tag_runs import abort_abandoned_runs, closed, opened, owner
from graph.tags import TagDefinition, list_tags, require_tag

log = logging.getLogger(__name__)

BATCH = 2000
SOURCES = {"RULE": "rule", "STATISTICAL": "statistical", "MINED": "mined"}


@dataclass(frozen=True)
class TagResult:
    """What one refresh did to one tag."""

    key: str
    added: int = 0
    removed: int = 0
    expired: int = 0
    unchanged: int = 0
    updated: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class RefreshReport:
    """A refresh run: its id, time, status (DONE or FAILED), per-tag results and error."""

    run_id: str
    as_of: datetime
    started_at: datetime
    finished_at: datetime
    status: str
    by: str
    tags: list[TagResult] = field(default_factory=list)
    error: str | None = None

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


OnTag = Callable[[TagResult], Awaitable[None] | None]


def dependency_order(tags: list[TagDefinition]) -> list[TagDefinition]:
    """Return tags so that every tag comes after the tags its definition uses (ties by key)."""
    by_key = {t.key: t for t in tags}
    done: set[str] = set()
    out: list[TagDefinition] = []
    pending = sorted(by_key)
    while pending:
        ready = [k for k in pending if all(u in done or u not in by_key for u in by_key[k].uses)]
        if not ready:
            raise BadInputError(f"tag dependency cycle among {', '.join(pending)}")
        for k in ready:
            out.append(by_key[k])
            done.add(k)
        pending = [k for k in pending if k not in done]
    return out


def _with_dependencies(tag: TagDefinition, active: list[TagDefinition]) -> list[TagDefinition]:
    """Return tag and the ACTIVE automatic tags its definition uses, directly or not."""
    by_key = {t.key: t for t in active if t.automatic}
    found = {tag.key: tag}
    stack = list(tag.uses)
    while stack:
        key = stack.pop()
        if key in by_key and key not in found:
            found[key] = by_key[key]
            stack.extend(by_key[key].uses)
    return list(found.values())


async def refresh_tags(graph: Graph, *, tag: str | None = None, as_of: datetime | None = None, by: str = "cli",
                       on_tag: OnTag | None = None) -> RefreshReport:
    """Recompute ACTIVE automatic tags (or `tag` and the ACTIVE automatic tags it uses) at as_of
    in one transaction, tags used by others first; log the run."""
    as_of = (as_of or datetime.now(UTC)).astimezone(UTC)
    if tag is not None:
        one = await require_tag(graph, tag)
        if not one.automatic:
            raise BadInputError(f"tag {tag!r} is {one.kind.lower()}; refresh computes automatic tags only")
        todo = dependency_order(_with_dependencies(one, await list_tags(graph, status="ACTIVE")))
    else:
        todo = dependency_order([t for t in await list_tags(graph, status="ACTIVE") if t.automatic])
    run_id = f"run-{as_of:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    started = datetime.now(UTC)
    await abort_abandoned_runs(graph, started)  # runs left RUNNING by a refresh that died
    opened(run_id)
    try:
        await graph.write("tag/create_tag_run", id=run_id, by=by, started_at=started, as_of=as_of,
                          tags=[t.key for t in todo], **owner())
        return await _run(graph, todo, run_id, started, as_of, by, on_tag)
    finally:
        closed(run_id)


async def _run(graph: Graph, todo: list[TagDefinition], run_id: str, started: datetime, as_of: datetime, by: str,
               on_tag: OnTag | None) -> RefreshReport:
    """Compute the run's tags in one write transaction and close the run with its outcome."""
    catalog = await rule_catalog(graph)

    mined: dict[str, Any] = {}

    async def work(tx: Tx) -> list[TagResult]:
        measured, counts = await _measure_interactions(tx, todo, catalog, as_of)
        results = []
        for t in todo:
            result = await _refresh_one(tx, t, catalog, as_of, by, run_id, mined.get(t.key), measured.get(t.key),
                                        counts)
            results.append(result)
            if on_tag is not None:
                done = on_tag(result)
                if done is not None:
                    await done
        return results

    error: str | None = None
    results: list[TagResult] = []
    try:
        if any(t.kind == "MINED" for t in todo):  # models and graph algorithms run before the write transaction
            from graph.mining.targets import mined_targets

            mined = await mined_targets(graph, [t for t in todo if t.kind == "MINED"], as_of)
        results = await graph.in_transaction(work)
    except Exception as exc:  # the transaction rolled back: record the failure, keep assignments
        error = f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"
        log.warning("tag refresh %s failed: %s", run_id, error)
    report = RefreshReport(run_id, as_of, started, datetime.now(UTC), "FAILED" if error else "DONE", by,
                           results, error)
    await graph.write(
        "tag/finish_tag_run", id=run_id, status=report.status, finished_at=report.finished_at,
        added=sum(r.added for r in results), removed=sum(r.removed + r.expired for r in results),
        unchanged=sum(r.unchanged for r in results), results=json.dumps([asdict(r) for r in results]), error=error,
    )
    return report


async def _measure_interactions(tx: Tx, todo: list[TagDefinition], catalog: Any, as_of: datetime
                                ) -> tuple[dict[str, list[tuple[str, Any]]], Measured]:
    """Measure, in one shared pass over the interactions, the statistical tags over interactions and the
    interaction counts the rule tags test; return (customer id, raw value) per statistical tag key and the
    counts per customer for the rules."""
    stats = [(t.key, st) for t in todo if t.kind == "STATISTICAL"
             and (st := t.parsed(catalog).statistic) is not None and st.over_interactions]
    keys: set[CountKey] = set()
    for t in todo:
        rule = t.parsed(catalog).rule if t.kind == "RULE" else None
        if rule is not None:
            keys |= count_keys(rule, as_of)
    counts = sorted(keys, key=repr)
    if len(stats) + len(counts) < 2:
        return {}, {}  # a single measure is as cheap through its own query
    compiled = interaction_statistics([st for _, st in stats], as_of, counts)
    (row,) = await tx.run_text("tag/refresh/interaction_statistics", compiled.text, compiled.params)
    out: dict[str, list[tuple[str, Any]]] = {key: [] for key, _ in stats}
    measured: Measured = {key: {} for key in counts}
    for values in row["rows"]:
        for k, (key, _) in enumerate(stats, start=1):
            if values[k] is not None:
                out[key].append((values[0], values[k]))
        for k, count in enumerate(counts, start=len(stats) + 1):
            if values[k]:
                measured[count][values[0]] = values[k]
    return out, measured


async def _refresh_one(tx: Tx, tag: TagDefinition, catalog: Any, as_of: datetime, by: str,
                       run_id: str, mined: dict[tuple[str, str], tuple[Any, float]] | None = None,
                       measured: list[tuple[str, Any]] | None = None, counts: Measured | None = None) -> TagResult:
    """Diff one tag's target set (for MINED tags: given, with scores; for statistics: measured if given; rules
    may read interaction counts already measured) against its assignments and apply it."""
    start = time.perf_counter()
    parsed = tag.parsed(catalog)
    source = SOURCES[tag.kind]
    target: dict[tuple[str, str], Any] = {i: v for i, (v, _) in (mined or {}).items()}
    scores: dict[tuple[str, str], float] = {i: s for i, (_, s) in (mined or {}).items()}
    if measured is not None and parsed.statistic is not None:
        for cid, raw in measured:
            value = parsed.statistic.finish(raw, as_of)
            if value is not None:
                target[("customer", cid)] = value
    for entity, compiled in parsed.queries(as_of, counts) if measured is None else ():  # one row listing the holders
        for row in await tx.run_text(f"tag/refresh/{tag.key}", compiled.text, compiled.params):
            if parsed.statistic is not None:
                for cid, raw in row["rows"]:
                    value = parsed.statistic.finish(raw, as_of)
                    if value is not None:
                        target[(entity, cid)] = value
            else:
                target.update(((entity, cid), None) for cid in row["ids"])
    if parsed.contacts is not None:  # the current employees of the companies just matched (same as parsed.contacts)
        companies = [i for e, i in target if e == "company"]
        for row in await tx.run("tag/get_contacts", ids=companies, today=as_of.date()):
            target.update((("customer", cid), None) for cid in row["ids"])
    expires = parse_duration(tag.valid_for).after(as_of) if tag.valid_for else None
    # Assignments that still hold with the same value (and no new score) are renewed in the database in one
    # pass; only the others come back to be diffed here.
    holds: dict[str, dict[str, bool]] = {"customer": {}, "company": {}}
    values: dict[str, dict[str, Any]] = {"customer": {}, "company": {}}
    for (entity, ident_id), value in target.items():
        if scores.get((entity, ident_id)) is None:
            holds[entity][ident_id] = True
            if value is not None:
                values[entity][ident_id] = value
    (current,) = await tx.run("tag/renew_unchanged", key=tag.key, customers=holds["customer"],
                              companies=holds["company"], customer_values=values["customer"],
                              company_values=values["company"], at=as_of, expires_at=expires, run_id=run_id)
    seen: set[tuple[str, str]] = {("customer", i) for i in current["renewed_customers"]}
    seen.update(("company", i) for i in current["renewed_companies"])
    adds, renews, removes = [], [], []
    expired = updated = 0
    unchanged = len(seen)
    for entity, ident_id, source_, is_expired, value in current["others"]:
        ident = (entity, ident_id)
        seen.add(ident)
        if source_ == "manual":
            continue  # manual assignments are never touched by a refresh
        if ident in target and not is_expired:
            changed = value != target[ident]
            renews.append({"entity": ident[0], "id": ident[1], "value": target[ident], "changed": changed,
                           "score": scores.get(ident)})
            updated += changed
            unchanged += not changed
        elif ident in target:  # expired but matching again: the old one expires, a new one starts
            removes.append({"entity": ident[0], "id": ident[1], "action": "expire"})
            adds.append(_add_row(ident, target[ident], scores.get(ident, parsed.score)))
            expired += 1
        elif parsed.rule is not None or parsed.statistic is not None or mined is not None or is_expired:
            removes.append({"entity": ident[0], "id": ident[1], "action": "expire" if is_expired else "remove"})
            expired += is_expired
    adds += [_add_row(i, v, scores.get(i, parsed.score)) for i, v in sorted(target.items(), key=lambda kv: kv[0]) if i not in seen]
    common = {"key": tag.key, "at": as_of, "by": by, "run_id": run_id}
    for rows in _batches(removes):
        await tx.run("tag/remove_assignments", rows=rows, **common)
    for rows in _batches(renews):
        await tx.run("tag/renew_assignments", rows=rows, expires_at=expires, **common)
    for rows in _batches(adds):
        await tx.run("tag/add_assignments", rows=rows, source=source, expires_at=expires, **common)
    removed = sum(1 for r in removes if r["action"] == "remove")
    return TagResult(tag.key, len(adds), removed, expired, unchanged, updated, round(time.perf_counter() - start, 3))


def _add_row(ident: tuple[str, str], value: Any, score: float) -> dict[str, Any]:
    return {"entity": ident[0], "id": ident[1], "value": value, "score": score}


def _batches(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i:i + BATCH] for i in range(0, len(rows), BATCH)]


async def list_runs(graph: Graph, limit: int = 20) -> list[dict[str, Any]]:
    """Return the most recent refresh runs, newest first, with per-tag results decoded."""
    runs = [r["run"] for r in await graph.read("tag/list_tag_runs", limit=limit)]
    for run in runs:
        run["results"] = json.loads(run.get("results") or "[]")
    return runs
