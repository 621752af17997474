"""Opening the warehouse while another process holds it: wait briefly, else one clear error."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from monitor import warehouse
from monitor.cli import main
from monitor.errors import WarehouseError
from monitor.warehouse import open_warehouse

if TYPE_CHECKING:
    from .warehouse_fixtures import LockHolder

pytest_plugins = ["tests.warehouse_fixtures"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "monitor.duckdb"
    with open_warehouse(path) as con:
        con.execute("INSERT INTO feeds (url, name, outlet) VALUES (?, ?, ?)", ["u", "n", "o"])
    return path


@pytest.mark.parametrize("read_only", [False, True])
def test_an_open_waits_for_a_brief_holder_then_succeeds(
    db: Path, read_only: bool, lock_holder: LockHolder
) -> None:
    with (
        lock_holder(db, seconds=1.0) as holder,
        open_warehouse(db, read_only=read_only, lock_wait=30) as con,
    ):
        assert holder.wait(timeout=10) == 0  # we got in only once the holder let go
        assert con.execute("SELECT name FROM feeds").fetchall() == [("n",)]


@pytest.mark.parametrize("read_only", [False, True])
def test_a_long_holder_gives_one_clear_error_naming_file_and_pid(
    db: Path, read_only: bool, lock_holder: LockHolder
) -> None:
    with lock_holder(db, seconds=60) as holder:
        with (
            pytest.raises(WarehouseError) as raised,
            open_warehouse(db, read_only=read_only, lock_wait=0.3),
        ):
            pass
        assert holder.poll() is None  # still holding: we gave up, we did not get in
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{db}: the warehouse is locked by another process")
    assert f"(PID {holder.pid})" in message and "after 0.3 s" in message


def test_the_cli_turns_a_held_lock_into_one_line_and_exit_1(
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lock_holder: LockHolder,
) -> None:
    config = tmp_path / "monitor.toml"
    config.write_text(f'[warehouse]\npath = "{db}"\n', encoding="utf-8")
    monkeypatch.setattr(warehouse, "LOCK_WAIT_SECONDS", 0.2)
    with lock_holder(db, seconds=60) as holder:
        code = main(["figures", "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        f"monitor: {db}: the warehouse is locked by another process (PID {holder.pid}) "
        "and was still locked after 0.2 s; try again once it has finished"
    ]


def test_other_open_failures_are_not_retried(tmp_path: Path) -> None:
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("this is not a database\n" * 100, encoding="utf-8")
    with (
        pytest.raises(WarehouseError, match=r"notes\.duckdb: (not a usable|cannot open)"),
        open_warehouse(not_duckdb, read_only=True, lock_wait=30),
    ):
        pass
