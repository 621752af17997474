"""Cheap necessary conditions in front of slow regexes.

The cue patterns are case-insensitive alternations that begin with `\\b`; for
those Python's `re` has no fast way to skip ahead and tries every branch at
every position. A `GatedPattern` first looks for any of a few literal
"needles" (one of which every match must contain) with a case-sensitive trie
over the lowercased window, which `re` scans at C speed, and runs the real
pattern only when a needle is there. With `anchored=True` every match must
also *start* with a needle, so `finditer` tries the real pattern only where a
needle starts; with `word_start=True` as well, matches start only at the start
of a word (the pattern begins with `\\b`) and needles are made of word
characters, so one non-overlapping scan finds every place worth trying.
Results are exactly those of the wrapped pattern.

Lowercasing keeps offsets except for U+0130 (İ, two characters lowercased),
and `re` folds U+0130, U+0131 (ı) and U+017F (ſ) onto ASCII letters that
`str.lower` does not: a window holding any of them goes straight to the
wrapped pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from monitor.figures.alternation import literal_alternation

_FOLD_ODD = ("\u0130", "\u0131", "\u017f")


class GatedPattern:
    """`pattern` behind a needle test; `needles` are lowercase when `fold`."""

    def __init__(
        self,
        pattern: re.Pattern[str],
        needles: tuple[str, ...],
        fold: bool = True,
        anchored: bool = False,
        word_start: bool = False,
    ) -> None:
        if word_start and not all(re.fullmatch(r"\w+", n) for n in needles):
            raise ValueError("word_start needs needles made of word characters")
        self.pattern = pattern
        self.fold = fold
        self.anchored = anchored or word_start
        self.word_start = word_start
        self.needles = tuple(needles)
        self._gate = re.compile(literal_alternation(needles))

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
        window = self._window(text, left, right)
        return window is None or self._gate.search(window) is not None

    def search(self, text: str, left: int, right: int) -> re.Match[str] | None:
        if not self.possible(text, left, right):
            return None
        return self.pattern.search(text, left, right)

    def finditer(self, text: str, left: int, right: int) -> Iterator[re.Match[str]]:
        """Like pattern.finditer(text, left, right) (whose matches never are empty)."""
        window = self._window(text, left, right)
        if window is None or not self.anchored:
            if window is None or self._gate.search(window) is not None:
                yield from self.pattern.finditer(text, left, right)
            return
        done = left
        if self.word_start:
            starts = [m.start() for m in self._gate.finditer(window)]
        else:
            starts = _needle_starts(window, self.needles)
        for start in starts:
            pos = left + start
            if pos < done:
                continue
            if self.word_start and pos and (text[pos - 1].isalnum() or text[pos - 1] == "_"):
                continue
            match = self.pattern.match(text, pos, right)
            if match is not None:
                yield match
                done = match.end()


def _needle_starts(window: str, needles: tuple[str, ...]) -> list[int]:
    """Every offset where some needle starts, overlapping ones too, in order."""
    found: set[int] = set()
    for needle in needles:
        pos = window.find(needle)
        while pos >= 0:
            found.add(pos)
            pos = window.find(needle, pos + 1)
    return sorted(found)
