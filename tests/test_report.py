"""`monitor report`: the static HTML page, checked in a real headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from monitor.cli import main
from monitor.report.chart import layout_chart, outlet_colours
from monitor.report.data import ReportedFigure, Series
from monitor.report.page import safe_link, write_report

if TYPE_CHECKING:
    from .warehouse_fixtures import DemoCycle

pytest_plugins = ["tests.warehouse_fixtures"]
pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"  # Debian's; `make test` installs it when missing
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
HOSTILE_QUOTE = "</title></svg><script>window.__pwned = 3</script> cost $294,000"


@dataclass
class LoadedPage:
    page: Page
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def demo_report(demo_cycle: DemoCycle, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(demo_cycle.warehouse, tmp_path_factory.mktemp("report") / "report.html")


@contextmanager
def opened(browser: Browser, file: Path) -> Iterator[LoadedPage]:
    """`file` loaded in a fresh tab, with everything it logged, threw or requested."""
    page = browser.new_page()
    loaded = LoadedPage(page)
    page.on("console", lambda m: loaded.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: loaded.errors.append(str(e)))
    page.on("request", lambda r: loaded.requests.append(r.url))
    page.goto(file.as_uri(), wait_until="load")
    yield loaded
    page.close()


@pytest.fixture
def shown(browser: Browser, demo_report: Path) -> Iterator[LoadedPage]:
    with opened(browser, demo_report) as loaded:
        yield loaded


def test_the_page_renders_with_no_console_messages_errors_or_network(
    shown: LoadedPage, demo_report: Path
) -> None:
    assert shown.console == [] and shown.errors == []
    assert shown.requests == [demo_report.as_uri()]  # the page itself and nothing else
    assert shown.page.title() == "monitor: AI cost figures as reported"


def test_one_chart_per_series_with_every_figure(shown: LoadedPage, demo_cycle: DemoCycle) -> None:
    series = demo_cycle.query(
        "SELECT count(DISTINCT (subject, metric, unit, chip)), count(*) FROM figure_history"
    )[0]
    page = shown.page
    assert page.locator("figure.series").count() == series[0] > 20
    assert page.locator("figure.series svg.chart").count() == series[0]
    assert page.locator("svg .figure-mark").count() == series[1] == demo_cycle.summary["figures"]
    box = page.locator("figure.series svg.chart").first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100  # really drawn
    meta = page.locator('figure.series[data-subject="Meta"][data-metric="capex"]')
    assert meta.locator('.figure-mark[data-shape="whisker"]').count() == 2  # $66-72 billion twice


def test_the_r1_contradiction_is_marked_in_its_chart_and_listed_with_both_links(
    shown: LoadedPage, demo_cycle: DemoCycle
) -> None:
    (cid,) = demo_cycle.query("SELECT id FROM contradictions WHERE status = 'open'")[0]
    page = shown.page
    chart = page.locator('figure.series[data-subject="DeepSeek-R1"][data-metric="training_cost"]')
    assert chart.get_attribute("data-contradictions") == cid
    assert chart.locator(f'.contradiction-mark[data-contradiction="{cid}"]').count() == 2
    assert chart.locator(f'.conflict-link[data-contradiction="{cid}"]').count() == 1
    assert page.locator(".contradiction-mark").count() == 2  # nowhere else
    row = page.locator(f"#contradiction-{cid}")
    hrefs = [row.locator("a.source").nth(i).get_attribute("href") for i in range(2)]
    assert hrefs == [demo_cycle.r1_herald_url, demo_cycle.r1_token_desk_url]
    text = row.inner_text()
    assert "$294,000" in text and "$249,000" in text and "likely transposed digits" in text
    assert page.locator("table.contradictions tbody tr").count() == 1


def test_hostile_article_text_is_shown_as_text_and_never_runs(
    browser: Browser, private_warehouse: Path, demo_cycle: DemoCycle, tmp_path: Path
) -> None:
    url = demo_cycle.r1_herald_url
    with duckdb.connect(str(private_warehouse)) as con:
        con.execute(
            "UPDATE articles SET title = ?, outlet = ? WHERE url = ?",
            [HOSTILE_TITLE, "<b>Herald</b>", url],
        )
        for table in ("article_figures", "contradiction_members"):
            con.execute(f"UPDATE {table} SET quote = ? WHERE article_url = ?", [HOSTILE_QUOTE, url])
    report = write_report(private_warehouse, tmp_path / "hostile.html")
    with opened(browser, report) as loaded:
        page = loaded.page
        assert loaded.console == [] and loaded.errors == []
        assert loaded.requests == [report.as_uri()]  # the <img src=x> was never an element
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("script").count() == 0 and page.locator("img").count() == 0
        assert page.locator("b").count() == 0
        row = page.locator("table.contradictions tbody tr").first
        assert HOSTILE_TITLE in row.inner_text() and HOSTILE_QUOTE in row.inner_text()
        titles = page.locator("svg .figure-mark title").all_text_contents()
        assert any(HOSTILE_QUOTE in t for t in titles)
        series = demo_cycle.query(
            "SELECT count(DISTINCT (subject, metric, unit, chip)) FROM figure_history"
        )[0][0]
        assert page.locator("figure.series").count() == series  # no svg was closed early


def test_cli_report_writes_the_page(
    demo_cycle: DemoCycle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "report.html"
    assert main(["report", "--config", str(demo_cycle.config), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"report: {out}"
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "DeepSeek-R1: training cost" in html
    head = html.split("<body>")[0]
    assert "://" not in head and "<link" not in head  # no stylesheet or font from anywhere


def test_values_across_orders_of_magnitude_get_a_log_axis() -> None:
    t0 = datetime(2025, 1, 1, tzinfo=UTC)

    def fig(days: int, value: float, outlet: str, high: float | None = None) -> ReportedFigure:
        return ReportedFigure(
            subject="X", metric="funding", unit="USD", chip=None,
            reported_at=t0 + timedelta(days=days), outlet=outlet, article_url="https://a.example/",
            article_title=None, value=value, value_high=high,
            qualifier="range" if high else "exact", confidence=0.9, quote="q",
            open_contradiction_ids=(),
        )  # fmt: skip

    figures = (fig(0, 2e6, "A"), fig(30, 5e8, "B", high=9e8), fig(60, 3e9, "A"))
    chart = layout_chart(Series("X", "funding", "USD", None, figures), outlet_colours(["A", "B"]))
    assert chart.log_scale
    assert [t.label for t in chart.y_ticks] == ["1M", "10M", "100M", "1B", "10B"]
    ys = [m.y for m in chart.marks]
    assert ys[0] > ys[1] > ys[2]  # bigger values higher up (smaller SVG y)
    whisker = chart.marks[1]
    assert whisker.shape == "whisker" and whisker.y_high is not None and whisker.y_high < whisker.y
    close = (fig(0, 9.0, "A"), fig(5, 4.5, "A"))
    assert not layout_chart(Series("X", "p", "USD", None, close), outlet_colours(["A"])).log_scale


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://news.example/a", True),
        ("http://127.0.0.1:8000/b", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>1</script>", False),
        ("//no-scheme.example/", False),
    ],
)
def test_only_http_links_are_kept(url: str, kept: bool) -> None:
    assert (safe_link(url) == url) is kept
