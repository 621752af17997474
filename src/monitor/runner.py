"""Run one cycle as a real Prefect flow run, from the CLI or the demo."""

from __future__ import annotations

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

    result = poll_feeds(config_path=config.source)
    return CycleSummary(**result)
