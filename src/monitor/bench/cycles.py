"""Real poll cycles for the bench: the `poll_feeds` flow against the served corpus, timed.

Each cycle is one Prefect flow run in this process (poll, fetch, extract,
figures, store, compare, alerts), timed from the call to its return, with the
peak memory of this process and its pool workers. The bench's Prefect API
stands in for the temporary one `monitor run` starts, so cycles run with the
same settings (`monitor.runner.flow_run_settings`: no flow-run heartbeats).
The time each task took comes from the Prefect API afterwards.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from monitor.bench.memory import PeakMemory
from monitor.runner import flow_run_settings


@dataclass(frozen=True)
class CycleRun:
    seconds: float
    peak_mb: float
    feeds_polled: int
    feeds_not_modified: int
    new_articles: int
    article_errors: int
    figures: int
    contradictions_new: int
    stages: dict[str, float] = field(default_factory=dict)  # task name -> seconds

    @property
    def articles_per_s(self) -> float:
        return self.new_articles / self.seconds if self.seconds else 0.0


def write_config(folder: Path, base: str, feeds: list[tuple[str, str]]) -> Path:
    """A config for the corpus feeds: a warehouse in `folder`, alerts to .eml files."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "[warehouse]",
        'path = "monitor.duckdb"',
        "[http]",
        "allow_private = true",
        "[email]",
        'transport = "file"',
        'outbox = "outbox"',
        "[[subscribers]]",
        'email = "bench@example.org"',
    ]
    for name, path in feeds:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{base}{path}"']
    config = folder / "monitor.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def run_cycle(config: Path, exclude: set[int]) -> CycleRun:
    from flows.poll_feeds import poll_feeds

    with flow_run_settings(temporary_api=True), PeakMemory(exclude) as memory:
        started = time.perf_counter()
        summary = poll_feeds(config_path=str(config))
        seconds = time.perf_counter() - started
    return CycleRun(
        seconds=seconds,
        peak_mb=memory.peak_mb,
        feeds_polled=summary["feeds_polled"],
        feeds_not_modified=summary["feeds_not_modified"],
        new_articles=summary["new_articles"],
        article_errors=summary["article_errors"],
        figures=summary["figures"],
        contradictions_new=summary["contradictions_new"],
        stages=stage_seconds(summary["run_id"]),
    )


def stage_seconds(flow_run_id: str) -> dict[str, float]:
    """Seconds each task of the flow run took, by task name (batches summed)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[uuid.UUID(flow_run_id)]))
        )
    stages: dict[str, float] = {}
    for run in runs:
        name = run.name.rsplit("-", 1)[0]
        stages[name] = round(stages.get(name, 0.0) + run.total_run_time.total_seconds(), 3)
    return stages


def best(runs: list[CycleRun]) -> CycleRun:
    return min(runs, key=lambda r: r.seconds)
