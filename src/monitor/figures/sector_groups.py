"""Phrases that speak of a whole group of companies, so of the AI industry.

"The four largest US cloud providers", "Japanese companies", "Chinese model
makers", "AI-related issuers": a plural role noun whose modifiers make it a
group rather than a pair already named ("the two companies" is the pair).
Also a market's median ("the median AI seed round"), the industry "as a
whole" or "across the industry", and the hypothetical lab of a worked example
("If a lab rented 10,000 H100s ...", "our hypothetical lab"). Each is found
from a literal word first (`str.find` at C speed), then its modifiers are read
backwards.
"""

from __future__ import annotations

import re

from monitor.figures.name_search import find_literal

_GROUP_NOUNS = (
    "companies",
    "labs",
    "developers",
    "providers",
    "hyperscalers",
    "Hyperscalers",
    "makers",
    "startups",
    "start-ups",
    "firms",
    "issuers",
    "groups",
    "players",
)
# A modifier that makes the noun a group: a superlative, a quantifier, a nationality or
# region, or the sector's own words.
_MARKER_WORDS = (
    "largest biggest leading major top richest several many most all other every"
    " ai ai-related ai-focused frontier us u.s. uk u.k. gulf western domestic foreign"
    " global big-4 big-5 big"
)
_MARKERS = frozenset(_MARKER_WORDS.split())
# Words that may stand between a marker and the noun without ending the phrase ("the five
# largest cloud and platform companies").
_FILLER_WORDS = (
    "the two three four five six seven eight nine ten dozen few cloud technology tech"
    " model chip internet software large small smaller larger private public listed"
    " american latin asian european established platform and"
)
_FILLERS = frozenset(_FILLER_WORDS.split())
# "Japanese", "Korean", "Indian", "Emirati": a nationality's shapes
_NATIONALITY = re.compile(
    r"[A-Z][a-z]+(?:ese|ean|ian|an|ish|i)|French|Dutch|Swiss|Greek|Thai|Czech"
)
# "an analyst who covers Chinese model developers": the object of a relative clause
_RELATIVE_VERB_BEFORE = re.compile(r"\b(?:who|which|that)\s+(?:[a-z]+\s+){1,2}$")
_MEDIAN = re.compile(r"\b[Mm]edian\b(?!\s+(?:age|household|income|home|wage|salary))")
_POSSESSIVE_END = re.compile(r"['’]s\s+(?:\S+\s+)?$")
_WHOLE = re.compile(
    r"\bas\s+a\s+whole\b|\bacross\s+the\s+(?:whole\s+|entire\s+)?(?:industry|sector)\b"
)
# "If a lab rented ...", "Suppose a mid-sized start-up", "our hypothetical lab": read back
# from the role noun
_ONE_OF_A_KIND = ("lab", "company", "startup", "start-up", "developer", "hyperscaler")
# One of these the text must hold for a hypothetical lab to be looked for: every match of
# _HYPOTHETICAL_BEFORE holds one ("of a" would let nearly every text through, so the
# triggers are spelled out with their determiners; "If a" also covers "If an").
_HYPOTHETICAL_NEEDLES = (
    *(
        f"{trigger} {determiner}"
        for trigger in ("If", "if", "Say", "say", "When", "when")
        for determiner in ("a", "your", "some")
    ),
    "henever",
    "uppose",
    "magine",
    "ypothetical",
)
_HYPOTHETICAL_BEFORE = re.compile(
    r"(?:\b(?:[Ii]f|[Ss]uppose|[Ii]magine|[Ss]ay|[Ww]hen|[Ww]henever)\s+(?:a|an|your|some)"
    r"|\b(?:[Oo]ur|[Aa]|[Tt]he)\s+hypothetical)\s+(?:[\w-]+\s+){0,2}?$"
)


# A noun that names a class of companies by itself; "the two hyperscalers" is a pair
_SELF_GROUPED = ("hyperscalers", "Hyperscalers")
_COUNTED_BEFORE = re.compile(
    r"\b(?:two|three|four|five|six|both|these|those|\d+)\s+(?:[\w-]+\s+)?$", re.I
)


def _is_marker(word: str) -> bool:
    return word.lower() in _MARKERS or _NATIONALITY.fullmatch(word) is not None


def _group_start(text: str, noun_start: int) -> int | None:
    """Where the group phrase ending in the noun at `noun_start` begins, if it is one."""
    left = max(0, noun_start - 60)
    # "Hyperscalers are projected to spend ...": the class of companies, unless counted
    grouped = text.startswith(_SELF_GROUPED, noun_start) and not _COUNTED_BEFORE.search(
        text, left, noun_start
    )
    words = text[left:noun_start].split(" ")
    if len(words) < 2 or words[-1]:
        return noun_start if grouped else None  # the noun does not follow a space
    start = noun_start - 1
    for word in reversed(words[1 if left else 0 : -1]):  # a cut first word is left out
        line_start = "\n" in word
        if line_start:
            word = word.rsplit("\n", 1)[1]
        if not word or not (word[-1].isalnum() or word[-1] == "."):
            break  # "providers, ", a bracket: the phrase ends
        if _is_marker(word):
            grouped = True
        elif word.lower() not in _FILLERS:
            break
        start -= len(word) + 1
        if line_start:
            break
    if not grouped:
        return None
    if text.startswith("and ", start + 1):
        if text[max(0, start - 1) : start] not in (",", ";"):
            return None  # "Acme and other companies": Acme, with others
        return start + 5  # "..., and Canadian companies C$1.9 billion": a list's last group
    return start + 1


def sector_groups(text: str, stop: int) -> list[tuple[int, int]]:
    """Spans of group phrases, hypothetical labs and medians starting before `stop`."""
    spans: list[tuple[int, int]] = []
    for noun in _GROUP_NOUNS:
        for noun_start, end in find_literal(text, noun, stop):
            start = _group_start(text, noun_start)
            if start is not None and not _RELATIVE_VERB_BEFORE.search(
                text, max(0, start - 30), start
            ):
                spans.append((start, end))
    if "edian" in text:
        for m in _MEDIAN.finditer(text, 0, stop):
            if _POSSESSIVE_END.search(text, max(0, m.start() - 30), m.start()) is None:
                spans.append(m.span())
    if "whole" in text or "across the" in text:
        spans.extend(m.span() for m in _WHOLE.finditer(text, 0, stop))
    hypothetical = any(word in text for word in _HYPOTHETICAL_NEEDLES)
    for noun in _ONE_OF_A_KIND if hypothetical else ():
        for noun_start, end in find_literal(text, noun, stop):
            before = _HYPOTHETICAL_BEFORE.search(text, max(0, noun_start - 40), noun_start)
            if before is not None:
                spans.append((before.start(), end))
    return spans
