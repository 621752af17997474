"""Gated patterns find exactly what the patterns behind them find (they only skip work)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.figures import (
    attribution,
    chips,
    entities,
    extractor,
    metrics,
    name_search,
    qualifiers,
)
from monitor.figures.gates import GatedPattern
from monitor.figures.lexicon import load_lexicon

_LABELED = Path(__file__).parent / "data" / "labeled" / "articles"


def _gated() -> dict[str, GatedPattern]:
    found = {
        f"{module.__name__.rsplit('.', 1)[-1]}.{name}": value
        for module in (metrics, qualifiers, entities, extractor)
        for name, value in vars(module).items()
        if isinstance(value, GatedPattern)
    }
    found["chips.unnamed"] = chips._patterns(load_lexicon()).unnamed
    found["entities.family"] = entities._family_pattern(load_lexicon())
    return found


GATED = _gated()
_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(_LABELED.glob("*.txt"))]


def _same(gated: GatedPattern, text: str, left: int, right: int) -> None:
    raw = gated.pattern
    want = [(m.span(), m.lastgroup) for m in raw.finditer(text, left, right)]
    got = [(m.span(), m.lastgroup) for m in gated.finditer(text, left, right)]
    assert got == want
    first = raw.search(text, left, right)
    found = gated.search(text, left, right)
    assert (found and found.span()) == (first and first.span())


def test_every_gate_is_checked() -> None:
    assert len(GATED) >= 12


@pytest.mark.parametrize("name", sorted(GATED))
def test_gates_agree_on_labeled_articles(name: str) -> None:
    gated = GATED[name]
    for text in _TEXTS:
        for left in range(0, len(text), 29):
            for width in (25, 90, 260):
                _same(gated, text, left, min(len(text), left + width))
        _same(gated, text, 0, len(text))


def _corpus_texts() -> list[str]:
    """Every text the extractor is scored or checked on: the unseen batches and the cases."""
    data = Path(__file__).parent / "data"
    texts = [p.read_text(encoding="utf-8") for p in sorted(data.glob("unseen*/articles/*.txt"))]
    cases = tomllib.loads((data / "figure_cases.toml").read_text(encoding="utf-8"))["case"]
    return texts + [case["text"] for case in cases]


_CORPUS = _corpus_texts()


@pytest.mark.parametrize("name", sorted(GATED))
def test_gates_agree_on_every_corpus_text(name: str) -> None:
    # A cue added to a pattern but not to its needles is skipped without a word: every word
    # a rule was written for is in some case or article, so this finds such a gap.
    gated = GATED[name]
    for text in _CORPUS:
        _same(gated, text, 0, len(text))


_PIECES = st.sampled_from(
    [
        " ", "  ", "\n", ", ", "-", "~", "$5", "the ", "The ", "to ", "TO ", "a ", "an ",
        "about", "ABOUT", "up to", "more than", "could cost", "is expected to reach",
        "training", "Trained", "pretrain", "raised", "valued", "revenue", "ARR", "data center",
        "compute", "rented", "leased from", "GPU time", "AI spending", "acquired", "fine",
        "input", "Output", "cached", "per million", "per-million", "tokens", "next model",
        "follow-up", "cluster", "bought", "owns", "smartphones", "TVs", "PC", "graphics cards",
        "spent", "paid", "bills", "GPU hours", "chip-hour", "AI chips", "accelerators",
        "of the same chips", "the startup", "company", "lab", "released", "was trained",
        "has been", "Nova", "Orion-7", "Claude", "GPT", " models", "Llama 3", "x", "ſ", "ı",
        "İ", "\u212a", "é", "’",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.integers(0, 40), st.integers(0, 400))
def test_gates_agree_on_generated_text(pieces: list[str], left: int, width: int) -> None:
    text = "".join(pieces)
    left = min(left, len(text))
    right = min(len(text), left + width)
    for gated in GATED.values():
        _same(gated, text, left, right)


def test_word_start_needles_must_be_words() -> None:
    with pytest.raises(ValueError, match="word characters"):
        GatedPattern(re.compile(r"\bfollow-up"), ("follow-up",), word_start=True)


_NAME_PIECES = st.sampled_from(
    [
        " ", "-", "_", ".", "xAI", "o1", "o1-mini", "o3", "OpenAI", "DeepSeek", "R1", "a",
        "tech giants", "frontier models", "spending on AI", "AI industry", "Claude", "é", "’s",
        "was", "is", "has been", "This", " trained", " released", " priced", "\n",
    ]
)  # fmt: skip


def _same_scan(text: str) -> None:
    lexicon = load_lexicon()
    want = [m.span() for m in lexicon.entity_pattern.finditer(text)]
    assert [m.span() for m in lexicon.entity_scan.finditer(text)] == want
    half = len(text) // 2
    assert [m.span() for m in lexicon.entity_scan.finditer(text, half)] == [
        span for span in want if span[0] < half
    ]
    passives = [m.span() for m in name_search.MODEL_PASSIVE.finditer(text)]
    assert [m.span() for m in name_search.passives(text)] == passives


def test_word_scan_and_passives_agree_on_labeled_articles() -> None:
    for text in _TEXTS:
        _same_scan(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAME_PIECES, max_size=30))
def test_word_scan_and_passives_agree_on_generated_text(pieces: list[str]) -> None:
    _same_scan("".join(pieces))


_LAST_WORD = re.compile(r"(\w+)\W*$")


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAME_PIECES, max_size=12), st.integers(0, 30), st.integers(0, 40))
def test_last_word_agrees_with_its_pattern(pieces: list[str], left: int, width: int) -> None:
    text = "".join(pieces)
    left = min(left, len(text))
    right = min(len(text), left + width)
    match = _LAST_WORD.search(text, left, right)
    assert attribution._last_word(text, left, right) == (match.group(1) if match else "")
