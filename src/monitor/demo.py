"""`monitor demo`: one full cycle on the bundled offline sample site.

Serves src/monitor/demo_site on 127.0.0.1, writes a config that points at it
into a fresh folder, runs the same Prefect flow as `monitor run`, and shows
what landed in the warehouse. Everything printed is output of that run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from importlib import resources
from pathlib import Path

import feedparser

from monitor.alerts.cli import cmd_contradictions
from monitor.config import load_config
from monitor.queries import print_figures
from monitor.runner import run_cycle
from monitor.sample_site import PLACEHOLDER, serve_site


def demo_site_root() -> Path:
    return Path(str(resources.files("monitor") / "demo_site"))


def write_demo_config(workdir: Path, base: str, site_root: Path) -> Path:
    """A config for the sample site: its feeds, a warehouse and a file outbox in `workdir`."""
    lines = [
        "# Written by `monitor demo` for the bundled sample site; safe to delete.",
        "[warehouse]",
        'path = "monitor.duckdb"',
        "",
        "[http]",
        "timeout = 10",
        "allow_private = true   # the sample site is on 127.0.0.1",
        "",
        "[email]",
        'transport = "file"',
        'outbox = "outbox"',
        'from = "monitor-demo@localhost"',
        'unsubscribe_url = "https://monitor.example.org/unsubscribe"',
        "",
        "[[subscribers]]",
        'email = "analyst@example.org"',
    ]
    for feed_file in sorted((site_root / "feeds").iterdir()):
        if not feed_file.is_file():
            continue
        body = feed_file.read_bytes().replace(PLACEHOLDER, base.encode())
        title = feedparser.parse(body).feed.get("title") or feed_file.stem
        lines += [
            "",
            "[[feeds]]",
            f"name = {_toml_str(title)}",
            f'url = "{base}/feeds/{feed_file.name}"',
        ]
    path = workdir / "monitor.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_demo(workdir: Path) -> int:
    site_root = demo_site_root()
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    with serve_site(site_root) as site:
        config = load_config(write_demo_config(workdir, site.base, site_root))
        print(f"monitor demo: serving the sample site at {site.base}")
        print(f"monitor demo: {len(config.feeds)} feeds, config {config.source}")
        print("monitor demo: running one cycle as a Prefect flow run (first start takes a while)")
        summary = run_cycle(config)
    print()
    print(summary.render())
    print()
    print_figures(config.warehouse.path, None, "table", sys.stdout, limit=15)
    print()
    cmd_contradictions(argparse.Namespace(config=config.source, status="all", format="table"))
    print()
    for where in summary.delivered_to:
        print(f"alert email: {where}")
    print(f"warehouse: {config.warehouse.path}")
    connect = f"duckdb.connect('{config.warehouse.path}', read_only=True)"
    print(f"query it:  .venv/bin/python -c \"import duckdb; print({connect}.sql('FROM figures'))\"")
    return 0


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
