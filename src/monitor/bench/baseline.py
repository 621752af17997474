"""The baseline: trafilatura alone on the corpus pages, a process pool on every core.

No orchestration, no network, no figures, no warehouse: the page bytes are
read from disk and mapped over a `ProcessPoolExecutor` with one worker per
core, through the same `extract_article` call the pipeline makes. This is
the practical limit of the machine that the pipeline's throughput is held to.
"""

from __future__ import annotations

import gc
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from monitor.articles import extract_article
from monitor.bench.memory import PeakMemory
from monitor.errors import ExtractError
from monitor.worker_pool import pool_context


@dataclass(frozen=True)
class BaselineRun:
    pages: int
    articles: int  # pages that gave main text
    seconds: float
    peak_mb: float
    workers: int

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds


def extract_one(item: tuple[str, bytes]) -> bool:
    url, body = item
    try:
        extract_article(body, url=url, content_type="text/html")
    except ExtractError:
        return False
    return True


def run_baseline(files: list[Path], exclude: set[int], chunksize: int = 8) -> BaselineRun:
    items = [(f"http://127.0.0.1/{f.name}", f.read_bytes()) for f in files]
    workers = len(os.sched_getaffinity(0))
    with PeakMemory(exclude) as memory:
        started = time.perf_counter()
        # Each worker freezes the heap it was forked with, as the pipeline's workers do
        # (monitor.worker_pool), so both sides pay the same for garbage collection.
        with ProcessPoolExecutor(workers, mp_context=pool_context(), initializer=gc.freeze) as pool:
            ok = sum(pool.map(extract_one, items, chunksize=chunksize))
        seconds = time.perf_counter() - started
    return BaselineRun(len(items), ok, seconds, memory.peak_mb, workers)
