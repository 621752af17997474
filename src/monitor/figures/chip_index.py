"""Where the article names chips, for figures that lean on the chip last named.

A price "per GPU hour" or "apiece" is about the chip named just before it;
"2,048 of the same chips" counts the chip named before. `ChipIndex` answers
"which chip was named last before this point" with a bisect, and `SpanCover`
tells whether an entity mention lies inside a chip's name ("Nvidia" in
"Nvidia H800 chips").
"""

from __future__ import annotations

import bisect

from monitor.figures.chips import ChipCount, ChipMention


class ChipIndex:
    """Chip mentions and counts of one article, by position."""

    __slots__ = (
        "_count_chips",
        "_count_positions",
        "_mentions",
        "_names",
        "_positions",
        "_units",
        "names",
    )

    def __init__(self, counts: list[ChipCount], mentions: list[ChipMention]) -> None:
        self._mentions = sorted(mentions)  # chips named without a count, by position
        points = sorted(
            [(c.start, c.chip, c.system or c.chip) for c in mentions]
            + [(c.start, c.chip, c.chip) for c in counts if c.chip]
        )
        counted = [(c.start, c.chip) for c in counts if c.chip]
        self._positions = [p for p, _, _ in points]  # starts of chip mentions and counts, sorted
        self._names = [n or "" for _, n, _ in points]
        # what one unit sold is: the system when the chip is written as one ("HGX B200")
        self._units = [u or "" for _, _, u in points]
        self._count_positions = [p for p, _ in counted]  # starts of counts naming a chip
        self._count_chips = [n or "" for _, n in counted]
        self.names = frozenset(self._names) | frozenset(self._count_chips)

    def _last_before(self, values: list[str], pos: int, floor: int) -> str | None:
        i = bisect.bisect_left(self._positions, pos) - 1
        if i >= 0 and self._positions[i] >= floor:
            return values[i]
        return None

    def _first_after(self, values: list[str], pos: int, ceiling: int) -> str | None:
        i = bisect.bisect_left(self._positions, pos)
        if i < len(self._positions) and self._positions[i] < ceiling:
            return values[i]
        return None

    def last_chip_before(self, pos: int, floor: int) -> str | None:
        return self._last_before(self._names, pos, floor)

    def first_chip_after(self, pos: int, ceiling: int) -> str | None:
        return self._first_after(self._names, pos, ceiling)

    def last_unit_before(self, pos: int, floor: int) -> str | None:
        """Like `last_chip_before`, but a chip written as a system is the system."""
        return self._last_before(self._units, pos, floor)

    def first_unit_after(self, pos: int, ceiling: int) -> str | None:
        """Like `first_chip_after`, but a chip written as a system is the system."""
        return self._first_after(self._units, pos, ceiling)

    def first_position_after(self, pos: int) -> int:
        """Where the first chip mention or count at or after `pos` starts (`pos` if none)."""
        i = bisect.bisect_left(self._positions, pos)
        return self._positions[i] if i < len(self._positions) else pos

    def last_counted_chip_before(self, pos: int, floor: int) -> str | None:
        """The chip of the latest count: the hardware actually used, not one named in passing."""
        i = bisect.bisect_left(self._count_positions, pos) - 1
        if i >= 0 and self._count_positions[i] >= floor:
            return self._count_chips[i]
        return self.last_chip_before(pos, floor)

    def mentions_before(self, pos: int, floor: int) -> list[ChipMention]:
        """Chips named between `floor` and `pos`, the latest first."""
        i = bisect.bisect_left(self._mentions, (pos,))
        j = bisect.bisect_left(self._mentions, (floor,))
        return self._mentions[j:i][::-1]


class SpanCover:
    """Whether a span lies inside any of a set of spans: bisect over a running maximum of ends."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self._starts = [a for a, _ in spans]
        self._reach: list[int] = []
        reach = -1
        for _, b in spans:
            reach = max(reach, b)
            self._reach.append(reach)

    def __call__(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start) - 1
        return i >= 0 and self._reach[i] >= end
