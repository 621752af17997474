"""`monitor export`: Parquet snapshots of a warehouse filled by a real cycle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

from monitor.cli import main
from monitor.export import export_warehouse

if TYPE_CHECKING:
    from .warehouse_fixtures import DemoCycle, LockHolder

pytest_plugins = ["tests.warehouse_fixtures"]
pytestmark = pytest.mark.integration

# Opens the warehouse for writing in another process, without waiting for the lock.
WRITER = """
import sys
from pathlib import Path
from monitor.warehouse import open_warehouse
with open_warehouse(Path(sys.argv[1]), lock_wait=0) as con:
    con.execute("UPDATE feeds SET last_error = 'written after export'")
print("wrote")
"""


def relations(cycle: DemoCycle) -> dict[str, str]:
    rows = cycle.query("SELECT table_name, table_type FROM information_schema.tables")
    return {name: ("view" if kind == "VIEW" else "table") for name, kind in rows}


def parquet_count(file: Path) -> int:
    with duckdb.connect() as con:
        row = con.execute("SELECT count(*) FROM read_parquet(?)", [str(file)]).fetchone()
    assert row is not None
    return int(row[0])


def test_every_table_and_view_is_exported_with_all_its_rows(
    demo_cycle: DemoCycle, tmp_path: Path
) -> None:
    out = tmp_path / "snapshot"
    written = export_warehouse(demo_cycle.warehouse, out)
    expected = relations(demo_cycle)
    assert {w.name: w.kind for w in written} == expected
    assert {"figures", "contradictions", "figure_history", "articles"} <= set(expected)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.parquet" for n in expected)
    for item in written:
        in_warehouse = demo_cycle.query(f'SELECT count(*) FROM "{item.name}"')[0][0]
        assert item.rows == in_warehouse == parquet_count(item.file), item.name
    assert parquet_count(out / "figures.parquet") == demo_cycle.summary["figures"] > 0


def test_the_snapshot_keeps_values_and_leaves_out_secrets(
    demo_cycle: DemoCycle, tmp_path: Path
) -> None:
    out = tmp_path / "snapshot"
    export_warehouse(demo_cycle.warehouse, out)
    with duckdb.connect() as con:
        history = con.execute(
            "SELECT outlet, value, open_contradiction_ids FROM read_parquet(?)"
            " WHERE subject = 'DeepSeek-R1' AND metric = 'training_cost' ORDER BY report_number",
            [str(out / "figure_history.parquet")],
        ).fetchall()
        subscriber_columns = [
            r[0]
            for r in con.execute(
                "DESCRIBE SELECT * FROM read_parquet(?)", [str(out / "subscribers.parquet")]
            ).fetchall()
        ]
        outbox_columns = [
            r[0]
            for r in con.execute(
                "DESCRIBE SELECT * FROM read_parquet(?)", [str(out / "outbox.parquet")]
            ).fetchall()
        ]
    assert [(o, v) for o, v, _ in history] == [
        ("Heatsink Herald", 294_000),
        ("The Token Desk", 249_000),
    ]
    assert history[0][2] == history[1][2] != []
    assert "email" in subscriber_columns and "token" not in subscriber_columns
    assert "status" in outbox_columns and "message" not in outbox_columns
    assert (out.stat().st_mode & 0o777) == 0o700
    assert ((out / "articles.parquet").stat().st_mode & 0o777) == 0o600


def test_a_writer_in_another_process_gets_in_right_after_export(
    private_warehouse: Path, tmp_path: Path
) -> None:
    export_warehouse(private_warehouse, tmp_path / "snapshot")
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(private_warehouse)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "wrote"), done.stderr
    with duckdb.connect(str(private_warehouse), read_only=True) as con:
        assert con.execute("SELECT DISTINCT last_error FROM feeds").fetchall() == [
            ("written after export",)
        ]


def test_export_waits_for_a_cycle_that_holds_the_file_briefly(
    private_warehouse: Path, tmp_path: Path, lock_holder: LockHolder
) -> None:
    with lock_holder(private_warehouse, 1.0) as holder:
        written = export_warehouse(private_warehouse, tmp_path / "snapshot", lock_wait=30)
        assert holder.wait(timeout=10) == 0
    assert parquet_count(tmp_path / "snapshot" / "figures.parquet") > 0
    assert len(written) > 10


def test_cli_export_writes_the_snapshot_and_lists_it(
    demo_cycle: DemoCycle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli-snapshot"
    out.mkdir()
    out.chmod(0o755)
    assert main(["export", "--config", str(demo_cycle.config), "--out", str(out)]) == 0
    assert (out.stat().st_mode & 0o777) == 0o755  # the user's own folder keeps its mode
    printed = capsys.readouterr().out
    count = len(relations(demo_cycle))
    assert printed.strip().splitlines()[-1] == f"exported {count} tables and views to {out}/"
    assert len(list(out.glob("*.parquet"))) == count
