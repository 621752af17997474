"""Contradictions in the warehouse: find them for newly stored articles and record them once.

A conflict is one row of `contradiction_records` plus its member figures. Two
figures that first disagree start a conflict; a later figure that disagrees
with any member joins it (a third outlet repeating one side, or a new value),
so subscribers hear about a dispute once, not once per pair. Recording is
idempotent: running it again on the same articles changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

import duckdb

from monitor.compare import Conflict, Figure, FigureKey, find_conflicts

_FIGURE_SELECT = (
    "SELECT f.article_url, f.start_offset, f.end_offset, f.kind, f.subject, f.metric, f.value,"
    " f.value_high, f.unit, f.chip, f.qualifier, f.quote, f.confidence, a.published_at, a.outlet"
    " FROM article_figures f JOIN articles a ON a.url = f.article_url"
)
# A subject's figures, through the index on article_figures (subject) (migration 002).
STORED_PEERS = "f.subject = $1"


@dataclass
class Recorded:
    """What one call recorded: ids of conflicts started and of conflicts a new source joined."""

    new: list[str] = field(default_factory=list)
    extended: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        return self.new + [i for i in self.extended if i not in self.new]


def record_contradictions(
    con: duckdb.DuckDBPyConnection, article_urls: Sequence[str], now: datetime
) -> list[str]:
    """Compare the figures of newly stored articles with stored figures; record conflicts.

    Returns the ids of conflicts started or extended by these articles, in one
    transaction of its own. Stored figures are looked up per subject through
    its index, never by scanning every figure.
    """
    return record(con, article_urls, now).ids


def record(con: duckdb.DuckDBPyConnection, article_urls: Sequence[str], now: datetime) -> Recorded:
    """`record_contradictions`, telling started conflicts from extended ones."""
    result = Recorded()
    if not article_urls:
        return result
    new = load_figures(con, "f.article_url IN (SELECT unnest($1))", [list(article_urls)])
    con.execute("BEGIN")
    try:
        for subject in sorted({f.subject for f in new if f.subject}):
            peers = load_figures(con, STORED_PEERS, [subject])
            fresh = [f for f in new if f.subject == subject]
            conflicts = [
                c
                for metric in sorted({f.metric for f in fresh})
                for c in find_conflicts(
                    [f for f in fresh if f.metric == metric],
                    [f for f in peers if f.metric == metric],
                )
            ]
            for conflict in conflicts:
                outcome = _integrate(con, conflict, now)
                if outcome is None:
                    continue
                kind, cid = outcome
                target = result.new if kind == "new" else result.extended
                if cid not in target:
                    target.append(cid)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return result


def figures_sql(where: str) -> str:
    return f"{_FIGURE_SELECT} WHERE {where} ORDER BY a.published_at, f.article_url, f.start_offset"


def load_figures(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> list[Figure]:
    rows = con.execute(figures_sql(where), params).fetchall()
    return [Figure(*row) for row in rows]


def conflict_id(conflict: Conflict) -> str:
    """Stable id of a conflict started by this pair of figures."""
    s = conflict.stored
    parts = [s.subject or "", s.metric, s.chip or "", s.unit]
    parts += sorted("|".join(map(str, k)) for k in (s.key, conflict.new.key))
    return "c" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:15]


def _integrate(
    con: duckdb.DuckDBPyConnection, c: Conflict, now: datetime
) -> tuple[str, str] | None:
    """Start a conflict, add a source to a known one, or (already known) do nothing."""
    s = c.stored
    rows = con.execute(
        "SELECT r.id, r.confidence, m.article_url, m.start_offset, m.end_offset, m.kind"
        " FROM contradiction_records r JOIN contradiction_members m ON m.contradiction_id = r.id"
        " WHERE r.subject = ? AND r.metric = ? AND r.chip = ? AND r.unit = ?"
        " ORDER BY r.first_seen, r.id",
        [s.subject, s.metric, s.chip or "", s.unit],
    ).fetchall()
    members: dict[str, set[FigureKey]] = {}
    confidence: dict[str, float] = {}
    for rid, conf, *key in rows:
        members.setdefault(rid, set()).add((key[0], key[1], key[2], key[3]))
        confidence[rid] = conf
    linked = [rid for rid, keys in members.items() if s.key in keys or c.new.key in keys]
    if not linked:
        cid = conflict_id(c)
        _insert_record(con, cid, c, now)
        _add_members(con, cid, [s, c.new], now)
        return "new", cid
    cid = linked[0]  # the oldest conflict this pair touches
    missing = [f for f in (s, c.new) if f.key not in members[cid]]
    if missing:
        _add_members(con, cid, missing, now)
        con.execute("UPDATE contradiction_records SET last_seen = ? WHERE id = ?", [now, cid])
    if c.confidence > confidence[cid]:
        _show_pair(con, cid, c)
    return ("extended", cid) if missing else None


def _insert_record(con: duckdb.DuckDBPyConnection, cid: str, c: Conflict, now: datetime) -> None:
    s, n = c.stored, c.new
    con.execute(
        "INSERT INTO contradiction_records (id, subject, metric, chip, unit, confidence,"
        " relative_difference, transposition, reason, a_url, a_start, a_end, a_kind,"
        " b_url, b_start, b_end, b_kind, first_seen, last_seen)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO NOTHING",
        [
            cid,
            s.subject,
            s.metric,
            s.chip or "",
            s.unit,
            c.confidence,
            c.relative_difference,
            c.transposition,
            c.reason,
            *s.key,
            *n.key,
            now,
            now,
        ],
    )


def _show_pair(con: duckdb.DuckDBPyConnection, cid: str, c: Conflict) -> None:
    """Make a more confident pair the one the conflict shows (both are members by now)."""
    con.execute(
        "UPDATE contradiction_records SET confidence = ?, relative_difference = ?,"
        " transposition = ?, reason = ?, a_url = ?, a_start = ?, a_end = ?, a_kind = ?,"
        " b_url = ?, b_start = ?, b_end = ?, b_kind = ? WHERE id = ?",
        [
            c.confidence,
            c.relative_difference,
            c.transposition,
            c.reason,
            *c.stored.key,
            *c.new.key,
            cid,
        ],
    )


def _add_members(
    con: duckdb.DuckDBPyConnection, cid: str, figures: Sequence[Figure], now: datetime
) -> None:
    for f in figures:
        con.execute(
            "INSERT INTO contradiction_members (contradiction_id, article_url, start_offset,"
            " end_offset, kind, value, value_high, unit, qualifier, quote, confidence, joined_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [cid, *f.key, f.value, f.value_high, f.unit, f.qualifier, f.quote, f.confidence, now],
        )


VIEW_COLUMNS = (
    "id", "status", "subject", "metric", "chip", "confidence", "relative_difference",
    "transposition", "reason", "sources",
    "a_value", "a_value_high", "a_unit", "a_qualifier", "a_quote", "a_confidence",
    "a_url", "a_outlet", "a_title", "a_published_at",
    "b_value", "b_value_high", "b_unit", "b_qualifier", "b_quote", "b_confidence",
    "b_url", "b_outlet", "b_title", "b_published_at", "first_seen", "last_seen",
)  # fmt: skip


@dataclass(frozen=True)
class Side:
    """One of the two figures a conflict shows, with its article."""

    value: float
    value_high: float | None
    unit: str
    qualifier: str
    quote: str
    confidence: float
    url: str
    outlet: str | None
    title: str | None
    published_at: datetime | None


@dataclass(frozen=True)
class ContradictionView:
    """One row of the `contradictions` view: `a` is the older article, `b` the newer."""

    id: str
    status: str
    subject: str
    metric: str
    chip: str | None
    confidence: float
    relative_difference: float
    transposition: bool
    reason: str
    sources: int
    a: Side
    b: Side
    first_seen: datetime
    last_seen: datetime

    def as_dict(self) -> dict[str, Any]:
        """Flat and JSON-ready, with the view's column names."""
        out = dict(zip(VIEW_COLUMNS[:10], self._head(), strict=True))
        for name, side in (("a", self.a), ("b", self.b)):
            for key, value in vars(side).items():
                out[f"{name}_{key}"] = value.isoformat() if isinstance(value, datetime) else value
        out["first_seen"] = self.first_seen.isoformat()
        out["last_seen"] = self.last_seen.isoformat()
        return out

    def _head(self) -> tuple[Any, ...]:
        return (
            self.id, self.status, self.subject, self.metric, self.chip, self.confidence,
            self.relative_difference, self.transposition, self.reason, self.sources,
        )  # fmt: skip


def load_contradictions(
    con: duckdb.DuckDBPyConnection, where: str = "true", params: list[Any] | None = None
) -> list[ContradictionView]:
    """Rows of the `contradictions` view, newest first."""
    rows = con.execute(
        f"SELECT {', '.join(VIEW_COLUMNS)} FROM contradictions WHERE {where}"
        " ORDER BY last_seen DESC, id",
        params or [],
    ).fetchall()
    side_fields = [f.name for f in fields(Side)]
    return [
        ContradictionView(
            **dict(zip(VIEW_COLUMNS[:10], r[:10], strict=True)),
            a=Side(**dict(zip(side_fields, r[10:20], strict=True))),
            b=Side(**dict(zip(side_fields, r[20:30], strict=True))),
            first_seen=r[30],
            last_seen=r[31],
        )
        for r in rows
    ]
