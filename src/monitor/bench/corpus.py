"""The bench corpus: feeds over real pages (read in place) and generated story pages.

`build_corpus` writes the generated pages and the feeds into a work folder
and a manifest mapping each URL path to its file; the real pages of
`../shared/corpus/pages/` are listed there by their own path, never copied.
The first-cycle set spreads real and generated pages over `feeds` feeds; the
fresh set (new articles for the cost-per-article cycles) is on feeds of its
own: half follow-ups by new outlets on stories of the first set, half new
stories. Same arguments, same corpus.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from monitor.bench.markup import article_html, feed_xml
from monitor.bench.stories import story

BASE = "{{BASE}}"  # the server puts its own address here in feeds
PAGES_PER_STORY = 3  # outlets reporting each story of the first set
NEW_STORIES_FROM = 1_000_000  # story numbers of the fresh set's new stories
_EPOCH = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class CorpusSettings:
    feeds: int = 50
    pages: int = 1000
    real_pages: int = 300  # at most this many of the real pages
    fresh_feeds: int = 4
    fresh_pages: int = 200


@dataclass
class Corpus:
    root: Path
    feeds: list[tuple[str, str]] = field(default_factory=list)  # (name, URL path)
    fresh_feeds: list[tuple[str, str]] = field(default_factory=list)
    page_files: list[Path] = field(default_factory=list)  # the first set, for the baseline
    real: int = 0
    generated: int = 0
    stories: int = 0  # stories of the first set (numbers 0 .. stories-1)

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"


@dataclass
class _Page:
    path: str
    file: Path | None = None  # a real page; else generated once its outlet is known
    story: int = 0
    outlet: int = 0


def build_corpus(root: Path, real_dir: Path, settings: CorpusSettings) -> Corpus:
    root.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(root)
    real = sorted(real_dir.glob("*.html"))[: min(settings.real_pages, settings.pages)]
    pages = [_Page(f"/archive/{f.stem}.html", file=f) for f in real]
    corpus.real = len(pages)
    corpus.generated = settings.pages - len(pages)
    corpus.stories = -(-corpus.generated // PAGES_PER_STORY)
    pages += [
        _Page(f"/news/s{k // PAGES_PER_STORY}-o{k % PAGES_PER_STORY}.html",
              story=k // PAGES_PER_STORY, outlet=k % PAGES_PER_STORY)
        for k in range(corpus.generated)
    ]  # fmt: skip
    random.Random("bench-corpus").shuffle(pages)  # noqa: S311 - reproducible, not secret
    routes: dict[str, str] = {}
    corpus.feeds = _write_feeds(root, "f", settings.feeds, pages, routes, corpus.page_files)
    fresh = [
        _Page(f"/fresh/s{n}-o{o}.html", story=n, outlet=o)
        for i in range(settings.fresh_pages)
        for n, o in [_fresh_story(i, corpus.stories)]
    ]
    corpus.fresh_feeds = _write_feeds(root, "n", settings.fresh_feeds, fresh, routes, [])
    corpus.manifest.write_text(json.dumps(routes, indent=0), encoding="utf-8")
    return corpus


def _fresh_story(i: int, stories: int) -> tuple[int, int]:
    """The fresh set's i-th page: a follow-up (outlet 3 or more) or a new story."""
    if i % 2 == 0 and stories:
        return (i // 2) * 7 % stories, PAGES_PER_STORY + i % 5
    return NEW_STORIES_FROM + i // 2, i % 3


def _write_feeds(
    root: Path,
    prefix: str,
    count: int,
    pages: list[_Page],
    routes: dict[str, str],
    page_files: list[Path],
) -> list[tuple[str, str]]:
    feeds = []
    for f in range(count):
        name = f"Bench Outlet {prefix.upper()}{f + 1:02d}"
        items = []
        for j, page in enumerate(pages[f::count]):
            if page.file is None:
                page.file = root / page.path.lstrip("/")
                page.file.parent.mkdir(parents=True, exist_ok=True)
                published = _EPOCH + timedelta(hours=page.story % 5000, minutes=page.outlet)
                html = article_html(
                    story(page.story), page.outlet, name, BASE + page.path, published.isoformat()
                )
                page.file.write_text(html, encoding="utf-8")
            when = _EPOCH + timedelta(days=count - f, hours=j)
            items.append((f"{name} item {j + 1}", BASE + page.path, format_datetime(when)))
            routes[page.path] = str(page.file)
            page_files.append(page.file)
        feed_path = f"/feeds/{prefix}{f + 1:02d}.xml"
        feed_file = root / feed_path.lstrip("/")
        feed_file.parent.mkdir(parents=True, exist_ok=True)
        feed_file.write_text(feed_xml(name, BASE + "/", items), encoding="utf-8")
        routes[feed_path] = str(feed_file)
        feeds.append((name, feed_path))
    return feeds
