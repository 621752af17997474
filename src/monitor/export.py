"""`monitor export`: a Parquet snapshot of every warehouse table and view.

The warehouse file is held only while its rows are copied into an in-memory
database (attached read-only, copied, detached: well under a second for a
warehouse of this kind); the Parquet files are written after the file is
released, so a cycle that starts meanwhile waits at most for the copy.

Two columns stay out of the snapshot because they are secrets, not data:
`subscribers.token` and `outbox.message` (which carries the same token in its
unsubscribe link).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from monitor.errors import WarehouseError
from monitor.warehouse import retry_while_locked

SECRET_COLUMNS = {"subscribers": ("token",), "outbox": ("message",)}
_SOURCE = "warehouse_file"


@dataclass(frozen=True)
class ExportedRelation:
    name: str
    kind: str  # table | view
    rows: int
    file: Path


def export_warehouse(
    path: Path, out_dir: Path, lock_wait: float | None = None
) -> list[ExportedRelation]:
    """Write `<out_dir>/<name>.parquet` for every table and view; return what was written."""
    if not path.exists():
        raise WarehouseError(f"{path}: no warehouse here yet; run `monitor run` first")
    with duckdb.connect() as snapshot:
        relations = _copy_into_memory(snapshot, path, lock_wait)
        if not out_dir.exists():  # a folder of ours is private; the user's keeps its mode
            out_dir.mkdir(parents=True)
            out_dir.chmod(0o700)
        written = []
        for name, kind in relations:
            file = out_dir / f"{name}.parquet"
            snapshot.execute(f"COPY {_ident(name)} TO ? (FORMAT parquet)", [str(file)])
            file.chmod(0o600)  # article text and subscriber addresses, as in the warehouse
            row = snapshot.execute(f"SELECT count(*) FROM {_ident(name)}").fetchone()
            written.append(ExportedRelation(name, kind, row[0] if row else 0, file))
    return written


def _copy_into_memory(
    snapshot: duckdb.DuckDBPyConnection, path: Path, lock_wait: float | None
) -> list[tuple[str, str]]:
    """Attach the file read-only, copy every table and view, detach: the only time it is held."""
    try:
        retry_while_locked(
            path,
            lambda: snapshot.execute(f"ATTACH ? AS {_SOURCE} (READ_ONLY)", [str(path)]),
            lock_wait,
        )
    except duckdb.Error as exc:
        raise WarehouseError(f"{path}: cannot open the warehouse ({_first_line(exc)})") from exc
    in_transaction = False
    try:
        relations = [
            (str(name), "view" if table_type == "VIEW" else "table")
            for name, table_type in snapshot.execute(
                "SELECT table_name, table_type FROM information_schema.tables"
                " WHERE table_catalog = ? AND table_schema = 'main' ORDER BY table_name",
                [_SOURCE],
            ).fetchall()
        ]
        snapshot.execute("BEGIN")  # one transaction: a quarter faster than one per table
        in_transaction = True
        for name, _ in relations:
            hidden = SECRET_COLUMNS.get(name, ())
            exclude = f" EXCLUDE ({', '.join(_ident(c) for c in hidden)})" if hidden else ""
            snapshot.execute(
                f"CREATE TABLE memory.main.{_ident(name)} AS"
                f" SELECT *{exclude} FROM {_SOURCE}.main.{_ident(name)}"
            )
        snapshot.execute("COMMIT")
        in_transaction = False
    except duckdb.Error as exc:
        if in_transaction:
            snapshot.execute("ROLLBACK")
        raise WarehouseError(f"{path}: cannot copy the warehouse ({_first_line(exc)})") from exc
    finally:
        snapshot.execute(f"DETACH {_SOURCE}")
    return relations


def _ident(name: str) -> str:
    """A quoted SQL identifier (table and column names come from the catalog, not the user)."""
    return '"' + name.replace('"', '""') + '"'


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
