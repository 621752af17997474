"""The shape of one poll cycle's outcome, counted for the run summary and the runs table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from monitor.polling import FeedPoll
from monitor.processing import ProcessedArticle


@dataclass
class CycleSummary:
    run_id: str
    status: str = "completed"  # completed | skipped (another run held the warehouse)
    feeds_polled: int = 0
    feeds_skipped: int = 0  # not due yet: their interval, max-age, ttl or backoff
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    entries_seen: int = 0
    new_articles: int = 0
    article_errors: int = 0
    figures: int = 0
    errors: list[str] = field(default_factory=list)
    contradictions_new: int = 0
    contradictions_extended: int = 0
    alerts_queued: int = 0
    alerts_sent: int = 0
    alerts_deferred: int = 0
    delivered_to: list[str] = field(default_factory=list)  # .eml paths or SMTP host:port
    feeds_needing_attention: list[str] = field(default_factory=list)  # failing a day, or gone

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def one_line(self) -> str:
        """The run's log line: everything an operator scans for, on one line."""
        line = (
            f"cycle {self.status}: {self.feeds_polled} feeds polled ({self.feeds_not_modified}"
            f" not modified, {self.feeds_failed} failed, {self.feeds_skipped} not due);"
            f" {self.new_articles} new articles, {self.article_errors} article errors,"
            f" {self.figures} figures; {self.contradictions_new} new contradictions;"
            f" {self.alerts_sent} alerts sent, {self.alerts_deferred} deferred"
        )
        if self.feeds_needing_attention:
            line += f"; {len(self.feeds_needing_attention)} feeds need attention"
        return line

    def render(self) -> str:
        if self.status == "skipped":
            return "run skipped: " + "; ".join(self.errors)
        lines = [
            f"feeds:    {self.feeds_polled} polled, {self.feeds_not_modified} not modified, "
            f"{self.feeds_failed} failed ({self.entries_seen} entries seen)"
            + (f", {self.feeds_skipped} not due yet" if self.feeds_skipped else ""),
            f"articles: {self.new_articles} new, {self.article_errors} failed to fetch or extract",
            f"figures:  {self.figures} extracted",
            f"contradictions: {self.contradictions_new} new, "
            f"{self.contradictions_extended} joined by another source",
            f"alerts:   {self.alerts_queued} queued, {self.alerts_sent} sent"
            + (f", {self.alerts_deferred} waiting to be retried" if self.alerts_deferred else ""),
        ]
        lines += [f"  sent to {where}" for where in self.delivered_to]
        if self.feeds_needing_attention:
            lines.append(f"feeds needing attention: {len(self.feeds_needing_attention)}")
            lines += [f"  - {line}" for line in self.feeds_needing_attention]
        if self.errors:
            lines.append(f"errors:   {len(self.errors)}")
            lines += [f"  - {e}" for e in self.errors]
        else:
            lines.append("errors:   none")
        return "\n".join(lines)


def summarize(
    run_id: str,
    polls: Sequence[FeedPoll],
    processed: Sequence[ProcessedArticle],
    skipped: int = 0,
) -> CycleSummary:
    """Count what happened; every failure becomes one readable error line."""
    summary = CycleSummary(run_id=run_id, feeds_polled=len(polls), feeds_skipped=skipped)
    for poll in polls:
        summary.entries_seen += len(poll.entries)
        if poll.status == "not_modified":
            summary.feeds_not_modified += 1
        elif poll.status == "error":
            summary.feeds_failed += 1
            summary.errors.append(f"feed {poll.feed.name}: {poll.error}")
        elif poll.error:
            summary.errors.append(f"feed {poll.feed.name} (warning): {poll.error}")
    for p in processed:
        if p.ok:
            summary.new_articles += 1
            summary.figures += len(p.figures)
        else:
            summary.article_errors += 1
            summary.errors.append(f"article {p.reason}: {p.error}")
    return summary
