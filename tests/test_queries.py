"""Every ready-made query in warehouse/queries/ runs on a warehouse filled by a real cycle."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pytest

from .conftest import REPO

if TYPE_CHECKING:
    from .warehouse_fixtures import DemoCycle

pytest_plugins = ["tests.warehouse_fixtures"]
pytestmark = pytest.mark.integration

QUERIES = REPO / "warehouse" / "queries"
Rows = list[dict[str, Any]]


def run_query(cycle: DemoCycle, file: Path) -> Rows:
    with duckdb.connect(str(cycle.warehouse), read_only=True) as con:
        cursor = con.execute(file.read_text(encoding="utf-8"))
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def one(rows: Rows, **match: Any) -> dict[str, Any]:
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def check_latest(rows: Rows, cycle: DemoCycle) -> None:
    series = cycle.query("SELECT count(DISTINCT (subject, metric, unit, chip)) FROM figure_history")
    assert len(rows) == series[0][0] > 20  # one row per series
    r1 = one(rows, subject="DeepSeek-R1", metric="training_cost")
    assert (r1["value"], r1["outlet"], r1["reports"]) == (249_000, "The Token Desk", 2)
    # "cut the price to $4.50 per million input tokens, from $9": the cut is the latest
    assert one(rows, subject="Tamarind Reason", metric="inference_price_input")["value"] == 4.5
    assert one(rows, subject="Tamarind Reason", metric="inference_price_output")["value"] == 18


def check_disagreement(rows: Rows, cycle: DemoCycle) -> None:
    top = rows[0]
    assert {top["outlet_1"], top["outlet_2"]} == {"Heatsink Herald", "The Token Desk"}
    assert top["contradictions"] >= 1 and top["still_open"] >= 1
    r1 = [e for e in top["examples"] if e["subject"] == "DeepSeek-R1"]
    assert len(r1) == 1 and r1[0]["metric"] == "training_cost"
    assert {(r1[0]["a_outlet"], r1[0]["a_value"]), (r1[0]["b_outlet"], r1[0]["b_value"])} == {
        ("Heatsink Herald", 294_000),
        ("The Token Desk", 249_000),
    }
    assert top["largest_difference_pct"] == pytest.approx(15.3, abs=0.1)


def check_chips(rows: Rows, cycle: DemoCycle) -> None:
    assert rows[0]["vendor"] == "Nvidia"  # by far the most chips reported
    h800 = one(rows, chip="Nvidia H800")
    # R1's 512 (reported twice, counted once) and V3's 2,048
    assert (h800["chips_reported"], h800["subjects"], h800["reports"]) == (2_560, 2, 3)
    assert one(rows, chip="Nvidia H100")["largest_cluster_subject"] == "xAI"
    ascend = one(rows, chip="Huawei Ascend 910B")
    assert (ascend["vendor"], ascend["vendor_chips_reported"]) == ("Huawei", 3_072)


def check_prices(rows: Rows, cycle: DemoCycle) -> None:
    tamarind = [
        (r["reported_on"].isoformat(), r["price"], r["change_pct"])
        for r in rows
        if r["subject"] == "Tamarind Reason" and r["metric"] == "inference_price_input"
    ]
    assert tamarind == [("2025-02-04", 9, None), ("2025-08-21", 9, 0), ("2025-08-21", 4.5, -50)]
    assert all(r["metric"].startswith("inference_price") or "/" in r["unit"] for r in rows)
    assert any(r["unit"] == "USD/GPU hour" for r in rows)


def check_open(rows: Rows, cycle: DemoCycle) -> None:
    r1 = one(rows, subject="DeepSeek-R1", metric="training_cost")
    assert (r1["a_url"], r1["b_url"]) == (cycle.r1_herald_url, cycle.r1_token_desk_url)
    assert (r1["a_value"], r1["b_value"], r1["transposition"]) == (294_000, 249_000, True)
    assert r1["days_open"] == 0 and r1["difference_pct"] > 0


def check_funding(rows: Rows, cycle: DemoCycle) -> None:
    usd = [(r["rank_in_currency"], r["subject"], r["value"]) for r in rows if r["unit"] == "USD"]
    assert usd[0] == (1, "OpenAI", 40e9)
    assert [v for _, _, v in usd] == sorted((v for _, _, v in usd), reverse=True)
    assert (1, "Quillmark Labs", 650e6) not in usd and (2, "Quillmark Labs", 650e6) in usd
    lanting = one(rows, subject="Lanting AI")
    assert (lanting["unit"], lanting["rank_in_currency"], lanting["outlets"]) == (
        "CNY",
        1,
        ["Kiloflop Weekly"],
    )


def check_spread(rows: Rows, cycle: DemoCycle) -> None:
    assert rows[0]["subject"] == "DeepSeek-R1" and rows[0]["has_open_contradiction"]
    assert rows[0]["spread_ratio"] == pytest.approx(294 / 249, abs=0.001)
    v3 = one(rows, subject="DeepSeek-V3")
    assert (v3["outlets"], v3["lowest"], v3["highest"]) == (3, 5_576_000, 6_000_000)
    assert not v3["has_open_contradiction"]
    assert all(r["subject"] not in ("Larkspur AI", "Tamarind Intelligence") for r in rows)


def check_outlets(rows: Rows, cycle: DemoCycle) -> None:
    assert {r["outlet"] for r in rows} == {"Heatsink Herald", "The Token Desk", "Kiloflop Weekly"}
    assert sum(r["articles"] for r in rows) == cycle.query("SELECT count(*) FROM articles")[0][0]
    assert sum(r["figures"] for r in rows) == cycle.summary["figures"]
    in_conflict = {r["outlet"]: r["figures_in_open_contradictions"] for r in rows}
    assert in_conflict == {"Heatsink Herald": 1, "The Token Desk": 1, "Kiloflop Weekly": 0}


def check_no_figures(rows: Rows, cycle: DemoCycle) -> None:
    slugs = sorted(r["url"].rsplit("/", 1)[1] for r in rows)
    assert slugs == [
        "ai-course-enrolment.html",
        "datacenter-technician-shortage.html",
        "open-weights-developer-survey.html",
    ]
    assert all(r["text_chars"] > 500 for r in rows)


def check_runs(rows: Rows, cycle: DemoCycle) -> None:
    assert len(rows) == 1
    run = rows[0]
    assert (run["status"], run["new_articles"], run["figures"]) == (
        "completed",
        cycle.summary["new_articles"],
        cycle.summary["figures"],
    )
    assert run["contradictions_new"] == 1 and run["seconds"] >= 0


# Each query, the columns it must return, and what its rows must say.
EXPECTED: dict[str, tuple[set[str], Callable[[Rows, DemoCycle], None]]] = {
    "latest_figure_per_model": (
        {"subject", "metric", "value", "unit", "outlet", "reported_on", "article_url", "quote"},
        check_latest,
    ),
    "outlets_that_disagree_most": (
        {"outlet_1", "outlet_2", "contradictions", "still_open", "examples"},
        check_disagreement,
    ),
    "chip_counts_by_vendor": (
        {"vendor", "chip", "chips_reported", "largest_cluster", "subjects"},
        check_chips,
    ),
    "price_history_per_model": (
        {"subject", "metric", "unit", "reported_on", "price", "previous_price", "change_pct"},
        check_prices,
    ),
    "open_contradictions": (
        {"id", "subject", "a_value", "a_outlet", "a_url", "b_value", "b_outlet", "b_url"},
        check_open,
    ),
    "biggest_funding_rounds": (
        {"rank_in_currency", "subject", "value", "unit", "outlets", "first_article_url"},
        check_funding,
    ),
    "training_cost_spread": (
        {"subject", "unit", "lowest", "highest", "spread_ratio", "outlets"},
        check_spread,
    ),
    "figures_by_outlet": (
        {"outlet", "articles", "figures", "mean_confidence", "figures_in_open_contradictions"},
        check_outlets,
    ),
    "articles_without_figures": ({"outlet", "title", "url", "published_on"}, check_no_figures),
    "recent_runs": ({"started_at", "status", "new_articles", "figures", "errors"}, check_runs),
}


def test_every_query_file_is_checked_commented_and_documented() -> None:
    files = {f.stem: f for f in QUERIES.glob("*.sql")}
    assert set(files) == set(EXPECTED)
    readme = (REPO / "warehouse" / "README.md").read_text(encoding="utf-8")
    for stem, file in files.items():
        assert file.read_text(encoding="utf-8").startswith("-- "), f"{stem}: no opening comment"
        assert f"`queries/{stem}.sql`" in readme, f"{stem} missing from warehouse/README.md"


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_query_answers_on_a_real_cycle(stem: str, demo_cycle: DemoCycle) -> None:
    columns, check = EXPECTED[stem]
    rows = run_query(demo_cycle, QUERIES / f"{stem}.sql")
    assert rows, f"{stem} returned nothing"
    assert columns <= set(rows[0]), columns - set(rows[0])
    check(rows, demo_cycle)


def test_figure_history_orders_each_series_and_marks_open_contradictions(
    demo_cycle: DemoCycle,
) -> None:
    rows = demo_cycle.query(
        "SELECT outlet, value, report_number, reports, previous_value, open_contradiction_ids"
        " FROM figure_history WHERE subject = ? AND metric = ?",
        ["DeepSeek-R1", "training_cost"],
    )
    cid = demo_cycle.query("SELECT id FROM contradictions")[0][0]
    assert rows == [
        ("Heatsink Herald", 294_000, 1, 2, None, [cid]),
        ("The Token Desk", 249_000, 2, 2, 294_000, [cid]),
    ]
    total = demo_cycle.query("SELECT count(*) FROM figures WHERE subject IS NOT NULL")[0][0]
    assert demo_cycle.query("SELECT count(*) FROM figure_history")[0][0] == total
