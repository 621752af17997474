"""Shared fixtures: a real HTTP server on 127.0.0.1, temp DuckDB files, a Prefect test harness."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from monitor.demo import demo_site_root
from monitor.sample_site import SiteServer, serve_site

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# Property tests explore new inputs on every developer run; CI replays a fixed
# set so a landing never depends on luck. What they find goes in as @example.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for the whole session (it takes ~10 s to start), with the
    settings `monitor run` uses on its own temporary API."""
    from prefect.testing.utilities import prefect_test_harness

    from monitor.runner import flow_run_settings

    with prefect_test_harness(server_startup_timeout=120), flow_run_settings(temporary_api=True):
        yield


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A private copy of tests/data/site, so a test may add or change files."""
    root = tmp_path / "site"
    shutil.copytree(DATA / "site", root)
    return root


# The two healthy feeds of tests/data/site, as (name, URL path) for `write_config`.
SITE_FEEDS = [
    ("Alpha Compute Desk", "/feeds/alpha.rss.xml"),
    ("Beta Silicon Wire", "/feeds/beta.atom.xml"),
]


@pytest.fixture
def site(site_root: Path) -> Iterator[SiteServer]:
    """`site_root` served on 127.0.0.1 (modules serving another folder define their own)."""
    with serve_site(site_root) as server:
        yield server


def warehouse_of(config: Path) -> Path:
    """Where `write_config` puts the warehouse: beside the config file."""
    return config.parent / "monitor.duckdb"


def query(config: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of `sql` run read-only on the warehouse of a `write_config` config."""
    import duckdb

    with duckdb.connect(str(warehouse_of(config)), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def write_config(
    path: Path, base: str, feeds: list[tuple[str, str]], extra: str = "", timeout: float = 5
) -> Path:
    """A config for feeds on the local test server; `extra` is appended TOML."""
    lines = [
        "[warehouse]",
        f'path = "{path.parent / "monitor.duckdb"}"',
        "[http]",
        f"timeout = {timeout}",
        "allow_private = true",
        extra,
    ]
    for name, feed_path in feeds:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{base}{feed_path}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_demo_feeds_config(
    folder: Path, base: str, email: list[str], subscriber: str = "analyst@example.org"
) -> Path:
    """A config for every feed of the demo site served at `base`; `email` is the [email] table.

    The warehouse is beside the config; one subscriber gets the alerts.
    """
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "[warehouse]",
        'path = "monitor.duckdb"',
        "wait_seconds = 30",
        "[http]",
        "timeout = 10",
        "allow_private = true",
        "[email]",
        *email,
        "[[subscribers]]",
        f'email = "{subscriber}"',
    ]
    for feed in sorted((demo_site_root() / "feeds").glob("*.xml")):
        lines += ["[[feeds]]", f'name = "{feed.stem}"', f'url = "{base}/feeds/{feed.name}"']
    path = folder / "monitor.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
