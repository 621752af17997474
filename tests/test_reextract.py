"""Re-extraction replaces an article's figures with the current extractor's, never duplicates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from monitor.cli import main
from monitor.figures import EXTRACTOR_VERSION, extract_figures
from monitor.warehouse import open_warehouse

TEXT = (
    "DeepSeek said its R1 reasoning model cost $294,000 to train on 512 Nvidia H800 chips. "
    "The company charges $0.55 per million input tokens."
)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text('[warehouse]\npath = "monitor.duckdb"\n')
    with open_warehouse(tmp_path / "monitor.duckdb") as con:
        con.execute(
            "INSERT INTO articles (url, feed_url, outlet, fetched_at, text, text_hash)"
            " VALUES ('https://a.test/1', 'https://a.test/feed', 'A', ?, ?, 'h')",
            [datetime.now(UTC), TEXT],
        )
    return path


def figures(config: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(config.parent / "monitor.duckdb"), read_only=True) as con:
        return con.execute(
            "SELECT start_offset, kind, value, extractor_version FROM article_figures ORDER BY 1, 2"
        ).fetchall()


def test_stale_articles_get_fresh_figures_once(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = len(extract_figures(TEXT))
    assert expected >= 3
    assert main(["reextract", "--config", str(config)]) == 0
    assert f"re-extracted 1 articles: {expected} figures" in capsys.readouterr().out
    first = figures(config)
    assert len(first) == expected and {row[3] for row in first} == {EXTRACTOR_VERSION}

    assert main(["reextract", "--config", str(config)]) == 0  # nothing stale: nothing done
    assert "re-extracted 0 articles" in capsys.readouterr().out

    with duckdb.connect(str(config.parent / "monitor.duckdb")) as con:  # an older extractor's rows
        con.execute("UPDATE articles SET extractor_version = '0.0.1'")
        con.execute(
            "UPDATE article_figures"
            " SET extractor_version = '0.0.1', start_offset = start_offset + 1"
        )
    assert main(["reextract", "--config", str(config)]) == 0
    assert figures(config) == first  # old rows replaced, not kept beside the new ones

    assert main(["reextract", "--all", "--config", str(config)]) == 0
    assert figures(config) == first
