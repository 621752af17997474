"""Config loading: file, env overlay, and one-line errors that name the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.errors import ConfigError

FULL = """
[warehouse]
path = "wh/monitor.duckdb"

[http]
timeout = 20
allow_private = false

[[feeds]]
name = "Example Tech"
url = "https://example.com/feeds/ai.xml"

[email]
transport = "smtp"
host = "127.0.0.1"
port = 25
starttls = false
from = "monitor@example.org"

[[subscribers]]
email = "analyst@example.org"
subjects = ["DeepSeek*"]
"""


def test_design_example_is_accepted_whole(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text(FULL)
    config = load_config(path, env={})
    assert config.feeds[0].name == "Example Tech"
    assert config.email.transport == "smtp"
    assert config.email.from_ == "monitor@example.org"
    assert config.subscribers[0].subjects == ["DeepSeek*"]
    assert config.warehouse.path == tmp_path / "wh" / "monitor.duckdb"


def test_env_overrides_file(tmp_path: Path) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text(FULL)
    env = {
        "MONITOR_HTTP_TIMEOUT": "7.5",
        "MONITOR_HTTP_ALLOW_PRIVATE": "true",
        "MONITOR_FEEDS": '[{"name": "Env Feed", "url": "http://127.0.0.1/f.xml"}]',
    }
    config = load_config(path, env=env)
    assert config.http.timeout == 7.5
    assert config.http.allow_private is True
    assert [f.name for f in config.feeds] == ["Env Feed"]


@pytest.mark.parametrize(
    ("toml", "env", "expected"),
    [
        (
            "[http]\ntimout = 3\n",
            {},
            'http.timout: unknown key; remove it or fix the name (did you mean "timeout"?)',
        ),
        ("[[feeds]]\nname = 'x'\n", {}, "feeds[0].url: required key is missing"),
        (
            "[[feeds]]\nname = 'x'\nurl = 'ftp://x'\n",
            {},
            "feeds[0].url: value error, must be an http",
        ),
        (
            "[email]\ntransport = 'pigeon'\n",
            {},
            "email.transport: input should be 'smtp' or 'file'",
        ),
        (
            "[http]\n",
            {"MONITOR_HTTP_TIMEOUT": "soon"},
            "environment variable MONITOR_HTTP_TIMEOUT: http.timeout",
        ),
        ("[http\n", {}, "not valid TOML"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, toml: str, env: dict[str, str], expected: str) -> None:
    path = tmp_path / "monitor.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as err:
        load_config(path, env=env)
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config file not found; pass --config FILE"):
        load_config(tmp_path / "nope.toml", env={})


def test_cli_exits_2_with_one_line_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[warehouse]\npaht = 'x.duckdb'\n")
    done = subprocess.run(
        [sys.executable, "-m", "monitor.cli", "run", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "warehouse.paht: unknown key" in done.stderr
    assert str(path) in done.stderr
    assert 'did you mean "path"?' in done.stderr
