"""Hostile and odd article pages: each becomes an article or a failure with a clear reason.

Pages live in tests/data/faults/pages (served in place); the huge ones are built at
test time. The cycle is a real Prefect flow run against a real server on 127.0.0.1.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.articles import MAX_HTML_BYTES, decode_html, extract_article
from monitor.errors import ExtractError
from monitor.sample_site import Route, SiteServer, serve_site

from .conftest import write_config
from .faults_support import FAULTS, query, rss, run_cycle

PAGES = FAULTS / "pages"
CAP = 500_000  # http.max_bytes for the cycle
LANGUAGES = ["de-kosten.html", "zh-chengben.html", "ar-taklifa.html"]
CHARSET_LIES = ["meta-charset-lies-utf8.html", "meta-charset-lies-cp1252.html"]


def paragraphs(page: Path) -> list[str]:
    """The text of each <p> in one of our page files (they hold no nested markup)."""
    source = decode_html(page.read_bytes())
    return [html.unescape(" ".join(p.split())) for p in re.findall(r"<p>(.*?)</p>", source, re.S)]


def long_article(size: int) -> bytes:
    """An article page of about `size` bytes, numbered paragraphs so none repeats."""
    head = b"<html><head><title>A very long report</title></head><body><article><h1>Report</h1>"
    tail = b"</article></body></html>"
    paras: list[bytes] = []
    used = len(head) + len(tail)
    n = 0
    while True:
        para = (
            f"<p>Section {n}: the compute budget for phase {n} was reviewed again, and the "
            f"auditors wrote down {n * 7 + 3} separate observations about it.</p>"
        ).encode()
        if used + len(para) > size:
            break
        paras.append(para)
        used += len(para)
        n += 1
    return head + b"".join(paras) + tail


# --- extraction alone ----------------------------------------------------------


@pytest.mark.parametrize("name", LANGUAGES + CHARSET_LIES + ["story.html", "broken-markup.html"])
def test_pages_give_their_text_intact(name: str) -> None:
    page = PAGES / name
    article = extract_article(page.read_bytes(), f"http://h.test/{name}", "text/html")
    flat = " ".join(article.text.split())
    for para in paragraphs(page) or [flat]:
        plain = re.sub(r"<[^>]+>", "", para)
        assert plain in flat, (name, plain)
    assert "\ufffd" not in article.text and "Ã" not in article.text  # no mojibake


@pytest.mark.parametrize(
    ("body", "content_type", "reason", "message"),
    [
        ((PAGES / "report.pdf").read_bytes(), "application/pdf", "not_html", "PDF document"),
        ((PAGES / "report.pdf").read_bytes(), "text/html", "not_html", "PDF document"),
        ((PAGES / "chart.png").read_bytes(), None, "not_html", "PNG image"),
        ((PAGES / "chart.png").read_bytes(), "text/html", "not_html", "PNG image"),
        (b"\xff\xd8\xff\xe0JFIF....", "image/jpeg", "not_html", "JPEG image"),
        ((PAGES / "no-text.html").read_bytes(), "text/html", "no_text", "too little"),
        (b"<html><body></body></html>", "text/html", "no_text", "no main text"),
        (b"", "text/html", "no_text", "no main text"),
        (b"\x00\x01\x02" * 1000, None, "not_html", "unknown type"),
        (b"<p>x</p>" * (MAX_HTML_BYTES // 8 + 1), "text/html", "too_large", "over 5,000,000"),
    ],
    ids=[
        "pdf",
        "pdf-as-html",
        "png",
        "png-as-html",
        "jpeg",
        "chrome-only",
        "empty-body",
        "empty",
        "binary",
        "over-5mb",
    ],
)
def test_pages_that_are_not_articles_say_why(
    body: bytes, content_type: str | None, reason: str, message: str
) -> None:
    with pytest.raises(ExtractError, match=message) as err:
        extract_article(body, "http://h.test/p", content_type)
    assert err.value.reason == reason


# --- one real cycle -------------------------------------------------------------


@pytest.fixture
def site() -> Iterator[SiteServer]:
    with serve_site(FAULTS) as server:
        yield server


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_one_cycle_over_odd_pages(tmp_path: Path, site: SiteServer) -> None:
    base = site.base
    under = long_article(CAP - 2_000)
    site.routes["/gen/over-cap.html"] = Route(
        200, long_article(CAP * 3), {"Content-Type": "text/html"}
    )
    site.routes["/gen/under-cap.html"] = Route(200, under, {"Content-Type": "text/html"})
    site.routes["/gen/pdf-as-html"] = Route(
        200, (PAGES / "report.pdf").read_bytes(), {"Content-Type": "text/html; charset=utf-8"}
    )
    site.routes["/gen/untyped-png"] = Route(200, (PAGES / "chart.png").read_bytes())
    articles = [*LANGUAGES, *CHARSET_LIES, "broken-markup.html", "story.html"]
    failures = {
        "report.pdf": ("not_html", "not an HTML page (PDF document)"),
        "chart.png": ("not_html", "not an HTML page (PNG image)"),
        "no-text.html": ("no_text", "only 37 characters of text, too little for an article"),
    }
    generated = {
        "/gen/over-cap.html": ("too_large", f"body passed the {CAP:,}-byte cap"),
        "/gen/pdf-as-html": ("not_html", "not an HTML page (PDF document)"),
        "/gen/untyped-png": ("not_html", "not an HTML page (PNG image)"),
    }
    links = [f"{base}/pages/{name}" for name in [*articles, *failures]]
    links += [f"{base}{path}" for path in [*generated, "/gen/under-cap.html"]]
    site.routes["/gen/odd-pages.xml"] = Route(
        200, rss("Odd Pages", links), {"Content-Type": "application/rss+xml"}
    )
    config = write_config(
        tmp_path / "monitor.toml",
        base,
        [("Odd Pages", "/gen/odd-pages.xml")],
        extra=f"max_bytes = {CAP}",
    )

    summary = run_cycle(config)

    assert summary["status"] == "completed"
    expected_failures = len(failures) + len(generated)
    assert (summary["new_articles"], summary["article_errors"]) == (
        len(articles) + 1,
        expected_failures,
    )
    stored = dict(query(config, "SELECT url, text FROM articles"))
    assert set(stored) == {f"{base}/pages/{n}" for n in articles} | {f"{base}/gen/under-cap.html"}
    for name in [*LANGUAGES, *CHARSET_LIES]:
        flat = " ".join(stored[f"{base}/pages/{name}"].split())
        for para in paragraphs(PAGES / name):
            assert para in flat, (name, para)
    assert "Section 0:" in stored[f"{base}/gen/under-cap.html"]
    last = under.rsplit(b"<p>", 1)[1].split(b"</p>", 1)[0].decode()
    assert stored[f"{base}/gen/under-cap.html"].rstrip().endswith(last)  # nothing cut off
    recorded = {
        url: (reason, error)
        for url, reason, error in query(config, "SELECT url, reason, error FROM article_failures")
    }
    want = {f"{base}/pages/{n}": v for n, v in failures.items()}
    want |= {f"{base}{p}": v for p, v in generated.items()}
    assert set(recorded) == set(want)
    for url, (reason, message) in want.items():
        assert recorded[url][0] == reason and message in recorded[url][1], url
    assert query(config, "SELECT status, new_articles, article_errors FROM runs") == [
        ("completed", len(articles) + 1, expected_failures)
    ]
