"""The poll cycle as a Prefect flow: each task is a thin call into monitor's library.

Network steps and CPU steps are separate tasks so either can be retried or
moved to another runner alone; only the network steps retry, with backoff.
The warehouse is opened only for short batches, and the whole run holds the
warehouse's writer limit (flows/writer_guard.py) so two runs never interleave.
Each run ends with one summary log line and two Prefect artifacts: a markdown
summary and a table of the contradictions it found.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from flows.writer_guard import WarehouseBusy, one_writer
from monitor import polling
from monitor.alerts.cycle import detect_and_queue
from monitor.alerts.deliver import deliver_pending
from monitor.config import Config, load_config
from monitor.contradictions import load_contradictions
from monitor.cycle import CycleSummary, summarize
from monitor.polling import FeedPoll, FeedState, FetchedPage, PendingArticle
from monitor.processing import (
    ProcessedArticle,
    page_arrivals,
    page_batches,
    process_pages,
    process_pages_in_process,
)
from monitor.store import (
    abandon_stale_runs,
    fail_run,
    feed_states,
    feeds_needing_attention,
    record_alert_counts,
    register_feeds,
    save_cycle,
    select_pending,
    skip_run,
    start_run,
)
from monitor.warehouse import open_warehouse
from monitor.worker_pool import Arrivals, start_forkserver

T = TypeVar("T")


def as_is(value: T) -> T:
    """`value` for a task argument that Prefect must not walk (see `_cycle`).

    Prefect hands the task the value itself; the cast only tells the type checker so.
    """
    return cast(T, quote(value))


@task(name="open-run", cache_policy=NO_CACHE)
def open_run(config: Config, run_id: str) -> dict[str, FeedState]:
    with open_warehouse(config.warehouse.path) as con:
        abandon_stale_runs(con, datetime.now(UTC))  # we hold the writer slot: they are dead
        register_feeds(con, config.feeds)
        start_run(con, run_id, flow_run.get_id(), datetime.now(UTC))
        return feed_states(con)


# Network steps: a whole-step failure (not one bad feed or page, which is data)
# is retried with backoff before the run fails.
NETWORK_RETRIES = 2
NETWORK_BACKOFF = exponential_backoff(backoff_factor=5)


@task(
    name="poll-feeds",
    cache_policy=NO_CACHE,
    retries=NETWORK_RETRIES,
    retry_delay_seconds=NETWORK_BACKOFF,
)
def poll_all_feeds(config: Config, states: dict[str, FeedState]) -> list[FeedPoll]:
    return asyncio.run(polling.poll_feeds(config.http, config.feeds, states))


@task(name="select-new-entries", cache_policy=NO_CACHE)
def select_new_entries(config: Config, polls: list[FeedPoll]) -> list[PendingArticle]:
    with open_warehouse(config.warehouse.path) as con:
        return select_pending(con, polls, config.articles.max_attempts)


@task(
    name="fetch-pages",
    cache_policy=NO_CACHE,
    retries=NETWORK_RETRIES,
    retry_delay_seconds=NETWORK_BACKOFF,
)
def fetch_article_pages(
    config: Config,
    pending: list[PendingArticle],
    arrivals: Arrivals[FetchedPage] | None = None,
) -> list[FetchedPage]:
    """Every pending article's page; each also goes to `arrivals` the moment it is in."""
    on_page = arrivals.put if arrivals is not None else None
    return asyncio.run(polling.fetch_pages(config.http, pending, on_page))


@task(name="extract-articles", cache_policy=NO_CACHE)
def extract_articles(
    config: Config, pages: list[FetchedPage] | Arrivals[FetchedPage]
) -> list[ProcessedArticle]:
    """Every page in this machine's process pool, each under `processing.page_timeout`."""
    return process_pages(pages, config.processing)


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(pages: list[FetchedPage]) -> list[ProcessedArticle]:
    """One batch, wherever the task runner puts it (a Dask worker extracts it in-process)."""
    return process_pages_in_process(pages)


def fetch_and_extract(config: Config, pending: list[PendingArticle]) -> list[ProcessedArticle]:
    """The new pages, fetched and extracted, in the order of `pending`.

    With the process pool on the flow's own thread-pool task runner, the two
    tasks run at once: `extract-articles` hands each page to an idle worker as
    soon as `fetch-pages` has it, so the pool is busy while the rest download.
    A page put twice (a retried fetch) is extracted once. With `processing.runner
    = "task_runner"` (say Dask: `poll_feeds.with_options(task_runner=...)`), the
    pages are fetched first, then extracted one task per batch on that runner.
    """
    if not pending:
        return []
    if config.processing.runner == "task_runner":
        pages = fetch_article_pages(as_is(config), as_is(pending))
        batches = extract_batch.map(page_batches(pages, config.processing.batch_size))
        return [p for batch in batches.result() for p in batch]
    context = FlowRunContext.get()
    if context is None or not isinstance(context.task_runner, ThreadPoolTaskRunner):
        pages = fetch_article_pages(as_is(config), as_is(pending))
        return extract_articles(as_is(config), as_is(pages))
    arrivals = page_arrivals()
    extracting = extract_articles.submit(as_is(config), as_is(arrivals))
    try:
        fetch_article_pages(as_is(config), as_is(pending), as_is(arrivals))
    finally:
        arrivals.close()  # the pool finishes what came in, then returns
        extracting.wait()
    order = {a.url: i for i, a in enumerate(pending)}
    return sorted(extracting.result(), key=lambda p: order[p.article.url])


@task(name="store-cycle", cache_policy=NO_CACHE)
def store_cycle(
    config: Config,
    run_id: str,
    polls: list[FeedPoll],
    processed: list[ProcessedArticle],
    skipped: int,
) -> dict[str, Any]:
    summary = summarize(run_id, polls, processed, skipped)
    with open_warehouse(config.warehouse.path) as con:
        save_cycle(
            con,
            summary,
            polls,
            processed,
            config.articles.max_attempts,
            datetime.now(UTC),
            config.polling,
        )
        summary.feeds_needing_attention = feeds_needing_attention(con)
    return summary.as_dict()


@task(name="detect-contradictions", cache_policy=NO_CACHE)
def detect_contradictions(config: Config, article_urls: list[str]) -> dict[str, Any]:
    return detect_and_queue(config, article_urls)


@task(
    name="deliver-alerts",
    cache_policy=NO_CACHE,
    retries=NETWORK_RETRIES,
    retry_delay_seconds=NETWORK_BACKOFF,
)
def deliver_alerts_now(config: Config) -> dict[str, Any]:
    """Send what is queued; a mail server that is down leaves it queued for the next run."""
    return deliver_pending(config, sole_sender=True).as_dict()  # we hold the writer slot


@task(name="close-run", cache_policy=NO_CACHE)
def close_run(
    config: Config, summary: dict[str, Any], alerts: dict[str, Any], delivery: dict[str, Any]
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


@task(name="record-skipped-run", cache_policy=NO_CACHE)
def record_skipped_run(config: Config, run_id: str, reason: str) -> None:
    with open_warehouse(config.warehouse.path) as con:
        skip_run(con, run_id, flow_run.get_id(), reason, datetime.now(UTC))


@task(name="publish-artifacts", cache_policy=NO_CACHE)
def publish_artifacts(config: Config, summary: CycleSummary, new_ids: list[str]) -> None:
    """A markdown summary and a table of the contradictions this run found, in the Prefect UI."""
    create_markdown_artifact(
        key="poll-feeds-summary",
        markdown=f"## Poll cycle {summary.run_id}\n\n```\n{summary.render()}\n```\n",
        description="What this poll cycle fetched, stored, found and sent.",
    )
    with open_warehouse(config.warehouse.path, read_only=True) as con:
        found = load_contradictions(con, "id IN (SELECT unnest($1::VARCHAR[]))", [new_ids])
    rows = [
        {
            "subject": c.subject,
            "metric": c.metric,
            "older": f"{c.a.value:g} {c.a.unit} ({c.a.outlet})",
            "newer": f"{c.b.value:g} {c.b.unit} ({c.b.outlet})",
            "confidence": round(c.confidence, 2),
            "older_url": c.a.url,
            "newer_url": c.b.url,
        }
        for c in found
    ]
    create_table_artifact(
        key="new-contradictions",
        table=rows,
        description=f"{len(rows)} contradictions first seen in run {summary.run_id}.",
    )


@flow(name="poll_feeds", log_prints=False)
def poll_feeds(config_path: str = "monitor.toml") -> dict[str, Any]:
    """One poll cycle: feeds, new articles, figures, stored in the warehouse."""
    logger = get_run_logger()
    config = load_config(Path(config_path))
    run_id = str(flow_run.get_id() or uuid.uuid4())
    try:
        with one_writer(config.warehouse.path, config.warehouse.wait_seconds) as limit:
            logger.info("holding %s for the warehouse %s", limit, config.warehouse.path)
            summary = _cycle(config, run_id)
    except WarehouseBusy as busy:
        logger.warning("%s", busy)
        record_skipped_run(config, run_id, str(busy))
        return CycleSummary(run_id, status="skipped", errors=[str(busy)]).as_dict()
    logger.info("%s", CycleSummary(**summary).one_line())
    return summary


def _cycle(config: Config, run_id: str) -> dict[str, Any]:
    # Task arguments go in as_is(): otherwise Prefect walks each argument object
    # by object looking for futures before every task (about 2.5 s of a
    # 1,000-page cycle went there). Tasks here are called in order, so there are
    # no futures to find; the price is that the UI draws no edges between tasks.
    if config.processing.runner == "pool":
        start_forkserver()  # its imports (~1 s in a fresh process) overlap polling
    states = open_run(as_is(config), run_id)
    due, waiting = polling.due_feeds(config.feeds, states, datetime.now(UTC))
    try:
        polls = poll_all_feeds(as_is(config.model_copy(update={"feeds": due})), as_is(states))
        pending = select_new_entries(as_is(config), as_is(polls))
        processed = fetch_and_extract(config, pending)
        summary = store_cycle(as_is(config), run_id, as_is(polls), as_is(processed), len(waiting))
        alerts = detect_contradictions(
            as_is(config), as_is([p.article.url for p in processed if p.ok])
        )
        new_ids = alerts.pop("new_ids")
        delivery = deliver_alerts_now(as_is(config))
        summary = close_run(as_is(config), as_is(summary), as_is(alerts), as_is(delivery))
    except Exception as exc:
        mark_run_failed(as_is(config), run_id, f"{type(exc).__name__}: {exc}")
        raise
    publish_artifacts(as_is(config), CycleSummary(**summary), as_is(new_ids))
    return summary
