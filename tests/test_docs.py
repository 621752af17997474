"""The README cannot drift from the tool: its commands and keys are checked here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from monitor.cli import build_parser
from monitor.config import Config

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_exactly_the_two_commands() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert block.strip().splitlines() == ["make demo", "make test"]


def test_every_subcommand_is_documented_and_every_documented_one_exists() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    real = set(sub.choices)  # type: ignore[arg-type]
    documented = set(re.findall(r"^\| `monitor (\w+)", README, flags=re.MULTILINE))
    assert documented == real


def test_every_config_key_is_in_the_readme_and_the_example() -> None:
    example = tomllib.loads((REPO / "monitor.example.toml").read_text(encoding="utf-8"))
    for section, field in Config.model_fields.items():
        if section == "source":
            continue
        assert f"`[{section}]`" in README or f"`[[{section}]]`" in README, section
        model = field.annotation
        inner = getattr(model, "__args__", None)
        model = inner[0] if inner else model
        for name, sub_field in model.model_fields.items():  # type: ignore[union-attr]
            key = sub_field.alias or name
            assert f"`{key}`" in README, f"{section}.{key} missing from README"
        assert section in example, f"[{section}] missing from monitor.example.toml"


def test_example_config_loads() -> None:
    from monitor.config import load_config

    config = load_config(REPO / "monitor.example.toml", env={})
    assert config.feeds and config.subscribers


def test_warehouse_readme_documents_every_table_view_and_column(tmp_path: Path) -> None:
    from monitor.warehouse import open_warehouse

    doc = (REPO / "warehouse" / "README.md").read_text(encoding="utf-8")
    with open_warehouse(tmp_path / "w.duckdb") as con:
        columns = con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
        ).fetchall()
    missing = [
        f"{table}.{column}"
        for table, column in columns
        if f"`{table}`" not in doc or f"`{column}`" not in doc
    ]
    assert missing == []
