"""Two runs on one warehouse, and what each run leaves in Prefect (artifacts, one log line)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from flows.poll_feeds import poll_feeds
from flows.writer_guard import limit_name
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from monitor.demo import demo_site_root, write_demo_config
from monitor.sample_site import Route, SiteServer, serve_site

from .conftest import SITE_FEEDS, query, write_config

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]


@pytest.fixture
def slow_site(site_root: Path) -> Iterator[SiteServer]:
    """The test site, with a feed that takes 3 s to answer: a run that holds the warehouse."""
    with serve_site(site_root) as server:
        alpha = server.body_of(site_root / "feeds" / "alpha.rss.xml")
        server.routes["/feeds/slow.xml"] = Route(
            200, alpha, {"Content-Type": "application/rss+xml"}, delay=3
        )
        yield server


def run_together(config: Path, second_config: Path) -> list[dict[str, Any]]:
    """Start one run, then a second on the same warehouse while the first is busy."""
    results: list[dict[str, Any]] = [{}, {}]

    def run(i: int, path: Path) -> None:
        results[i] = poll_feeds(config_path=str(path))

    first = threading.Thread(target=run, args=(0, config))
    first.start()
    threading.Event().wait(1.5)  # the first run is now waiting on its slow feed
    run(1, second_config)
    first.join(timeout=120)
    return results


def test_a_second_run_waits_for_the_first_and_nothing_is_written_twice(
    tmp_path: Path, slow_site: SiteServer
) -> None:
    feeds = [*SITE_FEEDS, ("Slow", "/feeds/slow.xml")]
    config = write_config(tmp_path / "monitor.toml", slow_site.base, feeds, timeout=10)
    first, second = run_together(config, config)
    assert first["status"] == second["status"] == "completed"
    assert first["new_articles"] == 5 and second["new_articles"] == 0  # all stored by the first
    runs = query(config, "SELECT status, started_at, finished_at FROM runs ORDER BY started_at")
    assert [r[0] for r in runs] == ["completed", "completed"]
    assert runs[1][1] >= runs[0][2]  # the second started writing after the first finished
    assert query(config, "SELECT count(*), count(DISTINCT url) FROM articles") == [(5, 5)]
    assert query(config, "SELECT count(*) FROM article_figures")[0][0] > 0


def test_a_run_that_cannot_get_the_warehouse_in_time_skips_with_a_clear_line(
    tmp_path: Path, slow_site: SiteServer, caplog: pytest.LogCaptureFixture
) -> None:
    feeds = [*SITE_FEEDS, ("Slow", "/feeds/slow.xml")]
    config = write_config(tmp_path / "monitor.toml", slow_site.base, feeds, timeout=10)
    impatient = tmp_path / "impatient.toml"
    impatient.write_text(
        config.read_text(encoding="utf-8").replace(
            "[warehouse]\n", "[warehouse]\nwait_seconds = 0.5\n"
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING):
        first, second = run_together(config, impatient)
    assert first["status"] == "completed" and first["new_articles"] == 5
    assert second["status"] == "skipped"
    name = limit_name(tmp_path / "monitor.duckdb")
    assert f"another run has held {name}" in second["errors"][0]
    assert any("skipping this run" in r.getMessage() for r in caplog.records)
    statuses = query(config, "SELECT status FROM runs ORDER BY started_at")
    assert sorted(s for (s,) in statuses) == ["completed", "skipped"]
    assert query(config, "SELECT count(*) FROM articles") == [(5,)]


def test_a_run_publishes_its_summary_and_new_contradictions_as_artifacts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = demo_site_root()
    with serve_site(root) as site, caplog.at_level(logging.INFO):
        config = write_demo_config(tmp_path, site.base, root)
        summary = poll_feeds(config_path=str(config))
    assert summary["contradictions_new"] >= 1
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("cycle ")]
    assert len(lines) == 1
    assert lines[0].startswith("cycle completed: 3 feeds polled")
    assert f"{summary['new_articles']} new articles" in lines[0]

    with get_client(sync_client=True) as client:

        def latest(key: str) -> Any:
            found = client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
            )
            mine = [a for a in found if a.description and summary["run_id"] in a.description]
            assert len(mine) == 1, key
            return mine[0]

        table = latest("new-contradictions")
        markdown = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["poll-feeds-summary"]))
        )
    assert table.type == "table"
    assert "DeepSeek-R1" in str(table.data) and "294" in str(table.data)
    assert any(summary["run_id"] in str(a.data) for a in markdown)


def test_a_run_left_running_by_a_dead_process_is_closed_by_the_next(
    tmp_path: Path, site_root: Path
) -> None:
    with serve_site(site_root) as site:
        config = write_config(tmp_path / "monitor.toml", site.base, SITE_FEEDS)
        poll_feeds(config_path=str(config))
        with duckdb.connect(str(tmp_path / "monitor.duckdb")) as con:
            con.execute(
                "INSERT INTO runs (run_id, started_at, status) VALUES ('dead', now(), 'running')"
            )
        poll_feeds(config_path=str(config))
    rows = query(config, "SELECT status, errors FROM runs WHERE run_id = 'dead'")
    assert rows == [("failed", ["abandoned: its process stopped before the run finished"])]
    assert query(config, "SELECT count(*) FROM runs WHERE status = 'running'") == [(0,)]
