"""Feed bytes to entries, through feedparser. No network, no database.

feedparser's `bozo` flag marks ill-formed XML; entries it still recovered are
kept and the problem is reported alongside them. A body with no feed in it at
all raises FeedError.
"""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from monitor.errors import FeedError
from monitor.urls import canonical_url

_EMAIL_AND_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")


@dataclass(frozen=True)
class FeedEntry:
    url: str  # canonical
    guid: str | None
    title: str | None
    published: datetime | None
    author: str | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    warning: str | None  # set when feedparser flagged the XML but entries survived
    ttl_minutes: float | None = None  # RSS <ttl>: how long the publisher says to cache it


def parse_feed(body: bytes, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse a feed body; raise FeedError when it holds no feed."""
    response_headers = {"content-location": url, **(headers or {})}
    parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
    # A missing or odd Content-Type says nothing about the XML itself; many
    # healthy feeds are served as text/html or with no type at all.
    benign = isinstance(parsed.get("bozo_exception"), feedparser.NonXMLContentType)
    problem = _bozo_text(parsed) if parsed.get("bozo") and not benign else None
    is_feed = bool(parsed.get("version")) or bool(parsed.entries)
    if not is_feed:
        raise FeedError(
            f"not an RSS or Atom feed: {_what_it_is(body) or problem or 'no feed elements found'}"
        )
    base = parsed.get("href") or url
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for raw in parsed.entries:
        entry = _entry(raw, base)
        if entry is None or entry.url in seen:
            continue
        seen.add(entry.url)
        entries.append(entry)
    skipped = len(parsed.entries) - len(entries)
    warning = problem and f"ill-formed feed, {len(entries)} entries recovered: {problem}"
    if skipped:
        note = f"{skipped} entries without a usable link or repeated"
        warning = f"{warning}; {note}" if warning else note
    title = parsed.feed.get("title") if parsed.get("feed") else None
    return ParsedFeed(
        title=title or None, entries=entries, warning=warning, ttl_minutes=_ttl(parsed)
    )


def _ttl(parsed: Any) -> float | None:
    """The RSS channel's <ttl> in minutes, when it is a positive number."""
    raw = parsed.feed.get("ttl") if parsed.get("feed") else None
    try:
        ttl = float(str(raw).strip())
    except ValueError:
        return None
    return ttl if 0 < ttl < 1e6 else None


def _entry(raw: Any, base: str) -> FeedEntry | None:
    link = raw.get("link") or _first_alternate(raw)
    guid = raw.get("id") or None
    if not link and guid and str(guid).startswith(("http://", "https://")):
        link = guid
    if not link:
        return None
    url = canonical_url(str(link), base)
    if not url.startswith(("http://", "https://")):
        return None
    return FeedEntry(
        url=url,
        guid=str(guid) if guid else None,
        title=" ".join(str(raw.get("title", "")).split()) or None,
        published=_date(raw.get("published_parsed") or raw.get("updated_parsed")),
        author=_author(raw),
    )


def _author(raw: Any) -> str | None:
    """The author's name; RSS's "email (Name)" form gives just the name.

    feedparser's own split (author_detail) mangles addresses under long TLDs,
    so the raw field is read here.
    """
    text = " ".join(str(raw.get("author") or "").split())
    match = _EMAIL_AND_NAME.match(text)
    return (match[1] if match else text) or None


def _first_alternate(raw: Any) -> str | None:
    for link in raw.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _date(value: Any) -> datetime | None:
    """feedparser's UTC struct_time to an aware datetime; None when missing or absurd."""
    if not value:
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return moment if 1990 <= moment.year <= 2100 else None


def _what_it_is(body: bytes) -> str | None:
    head = body[:1024].lstrip().lower()
    if not head:
        return "the body is empty"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "the body is an HTML page"
    if head.startswith((b"{", b"[")):
        return "the body looks like JSON"
    return None


def _bozo_text(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    text = " ".join(str(exc).split()) if exc else "unknown problem"
    return f"{type(exc).__name__}: {text}" if exc else text
