"""Check the bundled demo site: feeds, pages, and the gold figures labeled on them.

Run as `python -m monitor.demo_site.check`. Prints counts, one line per problem,
and exits 1 when there is any problem.

What is checked:

- every feed parses with feedparser without `bozo`, and every entry has a
  title, link, id, date and author;
- every entry link, with `{{BASE}}` filled in, leads to a page under `pages/`,
  or is one of the two deliberately broken entries (a page that does not exist,
  and a PDF); every page is the target of exactly one entry;
- every page gives non-empty text through `monitor.articles.extract_article`
  (trafilatura), and its `<article>` element holds 250-500 words;
- no text from outside `<article>` (menu, deals bar, related links,
  newsletter box, footer) leaks into the extracted text;
- every gold line has exactly the LABELING.md fields, names an existing page,
  and its quote occurs in that page's extracted text (whitespace collapsed).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser

from monitor.articles import extract_article
from monitor.errors import ExtractError

SITE = Path(__file__).resolve().parent
FEEDS = SITE / "feeds"
PAGES = SITE / "pages"
GOLD = SITE / "gold.jsonl"
BASE_PLACEHOLDER = "{{BASE}}"
BASE = "http://127.0.0.1:8765"

# Feed entries that are broken on purpose, so the demo can show recorded errors.
MISSING_PAGE = "token-desk/2025/10/ranked-cheapest-reasoning-apis.html"  # a 404
NOT_HTML = "kiloflop-weekly/files/reader-survey-2025.pdf"  # a PDF

# The fields of shared/eval/LABELING.md, exactly.
GOLD_FIELDS = {"article", "kind", "subject", "metric", "value", "value_high", "unit", "chip"}
GOLD_FIELDS |= {"qualifier", "quote"}
MIN_WORDS, MAX_WORDS = 250, 500
# Chrome text shorter than this is too generic to test for ("News", "Share").
MIN_LEAK_CHARS = 16
# Chrome markers that must never reach the extracted text, whatever the template.
CHROME_MARKERS = re.compile(r"Join [\d,]+ readers|©|\+\d[\d ()-]{7,}\d|Trending|Deals of the week")

_SKIP_TAGS = {"head", "script", "style", "noscript", "template"}
# Tags that break a line of text, so words on either side do not run together.
_BLOCK_TAG = re.compile(
    r"p|div|h[1-6]|li|ul|ol|figure|figcaption|header|footer|section|br|time|span"
)


def collapse(text: str) -> str:
    """Whitespace runs (including no-break spaces) to one space."""
    return " ".join(text.split())


class _PageText(HTMLParser):
    """Visible text of a page, split into the `<article>` element and the rest of `<body>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.article: list[str] = []
        self.chrome: list[str] = []
        self._in_article = 0
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skipping += 1
        elif tag == "article":
            self._in_article += 1
        if self._in_article and _BLOCK_TAG.fullmatch(tag):
            self.article.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "article":
            self._in_article = max(0, self._in_article - 1)
        if self._in_article and _BLOCK_TAG.fullmatch(tag):
            self.article.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._in_article:
            self.article.append(data)
        elif data.strip():
            self.chrome.append(collapse(data))


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, problem: str) -> None:
        self.problems.append(problem)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def page_files() -> dict[str, Path]:
    """Article pages by their URL path below the site root (`outlet/yyyy/mm/slug.html`)."""
    return {p.relative_to(PAGES).as_posix(): p for p in sorted(PAGES.rglob("*.html"))}


def check_feeds(report: Report, pages: dict[str, Path]) -> None:
    targets: dict[str, int] = {}
    for feed_path in sorted(FEEDS.glob("*.xml")):
        body = feed_path.read_bytes().replace(BASE_PLACEHOLDER.encode(), BASE.encode())
        parsed = feedparser.parse(body)
        name = feed_path.name
        report.count("feeds")
        if parsed.bozo:
            report.add(f"{name}: feedparser bozo: {parsed.get('bozo_exception')!r}")
        if not parsed.feed.get("title"):
            report.add(f"{name}: feed has no title")
        if not parsed.entries:
            report.add(f"{name}: no entries")
        for entry in parsed.entries:
            report.count("feed entries")
            for key in ("title", "link", "id", "author"):
                if not entry.get(key):
                    report.add(f"{name}: entry {entry.get('title')!r} has no {key}")
            if not (entry.get("published_parsed") or entry.get("updated_parsed")):
                report.add(f"{name}: entry {entry.get('title')!r} has no parseable date")
            link = str(entry.get("link", ""))
            if not link.startswith(BASE + "/"):
                report.add(f"{name}: link {link!r} is not under {BASE}")
                continue
            path = urlsplit(link).path.lstrip("/")
            targets[path] = targets.get(path, 0) + 1
            if path in pages:
                continue
            if path == MISSING_PAGE and not (PAGES / path).exists():
                report.count("deliberate 404 entries")
            elif path == NOT_HTML and (PAGES / path).read_bytes().startswith(b"%PDF-1.4"):
                check_not_html(report, PAGES / path)
            else:
                report.add(f"{name}: link {link!r} leads to no page")
    for path in pages:
        if targets.get(path, 0) != 1:
            report.add(f"page {path} is the target of {targets.get(path, 0)} feed entries, not 1")


def check_not_html(report: Report, path: Path) -> None:
    try:
        extract_article(path.read_bytes())
    except ExtractError as exc:
        if exc.reason == "not_html":
            report.count("deliberate not-HTML entries")
            return
        report.add(f"{path.name}: expected not_html, got {exc.reason}")
        return
    report.add(f"{path.name}: a PDF was accepted as HTML")


def check_pages(report: Report, pages: dict[str, Path]) -> dict[str, str]:
    """Extracted text of every page, by file stem."""
    texts: dict[str, str] = {}
    for rel, path in pages.items():
        report.count("pages")
        stem = path.stem
        if stem in texts:
            report.add(f"{rel}: page stem {stem!r} is not unique")
        raw = path.read_bytes()
        if b"127.0.0.1" in raw or b"localhost" in raw:
            report.add(f"{rel}: a hard-coded local address; use {BASE_PLACEHOLDER}")
        if raw.count(BASE_PLACEHOLDER.encode()) < 2:
            report.add(f"{rel}: canonical link and og:url should be {BASE_PLACEHOLDER} URLs")
        try:
            extracted = extract_article(raw.replace(BASE_PLACEHOLDER.encode(), BASE.encode()))
        except ExtractError as exc:
            report.add(f"{rel}: extraction failed: {exc.reason}")
            continue
        text = collapse(extracted.text)
        texts[stem] = text
        parser = _PageText()
        parser.feed(raw.decode("utf-8"))
        words = len("".join(parser.article).split())
        if not MIN_WORDS <= words <= MAX_WORDS:
            report.add(f"{rel}: <article> has {words} words, not {MIN_WORDS}-{MAX_WORDS}")
        leaks = [c for c in parser.chrome if len(c) >= MIN_LEAK_CHARS and c in text]
        leaks += CHROME_MARKERS.findall(text)
        for leak in leaks:
            report.add(f"{rel}: page chrome leaks into the extracted text: {leak!r}")
        report.count("chrome strings tested", len(parser.chrome))
    return texts


def check_gold(report: Report, texts: dict[str, str]) -> None:
    seen: set[tuple[object, ...]] = set()
    for n, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"gold.jsonl:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            report.add(f"{where}: not JSON: {exc}")
            continue
        report.count("gold figures")
        if set(row) != GOLD_FIELDS:
            report.add(f"{where}: fields {sorted(row)} are not the LABELING.md fields")
            continue
        key = (row["article"], row["subject"], row["metric"], row["value"], row["unit"])
        if key in seen:
            report.add(f"{where}: duplicate figure {key}")
        seen.add(key)
        if (row["qualifier"] == "range") != (row["value_high"] is not None):
            report.add(f"{where}: value_high must be set exactly for ranges")
        if (row["kind"] == "chips") != (row["chip"] is not None):
            report.add(f"{where}: chip must be set exactly for chip figures")
        text = texts.get(row["article"])
        if text is None:
            report.add(f"{where}: no page with stem {row['article']!r}")
        elif collapse(row["quote"]) not in text:
            report.add(f"{where}: quote not in the extracted text: {row['quote']!r}")
        else:
            report.count("gold quotes found")
    labeled = {json.loads(x)["article"] for x in GOLD.read_text(encoding="utf-8").splitlines() if x}
    report.counts["pages with gold figures"] = len(labeled & set(texts))
    report.counts["pages without AI figures"] = len(set(texts) - labeled)


def run() -> Report:
    report = Report()
    pages = page_files()
    check_feeds(report, pages)
    texts = check_pages(report, pages)
    check_gold(report, texts)
    return report


def main() -> int:
    report = run()
    for key, n in report.counts.items():
        print(f"{key:28} {n}")
    for problem in report.problems:
        print(f"PROBLEM {problem}")
    print("demo site OK" if not report.problems else f"{len(report.problems)} problem(s)")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
