"""`monitor demo` end to end, as a user runs it: a subprocess with its own temporary Prefect API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import feedparser
import pytest

from monitor.demo import demo_site_root

pytestmark = pytest.mark.integration


def _feed_links() -> list[str]:
    links = []
    for feed in sorted((demo_site_root() / "feeds").iterdir()):
        links += [e.link for e in feedparser.parse(feed.read_bytes()).entries]
    return links


def test_demo_runs_one_full_cycle(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    done = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "demo", "--dir", str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        timeout=400,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "feeds:    3 polled, 0 not modified, 0 failed" in out

    links = _feed_links()
    pages = list((demo_site_root() / "pages").rglob("*.html"))
    assert len(pages) >= 10
    with duckdb.connect(str(tmp_path / "demo" / "monitor.duckdb"), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM articles").fetchone()
        failures = dict(
            con.execute("SELECT reason, count(*) FROM article_failures GROUP BY 1").fetchall()
        )
        figures = con.execute("SELECT count(*) FROM figures").fetchone()
    assert stored == (len(pages),)
    assert len(links) == len(pages) + 2  # plus the deliberate 404 and the PDF
    assert failures == {"http_status": 1, "not_html": 1}
    assert f"articles: {len(pages)} new, 2 failed to fetch or extract" in out
    assert figures is not None and figures[0] > 0
    assert f"figures:  {figures[0]} extracted" in out

    # The two outlets that disagree on R1's training cost end in one alert email.
    emails = list((tmp_path / "demo" / "outbox").glob("*.eml"))
    assert len(emails) == 1
    assert f"alert email: {emails[0]}" in out or f"alert email: {emails[0].name}" in out
    message = emails[0].read_text()
    assert "Subject: DeepSeek-R1 training cost: $249,000" in message
    assert "likely digit transposition" in out
