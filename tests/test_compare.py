"""When two figures contradict: the dev corpus's 24 labeled pairs both ways round, and the rules."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from monitor.compare import (
    Figure,
    compare,
    find_conflicts,
    interval_of,
    likely_transposition,
    period_of,
    price_tier,
)

from .alerts_fixtures import DEV, dev_pairs, gold_figures, pick

pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/eval/dev")

PAIRS = dev_pairs() if DEV.is_dir() else []
FIGURES = gold_figures() if DEV.is_dir() else []


def _pair_id(pair: dict[str, Any]) -> str:
    return f"{pair['subject']}-{pair['metric']}-{pair['a']['article']}-{pair['b']['article']}"


@pytest.mark.parametrize("order", ["a_first", "b_first"])
@pytest.mark.parametrize("pair", PAIRS, ids=[_pair_id(p) for p in PAIRS])
def test_dev_pair_verdict(pair: dict[str, Any], order: str) -> None:
    a, b = pick(FIGURES, pair["a"]), pick(FIGURES, pair["b"])
    stored, new = (a, b) if order == "a_first" else (b, a)
    conflicts = find_conflicts([new], [stored])
    expected = pair["expected"] == "contradiction"
    assert bool(conflicts) == expected, (compare(stored, new), pair["why"])
    assert (compare(stored, new).verdict == "contradiction") == expected
    if conflicts:
        (c,) = conflicts
        assert c.stored.published <= c.new.published  # the older article is the stored side
        assert 0 < c.relative_difference < 1 and 0 < c.confidence <= 1


def test_dev_corpus_yields_exactly_the_labeled_contradictions() -> None:
    """Every cross-article pair of the 111 gold figures: no false alarm, nothing missed."""
    figures = [f for _, f in FIGURES]
    found = {frozenset((c.stored.key, c.new.key)) for c in find_conflicts(figures, figures)}
    labeled = {
        frozenset((pick(FIGURES, p["a"]).key, pick(FIGURES, p["b"]).key))
        for p in PAIRS
        if p["expected"] == "contradiction"
    }
    assert found == labeled
    assert len(found) == 8


def test_transposed_digits_are_flagged() -> None:
    pair = PAIRS[0]
    (c,) = find_conflicts([pick(FIGURES, pair["b"])], [pick(FIGURES, pair["a"])])
    assert c.transposition and c.reason == "likely digit transposition"
    assert c.relative_difference == pytest.approx(45000 / 294000, abs=1e-4)
    assert likely_transposition(2.19, 2.91) and likely_transposition(12.4e6, 21.4e6)
    assert not likely_transposition(512, 2048) and not likely_transposition(294000, 2940000)
    assert not likely_transposition(100, 100)


def _fig(quote: str, value: float, qualifier: str = "exact", **kw: Any) -> Figure:
    base = Figure("https://x.example/1", 0, 5, "cost", "DeepSeek-V3", "training_cost",
                  value, None, "USD", None, qualifier, quote, 1.0, date(2025, 2, 3))  # fmt: skip
    return replace(base, **kw)


@pytest.mark.parametrize(
    ("quote", "value", "qualifier", "low", "high"),
    [
        ("cost $5.6 million to train", 5.6e6, "exact", 5.55e6, 5.65e6),
        ("cost $5.576 million in total", 5.576e6, "exact", 5.5755e6, 5.5765e6),
        ("R1 cost $294,000 to train", 294000, "exact", 293500, 294500),  # zeros are rounding
        ("the $100 million OpenAI spent", 1e8, "exact", 95e6, 105e6),  # two digits kept for 1xx
        ("an output price of $2.50", 2.5, "exact", 2.495, 2.505),  # written decimals count
        ("a $100m Series B", 1e8, "exact", 95e6, 105e6),
        ("more than $100 million", 1e8, "at_least", 95e6, math.inf),
        ("less than $3 million", 3e6, "at_most", 0, 3.5e6),
        ("about $6 million", 6e6, "approx", 5.5e6 * 0.85, 6.5e6 * 1.15),
        ("$0.0004 per 1,000 tokens", 0.4, "exact", 0.35, 0.45),  # stored per 1M tokens
    ],
)
def test_interval_from_precision_and_qualifier(
    quote: str, value: float, qualifier: str, low: float, high: float
) -> None:
    got = interval_of(_fig(quote, value, qualifier))
    assert got is not None
    assert got.low == pytest.approx(low) and got.high == pytest.approx(high)


def test_ranges_take_each_end_with_its_precision_and_projections_are_not_facts() -> None:
    wide = interval_of(_fig("cost $80-100 million to train", 8e7, "range", value_high=1e8))
    assert wide is not None and (wide.low, wide.high) == (75e6, 105e6)
    assert interval_of(_fig("could cost $20 million", 2e7, "projection")) is None


def test_time_varying_metrics_compare_only_within_one_period() -> None:
    price = {"metric": "inference_price_output", "unit": "USD/1M tokens", "subject": "R1"}
    jan = _fig("billed at $2.19/M output tokens", 2.19, published_at=date(2025, 1, 27), **price)
    later = _fig("bills output at $2.91 per million tokens", 2.91, **price,
                 article_url="https://y.example", published_at=date(2025, 6, 3))  # fmt: skip
    assert compare(jan, later).reason == "different periods"
    dated = replace(later, quote="in January 2025 output was $2.91 per million tokens")
    assert compare(jan, dated).verdict == "contradiction"  # the sentence's date wins
    assert compare(jan, replace(later, published_at=None)).verdict == "not_comparable"
    # Past facts compare across any dates.
    old = _fig("cost $294,000 to train", 294000, published_at=date(2020, 1, 1))
    new = replace(old, quote="cost $249,000 to train", value=249000, article_url="https://z")
    assert compare(old, new).verdict == "contradiction"


def test_periods_from_the_sentence() -> None:
    pub = {"published_at": date(2025, 3, 3)}
    assert period_of(_fig("in January 2025 at $1", 1, **pub)).start == date(2025, 1, 1)  # type: ignore[union-attr]
    this_year = period_of(_fig("spending this year will be $72 billion", 7.2e10, **pub))
    assert this_year is not None and (this_year.start, this_year.end) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    autumn = period_of(_fig("closed a $100m Series B last autumn", 1e8, **pub))
    assert autumn is not None and autumn.start == date(2024, 9, 1)
    q = period_of(_fig("revenue of $41 billion in the second quarter of 2025", 4.1e10, **pub))
    assert q is not None and (q.start, q.end) == (date(2025, 4, 1), date(2025, 6, 30))
    undated = period_of(_fig("charges $4", 4, **pub))
    assert undated is not None and not undated.explicit


def test_a_dated_change_is_a_change() -> None:
    kw = {"metric": "inference_price_output", "unit": "USD/1M tokens", "subject": "Orion-7"}
    before = _fig("pricing output at $4 per million tokens", 4, **kw)
    cut = _fig("On May 15, the company cut the price from $4 to $2.50 per million", 2.5, **kw,
               article_url="https://other.example")  # fmt: skip
    assert compare(before, cut).verdict == "change" == compare(cut, before).verdict
    ranged = replace(cut, quote="prices ranging from $2 to $3 per million", value=2.5)
    assert compare(before, ranged).verdict != "change"


def test_price_tiers_are_read_near_the_figure() -> None:
    kw = {"metric": "inference_price_input", "unit": "USD/1M tokens"}
    assert (
        price_tier(_fig("$0.14 per million input tokens when a request hits its cache", 0.14, **kw))
        == "cached"
    )
    assert price_tier(_fig("Without a cache hit, R1 input costs $0.55", 0.55, **kw)) == "standard"
    assert price_tier(_fig("the $7.50 OpenAI charges for cached input", 7.5, **kw)) == "cached"
    assert price_tier(_fig("o1 launched at 15 dollars per 1M input tokens", 15, **kw)) == "standard"
    both = "$0.14 on a cache hit and $0.55 otherwise"
    assert price_tier(_fig(both, 0.14, **kw)) == "cached"
    assert price_tier(_fig(both, 0.55, **kw)) == "unknown"  # never compared: errs to silence


def test_same_thing_rules() -> None:
    a = _fig("trained on 512 Nvidia H800 chips", 512, kind="chips", metric="chip_count",
             unit="chips", chip="Nvidia H800")  # fmt: skip
    b = replace(a, article_url="https://b.example", value=2048,
                quote="trained on 2,048 Nvidia H800 chips")  # fmt: skip
    assert compare(a, b).verdict == "contradiction"
    assert compare(a, replace(b, chip="Nvidia H100")).reason == "different chips"
    assert compare(a, replace(b, subject="DeepSeek-R1")).reason == "different subjects"
    assert compare(a, replace(b, article_url=a.article_url)).reason == "same article"
    # A fleet grows: a cluster size without training words is dated like a price.
    fleet = replace(
        b, quote="the lab now runs 2,048 Nvidia H800 chips", published_at=date(2025, 9, 1)
    )
    assert compare(a, fleet).reason == "different periods"
    assert compare(a, replace(b, subject=" deepseek v3 ")).verdict == "contradiction"


def test_confidence_is_the_weaker_figure_lowered_for_weak_cases() -> None:
    a = _fig("cost $12.4 million to train", 12.4e6, confidence=0.95)
    b = replace(
        a, article_url="https://b", value=21.4e6, quote="cost $21.4 million", confidence=0.8
    )
    assert compare(a, b).confidence == pytest.approx(0.8)
    bound = replace(b, qualifier="at_most", quote="cost under $8 million", value=8e6)
    assert compare(a, bound).confidence == pytest.approx(0.8 * 0.9)
