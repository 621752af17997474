"""Hostile and broken feeds: parsed alone, then all at once in one real Prefect cycle.

Every feed ends the cycle with a recorded result (last_status, last_error) and
the healthy feed next to them is stored in full.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.config import FeedSettings, HttpSettings
from monitor.errors import FeedError
from monitor.feeds import MAX_ENTRIES, parse_feed
from monitor.polling import poll_feeds
from monitor.sample_site import PLACEHOLDER, Route, SiteServer, serve_site

from .conftest import write_config
from .faults_support import FAULTS, dump_warehouse, feed_rows, query, rss, run_cycle, warehouse_of

BASE = "http://h.test"
BIG_FEED_ENTRIES = 50_000


def fault_feed(name: str) -> bytes:
    return (FAULTS / "feeds" / name).read_bytes().replace(PLACEHOLDER, BASE.encode())


def xxe_feed(secret: Path, probe: str) -> bytes:
    """External general and parameter entities: a local file and a URL on our server."""
    return (
        '<?xml version="1.0"?>\n'
        "<!DOCTYPE rss [\n"
        f'  <!ENTITY file SYSTEM "file://{secret}">\n'
        f'  <!ENTITY remote SYSTEM "{probe}">\n'
        f'  <!ENTITY % param SYSTEM "{probe}-param"> %param;\n'
        "]>\n"
        '<rss version="2.0"><channel><title>&file;</title>'
        "<item><title>&file; &remote;</title><description>&file;</description>"
        f"<link>{BASE}/pages/story.html?id=xxe-1</link></item></channel></rss>"
    ).encode()


def big_feed(base: str, entries: int) -> bytes:
    items = "".join(f"<item><link>{base}/gone/{i}</link></item>" for i in range(entries))
    return (
        f'<rss version="2.0"><channel><title>Archive Dump</title>{items}</channel></rss>'.encode()
    )


# --- parser level -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "urls", "warning"),
    [
        ("invalid.rss.xml", ["invalid-1", "invalid-2"], "ill-formed feed, 2 entries recovered"),
        ("no-links.rss.xml", ["nolinks-1"], "4 entries without a usable link or repeated"),
        ("duplicate-guids.rss.xml", ["dup-1", "dup-2", "dup-3"], "2 entries share a GUID"),
        ("bad-dates.atom.xml", [f"dates-{i}" for i in range(1, 6)], "2 entries dated in the"),
        ("billion-laughs.rss.xml", ["laughs-1"], "ill-formed feed, 1 entries recovered"),
    ],
)
def test_broken_feeds_keep_what_is_usable_and_say_why(
    name: str, urls: list[str], warning: str
) -> None:
    feed = parse_feed(fault_feed(name), f"{BASE}/feeds/{name}", {"content-type": "text/xml"})
    assert [e.url.rsplit("=", 1)[1] for e in feed.entries] == urls
    assert feed.warning is not None and warning in feed.warning
    assert all(e.url.startswith(f"{BASE}/pages/story.html?id=") for e in feed.entries)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("garbage.xml", "not an RSS or Atom feed: SAXParseException"),
        ("html-page.xml", "not an RSS or Atom feed: the body is an HTML page"),
    ],
)
def test_bodies_without_a_feed_are_refused_with_a_reason(name: str, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(fault_feed(name), f"{BASE}/feeds/{name}")


def test_duplicate_guids_never_merge_different_stories() -> None:
    feed = parse_feed(fault_feed("duplicate-guids.rss.xml"), f"{BASE}/f")
    guids = {e.url.rsplit("=", 1)[1]: e.guid for e in feed.entries}
    assert guids == {"dup-1": None, "dup-2": None, "dup-3": "urn:faults:own"}


def test_future_and_garbage_dates_are_no_dates() -> None:
    feed = parse_feed(fault_feed("bad-dates.atom.xml"), f"{BASE}/f")
    dates = [e.published for e in feed.entries]
    assert dates[:4] == [None] * 4
    assert dates[4] == datetime(2025, 8, 1, 8, 30, tzinfo=UTC)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    soon = parse_feed(
        f"<rss version='2.0'><channel><item><link>{BASE}/a</link><pubDate>{tomorrow}</pubDate>"
        "</item></channel></rss>".encode(),
        f"{BASE}/f",
    )
    assert soon.entries[0].published is not None  # a clock a day ahead is tolerated


def test_billion_laughs_is_not_expanded() -> None:
    started = time.monotonic()
    feed = parse_feed(fault_feed("billion-laughs.rss.xml"), f"{BASE}/f")
    assert time.monotonic() - started < 30  # a sanity bound, not a benchmark
    assert len(feed.title or "") < 100
    assert all(len(e.title or "") < 100 for e in feed.entries)


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"XXE-SECRET-{uuid.uuid4()}", encoding="utf-8")
    with serve_site(tmp_path) as site:
        feed = parse_feed(xxe_feed(secret, f"{site.base}/xxe-probe"), f"{BASE}/f")
        assert site.requests == []  # the parser fetched nothing
    text = repr(feed)
    assert secret.read_text(encoding="utf-8") not in text
    assert [e.url for e in feed.entries] == [f"{BASE}/pages/story.html?id=xxe-1"]


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (rss("Café Économie über", [f"{BASE}/a"], "iso-8859-1"), {}),  # declared right
        (  # says UTF-8, is Latin-1
            rss("Café Économie über", [f"{BASE}/a"], "iso-8859-1").replace(
                b'encoding="iso-8859-1"', b'encoding="utf-8"'
            ),
            {"content-type": "application/xml"},
        ),
        (rss("Café Économie über", [f"{BASE}/a"]), {"content-type": "text/xml; charset=utf-16"}),
        (rss("Café Économie über", [f"{BASE}/a"]), {"content-type": "image/png"}),
        (rss("Café Économie über", [f"{BASE}/a"]), {"content-type": "text/html"}),
        (rss("Café Économie über", [f"{BASE}/a"]), {}),
    ],
    ids=["latin1", "declared-utf8-is-latin1", "header-utf16-is-utf8", "png", "html", "no-type"],
)
def test_wrong_encodings_and_content_types_still_read_the_feed(
    body: bytes, headers: dict[str, str]
) -> None:
    feed = parse_feed(body, f"{BASE}/f", headers)
    assert feed.title == "Café Économie über"
    assert [e.title for e in feed.entries] == ["Café Économie über #1"]


def test_a_feed_of_50000_entries_is_capped() -> None:
    feed = parse_feed(big_feed(BASE, 2 * MAX_ENTRIES), f"{BASE}/f")
    assert len(feed.entries) == MAX_ENTRIES
    assert feed.entries[-1].url == f"{BASE}/gone/{MAX_ENTRIES - 1}"
    assert feed.warning == f"1,000 entries, only the first {MAX_ENTRIES} read"


def test_an_atom_feed_past_the_cap_is_cut_cleanly() -> None:
    entries = "".join(
        f'<atom:entry><atom:id>e{i}</atom:id><atom:link href="{BASE}/{i}"/></atom:entry>'
        for i in range(MAX_ENTRIES + 7)
    )
    body = (
        '<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>A</atom:title>'
        f"{entries}<atom:updated>2025-08-01T00:00:00Z</atom:updated></atom:feed>"
    ).encode()
    feed = parse_feed(body, f"{BASE}/f")
    assert (feed.title, len(feed.entries)) == ("A", MAX_ENTRIES)
    assert feed.warning == f"{MAX_ENTRIES + 7} entries, only the first {MAX_ENTRIES} read"


@pytest.mark.integration
def test_a_huge_feed_does_not_make_its_neighbours_time_out(tmp_path: Path) -> None:
    """Parsing runs on the polling event loop: a slow parse would stall every other fetch."""
    with serve_site(tmp_path) as site:
        kind = {"Content-Type": "application/rss+xml"}
        site.routes["/big.xml"] = Route(200, big_feed(site.base, BIG_FEED_ENTRIES), kind)
        site.routes["/late.xml"] = Route(200, rss("Late", [f"{site.base}/a"]), kind, delay=0.5)
        feeds = [
            FeedSettings(name="Big", url=f"{site.base}/big.xml"),
            FeedSettings(name="Late", url=f"{site.base}/late.xml"),
        ]
        polls = asyncio.run(poll_feeds(HttpSettings(allow_private=True, timeout=2), feeds, {}))
    assert [(p.feed.name, p.status, len(p.entries)) for p in polls] == [
        ("Big", "ok", MAX_ENTRIES),
        ("Late", "ok", 1),
    ]


# --- one real cycle over all of them -------------------------------------------


@dataclass(frozen=True)
class Expect:
    path: str
    status: str  # last_status in the feeds table
    error: str | None  # a part of last_error, or None for no error at all
    articles: int  # articles stored from this feed


@pytest.fixture
def site(tmp_path: Path) -> Iterator[SiteServer]:
    with serve_site(FAULTS) as server:  # tests/data/faults, served in place
        yield server


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_one_cycle_over_every_broken_feed(tmp_path: Path, site: SiteServer) -> None:
    base = site.base
    secret = tmp_path / "secret.txt"
    secret.write_text(f"XXE-SECRET-{uuid.uuid4()}", encoding="utf-8")
    story = f"{base}/pages/story.html?id="
    latin1 = rss("Café Économie über", [story + "latin1"], "iso-8859-1")
    site.routes.update(
        {
            "/gen/empty.xml": Route(200, b"", {"Content-Type": "application/rss+xml"}),
            "/gen/png.xml": Route(200, rss("PNG", [story + "png"]), {"Content-Type": "image/png"}),
            "/gen/untyped.xml": Route(200, rss("Untyped", [story + "untyped"])),
            "/gen/lying.xml": Route(
                200, latin1.replace(b'"iso-8859-1"', b'"utf-8"'), {"Content-Type": "text/xml"}
            ),
            "/gen/xxe.xml": Route(
                200,
                xxe_feed(secret, f"{base}/xxe-probe").replace(BASE.encode(), base.encode()),
                {"Content-Type": "application/xml"},
            ),
            "/gen/big.xml": Route(
                200, big_feed(base, BIG_FEED_ENTRIES), {"Content-Type": "application/rss+xml"}
            ),
        }
    )
    expected = {
        "Good": Expect("/feeds/good.rss.xml", "ok", None, 1),
        "Invalid XML": Expect("/feeds/invalid.rss.xml", "ok", "ill-formed feed", 2),
        "Garbage": Expect("/feeds/garbage.xml", "error", "feed_error: not an RSS or Atom", 0),
        "HTML": Expect("/feeds/html-page.xml", "error", "the body is an HTML page", 0),
        "Empty": Expect("/gen/empty.xml", "error", "the body is empty", 0),
        "PNG type": Expect("/gen/png.xml", "ok", None, 1),
        "No type": Expect("/gen/untyped.xml", "ok", None, 1),
        "Lying encoding": Expect("/gen/lying.xml", "ok", "CharacterEncodingOverride", 1),
        "No links": Expect("/feeds/no-links.rss.xml", "ok", "4 entries without a usable link", 1),
        "Dup GUIDs": Expect("/feeds/duplicate-guids.rss.xml", "ok", "share a GUID", 3),
        "Dates": Expect("/feeds/bad-dates.atom.xml", "ok", "2 entries dated in the future", 5),
        "Laughs": Expect("/feeds/billion-laughs.rss.xml", "ok", "ill-formed feed", 1),
        "XXE": Expect("/gen/xxe.xml", "ok", "undefined entity", 1),
        "Big": Expect("/gen/big.xml", "ok", "50,000 entries, only the first 500 read", 0),
    }
    feeds = [(name, e.path) for name, e in expected.items()]
    config = write_config(tmp_path / "monitor.toml", base, feeds, extra="per_host = 16")

    summary = run_cycle(config)

    assert summary["status"] == "completed"
    assert summary["feeds_polled"] == len(expected)
    rows = feed_rows(config)
    assert {n: (r[0], r[2]) for n, r in rows.items() if r[0] == "error"} == {
        n: ("error", rows[n][2]) for n, e in expected.items() if e.status == "error"
    }
    assert summary["feeds_failed"] == 3
    stored = dict(
        query(
            config,
            "SELECT f.name, count(a.url) FROM feeds f LEFT JOIN articles a"
            " ON a.feed_url = f.url GROUP BY f.name",
        )
    )
    for name, want in expected.items():
        status, _http, error, _title = rows[name]
        assert status == want.status, name
        if want.error is None:
            assert error is None, name
        else:
            assert error is not None and want.error in error, (name, error)
        assert stored[name] == want.articles, name
    assert rows["Lying encoding"][3] == "Café Économie über"
    assert query(config, "SELECT title FROM articles WHERE url = ?", [story + "latin1"]) == [
        ("Café Économie über #1",)
    ]
    # The capped feed: exactly MAX_ENTRIES pages tried (all 404 here), none beyond.
    big_url = f"{base}/gen/big.xml"
    assert query(
        config,
        "SELECT count(*), min(reason), max(reason) FROM article_failures WHERE feed_url = ?",
        [big_url],
    ) == [(MAX_ENTRIES, "http_status", "http_status")]
    assert sum(1 for path, _ in site.requests if path.startswith("/gone/")) == MAX_ENTRIES
    # Duplicate GUIDs: three stories, none merged, no GUID that would merge them later.
    assert query(
        config, "SELECT url, guid FROM articles WHERE url LIKE ? ORDER BY url", [story + "dup-%"]
    ) == [(story + "dup-1", None), (story + "dup-2", None), (story + "dup-3", "urn:faults:own")]
    # No date in the future reaches the warehouse; the page's own date fills in.
    dates = dict(
        query(
            config, "SELECT url, published_at FROM articles WHERE url LIKE ?", [story + "dates-%"]
        )
    )
    now = datetime.now(UTC)
    assert all(d is not None and d <= now for d in dates.values())
    # External entities: no file read, no request made by the parser.
    assert [p for p, _ in site.requests if p.startswith("/xxe-probe")] == []
    assert secret.read_text(encoding="utf-8") not in dump_warehouse(warehouse_of(config))
    run = query(config, "SELECT status, feeds_failed, entries_seen FROM runs")
    assert run == [("completed", 3, summary["entries_seen"])]
