"""Sentence-level expectations for extract_figures, read from tests/data/figure_cases.toml."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

import pytest

from monitor.figures import extract_figures
from monitor.figures.entities import find_mentions
from monitor.figures.lexicon import load_lexicon

CASES_FILE = Path(__file__).parent / "data" / "figure_cases.toml"
CASES: list[dict[str, Any]] = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))["case"]


def _same(expected: object, actual: object) -> bool:
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(float(expected), float(actual), rel_tol=1e-6)
    return expected == actual


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    figures = extract_figures(case["text"])
    expected = case.get("expect", [])
    got = [
        {
            key: getattr(fig, key)
            for key in (
                "kind",
                "subject",
                "metric",
                "value",
                "value_high",
                "unit",
                "chip",
                "qualifier",
            )
        }
        for fig in figures
    ]
    assert len(got) == len(expected), f"expected {len(expected)} figures, got {got}"
    for want, fig in zip(expected, got, strict=True):
        wrong = {k: (v, fig[k]) for k, v in want.items() if not _same(v, fig[k])}
        assert not wrong, f"mismatch (expected, got): {wrong}"


def test_cases_file_is_not_empty() -> None:
    assert len(CASES) >= 30
    assert sum(1 for c in CASES if not c.get("expect")) >= 5  # negatives are covered too


def test_a_bulleted_price_cut_names_no_company() -> None:
    # A bulleted item's name is a company's when it "won", "signed", "bought" ...; "Prices cut"
    # must not make "Prices" one.
    text = (
        "Korrin AI news this week:\n"
        "* Korrin-5 launched at $2 per million input tokens.\n"
        "* Prices cut to $1 per million input tokens across Korrin AI's older models.\n"
    )
    figures = extract_figures(text)
    assert [f.value for f in figures] == [2.0, 1.0]
    assert figures[0].subject == "Korrin-5"
    assert "Prices" not in {f.subject for f in figures}


def test_a_name_that_opens_with_a_title_is_no_entity() -> None:
    # "Dr Tomasz Wierzbicki, the lab's senior research engineer": the appositive names a role
    # at a lab, which had made the person a lab of his own.
    text = (
        "Corvid Lab trained its Tarn-13B model on a national supercomputer. Dr Tomasz "
        "Wierzbicki, the lab's senior research engineer, estimated that renting the same "
        "capacity would have cost roughly £3.6 million."
    )
    names = {text[m.start : m.end] for m in find_mentions(text, load_lexicon()) if not m.pronoun}
    assert "Corvid Lab" in names
    assert not any(name.startswith("Dr") for name in names)


@pytest.mark.parametrize(
    ("text", "company", "no_names"),
    [
        # who spends money is a company, unless the name ends a longer title
        (
            "By June the Office for Research and Innovation had spent $40 million on its"
            " cluster. Ferncloud spent $3 million.",
            "Ferncloud",
            {"Innovation", "Research and Innovation"},
        ),
        # a bullet's verb before "AI" opens a demand; a name before "AI" is still one
        (
            "Our demands to the board:\n• Cap AI capital spending at $30 billion.\n"
            "• Freeze AI hiring until Vireo AI pays back its $2 billion loan.",
            "Vireo AI",
            {"Cap AI", "Freeze AI"},
        ),
    ],
    ids=["spender", "imperative"],
)
def test_names_found_and_words_that_are_no_names(
    text: str, company: str, no_names: set[str]
) -> None:
    names = {m.entity.name for m in find_mentions(text, load_lexicon())}
    assert company in names
    assert not names & no_names
