"""Read-only views of the warehouse for people at a terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from monitor.warehouse import open_warehouse

_FIGURE_COLUMNS = [
    "subject",
    "metric",
    "value",
    "value_high",
    "unit",
    "chip",
    "qualifier",
    "confidence",
    "outlet",
    "published_at",
    "article_url",
    "quote",
]


def print_figures(
    path: Path, subject: str | None, fmt: str, out: TextIO, limit: int | None = None
) -> int:
    """Print stored figures (newest article first), optionally only subjects matching a glob."""
    sql = f"SELECT {', '.join(_FIGURE_COLUMNS)} FROM figures"
    params: list[object] = []
    if subject:
        sql += " WHERE subject ILIKE ? OR subject GLOB ?"
        params += [subject, subject]
    sql += " ORDER BY published_at DESC NULLS LAST, article_url, start_offset"
    if limit:
        sql += f" LIMIT {int(limit)}"
    with open_warehouse(path, read_only=True) as con:
        rows = con.execute(sql, params).fetchall()
    if fmt == "jsonl":
        for row in rows:
            record = dict(zip(_FIGURE_COLUMNS, row, strict=True))
            record["published_at"] = record["published_at"] and record["published_at"].isoformat()
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    out.write(
        f"{len(rows)} figures"
        + (f" (first {limit})" if limit and len(rows) == limit else "")
        + "\n"
    )
    for row in rows:
        r = dict(zip(_FIGURE_COLUMNS, row, strict=True))
        value = _money(r["value"], r["value_high"])
        chip = f" {r['chip']}" if r["chip"] else ""
        date = r["published_at"].date().isoformat() if r["published_at"] else "----------"
        out.write(
            f"  {date}  {str(r['outlet'])[:22]:22}  {str(r['subject'])[:18]:18}  "
            f"{r['metric']:22}  {r['qualifier']:10}  {value} {r['unit']}{chip}\n"
        )
    return 0


def _money(value: float, high: float | None) -> str:
    def fmt(v: float) -> str:
        return f"{v:,.0f}" if v == int(v) else f"{v:,.4g}"

    return f"{fmt(value)}-{fmt(high)}" if high is not None else fmt(value)
