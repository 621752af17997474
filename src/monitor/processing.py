"""CPU steps of a cycle: page bytes to article text (trafilatura) to figures.

`process_pages` spreads the pages over a process pool with one worker per
core (monitor.worker_pool): trafilatura and the figure extractor both run in
the worker, so only page bytes go out and articles with their figures come
back. Each page has a hard deadline (`processing.page_timeout`): a page that
makes its worker overrun it is recorded as a failure with reason `timeout`
(and retried on later cycles like any failed page) while the others finish.
`workers = 1` still uses one worker process, so the deadline always holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import trafilatura.meta

from monitor.articles import ExtractedArticle, extract_article
from monitor.config import ProcessingSettings
from monitor.errors import ExtractError
from monitor.figures import Figure, extract_figures
from monitor.polling import FetchedPage, PendingArticle
from monitor.worker_pool import Arrivals, PoolSettings, run_pool

# trafilatura's LRU caches grow with every page; a worker empties them this often.
RESET_CACHES_EVERY = 200


@dataclass(frozen=True)
class ProcessedArticle:
    article: PendingArticle
    extracted: ExtractedArticle | None = None
    figures: list[Figure] = field(default_factory=list)
    reason: str | None = None  # set when the page gave no article
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.extracted is not None


def process_page(page: FetchedPage) -> ProcessedArticle:
    """Extract one fetched page; failures come back as data with a reason."""
    if page.response is None:
        return ProcessedArticle(page.article, reason=page.reason, error=page.error)
    try:
        extracted = extract_article(
            page.response.body, url=page.response.url, content_type=page.response.content_type
        )
    except ExtractError as exc:
        return ProcessedArticle(
            page.article, reason=exc.reason, error=f"{exc} ({page.article.url})"
        )
    return ProcessedArticle(page.article, extracted, extract_figures(extracted.text))


def page_failed(page: FetchedPage, reason: str, detail: str) -> ProcessedArticle:
    """A page whose worker ran out of time (`timeout`), died (`crashed`) or raised (`error`)."""
    what = {"timeout": "extraction took too long", "crashed": "extraction crashed"}
    return ProcessedArticle(
        page.article,
        reason=reason,
        error=f"{what.get(reason, 'extraction failed')}: {detail} ({page.article.url})",
    )


def process_pages_in_process(pages: Sequence[FetchedPage]) -> list[ProcessedArticle]:
    """Extract pages one after another in this process: no pool, no deadline.

    For a process that cannot start children (a Dask worker) and for baselines.
    """
    return [process_page(p) for p in pages]


def pool_size(settings: ProcessingSettings) -> int:
    return settings.workers or len(os.sched_getaffinity(0))


def process_pages(
    pages: Sequence[FetchedPage] | Arrivals[FetchedPage],
    settings: ProcessingSettings | None = None,
    work: Callable[[FetchedPage], ProcessedArticle] = process_page,
) -> list[ProcessedArticle]:
    """Extract every page in a process pool, each under the per-page deadline, in order.

    `pages` may also be `page_arrivals()` that a fetch running meanwhile fills:
    each page is extracted as soon as it is in, and the articles come back in
    order of arrival once it is closed. `work` is the function run on each page
    in a worker (a module-level function; tests pass a slow or crashing one).
    """
    if not isinstance(pages, Arrivals) and not pages:
        return []
    settings = settings or ProcessingSettings()
    pool = PoolSettings(
        workers=pool_size(settings),
        deadline=settings.page_timeout,
        chunk_size=settings.batch_size,
        between=trafilatura.meta.reset_caches,
        every=RESET_CACHES_EVERY,
    )
    return run_pool(pages, work, page_failed, pool)


def page_arrivals() -> Arrivals[FetchedPage]:
    """Pages for `process_pages` while they are being fetched; a page put twice counts once."""
    return Arrivals(key=lambda page: page.article.url)


def page_batches(pages: Sequence[FetchedPage], size: int) -> list[list[FetchedPage]]:
    """Pages in batches of `size`, for one task per batch on a task runner."""
    return [list(pages[i : i + size]) for i in range(0, len(pages), size)]
