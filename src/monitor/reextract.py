"""Re-run the figure extractor over stored articles after the extractor changed.

Articles whose figures came from another extractor version (or every article,
with everything=True) get fresh figures; their old ones are replaced in the
same transaction, so nothing is duplicated and a crash leaves the old set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from monitor.contradictions import record
from monitor.figures import EXTRACTOR_VERSION, extract_figures
from monitor.store import replace_figures
from monitor.warehouse import open_warehouse

BATCH = 500  # articles per transaction: the warehouse is released between batches


@dataclass(frozen=True)
class Reextracted:
    articles: int
    figures: int
    contradictions_new: int


def reextract(path: Path, everything: bool = False) -> Reextracted:
    articles = figures = conflicts = 0
    done: set[str] = set()
    while True:
        with open_warehouse(path) as con:
            rows = con.execute(
                "SELECT url, text FROM articles"
                " WHERE ($1 OR extractor_version IS DISTINCT FROM $2)"
                " AND url NOT IN (SELECT unnest($3)) ORDER BY url LIMIT $4",
                [everything, EXTRACTOR_VERSION, sorted(done), BATCH],
            ).fetchall()
            if not rows:
                break
            now = datetime.now(UTC)
            con.execute("BEGIN")
            try:
                figures += replace_figures(con, {u: extract_figures(t) for u, t in rows}, now)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            urls = [u for u, _ in rows]
            conflicts += len(record(con, urls, now).new)
        done.update(urls)
        articles += len(rows)
    return Reextracted(articles, figures, conflicts)
