"""One series laid out as an SVG chart: reported values over time, coloured by outlet.

Only geometry and labels are computed here; the template draws them. The
value axis is logarithmic when the values span more than `LOG_SPAN` times,
else linear from zero. A stated range is a whisker from its low to its high
end; bounds ("at least", "at most") are triangles pointing the open way;
figures in an open contradiction get a red halo and are joined by a dashed line.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.report.data import ReportedFigure, Series

WIDTH = 500
HEIGHT = 210
LEFT, RIGHT, TOP, BOTTOM = 60, 30, 12, 34
LOG_SPAN = 20.0
# Okabe-Ito colours minus vermilion, which is kept for contradictions.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000", "#999999")
SHAPES = {
    "exact": "dot",
    "approx": "ring",
    "projection": "ring",
    "at_least": "up",
    "at_most": "down",
    "range": "whisker",
}
_MARK_SIZE = 5.0
_EMPTY_SPAN = timedelta(days=30)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Mark:
    """One figure: where it sits, how it is drawn, and its tooltip."""

    x: float
    y: float
    y_high: float | None  # the top of a range's whisker
    shape: str  # dot | ring | up | down | whisker
    points: str  # polygon corners for triangles, else ""
    colour: str
    tooltip: str
    contradiction_ids: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    """A dashed line between two figures of one open contradiction."""

    contradiction_id: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Chart:
    series: Series
    log_scale: bool
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    marks: list[Mark]
    links: list[Link]
    outlets: list[tuple[str, str]]  # (outlet, colour) in this chart
    width: int = WIDTH
    height: int = HEIGHT
    plot: tuple[float, float, float, float] = field(
        default=(LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)
    )


def outlet_colours(outlets: list[str]) -> dict[str, str]:
    """The same colour for an outlet in every chart of the page."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(sorted(set(outlets)))}


def layout_chart(
    series: Series, colours: dict[str, str], describe: dict[int, str] | None = None
) -> Chart:
    """Place every figure of `series`; `describe[i]` is the tooltip of figure i."""
    figures = series.figures
    values = [v for f in figures for v in (f.value, f.value_high) if v is not None]
    log_scale = _wants_log(values)
    y_of, y_ticks = _log_axis(values) if log_scale else _linear_axis(values)
    x_of, x_ticks = _time_axis([f.reported_at for f in figures])
    marks = [
        _mark(f, x_of(f.reported_at), y_of, colours, (describe or {}).get(i, ""))
        for i, f in enumerate(figures)
    ]
    outlets = sorted({f.outlet for f in figures})
    return Chart(
        series=series,
        log_scale=log_scale,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        marks=marks,
        links=_links(marks),
        outlets=[(o, colours[o]) for o in outlets],
    )


def _mark(f: ReportedFigure, x: float, y_of: _Scale, colours: dict[str, str], tooltip: str) -> Mark:
    shape = SHAPES.get(f.qualifier, "dot")
    if shape == "whisker" and f.value_high is None:
        shape = "dot"
    y = y_of(f.value)
    y_high = y_of(f.value_high) if shape == "whisker" and f.value_high is not None else None
    return Mark(
        x=round(x, 1),
        y=round(y, 1),
        y_high=None if y_high is None else round(y_high, 1),
        shape=shape,
        points=_triangle(x, y, shape),
        colour=colours[f.outlet],
        tooltip=tooltip,
        contradiction_ids=f.open_contradiction_ids,
    )


def _triangle(x: float, y: float, shape: str) -> str:
    if shape not in ("up", "down"):
        return ""
    s = _MARK_SIZE * 1.3
    tip = -s if shape == "up" else s
    corners = [(x, y + tip), (x - s, y - tip * 0.6), (x + s, y - tip * 0.6)]
    return " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners)


def _links(marks: list[Mark]) -> list[Link]:
    by_id: dict[str, list[Mark]] = {}
    for m in marks:
        for cid in m.contradiction_ids:
            by_id.setdefault(cid, []).append(m)
    links = []
    for cid, members in sorted(by_id.items()):
        ordered = sorted(members, key=lambda m: (m.x, m.y))
        for a, b in itertools.pairwise(ordered):
            links.append(Link(cid, a.x, a.y, b.x, b.y))
    return links


class _Scale:
    """A value to a vertical pixel position inside the plot."""

    def __init__(self, low: float, high: float, log: bool) -> None:
        self.low, self.high, self.log = low, high, log

    def __call__(self, value: float) -> float:
        v = math.log10(value) if self.log else value
        share = (v - self.low) / (self.high - self.low)
        return HEIGHT - BOTTOM - share * (HEIGHT - BOTTOM - TOP)


def _wants_log(values: list[float]) -> bool:
    positive = [v for v in values if v > 0]
    return len(positive) == len(values) and max(values) / min(values) > LOG_SPAN


def _log_axis(values: list[float]) -> tuple[_Scale, list[Tick]]:
    low = math.floor(math.log10(min(values)))
    high = math.ceil(math.log10(max(values)))
    scale = _Scale(low, high, log=True)
    ticks = [Tick(round(scale(10.0**e), 1), format_number(10.0**e)) for e in range(low, high + 1)]
    return scale, ticks


def _linear_axis(values: list[float]) -> tuple[_Scale, list[Tick]]:
    low = min(0.0, min(values))
    top = max(values) if max(values) > low else low + 1.0
    step = _nice_step((top - low) / 4)
    high = math.ceil(top * 1.05 / step) * step
    scale = _Scale(low, high, log=False)
    count = round((high - low) / step)
    marks = [low + i * step for i in range(count + 1)]
    ticks = [Tick(round(scale(v), 1), format_number(v)) for v in marks]
    return scale, ticks


def _nice_step(rough: float) -> float:
    power = 10.0 ** math.floor(math.log10(rough))
    for factor in (1, 2, 2.5, 5, 10):
        if rough <= factor * power:
            return factor * power
    return 10 * power


def _time_axis(times: list[datetime]) -> tuple[_TimeScale, list[Tick]]:
    first, last = min(times), max(times)
    if last - first < _EMPTY_SPAN:
        middle = first + (last - first) / 2
        first, last = middle - _EMPTY_SPAN / 2, middle + _EMPTY_SPAN / 2
    pad = (last - first) * 0.06
    scale = _TimeScale(first - pad, last + pad)
    steps = 4
    ticks = [
        Tick(round(scale(first + (last - first) * i / steps), 1),
             (first + (last - first) * i / steps).date().isoformat())
        for i in range(steps + 1)
    ]  # fmt: skip
    return scale, ticks


class _TimeScale:
    def __init__(self, start: datetime, end: datetime) -> None:
        self.start, self.span = start, (end - start).total_seconds()

    def __call__(self, when: datetime) -> float:
        share = (when - self.start).total_seconds() / self.span
        return LEFT + share * (WIDTH - RIGHT - LEFT)


def format_number(value: float) -> str:
    """Axis labels: 300 billion as '300B', 0.55 as '0.55', 2048 as '2,048'."""
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6)):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    if abs(value) >= 1000 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:.3g}"
