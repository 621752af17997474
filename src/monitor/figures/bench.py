"""Extractor throughput next to trafilatura's on the same pages, on two sets.

- real: the real pages in `<repo>/../shared/corpus/pages/` (read in place;
  override with env MONITOR_CORPUS_DIR). Most hold no figure at all, so the
  extractor mostly stops early.
- dense: figure-dense AI articles: the HTML pages of the shared dev corpus
  (override with env MONITOR_EVAL_DIR), of the demo site and of our labeled
  corpus. The plain-text articles of those corpora have no HTML for
  trafilatura to be timed on; they are timed for the extractor alone
  ("all dense articles").

For each set trafilatura's extraction of every page is timed (through
`monitor.articles.extract_article`, as the pipeline does), then
`extract_figures` on the resulting texts; each is the best of a few passes
(one pass of trafilatura on the slow real set). The target is a ratio of at
least 20 on both. `bench_extractor()` returns the numbers as a dict; run
`python -m monitor.figures.bench` for a table.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from monitor.articles import extract_article
from monitor.errors import ExtractError
from monitor.figures.evaluate import shared_eval_dir
from monitor.figures.extractor import extract_figures
from monitor.figures.lexicon import load_lexicon

REPO = Path(__file__).resolve().parents[3]
TARGET_RATIO = 20.0
_HTML = ("*.html", "*.htm")


@dataclass(frozen=True)
class BenchSet:
    name: str
    pages: int  # HTML pages with article text
    trafilatura_ms: float  # per page
    extract_ms: float  # extract_figures per article, on those pages' text
    figures: int  # figures found on those pages
    all_articles: int  # HTML pages and plain-text articles
    all_extract_ms: float  # extract_figures per article over all of them

    @property
    def ratio(self) -> float:
        return self.trafilatura_ms / self.extract_ms if self.extract_ms else 0.0

    def as_dict(self) -> dict[str, object]:
        row = asdict(self)
        for key in ("trafilatura_ms", "extract_ms", "all_extract_ms"):
            row[key] = round(row[key], 4)
        row["ratio"] = round(self.ratio, 1)
        return row


def corpus_pages() -> Path:
    override = os.environ.get("MONITOR_CORPUS_DIR")
    return Path(override) if override else REPO.parent / "shared" / "corpus" / "pages"


def dense_sources() -> tuple[list[Path], list[Path]]:
    """(HTML pages, plain-text articles) of the figure-dense corpora."""
    folders = [
        shared_eval_dir() / "articles",
        REPO / "src" / "monitor" / "demo_site" / "pages",
        REPO / "tests" / "data" / "labeled" / "articles",
    ]
    html: list[Path] = []
    txt: list[Path] = []
    for folder in folders:
        for pattern in _HTML:
            html.extend(sorted(folder.rglob(pattern)))
        txt.extend(sorted(folder.rglob("*.txt")))
    return html, txt


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _page_text(html: bytes) -> str:
    try:
        return extract_article(html).text
    except ExtractError:
        return ""


def bench_set(
    name: str,
    pages: Sequence[Path],
    texts: Sequence[Path] = (),
    repeat: int = 5,
    trafilatura_repeat: int = 3,
) -> BenchSet:
    """Time trafilatura on `pages` and extract_figures on their text and on `texts`."""
    htmls = [path.read_bytes() for path in pages]
    page_texts = [_page_text(html) for html in htmls]  # also warms trafilatura up
    kept = [i for i, text in enumerate(page_texts) if text]

    def run_trafilatura() -> None:
        for i in kept:
            _page_text(htmls[i])

    trafilatura = _best(run_trafilatura, trafilatura_repeat) if kept else 0.0
    load_lexicon()  # data files load once, outside the timing
    articles = [page_texts[i] for i in kept]
    extract = _best(lambda: [extract_figures(text) for text in articles], repeat)
    figures = sum(len(extract_figures(text)) for text in articles)
    everything = articles + [path.read_text(encoding="utf-8") for path in texts]
    extract_all = _best(lambda: [extract_figures(text) for text in everything], repeat)
    n = len(articles)
    return BenchSet(
        name=name,
        pages=n,
        trafilatura_ms=trafilatura / n * 1000 if n else 0.0,
        extract_ms=extract / n * 1000 if n else 0.0,
        figures=figures,
        all_articles=len(everything),
        all_extract_ms=extract_all / len(everything) * 1000 if everything else 0.0,
    )


def bench_extractor(pages_dir: Path | None = None, repeat: int = 5) -> dict[str, object]:
    """Both sets' numbers: {"target_ratio": 20.0, "real": {...}, "dense": {...}}."""
    folder = pages_dir or corpus_pages()
    real_pages = sorted(p for pattern in _HTML for p in folder.glob(pattern))
    real = bench_set("real", real_pages, repeat=repeat, trafilatura_repeat=1)
    dense_html, dense_txt = dense_sources()
    dense = bench_set("dense", dense_html, dense_txt, repeat=repeat)
    return {"target_ratio": TARGET_RATIO, "real": real.as_dict(), "dense": dense.as_dict()}


def format_table(result: dict[str, object]) -> str:
    header = (
        f"{'set':6s} {'pages':>5s} {'trafilatura ms/page':>20s} {'extract ms/article':>19s} "
        f"{'ratio':>7s} {'figures':>7s}   {'all articles':>12s} {'extract ms/article':>19s}"
    )
    lines = [header]
    for name in ("real", "dense"):
        row = result[name]
        assert isinstance(row, dict)
        lines.append(
            f"{name:6s} {row['pages']:5d} {row['trafilatura_ms']:20.2f} {row['extract_ms']:19.3f} "
            f"{row['ratio']:6.1f}x {row['figures']:7d}   {row['all_articles']:12d} "
            f"{row['all_extract_ms']:19.3f}"
        )
    lines.append(f"target: ratio >= {result['target_ratio']:.0f}x on both sets")
    return "\n".join(lines)


def main() -> int:
    result = bench_extractor()
    print(format_table(result))
    real = result["real"]
    return 0 if isinstance(real, dict) and real["pages"] else 1


if __name__ == "__main__":
    sys.exit(main())
