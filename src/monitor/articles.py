"""Main text and metadata of an article page, through trafilatura.

Takes bytes, returns data: no network, no database. The same function serves
the pipeline and `monitor extract`, so figures found at the terminal are the
figures the pipeline stores.

Pages come from strangers, so their declared type and charset are evidence,
not truth: binary files are recognised by their first bytes whatever the
server calls them, and text is decoded as UTF-8 whenever it is valid UTF-8
(a `<meta charset>` often lies), else by the declared charset, else as
Windows-1252, the web's de-facto default.
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
# First bytes of files that are never HTML, whatever the Content-Type says.
_BINARY_MAGIC = {
    b"%PDF-": "PDF document",
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF87a": "GIF image",
    b"GIF89a": "GIF image",
    b"RIFF": "RIFF media (WebP, WAV, AVI)",
    b"PK\x03\x04": "ZIP archive (or Office document)",
    b"\x1f\x8b": "gzip archive",
}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Less main text than this is page chrome ("Home", "Log in"), not an article.
MIN_TEXT_CHARS = 80


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


def binary_kind(body: bytes) -> str | None:
    """What a binary file is, by its first bytes; None when it is not one we know."""
    head = body[:16]
    return next((kind for magic, kind in _BINARY_MAGIC.items() if head.startswith(magic)), None)


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """True when the declared type or, lacking one, the first bytes say HTML."""
    if binary_kind(body):
        return False
    if content_type:
        media = content_type.split(";", 1)[0].strip().lower()
        if media in _HTML_TYPES:
            return True
        if media and media not in ("text/plain", "application/octet-stream"):
            return False
    return bool(_HTML_SNIFF.search(body[:2048]))


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """The page as text: BOM, then valid UTF-8, then the declared charsets, then Windows-1252."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    declared = [m[1] for m in [_HEADER_CHARSET.search(content_type or "")] if m]
    declared += [m.decode("ascii") for m in _META_CHARSET.findall(body[:4096])[:1]]
    for codec in ["utf-8", *declared, "cp1252"]:
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", errors="replace")


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
        kind = binary_kind(raw) or (content_type or "unknown type").split(";", 1)[0]
        raise ExtractError("not_html", f"not an HTML page ({kind})")
    text_html = html if isinstance(html, str) else decode_html(raw, content_type)
    doc = trafilatura.bare_extraction(
        text_html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise ExtractError("no_text", "no main text found in the page")
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractError(
            "no_text", f"only {len(text)} characters of text, too little for an article"
        )
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
