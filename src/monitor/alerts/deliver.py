"""Send what the outbox holds, without keeping the warehouse open while talking to SMTP.

Three short steps: claim the queued messages (one warehouse session), hand
them to the transport (no warehouse), record each outcome (another session).
A server that is down leaves every message queued with its error and one
more attempt counted; the next call sends them. A message is marked sent only
after the server accepted it, so a crash between the two can at worst send
it again, with the same Message-ID; claims of a run that died are taken over
after CLAIM_LEASE_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Any

import duckdb

from monitor.alerts.settings import CLAIM_LEASE_SECONDS, alert_settings
from monitor.alerts.transports import DeliveryError, open_transport
from monitor.config import Config, EmailSettings
from monitor.warehouse import open_warehouse


@dataclass
class DeliveryReport:
    sent: int = 0
    deferred: int = 0  # still queued, to be retried
    failed: int = 0  # given up: permanent refusal or too many attempts
    errors: list[str] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)  # .eml paths, or host:port per message

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Pending:
    contradiction_id: str
    email: str
    message_id: str
    message: str
    attempts: int


@dataclass(frozen=True)
class _Outcome:
    item: _Pending
    error: DeliveryError | None
    where: str = ""


def deliver_pending(
    config: Config,
    now: Callable[[], datetime] | None = None,
    sole_sender: bool = False,
) -> DeliveryReport:
    """Send every queued alert once; return what was sent, deferred and given up.

    `sole_sender`: the caller holds the warehouse's writer slot, so no other
    delivery is running and every unfinished claim belongs to a run that died:
    take those over now instead of waiting out their lease.
    """
    clock = now or (lambda: datetime.now(UTC))
    settings = alert_settings(config)
    with open_warehouse(config.warehouse.path) as con:
        batch = _claim(con, clock(), take_over_all=sole_sender)
    if not batch:
        return DeliveryReport()
    outcomes: list[_Outcome] = []
    try:
        envelope_from = parseaddr(settings.sender)[1] or settings.sender
        outcomes = _send_all(config.email, envelope_from, batch)
    finally:
        with open_warehouse(config.warehouse.path) as con:
            report = _record(con, batch, outcomes, clock(), settings.max_attempts)
    return report


def _claim(
    con: duckdb.DuckDBPyConnection, now: datetime, take_over_all: bool = False
) -> list[_Pending]:
    stale = now if take_over_all else now - timedelta(seconds=CLAIM_LEASE_SECONDS)
    con.execute("BEGIN")
    try:
        rows = con.execute(
            "SELECT contradiction_id, email, message_id, message, attempts FROM outbox"
            " WHERE status = 'queued' OR (status = 'sending' AND claimed_at < ?)"
            " ORDER BY queued_at, contradiction_id, email",
            [stale],
        ).fetchall()
        con.execute(
            "UPDATE outbox SET status = 'sending', claimed_at = ?"
            " WHERE status = 'queued' OR (status = 'sending' AND claimed_at < ?)",
            [now, stale],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [_Pending(*row) for row in rows]


def _send_all(settings: EmailSettings, sender: str, batch: Sequence[_Pending]) -> list[_Outcome]:
    outcomes: list[_Outcome] = []
    try:
        with open_transport(settings) as send:
            for item in batch:
                try:
                    where = send(sender, item.email, item.message_id, item.message)
                except DeliveryError as exc:
                    outcomes.append(_Outcome(item, exc))
                    if exc.fatal:
                        break
                else:
                    outcomes.append(_Outcome(item, None, where))
    except DeliveryError as exc:  # could not connect, or the connection broke
        outcomes += [_Outcome(item, exc) for item in batch[len(outcomes) :]]
    for item in batch[len(outcomes) :]:  # after a fatal error on one message
        outcomes.append(_Outcome(item, outcomes[-1].error))
    return outcomes


def _record(
    con: duckdb.DuckDBPyConnection,
    batch: Sequence[_Pending],
    outcomes: Sequence[_Outcome],
    now: datetime,
    max_attempts: int,
) -> DeliveryReport:
    """Write each outcome; release claims of messages that got none (an unexpected crash)."""
    report = DeliveryReport()
    done = {(o.item.contradiction_id, o.item.email) for o in outcomes}
    con.execute("BEGIN")
    try:
        for o in outcomes:
            key = [o.item.contradiction_id, o.item.email]
            if o.error is None:
                report.sent += 1
                report.delivered_to.append(o.where)
                con.execute(
                    "UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL,"
                    " last_attempt_at = ?, sent_at = ? WHERE contradiction_id = ? AND email = ?",
                    [now, now, *key],
                )
                continue
            give_up = o.error.permanent or o.item.attempts + 1 >= max_attempts
            report.failed += give_up
            report.deferred += not give_up
            if str(o.error) not in report.errors:
                report.errors.append(str(o.error))
            con.execute(
                "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?,"
                " last_attempt_at = ? WHERE contradiction_id = ? AND email = ?",
                ["failed" if give_up else "queued", str(o.error), now, *key],
            )
        for item in batch:
            if (item.contradiction_id, item.email) not in done:
                con.execute(
                    "UPDATE outbox SET status = 'queued' WHERE contradiction_id = ? AND email = ?"
                    " AND status = 'sending'",
                    [item.contradiction_id, item.email],
                )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return report
