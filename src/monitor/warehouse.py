"""The DuckDB warehouse: opening, numbered migrations, and batched idempotent writes.

DuckDB lets one process hold the file for writing and locks out every other
process meanwhile, readers included, so callers open it for one short batch
of work and close it again (`open_warehouse` is a context manager). When
another process holds the file, opening waits and retries with a short
backoff for up to `LOCK_WAIT_SECONDS`, then fails with a `WarehouseError`
naming the file and the holder's PID.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from monitor.errors import WarehouseError

_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
# How long an open waits for another process to release the file, and the
# retry delays: doubling from the first to the last, then steady.
LOCK_WAIT_SECONDS = 30.0
_FIRST_RETRY_DELAY = 0.05
_LAST_RETRY_DELAY = 1.0
# DuckDB: 'Could not set lock on file "...": Conflicting lock is held in /usr/bin/python (PID 42)'
_LOCK_CONFLICT = "Conflicting lock"
_HOLDER_PID = re.compile(r"\(PID (\d+)\)")

T = TypeVar("T")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every packaged migration, in order."""
    found = []
    for entry in resources.files("monitor.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found)


@contextmanager
def open_warehouse(
    path: Path, read_only: bool = False, lock_wait: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open (creating and migrating if needed) the warehouse for one batch of work.

    While another process holds the file, wait up to `lock_wait` seconds
    (default `LOCK_WAIT_SECONDS`) for it, retrying with a short backoff.
    """
    if not read_only:
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True)
    elif not path.exists():
        raise WarehouseError(f"{path}: no warehouse here yet; run `monitor run` first")
    created = not path.exists()
    # A new file is born owner-only: no window in which article text and
    # subscriber addresses are readable by others. (umask is process-wide;
    # narrowing it for a moment only ever makes files tighter.) The .wal that
    # DuckDB writes later follows the umask: a folder we create is owner-only too.
    previous_umask = os.umask(0o077) if created else None
    try:
        con = retry_while_locked(
            path, lambda: duckdb.connect(str(path), read_only=read_only), lock_wait
        )
    except duckdb.IOException as exc:
        raise WarehouseError(f"{path}: cannot open the warehouse ({_first_line(exc)})") from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"{path}: not a usable DuckDB file ({_first_line(exc)})") from exc
    finally:
        if previous_umask is not None:
            os.umask(previous_umask)
    try:
        if created:
            path.chmod(0o600)  # article text and subscriber addresses are not for everyone
        if not read_only:
            migrate(con)
        yield con
    finally:
        con.close()


def retry_while_locked(path: Path, attempt: Callable[[], T], lock_wait: float | None = None) -> T:
    """Run `attempt` (which opens or attaches `path`) until no other process holds the file.

    Gives up after `lock_wait` seconds (default `LOCK_WAIT_SECONDS`) with a
    WarehouseError naming the file and the holder's PID; other errors pass through.
    """
    wait = LOCK_WAIT_SECONDS if lock_wait is None else lock_wait
    deadline = time.monotonic() + wait
    delay = _FIRST_RETRY_DELAY
    while True:
        try:
            return attempt()
        except duckdb.IOException as exc:
            if _LOCK_CONFLICT not in str(exc):
                raise
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WarehouseError(_locked_message(path, exc, wait)) from exc
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, _LAST_RETRY_DELAY)


def _locked_message(path: Path, exc: duckdb.IOException, waited: float) -> str:
    pid = _HOLDER_PID.search(str(exc))
    holder = f"another process (PID {pid[1]})" if pid else "another process"
    return (
        f"{path}: the warehouse is locked by {holder} and was still locked after "
        f"{waited:g} s; try again once it has finished"
    )


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations not yet recorded in schema_migrations; return their versions."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        try:
            con.execute("BEGIN")
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name]
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise WarehouseError(
                f"migration {version:03d}_{name} failed: {_first_line(exc)}"
            ) from exc
        applied.append(version)
    return applied


def upsert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    key: Sequence[str],
    update: Sequence[str] | None = None,
) -> int:
    """Insert rows in one statement; on a key conflict update `update` columns, or keep the row.

    Rows with a duplicate key inside the batch keep the last one: DuckDB would
    otherwise silently keep the first.
    """
    if not rows:
        return 0
    width = len(columns)
    key_index = [columns.index(k) for k in key]
    unique = {tuple(row[i] for i in key_index): row for row in rows}
    column_lists = [[row[i] for row in unique.values()] for i in range(width)]
    selects = ", ".join(f"unnest(${i + 1})" for i in range(width))
    if update:
        sets = ", ".join(f"{c} = excluded.{c}" for c in update)
        conflict = f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"
    else:
        conflict = f"ON CONFLICT ({', '.join(key)}) DO NOTHING"
    con.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {selects} {conflict}", column_lists
    )
    return len(unique)


def update_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    key: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> int:
    """Set `columns` of the rows whose `key` is each row's first value, in one statement.

    Each row is (key value, *column values); a key given twice keeps its last row.
    """
    if not rows:
        return 0
    unique = {row[0]: row for row in rows}
    names = [key, *columns]
    column_lists = [[row[i] for row in unique.values()] for i in range(len(names))]
    selects = ", ".join(f"unnest(${i + 1}) AS {names[i]}" for i in range(len(names)))
    sets = ", ".join(f"{c} = given.{c}" for c in columns)
    con.execute(
        f"UPDATE {table} SET {sets} FROM (SELECT {selects}) AS given"
        f" WHERE {table}.{key} = given.{key}",
        column_lists,
    )
    return len(unique)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
