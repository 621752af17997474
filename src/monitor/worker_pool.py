"""A process pool with a hard deadline on each item, for CPU work Python cannot interrupt.

trafilatura (lxml underneath) cannot be stopped from Python once it runs: the
only hard limit is ending its process. So each worker takes a chunk of items
and sends back one result per item, in order; the parent knows which item a
worker is on (the first of its chunk without a result) and since when. A
worker past the deadline is killed, that item becomes a failure (`timeout`),
the rest of its chunk goes back to the queue and a fresh worker takes its
place. A worker that dies by itself (a crash in C code, the OOM killer) is
handled the same way, with reason `crashed`. No item of a batch is lost.

A worker gets its next chunk before it runs out (when `refill_at` items or
fewer are left), so it need not wait on the parent between chunks: on a busy
machine the parent's thread may take milliseconds to be scheduled. As the
queue runs low, chunks shrink to an even share per worker so that one worker
is not left with a long tail while the other idles.

Items can also arrive while the pool runs (`Arrivals`): another thread puts
them as it gets them (pages as their responses come in), and hungry workers
take them at once, so producing and processing overlap.

Workers are forked from a forkserver that has imported `PRELOAD` once, so a
worker starts in milliseconds and never inherits the parent's threads.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.forkserver
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import Generic, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")

PRELOAD = ["monitor.processing"]
# A new worker imports what `work` needs before it says it is ready; on a busy
# machine that may take longer than one item's deadline.
STARTUP_SECONDS = 60.0
# How long an idle worker may wait before it sees an item that has just arrived.
ARRIVAL_POLL = 0.01
# How long an idle pool blocks on arrivals before it looks at its workers again.
ARRIVAL_WAIT = 0.1
_context: ForkServerContext | None = None


def pool_context() -> ForkServerContext:
    """The forkserver context, with our modules preloaded in the server (set once)."""
    global _context
    if _context is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        _context = ctx
    return _context


def start_forkserver() -> None:
    """Start the forkserver now, so its imports run while the caller does other work.

    The server imports `PRELOAD` (trafilatura and the figure extractor: about
    a second) before it forks its first worker; a process that starts it
    early (a poll cycle, before polling) finds it ready when the pool starts.
    Returns at once; starting an already running server does nothing.
    """
    pool_context()
    multiprocessing.forkserver.ensure_running()


@dataclass(frozen=True)
class PoolSettings:
    workers: int
    deadline: float  # seconds one item may take
    chunk_size: int
    between: Callable[[], None] | None = None  # run in a worker every `every` items
    every: int = 200
    refill_at: int = 2  # a worker with this many items left or fewer is sent more


class Arrivals(Generic[T]):
    """Items handed to a running pool by other threads as they come, until `close()`.

    An item whose key was put before is dropped, so a producer that is retried
    from the start may put everything again. Items put after `close()` are
    dropped too: the pool has stopped looking.
    """

    _END = object()

    def __init__(self, key: Callable[[T], Hashable]) -> None:
        self._key = key
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._keys: set[Hashable] = set()
        self._lock = threading.Lock()
        self._closed = False

    def put(self, item: T) -> None:
        with self._lock:
            key = self._key(item)
            if self._closed or key in self._keys:
                return
            self._keys.add(key)
            self._queue.put(item)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._queue.put(self._END)

    def take(self, timeout: float) -> tuple[list[T], bool]:
        """What arrived, waiting up to `timeout` for the first; and True once closed."""
        got: list[T] = []
        try:
            item = self._queue.get(timeout=timeout) if timeout > 0 else self._queue.get_nowait()
            while True:
                if item is self._END:
                    return got, True
                got.append(cast(T, item))  # anything but _END is a T
                item = self._queue.get_nowait()
        except queue.Empty:
            return got, False


def run_pool(
    items: Sequence[T] | Arrivals[T],
    work: Callable[[T], R],
    failed: Callable[[T, str, str], R],
    settings: PoolSettings,
) -> list[R]:
    """`[work(item) for item in items]` across processes, each item under the deadline.

    `work` and `failed` must be module-level functions (they are pickled by
    name). An item whose worker ran out of time, crashed or raised becomes
    `failed(item, reason, detail)` with reason `timeout`, `crashed` or `error`.
    Results come in the order of `items`; from `Arrivals`, in order of arrival,
    once it is closed and every item is done.
    """
    if isinstance(items, Arrivals):
        return _Pool([], work, failed, settings, source=items).run()
    return _Pool(list(items), work, failed, settings).run()


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    chunk: deque[int] = field(default_factory=deque)
    since: float = 0.0  # when its current item started (as the parent saw it)
    ready: bool = False  # it said so: its start-up (imports) is over

    def limit(self, deadline: float) -> float:
        """When its current item runs out of time (start-up has a limit of its own)."""
        return self.since + (deadline if self.ready else max(deadline, STARTUP_SECONDS))


@dataclass
class _Pool(Generic[T, R]):
    items: list[T]
    work: Callable[[T], R]
    failed: Callable[[T, str, str], R]
    settings: PoolSettings
    source: Arrivals[T] | None = None  # more items to come, while not closed
    results: dict[int, R] = field(default_factory=dict)
    queue: deque[int] = field(default_factory=deque)
    count: int = 1  # workers, set by run()

    def run(self) -> list[R]:
        self.queue.extend(range(len(self.items)))
        size = max(1, self.settings.chunk_size)
        count = max(1, self.settings.workers)
        if self.source is None:
            count = min(count, -(-len(self.items) // size))
        workers = [self._start() for _ in range(count)]
        self.count = count
        waiting = self.source is not None
        try:
            while True:
                if waiting:
                    # Nothing queued and no worker busy: block on arrivals, not on workers.
                    idle = not self.queue and not any(w.chunk for w in workers)
                    waiting = self._arrive(ARRIVAL_WAIT if idle else 0.0)
                for w in workers:
                    self._refill(w)
                if not any(w.chunk for w in workers):
                    if waiting:
                        continue
                    break
                self._wait(workers, waiting)
                workers = [self._check(w) for w in workers]
        finally:
            for w in workers:
                self._stop(w)
        return [self.results[i] for i in range(len(self.items))]

    def _arrive(self, timeout: float) -> bool:
        """Queue what has arrived; False once the source is closed and drained."""
        assert self.source is not None
        got, closed = self.source.take(timeout)
        self.queue.extend(range(len(self.items), len(self.items) + len(got)))
        self.items.extend(got)
        return not closed

    def _start(self) -> _Worker:
        ctx = pool_context()
        parent_end, child_end = ctx.Pipe()
        process = ctx.Process(
            target=_serve,
            args=(child_end, self.work, self.settings.between, self.settings.every),
            name="monitor-extract",
            daemon=True,
        )
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _hungry(self, w: _Worker) -> bool:
        """True when `w` should be sent more: it has `refill_at` items or fewer left."""
        return len(w.chunk) <= self.settings.refill_at

    def _refill(self, w: _Worker) -> None:
        """Send `w` its next chunk if it is hungry: a full one, or its share of a short queue."""
        if not self._hungry(w):
            return
        share = -(-len(self.queue) // self.count)  # the queue split evenly, rounded up
        take = min(max(1, self.settings.chunk_size), share)
        if not take:
            return
        sent = [self.queue.popleft() for _ in range(take)]
        if not w.chunk:  # it was idle: its next item starts now
            w.since = time.monotonic()
        w.chunk.extend(sent)
        # A worker that is gone raises here; _check sees it and hands the chunk on.
        with suppress(OSError):
            w.conn.send([self.items[i] for i in sent])

    def _wait(self, workers: list[_Worker], arriving: bool) -> None:
        busy = [w for w in workers if w.chunk]
        first_limit = min(w.limit(self.settings.deadline) for w in busy)
        timeout = max(0.0, first_limit - time.monotonic())
        if arriving and any(self._hungry(w) for w in workers):
            timeout = min(timeout, ARRIVAL_POLL)  # a hungry worker may soon have work
        wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)

    def _check(self, w: _Worker) -> _Worker:
        """Take what `w` finished; replace it if it died or ran out of time."""
        dead = self._drain(w) or w.process.exitcode is not None
        if dead and w.chunk:
            return self._replace(w, "crashed", f"worker exited ({w.process.exitcode})")
        if dead:  # gone between chunks: nothing was lost, start another
            self._stop(w, kill=True)
            w = self._start()
        self._refill(w)
        if not w.chunk:
            return w
        if time.monotonic() > w.limit(self.settings.deadline):
            if not w.ready:
                return self._replace(w, "crashed", f"worker not started in {STARTUP_SECONDS:g} s")
            return self._replace(w, "timeout", f"over {self.settings.deadline:g} s")
        return w

    def _drain(self, w: _Worker) -> bool:
        """Record results waiting in the pipe; True when the worker's end is gone."""
        try:
            while w.chunk and w.conn.poll():
                tag, payload = w.conn.recv()
                w.since = time.monotonic()
                if tag == "ready":  # its start-up is not its first item's time
                    w.ready = True
                    continue
                index = w.chunk.popleft()
                if tag == "ok":
                    self.results[index] = payload
                else:
                    self.results[index] = self.failed(self.items[index], "error", str(payload))
        except (EOFError, OSError):
            return True
        return False

    def _replace(self, w: _Worker, reason: str, detail: str) -> _Worker:
        self._stop(w, kill=True)
        index = w.chunk.popleft()
        self.results[index] = self.failed(self.items[index], reason, detail)
        self.queue.extendleft(reversed(w.chunk))
        fresh = self._start()
        self._refill(fresh)
        return fresh

    @staticmethod
    def _stop(w: _Worker, kill: bool = False) -> None:
        if kill or w.chunk:
            w.process.kill()
        else:
            try:
                w.conn.send(None)  # asks the worker to exit
            except OSError:
                w.process.kill()
        w.process.join(timeout=5)
        if w.process.exitcode is None:
            w.process.kill()
            w.process.join()
        w.conn.close()
        w.process.close()


def _serve(
    conn: Connection,
    work: Callable[[T], R],
    between: Callable[[], None] | None,
    every: int,
) -> None:
    """A worker's loop: "ready", then chunks in and one ("ok" or "error", ...) per item out.

    First it freezes the heap it was forked with: the ~140,000 objects the
    forkserver preloaded (trafilatura, lxml, our modules) are never garbage,
    so full collections skip them. One took ~80 ms before (trafilatura's
    `reset_caches` runs one every 200 pages, the interpreter more), and
    about 1 s of CPU per 1,000 pages went to them; frozen objects also stay
    on pages shared with the forkserver.
    """
    gc.freeze()
    conn.send(("ready", None))
    done = 0
    while True:
        try:
            chunk = conn.recv()
        except EOFError:  # the parent is gone
            return
        if chunk is None:
            return
        for item in chunk:
            try:
                conn.send(("ok", work(item)))
            except Exception as exc:  # noqa: BLE001 - any bug in `work` is one item's failure
                conn.send(("error", f"{type(exc).__name__}: {exc}"))
            done += 1
            if between is not None and done % every == 0:
                between()
