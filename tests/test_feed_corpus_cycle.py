"""All ~1,800 real-world feed files of ../shared/corpus/feeds, served in place, in ONE cycle.

feedparser's own test suite, many files deliberately broken. The run completes,
every feed ends with a recorded result, and the run row is completed.

Their entries link to real hosts on the internet, which no test may reach: before
the cycle those links are recorded as articles already stored (placeholders), so
the cycle polls and parses every feed but fetches only pages on 127.0.0.1.
(Seeding them as given-up failures does not work: store.select_pending fetches a
given-up URL again whenever its entry is in a fetched feed.)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from monitor.errors import FeedError
from monitor.feeds import parse_feed
from monitor.sample_site import serve_site
from monitor.warehouse import open_warehouse

from .conftest import SHARED
from .faults_support import query, run_cycle

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]

CORPUS = SHARED / "corpus" / "feeds"
PLACEHOLDER_TEXT = "not fetched: an off-host link in an offline test"


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file())


def write_corpus_config(path: Path, base: str, files: list[Path]) -> Path:
    lines = [
        "[warehouse]",
        f"path = {json.dumps(str(path.parent / 'monitor.duckdb'))}",
        "[http]",
        "timeout = 5",
        "allow_private = true",
        "per_host = 32",
        "max_connections = 32",
    ]
    for file in files:
        rel = file.relative_to(CORPUS).as_posix()
        lines += ["[[feeds]]", f"name = {json.dumps(rel)}", f'url = "{base}/{quote(rel)}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def off_host_links(base: str, files: list[Path]) -> list[tuple[str, str]]:
    """(entry link, feed URL) for every entry the pipeline would fetch from another host."""
    local = urlsplit(base).netloc
    links: dict[str, str] = {}
    for file in files:
        feed_url = f"{base}/{quote(file.relative_to(CORPUS).as_posix())}"
        try:
            feed = parse_feed(file.read_bytes(), feed_url, {"content-type": "application/xml"})
        except FeedError:
            continue
        for entry in feed.entries:
            if urlsplit(entry.url).netloc != local:
                links.setdefault(entry.url, feed_url)
    return list(links.items())


def already_stored(config: Path, links: list[tuple[str, str]]) -> None:
    now = datetime.now(UTC)
    with open_warehouse(config.parent / "monitor.duckdb") as con:
        con.executemany(
            "INSERT INTO articles (url, feed_url, outlet, fetched_at, compared_at, text,"
            " text_hash) VALUES (?, ?, 'offline placeholder', ?, ?, ?, 'placeholder')",
            [[url, feed_url, now, now, PLACEHOLDER_TEXT] for url, feed_url in links],
        )


def test_every_corpus_feed_gets_a_recorded_result_in_one_cycle(tmp_path: Path) -> None:
    files = corpus_files()
    assert len(files) > 1700
    with serve_site(CORPUS) as site:
        config = write_corpus_config(tmp_path / "monitor.toml", site.base, files)
        links = off_host_links(site.base, files)
        assert len(links) > 30
        already_stored(config, links)

        summary = run_cycle(config)

        local_pages = [p for p, _ in site.requests if not p.endswith(".xml")]
    assert summary["status"] == "completed"
    assert summary["feeds_polled"] == len(files)
    rows = query(config, "SELECT last_status, last_error, last_polled_at FROM feeds")
    assert len(rows) == len(files)
    assert all(status is not None and polled is not None for status, _, polled in rows)
    failed = [error for status, error, _ in rows if status == "error"]
    assert all(failed)  # every failure says why
    assert len(failed) == summary["feeds_failed"] < 50  # the corpus is mostly recoverable
    assert {status for status, _, _ in rows} <= {"ok", "error"}
    assert query(config, "SELECT status, feeds_polled FROM runs") == [("completed", len(files))]
    # Nothing off-host was fetched: every page tried is on our server (and 404s there).
    assert query(config, "SELECT count(*) FROM articles WHERE text = ?", [PLACEHOLDER_TEXT]) == [
        (len(links),)
    ]
    tried = query(config, "SELECT url FROM article_failures")
    assert len(tried) == len(local_pages) == summary["article_errors"] < 50
    assert all(urlsplit(url).netloc == urlsplit(site.base).netloc for (url,) in tried)
