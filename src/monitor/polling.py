"""Network steps of a cycle: conditional GET of feeds, GET of article pages.

Each function returns data describing what happened, failures included; none
raises for a single feed or page, so one bad source never stops the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

from monitor.config import FeedSettings, HttpSettings
from monitor.errors import FeedError, FetchError, HttpStatusError
from monitor.feeds import FeedEntry, parse_feed
from monitor.fetch import Fetcher, Response
from monitor.schedule import FeedSchedule, cache_seconds, is_due, retry_after_seconds


@dataclass(frozen=True)
class FeedState:
    """What the warehouse remembers of a feed between cycles."""

    etag: str | None = None
    last_modified: str | None = None
    consecutive_failures: int = 0
    schedule: FeedSchedule = field(default_factory=FeedSchedule)


@dataclass(frozen=True)
class FeedPoll:
    """The outcome of polling one feed."""

    feed: FeedSettings
    status: str  # ok | not_modified | error
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    error: str | None = None  # the failure, or a warning on an ill-formed but usable feed
    max_age: float | None = None  # Cache-Control max-age, seconds
    ttl_minutes: float | None = None  # the feed's own <ttl>
    retry_after: float | None = None  # Retry-After on a 429/503, seconds


@dataclass(frozen=True)
class PendingArticle:
    """A feed entry whose page we still need."""

    url: str
    feed_url: str
    outlet: str
    guid: str | None = None
    title: str | None = None
    published: datetime | None = None
    attempts: int = 0  # failed tries so far


@dataclass(frozen=True)
class FetchedPage:
    article: PendingArticle
    response: Response | None = None
    reason: str | None = None  # set when the fetch failed
    error: str | None = None


def conditional_headers(state: FeedState) -> dict[str, str]:
    headers = {
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
    }
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


async def poll_feed(fetcher: Fetcher, feed: FeedSettings, state: FeedState) -> FeedPoll:
    """Conditional GET of one feed and, unless 304, parse its entries."""
    # A failed fetch keeps the stored validators; they are still right for the next try.
    failed = partial(FeedPoll, feed, "error", etag=state.etag, last_modified=state.last_modified)
    try:
        response = await fetcher.get(feed.url, conditional_headers(state))
    except HttpStatusError as exc:
        wait = retry_after_seconds(exc.headers, datetime.now(UTC))
        note = f" (Retry-After {wait:g} s)" if wait is not None else ""
        return failed(http_status=exc.status, error=f"{exc}{note}", retry_after=wait)
    except FetchError as exc:
        return failed(error=f"{exc.reason}: {exc}")
    etag = response.headers.get("etag", state.etag)
    last_modified = response.headers.get("last-modified", state.last_modified)
    max_age = cache_seconds(response.headers)
    if response.status == 304:
        return FeedPoll(feed, "not_modified", 304, etag, last_modified, max_age=max_age)
    try:
        # Parsing is CPU work: off the event loop, so a big feed cannot stall the
        # deadlines of the fetches still in flight.
        parsed = await asyncio.to_thread(parse_feed, response.body, response.url, response.headers)
    except FeedError as exc:
        # Keep no validators: the next cycle must fetch the body again.
        return FeedPoll(feed, "error", http_status=response.status, error=f"feed_error: {exc}")
    return FeedPoll(
        feed,
        "ok",
        http_status=response.status,
        title=parsed.title,
        entries=parsed.entries,
        error=parsed.warning,
        etag=etag,
        last_modified=last_modified,
        max_age=max_age,
        ttl_minutes=parsed.ttl_minutes,
    )


def due_feeds(
    feeds: list[FeedSettings], states: dict[str, FeedState], now: datetime
) -> tuple[list[FeedSettings], list[FeedSettings]]:
    """Split the configured feeds into those due now and those still waiting."""
    due: list[FeedSettings] = []
    waiting: list[FeedSettings] = []
    for feed in feeds:
        state = states.get(feed.url, FeedState())
        (due if is_due(state.schedule, now) else waiting).append(feed)
    return due, waiting


async def poll_feeds(
    settings: HttpSettings, feeds: list[FeedSettings], states: dict[str, FeedState]
) -> list[FeedPoll]:
    """Poll every feed concurrently (bounded per host by the Fetcher)."""
    async with Fetcher(settings) as fetcher:
        return list(
            await asyncio.gather(
                *(poll_feed(fetcher, f, states.get(f.url, FeedState())) for f in feeds)
            )
        )


async def fetch_page(fetcher: Fetcher, article: PendingArticle) -> FetchedPage:
    try:
        response = await fetcher.get(article.url, {"Accept": "text/html,application/xhtml+xml"})
    except FetchError as exc:
        return FetchedPage(article, reason=exc.reason, error=str(exc))
    return FetchedPage(article, response=response)


async def fetch_pages(
    settings: HttpSettings,
    articles: list[PendingArticle],
    on_page: Callable[[FetchedPage], None] | None = None,
) -> list[FetchedPage]:
    """Every article's page, in order; `on_page` gets each one as soon as it is in."""

    async def fetch(fetcher: Fetcher, article: PendingArticle) -> FetchedPage:
        page = await fetch_page(fetcher, article)
        if on_page is not None:
            on_page(page)
        return page

    async with Fetcher(settings) as fetcher:
        return list(await asyncio.gather(*(fetch(fetcher, a) for a in articles)))
