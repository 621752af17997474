"""The lexicon data files: packaged defaults, extra files, and errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.figures import extract_figures, load_lexicon


def test_packaged_lexicon_knows_real_labs_models_and_chips() -> None:
    lexicon = load_lexicon()
    assert "OpenAI" in lexicon.labs and "DeepSeek" in lexicon.labs
    assert lexicon.chip_names["H100"] == "Nvidia H100"
    assert lexicon.chip_names["910B"] == "Huawei Ascend 910B"
    model = lexicon.aliases["R1"][0]
    assert model.entity.name == "DeepSeek-R1" and model.needs_maker


def test_extra_file_adds_chips_and_models(tmp_path: Path) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text(
        '[[chip]]\nname = "Acme Z9"\nvendor = "Acme"\naliases = ["Z9"]\n'
        '[[vendor]]\nname = "Acme"\n'
        '[[model]]\nname = "Zephyr"\nmaker = "Vireo AI"\n',
        encoding="utf-8",
    )
    lexicon = load_lexicon((str(extra),))
    figs = extract_figures("Vireo AI trained Zephyr on 4,096 Acme Z9 chips.", lexicon=lexicon)
    assert [(f.subject, f.value, f.chip) for f in figs] == [("Zephyr", 4096, "Acme Z9")]
    # Without the file the count is still read ("Acme Z9" as written, a chip the catalogue
    # does not hold), but Zephyr is no known model, so it goes to the lab.
    plain = extract_figures("Vireo AI trained Zephyr on 4,096 Acme Z9 chips.")
    assert [(f.subject, f.value, f.chip) for f in plain] == [("Vireo AI", 4096, "Acme Z9")]


def test_missing_extra_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml"):
        load_lexicon((str(tmp_path / "nope.toml"),))


def test_entry_without_name_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[lab]]\naliases = ["X"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.toml.*\[\[lab\]\].*name"):
        load_lexicon((str(bad),))
