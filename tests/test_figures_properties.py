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


def test_surface_is_the_figure() -> None:
    text = "Vireo AI said its Finch-1 model cost $5.6 million to train on 512 Nvidia H800 chips."
    surfaces = [text[f.start : f.end] for f in extract_figures(text)]
    assert surfaces == ["$5.6 million", "512 Nvidia H800 chips"]
