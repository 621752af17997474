"""Extraction on a Dask cluster: the same cycle, the same articles and figures as the pool.

A real local Dask cluster (two worker processes) runs the `extract-batch`
tasks of a real `poll_feeds` flow run against the local test site.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import duckdb
import pytest
from flows.poll_feeds import poll_feeds
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect_dask import DaskTaskRunner

from monitor.sample_site import SiteServer

from .conftest import SITE_FEEDS, write_config

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]


def stored(config: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with duckdb.connect(str(config.parent / "monitor.duckdb"), read_only=True) as con:
        articles = con.execute(
            "SELECT url, title, author, published_at, text_hash FROM articles ORDER BY url"
        ).fetchall()
        figures = con.execute(
            "SELECT article_url, start_offset, end_offset, kind, subject, metric, value, unit,"
            " chip, qualifier, quote FROM article_figures ORDER BY ALL"
        ).fetchall()
    return articles, figures


def task_names(flow_run_id: str) -> list[str]:
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[uuid.UUID(flow_run_id)]))
        )
    return [r.name for r in runs]


def same_cycle_on_dask(
    tmp_path: Path, site: SiteServer, dask_extra: str, processes: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One cycle with the default task runner, one on a local Dask cluster with `dask_extra`
    in its config; both must store the same articles and figures. Returns both summaries."""
    (tmp_path / "threads").mkdir()
    (tmp_path / "dask").mkdir()
    threads_config = write_config(tmp_path / "threads" / "monitor.toml", site.base, SITE_FEEDS)
    dask_config = write_config(
        tmp_path / "dask" / "monitor.toml", site.base, SITE_FEEDS, dask_extra
    )
    by_threads = poll_feeds(config_path=str(threads_config))
    runner = DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": processes},
    )
    by_dask = poll_feeds.with_options(task_runner=runner)(config_path=str(dask_config))
    assert by_dask["errors"] == by_threads["errors"] == []
    assert by_dask["new_articles"] == by_threads["new_articles"] == 5
    assert by_dask["figures"] == by_threads["figures"] > 0
    assert stored(dask_config) == stored(threads_config)
    return by_threads, by_dask


def test_dask_cluster_extracts_the_same_articles_and_figures(
    tmp_path: Path, site: SiteServer
) -> None:
    extra = '[processing]\nrunner = "task_runner"\nbatch_size = 2'
    by_pool, by_dask = same_cycle_on_dask(tmp_path, site, extra, processes=True)
    names = task_names(by_dask["run_id"])
    assert sum(n.startswith("extract-batch") for n in names) == 3  # 5 pages in batches of 2
    assert not any(n.startswith("extract-articles") for n in names)
    assert any(n.startswith("extract-articles") for n in task_names(by_pool["run_id"]))


def test_the_pool_under_a_dask_flow_fetches_first_then_extracts_here(
    tmp_path: Path, site: SiteServer
) -> None:
    """`runner = "pool"` on a flow given a Dask task runner: nothing that only this process
    can hold (the pages arriving from the fetch) is sent to the cluster; the pool extracts
    after the fetch, with the same results."""
    _, by_mixed = same_cycle_on_dask(tmp_path, site, "", processes=False)
    names = task_names(by_mixed["run_id"])
    assert any(n.startswith("fetch-pages") for n in names)
    assert any(n.startswith("extract-articles") for n in names)
    assert not any(n.startswith("extract-batch") for n in names)
