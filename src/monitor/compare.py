"""When do two stored figures contradict each other? Pure functions, no warehouse.

Every figure stands for an interval of values. The stated precision gives its
width: "$5.6 million" is 5.55-5.65 million, "$294,000" is 293,500-294,500
(zeros after the last non-zero digit of a whole number are taken as rounding,
except that a number starting with 1 keeps two significant digits, so "$100
million" is 95-105 million rather than 50-150). The qualifier then widens it:
"about" by APPROX_WIDENING each way, "more than" is open above, "up to" open
below, a range is its two ends; a projection is not a fact and is never compared.

Two figures are compared only when they are about the same thing: subject,
metric and unit (and chip, for chip counts), the same price tier (cache hit,
cached input and standard prices are different things), the same basis ("a
month" against a yearly total is not), and for metrics that change over time
the same period: a date in the sentence ("in January 2025", "for 2025", "this
year"), else a window around the publication date (monitor.periods). A
sentence that reports a change ("cut the price from $4 to $2.50") is a change,
not a contradiction. Everything that is not a clear disagreement errs towards
silence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from monitor import periods
from monitor.periods import Period

# "about $6 million" may be off by this fraction each way. Reporters say "about"
# for figures rounded to one or two significant digits (5.576 -> "about 6" is
# 7% off); 15% keeps such roundings consistent while a 4x gap (4,096 vs "some
# 1,024") stays a contradiction.
APPROX_WIDENING = 0.15
# Facts about a finished event: they cannot change, so any two dates compare.
PAST_FACT_METRICS = frozenset({"training_cost", "chip_count", "gpu_hours"})
PRICE_METRICS = frozenset({"inference_price", "inference_price_input", "inference_price_output"})

Verdict = Literal["contradiction", "consistent", "not_comparable", "change"]
FigureKey = tuple[str, int, int, str]


@dataclass(frozen=True)
class Figure:
    """One stored figure with what comparison needs of its article."""

    article_url: str
    start_offset: int
    end_offset: int
    kind: str
    subject: str | None
    metric: str
    value: float
    value_high: float | None
    unit: str
    chip: str | None
    qualifier: str
    quote: str
    confidence: float = 1.0
    published_at: date | datetime | None = None
    outlet: str | None = None

    @property
    def key(self) -> FigureKey:
        return (self.article_url, self.start_offset, self.end_offset, self.kind)

    @property
    def published(self) -> date | None:
        p = self.published_at
        return p.date() if isinstance(p, datetime) else p


@dataclass(frozen=True)
class Interval:
    low: float
    high: float  # math.inf when open above

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high


@dataclass(frozen=True)
class Comparison:
    verdict: Verdict
    reason: str
    confidence: float = 0.0
    relative_difference: float | None = None
    transposition: bool = False


@dataclass(frozen=True)
class Conflict:
    """A contradiction between a figure on record and a newly stored one."""

    stored: Figure
    new: Figure
    confidence: float
    relative_difference: float
    transposition: bool
    reason: str


def find_conflicts(new: Iterable[Figure], stored: Iterable[Figure]) -> list[Conflict]:
    """Every contradiction between a new figure and a stored one, each pair once.

    A figure may be in both lists (everything new is also stored); pairs within
    one article are never compared. In each conflict `stored` is the older one;
    conflicts come oldest first, so recording them in order is deterministic.
    """
    stored = list(stored)
    seen: set[frozenset[FigureKey]] = set()
    found = []
    for n in new:
        for s in stored:
            pair = frozenset((n.key, s.key))
            if len(pair) < 2 or pair in seen:
                continue
            seen.add(pair)
            r = compare(s, n)
            if r.verdict == "contradiction":
                old, fresh = sorted((s, n), key=_age)
                rel = r.relative_difference or 0.0
                found.append(Conflict(old, fresh, r.confidence, rel, r.transposition, r.reason))
    return sorted(found, key=lambda c: (_age(c.stored), _age(c.new)))


def compare(a: Figure, b: Figure) -> Comparison:
    """The verdict on two figures; symmetric in its arguments."""
    reason = _incomparable(a, b)
    if reason:
        return Comparison("not_comparable", reason)
    if _is_change(a) or _is_change(b):
        return Comparison("change", "a dated change in the sentence, not a contradiction")
    weak = 1.0
    if _time_varying(a, b):
        pa, pb = period_of(a), period_of(b)
        if pa is None or pb is None:
            return Comparison("not_comparable", "no date to say which period it refers to")
        if not pa.overlaps(pb):
            return Comparison("not_comparable", "different periods")
        if not (pa.explicit and pb.explicit):
            weak *= 0.85  # the period is inferred from a publication date
    ia, ib = interval_of(a), interval_of(b)
    assert ia is not None and ib is not None  # projections were ruled out above
    if ia.overlaps(ib):
        return Comparison("consistent", "the intervals overlap")
    for f in (a, b):
        if f.qualifier != "exact":
            weak *= 0.9  # a hedged or bounded figure leaves room for reading it otherwise
    if _round_label(a) != _round_label(b):
        weak *= 0.8  # only one sentence names the funding round
    va, vb = _midpoint(a), _midpoint(b)
    rel = abs(va - vb) / max(abs(va), abs(vb))
    swapped = likely_transposition(a.value, b.value)
    gap = max(ia.low, ib.low) - min(ia.high, ib.high)
    if not swapped and gap / max(abs(va), abs(vb)) < 0.05:
        weak *= 0.8  # a near miss: the figures may simply be rounded differently
    why = "likely digit transposition" if swapped else "the intervals do not overlap"
    confidence = min(a.confidence, b.confidence) * weak
    return Comparison("contradiction", why, round(confidence, 4), round(rel, 4), swapped)


def likely_transposition(x: float, y: float) -> bool:
    """Same significant digits in another order and the same magnitude: 294 vs 249."""
    if x == y or x <= 0 or y <= 0:
        return False
    dx, dy = Decimal(repr(float(x))).normalize(), Decimal(repr(float(y))).normalize()
    if dx.adjusted() != dy.adjusted():
        return False
    digits_x, digits_y = dx.as_tuple().digits, dy.as_tuple().digits
    return len(digits_x) >= 2 and sorted(digits_x) == sorted(digits_y) and digits_x != digits_y


def interval_of(f: Figure) -> Interval | None:
    """The values a figure allows, from its precision and qualifier; None for projections."""
    if f.qualifier == "projection":
        return None
    low, high = _precision_interval(f.quote, f.value)
    if f.qualifier == "range" and f.value_high is not None:
        high = _precision_interval(f.quote, f.value_high)[1]
    if f.qualifier == "approx":
        return Interval(low * (1 - APPROX_WIDENING), high * (1 + APPROX_WIDENING))
    if f.qualifier == "at_least":
        return Interval(low, math.inf)
    if f.qualifier == "at_most":
        return Interval(min(0.0, low), high)
    return Interval(low, high)


# --- reading the sentence -------------------------------------------------

_SCALES = {
    "trillion": 1e12, "tn": 1e12, "t": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9,
    "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3, "cents": 0.01,
}  # fmt: skip
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s*(trillion|billion|million|thousand|cents)\b|(tn|bn|mn|m|b|k|t)\b)?",
    re.IGNORECASE,
)
_SMALL_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_WORD_VALUES = {w: i + 1 for i, w in enumerate(_SMALL_WORDS)} | {
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50
}  # fmt: skip
_WORD_NUMBER = re.compile(
    rf"\b({'|'.join(_WORD_VALUES)})\s+(hundred|thousand|million|billion)\b", re.IGNORECASE
)
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|to)\s*[$€£¥]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    digits: str  # as written, without thousands separators
    scale: float


def _tokens(quote: str) -> list[_Token]:
    found = []
    for m in _NUMBER.finditer(quote):
        scale_word = (m[3] or m[4] or "").lower()
        digits = m[1].replace(",", "") + (m[2] or "")
        found.append(_Token(m.start(), m.end(), digits, _SCALES.get(scale_word, 1.0)))
    # "$80-100 million": the first number takes the scale of the second.
    for i in range(len(found) - 1):
        t, u = found[i], found[i + 1]
        if t.scale == 1.0 and u.scale != 1.0 and _RANGE_JOIN.match(quote[t.end : u.start]):
            found[i] = _Token(t.start, t.end, t.digits, u.scale)
    for m in _WORD_NUMBER.finditer(quote):
        base = _WORD_VALUES[m[1].lower()]
        scale = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}[m[2].lower()]
        found.append(_Token(m.start(), m.end(), str(int(base * scale)), 1.0))
    return found


def _find_token(quote: str, value: float) -> tuple[_Token, float] | None:
    """The number in the quote that states `value`, with the factor it was normalised by."""
    tokens = _tokens(quote)
    # A number after a currency sign first: "GPT-4" must not be taken for "$4".
    tokens.sort(key=lambda t: quote[max(0, t.start - 1) : t.start] not in "$€£¥")
    for token in tokens:
        stated = float(token.digits) * token.scale
        for factor in (1.0, 1000.0):  # per-1,000-token prices are stored per 1M
            if stated and abs(stated * factor - value) <= 0.005 * abs(value):
                return token, token.scale * factor
    return None


def _precision_interval(quote: str, value: float) -> tuple[float, float]:
    found = _find_token(quote, value)
    if found:
        token, factor = found
        half = _step(token.digits) * factor / 2
    else:  # the number is not in the quote as digits: judge from the value itself
        half = _step(format(Decimal(repr(float(value))).normalize(), "f")) / 2
    return value - half, value + half


def _step(digits: str) -> float:
    """The place value of the last significant digit of a number as written."""
    if "." in digits:
        return float(10 ** -len(digits.split(".", 1)[1]))
    whole = digits.lstrip("0") or "0"
    zeros = len(whole) - len(whole.rstrip("0"))
    if zeros and len(whole) - zeros == 1 and whole[0] == "1":
        zeros -= 1  # "100", "1,000": two significant digits
    return float(10**zeros)


_CHANGE_VERB = (
    r"\b(?:cut|cuts|slash\w*|lower\w*|reduc\w*|rais\w*|hike\w*|increas\w*|drop\w*|fell|fall\w*"
    r"|rose|rise\w*|halv\w*|doubl\w*|trimm?\w*|bump\w*|chang\w*|went|revis\w*)\b"
)
_FROM_TO = re.compile(r"\bfrom\s+\D{0,12}\d[^;]*?\bto\s+\D{0,12}\d", re.IGNORECASE)
_VERB_TO = re.compile(_CHANGE_VERB + r"[^;]*?\bto\s+[$€£¥]?\s?\d", re.IGNORECASE)


def _is_change(f: Figure) -> bool:
    for m in _FROM_TO.finditer(f.quote):
        before = f.quote[: m.start()].rstrip().lower()
        if not before.endswith(("ranging", "range", "ranges", "between")):
            return True
    return bool(_VERB_TO.search(f.quote)) and f.metric != "funding"


_CLAUSE_SPLIT = re.compile(r";|\b(?:and|while|whereas|but|versus|vs)\b", re.IGNORECASE)
_TIERS = (
    ("standard", re.compile(r"cache[- ]miss|without (?:a )?cache[- ]hit|uncached", re.I)),
    ("cached", re.compile(r"cache[- ]hit|hits? (?:its |the )?cache|\bcached\b", re.I)),
    ("batch", re.compile(r"\bbatch\b", re.I)),
    ("off-peak", re.compile(r"off[- ]peak|discount", re.I)),
)


def price_tier(f: Figure) -> str:
    """The price tier the sentence gives this figure; 'unknown' if its tier words are elsewhere."""
    found = _find_token(f.quote, f.value)
    clause = f.quote
    if found:
        start = found[0].start
        cuts = [0, *[m.end() for m in _CLAUSE_SPLIT.finditer(f.quote) if m.end() <= start]]
        nxt = [m.start() for m in _CLAUSE_SPLIT.finditer(f.quote) if m.start() > start]
        clause = f.quote[max(cuts) : min(nxt, default=len(f.quote))]
    for name, pattern in _TIERS:
        if pattern.search(clause):
            return name
    if any(p.search(f.quote) for _, p in _TIERS):
        return "unknown"
    return "standard"


_RATE_AFTER = re.compile(
    r"^\s*(?:\w+\s+)?(?:(?:a|per|each|every)\s+|/\s*)(month|year|quarter|week|day)\b"
    r"|^\s*(?:\w+\s+)?(monthly|annually|yearly|quarterly|weekly|daily)\b",
    re.IGNORECASE,
)
_RATE_BEFORE = re.compile(r"\b(monthly|annual\w*|yearly|quarterly|weekly|daily)\b\D*$", re.I)
_RATE_NAMES = {"monthly": "month", "quarterly": "quarter", "weekly": "week", "daily": "day"}


def _basis(f: Figure) -> str:
    """'month', 'year', ... for a rate stated at the figure ("a month"), else 'total'."""
    found = _find_token(f.quote, f.value)
    if not found:
        return "total"
    token = found[0]
    m = _RATE_AFTER.match(f.quote[token.end : token.end + 30]) or _RATE_BEFORE.search(
        f.quote[max(0, token.start - 30) : token.start]
    )
    if not m:
        return "total"
    word = next(g for g in m.groups() if g).lower()
    return "year" if word.startswith(("annual", "year")) else _RATE_NAMES.get(word, word)


_ROUND = re.compile(r"\b(series\s+[a-h]\d?|pre-seed|seed|angel|bridge)\b", re.IGNORECASE)
_INTENT = re.compile(
    r"\b(in talks|talks to|seek\w*|looking to|aims? to|plans? to|hopes? to|in discussions"
    r"|negotiat\w*|considering|exploring|wants? to)\b",
    re.IGNORECASE,
)
_TRAINING = re.compile(r"\btrain\w*|\bran on\b|\brun on\b|\bpre-?train|\bfine-?tun", re.I)


def _round_label(f: Figure) -> str | None:
    if f.metric != "funding":
        return None
    m = _ROUND.search(f.quote)
    return re.sub(r"\s+", " ", m[1].lower()) if m else None


def _incomparable(a: Figure, b: Figure) -> str | None:
    """Why two figures are not about the same thing, or None when they are."""
    checks = (
        (a.article_url == b.article_url, "same article"),
        (not a.subject or not b.subject, "no subject"),
        (_norm(a.subject) != _norm(b.subject), "different subjects"),
        (a.metric != b.metric, "different metrics"),
        (a.unit.casefold() != b.unit.casefold(), "different units"),
        (_norm(a.chip) != _norm(b.chip), "different chips"),
        ("projection" in (a.qualifier, b.qualifier), "a projection is not a fact"),
        (
            a.metric == "funding" and _INTENT.search(a.quote + " " + b.quote) is not None,
            "a raise still being negotiated",
        ),
        (_basis(a) != _basis(b), "different bases (a month vs a total)"),
    )
    for failed, reason in checks:
        if failed:
            return reason
    if a.metric in PRICE_METRICS:
        ta, tb = price_tier(a), price_tier(b)
        if "unknown" in (ta, tb) or ta != tb:
            return "different price tiers"
    ra, rb = _round_label(a), _round_label(b)
    if ra and rb and ra != rb:
        return "different funding rounds"
    return None


def _time_varying(a: Figure, b: Figure) -> bool:
    if a.metric == "chip_count":  # a training run is history; a fleet grows
        return not (_TRAINING.search(a.quote) and _TRAINING.search(b.quote))
    return a.metric not in PAST_FACT_METRICS


def _norm(text: str | None) -> str:
    return re.sub(r"[\s.\-_]", "", (text or "").casefold())


def _midpoint(f: Figure) -> float:
    if f.qualifier == "range" and f.value_high is not None:
        return (f.value + f.value_high) / 2
    return f.value


def _age(f: Figure) -> tuple[date, str, int]:
    return (f.published or date.max, f.article_url, f.start_offset)


def period_of(f: Figure) -> Period | None:
    """The period a time-varying figure refers to (see monitor.periods)."""
    return periods.period_of(f.quote, f.published)
