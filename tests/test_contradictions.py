"""Recording contradictions in a real DuckDB file: once, extended by a third source, in the view."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import duckdb
import pytest

from monitor.compare import Figure
from monitor.contradictions import (
    STORED_PEERS,
    figures_sql,
    load_contradictions,
    load_figures,
    record,
    record_contradictions,
)
from monitor.warehouse import open_warehouse

from .alerts_fixtures import (
    DEV,
    R1_RIGHT,
    R1_THIRD,
    R1_WRONG,
    T0,
    Story,
    figure,
    gold_figures,
    store,
)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    with open_warehouse(tmp_path / "w.duckdb") as connection:
        yield connection


@pytest.mark.parametrize("old_first", [True, False], ids=["old-first", "new-first"])
def test_conflict_recorded_once_with_both_sides(
    con: duckdb.DuckDBPyConnection, old_first: bool
) -> None:
    first, second = (R1_RIGHT, R1_WRONG) if old_first else (R1_WRONG, R1_RIGHT)
    store(con, first)
    assert record_contradictions(con, [first.url], T0) == []
    store(con, second)
    ids = record_contradictions(con, [second.url], T0)
    assert len(ids) == 1
    assert record_contradictions(con, [second.url], T0 + timedelta(hours=1)) == []  # idempotent
    assert record_contradictions(con, [first.url, second.url], T0) == []
    (c,) = load_contradictions(con)
    assert c.id == ids[0] and c.status == "open" and c.sources == 2
    assert (c.subject, c.metric, c.chip) == ("DeepSeek-R1", "training_cost", None)
    # a is the older article whichever was stored first.
    assert (c.a.value, c.a.outlet, c.b.value, c.b.outlet) == (
        294000,
        "Silicon Dispatch",
        249000,
        "Pacific Tech Wire",
    )
    assert c.transposition and c.relative_difference == pytest.approx(0.1531, abs=1e-4)
    assert c.a.quote == R1_RIGHT.figures[0]["quote"] and c.b.url == R1_WRONG.url
    assert c.a.published_at is not None and c.a.published_at.year == 2025
    assert c.confidence == pytest.approx(0.9)
    assert con.execute("SELECT count(*) FROM contradiction_members").fetchone() == (2,)


def test_third_source_extends_the_known_conflict(con: duckdb.DuckDBPyConnection) -> None:
    for story in (R1_RIGHT, R1_WRONG):
        store(con, story)
    (cid,) = record_contradictions(con, [R1_RIGHT.url, R1_WRONG.url], T0)
    store(con, R1_THIRD)
    later = T0 + timedelta(days=1)
    result = record(con, [R1_THIRD.url], later)
    assert result.new == [] and result.extended == [cid]
    (c,) = load_contradictions(con)
    assert c.sources == 3 and c.last_seen > c.first_seen
    assert record_contradictions(con, [R1_THIRD.url], later) == []
    # A fourth source with yet another value joins too: one dispute, one record.
    fourth = Story("https://fourth.example/r1", "Fourth", R1_THIRD.published,
                   [figure(value=600000, quote="R1 cost $600,000 to train")])  # fmt: skip
    store(con, fourth)
    assert record_contradictions(con, [fourth.url], later) == [cid]
    assert con.execute("SELECT count(*) FROM contradiction_records").fetchone() == (1,)
    assert load_contradictions(con)[0].sources == 4


def test_consistent_figures_and_other_subjects_record_nothing(
    con: duckdb.DuckDBPyConnection,
) -> None:
    under = Story("https://circuit.example/r1", "The Circuit Ledger", R1_RIGHT.published,
                  [figure(value=300000, qualifier="at_most",
                          quote="the final training stage of R1 cost under $300,000")])  # fmt: skip
    v3 = figure(subject="DeepSeek-V3", value=5.6e6, quote="V3 cost $5.6 million")
    other = Story("https://other.example/v3", "Other", R1_RIGHT.published, [v3])
    for story in (R1_RIGHT, under, other):
        store(con, story)
    assert record_contradictions(con, [R1_RIGHT.url, under.url, other.url], T0) == []
    assert load_contradictions(con) == []


def test_a_more_confident_pair_becomes_the_shown_one(con: duckdb.DuckDBPyConnection) -> None:
    shaky = figure(value=294000, confidence=0.5, quote="R1 cost $294,000 to train")
    weak = Story("https://weak.example/r1", "Weak Wire", R1_RIGHT.published, [shaky])
    for story in (weak, R1_WRONG):
        store(con, story)
    (cid,) = record_contradictions(con, [weak.url, R1_WRONG.url], T0)
    assert load_contradictions(con)[0].confidence == pytest.approx(0.5)
    store(con, R1_RIGHT)
    assert record_contradictions(con, [R1_RIGHT.url], T0) == [cid]
    (c,) = load_contradictions(con)
    assert c.confidence == pytest.approx(0.9) and c.a.outlet == "Silicon Dispatch"
    assert c.as_dict()["a_outlet"] == "Silicon Dispatch"


def test_stored_peers_are_found_through_an_index(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "INSERT INTO articles (url, feed_url, outlet, fetched_at, text, text_hash)"
        " SELECT 'https://a.example/' || i, 'f', 'o', now(), 't', 'h' FROM range(3000) t(i)"
    )
    con.execute(
        "INSERT INTO article_figures SELECT 'https://a.example/' || i, 0, 5, 'cost',"
        " 'subject ' || i, 'training_cost', i, NULL, 'USD', NULL, 'exact', 'q', 0.9, 't', now()"
        " FROM range(3000) t(i)"
    )
    subjects = ["subject 7", "subject 2999"]
    sql = "EXPLAIN ANALYZE " + figures_sql(STORED_PEERS)
    plan = con.execute(sql, [subjects]).fetchall()[0][1]
    assert "Index Scan" in plan and "Sequential Scan" not in plan
    assert sorted(f.subject or "" for f in load_figures(con, STORED_PEERS, [subjects])) == sorted(
        subjects
    )


@pytest.mark.skipif(not DEV.is_dir(), reason="needs ../shared/eval/dev")
@pytest.mark.parametrize("newest_first", [False, True], ids=["oldest-first", "newest-first"])
def test_dev_corpus_article_by_article_gives_six_disputes(
    con: duckdb.DuckDBPyConnection, newest_first: bool
) -> None:
    """The 8 conflicting pairs form 6 disputes: R1's chips and output price have a third source."""
    by_article: dict[str, list[Figure]] = {}
    for _, f in gold_figures():
        by_article.setdefault(f.article_url, []).append(f)
    order = sorted(by_article, key=lambda url: by_article[url][0].published_at or T0)
    for url in reversed(order) if newest_first else order:
        figures = by_article[url]
        first = figures[0]
        store(con, Story(url, first.outlet or "", datetime.combine(
            first.published_at or T0, time(12), tzinfo=UTC), [
            figure(kind=f.kind, subject=f.subject, metric=f.metric, value=f.value,
                   value_high=f.value_high, unit=f.unit, chip=f.chip, qualifier=f.qualifier,
                   quote=f.quote, confidence=0.9, start=f.start_offset)
            for f in figures
        ]))  # fmt: skip
        record_contradictions(con, [url], T0)
        assert record_contradictions(con, [url], T0) == []
    disputes = {(c.subject, c.metric): c.sources for c in load_contradictions(con)}
    assert disputes == {
        ("DeepSeek-R1", "training_cost"): 2,
        ("DeepSeek-R1", "chip_count"): 3,
        ("DeepSeek-R1", "inference_price_output"): 3,
        ("Orion-7", "training_cost"): 2,
        ("Orion-7", "chip_count"): 2,
        ("Kestrel-2", "training_cost"): 2,
    }
