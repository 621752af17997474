"""Accelerator counts and GPU hours: "512 Nvidia H800 chips", "2,048 H800
GPUs", "a cluster of 100,000 H100s", "16,384 H100 80GB GPUs", "24,576-H100
clusters", "one thousand TPU v5p chips", "2.788 million H800 GPU hours",
"2,048 of the same chips", "2,048 of them", "the first 1,536 of some 4,000 MI300X
accelerators" (two counts). Chip names come from the catalogue in the lexicon;
a chip named without a count ("the H800") is a mention, not a figure.

For speed the scan looks for the chip words first (they are rare) and then
reads the count backwards from each.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from monitor.figures.alternation import find_all
from monitor.figures.currencies import SIGN_CHARS
from monitor.figures.gates import GatedPattern
from monitor.figures.lexicon import Lexicon
from monitor.figures.numbers import DIGITS, MAGNITUDE_WORD, WORD_NUMBER, parse_number

_NOUN = r"(?:chips?|GPUs?|processors?|accelerators?|cards?|units?|TPUs?|NPUs?|superchips?)"
# What holds a few chips as one unit: "a rack of 72 GB200 chips", "a server with eight H100s"
UNIT_OF_CHIPS = r"(?:rack|server|node|box|chassis|tray)"
_YEAR = re.compile(r"(?:19|20)\d\d")
_YEAR_BEFORE = re.compile(r"(?i:\b(?:in|since|by|of|from|until|during|before|after))\s+$")
# Not the number of a product's name: "four Nvidia RTX PRO 6000 Blackwell cards"
_NOT_IN_A_CARD_NAME = r"(?<!RTX\s)(?<!PRO\s)(?<!Pro\s)(?<!GTX\s)(?<!Quadro\s)(?<!Radeon\s)(?<!RX\s)"
# "16k H100s", "3.9M GPU-hours": a magnitude glued on; "a 32,768-GPU B200 cluster": the noun
# before the model, "a 1,024-GPU cluster of H100s" too; "8,000 more H200s": a word of addition
_NUMBER_BEFORE = re.compile(
    rf"{_NOT_IN_A_CARD_NAME}(?<![\w{SIGN_CHARS}.,-])(?P<num>{DIGITS}(?:\s+{MAGNITUDE_WORD})?|{WORD_NUMBER})(?P<k>[kKM])?\+?"
    r"(?:-(?:GPU|chip|accelerator)s?(?:\s(?:cluster|system|supercomputer)\sof)?"
    # 'used "about 10,000" Nvidia H100s': the count as someone put it, in quotation marks
    r"|\s(?:more|additional|further))?[\"”]?(?:\s+|-)$"
)
# A "by the numbers" line that opens with its figure: "8,192: Nvidia H200 GPUs in the main
# training cluster", "About 10.4 million: H200 GPU-hours consumed by pretraining", "64,000 —
# Nvidia GB200 GPUs under contract"
_LINE_COUNT_BEFORE = re.compile(
    rf"(?<![\w{SIGN_CHARS}.,-])(?P<num>{DIGITS}(?:\s+{MAGNITUDE_WORD})?)(?:\*\*)?(?::|\s[—–])\s$"
)
# what may open the line before its figure: a bullet, a bound ("About", "Up to")
_LINE_OPENING = re.compile(
    r"[ \t]*(?:[-•*][ \t]+)?(?:\*\*)?"  # "**350,000** — Nvidia GB200 GPUs": bold
    r"(?:(?i:about|around|roughly|some|nearly|almost|over|more\s+than|up\s+to)\s+)?"
)
# "buy 4,000 of AMD's MI450 accelerators", "2,000 of its own H100s", "forty thousand of
# Nvidia's H200s": fleet-sized numbers only.
_OF_NUMBER_BEFORE = re.compile(
    rf"{_NOT_IN_A_CARD_NAME}(?<![\w{SIGN_CHARS}.,-])(?P<num>[1-9]\d{{0,2}}(?:,\d{{3}})+|[1-9]\d{{2,5}}|{WORD_NUMBER})"
    r"\s+of\s+(?:(?:its|their|the|those|these|our)\s+)?(?:own\s+)?$"
)
# "30,000 units of Nvidia B200", "4,096 units of H100" (the chip singular, as translations
# write it)
_UNITS_OF_BEFORE = re.compile(
    rf"{_NOT_IN_A_CARD_NAME}(?<![\w{SIGN_CHARS}.,-])(?P<num>{DIGITS}|{WORD_NUMBER})"
    r"\s+[Uu]nits\s+of\s+(?:(?:the|its|their)\s+)?$"
)
# "H100-equivalent hours", "2,000 H100 equivalents": the named chip is the unit of account.
_AFTER_NAMED = re.compile(
    r"(?:[\s-]equivalents?\b)?"
    rf"(?:\s+{_NOUN}(?![\w]))?(?P<hours>[\s-]+(?:GPU|chip|TPU)?[\s-]?(?:hours?|hrs?)\b)?"
)
_LOOKBACK = 64  # "twenty-four thousand five hundred seventy-six "
# "the first 1,536 of some 4,000 MI300X accelerators": a part of the count that follows.
_PART_BEFORE = re.compile(
    rf"(?<![\w{SIGN_CHARS}.,-])(?P<num>{DIGITS})\s+of\s+(?:(?:some|about|around|roughly|nearly|the|its|their)\s+)?$"
)
# "6,144 of Halberd's HX-9 accelerators", "250,000 P800 chips", "110,000 of its in-house
# Tessel-2 accelerators", "11,000 RX-9 cards": a model the catalogue does
# not hold, written as one capitalised token with a digit in it, right before an accelerator
# noun; its maker may come first.
_UNKNOWN_NEEDLES = ("chip", "GPU", "accelerator", "processor", "NPU", "card")
_UNKNOWN_NOUN = re.compile(rf"(?:{'|'.join(_UNKNOWN_NEEDLES)})s?(?![\w])")
_UNKNOWN_BEFORE = re.compile(
    rf"(?<![\w{SIGN_CHARS}.,-])(?P<num>{DIGITS}(?:\s+{MAGNITUDE_WORD})?|{WORD_NUMBER})\s+"
    r"(?:of\s+(?:(?:its|their|the)\s+)?(?:own\s+|in-house\s+|custom\s+|home-?grown\s+)?)?"
    r"(?:(?P<vendor>[A-Z][A-Za-z]+)(?:['’]s)?\s+)?"
    r"(?P<model>[A-Z][A-Za-z]{0,7}-?\d[A-Za-z\d]{0,5}(?:-[A-Za-z\d]{1,4})?)\s+(?:AI\s+)?$"
)
# Tokens shaped like a model that are periods, not chips: "Q3", "H2", "FY25".
_NOT_MODEL = re.compile(r"Q[1-4]|H[12]|FY\d+|[1-9]\d*[KMGT]B?")
_UNKNOWN_LOOKBACK = 70
# "2,048 of them" counts chips only as a plain fleet-sized number: not "two of them", not
# "37 billion of them" (parameters).
_THEM_COUNT = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{2,5}")


class ChipCount(NamedTuple):
    start: int
    end: int
    value: float
    chip: str | None  # canonical, or None for "N GPUs" and "N GPU hours"
    hours: bool  # GPU hours rather than a count of chips
    generic: bool  # no chip model named ("4,096 GPUs")
    same_chips: bool  # "N of the same chips": the chip is the one last named


class ChipMention(NamedTuple):
    start: int
    end: int
    chip: str
    system: str | None = None  # "Nvidia HGX B200" when written as a server or rack of the chip


@dataclass(frozen=True)
class _ChipPatterns:
    alias: re.Pattern[str]  # a chip alias, scanned for first (a trie: fast)
    alias_tail: re.Pattern[str]  # variants and plural after the alias
    vendor_before: re.Pattern[str]  # "Nvidia " / "Huawei's " just before the alias
    unnamed: GatedPattern  # every match starts with one of _UNNAMED_STARTS
    unnamed_vendor_before: re.Pattern[str]


# Text that must occur for an unnamed count ("N GPUs", "N GPU hours", "N of the same chips").
_UNNAMED_NEEDLES = (
    "GPU",
    "accelerator",
    "AI chips",
    "chip hour",
    "chip-hour",
    "card hour",  # "4.5 million card-hours": what Chinese outlets call accelerator hours
    "card-hour",
    "TPU",
    "NPU hour",
    "NPU-hour",
    "of the",
    "of those",
    "of these",
    "of them",
)
_UNNAMED_STARTS = ("GPU", "chip", "card", "TPU", "NPU", "accelerator", "AI", "of")


@functools.cache
def _patterns(lexicon: Lexicon) -> _ChipPatterns:
    vendor = lexicon.vendor_alternation
    return _ChipPatterns(
        alias=re.compile(rf"(?:{lexicon.chip_alternation})"),
        alias_tail=re.compile(rf"(?:\s+(?:{lexicon.variant_alternation}))*s?(?![\w])"),
        vendor_before=re.compile(rf"(?<![\w])(?:{vendor})(?:['’]s)?\s+$"),
        unnamed=GatedPattern(
            re.compile(
                rf"(?:(?P<ghours>GPU|chip|card|TPU|NPU|accelerator)[\s-](?:hours?|hrs?)\b"
                rf"|(?:AI\s+)?(?P<generic>GPUs?|accelerators|AI\s+chips)(?![\w]))"
                rf"|(?P<same>of\s+(?:(?:the|those|these)\s+(?:same\s+)?{_NOUN}|them))(?![\w])"
            ),
            _UNNAMED_STARTS,
            fold=False,
            anchored=True,
        ),
        unnamed_vendor_before=re.compile(rf"(?<![\w])(?:{vendor})\s+$"),
    )


_WORKSTATION_CARD_BEFORE = re.compile(r"\b(?:RTX|GeForce|Quadro)(?:\s+PRO)?\s+\d{3,5}\s+$")


def _named_chips(text: str, lexicon: Lexicon) -> list[ChipMention]:
    """Every chip alias, with its vendor, its variants and the system it is written as."""
    patterns = _patterns(lexicon)
    found = []
    for m in patterns.alias.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            continue
        tail = patterns.alias_tail.match(text, m.end())
        if tail is None:
            continue
        if _WORKSTATION_CARD_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            continue  # "RTX PRO 6000 Blackwell": a workstation card of that generation
        chip = lexicon.chip_names[m.group()]
        start, system = m.start(), None
        board = _system_before(text, start, lexicon.system_before)
        if board is not None:  # "HGX B200": the server board, then the chip; a maker before
            # it ("Nvidia's HGX B200 board") is named as a company, the board's maker
            start -= len(board) + 1
            system = _with_word(chip, board, after=False)
            found.append(ChipMention(start, tail.end(), chip, system))
            continue
        if lexicon.system_after:
            rack = next(
                (w for w in text[m.end() : tail.end()].split() if w in lexicon.system_after), None
            )
            if rack is not None:  # "GB200 NVL72": the chip, then the rack
                system = _with_word(chip, rack, after=True)
        vendor = patterns.vendor_before.search(text, max(0, start - 30), start)
        found.append(ChipMention(vendor.start() if vendor else start, tail.end(), chip, system))
    return found


def _system_before(text: str, start: int, words: frozenset[str]) -> str | None:
    """The server word right before a chip's name ("HGX " before "B200"), if any."""
    if start < 2 or text[start - 1] != " ":
        return None
    word_start = text.rfind(" ", max(0, start - 12), start - 1) + 1
    word = text[word_start : start - 1]
    return (
        word if word in words and (word_start == 0 or not text[word_start - 1].isalnum()) else None
    )


def _with_word(chip: str, word: str, after: bool) -> str:
    """ "Nvidia B200" as the system "Nvidia HGX B200" (before) or "Nvidia GB200 NVL72" (after)."""
    if after:
        return f"{chip} {word}"
    vendor, _, model = chip.partition(" ")
    return f"{vendor} {word} {model}" if model else f"{word} {chip}"


def _count_before(text: str, pos: int, of: bool = False) -> re.Match[str] | None:
    number = _NUMBER_BEFORE.search(text, max(0, pos - _LOOKBACK), pos)
    if number is None and text.startswith((": ", "— ", "– "), pos - 2):
        number = _LINE_COUNT_BEFORE.search(text, max(0, pos - _LOOKBACK), pos)
        if number is not None:
            line_start = text.rfind("\n", 0, number.start()) + 1
            if not _LINE_OPENING.fullmatch(text, line_start, number.start()):
                return None  # "... rose to 8,192: H100s ...": not a line's opening figure
    if number is None and text.startswith("of ", pos - 3):
        number = _UNITS_OF_BEFORE.search(text, max(0, pos - _LOOKBACK), pos)
        if number is not None:
            return number
    if number is None and of:
        return _OF_NUMBER_BEFORE.search(text, max(0, pos - _LOOKBACK), pos)
    if number is None or _a_year(text, number):
        return None  # "in 2024 H100 prices"
    return number


_GLUED = {"k": 1e3, "K": 1e3, "M": 1e6}


def _count_value(number: re.Match[str]) -> float:
    """The count a `_count_before` match says, with its glued magnitude ("16k", "3.9M")."""
    glued = number.group("k") if "k" in number.re.groupindex else None
    return parse_number(number.group("num")) * _GLUED.get(glued or "", 1)


def _a_year(text: str, number: re.Match[str]) -> bool:
    """Whether a count is a year after "in", "since", ... ("in 2025 M4 chips shipped")."""
    return _YEAR.fullmatch(number.group("num")) is not None and (
        _YEAR_BEFORE.search(text, max(0, number.start() - 10), number.start()) is not None
    )


def find_chips(text: str, lexicon: Lexicon) -> tuple[list[ChipCount], list[ChipMention]]:
    """Chip counts and chip mentions of `text` (the catalogue is scanned once for both)."""
    named = _named_chips(text, lexicon)
    return _chip_counts(text, lexicon, named), named


def find_chip_counts(text: str, lexicon: Lexicon) -> list[ChipCount]:
    """Counts of accelerators and GPU hours in `text`, in order."""
    return _chip_counts(text, lexicon, _named_chips(text, lexicon))


def _chip_counts(text: str, lexicon: Lexicon, named: list[ChipMention]) -> list[ChipCount]:
    patterns = _patterns(lexicon)
    found: list[ChipCount] = []
    taken: list[tuple[int, int]] = []
    for start, alias_end, chip, system in named:
        after = _AFTER_NAMED.match(text, alias_end)
        end = after.end() if after else alias_end
        taken.append((start, end))
        if system is not None:
            continue  # "500 HGX H100 servers", "40 GB200 NVL72 racks": systems, not chips
        # "1,200 of Nvidia's GB200 NVL72 racks" counts racks: "of" needs chips after it.
        plural = text[alias_end - 1] == "s" or (after is not None and after.end() > alias_end)
        number = _count_before(text, start, of=plural)
        if number is None:
            continue
        hours = bool(after and after.group("hours"))
        total = _count_value(number)
        found.append(ChipCount(number.start(), end, total, chip, hours, False, False))
        part = _PART_BEFORE.search(text, max(0, number.start() - _LOOKBACK), number.start())
        if part is not None and not hours and parse_number(part.group("num")) < total:
            value = parse_number(part.group("num"))
            found.append(ChipCount(part.start(), part.end("num"), value, chip, False, False, False))
    unnamed = (
        patterns.unnamed.finditer(text, 0, len(text))
        if any(n in text for n in _UNNAMED_NEEDLES)
        else iter(())
    )
    for m in unnamed:
        if any(a <= m.start() < b for a, b in taken) or (
            m.start() and text[m.start() - 1].isalnum()
        ):
            continue
        vendor = patterns.unnamed_vendor_before.search(text, max(0, m.start() - 30), m.start())
        number = _count_before(text, vendor.start() if vendor else m.start())
        if number is None:
            continue
        if m.group().endswith("them") and not _THEM_COUNT.fullmatch(number.group("num")):
            continue
        found.append(
            ChipCount(
                number.start(),
                m.end(),
                _count_value(number),
                None,
                hours=m.group("ghours") is not None,
                generic=m.group("generic") is not None,
                same_chips=m.group("same") is not None,
            )
        )
    found.extend(_unknown_model_counts(text, lexicon, taken, found))
    found = [c for c in found if c.value > 0]
    found.sort(key=lambda c: c.start)
    return found


def _word_before(text: str, pos: int) -> str:
    """The word before `pos`, skipping an "AI" ("HX-9" in "250,000 HX-9 AI chips")."""
    head = text[max(0, pos - 24) : pos].rstrip()
    if head.endswith(" AI"):
        head = head[:-3].rstrip()
    return head[head.rfind(" ") + 1 :]


def _model_shaped(word: str) -> bool:
    return word[:1].isupper() and any(c.isdigit() for c in word)


def _unknown_model_counts(
    text: str, lexicon: Lexicon, named: list[tuple[int, int]], counted: list[ChipCount]
) -> list[ChipCount]:
    """Counts of chips the catalogue does not hold ("6,144 of Halberd's HX-9 accelerators").

    The chip is "Maker Model" when the maker is written, or was written with the same
    model earlier in the article; else the model alone.
    """
    nouns = sorted(
        i
        for needle in _UNKNOWN_NEEDLES
        for i in find_all(text, needle)
        if _model_shaped(_word_before(text, i))  # the cheap test first: most nouns fail it
    )
    starts = {c.start for c in counted}
    makers: dict[str, str] = {}
    found = []
    for pos in nouns:
        m = _UNKNOWN_NOUN.match(text, pos)
        if m is None or (pos and text[pos - 1].isalnum()):
            continue
        if any(a <= pos < b for a, b in named):
            continue
        before = _UNKNOWN_BEFORE.search(text, max(0, pos - _UNKNOWN_LOOKBACK), pos)
        if before is None or before.start() in starts or _a_year(text, before):
            continue
        model, maker = before.group("model"), before.group("vendor")
        if model in lexicon.chip_names or _NOT_MODEL.fullmatch(model):
            continue
        if maker is not None:
            makers[model] = lexicon.vendor_names.get(maker, maker)
        chip = f"{makers[model]} {model}" if model in makers else model
        value = parse_number(before.group("num"))
        found.append(ChipCount(before.start(), m.end(), value, chip, False, False, False))
    return found


def find_chip_mentions(text: str, lexicon: Lexicon) -> list[ChipMention]:
    """Every chip named in `text`, with or without a count."""
    return _named_chips(text, lexicon)
