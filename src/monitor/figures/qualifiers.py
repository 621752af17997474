"""Qualifiers of a figure, per LABELING.md and the dev corpus's judgment calls.

- exact: a plain figure
- approx: about, around, roughly, some, approximately, an estimated, est., c., something like,
  closer to, in the neighbourhood of, ~, "(est.)" after the figure
- at_least: more than, over, north of, upwards of, at least, in excess of, top, passed,
  as little as, "$70 million-odd", starting at, "offers B200s from"
- at_most: up to, less than, under, as much as, nearly, almost, below, getting on for,
  the better part of, not exceeding, a limit set ("a budget ceiling of", "capped at")
- range: a stated low and high, forecast or not (only a range keeps its top)
- projection: a forecast or hypothetical ("could cost", "is projected to hit",
  "is forecast to reach", "expects ... to", "will probably"); it wins over bound words.
  A company's stated plan keeps the qualifier of its wording ("will be as much
  as" is at_most, "on track to spend about" is approx), reported speech too:
  "said it would spend at least" is the plan "will spend at least".
"""

from __future__ import annotations

import re

from monitor.figures.gates import FoldedPattern, GatedPattern

# In lowercase, matched case-insensitively (see gates.FoldedPattern).
_BOUND_BEFORE = FoldedPattern(
    r"\b(?:(?P<approx>about|around|roughly|some|approximately|an\s+estimated|estimated\s+at|est\.|"
    r"circa|c\.|ca\.|something\s+like|in\s+the\s+region\s+of|on\s+the\s+order\s+of|"
    r"in\s+the\s+ballpark\s+of|closer\s+to|in\s+the\s+neighbou?rhood\s+of)"
    r"|(?P<at_least>more\s+than|over|north\s+of|upwards?\s+of|at\s+least|in\s+excess\s+of|above|"
    r"crossed|"
    r"exceed(?:s|ed|ing)?|top(?:s|ped|ping)?|surpass(?:es|ed|ing)?|pass(?:es|ed)|greater\s+than|"
    r"higher\s+than|"
    r"a\s+minimum\s+of|no\s+less\s+than|beyond|as\s+little\s+as|as\s+low\s+as|"
    # a price list's floor: "starting at $1.35", "offers B200s from $3.80 an hour"
    r"start(?:s|ing)?\s+(?:at|from)|(?:offers?|offered|available|priced|pricing|lists?|listed|"
    r"rents?|sells?)\s+(?:[\w-]+\s+){0,2}?from)"
    r"|(?P<at_most>up\s+to|less\s+than|under|as\s+much\s+as|as\s+many\s+as|as\s+high\s+as|nearly|"
    r"almost|below|no\s+more\s+than|at\s+most|a\s+maximum\s+of|just\s+under|shy\s+of|fewer\s+than|"
    r"lower\s+than|close\s+to|getting\s+on\s+for|the\s+better\s+part\s+of|"
    # a limit set: "a budget ceiling of", "capped at", "caps support at", "a maximum value of"
    # (not a "market cap of")
    r"capped\s+at|(?<!market\s)(?:ceiling|cap)\s+of|(?<!market\s)caps\s+(?:[\w-]+\s+){0,3}?at|"
    r"a\s+maximum\s+[a-z]+\s+of|"
    r"not\s+(?:to\s+)?(?:exceed(?:s|ing)?|more\s+than|above|over)))\s*(?:an?\s+)?$"
    r"|(?P<tilde>~\s*)$"
)
_BOUND_AFTER = re.compile(
    r"\s*(?:(?P<at_least>\+|-?plus\b|or\s+more\b|or\s+higher\b|-odd\b)"
    r"|(?P<at_most>or\s+less\b|or\s+fewer\b)"
    r"|(?P<approx>or\s+so\b|\((?:est|estimated|approx)\.?\)))"  # "US$41 million (est.)"
)
_PROJECTION = re.compile(
    r"\b(?:could|would|might|may)\s+(?:\w+\s+){0,3}?(?:cost|reach|hit|top|be|exceed|rise|climb|grow|fall|"
    r"drop|total|require|need|run|come|spend|consume|raise|fetch|bring|generate|earn|lose|value)\b"
    r"|\b(?:is|are|was|were|been|being)\s+(?:now\s+)?(?:projected|forecast|forecasted|expected|predicted|"
    r"anticipated|estimated)\s+to\b"
    r"|\b(?:expects?|expected|expecting|forecasts?|projects?|predicts?|anticipates?|estimates?)\s+"
    r"(?:[\w’'-]+\s+){0,8}?to\s+[a-z]+\b"
    r"|\b(?:expects?|expected|expecting|forecasts?|projects?|predicts?|anticipates?)\s+"
    r"(?:[\w’'-]+\s+){1,3}?of\b"  # "expects revenue of", "forecasts annual sales of"
    # "projects that the bill will rise to $9 million" (not "estimates that": often the past)
    r"|\b(?:expects?|forecasts?|projects?|predicts?|anticipates?)\s+that\b"
    r"|\b(?:projected|forecast)\b"
    r"|\bwill\s+(?:probably|likely)\b"
    # an analyst's scenario: "in a bear case in which the price drops to $5"
    r"|\b(?:[Bb]ear|[Bb]ull|[Bb]ase|[Ww]orst|[Bb]est)[- ]case\s+(?:in\s+which|where|scenario)\b"
)

# "said it would", "announced on Monday that the company would", "... and that it would":
# a stated plan told in reported speech, not a hypothetical.
_REPORTED_PLAN_BEFORE = re.compile(
    r"(?:\b(?:said|says|announced|announces|added|confirmed|promised|pledged|stated)\s+"
    r"(?:(?:on|in|last|this)\s+\w+\s+)?(?:that\s+)?|\band\s+that\s+)"
    r"(?:it|they|we|the\s+(?:company|firm|lab|start-?up|group|government|ministry)"
    r"|[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})\s+$"
)
# Literals every match holds; the tilde is no letter, so lowercasing leaves it be.
_BOUND_NEEDLES = """about around roughly some approximately estimated est. circa c. ca. something
    region order more over north upward least excess above exceed top pass greater high minimum
    less beyond little low up under much many nearly almost below most maximum shy fewer lower
    close getting better crossed ballpark neighbo start offer avail pric list rent sell not cap
    ceiling ~"""
_GATED_BOUND_BEFORE = GatedPattern(_BOUND_BEFORE, tuple(_BOUND_NEEDLES.split()))
_PROJECTION_NEEDLES = (
    "could would might may project forecast expect predict anticipat estimat probably likely case"
)
_GATED_PROJECTION = GatedPattern(_PROJECTION, tuple(_PROJECTION_NEEDLES.split()), fold=False)


def bound_qualifier(text: str, left_start: int, start: int, end: int) -> str:
    """exact, approx, at_least or at_most from the words around text[start:end]."""
    before = _GATED_BOUND_BEFORE.search(text, max(left_start, start - 40), start)
    if before is not None:
        if before.group("tilde") is not None:
            return "approx"
        return next(k for k in ("approx", "at_least", "at_most") if before.group(k))
    after = _BOUND_AFTER.match(text, end)
    if after is not None:
        return next(k for k in ("approx", "at_least", "at_most") if after.group(k))
    return "exact"


def is_projection(text: str, left_start: int, start: int) -> bool:
    """True when a forecast or hypothetical verb governs the figure at `start`."""
    for match in _GATED_PROJECTION.finditer(text, left_start, start):
        at = match.start()
        reported = _REPORTED_PLAN_BEFORE.search(text, max(left_start, at - 60), at)
        if not (text.startswith("would", at) and reported is not None):
            return True
    return False


def qualifier(text: str, left_start: int, start: int, end: int, is_range: bool) -> str:
    if is_range:
        return "range"  # a forecast range too ("expects revenue of $470m to $490m"): keeps its top
    if is_projection(text, left_start, start):
        return "projection"
    return bound_qualifier(text, left_start, start, end)
