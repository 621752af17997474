"""Where a figure sits in its sentence, and how it pairs with its neighbours.

A `Slot` is a figure's place: its sentence, its own stretch of the sentence
(from the previous figure to the next one), the asides and clause breaks
around it, and what its neighbours imply: the name right before the bracket
that holds it ("GPT-4o ($2.50 and $10)"), the input/output side of a pair of
unit-less prices ("$2.50 and $10"), the lab money goes to ("committed $8
billion to Anthropic").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from monitor.figures import metrics
from monitor.figures.attribution import Candidate
from monitor.figures.chips import ChipCount
from monitor.figures.metrics import Cue
from monitor.figures.money import MoneyAmount
from monitor.figures.sentences import Sentence

_LOOSE_PER_MILLION = re.compile(r"(?i:\bper[- ]million\b)")
_PAIR_JOIN = re.compile(r"\s*(?:and|&|/)\s*")
_OWNER_GAP = re.compile(r"\s*")
# ", which ..." or ", the ..." up to the figure with no comma or semicolon between: the figure
# is in the clause or appositive ("Isambard-AI, the £225m supercomputer in Bristol").
_RELATIVE_CLAUSE = re.compile(r",\s(?:which|who|whose|the|an?)\s[^,;()]*$")
_TRANSACTION_AFTER = re.compile(
    r"[\w-]*\s+(?:[\w-]+\s+){0,2}?(?:contract|deal|agreement|commitment|order|loan|round)s?\b"
)
# "committed $8 billion to Anthropic", "invest up to $4 billion more in Anthropic"
_RECIPIENT_GAP = re.compile(
    r"(?:\s+(?:(?:more|extra|additional|of\s+(?:new\s+)?(?:funding|capital|equity|cash))\s+)?"
    r"(?:in|into|to)\s+"
    # "SoftBank agreed to lead a $40 billion funding round for OpenAI": the round is theirs
    r"|\s+(?:(?:funding|financing|equity|venture|investment|loan|Series\s+[A-Z]\d?)\s+)?"
    r"(?:round|raise|financing|investment|loan|package|facility)"
    # "a CHF 750 million loan package, roughly $940 million, for Kjølberg Data"
    r"(?:,[^,;]{1,40},)?\s+(?:for|in|into|to)\s+)"
    # "$2 billion investment in the model developer Lyrebird Labs": what it is, then its name
    r"(?:the\s+(?:[\w-]+\s+){0,2}?(?:developer|lab|start-?up|company|firm|maker)\s+)?"
)

# "DeepSeek's V3 model cost $5.6 million in compute", "training Tern-5 consumed about $290
# million", "its V3 model used 2,048 H800s and cost just under $5.6 million": the model is
# what the verb's money is spent on; a few words (an object, a qualifier) may sit between
_COSTED_GAP = re.compile(
    r"(?:['’]s)?(?:\s+models?)?(?:[^,;.()]|(?<=\d)[,.](?=\d)){0,60}?\b(?:cost|costs|consumed)\s+"
    r"(?:[^,;.()\s]+\s+){0,4}"
)
# "$700,000 a day": a running bill, not a training run's
_PER_DAY_AFTER = re.compile(r"\s+(?:a|per|each)\s+(?:day|week)\b")
_COSTED_OBJECT = re.compile(r"\b(?:cost|costs)\s+$")


class SentenceCues:
    """Cue tests over a whole sentence, each run at most once however many figures ask."""

    __slots__ = ("_end", "_loose", "_next_model", "_start", "_stock", "_text", "_tokens")

    def __init__(self, text: str, sentence: Sentence) -> None:
        self._text, self._start, self._end = text, sentence.start, sentence.end
        self._tokens: bool | None = None
        self._loose: bool | None = None
        self._next_model: bool | None = None
        self._stock: bool | None = None

    @property
    def stock(self) -> bool:
        if self._stock is None:
            self._stock = metrics.stock_move(self._text, self._start, self._end)
        return self._stock

    @property
    def tokens(self) -> bool:
        if self._tokens is None:
            self._tokens = metrics.token_context(self._text, self._start, self._end)
        return self._tokens

    @property
    def loose_per_million(self) -> bool:
        if self._loose is None:
            found = _LOOSE_PER_MILLION.search(self._text, self._start, self._end)
            self._loose = found is not None
        return self._loose

    @property
    def next_model(self) -> bool:
        if self._next_model is None:
            self._next_model = metrics.mentions_next_model(self._text, self._start, self._end)
        return self._next_model


class Slot(NamedTuple):
    """Where a figure sits in its sentence."""

    sentence: Sentence
    cues: SentenceCues
    start: int
    end: int
    seg_left: int
    seg_right: int
    side_left: int  # where to look for input/output words: before a paired amount too
    asides: tuple[tuple[int, int], ...]
    breaks: list[int]
    cue_memo: dict[int, Cue | None]  # nearest cues by figure start, shared by the sentence
    owner: Candidate | None  # "GPT-4o ($2.50 and $10)", "X, which costs $5": the name before
    pair_side: str | None  # "$2.50 and $10" with no side said: input, then output


def nearest_cue(text: str, slot: Slot) -> Cue | None:
    """The metric cue nearest the figure: asked for its metric and again for restatements."""
    if slot.start not in slot.cue_memo:
        slot.cue_memo[slot.start] = metrics.nearest_cue(
            text, slot.seg_left, slot.start, slot.end, slot.seg_right, slot.asides, slot.breaks
        )
    return slot.cue_memo[slot.start]


def owner_of_aside(
    text: str, sentence: Sentence, start: int, end: int, cands: list[Candidate]
) -> Candidate | None:
    """The mention an aside holding the figure (from `start` to `end`) is about: the name
    right before it.

    An open bracket ("Corail-2 (€1.50 ...)"), or a relative clause or appositive
    not closed before the figure ("Claude 3 Opus, which still lists at $15 ...").
    An appositive naming a transaction ("a deal with Oakfield Cloud, a $2.5bn-a-year
    contract") is about the deal, not the name before it.
    """
    opening = text.rfind("(", sentence.start, start)
    if opening < 0 or text.find(")", opening, start) >= 0:
        clause = _RELATIVE_CLAUSE.search(text, sentence.start, start)
        if clause is None or _TRANSACTION_AFTER.match(text, end, sentence.end):
            return None
        opening = clause.start()
    if any(opening < c.start < start for c in cands):
        return None  # a name inside the aside is nearer: ", the lab that said its V3 model ..."
    for c in cands:
        if c.end <= opening and _OWNER_GAP.fullmatch(text, c.end, opening):
            return c
    return None


def pair_side(text: str, items: list[MoneyAmount | ChipCount], i: int) -> str | None:
    """Input for the lower and output for the higher of two unit-less amounts joined by "and"."""
    item = items[i]
    if not isinstance(item, MoneyAmount) or item.token_side is not None:
        return None
    for other, side in (
        (items[i + 1] if i + 1 < len(items) else None, "input"),
        (items[i - 1] if i else None, "output"),
    ):
        if not isinstance(other, MoneyAmount) or other.token_side is not None:
            continue
        first, second = (item, other) if side == "input" else (other, item)
        if first.value < second.value and _PAIR_JOIN.fullmatch(text, first.end, second.start):
            return side
    return None


def recipient(text: str, slot: Slot, cands: list[Candidate]) -> Candidate | None:
    """The lab money goes to: "Amazon has committed $8 billion to Anthropic", "$4 billion more
    in Anthropic"."""
    for c in cands:
        if (
            c.kind == "lab"
            and c.start >= slot.end
            and _RECIPIENT_GAP.fullmatch(text, slot.end, c.start)
        ):
            return c
    return None


def costed_model(text: str, slot: Slot, cands: list[Candidate]) -> Candidate | None:
    """The model a compute bill was spent on: the nearest model before the amount in its
    clause that is the subject of "cost" or "consumed" ("Training GPT-4 cost OpenAI more than
    $100 million in compute"). None when a lab stands between them or the bill runs per day."""
    if _PER_DAY_AFTER.match(text, slot.end):
        return None
    before = [c for c in cands if c.end <= slot.start and c.start >= slot.sentence.start]
    for c in reversed(before):
        if c.kind != "model":
            if not c.sidelined and not _COSTED_OBJECT.search(text, c.start - 8, c.start):
                return None  # a lab nearer the amount is the clause's own subject, unless it
                # is the verb's object: "Training GPT-4 cost OpenAI more than $100 million"
            continue
        if c.sidelined or c.aside is not None:
            return None
        return c if _COSTED_GAP.fullmatch(text, c.end, slot.start) else None
    return None
