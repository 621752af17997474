"""Properties of extract_figures on arbitrary and figure-shaped text (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from monitor.figures import extract_figures

_PIECES = st.sampled_from(
    [
        "$",
        "€",
        "US$",
        "USD ",
        " yuan",
        " dollars",
        " million",
        " billion",
        "bn",
        "m",
        "B",
        " per million input tokens",
        "/M output tokens",
        " per 1,000 tokens",
        " a month",
        " apiece",
        " per GPU hour",
        " H100s",
        " Nvidia H800 chips",
        " GPU hours",
        " of the same chips",
        "about ",
        "more than ",
        "up to ",
        "could cost ",
        "between ",
        " and ",
        " to ",
        "-",
        ", ",
        ". ",
        "\n",
        "OpenAI",
        " DeepSeek",
        " R1",
        " the company",
        " its ",
        "Orion-7",
        " Vireo AI",
        "0",
        "1",
        "2,048",
        "5.6",
        "0.0004",
        "one thousand",
        "half a million",
        "%",
        "’s",
        " model",
    ]
)
_FIGURE_SHAPED = st.lists(_PIECES, min_size=1, max_size=40).map("".join)


def _check(text: str) -> None:
    for fig in extract_figures(text):
        assert math.isfinite(fig.value) and fig.value > 0
        if fig.value_high is not None:
            assert math.isfinite(fig.value_high) and fig.value_high > 0
        assert 0 <= fig.start < fig.end <= len(text)
        assert fig.quote in text
        surface = text[fig.start : fig.end]
        assert surface.strip() == surface and surface
        assert any(ch.isdigit() for ch in surface) or " " in surface  # "one thousand ..."
        assert 0.0 <= fig.confidence <= 1.0
        assert fig.kind in ("cost", "chips")
        for value in (fig.value, fig.value_high):
            assert value is None or value == float(f"{value:.12g}")  # no floating-point tail


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None)
@given(_FIGURE_SHAPED)
@example("1\n H100s")  # found by hypothesis: a count running past its segment's end
@example("Orion-7bn yuan")  # found by hypothesis: a magnitude glued to a suffixed currency
def test_figure_shaped_text_gives_sane_figures(text: str) -> None:
    _check(text)


def test_a_value_is_as_written_not_its_floating_point_noise() -> None:
    # 4.1 * 1e9 is 4099999999.9999995 in binary floating point; an analyst reads 4100000000
    text = "Orrel AI raised $4.1 billion at an $8.14 billion valuation."
    assert [f.value for f in extract_figures(text)] == [4_100_000_000.0, 8_140_000_000.0]


def test_surface_is_the_figure() -> None:
    text = "Vireo AI said its Finch-1 model cost $5.6 million to train on 512 Nvidia H800 chips."
    surfaces = [text[f.start : f.end] for f in extract_figures(text)]
    assert surfaces == ["$5.6 million", "512 Nvidia H800 chips"]


# The three parsers under extract_figures, each on its own: arbitrary and
# figure-shaped text never makes them raise, and what they return is sane.

_ANY_TEXT = st.one_of(st.text(), _FIGURE_SHAPED)
_QUALIFIERS = {"exact", "approx", "at_least", "at_most", "range", "projection"}


@settings(max_examples=400, deadline=None)
@given(_ANY_TEXT)
@example("$1-0")  # a hyphenated "range" that runs downwards, found by this test
def test_money_parser_gives_finite_positive_amounts_inside_the_text(text: str) -> None:
    from monitor.figures.money import find_money

    for amount in find_money(text):
        assert math.isfinite(amount.value) and amount.value > 0
        if amount.value_high is not None:
            assert math.isfinite(amount.value_high) and amount.value_high >= amount.value
        assert 0 <= amount.start < amount.end <= len(text)
        assert amount.currency


@settings(max_examples=400, deadline=None)
@given(_ANY_TEXT)
def test_chip_parser_gives_finite_positive_counts_inside_the_text(text: str) -> None:
    from monitor.figures.chips import find_chips
    from monitor.figures.lexicon import load_lexicon

    counts, mentions = find_chips(text, load_lexicon())
    for count in counts:
        assert math.isfinite(count.value) and count.value > 0
        assert 0 <= count.start < count.end <= len(text)
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text) and mention.chip


@settings(max_examples=400, deadline=None)
@given(_ANY_TEXT, st.data())
def test_qualifier_parser_always_names_a_known_qualifier(text: str, data: st.DataObject) -> None:
    from monitor.figures.qualifiers import qualifier

    end = data.draw(st.integers(0, len(text)))
    start = data.draw(st.integers(0, end))
    left_start = data.draw(st.integers(0, start))
    assert qualifier(text, left_start, start, end, data.draw(st.booleans())) in _QUALIFIERS
