"""Searches for names with `str.find` instead of a pattern per name.

The fallback rules of `entities` learn names from each article; looking each
one up with a compiled pattern would compile patterns per article. These
helpers find a literal, then check its surroundings by hand, and find passive
verbs ("was trained") from the rarer verb backwards. Each returns exactly what
the pattern it stands for would.
"""

from __future__ import annotations

import re

MODEL_PASSIVE = re.compile(r"(?:was|is|has\sbeen)\s(?:trained|released|launched|priced)\b")
_PASSIVE_VERBS = ("trained", "released", "launched", "priced")
_PASSIVE_AUXILIARY_LENGTHS = (3, 2, 8)  # "was", "is", "has been"


def is_word_char(text: str, pos: int) -> bool:
    return 0 <= pos < len(text) and (text[pos].isalnum() or text[pos] == "_")


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether the word at `pos` is the first of a sentence, a line or a quotation."""
    before = text[max(0, pos - 3) : pos].rstrip(" \"“'‘")
    return not before or before[-1] in ".!?:\n"


def only_opening(text: str, phrase: str) -> bool:
    """Whether every occurrence of `phrase` opens a sentence, where any first word is
    capitalised: "Compare Ludlow Labs." may be a verb and a name, "of Ridgecrest Capital
    Research" is one name."""
    return all(_opens_sentence(text, start) for start, _ in find_literal(text, phrase, len(text)))


def stands_alone(text: str, first: str, second: str) -> bool:
    r"""Whether `second` occurs as a word without `first` and a space before it.

    re.search(rf"(?<!{first}\s){second}\b", text) with str.find: no pattern per name.
    """
    pos = text.find(second)
    while pos >= 0:
        end = pos + len(second)
        # "Forge-4" is a model's name, not "Forge" alone
        boundary = is_word_char(text, end - 1) != is_word_char(text, end) and not (
            text.startswith("-", end) and is_word_char(text, end + 1)
        )
        after_first = (
            pos > len(first)
            and text[pos - 1].isspace()
            and text.startswith(first, pos - 1 - len(first))
        )
        if boundary and not after_first:
            return True
        pos = text.find(second, pos + 1)
    return False


def passives(text: str) -> list[re.Match[str]]:
    """What MODEL_PASSIVE.finditer(text) finds, found from the rarer verb backwards."""
    found = []
    for space in _passive_verb_starts(text):
        for length in _PASSIVE_AUXILIARY_LENGTHS:
            if space >= length:
                m = MODEL_PASSIVE.match(text, space - length)
                if m is not None:
                    found.append(m)
                    break
    return found


def _passive_verb_starts(text: str) -> list[int]:
    r"""Starts of re.finditer(r"\s(?:trained|released|launched|priced)\b", text), by str.find.

    Each match is a space and a verb, so two never overlap.
    """
    starts = []
    for verb in _PASSIVE_VERBS:
        pos = text.find(verb, 1)
        while pos >= 0:
            end = pos + len(verb)
            if text[pos - 1].isspace() and not is_word_char(text, end):
                starts.append(pos - 1)
            pos = text.find(verb, end)
    starts.sort()
    return starts


def literal_then(text: str, literal: str, tail: re.Pattern[str]) -> list[tuple[int, re.Match[str]]]:
    r"""Where `literal` (not preceded by a word character or "-") is followed by `tail`.

    The same matches, in the same order, as finditer over (?<![\w-])literal(?:tail),
    found with str.find instead of compiling a pattern for each name.
    """
    found = []
    done = 0
    pos = text.find(literal)
    while pos >= 0:
        if pos >= done and not (pos and (text[pos - 1].isalnum() or text[pos - 1] in "_-")):
            m = tail.match(text, pos + len(literal))
            if m is not None:
                found.append((pos, m))
                done = m.end()
        pos = text.find(literal, pos + 1)
    return found


def find_literal(text: str, name: str, stop: int) -> list[tuple[int, int]]:
    """Where `name` stands as a whole word, starting before `stop`."""
    spans = []
    pos = text.find(name, 0, stop + len(name) - 1)
    while pos >= 0:
        end = pos + len(name)
        before = text[pos - 1] if pos else " "
        after = text[end : end + 2]
        if not (before.isalnum() or before in "-_") and not (
            after[:1].isalnum() or after[:1] == "_" or (after[:1] == "-" and after[1:2].isalnum())
        ):
            spans.append((pos, end))
        pos = text.find(name, end, stop + len(name) - 1)
    return spans
