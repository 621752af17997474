"""Contradictions in the warehouse: find them for newly stored articles and record them once.

A conflict is one row of `contradiction_records` plus its member figures. Two
figures that first disagree start a conflict; a later figure that disagrees
with any member joins it (a third outlet repeating one side, or a new value),
so subscribers hear about a dispute once, not once per pair. Recording is
idempotent: running it again on the same articles changes nothing.
"""

from __future__ import annotations

import hashlib
from bisect import insort
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

import duckdb

from monitor.compare import Conflict, Figure, FigureKey, find_conflicts
from monitor.warehouse import update_rows, upsert

_FIGURE_SELECT = (
    "SELECT f.article_url, f.start_offset, f.end_offset, f.kind, f.subject, f.metric, f.value,"
    " f.value_high, f.unit, f.chip, f.qualifier, f.quote, f.confidence, a.published_at, a.outlet"
    " FROM article_figures f JOIN articles a ON a.url = f.article_url"
)
# The stored figures of a list of subjects, through the index on article_figures
# (subject) (migration 002): DuckDB probes it for each subject of the list.
STORED_PEERS = "f.subject IN (SELECT unnest($1::VARCHAR[]))"
_KNOWN_SELECT = (
    "SELECT r.id, r.subject, r.metric, r.chip, r.unit, r.confidence, r.first_seen,"
    " m.article_url, m.start_offset, m.end_offset, m.kind"
    " FROM contradiction_records r JOIN contradiction_members m ON m.contradiction_id = r.id"
    " WHERE r.subject IN (SELECT unnest($1::VARCHAR[]))"
)
_Group = tuple[str, str, str, str]  # subject, metric, chip ("" for none), unit


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
    transaction of its own. Stored figures are looked up by subject through
    its index, never by scanning every figure.
    """
    return record(con, article_urls, now).ids


def record(con: duckdb.DuckDBPyConnection, article_urls: Sequence[str], now: datetime) -> Recorded:
    """`record_contradictions`, telling started conflicts from extended ones.

    Three reads whatever the number of articles (their figures, the stored
    figures of the same subjects, the conflicts already known for them), the
    comparison in memory, then the writes in batches.
    """
    result = Recorded()
    if not article_urls:
        return result
    new = load_figures(con, "f.article_url IN (SELECT unnest($1))", [list(article_urls)])
    subjects = sorted({f.subject for f in new if f.subject})
    if not subjects:
        return result
    peers = _by_subject_metric(load_figures(con, STORED_PEERS, [subjects]))
    fresh = _by_subject_metric(new)
    known = _Known.load(con, subjects)
    for pair in sorted(fresh):
        for conflict in find_conflicts(fresh[pair], peers.get(pair, [])):
            outcome = known.integrate(conflict, now)
            if outcome is None:
                continue
            kind, cid = outcome
            target = result.new if kind == "new" else result.extended
            if cid not in target:
                target.append(cid)
    con.execute("BEGIN")
    try:
        known.write(con)
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


def _by_subject_metric(figures: list[Figure]) -> dict[tuple[str, str], list[Figure]]:
    """Figures with a subject, grouped by (subject, metric), each group in the given order."""
    groups: dict[tuple[str, str], list[Figure]] = {}
    for f in figures:
        if f.subject:
            groups.setdefault((f.subject, f.metric), []).append(f)
    return groups


def _group(f: Figure) -> _Group:
    return (f.subject or "", f.metric, f.chip or "", f.unit)


@dataclass
class _Known:
    """The conflicts already recorded for some subjects, kept current as conflicts are
    integrated, with the writes that will make the warehouse say the same."""

    order: dict[_Group, list[tuple[datetime, str]]] = field(default_factory=dict)
    members: dict[str, set[FigureKey]] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    records: dict[str, list[Any]] = field(default_factory=dict)  # started here, by id
    new_members: list[list[Any]] = field(default_factory=list)
    seen: dict[str, list[Any]] = field(default_factory=dict)  # id -> [id, last_seen]
    shown: dict[str, list[Any]] = field(default_factory=dict)  # id -> [id, *_SHOWN values]

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, subjects: list[str]) -> _Known:
        known = cls()
        for rid, subject, metric, chip, unit, conf, first_seen, *key in con.execute(
            _KNOWN_SELECT, [subjects]
        ).fetchall():
            if rid not in known.members:
                group = (subject, metric, chip, unit)
                insort(known.order.setdefault(group, []), (first_seen, rid))
                known.members[rid] = set()
                known.confidence[rid] = conf
            known.members[rid].add((key[0], key[1], key[2], key[3]))
        return known

    def integrate(self, c: Conflict, now: datetime) -> tuple[str, str] | None:
        """Start a conflict, add a source to a known one, or (already known) do nothing."""
        s = c.stored
        linked = [
            rid
            for _, rid in self.order.get(_group(s), [])
            if s.key in self.members[rid] or c.new.key in self.members[rid]
        ]
        if not linked:
            cid = conflict_id(c)
            insort(self.order.setdefault(_group(s), []), (now, cid))
            self.members[cid] = set()
            self.confidence[cid] = c.confidence
            head = [cid, s.subject, s.metric, s.chip or "", s.unit]
            self.records[cid] = [*head, *_shown(c), now, now]
            self._add_members(cid, [s, c.new], now)
            return "new", cid
        cid = linked[0]  # the oldest conflict this pair touches
        missing = [f for f in (s, c.new) if f.key not in self.members[cid]]
        if missing:
            self._add_members(cid, missing, now)
            if cid not in self.records:
                self.seen[cid] = [cid, now]
        if c.confidence > self.confidence[cid]:
            # The more confident pair becomes the one the conflict shows (both are members).
            self.confidence[cid] = c.confidence
            if cid in self.records:
                self.records[cid][5 : 5 + len(_SHOWN)] = _shown(c)
            else:
                self.shown[cid] = [cid, *_shown(c)]
        return ("extended", cid) if missing else None

    def _add_members(self, cid: str, figures: Sequence[Figure], now: datetime) -> None:
        for f in figures:
            self.members[cid].add(f.key)
            row = [cid, *f.key, f.value, f.value_high, f.unit, f.qualifier, f.quote, f.confidence]
            self.new_members.append([*row, now])

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        """Everything integrated so far: one statement per kind of write."""
        upsert(con, "contradiction_records", _RECORD_COLUMNS, list(self.records.values()), ["id"])
        upsert(con, "contradiction_members", _MEMBER_COLUMNS, self.new_members, _MEMBER_KEY)
        update_rows(con, "contradiction_records", "id", ["last_seen"], list(self.seen.values()))
        update_rows(con, "contradiction_records", "id", _SHOWN, list(self.shown.values()))


# The columns that say which pair a conflict shows, and how sure that pair is.
_SHOWN = (
    "confidence", "relative_difference", "transposition", "reason",
    "a_url", "a_start", "a_end", "a_kind", "b_url", "b_start", "b_end", "b_kind",
)  # fmt: skip
_RECORD_COLUMNS = ("id", "subject", "metric", "chip", "unit", *_SHOWN, "first_seen", "last_seen")
_MEMBER_KEY = ("contradiction_id", "article_url", "start_offset", "end_offset", "kind")
_MEMBER_COLUMNS = (
    *_MEMBER_KEY,
    "value", "value_high", "unit", "qualifier", "quote", "confidence", "joined_at",
)  # fmt: skip


def _shown(c: Conflict) -> list[Any]:
    return [
        c.confidence,
        c.relative_difference,
        c.transposition,
        c.reason,
        *c.stored.key,
        *c.new.key,
    ]


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
