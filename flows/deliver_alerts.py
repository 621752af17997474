"""Alert delivery as a Prefect flow: queue what is due, then send it, retrying the send.

The tasks are thin calls into monitor.alerts. Only the send task retries
(with backoff): queueing is a warehouse write that either works or is a bug.
When the mail server stays down through every retry the flow still
completes, reports what is still queued, and the next run sends it. Like the
poll cycle it holds the warehouse's writer limit for the whole run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flows.writer_guard import WarehouseBusy, one_writer
from monitor.alerts.cycle import queue_pending
from monitor.alerts.deliver import DeliveryReport, deliver_pending
from monitor.config import Config, load_config
from monitor.errors import MonitorError


class DeliveryIncomplete(MonitorError):
    """Some alerts are still queued after a delivery attempt; carries the report."""

    def __init__(self, report: DeliveryReport) -> None:
        super().__init__(f"{report.deferred} alerts still queued: {'; '.join(report.errors)}")
        self.report = report


@task(name="queue-alerts", cache_policy=NO_CACHE)
def queue_alerts_task(config: Config) -> int:
    return queue_pending(config)


@task(
    name="send-alerts",
    cache_policy=NO_CACHE,
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=10),
)
def send_alerts_task(config: Config) -> dict[str, Any]:
    report = deliver_pending(config, sole_sender=True)  # the flow holds the writer slot
    if report.deferred:
        raise DeliveryIncomplete(report)
    return report.as_dict()


@flow(name="deliver_alerts", log_prints=False)
def deliver_alerts(
    config_path: str = "monitor.toml", retries: int = 3, retry_delay_seconds: float = 10
) -> dict[str, Any]:
    """Queue alerts not yet queued and send everything pending; return the counts."""
    logger = get_run_logger()
    config = load_config(Path(config_path))
    try:
        with one_writer(config.warehouse.path, config.warehouse.wait_seconds):
            return _deliver(config, retries, retry_delay_seconds)
    except WarehouseBusy as busy:
        logger.warning("%s", busy)
        return {"sent": 0, "queued": 0, "complete": False, "skipped": str(busy)}


def _deliver(config: Config, retries: int, retry_delay_seconds: float) -> dict[str, Any]:
    logger = get_run_logger()
    queued = queue_alerts_task(config)
    send = send_alerts_task.with_options(
        retries=retries,
        retry_delay_seconds=exponential_backoff(backoff_factor=retry_delay_seconds),
    )
    state = send(config, return_state=True)
    outcome = state.result(raise_on_failure=False)
    if isinstance(outcome, DeliveryIncomplete):
        result = {**outcome.report.as_dict(), "queued": queued, "complete": False}
        logger.warning("alerts: %d still queued after retries: %s", result["deferred"], outcome)
        return result
    if isinstance(outcome, BaseException):
        raise outcome
    result = {**outcome, "queued": queued, "complete": True}
    logger.info("alerts: %d queued, %d sent, %d given up", queued, result["sent"], result["failed"])
    return result
