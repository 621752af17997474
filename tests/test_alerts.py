"""Alert emails: what one says, who gets it, once; subscribers and the CLI. Real DuckDB files."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import duckdb
import pytest

from monitor.alerts.cli import register
from monitor.alerts.cycle import detect_and_queue
from monitor.alerts.render import header_text, render_alert
from monitor.alerts.settings import AlertSettings
from monitor.alerts.subscribers import get_subscriber, new_token
from monitor.config import Config
from monitor.contradictions import ContradictionView, load_contradictions
from monitor.errors import WarehouseError
from monitor.warehouse import open_warehouse

from .alerts_fixtures import (
    ORION,
    ORION_LATER,
    R1_RIGHT,
    R1_THIRD,
    R1_WRONG,
    T0,
    Story,
    figure,
    store,
    write_alert_config,
)

SETTINGS = AlertSettings(
    sender="alerts@monitor.test",
    min_confidence=0.7,
    unsubscribe_url="https://monitor.test/unsubscribe",
    max_attempts=20,
)


def seed(config: Config, *stories: Story) -> list[str]:
    with open_warehouse(config.warehouse.path) as con:
        for story in stories:
            store(con, story)
    return [s.url for s in stories]


def outbox(config: Config) -> list[tuple[Any, ...]]:
    with open_warehouse(config.warehouse.path) as con:
        return con.execute(
            "SELECT contradiction_id, email, status, message FROM outbox ORDER BY email, 1"
        ).fetchall()


def conflict(config: Config) -> ContradictionView:
    with open_warehouse(config.warehouse.path) as con:
        (c,) = load_contradictions(con)
    return c


def parsed(raw: str | bytes) -> EmailMessage:
    data = raw.encode() if isinstance(raw, str) else raw
    msg = message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def cli(config: Config, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="monitor")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub, lambda p: p.add_argument("--config"))
    args = parser.parse_args([*argv, "--config", config.source])
    code: int = args.func(args)
    return code


# --- the message -------------------------------------------------------------


def test_alert_is_valid_multipart_with_both_sources(tmp_path: Path) -> None:
    config = write_alert_config(tmp_path, [{"email": "ana@example.org"}])
    detect_and_queue(config, seed(config, R1_RIGHT, R1_WRONG), T0)
    ((_, email, status, raw),) = outbox(config)
    assert (email, status) == ("ana@example.org", "queued")
    msg = parsed(raw)
    assert msg["Subject"] == (
        "DeepSeek-R1 training cost: $249,000 (Pacific Tech Wire) vs $294,000 (Silicon Dispatch)"
    )
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    for body in (text.get_content(), html.get_content()):
        assert "$294,000" in body and "$249,000" in body
        assert "Silicon Dispatch" in body and "Pacific Tech Wire" in body
        assert "likely digit transposition" in body.lower()
        assert "2025-09-18" in body and "2025-09-22" in body
        assert R1_RIGHT.url in body and R1_WRONG.url in body
        assert "spent just $249,000 training" in body
    assert msg["Auto-Submitted"] == "auto-generated"
    assert "mailto:alerts@monitor.test?subject=unsubscribe" in msg["List-Unsubscribe"]


def test_article_text_is_escaped_and_nothing_remote_is_loaded(tmp_path: Path) -> None:
    evil = "<script>alert('x')</script> <img src=https://track.example/p.gif>"
    bad = replace(
        R1_WRONG,
        url="https://evil.example/r1",
        outlet='Evil "Wire" <b>',
        title="<iframe src=x>",
        figures=[figure(value=249000, quote=f"R1 cost $249,000 {evil}")],
    )
    config = write_alert_config(tmp_path, [{"email": "ana@example.org"}])
    detect_and_queue(config, seed(config, R1_RIGHT, bad), T0)
    msg = parsed(outbox(config)[0][3])
    html_part = msg.get_body(("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;iframe src=x&gt;" in html and "Evil &#34;Wire&#34; &lt;b&gt;" in html
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<iframe" not in lowered
    assert "src=" not in lowered.replace("&lt;iframe src=", "").replace("&lt;img src=", "")
    text_part = msg.get_body(("plain",))
    assert text_part is not None and "<script>" in text_part.get_content()  # plain text is text


def test_header_injection_is_stripped(tmp_path: Path) -> None:
    config = write_alert_config(tmp_path, [{"email": "ana@example.org"}])
    sneaky = replace(
        R1_WRONG,
        outlet="Wire\r\nBcc: victim@example.org\r\nX-Evil: 1",
        figures=[figure(subject="DeepSeek-R1", value=249000, quote="R1 cost $249,000")],
    )
    detect_and_queue(config, seed(config, R1_RIGHT, sneaky), T0)
    raw = outbox(config)[0][3]
    msg = parsed(raw)
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert "\n" not in msg["Subject"] and "Bcc: victim@example.org X-Evil: 1" in msg["Subject"]
    assert header_text("a\u2028b\x00c\x85d") == "a b c d"
    assert len(header_text("x" * 500)) == 200


def test_one_click_unsubscribe_and_stable_message_id(tmp_path: Path) -> None:
    config = write_alert_config(tmp_path, [{"email": "ana@example.org"}])
    detect_and_queue(config, seed(config, R1_RIGHT, R1_WRONG), T0)
    with open_warehouse(config.warehouse.path) as con:
        sub = get_subscriber(con, "ana@example.org")
    assert sub is not None
    c = conflict(config)
    first = render_alert(c, sub, SETTINGS, T0)
    again = render_alert(c, sub, SETTINGS, T0 + timedelta(days=3))
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@monitor.test>")
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"<https://monitor.test/unsubscribe?token={sub.token}>" in first["List-Unsubscribe"]
    other = render_alert(c, replace(sub, email="bo@example.org"), SETTINGS, T0)
    assert other["Message-ID"] != first["Message-ID"]
    no_https = render_alert(c, sub, replace(SETTINGS, unsubscribe_url=None), T0)
    assert no_https["List-Unsubscribe-Post"] is None  # RFC 8058 needs an https URI
    assert sub.token in no_https["List-Unsubscribe"]


# --- who gets it, once ---------------------------------------------------------


def test_one_email_per_subscriber_per_contradiction(tmp_path: Path) -> None:
    config = write_alert_config(tmp_path, [{"email": "ana@example.org"}, {"email": "bo@x.org"}])
    urls = seed(config, R1_RIGHT, R1_WRONG)
    first = detect_and_queue(config, urls, T0)
    new_ids = first.pop("new_ids")
    assert first == {"contradictions_new": 1, "contradictions_extended": 0, "alerts_queued": 2}
    assert len(new_ids) == 1 and new_ids[0].startswith("c")
    for hours in (1, 2):
        again = detect_and_queue(config, urls, T0 + timedelta(hours=hours))
        assert again == {
            "contradictions_new": 0,
            "contradictions_extended": 0,
            "alerts_queued": 0,
            "new_ids": [],
        }
    # A third source joins the conflict: no new email.
    third = detect_and_queue(config, seed(config, R1_THIRD), T0 + timedelta(days=1))
    assert third == {
        "contradictions_new": 0,
        "contradictions_extended": 1,
        "alerts_queued": 0,
        "new_ids": [],
    }
    assert [row[1] for row in outbox(config)] == ["ana@example.org", "bo@x.org"]
    assert conflict(config).sources == 3


def test_filters_route_by_subject_glob_and_metric(tmp_path: Path) -> None:
    config = write_alert_config(
        tmp_path,
        [
            {"email": "deepseek@example.org", "subjects": ["deepseek*"]},
            {"email": "orion@example.org", "subjects": ["Orion-?"]},
            {"email": "prices@example.org", "metrics": ["inference_price_output"]},
            {"email": "costs@example.org", "subjects": ["*"], "metrics": ["training_cost"]},
            {"email": "all@example.org"},
        ],
    )
    detect_and_queue(config, seed(config, R1_RIGHT, R1_WRONG, ORION, ORION_LATER), T0)
    with open_warehouse(config.warehouse.path) as con:
        subjects = {
            (email, subject)
            for email, subject in con.execute(
                "SELECT o.email, r.subject FROM outbox o"
                " JOIN contradiction_records r ON r.id = o.contradiction_id"
            ).fetchall()
        }
    assert subjects == {
        ("deepseek@example.org", "DeepSeek-R1"),
        ("orion@example.org", "Orion-7"),
        ("costs@example.org", "DeepSeek-R1"),
        ("costs@example.org", "Orion-7"),
        ("all@example.org", "DeepSeek-R1"),
        ("all@example.org", "Orion-7"),
    }


def test_weak_conflicts_stay_visible_but_are_not_emailed(tmp_path: Path) -> None:
    config = write_alert_config(tmp_path, [{"email": "ana@example.org"}])
    shaky = replace(R1_WRONG, figures=[replace_conf(R1_WRONG.figures[0], 0.4)])
    result = detect_and_queue(config, seed(config, R1_RIGHT, shaky), T0)
    assert result["contradictions_new"] == 1 and result["alerts_queued"] == 0
    assert conflict(config).confidence == pytest.approx(0.4)
    assert cli(config, "contradictions", "--format", "jsonl") == 0


def test_tokens_never_look_like_an_option() -> None:
    """`monitor unsubscribe TOKEN` reads a token that starts with "-" as an option."""
    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert all(len(t) == 36 and t.isalnum() for t in tokens)


def test_an_older_token_that_starts_with_a_dash_goes_after_two_dashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_alert_config(tmp_path, [{"email": "ana@example.org"}])
    detect_and_queue(config, seed(config, R1_RIGHT, R1_WRONG), T0)
    with open_warehouse(config.warehouse.path) as con:
        con.execute("UPDATE subscribers SET token = '-Ab3_legacy' WHERE email = 'ana@example.org'")
    parser = argparse.ArgumentParser(prog="monitor")
    register(
        parser.add_subparsers(dest="command", required=True), lambda p: p.add_argument("--config")
    )
    args = parser.parse_args(["unsubscribe", "--config", config.source, "--", "-Ab3_legacy"])
    assert args.func(args) == 0
    assert "unsubscribed ana@example.org" in capsys.readouterr().out


def replace_conf(row: dict[str, Any], confidence: float) -> dict[str, Any]:
    return {**row, "confidence": confidence}


def test_unsubscribe_stops_the_next_alert_even_for_config_subscribers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_alert_config(tmp_path, [{"email": "ana@example.org"}])
    detect_and_queue(config, seed(config, R1_RIGHT, R1_WRONG), T0)
    assert len(outbox(config)) == 1
    with open_warehouse(config.warehouse.path) as con:
        sub = get_subscriber(con, "ana@example.org")
    assert sub is not None
    assert cli(config, "unsubscribe", sub.token) == 0
    assert "unsubscribed ana@example.org" in capsys.readouterr().out
    assert cli(config, "unsubscribe", "not-a-token") == 1
    # The config still lists ana; the next cycle syncs it and finds a new conflict.
    result = detect_and_queue(config, seed(config, ORION, ORION_LATER), T0 + timedelta(days=1))
    assert result["contradictions_new"] == 1 and result["alerts_queued"] == 0
    assert outbox(config) == []  # the unsent alert was dropped too
    assert cli(config, "subscribers", "add", "ana@example.org") == 1  # needs --resubscribe


def test_subscribers_cli_add_list_remove(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_alert_config(tmp_path, [{"email": "cfg@example.org", "subjects": ["Orion*"]}])
    assert cli(config, "subscribers", "add", "New@Example.org", "--subject", "DeepSeek*",
               "--metric", "training_cost") == 0  # fmt: skip
    assert cli(config, "subscribers", "add", "bad address@x") == 1
    assert cli(config, "subscribers", "add", "a@b.org,c@d.org") == 1
    capsys.readouterr()
    assert cli(config, "subscribers", "list", "--format", "jsonl") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        {"email": "cfg@example.org", "subjects": ["Orion*"], "metrics": [], "source": "config",
         "state": "receiving"},
        {"email": "new@example.org", "subjects": ["DeepSeek*"], "metrics": ["training_cost"],
         "source": "cli", "state": "receiving"},
    ]  # fmt: skip
    assert cli(config, "subscribers", "remove", "cfg@example.org") == 1  # it lives in the config
    assert cli(config, "subscribers", "remove", "new@example.org") == 0
    assert cli(config, "subscribers", "remove", "new@example.org") == 0
    assert "was not subscribed" in capsys.readouterr().out
    # A subscriber added now is not sent the conflicts found before.
    detect_and_queue(config, seed(config, ORION, ORION_LATER), T0)
    assert outbox(config) == []


def test_contradictions_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_alert_config(tmp_path)
    with pytest.raises(WarehouseError, match="no warehouse here yet"):
        cli(config, "contradictions")
    seed(config)
    assert cli(config, "contradictions") == 0  # an empty but migrated warehouse
    detect_and_queue(config, seed(config, R1_RIGHT, R1_WRONG), T0)
    capsys.readouterr()
    assert cli(config, "contradictions", "--format", "jsonl") == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["a_value"] == 294000 and row["b_outlet"] == "Pacific Tech Wire"
    assert row["transposition"] is True and row["status"] == "open"
    assert cli(config, "contradictions", "--status", "dismissed") == 0
    assert "0 contradictions" in capsys.readouterr().out
    assert cli(config, "contradictions") == 0
    out = capsys.readouterr().out
    assert "$249,000 (Pacific Tech Wire) vs $294,000 (Silicon Dispatch)" in out
    assert "likely digit transposition" in out


def test_records_survive_without_subscribers(tmp_path: Path) -> None:
    config = write_alert_config(tmp_path)
    result = detect_and_queue(config, seed(config, R1_RIGHT, R1_WRONG), T0)
    assert len(result.pop("new_ids")) == 1
    assert result == {"contradictions_new": 1, "contradictions_extended": 0, "alerts_queued": 0}
    with duckdb.connect(str(config.warehouse.path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM contradictions").fetchone() == (1,)
