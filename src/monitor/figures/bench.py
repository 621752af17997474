"""Extractor throughput next to trafilatura's on the same pages.

`bench_extractor()` reads the real pages in `<repo>/../shared/corpus/pages/`
in place (override with env MONITOR_CORPUS_DIR), times trafilatura's
extraction of each page (through `monitor.articles.extract_article`, as the
pipeline does) and `extract_figures` on the resulting texts, and returns and
prints both rates and their ratio. The target is a ratio of at least 20.
Run it as `python -m monitor.figures.bench`.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from monitor.articles import extract_article
from monitor.errors import ExtractError
from monitor.figures.extractor import extract_figures
from monitor.figures.lexicon import load_lexicon

REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class BenchResult:
    pages: int  # pages with article text
    trafilatura_seconds: float
    extractor_seconds: float
    figures: int

    @property
    def ratio(self) -> float:
        return self.trafilatura_seconds / self.extractor_seconds if self.extractor_seconds else 0.0

    def summary(self) -> str:
        per_page_t = self.trafilatura_seconds / self.pages * 1000 if self.pages else 0.0
        per_page_x = self.extractor_seconds / self.pages * 1000 if self.pages else 0.0
        return (
            f"pages {self.pages}  trafilatura {self.pages / self.trafilatura_seconds:,.0f} pages/s "
            f"({per_page_t:.2f} ms/page)  extract_figures "
            f"{self.pages / self.extractor_seconds:,.0f} pages/s ({per_page_x:.3f} ms/page)  "
            f"ratio {self.ratio:.1f}x  figures {self.figures}"
        )


def corpus_pages() -> Path:
    override = os.environ.get("MONITOR_CORPUS_DIR")
    return Path(override) if override else REPO.parent / "shared" / "corpus" / "pages"


def bench_extractor(pages_dir: Path | None = None, repeat: int = 3) -> BenchResult:
    """Time trafilatura and extract_figures on the same pages; best of `repeat` for ours."""
    folder = pages_dir or corpus_pages()
    texts: list[str] = []
    trafilatura_seconds = 0.0
    for path in sorted(folder.glob("*.htm*")):
        html = path.read_bytes()
        started = time.perf_counter()
        try:
            text = extract_article(html).text
        except ExtractError:
            text = ""
        trafilatura_seconds += time.perf_counter() - started
        if text:
            texts.append(text)
    load_lexicon()  # data files load once, outside the timing
    best = float("inf")
    figures = 0
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        figures = sum(len(extract_figures(text)) for text in texts)
        best = min(best, time.perf_counter() - started)
    result = BenchResult(len(texts), trafilatura_seconds, best, figures)
    print(result.summary())
    return result


if __name__ == "__main__":
    outcome = bench_extractor()
    sys.exit(0 if outcome.pages else 1)
