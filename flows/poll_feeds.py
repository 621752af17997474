"""The poll cycle as a Prefect flow: each task is a thin call into monitor's library.

Network steps and CPU steps are separate tasks so either can be retried or
moved to another runner alone; the warehouse is opened only for short batches.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from monitor import polling
from monitor.alerts.cycle import detect_and_queue
from monitor.alerts.deliver import deliver_pending
from monitor.config import Config, load_config
from monitor.cycle import CycleSummary, summarize
from monitor.polling import FeedPoll, FeedState, FetchedPage, PendingArticle
from monitor.processing import ProcessedArticle, process_pages
from monitor.store import (
    fail_run,
    feed_states,
    record_alert_counts,
    register_feeds,
    save_cycle,
    select_pending,
    start_run,
)
from monitor.warehouse import open_warehouse


@task(name="open-run", cache_policy=NO_CACHE)
def open_run(config: Config, run_id: str) -> dict[str, FeedState]:
    with open_warehouse(config.warehouse.path) as con:
        register_feeds(con, config.feeds)
        start_run(con, run_id, flow_run.get_id(), datetime.now(UTC))
        return feed_states(con)


@task(name="poll-feeds", cache_policy=NO_CACHE)
def poll_all_feeds(config: Config, states: dict[str, FeedState]) -> list[FeedPoll]:
    return asyncio.run(polling.poll_feeds(config.http, config.feeds, states))


@task(name="select-new-entries", cache_policy=NO_CACHE)
def select_new_entries(config: Config, polls: list[FeedPoll]) -> list[PendingArticle]:
    with open_warehouse(config.warehouse.path) as con:
        return select_pending(con, polls, config.articles.max_attempts)


@task(name="fetch-pages", cache_policy=NO_CACHE)
def fetch_article_pages(config: Config, pending: list[PendingArticle]) -> list[FetchedPage]:
    return asyncio.run(polling.fetch_pages(config.http, pending))


@task(name="extract-articles", cache_policy=NO_CACHE)
def extract_articles(pages: list[FetchedPage]) -> list[ProcessedArticle]:
    return process_pages(pages)


@task(name="store-cycle", cache_policy=NO_CACHE)
def store_cycle(
    config: Config, run_id: str, polls: list[FeedPoll], processed: list[ProcessedArticle]
) -> dict[str, Any]:
    summary = summarize(run_id, polls, processed)
    with open_warehouse(config.warehouse.path) as con:
        save_cycle(con, summary, polls, processed, config.articles.max_attempts, datetime.now(UTC))
    return summary.as_dict()


@task(name="detect-contradictions", cache_policy=NO_CACHE)
def detect_contradictions(config: Config, article_urls: list[str]) -> dict[str, int]:
    return detect_and_queue(config, article_urls)


@task(name="deliver-alerts", cache_policy=NO_CACHE)
def deliver_alerts_now(config: Config) -> dict[str, Any]:
    """Send what is queued; a mail server that is down leaves it queued for the next run."""
    return deliver_pending(config).as_dict()


@task(name="close-run", cache_policy=NO_CACHE)
def close_run(
    config: Config, summary: dict[str, Any], alerts: dict[str, int], delivery: dict[str, Any]
) -> dict[str, Any]:
    result = CycleSummary(
        **{
            **summary,
            **alerts,
            "alerts_sent": delivery["sent"],
            "alerts_deferred": delivery["deferred"],
            "delivered_to": delivery["delivered_to"],
            "errors": summary["errors"] + [f"alert: {e}" for e in delivery["errors"]],
        }
    )
    with open_warehouse(config.warehouse.path) as con:
        record_alert_counts(con, result)
    return result.as_dict()


@task(name="mark-run-failed", cache_policy=NO_CACHE)
def mark_run_failed(config: Config, run_id: str, error: str) -> None:
    with open_warehouse(config.warehouse.path) as con:
        fail_run(con, run_id, error, datetime.now(UTC))


@flow(name="poll_feeds", log_prints=False)
def poll_feeds(config_path: str = "monitor.toml") -> dict[str, Any]:
    """One poll cycle: feeds, new articles, figures, stored in the warehouse."""
    logger = get_run_logger()
    config = load_config(Path(config_path))
    run_id = str(flow_run.get_id() or uuid.uuid4())
    states = open_run(config, run_id)
    try:
        polls = poll_all_feeds(config, states)
        pending = select_new_entries(config, polls)
        pages = fetch_article_pages(config, pending)
        processed = extract_articles(pages)
        summary = store_cycle(config, run_id, polls, processed)
        alerts = detect_contradictions(config, [p.article.url for p in processed if p.ok])
        delivery = deliver_alerts_now(config)
        summary = close_run(config, summary, alerts, delivery)
    except Exception as exc:
        mark_run_failed(config, run_id, f"{type(exc).__name__}: {exc}")
        raise
    logger.info(
        "cycle done: %d feeds polled, %d not modified, %d failed; %d new articles, "
        "%d article errors, %d figures; %d new contradictions; %d alerts sent",
        summary["feeds_polled"],
        summary["feeds_not_modified"],
        summary["feeds_failed"],
        summary["new_articles"],
        summary["article_errors"],
        summary["figures"],
        summary["contradictions_new"],
        summary["alerts_sent"],
    )
    return summary
