"""Token prices in a table whose header names the unit and whose cells are bare numbers.

trafilatura writes an HTML table as lines of cells between pipes ("| Corvid-3 Pro | 2.50 |
12.00 |"), and research notes in plain text align theirs the same way. In a price table
the unit is in the header ("Input ($/M)", "Output price per 1M tokens (USD)", "¥ / 1K
tokens") and the cells hold bare numbers, which no money pattern reads. Each such cell is
a token price of the model its row names (the row's first cell, or the column headed
"Model"), on the side its column's header names. Cells that carry their own currency
("$2.50") are money the sentence pipeline already reads; they are left to it.

Data pieces also paste a CSV block as plain lines ("provider,model,input_usd_per_m,
output_usd_per_m" over "Corvane,Apex-2,10.00,40.00"): a run of lines with the same number
of commas and no comma followed by a space is read as such a table, its header's
underscores as spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from monitor.figures.figure import Figure
from monitor.figures.lexicon import Lexicon
from monitor.figures.metrics import has_side_word, table_heading, token_side
from monitor.figures.money import currency_named

# Per million tokens ("$/M", "/1M", "per million", "per 1M tokens", "/MTok") or per thousand.
_PER_MILLION = re.compile(
    r"(?i:/\s?1?\s?m(?:tok\w*)?\b|per\s+(?:1?\s?m\b|one\s+million|million)|\b1?m\s+tokens)"
)
_PER_THOUSAND = re.compile(
    r"(?i:/\s?1?\s?k(?:tok\w*)?\b|per\s+(?:1\s?k\b|1,000|one\s+thousand|thousand)|\b1?k\s+tokens)"
)
# A header's short side words ("$/1M tok in"), which prose uses too often to be sides there.
_IN_OUT = re.compile(r"(?i:\b(?P<input>in)\b|\b(?P<output>out)\b)")
_NUMBER_CELL = re.compile(r"\d{1,6}(?:\.\d+)?")  # a bare price: no currency, no magnitude
_SEPARATOR = re.compile(r"[\s|:+-]*-{3}[\s|:+-]*")  # "|---|---|", "-----+-----"
_NOTE = re.compile(r"\s*(?:\([^)]*\)|\[[^\]]*\]|[*†‡]+)\s*$")  # "Orvo-2 (beta)", "Orvo-2*"
_NAME_CELL = re.compile(r"[A-Z][\w.&'’ -]*[\w]")
# A header's side in a CSV block ("input_usd_per_m"), its underscores read as spaces
_CSV_SIDE = re.compile(r"(?i:\b(?P<input>input|in)\b|\b(?P<output>output|out)\b)")
# Where a CSV block may be: two words joined by a comma with no space ("provider,model")
_CSV_HINT = re.compile(r",(?<=[A-Za-z_],)[A-Za-z_]")  # opens with the comma: fast in `re`
_CSV_MIN_COMMAS = 2
_CSV_MIN_LINES = 3  # a header and two rows
_MODEL_HEADER = re.compile(r"(?i:models?(?:[\s_]+name)?)")
# Rows that sum up the others name no model.
_SUMMARY_ROWS = frozenset({"Average", "Mean", "Median", "Total", "All", "Other", "Others"})
# No model's price is this many units of a currency per million tokens.
_MAX_PRICE = 1000.0


class _Column(NamedTuple):
    currency: str
    factor: float  # multiplier to per 1M tokens
    side: str | None


class _Cell(NamedTuple):
    start: int
    end: int


def table_price_figures(text: str, lexicon: Lexicon) -> list[Figure]:
    """Token prices read from the price tables in `text`, in order of appearance."""
    tables = [*_tables(text)] if "|" in text else []
    if _CSV_HINT.search(text) is not None:
        tables += _csv_tables(text)
    figures: list[Figure] = []
    for header, rows in tables:
        columns = {i: c for i, cell in enumerate(header) if (c := _column(text, cell)) is not None}
        named = next(
            (i for i, cell in enumerate(header) if _MODEL_HEADER.fullmatch(text, *cell)), 0
        )
        if not columns or named in columns:
            continue  # no price column, or no column to name the model
        for row_start, row_end, cells in rows:
            if len(cells) != len(header):
                continue
            subject = _subject(text, cells[named], lexicon)
            if subject is None:
                continue
            for i, column in columns.items():
                cell = cells[i]
                if _NUMBER_CELL.fullmatch(text, cell.start, cell.end) is None:
                    continue
                value = float(text[cell.start : cell.end]) * column.factor
                if not 0 < value < _MAX_PRICE:
                    continue
                side = f"_{column.side}" if column.side else ""
                figures.append(
                    Figure(
                        kind="cost",
                        subject=subject,
                        metric=f"inference_price{side}",
                        value=value,
                        value_high=None,
                        unit=f"{column.currency}/1M tokens",
                        chip=None,
                        qualifier="exact",
                        quote=text[row_start:row_end].strip(),
                        start=cell.start,
                        end=cell.end,
                        confidence=0.8,
                    )
                )
    return figures


def in_price_column(text: str, start: int) -> bool:
    """Whether the amount at `start` sits in a table column whose heading names a price per
    million tokens ("| Input ($/M tokens) |"): "$5.00" in that column is such a price, whatever
    the row's other cells say ("| Aurel 4 | Halcyon Compute | $5.00 |")."""
    table = table_heading(text, start)
    if table is None or table[1] is None:
        return False
    column = _column(text, _Cell(*table[1]))
    return column is not None and column.factor == 1.0


def _column(text: str, cell: _Cell) -> _Column | None:
    """What a header cell says its column's numbers are, if token prices."""
    head = text[cell.start : cell.end]
    csv = "_" in head  # "input_usd_per_m": a CSV header, its words joined by underscores
    if csv:
        head = head.replace("_", " ")
    if _PER_MILLION.search(head):
        factor = 1.0
    elif _PER_THOUSAND.search(head):
        factor = 1000.0
    else:
        return None
    currency = currency_named(head)
    if currency is None:
        return None
    if csv:
        named = _CSV_SIDE.search(head)
        return _Column(currency, factor, named.lastgroup if named else None)
    side = token_side(text, cell.start, cell.end, cell.end, cell.end)
    if side is None and not has_side_word(text, cell.start, cell.end):
        short = _IN_OUT.search(head)
        side = short.lastgroup if short else None
    return _Column(currency, factor, side)


def _subject(text: str, cell: _Cell, lexicon: Lexicon) -> str | None:
    """The model a row names in its first cell, as the lexicon spells it if it knows it."""
    name = text[cell.start : cell.end]
    name = _NOTE.sub("", name).strip()
    if _NAME_CELL.fullmatch(name) is None or name in _SUMMARY_ROWS:
        return None
    known = lexicon.aliases.get(name)
    if known:
        entity = known[0].entity
        if entity.kind in ("model", "lab", "product"):
            return entity.name
    return name


def _tables(text: str) -> Iterator[tuple[list[_Cell], list[tuple[int, int, list[_Cell]]]]]:
    """(header cells, [(row start, row end, row cells)]) of each run of piped lines."""
    blocks: list[list[tuple[int, int]]] = []
    for start, end in _piped_lines(text):
        if blocks and _next_line(text, blocks[-1][-1][1], start):
            blocks[-1].append((start, end))
        else:
            blocks.append([(start, end)])
    for block in blocks:
        table = _table(text, block)
        if table is not None:
            yield table


def _csv_tables(text: str) -> list[tuple[list[_Cell], list[tuple[int, int, list[_Cell]]]]]:
    """(header cells, rows) of each CSV block: three lines or more in a row, each with the
    same number of commas (two or more) and none followed by a space."""
    blocks: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        commas = text.count(",", start, end)
        if commas < _CSV_MIN_COMMAS or text.find(", ", start, end) >= 0:
            line = None
        else:
            line = (start, end)
        if line is None or (run and commas != text.count(",", *run[0])):
            if len(run) >= _CSV_MIN_LINES:
                blocks.append(run)
            run = []
        if line is not None:
            run.append(line)
        start = end + 1
    if len(run) >= _CSV_MIN_LINES:
        blocks.append(run)
    return [
        (_split(text, *block[0]), [(s, e, _split(text, s, e)) for s, e in block[1:]])
        for block in blocks
    ]


def _split(text: str, start: int, end: int) -> list[_Cell]:
    """The comma-separated cells of text[start:end]."""
    cells = []
    left = start
    comma = text.find(",", left, end)
    while comma >= 0:
        cells.append(_Cell(left, comma))
        left = comma + 1
        comma = text.find(",", left, end)
    cells.append(_Cell(left, end))
    return cells


def _piped_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line that holds a "|", found by the pipes alone."""
    at = text.find("|")
    while at >= 0:
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        yield text.rfind("\n", 0, at) + 1, end
        at = text.find("|", end)


def _next_line(text: str, end: int, start: int) -> bool:
    """Whether the line at `start` follows the one ending at `end`, a rule ("-----+---") aside."""
    between = text[end:start]
    return between == "\n" or (
        between[:1] == "\n" == between[-1:]
        and _SEPARATOR.fullmatch(between, 1, len(between) - 1) is not None
    )


def _table(
    text: str, block: list[tuple[int, int]]
) -> tuple[list[_Cell], list[tuple[int, int, list[_Cell]]]] | None:
    """(header cells, rows) of a run of piped lines, rules left out; None for a lone line."""
    lines = [(s, e, _cells(text, s, e)) for s, e in block if not _SEPARATOR.fullmatch(text, s, e)]
    if len(lines) < 2:
        return None
    return lines[0][2], lines[1:]


def _cells(text: str, start: int, end: int) -> list[_Cell]:
    """The cells of a piped line, without the empty ones outside a leading or trailing pipe."""
    cells: list[_Cell] = []
    left = start
    while True:
        bar = text.find("|", left, end)
        right = end if bar < 0 else bar
        a, b = left, right
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        cells.append(_Cell(a, b))
        if bar < 0:
            break
        left = bar + 1
    if len(cells) > 1 and cells[0].start == cells[0].end:
        cells.pop(0)  # only blanks before the first pipe
    if len(cells) > 1 and cells[-1].start == cells[-1].end:
        cells.pop()
    return cells
