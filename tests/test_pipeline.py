"""Whole cycles as real Prefect flow runs, against a real HTTP server and a temp DuckDB file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from flows.poll_feeds import poll_feeds

from monitor import store
from monitor.sample_site import Route, SiteServer

from .conftest import SITE_FEEDS, query, write_config

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]

ALL_PAGES = 5


def run(config: Path) -> dict[str, Any]:
    return poll_feeds(config_path=str(config))


def test_first_cycle_stores_every_article_then_second_gets_304(
    tmp_path: Path, site: SiteServer
) -> None:
    config = write_config(tmp_path / "monitor.toml", site.base, SITE_FEEDS)
    first = run(config)
    assert (first["feeds_polled"], first["feeds_failed"], first["new_articles"]) == (
        2,
        0,
        ALL_PAGES,
    )
    assert first["errors"] == []
    rows = query(
        config, "SELECT url, outlet, title, published_at, text_hash FROM articles ORDER BY url"
    )
    assert len(rows) == ALL_PAGES
    urls = [r[0] for r in rows]
    assert f"{site.base}/alpha/r1-cost.html" in urls  # tracking parameters stripped
    assert f"{site.base}/alpha/token-prices.html" in urls  # fragment stripped
    assert {r[1] for r in rows} == {"Alpha Compute Desk", "Beta Silicon Wire"}
    assert all(r[3] is not None and len(r[4]) == 64 for r in rows)
    text = query(config, f"SELECT text FROM articles WHERE url = '{site.base}/beta/r1-bill.html'")[
        0
    ][0]
    assert "$249,000" in text
    assert "headphones" not in text and "555-0100" not in text  # page chrome left out
    assert query(config, "SELECT count(*) FROM figures")[0][0] == first["figures"] > 0

    site.requests.clear()
    second = run(config)
    assert (second["feeds_not_modified"], second["new_articles"], second["article_errors"]) == (
        2,
        0,
        0,
    )
    feed_requests = [h for path, h in site.requests if path.startswith("/feeds/")]
    assert len(feed_requests) == 2 and all("if-none-match" in h for h in feed_requests)
    assert [p for p, _ in site.requests if not p.startswith("/feeds/")] == []  # no page refetched
    assert query(config, "SELECT count(*) FROM articles")[0][0] == ALL_PAGES
    runs = query(
        config, "SELECT status, new_articles, feeds_not_modified FROM runs ORDER BY started_at"
    )
    assert runs == [("completed", ALL_PAGES, 0), ("completed", 0, 2)]


def test_broken_feeds_are_recorded_and_the_rest_stored(tmp_path: Path, site: SiteServer) -> None:
    site.routes["/feeds/down.xml"] = Route(500, b"internal error")
    site.routes["/feeds/slow.xml"] = Route(200, b"<rss/>", delay=3)
    site.routes["/feeds/html.xml"] = Route(
        200, b"<!DOCTYPE html><html><body>Sorry</body></html>", {"Content-Type": "text/html"}
    )
    broken = [("Down", "/feeds/down.xml"), ("Slow", "/feeds/slow.xml"), ("Html", "/feeds/html.xml")]
    config = write_config(tmp_path / "monitor.toml", site.base, SITE_FEEDS + broken, timeout=1)
    summary = run(config)
    assert (summary["feeds_failed"], summary["new_articles"]) == (3, ALL_PAGES)
    columns = "name, last_status, last_http_status, last_error, consecutive_failures"
    feeds = {r[0]: r[1:] for r in query(config, f"SELECT {columns} FROM feeds")}
    assert feeds["Down"] == ("error", 500, f"HTTP 500 ({site.base}/feeds/down.xml)", 1)
    assert feeds["Slow"][0] == "error" and feeds["Slow"][2].startswith(
        "timeout: no complete answer"
    )
    assert feeds["Html"][2] == "feed_error: not an RSS or Atom feed: the body is an HTML page"
    assert feeds["Alpha Compute Desk"][:2] == ("ok", 200)
    assert len(summary["errors"]) == 3

    run(config)  # still failing: the count grows, the good feeds are untouched
    assert query(config, "SELECT consecutive_failures FROM feeds WHERE name = 'Down'") == [(2,)]
    assert query(config, "SELECT count(*) FROM articles")[0][0] == ALL_PAGES


def test_bad_pages_are_recorded_and_retried_a_bounded_number_of_times(
    tmp_path: Path, site: SiteServer
) -> None:
    big = b"<html><body><article>" + b"<p>filler text</p>" * 20_000 + b"</article></body></html>"
    site.routes["/alpha/clusters.html"] = Route(200, big, {"Content-Type": "text/html"})
    site.routes["/beta/export-rules.html"] = Route(
        200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"}
    )
    extra = "max_bytes = 200000\n[articles]\nmax_attempts = 2"
    config = write_config(tmp_path / "monitor.toml", site.base, SITE_FEEDS, extra=extra)
    first = run(config)
    assert (first["new_articles"], first["article_errors"]) == (3, 2)
    failures = dict(query(config, "SELECT url, reason FROM article_failures"))
    assert failures == {
        f"{site.base}/alpha/clusters.html": "too_large",
        f"{site.base}/beta/export-rules.html": "not_html",
    }
    assert run(config)["article_errors"] == 2  # retried even though the feeds answer 304
    assert query(config, "SELECT bool_and(gave_up), max(attempts) FROM article_failures") == [
        (True, 2)
    ]
    assert run(config)["article_errors"] == 0  # given up: not fetched a third time

    del site.routes["/beta/export-rules.html"]  # the page gets fixed; a new entry would be fetched
    with duckdb.connect(str(tmp_path / "monitor.duckdb")) as con:
        con.execute("UPDATE article_failures SET gave_up = false, attempts = 1")
    assert run(config)["new_articles"] == 1
    assert query(config, "SELECT url FROM article_failures") == [
        (f"{site.base}/alpha/clusters.html",)
    ]


def test_rerun_after_a_crash_leaves_no_duplicates(
    tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(tmp_path / "monitor.toml", site.base, SITE_FEEDS)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated crash after articles were written")

    monkeypatch.setattr(
        store, "_save_failures", crash
    )  # runs after _save_articles in the transaction
    with pytest.raises(RuntimeError, match="simulated crash"):
        run(config)
    assert query(config, "SELECT count(*) FROM articles") == [(0,)]
    assert query(config, "SELECT etag FROM feeds WHERE etag IS NOT NULL") == []
    status, errors = query(config, "SELECT status, errors FROM runs")[0]
    assert status == "failed" and "simulated crash" in errors[0]
    monkeypatch.undo()

    assert run(config)["new_articles"] == ALL_PAGES
    with duckdb.connect(str(tmp_path / "monitor.duckdb")) as con:  # lose every validator
        con.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
    again = run(config)
    assert (again["feeds_not_modified"], again["new_articles"]) == (0, 0)
    assert query(config, "SELECT count(*), count(DISTINCT url) FROM articles") == [
        (ALL_PAGES, ALL_PAGES)
    ]
    figures = query(config, "SELECT count(*) FROM article_figures")[0][0]
    assert (
        figures
        == query(
            config,
            "SELECT count(DISTINCT (article_url, start_offset, kind)) FROM article_figures",
        )[0][0]
    )


def test_articles_stored_before_a_crash_are_still_compared(
    tmp_path: Path, site: SiteServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alpha says $294,000 and Beta $249,000 for R1: the conflict is found even if the
    cycle that stored them died before comparing."""
    import monitor.alerts.cycle

    config = write_config(tmp_path / "monitor.toml", site.base, SITE_FEEDS)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated crash before comparing")

    monkeypatch.setattr(monitor.alerts.cycle, "record", crash)
    with pytest.raises(RuntimeError, match="before comparing"):
        run(config)
    assert query(config, "SELECT count(*) FROM articles WHERE compared_at IS NULL") == [(5,)]
    monkeypatch.undo()

    again = run(config)
    assert (again["new_articles"], again["contradictions_new"]) == (0, 1)
    assert query(config, "SELECT count(*) FROM articles WHERE compared_at IS NULL") == [(0,)]
    assert query(config, "SELECT subject, metric, transposition FROM contradictions") == [
        ("DeepSeek-R1", "training_cost", True)
    ]
    assert run(config)["contradictions_new"] == 0


def test_a_page_given_up_on_is_not_fetched_again_when_its_feed_changes(
    tmp_path: Path, site: SiteServer
) -> None:
    site.routes["/beta/export-rules.html"] = Route(
        200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"}
    )
    config = write_config(
        tmp_path / "monitor.toml", site.base, SITE_FEEDS, extra="[articles]\nmax_attempts = 1"
    )
    assert run(config)["article_errors"] == 1
    # The feed answers in full again (no validators): the entry is seen again, and skipped.
    beta = site.body_of(site.root / "feeds" / "beta.atom.xml")
    site.routes["/feeds/beta.atom.xml"] = Route(200, beta, {"Content-Type": "application/atom+xml"})
    before = len(site.requests)
    second = run(config)
    assert second["entries_seen"] > 0 and second["article_errors"] == 0
    assert "/beta/export-rules.html" not in {path for path, _ in site.requests[before:]}
    assert query(config, "SELECT attempts, gave_up FROM article_failures") == [(1, True)]
