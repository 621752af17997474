"""Helpers for contradiction and alert tests: the dev corpus, a seeded warehouse, an SMTP sink."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from monitor.compare import Figure
from monitor.config import Config, load_config

from .conftest import SHARED

DEV = SHARED / "eval" / "dev"
T0 = datetime(2025, 10, 20, 12, 0, tzinfo=UTC)


# --- the dev corpus ---------------------------------------------------------


def published(stem: str) -> date:
    """An article's date: the header line of .txt files, article:published_time of .html."""
    path = next((DEV / "articles").glob(f"{stem}.*"))
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        return datetime.strptime(text.splitlines()[2].rsplit("|", 1)[1].strip(), "%B %d, %Y").date()
    found = re.search(r'property="article:published_time" content="([^"]+)"', text)
    assert found, stem
    return datetime.fromisoformat(found[1]).date()


def outlet(stem: str) -> str:
    path = next((DEV / "articles").glob(f"{stem}.*"))
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        return text.splitlines()[2].split("|", 1)[0].strip()
    found = re.search(r'property="og:site_name" content="([^"]+)"', text)
    assert found, stem
    return found[1]


def gold_figures() -> list[tuple[dict[str, Any], Figure]]:
    """Every gold figure as a comparable Figure (offsets are its line number)."""
    out = []
    lines = (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        g = json.loads(line)
        stem = g["article"]
        figure = Figure(
            f"https://{stem}.example/story",
            i,
            i + 1,
            g["kind"],
            g["subject"],
            g["metric"],
            g["value"],
            g["value_high"],
            g["unit"],
            g["chip"],
            g["qualifier"],
            g["quote"],
            1.0,
            published(stem),
            outlet(stem),
        )
        out.append((g, figure))
    return out


def dev_pairs() -> list[dict[str, Any]]:
    lines = (DEV / "contradictions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def pick(figures: list[tuple[dict[str, Any], Figure]], side: dict[str, Any]) -> Figure:
    found = [
        f
        for g, f in figures
        if g["article"] == side["article"] and g["quote"] == side["quote"]
        and g["value"] == side["value"]
    ]  # fmt: skip
    assert len(found) == 1, side
    return found[0]


# --- a warehouse with articles and figures ----------------------------------


def write_alert_config(
    tmp: Path,
    subscribers: list[dict[str, Any]] | None = None,
    email: dict[str, Any] | None = None,
) -> Config:
    """A config with a warehouse in `tmp`, a file outbox unless `email` says otherwise."""
    lines = ["[warehouse]", f'path = "{tmp / "monitor.duckdb"}"', "[email]"]
    settings = {
        "transport": "file",
        "outbox": str(tmp / "outbox"),
        "from": "Monitor Alerts <alerts@monitor.test>",
    }
    settings.update(email or {})
    lines += [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    for sub in subscribers or []:
        lines.append("[[subscribers]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in sub.items()]
    path = tmp / "monitor.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(path, env={})


@dataclass
class Story:
    """An article and its figures, inserted straight into the warehouse tables."""

    url: str
    outlet: str
    published: datetime
    figures: list[dict[str, Any]] = field(default_factory=list)
    title: str = "A story about AI costs"


def figure(**values: Any) -> dict[str, Any]:
    """A figure row with test defaults: an exact USD training cost, confidence 0.9."""
    row = {"kind": "cost", "subject": "DeepSeek-R1", "metric": "training_cost",
           "value_high": None, "unit": "USD", "chip": None, "qualifier": "exact",
           "confidence": 0.9, "start": 0}  # fmt: skip
    row.update(values)
    return row


def store(con: duckdb.DuckDBPyConnection, story: Story) -> None:
    text = " ".join(f["quote"] for f in story.figures)
    con.execute(
        "INSERT INTO articles (url, feed_url, outlet, title, published_at, fetched_at, text,"
        " text_hash) VALUES (?, 'https://feed.example/rss', ?, ?, ?, ?, ?, 'h')",
        [story.url, story.outlet, story.title, story.published, story.published, text],
    )
    for i, f in enumerate(story.figures):
        start = f["start"] or i * 10
        con.execute(
            "INSERT INTO article_figures (article_url, start_offset, end_offset, kind, subject,"
            " metric, value, value_high, unit, chip, qualifier, quote, confidence,"
            " extractor_version, extracted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " 'test', ?)",
            [story.url, start, start + 5, f["kind"], f["subject"], f["metric"], f["value"],
             f["value_high"], f["unit"], f["chip"], f["qualifier"], f["quote"],
             f["confidence"], story.published],
        )  # fmt: skip


R1_RIGHT = Story(
    "https://silicon-dispatch.example/r1-cost",
    "Silicon Dispatch",
    datetime(2025, 9, 18, tzinfo=UTC),
    [figure(value=294000, quote="DeepSeek says R1 cost $294,000 to train")],
)
R1_WRONG = Story(
    "https://pacific-tech-wire.example/r1-bill",
    "Pacific Tech Wire",
    datetime(2025, 9, 22, tzinfo=UTC),
    [figure(value=249000, quote="DeepSeek spent just $249,000 training its R1 reasoning model")],
)
R1_THIRD = Story(
    "https://ledgerline.example/r1-again",
    "Ledgerline Asia",
    datetime(2025, 10, 14, tzinfo=UTC),
    [figure(value=294000, quote="R1 cost $294,000 to train, the Nature paper says")],
)
ORION = Story(
    "https://circuit-ledger.example/orion",
    "The Circuit Ledger",
    datetime(2025, 3, 3, tzinfo=UTC),
    [figure(subject="Orion-7", value=12400000, quote="Orion-7 cost $12.4 million to train")],
)
ORION_LATER = Story(
    "https://byteline.example/orion",
    "Byteline News",
    datetime(2025, 6, 10, tzinfo=UTC),
    [figure(subject="Orion-7", value=21400000,
            quote="Halcyon put the cost of training Orion-7 at $21.4 million")],
)  # fmt: skip


# --- an SMTP server on 127.0.0.1 ----------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Sink:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        with self.lock:
            self.messages.append((str(envelope.mail_from), list(envelope.rcpt_tos), content))
        return "250 OK"


@contextmanager
def smtp_server(port: int) -> Iterator[Sink]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
