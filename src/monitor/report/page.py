"""The report page: charts and the open-contradictions table, rendered and written.

Everything from articles goes through jinja2's autoescaping; links are kept
only for http(s) URLs; a Content-Security-Policy forbids scripts and any
network load, so even a mistake in escaping could not run or fetch anything.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from monitor.alerts.render import METRIC_LABELS, format_amount
from monitor.contradictions import ContradictionView, Side
from monitor.report.chart import Chart, layout_chart, outlet_colours
from monitor.report.data import ReportData, ReportedFigure, Series, load_report_data

_ENV = Environment(
    loader=PackageLoader("monitor.report", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def write_report(warehouse: Path, out: Path, now: datetime | None = None) -> Path:
    """Render the report of the warehouse at `warehouse` into the file `out`."""
    html = render_report(load_report_data(warehouse), now or datetime.now(UTC))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)  # a reader never sees half a page
    return out


def render_report(data: ReportData, now: datetime) -> str:
    colours = outlet_colours([f.outlet for s in data.series for f in s.figures])
    charts = [layout_chart(s, colours, _tooltips(s)) for s in data.series]
    return _ENV.get_template("report.html").render(
        generated_at=now.strftime("%Y-%m-%d %H:%M UTC"),
        charts=[_chart_context(i, c) for i, c in enumerate(charts)],
        contradictions=[_contradiction_context(c) for c in data.open_contradictions],
        figure_count=sum(len(s.figures) for s in data.series),
        outlets=sorted(colours.items()),
    )


def series_title(s: Series) -> str:
    label = METRIC_LABELS.get(s.metric, s.metric.replace("_", " "))
    return f"{s.subject}: {label}"


def _chart_context(index: int, chart: Chart) -> dict[str, Any]:
    s = chart.series
    detail = ", ".join(part for part in (s.unit, s.chip) if part)
    return {
        "chart": chart,
        "anchor": f"series-{index + 1}",
        "title": series_title(s),
        "detail": detail,
        "rows": [_figure_row(f) for f in s.figures],
        "contradicted": sorted({cid for f in s.figures for cid in f.open_contradiction_ids}),
    }


def _figure_row(f: ReportedFigure) -> dict[str, Any]:
    return {
        "date": f.reported_at.date().isoformat(),
        "outlet": f.outlet,
        "amount": format_amount(_side(f), f.chip),
        "qualifier": f.qualifier,
        "confidence": f"{f.confidence:.2f}",
        "quote": f.quote,
        "title": f.article_title or f.article_url,
        "link": safe_link(f.article_url),
        "contradiction_ids": f.open_contradiction_ids,
    }


def _tooltips(s: Series) -> dict[int, str]:
    return {
        i: f"{f.outlet}, {f.reported_at.date().isoformat()}: "
        f"{format_amount(_side(f), f.chip)} ({f.qualifier}). “{f.quote}”"
        for i, f in enumerate(s.figures)
    }


def _side(f: ReportedFigure) -> Side:
    return Side(
        value=f.value,
        value_high=f.value_high,
        unit=f.unit,
        qualifier=f.qualifier,
        quote=f.quote,
        confidence=f.confidence,
        url=f.article_url,
        outlet=f.outlet,
        title=f.article_title,
        published_at=f.reported_at,
    )


def _contradiction_context(c: ContradictionView) -> dict[str, Any]:
    return {
        "id": c.id,
        "subject": c.subject,
        "metric": METRIC_LABELS.get(c.metric, c.metric.replace("_", " ")),
        "sides": [_side_context(side, c.chip) for side in (c.a, c.b)],
        "difference": f"{c.relative_difference:.0%}",
        "transposition": c.transposition,
        "confidence": f"{c.confidence:.2f}",
        "sources": c.sources,
        "first_seen": c.first_seen.date().isoformat(),
    }


def _side_context(side: Side, chip: str | None) -> dict[str, Any]:
    return {
        "amount": format_amount(side, chip),
        "outlet": side.outlet or "unknown outlet",
        "date": side.published_at.date().isoformat() if side.published_at else "",
        "quote": side.quote,
        "title": side.title or side.url,
        "url": side.url,
        "link": safe_link(side.url),
    }


def safe_link(url: str) -> str | None:
    """`url` if it is an http(s) address, else None: no javascript: or data: links."""
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None
