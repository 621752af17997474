"""Main text and metadata of an article page, through trafilatura.

Takes bytes, returns data: no network, no database. The same function serves
the pipeline and `monitor extract`, so figures found at the terminal are the
figures the pipeline stores.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import trafilatura

from monitor.errors import ExtractError

# trafilatura's parse time grows with the page; past this many bytes a page is
# almost certainly not an article (and could stall a worker for seconds).
MAX_HTML_BYTES = 5_000_000

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_SNIFF = re.compile(rb"<\s*(!doctype\s+html|html|head|body|article|p|div)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ExtractedArticle:
    """What trafilatura found in one page."""

    text: str
    title: str | None
    author: str | None
    published: str | None  # ISO date as trafilatura gives it (YYYY-MM-DD)
    site_name: str | None

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)


def text_hash(text: str) -> str:
    """A stable fingerprint of article text (sha256 of its UTF-8 bytes)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """True when the declared type or, lacking one, the first bytes say HTML."""
    if content_type:
        media = content_type.split(";", 1)[0].strip().lower()
        if media in _HTML_TYPES:
            return True
        if media and media not in ("text/plain", "application/octet-stream"):
            return False
    return bool(_HTML_SNIFF.search(body[:2048]))


def extract_article(
    html: bytes | str, url: str | None = None, content_type: str | None = None
) -> ExtractedArticle:
    """Extract an article's main text and metadata from its HTML.

    Raises ExtractError with reason `not_html`, `too_large` or `no_text`.
    """
    raw = html.encode("utf-8") if isinstance(html, str) else html
    if len(raw) > MAX_HTML_BYTES:
        raise ExtractError("too_large", f"page is {len(raw):,} bytes, over {MAX_HTML_BYTES:,}")
    if not looks_like_html(raw, content_type):
        kind = (content_type or "unknown type").split(";", 1)[0]
        raise ExtractError("not_html", f"not an HTML page ({kind})")
    doc = trafilatura.bare_extraction(
        raw,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise ExtractError("no_text", "no main text found in the page")
    return ExtractedArticle(
        text=text,
        title=_clean(getattr(doc, "title", None)),
        author=_clean(getattr(doc, "author", None)),
        published=_clean(getattr(doc, "date", None)),
        site_name=_clean(getattr(doc, "sitename", None)),
    )


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
