"""Export a segment's members to CSV or JSON Lines, in id order, batch by batch.

Customers who have not consented to marketing are left out by default when a
`consent_marketing` customer attribute is registered. `mask_row` is where masking of
personal fields for roles without access happens (the same rules as GraphQL, graph/masking.py).
"""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from graph.db import Graph
from graph.entities import CUSTOMER
from graph.errors import BadInputError
from graph.masking import mask_value, personal_attribute_keys
from graph.rules.catalog import BUILTIN_FIELDS
from graph.segment_members import audience
from graph.segments import Segment, rule_catalog

FORMATS = ("csv", "jsonl")
DEFAULT_COLUMNS = ("id", "name", "email", "phone", "city")
CONSENT = "consent_marketing"
BATCH = 1000


class ExportResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: Path
    format: str
    columns: list[str]
    rows: int
    excluded_without_consent: int


def mask_row(row: dict[str, Any], principal: object | None,
             personal_attributes: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Return the row as principal may see it: personal fields and custom attributes marked personal masked for
    roles without access (graph/masking.py, the rules GraphQL uses)."""
    if principal is None or getattr(principal, "sees_personal", True):
        return row
    masked: dict[str, Any] = mask_value(row, principal, personal_attributes)  # type: ignore[arg-type]
    return masked


def export_path(data_dir: Path, key: str | None, fmt: str, now: datetime | None = None) -> Path:
    """Return a fresh file path under the data directory's exports/ folder."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%f")
    return data_dir / "exports" / f"{key or 'adhoc'}-{stamp}.{fmt}"


def _cell(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


async def export_members(graph: Graph, segment: Segment, out: Path, *, fmt: str = "csv",
                         columns: list[str] | None = None, as_of: datetime | None = None,
                         principal: object | None = None, include_non_consenting: bool = False) -> ExportResult:
    """Write the segment's members to out and return what was written; raise BadInputError for bad options."""
    if fmt not in FORMATS:
        raise BadInputError(f"unknown export format {fmt!r} (expected csv or jsonl)")
    catalog = await rule_catalog(graph)
    custom = catalog.custom.get("customer", {})
    cols = list(columns or DEFAULT_COLUMNS)
    known = set(BUILTIN_FIELDS["customer"]) | set(custom)
    unknown = [c for c in cols if c not in known]
    if unknown or not cols:
        raise BadInputError(f"unknown export column {(unknown or [''])[0]!r} (expected customer fields or attributes: "
                            f"{', '.join(sorted(known))})")
    aud = await audience(graph, segment, as_of)
    sees_personal = principal is None or getattr(principal, "sees_personal", True)
    hidden = frozenset() if sees_personal else await personal_attribute_keys(graph)
    consent = CONSENT in custom and not include_non_consenting
    extra = (f"coalesce(c.{CONSENT}, false) = true AND " if consent else "") + \
        "($export_after IS NULL OR c.id > $export_after)"
    text = f"{aud.match(extra)}\nWITH c ORDER BY c.id LIMIT $export_batch\nRETURN {CUSTOMER.projection('c')} AS props"
    excluded_text = f"{aud.match(f'NOT coalesce(c.{CONSENT}, false) = true')}\nRETURN count(c) AS n"
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    written = 0
    with partial.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore") if fmt == "csv" else None
        if writer is not None:
            writer.writeheader()
        after: str | None = None
        while True:
            rows = await graph.read_text("segment/export", text, {**aud.params, "export_after": after,
                                                                  "export_batch": BATCH})
            for r in rows:
                row = mask_row({c: _cell(r["props"].get(c)) for c in cols}, principal, hidden)
                if writer is not None:
                    writer.writerow(row)
                else:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += len(rows)
            if len(rows) < BATCH:
                break
            after = rows[-1]["props"]["id"]
    os.replace(partial, out)
    excluded = 0
    if consent:
        excluded = int((await graph.read_text("segment/export_excluded", excluded_text, aud.params))[0]["n"])
    return ExportResult(path=out, format=fmt, columns=cols, rows=written, excluded_without_consent=excluded)
