"""Synthetic AI-cost news stories, from our own templates, as article text.

A story is one fact (a fictional lab, its model, a metric, a value) that a few
outlets report. Most outlets repeat the value in their own words; about one
story in eight has an outlet that reports another value (one in three of those
with swapped digits), so a cycle over these articles finds figures and records
contradictions. Everything follows from the story's number through a seeded
generator: story 12 reported by outlet 3 is always the same article.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_ONSETS = ["Br", "Qu", "V", "T", "St", "K", "Pr", "Z", "Gl", "M", "Th", "Dr", "N", "Sk", "L", "H"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "y"]
_CODAS = ["rn", "lt", "x", "mar", "ven", "th", "ric", "ndle", "ss", "mond", "vo", "rel", "ton"]
_LAB_SUFFIX = ["Labs", "AI"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
CONTRADICTED_EVERY = 8  # one story in this many has an outlet that disagrees


@dataclass(frozen=True)
class Story:
    number: int
    lab: str
    model: str
    metric: str  # training_cost | chip_count | funding | input_price
    value: float
    month: str
    year: int


def _word(rng: random.Random) -> str:
    return rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)


def story(number: int) -> Story:
    rng = random.Random(f"story-{number}")  # noqa: S311 - reproducible, not secret
    lab = f"{_word(rng)} {rng.choice(_LAB_SUFFIX)}"
    model = f"{_word(rng)}-{rng.randint(2, 9)}"
    metric = rng.choice(["training_cost", "training_cost", "chip_count", "funding", "input_price"])
    value = {
        "training_cost": lambda: rng.randint(12, 950) * 100_000.0,
        "chip_count": lambda: float(rng.choice([512, 1024, 2048, 4096, 8192, 16384])),
        "funding": lambda: rng.randint(2, 90) * 5_000_000.0,
        "input_price": lambda: rng.randint(5, 400) / 100,
    }[metric]()
    return Story(number, lab, model, metric, value, rng.choice(MONTHS), rng.choice([2024, 2025]))


def reported_value(s: Story, outlet: int) -> float:
    """The value outlet `outlet` reports: the story's, unless it is the one that disagrees."""
    if s.number % CONTRADICTED_EVERY or outlet != 1:
        return s.value
    if s.number % (3 * CONTRADICTED_EVERY) == 0 and s.metric == "training_cost":
        digits = f"{s.value / 100_000:.0f}"
        swapped = digits[0] + digits[2:][::-1] + digits[1] if len(digits) == 3 else digits[::-1]
        if swapped != digits:
            return float(swapped) * 100_000
    return s.value * 2.5 if s.metric != "chip_count" else s.value * 4


def money(value: float) -> str:
    if value >= 1_000_000:
        return f"${value / 1_000_000:.1f} million".replace(".0 million", " million")
    return f"${value:,.0f}"


def fact_sentence(s: Story, outlet: int, rng: random.Random) -> str:
    v = reported_value(s, outlet)
    source = rng.choice(["a technical report", "a regulatory filing", "people briefed on the work"])
    templates = {
        "training_cost": [
            f"Training {s.model} cost {money(v)}, {s.lab} said in {source}.",
            f"People familiar with the run put the training bill for {s.model} at {money(v)}.",
            f"{s.lab} spent {money(v)} training its {s.model} model, according to {source}.",
        ],
        "chip_count": [
            f"{s.lab} trained {s.model} on {v:,.0f} Nvidia H100 chips, according to {source}.",
            f"The company used {v:,.0f} Nvidia H100 GPUs to train {s.model}.",
        ],
        "funding": [
            f"{s.lab} raised {money(v)} in a funding round in {s.month} {s.year}.",
            f"In {s.month} {s.year}, {s.lab} raised {money(v)} from investors.",
        ],
        "input_price": [
            f"{s.lab} charges ${v:.2f} per million input tokens for {s.model}.",
            f"Developers pay ${v:.2f} per million input tokens to use {s.model}.",
        ],
    }[s.metric]
    return rng.choice(templates)


_ACTORS = ["cloud providers", "chip makers", "start-ups", "research groups", "hyperscale buyers"]
_THINGS = ["accelerators", "data-centre space", "power contracts", "inference capacity", "talent"]
_VERBS = ["expanding", "rethinking", "locking in", "renegotiating", "auditing", "diversifying"]
_ASIDES = [
    "although several executives cautioned that the numbers are hard to compare",
    "a shift that smaller teams say they feel first",
    "as procurement cycles stretch into the following year",
    "even as investors ask sharper questions about returns",
    "which analysts describe as a structural rather than a cyclical change",
]


def filler_paragraph(rng: random.Random) -> str:
    """A paragraph of plausible, figure-free trade-press prose."""
    sentences = []
    for _ in range(rng.randint(3, 5)):
        sentences.append(
            f"{rng.choice(_ACTORS).capitalize()} are {rng.choice(_VERBS)} their plans for"
            f" {rng.choice(_THINGS)}, {rng.choice(_ASIDES)}."
        )
    return " ".join(sentences)


def article_paragraphs(s: Story, outlet: int) -> list[str]:
    """The body of outlet `outlet`'s article on story `s`: the fact among filler."""
    rng = random.Random(f"article-{s.number}-{outlet}")  # noqa: S311 - reproducible
    paragraphs = [filler_paragraph(rng) for _ in range(rng.randint(5, 9))]
    paragraphs.insert(
        rng.randint(0, 2), fact_sentence(s, outlet, rng) + " " + filler_paragraph(rng)
    )
    return paragraphs


def headline(s: Story, outlet: int) -> str:
    verbs = {
        "training_cost": "puts a price on",
        "chip_count": "details the hardware behind",
        "funding": "raises money to scale",
        "input_price": "sets developer pricing for",
    }
    return f"{s.lab} {verbs[s.metric]} {s.model}" + (" (update)" if outlet > 2 else "")
