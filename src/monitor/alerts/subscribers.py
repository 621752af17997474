"""Subscribers to alerts: synced from the config file, added and removed at the CLI.

Each has a private token for one-click unsubscribe. Unsubscribing is final
for that address until an operator adds it again on purpose; listing the
address in the config file does not undo it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any

import duckdb

from monitor.config import SubscriberSettings
from monitor.errors import ConfigError, MonitorError

# A plain addr-spec: no display name, comments, quoting, commas or whitespace,
# so an address can never smuggle a second recipient or a header line.
_ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)


class SubscriberError(MonitorError):
    """A subscriber command that cannot be done as asked."""


@dataclass(frozen=True)
class Subscriber:
    email: str
    subjects: tuple[str, ...]
    metrics: tuple[str, ...]
    source: str
    token: str
    active: bool
    subscribed_at: datetime
    unsubscribed_at: datetime | None

    @property
    def receiving(self) -> bool:
        return self.active and self.unsubscribed_at is None

    def wants(self, subject: str, metric: str) -> bool:
        """Whether a conflict about this subject and metric passes the filters (no filter = all)."""
        subject_ok = not self.subjects or any(
            fnmatchcase(subject.casefold(), glob.casefold()) for glob in self.subjects
        )
        metric_ok = not self.metrics or metric.casefold() in {m.casefold() for m in self.metrics}
        return subject_ok and metric_ok


def normalize_address(address: str) -> str:
    """The address lower-cased, or SubscriberError when it is not one plain address."""
    cleaned = address.strip()
    if not _ADDRESS.match(cleaned):
        raise SubscriberError(f"{address!r} is not a plain email address like name@example.org")
    return cleaned.lower()


_COLUMNS = "email, subjects, metrics, source, token, active, subscribed_at, unsubscribed_at"


def list_subscribers(
    con: duckdb.DuckDBPyConnection, receiving_only: bool = False
) -> list[Subscriber]:
    where = " WHERE active AND unsubscribed_at IS NULL" if receiving_only else ""
    rows = con.execute(f"SELECT {_COLUMNS} FROM subscribers{where} ORDER BY email").fetchall()
    return [_subscriber(r) for r in rows]


def get_subscriber(con: duckdb.DuckDBPyConnection, email: str) -> Subscriber | None:
    row = con.execute(f"SELECT {_COLUMNS} FROM subscribers WHERE email = ?", [email]).fetchone()
    return _subscriber(row) if row else None


def sync_config_subscribers(
    con: duckdb.DuckDBPyConnection, listed: Sequence[SubscriberSettings], now: datetime
) -> int:
    """Make the table follow the config's [[subscribers]]; return how many were added.

    Filters follow the config. Config subscribers no longer listed stop
    receiving; an address that unsubscribed stays unsubscribed.
    """
    added = 0
    emails = []
    for i, item in enumerate(listed):
        try:
            email = normalize_address(item.email)
        except SubscriberError as exc:
            raise ConfigError(f"subscribers[{i}].email: {exc}; fix the address") from exc
        emails.append(email)
        if get_subscriber(con, email) is None:
            _insert(con, email, item.subjects, item.metrics, "config", now)
            added += 1
        else:
            con.execute(
                "UPDATE subscribers SET subjects = ?, metrics = ?, source = 'config', active = true"
                " WHERE email = ?",
                [list(item.subjects), list(item.metrics), email],
            )
    con.execute(
        "UPDATE subscribers SET active = false"
        " WHERE source = 'config' AND active AND email NOT IN (SELECT unnest($1::VARCHAR[]))",
        [emails],
    )
    return added


def add_subscriber(
    con: duckdb.DuckDBPyConnection,
    address: str,
    subjects: Sequence[str],
    metrics: Sequence[str],
    now: datetime,
    resubscribe: bool = False,
) -> Subscriber:
    """Add a subscriber from the CLI, or change the filters of an existing one."""
    email = normalize_address(address)
    known = get_subscriber(con, email)
    if known is None:
        _insert(con, email, subjects, metrics, "cli", now)
    elif known.unsubscribed_at is not None and not resubscribe:
        raise SubscriberError(
            f"{email} unsubscribed on {known.unsubscribed_at:%Y-%m-%d}; "
            "pass --resubscribe only if they asked to receive alerts again"
        )
    else:
        con.execute(
            "UPDATE subscribers SET subjects = ?, metrics = ?, active = true,"
            " unsubscribed_at = NULL,"
            " subscribed_at = CASE WHEN unsubscribed_at IS NULL THEN subscribed_at ELSE ? END"
            " WHERE email = ?",
            [list(subjects), list(metrics), now, email],
        )
    found = get_subscriber(con, email)
    assert found is not None
    return found


def remove_subscriber(con: duckdb.DuckDBPyConnection, address: str) -> bool:
    """Delete a subscriber; return whether there was one. Queued alerts to them are dropped."""
    email = normalize_address(address)
    if get_subscriber(con, email) is None:
        return False
    con.execute("DELETE FROM outbox WHERE email = ? AND status = 'queued'", [email])
    con.execute("DELETE FROM subscribers WHERE email = ?", [email])
    return True


def unsubscribe(con: duckdb.DuckDBPyConnection, token: str, now: datetime) -> Subscriber | None:
    """Honour an unsubscribe token: no more alerts, queued ones dropped. None if unknown."""
    row = con.execute("SELECT email FROM subscribers WHERE token = ?", [token.strip()]).fetchone()
    if row is None:
        return None
    con.execute(
        "UPDATE subscribers SET unsubscribed_at = coalesce(unsubscribed_at, ?) WHERE email = ?",
        [now, row[0]],
    )
    con.execute("DELETE FROM outbox WHERE email = ? AND status = 'queued'", [row[0]])
    return get_subscriber(con, row[0])


def _insert(
    con: duckdb.DuckDBPyConnection,
    email: str,
    subjects: Sequence[str],
    metrics: Sequence[str],
    source: str,
    now: datetime,
) -> None:
    con.execute(
        "INSERT INTO subscribers (email, subjects, metrics, source, token, subscribed_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [email, list(subjects), list(metrics), source, new_token(), now],
    )


def new_token() -> str:
    """A private unsubscribe token: 144 random bits in hex. Not `token_urlsafe`, whose tokens
    start with "-" one time in 64, which `monitor unsubscribe TOKEN` would take for an option."""
    return secrets.token_hex(18)


def _subscriber(row: tuple[Any, ...]) -> Subscriber:
    email, subjects, metrics, source, token, active, since, until = row
    return Subscriber(
        email, tuple(subjects or ()), tuple(metrics or ()), source, token, active, since, until
    )
