"""HTTP faults in one real Prefect cycle: each failing feed is recorded with a clear error,
the cycle completes, and the healthy feeds are stored.

The fetcher's own tests (test_fetch.py) check each fault against the client alone;
here they meet the whole pipeline, feeds and article pages both.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from monitor.sample_site import Route, SiteServer, serve_silence, serve_site

from .conftest import write_config
from .faults_support import FAULTS, feed_rows, query, rss, run_cycle

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]

CAP = 1_000_000  # http.max_bytes for this cycle
TIMEOUT = 2  # http.timeout, seconds


def trickle(h: BaseHTTPRequestHandler) -> None:
    """A byte a second, for as long as the client listens."""
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "10000")
    h.end_headers()
    for byte in rss("Trickle", ["http://h.test/never"])[:30]:
        try:
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
        except OSError:
            return
        time.sleep(1)


def firehose(h: BaseHTTPRequestHandler) -> None:
    """Up to 200 MB of feed-looking bytes, 1 MB a write, with no Content-Length."""
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Connection", "close")
    h.end_headers()
    chunk = b"<item><title>flood</title></item>" * 30_000
    try:
        h.wfile.write(b'<rss version="2.0"><channel>')
        for _ in range(200):
            h.wfile.write(chunk)
    except OSError:
        return


def hops(site: SiteServer, prefix: str, count: int, target: str) -> str:
    """A chain of `count` redirects (301, 302, 308 in turn) ending at `target`."""
    statuses = [301, 302, 308]
    for i in range(count):
        following = f"{prefix}/{i + 1}" if i + 1 < count else target
        site.routes[f"{prefix}/{i}"] = Route(statuses[i % 3], headers={"Location": following})
    return f"{prefix}/0"


@pytest.fixture
def site() -> Iterator[SiteServer]:
    with serve_site(FAULTS) as server:
        yield server


def test_http_faults_are_recorded_and_the_rest_is_stored(tmp_path: Path, site: SiteServer) -> None:
    base = site.base
    story = f"{base}/pages/story.html?id="
    page_chain = hops(site, "/page-hop", 3, story + "hopped")
    site.routes["/gen/chain-end.xml"] = Route(
        200,
        rss("Chain", [story + "chain", base + page_chain, f"{base}/missing-page"]),
        {"Content-Type": "application/rss+xml"},
    )
    bomb = gzip.compress(b" " * 200 * CAP)
    assert len(bomb) < CAP // 4  # small on the wire, 200x the cap unpacked
    site.routes["/gen/bomb.xml"] = Route(
        200, bomb, {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
    )
    site.routes["/gen/trickle.xml"] = Route(stream=trickle)
    site.routes["/gen/firehose.xml"] = Route(stream=firehose)
    site.routes["/gen/to-file.xml"] = Route(302, headers={"Location": "file:///etc/passwd"})
    site.routes["/loop/a"] = Route(301, headers={"Location": "/loop/b"})
    site.routes["/loop/b"] = Route(308, headers={"Location": "/loop/a"})

    with serve_silence() as silent:
        feeds = [
            ("Good", "/feeds/good.rss.xml"),
            ("Chain", hops(site, "/feed-hop", 3, "/gen/chain-end.xml")),
            ("Long chain", hops(site, "/long-hop", 8, "/gen/chain-end.xml")),
            ("Loop", "/loop/a"),
            ("Gone", "/feeds/no-such-feed.xml"),
            ("Bomb", "/gen/bomb.xml"),
            ("Trickle", "/gen/trickle.xml"),
            ("Firehose", "/gen/firehose.xml"),
            ("To file", "/gen/to-file.xml"),
        ]
        extra = f"max_bytes = {CAP}\nmax_redirects = 5"
        config = write_config(tmp_path / "monitor.toml", base, feeds, extra, timeout=TIMEOUT)
        with config.open("a", encoding="utf-8") as out:
            out.write(f'[[feeds]]\nname = "Silent"\nurl = "{silent}/feed.xml"\n')
        summary = run_cycle(config)

    assert summary["status"] == "completed"
    assert (summary["feeds_polled"], summary["feeds_failed"]) == (10, 8)
    rows = feed_rows(config)
    errors = {name: row[2] for name, row in rows.items()}
    assert {name: row[0] for name, row in rows.items()} == {
        name: "ok" if name in ("Good", "Chain") else "error" for name in rows
    }
    assert errors["Good"] is None and errors["Chain"] is None
    assert errors["Long chain"] == f"fetch_error: more than 5 redirects ({base}/long-hop/0)"
    assert errors["Loop"] == f"fetch_error: more than 5 redirects ({base}/loop/a)"
    assert errors["Gone"] == f"HTTP 404 ({base}/feeds/no-such-feed.xml)"
    assert rows["Gone"][1] == 404
    assert errors["Bomb"] == f"too_large: body passed the {CAP:,}-byte cap ({base}/gen/bomb.xml)"
    assert errors["Firehose"] == (
        f"too_large: body passed the {CAP:,}-byte cap ({base}/gen/firehose.xml)"
    )
    assert errors["Trickle"].startswith(f"timeout: no complete answer within {TIMEOUT} s")
    assert errors["Silent"].startswith(f"timeout: no complete answer within {TIMEOUT} s")
    assert errors["To file"] == "blocked_address: refusing scheme 'file' (file:///etc/passwd)"

    articles = dict(query(config, "SELECT url, feed_url FROM articles"))
    assert articles == {
        story + "good-1": f"{base}/feeds/good.rss.xml",
        story + "chain": f"{base}/feed-hop/0",
        base + page_chain: f"{base}/feed-hop/0",  # stored under the link the feed gave
    }
    assert query(config, "SELECT url, reason, error FROM article_failures") == [
        (f"{base}/missing-page", "http_status", f"HTTP 404 ({base}/missing-page)")
    ]
    assert query(config, "SELECT status, feeds_failed, new_articles FROM runs") == [
        ("completed", 8, 3)
    ]
    assert len(summary["errors"]) == 9  # eight feeds and one page, one line each
