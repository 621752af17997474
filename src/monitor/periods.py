"""Which stretch of time a figure refers to: a date in its sentence, else around publication.

"in January 2025", "the second quarter of 2025", "in 2026", "this year", "last
autumn" and a bare "in May" are read from the sentence; an undated figure
refers to a window around its article's publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# An undated price or valuation is what held around its publication date.
# Two undated figures published within twice this many days are compared.
PERIOD_WINDOW_DAYS = 15


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    explicit: bool  # from a date in the sentence, not the publication date

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


_MONTH_ABBR = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i + 1 for i, m in enumerate(_MONTH_ABBR)}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\.?\s+(?:\d{{1,2}},?\s+)?(20\d\d)\b", re.IGNORECASE)
_QUARTER = re.compile(
    r"\b(?:q([1-4])|(first|second|third|fourth)\s+quarter)(?:\s+of)?\s+(20\d\d)\b", re.IGNORECASE
)
_YEAR = re.compile(
    r"\b(?:in|for|during|through|of|by|fiscal|year)\s+(?:fiscal\s+)?(?:year\s+)?(20\d\d)\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(this|last|next)\s+(year|month|spring|summer|autumn|fall|winter)\b", re.IGNORECASE
)
_MONTH_ONLY = re.compile(rf"\b(?:in|on|since)\s+{_MONTH}\b", re.IGNORECASE)
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def period_of(quote: str, pub: date | None) -> Period | None:
    """The time a time-varying figure refers to, from its sentence or its publication date."""
    q = quote
    if m := _MONTH_YEAR.search(q):
        return _month_period(int(m[2]), _MONTHS[m[1][:3].lower()])
    if m := _QUARTER.search(q):
        quarter = int(m[1]) if m[1] else _ORDINALS[m[2].lower()]
        first = date(int(m[3]), 3 * quarter - 2, 1)
        return Period(first, _month_period(first.year, 3 * quarter).end, True)
    if m := _YEAR.search(q):
        return _year_period(int(m[1]))
    if pub is None:
        return None
    if m := _RELATIVE.search(q):
        return _relative_period(m[1].lower(), m[2].lower(), pub)
    if m := _MONTH_ONLY.search(q):
        month = _MONTHS[m[1][:3].lower()]
        return _month_period(pub.year - (month > pub.month), month)
    window = timedelta(days=PERIOD_WINDOW_DAYS)
    return Period(pub - window, pub + window, False)


def _relative_period(which: str, unit: str, pub: date) -> Period:
    shift = {"this": 0, "last": -1, "next": 1}[which]
    if unit == "year":
        return _year_period(pub.year + shift)
    if unit == "month":
        index = pub.year * 12 + pub.month - 1 + shift
        return _month_period(index // 12, index % 12 + 1)
    if unit == "winter":  # December to February
        year = pub.year + shift - (pub.month <= 2)
        return Period(date(year, 12, 1), _month_period(year + 1, 2).end, True)
    first, last = _SEASONS[unit]
    year = pub.year + shift
    if which == "last" and pub.month > last:
        year += 1  # "last autumn" said in December is this year's autumn
    return Period(date(year, first, 1), _month_period(year, last).end, True)


def _year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), True)


def _month_period(year: int, month: int) -> Period:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return Period(date(year, month, 1), nxt - timedelta(days=1), True)
