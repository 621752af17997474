"""Extraction in the process pool: same results as in-process, and no page can stall a batch.

The slow and crashing pages are made by test-only worker functions passed to
`process_pages(work=...)`; they run in real worker processes like `process_page`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from monitor.config import ProcessingSettings
from monitor.fetch import Response
from monitor.polling import FetchedPage, PendingArticle
from monitor.processing import (
    ProcessedArticle,
    page_arrivals,
    page_batches,
    process_page,
    process_pages,
    process_pages_in_process,
)

from .conftest import DATA, REPO

PAGE_DIRS = [DATA / "site" / "pages", REPO / "src" / "monitor" / "demo_site" / "pages"]


def page(url: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> FetchedPage:
    article = PendingArticle(url=url, feed_url="http://127.0.0.1/feed.xml", outlet="Test Outlet")
    return FetchedPage(article, Response(url, 200, {"content-type": content_type}, body))


def real_pages() -> list[FetchedPage]:
    files = sorted(f for d in PAGE_DIRS for f in d.rglob("*.html"))
    return [page(f"http://127.0.0.1/{f.name}", f.read_bytes()) for f in files]


def marked(pages: list[FetchedPage], marker: str, at: int) -> list[FetchedPage]:
    """`pages` with one more page whose URL carries `marker`, inserted at `at`."""
    odd = page(f"http://127.0.0.1/{marker}.html", b"<html><body><p>odd</p></body></html>")
    return [*pages[:at], odd, *pages[at:]]


# Test-only worker functions: module level, so a worker process can import them.
def hang_on_marker(p: FetchedPage) -> ProcessedArticle:
    if "hang" in p.article.url:
        time.sleep(120)
    return process_page(p)


def crash_on_marker(p: FetchedPage) -> ProcessedArticle:
    if "crash" in p.article.url:
        os.kill(os.getpid(), signal.SIGKILL)
    return process_page(p)


def raise_on_marker(p: FetchedPage) -> ProcessedArticle:
    if "raise" in p.article.url:
        raise RuntimeError("a bug in the worker")
    return process_page(p)


def test_pool_gives_the_same_articles_and_figures_as_in_process() -> None:
    pages = real_pages()
    pages += [
        page("http://127.0.0.1/notes.txt", b"plain words", "text/plain"),
        FetchedPage(pages[0].article, reason="http_status", error="HTTP 404"),
    ]
    pooled = process_pages(pages, ProcessingSettings(workers=2, batch_size=3))
    assert pooled == process_pages_in_process(pages)
    assert [p.article.url for p in pooled] == [p.article.url for p in pages]
    assert sum(len(p.figures) for p in pooled) > 5
    assert [p.reason for p in pooled[-2:]] == ["not_html", "http_status"]


def test_a_page_past_the_deadline_is_a_timeout_and_the_others_finish() -> None:
    pages = real_pages()[:6]
    batch = marked(pages, "hang", at=1)  # early in the first chunk: the rest must be re-queued
    started = time.monotonic()
    out = process_pages(
        batch, ProcessingSettings(workers=2, batch_size=4, page_timeout=3), hang_on_marker
    )
    assert time.monotonic() - started < 60  # the 120 s page did not hold the batch
    assert out[1].reason == "timeout" and not out[1].ok
    assert "too long" in (out[1].error or "") and "hang.html" in (out[1].error or "")
    assert [p for i, p in enumerate(out) if i != 1] == process_pages_in_process(pages)


def test_a_crashed_worker_loses_only_its_page() -> None:
    pages = real_pages()[:7]
    batch = marked(pages, "crash", at=2)
    out = process_pages(batch, ProcessingSettings(workers=2, batch_size=4), crash_on_marker)
    assert out[2].reason == "crashed" and "crash.html" in (out[2].error or "")
    assert [p for i, p in enumerate(out) if i != 2] == process_pages_in_process(pages)


def test_an_exception_in_a_worker_is_that_page_s_error() -> None:
    pages = real_pages()[:3]
    out = process_pages(
        marked(pages, "raise", at=0), ProcessingSettings(workers=1), raise_on_marker
    )
    assert out[0].reason == "error" and "RuntimeError: a bug in the worker" in (out[0].error or "")
    assert out[1:] == process_pages_in_process(pages)


def mark_then_process(p: FetchedPage) -> ProcessedArticle:
    """Touch the file named after "#started=" in the page's URL, then extract as usual."""
    if "#started=" in p.article.url:
        Path(p.article.url.split("#started=", 1)[1]).touch()
    return process_page(p)


def test_pages_are_extracted_while_more_are_still_arriving(tmp_path: Path) -> None:
    """The producer holds the rest back until the first page is being extracted: a pool
    that waited for the end of the input would never get there."""
    pages = real_pages()[:6]
    signal_file = tmp_path / "first.started"
    first = page(f"http://127.0.0.1/first.html#started={signal_file}", pages[0].response.body)
    arrivals = page_arrivals()
    errors: list[str] = []

    def produce() -> None:
        arrivals.put(first)
        deadline = time.monotonic() + 60
        while not signal_file.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not signal_file.exists():
            errors.append("the first page was not extracted before the input ended")
        for p in [*pages, first, pages[0]]:  # repeats: a retried fetch puts pages again
            arrivals.put(p)
        arrivals.close()
        arrivals.put(pages[0])  # after close: dropped

    producer = threading.Thread(target=produce)
    producer.start()
    out = process_pages(arrivals, ProcessingSettings(workers=2, batch_size=2), mark_then_process)
    producer.join()
    assert errors == []
    assert [p.article.url for p in out] == [first.article.url] + [p.article.url for p in pages]
    assert out[1:] == process_pages_in_process(pages)


def note_worker(p: FetchedPage) -> ProcessedArticle:
    """Which worker process took the page (in `error`), after a short equal wait for each."""
    time.sleep(0.05)
    return ProcessedArticle(p.article, reason="noted", error=str(os.getpid()))


def test_a_short_queue_is_shared_between_the_workers() -> None:
    """Ten pages with chunks of eight: handing out whole chunks would leave one worker two
    pages and the other eight; each worker must get an even share instead."""
    pages = [page(f"http://127.0.0.1/p{i}.html", b"<html></html>") for i in range(10)]
    out = process_pages(pages, ProcessingSettings(workers=2, batch_size=8), note_worker)
    assert [p.article.url for p in out] == [p.article.url for p in pages]
    per_worker = [p.error for p in out]
    counts = sorted(per_worker.count(pid) for pid in set(per_worker))
    assert len(counts) == 2 and counts[0] >= 3, counts


def test_an_empty_stream_ends_when_closed() -> None:
    arrivals = page_arrivals()
    arrivals.close()
    assert process_pages(arrivals, ProcessingSettings(workers=2)) == []


def test_no_pages_start_no_pool() -> None:
    assert process_pages([]) == []


@pytest.mark.parametrize(("count", "size", "sizes"), [(0, 3, []), (7, 3, [3, 3, 1]), (2, 8, [2])])
def test_page_batches(count: int, size: int, sizes: list[int]) -> None:
    pages = [page(f"http://127.0.0.1/{i}.html", b"") for i in range(count)]
    batches = page_batches(pages, size)
    assert [len(b) for b in batches] == sizes
    assert [p for b in batches for p in b] == pages


def test_page_dirs_exist() -> None:
    assert all(Path(d).is_dir() for d in PAGE_DIRS)


FORKSERVER_CHILDREN = """
import os, sys
from pathlib import Path
from monitor.bench.memory import descendants
if sys.argv[1] == "start":
    from monitor.worker_pool import start_forkserver
    start_forkserver()
lines = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in descendants(os.getpid())]
print(sum(b"multiprocessing.forkserver" in c and b"monitor.processing" in c for c in lines))
"""


@pytest.mark.parametrize(("argument", "servers"), [("start", "1"), ("no", "0")])
def test_start_forkserver_leaves_a_server_with_our_preload_running(
    argument: str, servers: str
) -> None:
    # A fresh interpreter: this one's forkserver is already running from earlier tests.
    done = subprocess.run(
        [sys.executable, "-c", FORKSERVER_CHILDREN, argument],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == servers
