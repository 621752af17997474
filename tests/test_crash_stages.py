"""A cycle killed at each stage, then normal cycles: nothing lost, nothing doubled.

The kill is real process death (tests/crash_driver.py: `os._exit(137)` in a
subprocess running the real flow against the session's Prefect API). The sample
site in src/monitor/demo_site holds one real contradiction (DeepSeek-R1 $294,000
vs $249,000), so a full cycle stores its articles and figures, records one
contradiction and emails one alert to a real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from flows.writer_guard import limit_name
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL

from monitor.alerts.deliver import deliver_pending
from monitor.config import load_config
from monitor.demo import demo_site_root
from monitor.sample_site import SiteServer, serve_site

from .alerts_fixtures import Sink, free_port, smtp_server
from .conftest import REPO, write_demo_feeds_config
from .crash_driver import KILLED, STAGES
from .faults_support import duplicate_keys, query, run_cycle, warehouse_of

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]

SENDING = ("during_sending", "after_sending")


@dataclass(frozen=True)
class Outcome:
    """What the warehouse and the mail server hold once the work is done."""

    articles: frozenset[str]
    figures: int
    contradictions: frozenset[tuple[str, str]]
    outbox: list[tuple[Any, ...]]
    message_ids: list[str]


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    with serve_site(demo_site_root()) as server:
        yield server


@pytest.fixture
def mail() -> Iterator[tuple[Sink, int]]:
    port = free_port()
    with smtp_server(port) as sink:
        yield sink, port


def write_smtp_config(folder: Path, base: str, port: int) -> Path:
    email = [
        'transport = "smtp"',
        'host = "127.0.0.1"',
        f"port = {port}",
        "timeout = 5",
        'from = "monitor@crash.test"',
    ]
    return write_demo_feeds_config(folder, base, email, subscriber="analyst@crash.test")


def outcome(config: Path, sink: Sink) -> Outcome:
    ids = []
    for _, _, raw in sink.messages:
        ids.append(str(message_from_bytes(raw, policy=policy.default)["Message-ID"]))
    return Outcome(
        articles=frozenset(r[0] for r in query(config, "SELECT url FROM articles")),
        figures=query(config, "SELECT count(*) FROM article_figures")[0][0],
        contradictions=frozenset(
            (r[0], r[1]) for r in query(config, "SELECT subject, metric FROM contradictions")
        ),
        outbox=query(config, "SELECT email, status, message_id FROM outbox ORDER BY email"),
        message_ids=ids,
    )


@pytest.fixture(scope="module")
def reference(site: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """What one uninterrupted cycle leaves behind."""
    port = free_port()
    with smtp_server(port) as sink:
        config = write_smtp_config(tmp_path_factory.mktemp("reference"), site.base, port)
        summary = run_cycle(config)
        assert summary["alerts_sent"] == 1
        return outcome(config, sink)


def crash(stage: str, config: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),  # the session harness's API
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    return subprocess.run(
        [sys.executable, "-m", "tests.crash_driver", stage, str(config)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def release_writer_slot(config: Path) -> None:
    """The dead run's writer slot would be freed when its 60 s lease ran out; free it now.

    Deleting the one-slot limit drops the dead holder; the next run creates it afresh.
    """
    with get_client(sync_client=True) as client:
        client.delete_global_concurrency_limit_by_name(limit_name(warehouse_of(config)))


@pytest.mark.parametrize("stage", list(STAGES))
def test_killed_at_each_stage_then_the_next_cycle_finishes_the_work(
    stage: str,
    tmp_path: Path,
    site: SiteServer,
    mail: tuple[Sink, int],
    reference: Outcome,
) -> None:
    sink, port = mail
    config = write_smtp_config(tmp_path, site.base, port)

    died = crash(stage, config)
    assert died.returncode == KILLED, died.stdout + died.stderr
    assert f"killed {stage}" in died.stdout
    assert duplicate_keys(warehouse_of(config)) == {}
    release_writer_slot(config)

    summary = run_cycle(config)
    assert summary["status"] == "completed"
    if stage in SENDING:
        # The next run holds the writer slot, so the dead run's claim is taken over at once.
        assert summary["alerts_sent"] == 1
    assert deliver_pending(load_config(config)).sent == 0  # nothing left to send again

    got = outcome(config, sink)
    assert duplicate_keys(warehouse_of(config)) == {}
    assert got.articles == reference.articles  # no article lost
    assert got.figures == reference.figures
    assert got.contradictions == reference.contradictions
    assert [row[:2] for row in got.outbox] == [("analyst@crash.test", "sent")]
    if stage == "after_sending":
        # The server took the message just before the process died, so it went out
        # again: SMTP cannot tell us otherwise. It is the same message, same Message-ID.
        assert len(got.message_ids) == 2 and len(set(got.message_ids)) == 1
    else:
        assert len(got.message_ids) == 1  # exactly once
    assert got.message_ids[0] == got.outbox[0][2]
    runs = query(config, "SELECT status FROM runs ORDER BY started_at")
    assert runs[-1] == ("completed",)
