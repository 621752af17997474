"""Shared by the fault and security tests: feeds built at test time, cycles, warehouse checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import duckdb

from .conftest import DATA, query, warehouse_of  # noqa: F401 - re-exported to the fault tests

FAULTS = DATA / "faults"

# Natural keys of every table a cycle writes; a crash and rerun must never repeat one.
NATURAL_KEYS = {
    "feeds": "url",
    "articles": "url",
    "article_failures": "url",
    "article_figures": "article_url, start_offset, end_offset, kind",
    "contradiction_records": "id",
    "contradiction_members": "contradiction_id, article_url, start_offset, end_offset, kind",
    "outbox": "contradiction_id, email",
    "subscribers": "email",
    "runs": "run_id",
}


def rss(title: str, links: list[str], encoding: str = "utf-8") -> bytes:
    """A small RSS 2.0 feed with one item per link, declared in `encoding`."""
    items = "".join(
        f"<item><title>{escape(title)} #{i}</title><link>{escape(link)}</link>"
        f"<guid>{escape(link)}</guid></item>"
        for i, link in enumerate(links, 1)
    )
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        f'<rss version="2.0"><channel><title>{escape(title)}</title>{items}</channel></rss>'
    ).encode(encoding)


def run_cycle(config: Path) -> dict[str, Any]:
    """One real poll cycle as a Prefect flow run (needs the `prefect_harness` fixture)."""
    from flows.poll_feeds import poll_feeds

    result: dict[str, Any] = poll_feeds(config_path=str(config))
    return result


def feed_rows(config: Path) -> dict[str, tuple[Any, ...]]:
    """name -> (last_status, last_http_status, last_error, title)."""
    rows = query(config, "SELECT name, last_status, last_http_status, last_error, title FROM feeds")
    return {r[0]: r[1:] for r in rows}


def dump_warehouse(path: Path) -> str:
    """Every row of every table and view, as text, for searching."""
    out: list[str] = []
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables ORDER BY table_name"
            ).fetchall()
        ]
        for name in names:
            relation = con.table(name)  # a relation by name: no SQL text built here
            out.append(f"== {name}")
            out += [repr(row) for row in relation.fetchall()]
    return "\n".join(out)


def duplicate_keys(path: Path) -> dict[str, int]:
    """Tables whose natural key repeats, with how many extra rows they hold."""
    found: dict[str, int] = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for table, key in NATURAL_KEYS.items():
            relation = con.table(table)
            total = len(relation.fetchall())
            distinct = len(relation.aggregate(key, key).fetchall())
            if total != distinct:
                found[table] = total - distinct
    return found
