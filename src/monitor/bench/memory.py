"""Peak resident memory of this process and the processes it starts (pool workers included).

A thread samples every `interval` seconds the summed RSS of this process and
all its descendants, except the ones named in `exclude` (the bench's web
server and Prefect's API server, which are not the pipeline) and theirs.
RSS counts pages shared between processes once per process, so the sum is an
upper bound. Read from Linux's /proc, so the bench needs no extra package.

The sampler runs inside the measured process, so it must cost next to
nothing: finding the descendants means reading every process's stat file
(~2 ms), so the set of processes is re-read only every `tree_every`-th
sample (pool workers live for the whole cycle); each sample in between reads
the RSS of the known processes alone.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType

_PROC = Path("/proc")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process we can see."""
    out = {}
    for stat in _PROC.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # it ended while we looked
        # "pid (comm) state ppid ...": comm may hold spaces or parentheses.
        out[int(text.split(" ", 1)[0])] = int(text.rsplit(")", 1)[1].split()[1])
    return out


def descendants(pid: int, parents: dict[int, int] | None = None) -> set[int]:
    parents = _parents() if parents is None else parents
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def rss_bytes(pid: int) -> int:
    try:
        return int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0  # it ended while we looked


class PeakMemory:
    def __init__(self, exclude: set[int], interval: float = 0.05, tree_every: int = 10) -> None:
        self.exclude = exclude
        self.interval = interval
        self.tree_every = tree_every
        self.peak = 0
        self._pids: set[int] = set()
        self._samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)

    def __enter__(self) -> PeakMemory:
        self.sample()
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        if self._samples % self.tree_every == 0:
            self._pids = self.measured_pids()
        self._samples += 1
        self.peak = max(self.peak, sum(rss_bytes(pid) for pid in self._pids))

    def measured_pids(self) -> set[int]:
        """This process and its descendants, less the excluded ones and theirs."""
        parents = _parents()
        skip = set(self.exclude)
        for pid in self.exclude:
            skip |= descendants(pid, parents)
        return ({os.getpid()} | descendants(os.getpid(), parents)) - skip
