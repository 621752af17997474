"""Per-feed schedule and backoff: the rules alone, then whole cycles against a real server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from flows.poll_feeds import poll_feeds

from monitor.config import FeedSettings, PollingSettings
from monitor.sample_site import Route, SiteServer
from monitor.schedule import (
    FeedSchedule,
    after_failure,
    after_success,
    cache_seconds,
    is_due,
    retry_after_seconds,
)

from .conftest import SITE_FEEDS, query, write_config

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FEED = FeedSettings(name="F", url="https://news.example/feed.xml")
HOURLY = FeedSettings(name="H", url="https://news.example/h.xml", interval_minutes=60)
POLICY = PollingSettings(backoff_minutes=15, max_backoff_minutes=240, retire_after_days=7)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("max-age=300", 300),
        ("public, max-age=600, must-revalidate", 600),
        ('s-maxage="120"', None),  # not max-age: ignored
        ("s-max-age=90", 90),
        ("no-cache, max-age=600", None),
        ("private", None),
        ("", None),
    ],
)
def test_cache_control_max_age(header: str, seconds: float | None) -> None:
    assert cache_seconds({"cache-control": header}) == seconds


def test_retry_after_as_seconds_or_date() -> None:
    assert retry_after_seconds({"retry-after": "120"}, NOW) == 120
    date = "Mon, 23 Nov 2026 12:30:00 GMT"
    assert retry_after_seconds({"retry-after": date}, NOW) == 1800
    assert retry_after_seconds({"retry-after": "Mon, 23 Nov 2026 11:00:00 GMT"}, NOW) == 0
    assert retry_after_seconds({"retry-after": "soon"}, NOW) is None
    assert retry_after_seconds({}, NOW) is None


def test_success_waits_for_the_longest_of_interval_max_age_and_ttl() -> None:
    assert after_success(FEED, POLICY, NOW, None, None) == FeedSchedule()  # every cycle
    assert after_success(HOURLY, POLICY, NOW, 300, None).next_poll_at == NOW + timedelta(hours=1)
    assert after_success(FEED, POLICY, NOW, 7200, 30).next_poll_at == NOW + timedelta(hours=2)
    assert after_success(FEED, POLICY, NOW, None, 90).next_poll_at == NOW + timedelta(minutes=90)
    # A publisher cannot silence a feed for a year: capped at max_cache_minutes (a day).
    year = after_success(FEED, POLICY, NOW, 365 * 86400, None)
    assert year.next_poll_at == NOW + timedelta(days=1)


def test_failures_back_off_exponentially_up_to_the_cap_and_never_give_up() -> None:
    schedule, waits = FeedSchedule(), []
    for failures in range(1, 9):
        schedule = after_failure(FEED, POLICY, NOW, schedule, failures, 500, None)
        waits.append(None if schedule.next_poll_at is None else schedule.next_poll_at - NOW)
    minutes = [None if w is None else w / timedelta(minutes=1) for w in waits]
    assert minutes == [None, 15, 30, 60, 120, 240, 240, 240]
    assert schedule.failing_since == NOW and schedule.retired_at is None


def test_retry_after_is_honoured_and_capped() -> None:
    one = after_failure(FEED, POLICY, NOW, FeedSchedule(), 1, 429, 600)
    assert one.next_poll_at == NOW + timedelta(minutes=10)
    huge = after_failure(FEED, POLICY, NOW, FeedSchedule(), 1, 503, 10**9)
    assert huge.next_poll_at == NOW + timedelta(minutes=POLICY.max_cache_minutes)


def test_a_feed_gone_for_days_is_retired_and_returns_when_it_answers() -> None:
    week_ago = FeedSchedule(failing_since=NOW - timedelta(days=8))
    gone = after_failure(FEED, POLICY, NOW, week_ago, 30, 410, None)
    assert gone.retired_at == NOW
    assert gone.next_poll_at == NOW + timedelta(minutes=POLICY.max_backoff_minutes)
    recent = after_failure(FEED, POLICY, NOW, FeedSchedule(failing_since=NOW), 2, 404, None)
    assert recent.retired_at is None  # not yet: one bad day is not gone
    assert after_success(FEED, POLICY, NOW, None, None).retired_at is None


def test_due_allows_a_minute_of_schedule_jitter() -> None:
    assert is_due(FeedSchedule(), NOW)
    assert is_due(FeedSchedule(next_poll_at=NOW + timedelta(seconds=30)), NOW)
    assert not is_due(FeedSchedule(next_poll_at=NOW + timedelta(minutes=5)), NOW)


# Whole cycles: real Prefect flow runs against a real local server.


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_cycles_honour_retry_after_max_age_and_report_gone_feeds(
    tmp_path: Path, site: SiteServer
) -> None:
    alpha = site.body_of(site.root / "feeds" / "alpha.rss.xml")
    site.routes["/feeds/cached.xml"] = Route(
        200, alpha, {"Content-Type": "application/rss+xml", "Cache-Control": "max-age=3600"}
    )
    site.routes["/feeds/busy.xml"] = Route(429, b"slow down", {"Retry-After": "900"})
    site.routes["/feeds/gone.xml"] = Route(410, b"gone")
    feeds = [
        ("Cached", "/feeds/cached.xml"),
        ("Busy", "/feeds/busy.xml"),
        ("Gone", "/feeds/gone.xml"),
    ]
    config = write_config(tmp_path / "monitor.toml", site.base, [SITE_FEEDS[1], *feeds])

    first = poll_feeds(config_path=str(config))
    assert (first["feeds_polled"], first["feeds_skipped"], first["feeds_failed"]) == (4, 0, 2)
    assert first["feeds_needing_attention"] == []
    waits = dict(
        query(
            config,
            "SELECT name, round(epoch(next_poll_at - last_polled_at) / 60) FROM feeds",
        )
    )
    assert waits == {"Beta Silicon Wire": None, "Cached": 60, "Busy": 15, "Gone": None}

    # The gone feed has answered 410 for over a week (as if): it is retired and reported.
    with duckdb.connect(str(tmp_path / "monitor.duckdb")) as con:
        con.execute("UPDATE feeds SET failing_since = now() - INTERVAL 8 DAY WHERE name = 'Gone'")
    requests_before = len(site.requests)
    second = poll_feeds(config_path=str(config))
    polled = {path for path, _ in site.requests[requests_before:]}
    assert "/feeds/cached.xml" not in polled and "/feeds/busy.xml" not in polled
    assert "/feeds/gone.xml" in polled and "/feeds/beta.atom.xml" in polled
    assert (second["feeds_polled"], second["feeds_skipped"]) == (2, 2)
    assert len(second["feeds_needing_attention"]) == 1
    assert second["feeds_needing_attention"][0].startswith("Gone: gone, retired since")
    health = dict(query(config, "SELECT name, health FROM feed_health"))
    assert health == {
        "Beta Silicon Wire": "ok",
        "Cached": "ok",
        "Busy": "failing",
        "Gone": "retired",
    }
    assert query(config, "SELECT feeds_skipped FROM runs ORDER BY started_at") == [(0,), (2,)]

    # Failing for a day (not gone): reported too, and the view says so.
    with duckdb.connect(str(tmp_path / "monitor.duckdb")) as con:
        con.execute(
            "UPDATE feeds SET failing_since = now() - INTERVAL 25 HOUR, next_poll_at = NULL"
            " WHERE name = 'Busy'"
        )
    third = poll_feeds(config_path=str(config))
    assert any(line.startswith("Busy: failing since") for line in third["feeds_needing_attention"])
    assert dict(query(config, "SELECT name, health FROM feed_health"))["Busy"] == (
        "failing_for_a_day"
    )
