"""What a cycle reads from and writes to the warehouse, in batches.

Everything a cycle learned is written by `save_cycle` in one transaction: feed
state (validators included), articles, figures and failures. A crash before
it leaves the warehouse as the previous cycle left it, so the next cycle
fetches the same entries again; a crash after it leaves nothing to redo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

import duckdb

from monitor.config import FeedSettings, PollingSettings
from monitor.cycle import CycleSummary
from monitor.figures import EXTRACTOR_VERSION, Figure
from monitor.polling import FeedPoll, FeedState, PendingArticle
from monitor.processing import ProcessedArticle
from monitor.schedule import FeedSchedule, after_failure, after_success
from monitor.warehouse import upsert


def feed_states(con: duckdb.DuckDBPyConnection) -> dict[str, FeedState]:
    rows = con.execute(
        "SELECT url, etag, last_modified, consecutive_failures,"
        " next_poll_at, failing_since, retired_at FROM feeds"
    ).fetchall()
    return {r[0]: FeedState(r[1], r[2], r[3], FeedSchedule(*r[4:])) for r in rows}


def feeds_needing_attention(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One line per feed failing for a day or retired as gone, for the run summary."""
    rows = con.execute(
        "SELECT name, health, failing_since, last_error FROM feed_health"
        " WHERE health IN ('failing_for_a_day', 'retired') ORDER BY failing_since, name"
    ).fetchall()
    return [
        f"{name}: {'gone, retired' if health == 'retired' else 'failing'}"
        f" since {since:%Y-%m-%d %H:%M} UTC ({error})"
        for name, health, since, error in rows
    ]


def select_pending(
    con: duckdb.DuckDBPyConnection, polls: Sequence[FeedPoll], max_attempts: int
) -> list[PendingArticle]:
    """Entries not yet stored (by canonical URL or GUID), plus earlier failures to retry."""
    candidates: dict[str, PendingArticle] = {}
    for poll in polls:
        for e in poll.entries:
            candidates.setdefault(
                e.url,
                PendingArticle(
                    e.url, poll.feed.url, poll.feed.outlet_name, e.guid, e.title, e.published
                ),
            )
    known_urls, known_guids = _known(con, list(candidates.values()))
    failures = _failures(con)
    given_up = _given_up(con, list(candidates))
    pending: dict[str, PendingArticle] = {}
    for url, article in candidates.items():
        if url in known_urls or url in given_up or (article.guid and article.guid in known_guids):
            continue
        failed = failures.get(url)
        attempts = failed.attempts if failed else 0
        if attempts < max_attempts:
            pending[url] = replace(article, attempts=attempts)
    # Failures whose entry has left the feed are still retried from what we stored.
    for url, failed in failures.items():
        if url not in pending and url not in known_urls and failed.attempts < max_attempts:
            pending[url] = failed
    return list(pending.values())


def _known(
    con: duckdb.DuckDBPyConnection, articles: list[PendingArticle]
) -> tuple[set[str], set[str]]:
    """URLs and GUIDs among `articles` that the warehouse already holds."""
    rows = con.execute(
        "SELECT url, guid FROM articles"
        " WHERE url IN (SELECT unnest($1)) OR guid IN (SELECT unnest($2))",
        [[a.url for a in articles], [a.guid for a in articles if a.guid]],
    ).fetchall()
    return {r[0] for r in rows}, {r[1] for r in rows if r[1]}


def _failures(con: duckdb.DuckDBPyConnection) -> dict[str, PendingArticle]:
    rows = con.execute(
        "SELECT a.url, a.feed_url, coalesce(f.outlet, a.feed_url), a.guid, a.title,"
        " a.published_at, a.attempts"
        " FROM article_failures a LEFT JOIN feeds f ON f.url = a.feed_url"
        " WHERE NOT a.gave_up"
    ).fetchall()
    return {r[0]: PendingArticle(*r) for r in rows}


def _given_up(con: duckdb.DuckDBPyConnection, urls: list[str]) -> set[str]:
    """Those of `urls` that failed `max_attempts` times: never fetched again from a feed."""
    rows = con.execute(
        "SELECT url FROM article_failures WHERE gave_up AND url IN (SELECT unnest($1))", [urls]
    ).fetchall()
    return {r[0] for r in rows}


def abandon_stale_runs(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Close `running` rows left by runs whose process died; call while holding the writer slot.

    Only one run holds the warehouse at a time, so a `running` row seen by the
    holder belongs to a run that stopped without closing it (killed, machine down).
    Its work is redone by this run: nothing it did was committed half-way.
    """
    rows = con.execute(
        "UPDATE runs SET status = 'failed', finished_at = ?,"
        " errors = list_append(errors, 'abandoned: its process stopped before the run finished')"
        " WHERE status = 'running' RETURNING run_id",
        [now],
    ).fetchall()
    return len(rows)


def register_feeds(con: duckdb.DuckDBPyConnection, feeds: Sequence[FeedSettings]) -> None:
    """Give every configured feed a row; its name and outlet follow the config."""
    upsert(
        con,
        "feeds",
        ["url", "name", "outlet"],
        [(f.url, f.name, f.outlet_name) for f in feeds],
        key=["url"],
        update=["name", "outlet"],
    )


def start_run(
    con: duckdb.DuckDBPyConnection, run_id: str, flow_run_id: str | None, now: datetime
) -> None:
    con.execute(
        "INSERT INTO runs (run_id, flow_run_id, started_at, status) VALUES (?, ?, ?, 'running')"
        " ON CONFLICT (run_id) DO NOTHING",
        [run_id, flow_run_id, now],
    )


def record_alert_counts(con: duckdb.DuckDBPyConnection, s: CycleSummary) -> None:
    con.execute(
        "UPDATE runs SET contradictions_new = ?, contradictions_extended = ?, alerts_queued = ?,"
        " alerts_sent = ?, alerts_deferred = ?, errors = ? WHERE run_id = ?",
        [
            s.contradictions_new,
            s.contradictions_extended,
            s.alerts_queued,
            s.alerts_sent,
            s.alerts_deferred,
            s.errors,
            s.run_id,
        ],
    )


def skip_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    flow_run_id: str | None,
    reason: str,
    now: datetime,
) -> None:
    """Record a run that did nothing because another run held the warehouse."""
    con.execute(
        "INSERT INTO runs (run_id, flow_run_id, started_at, finished_at, status, errors)"
        " VALUES (?, ?, ?, ?, 'skipped', [?]) ON CONFLICT (run_id) DO NOTHING",
        [run_id, flow_run_id, now, now, reason],
    )


def fail_run(con: duckdb.DuckDBPyConnection, run_id: str, error: str, now: datetime) -> None:
    """Close a run that stopped on an unexpected error; its work is redone by the next cycle."""
    con.execute(
        "UPDATE runs SET status = 'failed', finished_at = ?, errors = list_append(errors, ?)"
        " WHERE run_id = ?",
        [now, error, run_id],
    )


def save_cycle(
    con: duckdb.DuckDBPyConnection,
    summary: CycleSummary,
    polls: Sequence[FeedPoll],
    processed: Sequence[ProcessedArticle],
    max_attempts: int,
    now: datetime,
    polling: PollingSettings | None = None,
) -> None:
    """Write everything one cycle learned, in one transaction, and complete its run row."""
    con.execute("BEGIN")
    try:
        _save_feeds(con, polls, polling or PollingSettings(), now)
        _save_articles(con, [p for p in processed if p.ok], now)
        _save_failures(con, [p for p in processed if not p.ok], max_attempts, now)
        _finish_run(con, summary, now)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


_FEED_COLUMNS = [
    "url",
    "name",
    "outlet",
    "title",
    "etag",
    "last_modified",
    "last_polled_at",
    "last_success_at",
    "last_status",
    "last_http_status",
    "last_error",
    "consecutive_failures",
    "next_poll_at",
    "failing_since",
    "retired_at",
]


def _save_feeds(
    con: duckdb.DuckDBPyConnection,
    polls: Sequence[FeedPoll],
    polling: PollingSettings,
    now: datetime,
) -> None:
    before = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT url, title, last_success_at, consecutive_failures,"
            " next_poll_at, failing_since, retired_at FROM feeds"
            " WHERE url IN (SELECT unnest($1))",
            [[p.feed.url for p in polls]],
        ).fetchall()
    }
    rows = []
    for p in polls:
        title, last_success, failures, *schedule = before.get(
            p.feed.url, (None, None, 0, None, None, None)
        )
        failed = p.status == "error"
        if failed:
            next_schedule = after_failure(
                p.feed,
                polling,
                now,
                FeedSchedule(*schedule),
                failures + 1,
                p.http_status,
                p.retry_after,
            )
        else:
            next_schedule = after_success(p.feed, polling, now, p.max_age, p.ttl_minutes)
        rows.append(
            (
                p.feed.url,
                p.feed.name,
                p.feed.outlet_name,
                p.title or title,
                p.etag,
                p.last_modified,
                now,
                last_success if failed else now,
                p.status,
                p.http_status,
                p.error,
                failures + 1 if failed else 0,
                next_schedule.next_poll_at,
                next_schedule.failing_since,
                next_schedule.retired_at,
            )
        )
    upsert(con, "feeds", _FEED_COLUMNS, rows, key=["url"], update=_FEED_COLUMNS[1:])


_ARTICLE_COLUMNS = [
    "url",
    "guid",
    "feed_url",
    "outlet",
    "title",
    "author",
    "published_at",
    "fetched_at",
    "site_name",
    "text",
    "text_hash",
]
_FIGURE_COLUMNS = [
    "article_url",
    "start_offset",
    "end_offset",
    "kind",
    "subject",
    "metric",
    "value",
    "value_high",
    "unit",
    "chip",
    "qualifier",
    "quote",
    "confidence",
    "extractor_version",
    "extracted_at",
]


def _save_articles(
    con: duckdb.DuckDBPyConnection, done: Sequence[ProcessedArticle], now: datetime
) -> None:
    rows = []
    for p in done:
        a, x = p.article, p.extracted
        assert x is not None
        rows.append(
            (
                a.url,
                a.guid,
                a.feed_url,
                a.outlet,
                a.title or x.title,
                x.author,
                a.published or _parse_date(x.published),
                now,
                x.site_name,
                x.text,
                x.text_hash,
            )
        )
    upsert(con, "articles", _ARTICLE_COLUMNS, rows, key=["url"], update=_ARTICLE_COLUMNS[1:])
    replace_figures(con, {p.article.url: p.figures for p in done}, now)
    con.execute(
        "DELETE FROM article_failures WHERE url IN (SELECT unnest($1))", [[r[0] for r in rows]]
    )


def replace_figures(
    con: duckdb.DuckDBPyConnection, figures: Mapping[str, Sequence[Figure]], now: datetime
) -> int:
    """Make these the only figures of those articles, stamped with the current extractor.

    Re-extracting an article therefore replaces its figures, never duplicates them.
    """
    urls = list(figures)
    rows = [
        (url, f.start, f.end, f.kind, f.subject, f.metric, f.value, f.value_high, f.unit,
         f.chip, f.qualifier, f.quote, f.confidence, EXTRACTOR_VERSION, now)
        for url, found in figures.items()
        for f in found
    ]  # fmt: skip
    con.execute("DELETE FROM article_figures WHERE article_url IN (SELECT unnest($1))", [urls])
    upsert(con, "article_figures", _FIGURE_COLUMNS, rows, key=_FIGURE_COLUMNS[:4])
    con.execute(
        "UPDATE articles SET extractor_version = $1 WHERE url IN (SELECT unnest($2))",
        [EXTRACTOR_VERSION, urls],
    )
    return len(rows)


def _save_failures(
    con: duckdb.DuckDBPyConnection,
    failed: Sequence[ProcessedArticle],
    max_attempts: int,
    now: datetime,
) -> None:
    rows = []
    for p in failed:
        a = p.article
        attempts = a.attempts + 1
        rows.append(
            (
                a.url,
                a.guid,
                a.feed_url,
                a.title,
                a.published,
                p.reason or "error",
                p.error or "unknown error",
                attempts,
                now,
                now,
                attempts >= max_attempts,
            )
        )
    columns = [
        "url",
        "guid",
        "feed_url",
        "title",
        "published_at",
        "reason",
        "error",
        "attempts",
        "first_failed_at",
        "last_attempt_at",
        "gave_up",
    ]
    upsert(
        con,
        "article_failures",
        columns,
        rows,
        key=["url"],
        update=["reason", "error", "attempts", "last_attempt_at", "gave_up"],
    )


def _finish_run(con: duckdb.DuckDBPyConnection, s: CycleSummary, now: datetime) -> None:
    con.execute(
        "UPDATE runs SET finished_at = ?, status = 'completed', feeds_polled = ?,"
        " feeds_skipped = ?, feeds_not_modified = ?, feeds_failed = ?, entries_seen = ?,"
        " new_articles = ?, article_errors = ?, figures = ?, errors = ? WHERE run_id = ?",
        [
            now,
            s.feeds_polled,
            s.feeds_skipped,
            s.feeds_not_modified,
            s.feeds_failed,
            s.entries_seen,
            s.new_articles,
            s.article_errors,
            s.figures,
            s.errors,
            s.run_id,
        ],
    )


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
