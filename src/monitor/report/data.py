"""What the report shows, read from the warehouse in one short read-only visit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from monitor.contradictions import ContradictionView, load_contradictions
from monitor.errors import WarehouseError
from monitor.warehouse import open_warehouse

_HISTORY_COLUMNS = (
    "subject", "metric", "unit", "chip", "reported_at", "outlet", "article_url",
    "article_title", "value", "value_high", "qualifier", "confidence", "quote",
    "open_contradiction_ids",
)  # fmt: skip


@dataclass(frozen=True)
class ReportedFigure:
    """One report of a value: a row of the `figure_history` view."""

    subject: str
    metric: str
    unit: str
    chip: str | None
    reported_at: datetime
    outlet: str
    article_url: str
    article_title: str | None
    value: float
    value_high: float | None
    qualifier: str
    confidence: float
    quote: str
    open_contradiction_ids: tuple[str, ...]


@dataclass(frozen=True)
class Series:
    """Every report of one subject, metric, unit and chip, oldest first."""

    subject: str
    metric: str
    unit: str
    chip: str | None
    figures: tuple[ReportedFigure, ...]


@dataclass(frozen=True)
class ReportData:
    series: list[Series]
    open_contradictions: list[ContradictionView]


def load_report_data(path: Path) -> ReportData:
    with open_warehouse(path, read_only=True) as con:
        try:
            rows = con.execute(
                f"SELECT {', '.join(_HISTORY_COLUMNS)} FROM figure_history"
                " ORDER BY subject, metric, unit, chip NULLS FIRST, report_number"
            ).fetchall()
        except duckdb.CatalogException as exc:
            raise WarehouseError(
                f"{path}: no figure_history view yet (an older schema); "
                "one `monitor run` migrates it"
            ) from exc
        contradictions = load_contradictions(con, "status = ?", ["open"])
    figures = [
        ReportedFigure(
            **dict(zip(_HISTORY_COLUMNS[:-1], row[:-1], strict=True)),
            open_contradiction_ids=tuple(row[-1]),
        )
        for row in rows
    ]
    return ReportData(series=group_series(figures), open_contradictions=contradictions)


def group_series(figures: list[ReportedFigure]) -> list[Series]:
    """Figures with the same subject, metric, unit and chip form one series, in first-seen order."""
    grouped: dict[tuple[str, str, str, str | None], list[ReportedFigure]] = {}
    for f in figures:
        grouped.setdefault((f.subject, f.metric, f.unit, f.chip), []).append(f)
    return [
        Series(subject, metric, unit, chip, tuple(members))
        for (subject, metric, unit, chip), members in grouped.items()
    ]
