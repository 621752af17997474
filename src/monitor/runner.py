"""Run one cycle as a real Prefect flow run, from the CLI or the demo."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from monitor.config import Config
from monitor.cycle import CycleSummary
from monitor.warehouse import open_warehouse


def run_cycle(config: Config) -> CycleSummary:
    """Check the warehouse opens, then run the `poll_feeds` flow and return its summary.

    With no PREFECT_API_URL set, Prefect starts a temporary local API for the run.
    """
    with open_warehouse(config.warehouse.path):
        pass  # fail fast, with a clear message, before starting Prefect
    from flows.poll_feeds import poll_feeds
    from prefect.settings import PREFECT_API_URL

    with flow_run_settings(temporary_api=not PREFECT_API_URL.value()):
        result = poll_feeds(config_path=config.source)
    return CycleSummary(**result)


@contextmanager
def flow_run_settings(temporary_api: bool) -> Iterator[None]:
    """Prefect settings for flow runs started in this process.

    Prefect sends a heartbeat event for each flow run (every 180 s by default)
    so that an automation on a server can mark a run that stops beating as
    crashed. When the run ends, Prefect waits for the heartbeat thread, which
    sleeps in one-second steps: up to a second added to every run, however
    short. A temporary API (no PREFECT_API_URL) ends with this process and has
    no automations, so nothing would read those heartbeats: with
    `temporary_api` they are off. Against a real server they stay, and a
    heartbeat frequency set in the environment or a Prefect profile always wins.
    """
    from prefect.settings import (
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )

    chosen = "heartbeat_frequency" in get_current_settings().flows.model_fields_set
    if not temporary_api or chosen:
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
