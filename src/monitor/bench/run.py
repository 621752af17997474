"""The whole bench in one run: corpus, server, Prefect API, baseline, cycles, warehouse growth.

Each measurement is the best of `repeat` runs (the machine may be shared),
and measurements that are compared with each other take turns (baseline,
first cycle, baseline, ...; 1k, 5k, 1k, ...) so a burst of load elsewhere
does not land on one side only. A first cycle is repeated on a fresh
warehouse each time, and each cost-per-article cycle on a fresh copy of its
pre-filled warehouse, so every repetition does the same work.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from monitor.bench.baseline import BaselineRun, run_baseline
from monitor.bench.corpus import Corpus, CorpusSettings, build_corpus
from monitor.bench.cycles import CycleRun, best, run_cycle, write_config
from monitor.bench.memory import descendants
from monitor.bench.prefill import article_count, prefill
from monitor.bench.site import serve_corpus
from monitor.config import load_config

TARGETS = {
    "throughput_ratio_min": 0.85,
    "not_modified_seconds_max": 3.0,
    "peak_mb_max": 1024.0,
    "cost_growth_max": 1.2,  # ms per article with 5k stored over 1k stored: flat within noise
}


@dataclass(frozen=True)
class BenchSettings:
    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    real_dir: Path = Path("../shared/corpus/pages")
    warehouse_sizes: tuple[int, ...] = (1000, 5000)
    repeat: int = 2


def run_bench(settings: BenchSettings, workdir: Path, start_prefect: bool = True) -> dict[str, Any]:
    """Measure everything; return the results (see bench/README.md for the fields)."""
    started = time.perf_counter()
    corpus = build_corpus(workdir / "corpus", settings.real_dir, settings.corpus)
    build_s = time.perf_counter() - started
    with serve_corpus(corpus.manifest) as (base, site_pid), _prefect(start_prefect) as prefect:
        exclude = descendants(os.getpid()) | {site_pid}
        baselines, firsts = [], []
        for r in range(settings.repeat):
            baselines.append(run_baseline(corpus.page_files, exclude))
            config = write_config(workdir / f"first-{r}", base, corpus.feeds)
            firsts.append(run_cycle(config, exclude))
        not_modified = best([run_cycle(config, exclude) for _ in range(settings.repeat)])
        scale = _scale(settings, corpus, config, base, workdir, exclude)
    baseline = min(baselines, key=lambda b: b.seconds)
    first = best(firsts)
    return _results(settings, corpus, build_s, prefect, baseline, first, not_modified, scale)


@contextlib.contextmanager
def _prefect(start: bool) -> Iterator[dict[str, Any]]:
    """One Prefect API for every cycle of the bench; its start-up is reported on its own."""
    if not start:
        yield {"api": "already running (PREFECT_API_URL or a test harness)", "startup_s": None}
        return
    from prefect.testing.utilities import prefect_test_harness

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    t = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=180):
        info = {
            "api": "prefect.testing.utilities.prefect_test_harness: a temporary local API"
            " (uvicorn subprocess, fresh SQLite database), started once for the bench",
            "startup_s": round(time.perf_counter() - t, 2),
        }
        yield info


def _scale(
    settings: BenchSettings,
    corpus: Corpus,
    grown: Path,
    base: str,
    workdir: Path,
    exclude: set[int],
) -> list[dict[str, Any]]:
    """Cost per new article with the warehouse pre-filled to each size."""
    config = load_config(grown, env={})
    snapshots = []
    for size in settings.warehouse_sizes:
        added = prefill(config, size)
        snapshot = workdir / f"warehouse-{size}.duckdb"
        shutil.copy(config.warehouse.path, snapshot)
        snapshots.append((size, snapshot, added, article_count(config)))
    runs: dict[int, list[CycleRun]] = {size: [] for size in settings.warehouse_sizes}
    for r in range(settings.repeat):
        for size, snapshot, _, _ in snapshots:
            folder = workdir / f"scale-{size}-{r}"
            fresh = write_config(folder, base, corpus.fresh_feeds)
            shutil.copy(snapshot, folder / "monitor.duckdb")
            runs[size].append(run_cycle(fresh, exclude))
    points = []
    for size, _, added, stored in snapshots:
        run = best(runs[size])
        points.append(
            {
                "warehouse_articles": stored,
                "prefilled": added,
                "new_articles": run.new_articles,
                "seconds": round(run.seconds, 3),
                "ms_per_article": round(1000 * run.seconds / max(1, run.new_articles), 2),
                "peak_mb": run.peak_mb,
                "stages": run.stages,
            }
        )
    return points


def _results(
    settings: BenchSettings,
    corpus: Corpus,
    build_s: float,
    prefect: dict[str, Any],
    baseline: BaselineRun,
    first: CycleRun,
    not_modified: CycleRun,
    scale: list[dict[str, Any]],
) -> dict[str, Any]:
    first_pages = first.new_articles + first.article_errors
    ratio = (first_pages / first.seconds) / baseline.pages_per_s
    growth = scale[-1]["ms_per_article"] / scale[0]["ms_per_article"] if scale else None
    peak = max([baseline.peak_mb, first.peak_mb, not_modified.peak_mb])
    return {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "settings": {**asdict(settings.corpus), "repeat": settings.repeat},
        "corpus": {
            "feeds": len(corpus.feeds),
            "pages": len(corpus.page_files),
            "real_pages": corpus.real,
            "generated_pages": corpus.generated,
            "fresh_feeds": len(corpus.fresh_feeds),
            "build_s": round(build_s, 2),
        },
        "prefect": prefect,
        "baseline": {
            **asdict(baseline),
            "seconds": round(baseline.seconds, 3),
            "pages_per_s": round(baseline.pages_per_s, 2),
        },
        "first_cycle": {
            **_cycle_fields(first),
            "pages": first_pages,
            "pages_per_s": round(first_pages / first.seconds, 2),
            "ratio_to_baseline": round(ratio, 3),
        },
        "not_modified_cycle": _cycle_fields(not_modified),
        "scale": scale,
        "cost_growth": round(growth, 3) if growth is not None else None,
        "targets": {
            **TARGETS,
            "met": {
                "throughput": ratio >= TARGETS["throughput_ratio_min"],
                "not_modified": not_modified.seconds < TARGETS["not_modified_seconds_max"],
                "memory": peak < TARGETS["peak_mb_max"],
                "flat_cost": growth is not None and growth <= TARGETS["cost_growth_max"],
            },
        },
    }


def _cycle_fields(run: CycleRun) -> dict[str, Any]:
    out = asdict(run)
    out["seconds"] = round(run.seconds, 3)
    out["articles_per_s"] = round(run.articles_per_s, 2)
    return out
