r"""Whole-word scan for many literal words, as fast as `re` allows.

`re.compile(r"(?<![\w-])" + literal_alternation(words) + tail).finditer(text)`
is what we mean, but a pattern that starts with a lookbehind gets none of
`re`'s fast skipping: every position is tried. `WordScan` finds the same
matches, in the same order, in two streams: words that start with a capital
or a digit through the trie without the lookbehind (which `re` skips through
by first character; a match that fails the lookbehind is retried one
character later), and the few lowercase words through `str.find`. The two
streams never start at the same position (their first characters differ), so
merging them by position and going on after each match's end keeps finditer's
leftmost, non-overlapping order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from monitor.figures.alternation import literal_alternation


def _is_word_or_dash(char: str) -> bool:
    return char.isalnum() or char in "_-"


class WordScan:
    """The matches of `(?<![\\w-])(?:word|word|...)tail` in a text, in order."""

    def __init__(self, words: Iterable[str], tail: str = "") -> None:
        words = [w for w in words if w]
        upper = [w for w in words if w[0].isupper() or w[0].isdigit()]
        self._lower = tuple(sorted({w for w in words if w not in upper}))
        # Where "o1-mini" starts, "o1" starts too: finding the shorter one is enough, as every
        # start found is only a place to try `_lower_at`.
        needles: list[str] = []
        for word in self._lower:  # sorted: a word comes right after its prefixes
            if not any(word.startswith(n) for n in needles):
                needles.append(word)
        self._lower_needles = tuple(needles)
        self._upper = re.compile(literal_alternation(upper) + tail)
        self._lower_at = re.compile(literal_alternation(self._lower) + tail)
        self.pattern = re.compile(r"(?<![\w-])" + literal_alternation(words) + tail)

    def _lower_starts(self, text: str, stop: int) -> list[int]:
        found: set[int] = set()
        for word in self._lower_needles:
            pos = text.find(word, 0, stop + len(word) - 1)
            while pos >= 0:
                found.add(pos)
                pos = text.find(word, pos + 1, stop + len(word) - 1)
        return sorted(found)

    def finditer(self, text: str, stop: int | None = None) -> Iterator[re.Match[str]]:
        """Matches that start before `stop` (default: all), like `self.pattern.finditer`."""
        stop = len(text) if stop is None else stop
        lower = self._lower_starts(text, stop) if self._lower else []
        index = 0

        def next_lower(pos: int) -> re.Match[str] | None:
            nonlocal index
            while index < len(lower):
                start = lower[index]
                index += 1
                if start < pos or (start and _is_word_or_dash(text[start - 1])):
                    continue
                match = self._lower_at.match(text, start)
                if match is not None:
                    return match
            return None

        upper = self._next_upper(text, 0)
        low = next_lower(0)
        while True:
            if upper is not None and (low is None or upper.start() < low.start()):
                match = upper
            elif low is not None:
                match = low
            else:
                return
            if match.start() >= stop:
                return
            yield match
            pos = match.end()
            if upper is not None and upper.start() < pos:
                upper = self._next_upper(text, pos)
            if low is not None and low.start() < pos:
                low = next_lower(pos)

    def _next_upper(self, text: str, pos: int) -> re.Match[str] | None:
        search = self._upper.search
        while True:
            match = search(text, pos)
            if match is None:
                return None
            start = match.start()
            if not (start and _is_word_or_dash(text[start - 1])):
                return match
            pos = start + 1
