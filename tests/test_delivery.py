"""Delivery against a real SMTP server on 127.0.0.1 (aiosmtpd), the file transport, and the flow."""

from __future__ import annotations

import stat
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from monitor.alerts.cycle import detect_and_queue
from monitor.alerts.deliver import deliver_pending
from monitor.config import Config
from monitor.warehouse import open_warehouse

from .alerts_fixtures import (
    ORION,
    ORION_LATER,
    R1_RIGHT,
    R1_WRONG,
    T0,
    Sink,
    figure,
    free_port,
    smtp_server,
    store,
    write_alert_config,
)

pytestmark = pytest.mark.integration


def smtp_config(tmp: Path, port: int, subscribers: list[dict[str, Any]]) -> Config:
    email = {"transport": "smtp", "host": "127.0.0.1", "port": port, "timeout": 5}
    return write_alert_config(tmp, subscribers, email)


def queue(config: Config, *stories: Any) -> dict[str, int]:
    with open_warehouse(config.warehouse.path) as con:
        for story in stories:
            store(con, story)
    return detect_and_queue(config, [s.url for s in stories], T0)


def rows(config: Config) -> list[tuple[Any, ...]]:
    with open_warehouse(config.warehouse.path) as con:
        return con.execute(
            "SELECT email, status, attempts, last_error, sent_at IS NOT NULL FROM outbox"
            " ORDER BY email"
        ).fetchall()


def parse(data: bytes) -> EmailMessage:
    msg = message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_delivered_once_and_parses_as_mime_with_both_parts(tmp_path: Path) -> None:
    port = free_port()
    config = smtp_config(tmp_path, port, [{"email": "ana@example.org"}, {"email": "bo@x.org"}])
    quote = "R1 cost $249,000 <script>alert(1)</script>"
    wrong = R1_WRONG.__class__(R1_WRONG.url, R1_WRONG.outlet, R1_WRONG.published,
                               [figure(value=249000, quote=quote)])  # fmt: skip
    queue(config, R1_RIGHT, wrong)
    with smtp_server(port) as sink:
        report = deliver_pending(config)
        assert (report.sent, report.deferred, report.failed) == (2, 0, 0)
        assert deliver_pending(config).sent == 0
    assert sorted(rcpt for _, rcpts, _ in sink.messages for rcpt in rcpts) == [
        "ana@example.org",
        "bo@x.org",
    ]
    assert {sender for sender, _, _ in sink.messages} == {"alerts@monitor.test"}
    msg = parse(sink.messages[0][2])
    assert msg.get_content_type() == "multipart/alternative" and not msg.defects
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain is not None and html is not None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.get_content()
    assert "<script>" not in html.get_content()
    assert msg["Subject"].startswith("DeepSeek-R1 training cost: $249,000 (Pacific Tech Wire)")
    assert msg["Message-ID"] and msg["List-Unsubscribe"]
    assert [r[1:] for r in rows(config)] == [("sent", 1, None, True)] * 2


def test_server_refusing_then_accepting_delivers_exactly_once(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here yet: connections are refused
    config = smtp_config(tmp_path, port, [{"email": "ana@example.org"}])
    queue(config, R1_RIGHT, R1_WRONG)
    for attempt in (1, 2):
        report = deliver_pending(config)
        assert (report.sent, report.deferred) == (0, 1)
        assert "cannot connect" in report.errors[0]
        ((_, status, attempts, error, sent),) = rows(config)
        assert (status, attempts, sent) == ("queued", attempt, False) and "cannot connect" in error
    with smtp_server(port) as sink:
        assert deliver_pending(config).sent == 1
        assert deliver_pending(config).sent == 0
        queue(config)  # a later cycle with nothing new queues nothing again
        assert deliver_pending(config).sent == 0
    assert len(sink.messages) == 1
    ((_, status, attempts, error, sent),) = rows(config)
    assert (status, attempts, error, sent) == ("sent", 3, None, True)


class RefusingSink(Sink):
    """Refuses one recipient for good (550), another for now (451)."""

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.startswith("gone@"):
            return "550 5.1.1 no such mailbox"
        if address.startswith("busy@"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_permanent_refusal_fails_and_temporary_stays_queued(tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller

    port = free_port()
    subs = [{"email": "gone@example.org"}, {"email": "busy@example.org"}, {"email": "ok@x.org"}]
    config = smtp_config(tmp_path, port, subs)
    queue(config, R1_RIGHT, R1_WRONG)
    sink = RefusingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        report = deliver_pending(config)
    finally:
        controller.stop()
    assert (report.sent, report.deferred, report.failed) == (1, 1, 1)
    assert [(r[0], r[1]) for r in rows(config)] == [
        ("busy@example.org", "queued"),
        ("gone@example.org", "failed"),
        ("ok@x.org", "sent"),
    ]
    assert len(sink.messages) == 1


def test_file_transport_writes_private_eml_files_once(tmp_path: Path) -> None:
    config = write_alert_config(tmp_path, [{"email": "ana@example.org"}, {"email": "bo@x.org"}])
    queue(config, R1_RIGHT, R1_WRONG, ORION, ORION_LATER)
    report = deliver_pending(config)
    assert report.sent == 4
    files = sorted(config.email.outbox.glob("*"))
    assert sorted(report.delivered_to) == [str(f) for f in files]
    assert len(files) == 4 and all(f.suffix == ".eml" for f in files)  # no temp files left
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
        msg = parse(f.read_bytes())
        assert msg["To"] in ("ana@example.org", "bo@x.org")
        assert f.name == msg["Message-ID"].strip("<>") + ".eml"
    assert deliver_pending(config).sent == 0
    assert len(list(config.email.outbox.glob("*"))) == 4


@pytest.mark.usefixtures("prefect_harness")
def test_deliver_alerts_flow_sends_pending_and_survives_a_dead_server(tmp_path: Path) -> None:
    from flows.deliver_alerts import deliver_alerts

    port = free_port()
    config = smtp_config(tmp_path, port, [{"email": "ana@example.org"}])
    queue(config, R1_RIGHT, R1_WRONG)
    down = deliver_alerts(config_path=config.source, retries=1, retry_delay_seconds=0.1)
    assert down["complete"] is False and down["deferred"] == 1 and down["sent"] == 0
    assert rows(config)[0][1:3] == ("queued", 2)  # one try plus one retry
    with smtp_server(port) as sink:
        up = deliver_alerts(config_path=config.source, retries=1, retry_delay_seconds=0.1)
    assert up["complete"] is True and up["sent"] == 1 and up["queued"] == 0
    assert len(sink.messages) == 1
