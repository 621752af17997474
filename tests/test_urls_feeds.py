"""Canonical URLs and feed parsing, on bytes (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import FeedError
from monitor.feeds import parse_feed
from monitor.urls import canonical_url

from .conftest import DATA, SHARED


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM:443/a/b?utm_source=rss&id=7#top", "https://example.com/a/b?id=7"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x?fbclid=1&gclid=2", "http://example.com:8080/x"),
        ("http://example.com/x?b=2&a=1", "http://example.com/x?b=2&a=1"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_relative_links_resolve_against_the_feed() -> None:
    assert (
        canonical_url("../story.html#c", "http://h.test/feeds/a.xml") == "http://h.test/story.html"
    )


def _site_feed(name: str) -> bytes:
    return (DATA / "site" / "feeds" / name).read_bytes().replace(b"{{BASE}}", b"http://h.test")


def test_rss_entries_are_canonical() -> None:
    feed = parse_feed(_site_feed("alpha.rss.xml"), "http://h.test/feeds/alpha.rss.xml")
    assert feed.title == "Alpha Compute Desk"
    assert [e.url for e in feed.entries] == [
        "http://h.test/alpha/r1-cost.html",
        "http://h.test/alpha/token-prices.html",
        "http://h.test/alpha/clusters.html",
    ]
    assert feed.entries[0].guid == "alpha-0001"
    assert feed.entries[0].published is not None
    assert feed.entries[0].published.isoformat() == "2025-09-18T09:00:00+00:00"
    assert feed.warning is None


def test_atom_entries() -> None:
    feed = parse_feed(_site_feed("beta.atom.xml"), "http://h.test/feeds/beta.atom.xml")
    assert [e.guid for e in feed.entries] == ["urn:test:beta:1", "urn:test:beta:2"]
    assert feed.entries[0].author == "Another Writer"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<!DOCTYPE html><html><body><p>hello</p></body></html>", "the body is an HTML page"),
        (b"", "the body is empty"),
        (b'{"items": []}', "the body looks like JSON"),
    ],
)
def test_not_a_feed_is_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(body, "http://h.test/f")


def test_entries_without_links_are_counted_not_lost_silently() -> None:
    body = (
        b"<rss version='2.0'><channel><title>t</title>"
        b"<item><title>no link</title></item>"
        b"<item><link>http://h.test/a</link></item>"
        b"<item><link>http://h.test/a#again</link></item></channel></rss>"
    )
    feed = parse_feed(body, "http://h.test/f")
    assert [e.url for e in feed.entries] == ["http://h.test/a"]
    assert feed.warning == "2 entries without a usable link or repeated"


def test_real_world_corpus_never_crashes() -> None:
    """Every file of feedparser's own suite parses or raises FeedError with a reason."""
    files = sorted((SHARED / "corpus" / "feeds").rglob("*.xml"))
    assert len(files) > 1500
    parsed = refused = 0
    for path in files:
        try:
            parse_feed(path.read_bytes(), "http://h.test/feed.xml")
            parsed += 1
        except FeedError as exc:
            assert str(exc).startswith("not an RSS or Atom feed: ")
            refused += 1
    assert parsed > 1500
    assert refused < 50


def test_data_dir_exists() -> None:
    assert Path(DATA / "site" / "pages").is_dir()


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("desk@outlet.example (Dana Reyes)", "Dana Reyes"),
        ("Dana  Reyes", "Dana Reyes"),
        ("", None),
    ],
)
def test_rss_author_is_a_name(author: str, expected: str | None) -> None:
    body = (
        "<rss version='2.0'><channel><title>t</title><item><link>http://h.test/a</link>"
        f"<author>{author}</author></item></channel></rss>"
    ).encode()
    assert parse_feed(body, "http://h.test/f").entries[0].author == expected


@pytest.mark.parametrize(
    ("ttl", "minutes"), [("60", 60.0), (" 90 ", 90.0), ("0", None), ("soon", None), ("nan", None)]
)
def test_rss_ttl_is_read_in_minutes(ttl: str, minutes: float | None) -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<ttl>{ttl}</ttl><item><link>https://news.example/a</link></item></channel></rss>"
    ).encode()
    assert parse_feed(body, "https://news.example/feed.xml").ttl_minutes == minutes
