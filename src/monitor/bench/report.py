"""The bench's results as one table for the terminal and as JSON for `bench/results.json`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _ok(met: bool) -> str:
    return "yes" if met else "NO"


def render_table(r: dict[str, Any]) -> str:
    c, b, first, nm = r["corpus"], r["baseline"], r["first_cycle"], r["not_modified_cycle"]
    met = r["targets"]["met"]
    startup = r["prefect"]["startup_s"]
    rows = [
        ("measure", "value", "peak MB", "target", "met"),
        (
            f"baseline: trafilatura, {b['workers']} processes, {b['pages']} pages",
            f"{b['pages_per_s']:.1f} pages/s ({b['seconds']:.1f} s)",
            f"{b['peak_mb']:.0f}",
            "",
            "",
        ),
        (
            f"first cycle: {c['feeds']} feeds, {first['pages']} pages",
            f"{first['pages_per_s']:.1f} pages/s ({first['seconds']:.1f} s)",
            f"{first['peak_mb']:.0f}",
            "",
            "",
        ),
        (
            "  ratio to baseline",
            f"{100 * first['ratio_to_baseline']:.0f} %",
            "",
            f">= {100 * r['targets']['throughput_ratio_min']:.0f} %",
            _ok(met["throughput"]),
        ),
        (
            f"all-304 cycle: {nm['feeds_not_modified']}/{nm['feeds_polled']} feeds not modified",
            f"{nm['seconds']:.2f} s",
            f"{nm['peak_mb']:.0f}",
            f"< {r['targets']['not_modified_seconds_max']:g} s",
            _ok(met["not_modified"]),
        ),
        (
            "Prefect API start-up (once, not in the cycles)",
            f"{startup:.1f} s" if startup is not None else "already running",
            "",
            "",
            "",
        ),
        (
            "peak memory of any stage",
            "",
            "",
            f"< {r['targets']['peak_mb_max']:.0f}",
            _ok(met["memory"]),
        ),
    ]
    for point in r["scale"]:
        rows.append(
            (
                f"{point['new_articles']} new articles, {point['warehouse_articles']} stored",
                f"{point['ms_per_article']:.1f} ms/article ({point['seconds']:.1f} s)",
                f"{point['peak_mb']:.0f}",
                "",
                "",
            )
        )
    if r["cost_growth"] is not None:
        rows.append(
            (
                "  cost growth, largest over smallest warehouse",
                f"x{r['cost_growth']:.2f}",
                "",
                f"<= x{r['targets']['cost_growth_max']:g}",
                _ok(met["flat_cost"]),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def write_results(r: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(r, indent=2) + "\n", encoding="utf-8")
