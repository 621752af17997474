"""When to poll each feed next: its interval, what the server asked for, and backoff.

Plain functions of a poll's outcome and the clock, so the rules are tested
without a server. A feed with no interval and nothing asked of us is due on
every cycle; the deployment's schedule is then its interval.

- After a success (200 or 304): not before the feed's own interval, nor before
  `Cache-Control: max-age` or the RSS `<ttl>` runs out (capped, so a publisher
  cannot silence a feed for a year).
- After a failure: the first one costs nothing extra; from the second in a row
  the wait doubles each time (`backoff_minutes`, 2x, 4x, ... up to
  `max_backoff_minutes`). A feed is never given up: at worst it is tried once
  per `max_backoff_minutes`. `Retry-After` on a 429 or 503 is honoured (capped).
- A feed answering 404 or 410 for `retire_after_days` is retired: reported as
  gone in every run summary and in `feed_health`, still tried at the longest
  backoff, and back in service the first time it answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from monitor.config import FeedSettings, PollingSettings

# A feed whose next poll is this close is polled now, so a feed with a
# 15-minute interval on a 15-minute schedule does not slip to every 30 minutes.
DUE_SLACK = timedelta(minutes=1)
GONE_STATUSES = frozenset({404, 410})
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.IGNORECASE)


@dataclass(frozen=True)
class FeedSchedule:
    """What the warehouse keeps between cycles to decide when a feed is due."""

    next_poll_at: datetime | None = None
    failing_since: datetime | None = None
    retired_at: datetime | None = None


def is_due(schedule: FeedSchedule, now: datetime) -> bool:
    return schedule.next_poll_at is None or schedule.next_poll_at <= now + DUE_SLACK


def cache_seconds(headers: dict[str, str]) -> float | None:
    """Seconds `Cache-Control: max-age` lets us reuse the answer; None when it says nothing."""
    value = headers.get("cache-control", "")
    if _NO_CACHE.search(value):
        return None
    match = _MAX_AGE.search(value)
    return float(match.group(1)) if match else None


def retry_after_seconds(headers: dict[str, str], now: datetime) -> float | None:
    """`Retry-After` as seconds from now: delta-seconds or an HTTP date; None if absent or bad."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def after_success(
    feed: FeedSettings,
    settings: PollingSettings,
    now: datetime,
    max_age: float | None,
    ttl_minutes: float | None,
) -> FeedSchedule:
    waits = [
        (feed.interval_minutes or 0) * 60,
        min(max_age or 0, settings.max_cache_minutes * 60),
        min((ttl_minutes or 0) * 60, settings.max_cache_minutes * 60),
    ]
    wait = max(waits)
    return FeedSchedule(next_poll_at=now + timedelta(seconds=wait) if wait > 0 else None)


def after_failure(
    feed: FeedSettings,
    settings: PollingSettings,
    now: datetime,
    previous: FeedSchedule,
    failures: int,
    http_status: int | None,
    retry_after: float | None,
) -> FeedSchedule:
    """The schedule after the `failures`-th failure in a row (counting this one)."""
    failing_since = previous.failing_since or now
    longest = settings.max_backoff_minutes * 60
    if failures <= 1:
        wait = (feed.interval_minutes or 0) * 60
    else:
        base = max(settings.backoff_minutes, feed.interval_minutes or 0) * 60
        wait = base * 2.0 ** min(failures - 2, 32)
    wait = min(wait, longest)
    if retry_after is not None:
        wait = max(wait, min(retry_after, settings.max_cache_minutes * 60))
    retired_at = previous.retired_at
    gone = http_status in GONE_STATUSES
    if gone and now - failing_since >= timedelta(days=settings.retire_after_days):
        retired_at = retired_at or now
    if not gone:
        retired_at = None
    if retired_at is not None:
        wait = longest
    return FeedSchedule(
        next_poll_at=now + timedelta(seconds=wait) if wait > 0 else None,
        failing_since=failing_since,
        retired_at=retired_at,
    )
