"""Feed bytes to entries, through feedparser. No network, no database.

feedparser's `bozo` flag marks ill-formed XML; entries it still recovered are
kept and the problem is reported alongside them. A body with no feed in it at
all raises FeedError.

A feed is untrusted input, so parsing bounds what it can make the cycle do:
at most MAX_ENTRIES entries are read (the first ones: feeds list the newest
first), a GUID shared by entries with different links identifies nothing and
is dropped, and a date in the future is no date. Each of these is reported in
the parse warning, never dropped silently.
"""

from __future__ import annotations

import calendar
import io
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser

from monitor.errors import FeedError
from monitor.urls import canonical_url

_CHARSET = re.compile(r";\s*charset\s*=", re.IGNORECASE)
_EMAIL_AND_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")
# Entries read from one feed in one cycle; each new one costs a page fetch.
MAX_ENTRIES = 500
# Entry start and end tags, any namespace prefix (rss:item, atom:entry), found in bytes.
_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s/>]", re.IGNORECASE)
_ENTRY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>", re.IGNORECASE)
# Clocks and time zones disagree a little; past this a date is wrong, not early.
_FUTURE_SLACK = timedelta(days=2)


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
    body, declared = _first_entries(body)
    parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
    ignored_charset = None
    if not _is_feed(parsed) and _CHARSET.search(response_headers.get("content-type", "")):
        # A server's charset can be wrong; feedparser trusts it over the XML declaration.
        # When it leaves no feed at all, read the body as if the server had not said.
        content_type = response_headers["content-type"]
        plain = {**response_headers, "content-type": content_type.split(";", 1)[0]}
        retry = feedparser.parse(io.BytesIO(body), response_headers=plain)
        if _is_feed(retry):
            parsed, ignored_charset = retry, content_type
    # A missing or odd Content-Type says nothing about the XML itself; many
    # healthy feeds are served as text/html or with no type at all.
    benign = isinstance(parsed.get("bozo_exception"), feedparser.NonXMLContentType)
    problem = _bozo_text(parsed) if parsed.get("bozo") and not benign else None
    if not _is_feed(parsed):
        raise FeedError(
            f"not an RSS or Atom feed: {_what_it_is(body) or problem or 'no feed elements found'}"
        )
    base = parsed.get("href") or url
    now = datetime.now(UTC)
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    future = 0
    for raw in parsed.entries[:MAX_ENTRIES]:
        entry = _entry(raw, base, now)
        if entry is None or entry.url in seen:
            continue
        future += entry.published is None and _date(_raw_date(raw), None) is not None
        seen.add(entry.url)
        entries.append(entry)
    entries, shared = _drop_shared_guids(entries)
    notes = [f"ill-formed feed, {len(entries)} entries recovered: {problem}"] if problem else []
    if ignored_charset:
        notes.append(f"Content-Type {ignored_charset!r} does not fit the body; charset ignored")
    total = max(declared or 0, len(parsed.entries))
    if total > MAX_ENTRIES:
        notes.append(f"{total:,} entries, only the first {MAX_ENTRIES} read")
    skipped = min(len(parsed.entries), MAX_ENTRIES) - len(entries)
    if skipped:
        notes.append(f"{skipped} entries without a usable link or repeated")
    if shared:
        notes.append(f"{shared} entries share a GUID with another link; those GUIDs ignored")
    if future:
        notes.append(f"{future} entries dated in the future; those dates ignored")
    title = parsed.feed.get("title") if parsed.get("feed") else None
    return ParsedFeed(
        title=title or None,
        entries=entries,
        warning="; ".join(notes) or None,
        ttl_minutes=_ttl(parsed),
    )


def _first_entries(body: bytes) -> tuple[bytes, int | None]:
    """The body cut to its first MAX_ENTRIES entries, and how many it had (None: not cut).

    feedparser's time grows with every entry (seconds for tens of thousands), so
    a feed past the cap is cut before parsing: the bytes up to the entry after
    the last one kept, then everything after the last entry (the closing tags).
    A body whose entries cannot be found this way is parsed whole.
    """
    starts = _ENTRY_START.finditer(body)
    cut = next((m.start() for i, m in enumerate(starts) if i == MAX_ENTRIES), None)
    if cut is None:
        return body, None
    last_end = None
    for last_end in _ENTRY_END.finditer(body, cut):  # noqa: B007 - the last match is wanted
        pass
    if last_end is None:
        return body, None
    total = MAX_ENTRIES + 1 + sum(1 for _ in _ENTRY_START.finditer(body, cut + 1))
    return body[:cut] + body[last_end.end() :], total


def _is_feed(parsed: Any) -> bool:
    return bool(parsed.get("version")) or bool(parsed.entries)


def _drop_shared_guids(entries: list[FeedEntry]) -> tuple[list[FeedEntry], int]:
    """Clear GUIDs that several links share: they would merge different stories."""
    links: dict[str, set[str]] = {}
    for e in entries:
        if e.guid:
            links.setdefault(e.guid, set()).add(e.url)
    shared = {guid for guid, urls in links.items() if len(urls) > 1}
    if not shared:
        return entries, 0
    kept = [replace(e, guid=None) if e.guid in shared else e for e in entries]
    return kept, sum(e.guid in shared for e in entries)


def _ttl(parsed: Any) -> float | None:
    """The RSS channel's <ttl> in minutes, when it is a positive number."""
    raw = parsed.feed.get("ttl") if parsed.get("feed") else None
    try:
        ttl = float(str(raw).strip())
    except ValueError:
        return None
    return ttl if 0 < ttl < 1e6 else None


def _entry(raw: Any, base: str, now: datetime) -> FeedEntry | None:
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
        published=_date(_raw_date(raw), now),
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


def _raw_date(raw: Any) -> Any:
    return raw.get("published_parsed") or raw.get("updated_parsed")


def _date(value: Any, now: datetime | None) -> datetime | None:
    """feedparser's UTC struct_time to an aware datetime.

    None when missing, absurd, or (given `now`) more than a little in the future.
    """
    if not value:
        return None
    try:
        moment = datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None
    if not 1990 <= moment.year <= 2100:
        return None
    return None if now is not None and moment > now + _FUTURE_SLACK else moment


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
