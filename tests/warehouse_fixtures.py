"""A warehouse filled by one real cycle over the bundled demo site, shared by the analyst tests.

Test modules load this with `pytest_plugins = ["tests.warehouse_fixtures"]` and
import from it only under TYPE_CHECKING (an earlier import would stop pytest
from rewriting its asserts).
The cycle is the real Prefect flow `poll_feeds` against `monitor.sample_site`
serving `src/monitor/demo_site` on 127.0.0.1; it runs once per session. Tests
that change the warehouse work on a copy (`copy_warehouse`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

# The two demo articles that disagree on DeepSeek-R1's training cost.
R1_HERALD_PAGE = "/heatsink-herald/2025/09/deepseek-r1-training-bill.html"  # $294,000
R1_DESK_PAGE = "/token-desk/2025/09/r1-nature-paper-costs.html"  # $249,000


@dataclass(frozen=True)
class DemoCycle:
    config: Path
    warehouse: Path
    base: str  # the demo server's http://127.0.0.1:PORT (closed after the cycle)
    summary: dict[str, Any]

    @property
    def r1_herald_url(self) -> str:
        return self.base + R1_HERALD_PAGE

    @property
    def r1_token_desk_url(self) -> str:
        return self.base + R1_DESK_PAGE

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def demo_cycle(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> DemoCycle:
    from flows.poll_feeds import poll_feeds

    from monitor.demo import demo_site_root, write_demo_config
    from monitor.sample_site import serve_site

    workdir = tmp_path_factory.mktemp("demo-cycle")
    with serve_site(demo_site_root()) as site:
        config = write_demo_config(workdir, site.base, demo_site_root())
        summary = poll_feeds(config_path=str(config))
    return DemoCycle(config, workdir / "monitor.duckdb", site.base, summary)


def copy_warehouse(cycle: DemoCycle, folder: Path) -> Path:
    """A private copy of the demo warehouse that a test may change."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "monitor.duckdb"
    shutil.copyfile(cycle.warehouse, target)
    return target


@pytest.fixture
def private_warehouse(demo_cycle: DemoCycle, tmp_path: Path) -> Iterator[Path]:
    yield copy_warehouse(demo_cycle, tmp_path / "private")


# A second process that opens the file for writing, says so, holds it, then exits.
_HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""
LockHolder = Callable[[Path, float], AbstractContextManager[subprocess.Popen[str]]]


@contextmanager
def held_by_another_process(path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holds `path` for `seconds` (or until the block ends) from entry on."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()


@pytest.fixture
def lock_holder() -> LockHolder:
    return held_by_another_process
