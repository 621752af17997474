"""Whether a "¥" amount is in yen or in yuan, from the words around it.

The sign is shared by the Japanese yen and the Chinese yuan. Words naming one
country or its currency near the amount decide (its own stretch of text
first); when neither is near, the article as a whole does, and with no sign of
Japan at all the yuan stays the default, as most AI-cost coverage with "¥" is
about Chinese labs.
"""

from __future__ import annotations

import re

_JAPAN = re.compile(r"\b(?:Japan|Japanese|Tokyo|Osaka|Kyoto|Nikkei|yen|JPY)\b")
_CHINA = re.compile(
    r"\b(?:China|Chinese|Beijing|Shanghai|Shenzhen|Hangzhou|Guangzhou|Hong\s+Kong|yuan|"
    r"renminbi|RMB|CNY)\b"
)
_NEAR = 200  # characters either side of the amount


def yen_or_yuan(text: str, start: int, end: int) -> str:
    """ "JPY" or "CNY" for the "¥" amount at text[start:end]."""
    sentence = (_sentence_start(text, start), _sentence_end(text, end))
    window = (max(0, start - _NEAR), min(len(text), end + _NEAR))
    for left, right in (sentence, window):
        japan = _JAPAN.search(text, left, right) is not None
        china = _CHINA.search(text, left, right) is not None
        if japan != china:
            return "JPY" if japan else "CNY"
        if japan:
            return _nearest(text, start, end, left, right)
    japan_count = len(_JAPAN.findall(text))
    china_count = len(_CHINA.findall(text))
    return "JPY" if japan_count > china_count else "CNY"


def _sentence_start(text: str, start: int) -> int:
    floor = max(0, start - _NEAR)
    return max(floor, text.rfind("\n", floor, start) + 1, text.rfind(". ", floor, start) + 2)


def _sentence_end(text: str, end: int) -> int:
    ceiling = min(len(text), end + _NEAR)
    ends = [i for i in (text.find("\n", end, ceiling), text.find(". ", end, ceiling)) if i >= 0]
    return min(ends, default=ceiling)


def _nearest(text: str, start: int, end: int, left: int, right: int) -> str:
    """Both are near: the country named closest to the amount."""

    def distance(pattern: re.Pattern[str]) -> int:
        return min(
            start - m.end() if m.end() <= start else m.start() - end
            for m in pattern.finditer(text, left, right)
        )

    return "JPY" if distance(_JAPAN) < distance(_CHINA) else "CNY"
