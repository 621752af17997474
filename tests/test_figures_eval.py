"""Pins the extractor's quality on the labeled corpora to the floors in tests/eval_floors.json."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from monitor.figures.evaluate import Corpus, corpora, evaluate, summary_line

FLOORS = json.loads((Path(__file__).parent / "eval_floors.json").read_text(encoding="utf-8"))
CORPORA = {c.name: c for c in corpora()}
# Ours, in plain text: not the shared dev corpus, not the demo site's HTML pages.
OUR_TEXT_CORPORA = [name for name in CORPORA if name not in ("dev", "demo")]


def _available(corpus: Corpus) -> bool:
    return corpus.gold.exists() and corpus.articles.is_dir()


@pytest.mark.parametrize("name", list(CORPORA))
def test_quality_floor(name: str) -> None:
    corpus = CORPORA[name]
    if not _available(corpus):
        if corpus.required:
            pytest.fail(f"mandatory corpus {name} is missing: {corpus.gold}")
        pytest.skip(f"optional corpus {name} not present")
    result = evaluate(corpus)
    floors = FLOORS[name]
    figure, attribution = result["figure"], result["attribution"]
    assert isinstance(figure, dict) and isinstance(attribution, dict)
    line = summary_line(name, result)
    assert figure["f1"] >= floors["figure_f1"], line
    assert attribution["f1"] >= floors["attribution_f1"], line
    assert result["qualifier_accuracy"] >= floors["qualifier_accuracy"], line


@pytest.mark.parametrize("name", OUR_TEXT_CORPORA)
def test_our_gold_quotes_are_in_the_articles(name: str) -> None:
    from monitor.figures.cli import read_article_text

    corpus = CORPORA[name]
    texts = {p.stem: read_article_text(p) for p in corpus.articles.iterdir()}
    # trafilatura writes a <table> as "| cell | cell |" lines, so a labeler's quote from a
    # table row is looked for in the page's visible text instead.
    pages = {p.stem: _visible_text(p) for p in corpus.articles.glob("*.html")}
    rows = [json.loads(line) for line in corpus.gold.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 40
    fields = {
        "article",
        "kind",
        "subject",
        "metric",
        "value",
        "value_high",
        "unit",
        "chip",
        "qualifier",
        "quote",
    }
    for row in rows:
        assert set(row) == fields, row
        found = row["quote"] in texts[row["article"]]
        in_table = " ".join(row["quote"].split()) in pages.get(row["article"], "")
        assert found or in_table, row["quote"]
        assert (row["value_high"] is not None) == (row["qualifier"] == "range"), row
        # Money names no chip; a count usually does, but "25,000 restricted accelerators" cannot.
        assert row["chip"] is None or row["kind"] == "chips", row


def _visible_text(page: Path) -> str:
    """A page's text with tags dropped, entities decoded and whitespace collapsed."""
    markup = page.read_text(encoding="utf-8")
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
