"""Which phrases speak of a whole group of companies (so of the AI industry)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.figures import sector_groups as sector_groups_module
from monitor.figures.sector_groups import sector_groups

DATA = Path(__file__).parent / "data"


def _groups(text: str) -> list[str]:
    return [text[start:end] for start, end in sector_groups(text, len(text))]


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("The four largest US cloud providers spend more.", "The four largest US cloud providers"),
        ("Korean companies are expected to spend a combined sum.", "Korean companies"),
        ("Analysts expect AI-related issuers to sell more bonds.", "AI-related issuers"),
        ("Revenue of Chinese model makers as a whole rose.", "Chinese model makers"),
        ("At Series B the median rose again.", "median"),
        ("Imagine a start-up that rents its chips.", "Imagine a start-up"),
        ("Hyperscalers are projected to spend more.", "Hyperscalers"),  # the class by itself
        ("He thinks the big cloud companies will spend more.", "the big cloud companies"),
    ],
)
def test_a_group_is_found(text: str, group: str) -> None:
    assert group in _groups(text)


@pytest.mark.parametrize(
    "text",
    [
        "The two companies signed the deal on Monday.",  # a pair already named
        "Vireo and Halcyon, the two hyperscalers, signed.",  # a pair, counted
        "Vantor's cloud providers were not named.",  # someone's own suppliers
        "She is an analyst who covers Chinese model developers.",  # a relative clause's object
        "The firm's median deal was small.",  # one firm's median
        "The median household income fell.",  # no AI money at all
        "Three companies bid for the contract.",  # a count alone makes no group
    ],
)
def test_no_group_is_found(text: str) -> None:
    assert _groups(text) == []


def test_a_group_may_join_its_kinds_with_and() -> None:
    text = "The five largest cloud and platform companies will spend more."
    assert _groups(text) == ["The five largest cloud and platform companies"]
    assert _groups("Acme and other companies spent more.") == []  # Acme, with others


def test_the_hypothetical_gate_skips_no_text_the_pattern_would_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The needles are a necessary condition: with the gate always open, no corpus text (nor
    a few written for the rarer triggers) gets a group the gated scan missed."""
    texts = [p.read_text(encoding="utf-8") for p in DATA.glob("unseen*/articles/*.txt")]
    texts += [
        "When your start-up rents 1,000 GPUs, the bill is large.",
        "Whenever some developer trains a model, it pays.",
        "Our hypothetical lab spends $1 billion.",
        "Imagine a lab that buys 2,000 chips.",
    ]
    gated = [sector_groups(text, len(text)) for text in texts]
    monkeypatch.setattr(sector_groups_module, "_HYPOTHETICAL_NEEDLES", ("",))
    open_gate = [sector_groups(text, len(text)) for text in texts]
    assert gated == open_gate
    assert sum(len(spans) for spans in gated[-4:]) == 4
