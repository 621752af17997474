"""What a poll cycle does for alerts once its articles are stored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from monitor.alerts.outbox import queue_alerts
from monitor.alerts.settings import alert_settings
from monitor.alerts.subscribers import sync_config_subscribers
from monitor.config import Config
from monitor.contradictions import record
from monitor.warehouse import open_warehouse


def detect_and_queue(
    config: Config, article_urls: Sequence[str], now: datetime | None = None
) -> dict[str, Any]:
    """Sync config subscribers, record conflicts of these new articles, queue their alerts.

    Articles an earlier cycle stored but never compared (it stopped in between)
    are compared too. One short warehouse session; nothing is sent here (see
    deliver_pending).
    """
    now = now or datetime.now(UTC)
    with open_warehouse(config.warehouse.path) as con:
        uncompared = [
            r[0]
            for r in con.execute("SELECT url FROM articles WHERE compared_at IS NULL").fetchall()
        ]
        article_urls = list(dict.fromkeys([*article_urls, *uncompared]))
        con.execute("BEGIN")
        try:
            sync_config_subscribers(con, config.subscribers, now)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        recorded = record(con, article_urls, now)  # idempotent: safe to redo after a crash
        con.execute(
            "UPDATE articles SET compared_at = $1 WHERE url IN (SELECT unnest($2::VARCHAR[]))",
            [now, article_urls],
        )
        queued = queue_alerts(con, alert_settings(config), now)
    return {
        "contradictions_new": len(recorded.new),
        "contradictions_extended": len(recorded.extended),
        "alerts_queued": queued,
        "new_ids": recorded.new,
    }


def queue_pending(config: Config, now: datetime | None = None) -> int:
    """Sync config subscribers and queue any alert not yet queued (for the deliver flow)."""
    now = now or datetime.now(UTC)
    with open_warehouse(config.warehouse.path) as con:
        sync_config_subscribers(con, config.subscribers, now)
        return queue_alerts(con, alert_settings(config), now)
