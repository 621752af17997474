"""The outbox: each (conflict, subscriber) is queued once, with its message rendered.

Only open conflicts whose confidence reaches the threshold are queued, and
only to subscribers who receive alerts, whose filters match, and who had
subscribed when the conflict was first seen (a new subscriber is not sent
the backlog). The primary key (conflict, subscriber) makes queueing twice a
no-op, so a subscriber gets one email per conflict however often it runs;
a third source joining a conflict changes nothing here.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from monitor.alerts.render import render_alert
from monitor.alerts.settings import AlertSettings
from monitor.alerts.subscribers import list_subscribers
from monitor.contradictions import load_contradictions
from monitor.warehouse import upsert

_COLUMNS = ["contradiction_id", "email", "message_id", "status", "attempts", "message", "queued_at"]


def queue_alerts(con: duckdb.DuckDBPyConnection, settings: AlertSettings, now: datetime) -> int:
    """Render and queue every alert not queued before; return how many were queued."""
    conflicts = load_contradictions(
        con,
        "status = 'open' AND confidence >= $1 AND a_confidence >= $1 AND b_confidence >= $1",
        [settings.min_confidence],
    )
    subscribers = list_subscribers(con, receiving_only=True)
    if not conflicts or not subscribers:
        return 0
    done = set(
        con.execute(
            "SELECT contradiction_id, email FROM outbox"
            " WHERE contradiction_id IN (SELECT unnest($1::VARCHAR[]))",
            [[c.id for c in conflicts]],
        ).fetchall()
    )
    rows = []
    for c in conflicts:
        for s in subscribers:
            if (c.id, s.email) in done or c.first_seen < s.subscribed_at:
                continue
            if not s.wants(c.subject, c.metric):
                continue
            msg = render_alert(c, s, settings, now)
            rows.append((c.id, s.email, msg["Message-ID"], "queued", 0, msg.as_string(), now))
    return upsert(con, "outbox", _COLUMNS, rows, key=["contradiction_id", "email"])
