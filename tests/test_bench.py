"""The bench machinery end to end on a tiny corpus: every result field is there and adds up.

Nothing here is timed: the numbers are the bench's business (`make bench`);
this checks that a run measures what it says it measures.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from monitor.bench.corpus import CorpusSettings, build_corpus
from monitor.bench.memory import PeakMemory
from monitor.bench.report import render_table, write_results
from monitor.bench.run import BenchSettings, run_bench
from monitor.bench.stories import CONTRADICTED_EVERY, article_paragraphs, story
from monitor.figures import extract_figures

from .conftest import REPO, SHARED

pytestmark = pytest.mark.integration

REAL_PAGES = SHARED / "corpus" / "pages"
FIELDS = {
    "machine": {"cpus", "python", "load_average_1m"},
    "settings": {"feeds", "pages", "real_pages", "fresh_feeds", "fresh_pages", "repeat"},
    "corpus": {"feeds", "pages", "real_pages", "generated_pages", "fresh_feeds", "build_s"},
    "prefect": {"api", "startup_s"},
    "baseline": {"pages", "articles", "seconds", "pages_per_s", "peak_mb", "workers"},
    "first_cycle": {
        "seconds", "peak_mb", "feeds_polled", "feeds_not_modified", "new_articles",
        "article_errors", "figures", "contradictions_new", "stages", "articles_per_s",
        "pages", "pages_per_s", "ratio_to_baseline",
    },
    "not_modified_cycle": {
        "seconds", "peak_mb", "feeds_polled", "feeds_not_modified", "new_articles",
        "article_errors", "figures", "contradictions_new", "stages", "articles_per_s",
    },
    "scale": {"warehouse_articles", "prefilled", "new_articles", "seconds", "ms_per_article",
              "peak_mb", "stages"},
    "cost_growth": set(),
    "targets": {"throughput_ratio_min", "not_modified_seconds_max", "peak_mb_max",
                "cost_growth_max", "met"},
}  # fmt: skip
STAGES = {
    "open-run", "poll-feeds", "select-new-entries", "fetch-pages", "extract-articles",
    "store-cycle", "detect-contradictions", "deliver-alerts", "close-run",
}  # fmt: skip


def keys(section: Any) -> set[str]:
    if isinstance(section, list):
        return set().union(*(keys(item) for item in section))
    return set(section) if isinstance(section, dict) else set()


@pytest.mark.usefixtures("prefect_harness")
def test_a_tiny_bench_run_fills_every_field(tmp_path: Path) -> None:
    settings = BenchSettings(
        corpus=CorpusSettings(feeds=3, pages=20, real_pages=5, fresh_feeds=2, fresh_pages=6),
        real_dir=REAL_PAGES,
        warehouse_sizes=(30, 45),
        repeat=1,
    )
    results = run_bench(settings, tmp_path / "work", start_prefect=False)

    assert {k: keys(v) for k, v in results.items()} == FIELDS
    assert results["corpus"] | {"build_s": 0} == {
        "feeds": 3, "pages": 20, "real_pages": 5, "generated_pages": 15, "fresh_feeds": 2,
        "build_s": 0,
    }  # fmt: skip
    first, again = results["first_cycle"], results["not_modified_cycle"]
    assert first["pages"] == first["new_articles"] + first["article_errors"] == 20
    assert first["new_articles"] >= 15 and first["figures"] >= 15  # one figure a story page
    assert set(first["stages"]) >= STAGES
    assert (again["feeds_polled"], again["feeds_not_modified"], again["new_articles"]) == (3, 3, 0)
    assert results["baseline"]["pages"] == 20 and results["baseline"]["workers"] >= 1
    assert [p["warehouse_articles"] for p in results["scale"]] == [30, 45]
    assert [p["new_articles"] for p in results["scale"]] == [6, 6]
    assert all(p["ms_per_article"] > 0 for p in results["scale"])
    assert set(results["targets"]["met"]) == {"throughput", "not_modified", "memory", "flat_cost"}
    assert all(s > 0 for s in (first["peak_mb"], again["peak_mb"], results["baseline"]["peak_mb"]))

    out = tmp_path / "bench" / "results.json"
    write_results(results, out)
    assert json.loads(out.read_text()) == results
    table = render_table(results)
    assert "ratio to baseline" in table and "all-304 cycle: 3/3" in table and "45 stored" in table


def test_every_result_field_is_explained_in_bench_readme() -> None:
    readme = (REPO / "bench" / "README.md").read_text(encoding="utf-8")
    for section, fields in FIELDS.items():
        assert f"`{section}`" in readme, section
        for name in fields:
            assert f"`{name}`" in readme, f"{section}.{name}"


def test_the_corpus_is_reproducible_and_its_stories_carry_figures(tmp_path: Path) -> None:
    settings = CorpusSettings(feeds=2, pages=12, real_pages=2, fresh_feeds=1, fresh_pages=4)
    one = build_corpus(tmp_path / "a", REAL_PAGES, settings)
    two = build_corpus(tmp_path / "b", REAL_PAGES, settings)
    assert [f.name for f in one.page_files] == [f.name for f in two.page_files]
    generated = [f for f in one.page_files if f.is_relative_to(one.root)]
    assert len(generated) == 10
    assert [f.read_bytes() for f in generated] == [
        (two.root / f.relative_to(one.root)).read_bytes() for f in generated
    ]
    real = [f for f in one.page_files if not f.is_relative_to(one.root)]
    assert {f.parent for f in real} == {REAL_PAGES}  # read in place, never copied
    disputed = story(CONTRADICTED_EVERY)
    values = {
        extract_figures("\n\n".join(article_paragraphs(disputed, outlet)))[0].value
        for outlet in range(3)
    }
    assert len(values) == 2  # one outlet disagrees


def _hold_memory(megabytes: int, seconds: float) -> subprocess.Popen[bytes]:
    code = f"import time; b = bytearray({megabytes} << 20); time.sleep({seconds})"
    return subprocess.Popen([sys.executable, "-c", code])


def test_peak_memory_counts_children_started_later_and_not_excluded_ones() -> None:
    with PeakMemory(exclude=set(), interval=0.02, tree_every=5) as alone:
        time.sleep(0.3)
    with PeakMemory(exclude=set(), interval=0.02, tree_every=5) as with_child:
        child = _hold_memory(300, 1.0)  # starts after the first look at the process tree
        child.wait()
    excluded = _hold_memory(300, 1.5)
    try:
        time.sleep(0.5)
        with PeakMemory(exclude={excluded.pid}, interval=0.02, tree_every=5) as without:
            time.sleep(0.5)
    finally:
        excluded.wait()
    assert with_child.peak_mb > alone.peak_mb + 250
    assert without.peak_mb < alone.peak_mb + 100
