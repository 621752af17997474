"""Cheap necessary conditions in front of slow regexes.

The cue patterns are case-insensitive alternations that begin with `\\b`; for
those Python's `re` has no fast way to skip ahead and tries every branch at
every position. A `GatedPattern` first looks for any of a few literal
"needles" (one of which every match must contain) with a case-sensitive trie
over the lowercased window, which `re` scans at C speed, and runs the real
pattern only when a needle is there. With `anchored=True` every match must
also *start* with a needle, so `search` and `finditer` try the real pattern
only where a needle starts; with `word_start=True` as well, matches start only at the start
of a word (the pattern begins with `\\b`) and needles are made of word
characters, so one non-overlapping scan finds every place worth trying.
Results are exactly those of the wrapped pattern.

Lowercasing keeps offsets except for U+0130 (İ, two characters lowercased),
and `re` folds U+0130, U+0131 (ı) and U+017F (ſ) onto ASCII letters that
`str.lower` does not: a window holding any of them goes straight to the
wrapped pattern. The whole article is lowercased once (the last one is kept),
not each window.

A `FoldedPattern` uses the same lowercase for the real match: `re` skips a
branch of a case-sensitive alternation whose first letter is not the text's,
but enters every branch of a case-insensitive one, so a long case-insensitive
alternation matches several times faster as its lowercase self over the
lowercased text. Apart from the three characters above, every character is
its lowercase's match under `re.IGNORECASE` (checked over all of Unicode: the
same letters, digits, spaces and word characters).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from monitor.figures.alternation import literal_alternation

_FOLD_ODD = ("\u0130", "\u0131", "\u017f")
# What may hold capitals in a folded pattern's source: escapes ("\S") and group names.
_NOT_LETTERS = re.compile(r"\\.|\(\?P<\w+>")


class FoldedPattern:
    """`(?i:source)`, matched as the case-sensitive `source` over the lowercased article
    when lowercasing keeps its offsets. The letters of `source` must be lowercase. Matches
    have the text's offsets and groups; their strings are lowercase."""

    def __init__(self, source: str) -> None:
        if any(c.isupper() for c in _NOT_LETTERS.sub("", source)):
            raise ValueError(f"a folded pattern is written in lowercase: {source!r}")
        self.pattern = re.compile(f"(?i:{source})")
        self._lowercase = re.compile(source)

    def _for(self, text: str) -> tuple[re.Pattern[str], str]:
        lowered = _lowered(text)
        return (self.pattern, text) if lowered is None else (self._lowercase, lowered)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        pattern, string = self._for(text)
        return pattern.search(string, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        pattern, string = self._for(text)
        return pattern.match(string, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        pattern, string = self._for(text)
        return pattern.finditer(string, pos, endpos)


class GatedPattern:
    """`pattern` behind a needle test; `needles` are lowercase when `fold`."""

    def __init__(
        self,
        pattern: re.Pattern[str] | FoldedPattern,
        needles: tuple[str, ...],
        fold: bool = True,
        anchored: bool = False,
        word_start: bool = False,
    ) -> None:
        if word_start and not all(re.fullmatch(r"\w+", n) for n in needles):
            raise ValueError("word_start needs needles made of word characters")
        self._matcher = pattern  # what runs; `pattern` is what it means
        self.pattern = pattern.pattern if isinstance(pattern, FoldedPattern) else pattern
        self.fold = fold
        self.anchored = anchored or word_start
        self.word_start = word_start
        self.needles = tuple(needles)
        self._gate = re.compile(literal_alternation(needles))

    def _haystack(self, text: str) -> str | None:
        """Text with the offsets of `text` for the gate to scan, or None when only the
        real pattern can tell (see `_window`)."""
        return _lowered(text) if self.fold else text

    def _window(self, text: str, left: int, right: int) -> str | None:
        """The window as the gate sees it, or None when only the real pattern can tell."""
        window = text[left:right]
        if not self.fold:
            return window
        if not window.isascii() and any(c in window for c in _FOLD_ODD):
            return None
        return window.lower()

    def possible(self, text: str, left: int, right: int) -> bool:
        """False only when the pattern cannot match in text[left:right]."""
        haystack = self._haystack(text)
        if haystack is not None:
            return self._gate.search(haystack, left, right) is not None
        window = self._window(text, left, right)
        return window is None or self._gate.search(window) is not None

    def search(self, text: str, left: int, right: int) -> re.Match[str] | None:
        if self.anchored:  # the leftmost match is the first one finditer finds
            return next(self.finditer(text, left, right), None)
        if not self.possible(text, left, right):
            return None
        return self._matcher.search(text, left, right)

    def finditer(self, text: str, left: int, right: int) -> Iterator[re.Match[str]]:
        """Like pattern.finditer(text, left, right) (whose matches never are empty)."""
        haystack = self._haystack(text)
        if haystack is None:
            yield from self._finditer_windowed(text, left, right)
            return
        if not self.anchored:
            if self._gate.search(haystack, left, right) is not None:
                yield from self._matcher.finditer(text, left, right)
            return
        if self.word_start:
            starts = [m.start() for m in self._gate.finditer(haystack, left, right)]
        else:
            starts = _needle_starts(haystack, self.needles, left, right)
        yield from self._matches_at(text, starts, left, right)

    def _finditer_windowed(self, text: str, left: int, right: int) -> Iterator[re.Match[str]]:
        """`finditer` for a text whose lowercase does not keep its offsets."""
        window = self._window(text, left, right)
        if window is None or not self.anchored:
            if window is None or self._gate.search(window) is not None:
                yield from self._matcher.finditer(text, left, right)
            return
        if self.word_start:
            starts = [left + m.start() for m in self._gate.finditer(window)]
        else:
            starts = [left + pos for pos in _needle_starts(window, self.needles, 0, len(window))]
        yield from self._matches_at(text, starts, left, right)

    def _matches_at(
        self, text: str, starts: list[int], left: int, right: int
    ) -> Iterator[re.Match[str]]:
        """The pattern's non-overlapping matches that start at needle `starts` (in order)."""
        done = left
        for pos in starts:
            if pos < done:
                continue
            if self.word_start and pos and (text[pos - 1].isalnum() or text[pos - 1] == "_"):
                continue
            match = self._matcher.match(text, pos, right)
            if match is not None:
                yield match
                done = match.end()


# The last text lowercased, with its lowercase (None when lowercasing moves offsets or
# `re` folds a character that `str.lower` does not): gates ask about many windows of
# the same article in turn.
_last_lowered: tuple[str, str | None] = ("", "")


def _lowered(text: str) -> str | None:
    global _last_lowered  # a one-entry cache, swapped whole
    last = _last_lowered
    if last[0] is text:
        return last[1]
    odd = not text.isascii() and any(c in text for c in _FOLD_ODD)
    lowered = None if odd else text.lower()
    _last_lowered = (text, lowered)
    return lowered


def _needle_starts(haystack: str, needles: tuple[str, ...], left: int, right: int) -> list[int]:
    """Every offset in [left, right) where a needle lies whole, overlapping ones too, in order."""
    found: set[int] = set()
    for needle in needles:
        pos = haystack.find(needle, left, right)
        while pos >= 0:
            found.add(pos)
            pos = haystack.find(needle, pos + 1, right)
    return sorted(found)
