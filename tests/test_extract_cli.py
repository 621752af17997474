"""run_extract: `monitor extract [--format jsonl|table] FILE...` on real files in a temp dir."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.figures.cli import run_extract

TXT = "Vireo AI says Finch-1 cost $294,000 to train\n\nIt ran on 512 Nvidia H800 chips.\n"
HTML = """<!doctype html><html><head><title>Vireo prices Finch-1</title></head><body>
<nav><a href="/">Home</a> <a href="/deals">Phones from $999</a></nav>
<article><h1>Vireo prices Finch-1</h1>
<p>Vireo AI released Finch-1 on Monday and charges $0.14 per million input tokens for it,
a fraction of what larger rivals ask for comparable reasoning models today.</p>
<p>The lab raised &#36;40 million in a Series A round last year, and it plans to spend most
of the money on compute over the next eighteen months, its chief executive said.</p>
</article><footer>&#169; 2025 Example News</footer></body></html>"""


def _run(paths: list[Path], fmt: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_extract([str(p) for p in paths], fmt, out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def articles(tmp_path: Path) -> tuple[Path, Path]:
    txt = tmp_path / "a1.txt"
    txt.write_text(TXT, encoding="utf-8")
    html = tmp_path / "a2.html"
    html.write_text(HTML, encoding="utf-8")
    return txt, html


def test_jsonl_has_labeling_fields_and_provenance(articles: tuple[Path, Path]) -> None:
    txt, html = articles
    status, out, err = _run([txt, html], "jsonl")
    assert status == 0 and err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["article"], r["metric"], r["value"]) for r in rows] == [
        ("a1", "training_cost", 294000),
        ("a1", "chip_count", 512),
        ("a2", "inference_price_input", 0.14),
        ("a2", "funding", 40000000),
    ]
    first = rows[0]
    for key in (
        "file",
        "kind",
        "subject",
        "metric",
        "value",
        "value_high",
        "unit",
        "chip",
        "qualifier",
        "quote",
        "confidence",
        "start",
        "end",
    ):
        assert key in first
    assert TXT[first["start"] : first["end"]] == "$294,000"
    assert first["subject"] == "Finch-1" and first["file"] == str(txt)


def test_html_goes_through_trafilatura_and_drops_chrome(articles: tuple[Path, Path]) -> None:
    _, html = articles
    _, out, _ = _run([html], "jsonl")
    values = [json.loads(line)["value"] for line in out.splitlines()]
    assert 999 not in values  # the nav's deal is page chrome


def test_table_format_is_aligned(articles: tuple[Path, Path]) -> None:
    txt, _ = articles
    status, out, _ = _run([txt], "table")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 3
    assert lines[0].split()[:3] == ["file", "kind", "subject"]
    assert "294,000" in lines[1] and "Finch-1" in lines[1]
    assert lines[1].index("training_cost") == lines[0].index("metric")


def test_bad_files_are_reported_and_the_rest_still_printed(
    tmp_path: Path, articles: tuple[Path, Path]
) -> None:
    txt, _ = articles
    missing = tmp_path / "missing.txt"
    empty_page = tmp_path / "empty.html"
    empty_page.write_text(
        "<html><head><title>x</title></head><body></body></html>", encoding="utf-8"
    )
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    status, out, err = _run([missing, txt, empty_page, binary], "jsonl")
    assert status == 1
    assert len(out.splitlines()) == 2  # a1.txt's figures
    errors = err.splitlines()
    assert len(errors) == 3
    assert "missing.txt" in errors[0] and "empty.html" in errors[1] and "bad.txt" in errors[2]


def test_unknown_format(articles: tuple[Path, Path]) -> None:
    status, out, err = _run([articles[0]], "xml")
    assert status == 2 and out == "" and "unknown format" in err


TABLE_HTML = """<!doctype html><html><head><title>Token prices fall</title></head><body>
<article><h1>Token prices fall again</h1>
<p>Hosted language models got cheaper again this quarter as labs fought for developers, and the
table below lists what the main providers now charge for their flagship models, per million.</p>
<table><tr><th>Model</th><th>Input ($/M)</th><th>Output ($/M)</th></tr>
<tr><td>Wrenlow 2</td><td>1.10</td><td>4.40</td></tr>
<tr><td>Osprey-9</td><td>0.30</td><td>1.20</td></tr></table>
<p>Analysts expect more cuts before the end of the year, as new data centers come online and the
cost of serving each request keeps falling for the labs that run their own hardware.</p>
</article></body></html>"""


def test_an_html_price_table_gives_each_models_prices(tmp_path: Path) -> None:
    page = tmp_path / "prices.html"
    page.write_text(TABLE_HTML, encoding="utf-8")
    status, out, err = _run([page], "jsonl")
    assert status == 0 and err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["subject"], r["metric"], r["value"], r["unit"]) for r in rows] == [
        ("Wrenlow 2", "inference_price_input", 1.1, "USD/1M tokens"),
        ("Wrenlow 2", "inference_price_output", 4.4, "USD/1M tokens"),
        ("Osprey-9", "inference_price_input", 0.3, "USD/1M tokens"),
        ("Osprey-9", "inference_price_output", 1.2, "USD/1M tokens"),
    ]
    # provenance: each figure's offsets point at its cell in the extracted text
    assert all(r["quote"].startswith("| ") and str(r["value"]) in r["quote"] for r in rows)


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    """`monitor extract ... | head -1`: no traceback, the shell's SIGPIPE code."""
    files = []
    for i in range(60):  # far more than a pipe's 64 KiB buffer holds
        path = tmp_path / f"a{i}.txt"
        path.write_text(TXT * 8, encoding="utf-8")
        files.append(str(path))
    with subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "extract", "--format", "jsonl", *files],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = json.loads(proc.stdout.readline())
        proc.stdout.close()  # what `head -1` does after its line
        err = proc.stderr.read().decode()
        status = proc.wait(timeout=60)
    assert status == 141, err
    assert first["value"] == 294000
    assert err == ""
