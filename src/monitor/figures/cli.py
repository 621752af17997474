"""`monitor extract [--format jsonl|table] FILE...`: figures from local files.

`.txt` files are read as UTF-8 article text; `.html`/`.htm` files go through
`monitor.articles.extract_article`, the same trafilatura path the pipeline
uses, so the figures printed here are the figures the pipeline would store.
A file that cannot be read or yields no text is one line on stderr; the other
files are still processed and the exit status is 1 at the end.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from monitor.articles import extract_article
from monitor.errors import ExtractError
from monitor.figures.extractor import extract_figures
from monitor.figures.figure import figure_to_dict

FORMATS = ("jsonl", "table")
_HTML_SUFFIXES = (".html", ".htm")
_TABLE_COLUMNS = (
    "file",
    "kind",
    "subject",
    "metric",
    "value",
    "value_high",
    "unit",
    "chip",
    "qualifier",
    "confidence",
)


def read_article_text(path: Path) -> str:
    """The article text of a .txt or .html file.

    Raises OSError, UnicodeDecodeError or ExtractError.
    """
    if path.suffix.lower() in _HTML_SUFFIXES:
        return extract_article(path.read_bytes(), url=None, content_type="text/html").text
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        raise ExtractError("no_text", "the file is empty")
    return text


def _format_value(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _write_table(rows: list[dict[str, object]], out: TextIO) -> None:
    cells = [[_format_value(row.get(col)) for col in _TABLE_COLUMNS] for row in rows]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(_TABLE_COLUMNS)]
    out.write(
        "  ".join(col.ljust(w) for col, w in zip(_TABLE_COLUMNS, widths, strict=True)).rstrip()
        + "\n"
    )
    for r in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")


def run_extract(paths: list[str], fmt: str, out: TextIO, err: TextIO | None = None) -> int:
    """Print the figures of every file in `paths`; 0 when all files were read, else 1."""
    err = err if err is not None else sys.stderr
    if fmt not in FORMATS:
        err.write(f"monitor extract: unknown format {fmt!r}; use one of {', '.join(FORMATS)}\n")
        return 2
    status = 0
    rows: list[dict[str, object]] = []
    for name in paths:
        path = Path(name)
        try:
            text = read_article_text(path)
        except OSError as exc:
            err.write(f"monitor extract: {name}: cannot read file ({exc.strerror or exc})\n")
            status = 1
            continue
        except UnicodeDecodeError:
            err.write(f"monitor extract: {name}: not UTF-8 text\n")
            status = 1
            continue
        except ExtractError as exc:
            err.write(f"monitor extract: {name}: {exc} ({exc.reason})\n")
            status = 1
            continue
        for fig in extract_figures(text):
            row = figure_to_dict(fig, file=name)
            if fmt == "jsonl":
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            else:
                rows.append(row)
    if fmt == "table":
        _write_table(rows, out)
    return status
