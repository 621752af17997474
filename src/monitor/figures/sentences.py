"""Split article text into sentences, keeping character offsets.

A line break always ends a sentence (headlines, bylines and paragraphs are
lines in our texts). Inside a line a sentence ends at . ! ? (and any closing
quotes) followed by space and a capital, digit, currency sign or opening
quote, unless the period belongs to a common abbreviation or an initial, or
ends a bare figure that leads its line ("$14 billion. The Series F that ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.figures.currencies import SIGN_CHARS, SIGN_CLASS

_BOUNDARY = re.compile(rf"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9{SIGN_CHARS}])")
_LINE = re.compile(r"[^\n]+")
_ABBREVIATION_WORDS = (
    "mr mrs ms dr prof st inc corp ltd co jr sr vs etc e.g i.e u.s u.k u.n no "
    "jan feb mar apr jun jul aug sep sept oct nov dec approx est fig gov rep sen"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
# A line led by a bare figure, then what it is: "$14 billion. The Series F that ... closed in
# June" (a year-end list, "by the numbers"); the two read as one sentence, like "$14 billion:".
_BARE_FIGURE = re.compile(rf"(?:[A-Z]{{0,3}}{SIGN_CLASS})?\d[\d,.]*(?:\s?[a-z]+){{0,2}}")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int


def _is_abbreviation(text: str, line_start: int, dot: int) -> bool:
    match = _WORD_BEFORE.search(text, max(line_start, dot - 12), dot + 1)
    if match is None:
        return False
    word = match.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str, until: int | None = None) -> list[Sentence]:
    """Sentences of `text` in order, each trimmed of surrounding whitespace.

    With `until`, only the lines that start at or before that offset are split.
    """
    spans: list[tuple[int, int]] = []
    stop = len(text) if until is None else text.find("\n", until)
    for line in _LINE.finditer(text, 0, len(text) if stop < 0 else stop):
        line_start, line_end = line.span()
        begin = line_start
        for boundary in _BOUNDARY.finditer(text, line_start, line_end):
            dot = boundary.start()
            if text[dot] == "." and _is_abbreviation(text, line_start, dot):
                continue
            if begin == line_start and _BARE_FIGURE.fullmatch(text, line_start, dot):
                continue
            spans.append((begin, boundary.end()))
            begin = boundary.end()
        spans.append((begin, line_end))
    sentences: list[Sentence] = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            sentences.append(Sentence(len(sentences), start, end))
    return sentences
