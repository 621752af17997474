"""Grow a warehouse to N articles quickly, through the pipeline's own write and compare paths.

The articles are stories of the bench's generator (text only: trafilatura's
cost is what the cycles measure, not what filling needs), their figures come
from the real extractor, and they are written by `save_cycle` and compared by
`detect_and_queue` in batches, as cycles would have done, so the warehouse
also holds their runs, contradictions and queued alerts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.alerts.cycle import detect_and_queue
from monitor.alerts.deliver import deliver_pending
from monitor.articles import ExtractedArticle
from monitor.bench.stories import article_paragraphs, headline, story
from monitor.config import Config
from monitor.cycle import summarize
from monitor.figures import extract_figures
from monitor.polling import PendingArticle
from monitor.processing import ProcessedArticle
from monitor.store import save_cycle, start_run
from monitor.warehouse import open_warehouse

PREFILL_STORIES_FROM = 2_000_000
OUTLETS = 3
BATCH = 500


def article_count(config: Config) -> int:
    with open_warehouse(config.warehouse.path) as con:
        row = con.execute("SELECT count(*) FROM articles").fetchone()
    return int(row[0]) if row else 0


def prefill(config: Config, target: int) -> int:
    """Add generated articles until the warehouse holds `target`; return how many were added."""
    have = article_count(config)
    feed_url = config.feeds[0].url
    added = 0
    while have + added < target:
        size = min(BATCH, target - have - added)
        batch = [_article(have + added + i, feed_url) for i in range(size)]
        now = datetime.now(UTC)
        run_id = f"prefill-{have + added}"
        with open_warehouse(config.warehouse.path) as con:
            start_run(con, run_id, None, now)
            save_cycle(con, summarize(run_id, [], batch), [], batch, 3, now)
        detect_and_queue(config, [p.article.url for p in batch])
        deliver_pending(config)  # as a cycle would: no backlog left for the measured cycle
        added += size
    return added


def _article(k: int, feed_url: str) -> ProcessedArticle:
    number, outlet = PREFILL_STORIES_FROM + k // OUTLETS, k % OUTLETS
    s = story(number)
    url = f"https://prefill.example/s{number}-o{outlet}.html"
    text = "\n\n".join(article_paragraphs(s, outlet))
    published = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=k)
    pending = PendingArticle(url, feed_url, f"Prefill Outlet {outlet}", url, headline(s, outlet))
    extracted = ExtractedArticle(
        text, headline(s, outlet), None, published.date().isoformat(), None
    )
    return ProcessedArticle(pending, extracted, extract_figures(text))
