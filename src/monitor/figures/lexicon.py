"""The lexicon of labs, models, consumer products, the AI sector and chips.

Loaded once from the TOML files in `data/` (plus any extra files a config
names) and compiled into the patterns the extractor scans with. Analysts extend
the files; the code never lists an entity.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from monitor.errors import ConfigError
from monitor.figures.alternation import literal_alternation
from monitor.figures.word_scan import WordScan

_DATA_FILES = ("labs.toml", "chips.toml")


@dataclass(frozen=True)
class Entity:
    """Something a figure can be about."""

    name: str  # canonical
    kind: str  # lab | model | product | sector | chip | government | source (never a subject)
    maker: str | None = None  # for models and products


@dataclass(frozen=True)
class Alias:
    entity: Entity
    needs_maker: bool  # a bare short name ("R1") counts only after its maker is named
    # a government counts only as the subject of a clause ("Germany is prepared to commit
    # ..."), never as a place ("a site in Germany") or a modifier ("EU rules")
    subject_only: bool = False


@dataclass(frozen=True, eq=False)  # hashed by identity: one compiled set per load
class Lexicon:
    aliases: dict[str, tuple[Alias, ...]]  # surface text -> what it may name
    entity_pattern: re.Pattern[str]  # any lab, model, product or sector alias
    entity_scan: WordScan  # finds what entity_pattern finds, faster
    chip_names: dict[str, str]  # chip alias ("H100", "910B") -> "Nvidia H100"
    vendor_names: dict[str, str]  # vendor alias -> vendor
    chip_alternation: str  # regex fragment: any chip alias
    vendor_alternation: str  # regex fragment: any vendor alias
    variant_alternation: str  # regex fragment: "80GB", "SXM", ...
    system_before: frozenset[str]  # server words before a chip's name: "HGX" in "HGX B200"
    system_after: frozenset[str]  # rack words after it: "NVL72" in "GB200 NVL72"
    labs: frozenset[str]  # canonical lab names
    family_makers: dict[str, str]  # "Claude" (the first word of model names) -> "Anthropic"
    family_pattern: re.Pattern[str]  # a family word followed by "model(s)": "Claude models"


def _data_documents(extra_paths: tuple[str, ...]) -> list[tuple[str, dict[str, object]]]:
    docs: list[tuple[str, dict[str, object]]] = []
    package = resources.files("monitor.figures") / "data"
    for name in _DATA_FILES:
        docs.append(
            (
                f"monitor/figures/data/{name}",
                tomllib.loads(package.joinpath(name).read_text("utf-8")),
            )
        )
    for path in extra_paths:
        try:
            docs.append((path, tomllib.loads(Path(path).read_text(encoding="utf-8"))))
        except OSError as exc:
            raise ConfigError(
                f"lexicon file {path}: cannot be read ({exc.strerror}); fix the path"
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"lexicon file {path}: not valid TOML ({exc})") from exc
    return docs


def _table_list(doc: dict[str, object], key: str, where: str) -> list[dict[str, object]]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"lexicon file {where}: [[{key}]] must be an array of tables")
    return value


def _strings(table: dict[str, object], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"lexicon file {where}: '{key}' must be a list of strings")
    return list(value)


def _name(table: dict[str, object], section: str, where: str) -> str:
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"lexicon file {where}: a [[{section}]] entry has no 'name'; add one")
    return name.strip()


@functools.cache
def load_lexicon(extra_paths: tuple[str, ...] = ()) -> Lexicon:
    """The packaged lexicon, extended by `extra_paths` (TOML files of the same shape)."""
    aliases: dict[str, list[Alias]] = {}
    chip_names: dict[str, str] = {}
    vendor_names: dict[str, str] = {}
    variants: list[str] = []
    system_before: set[str] = set()
    system_after: set[str] = set()
    labs: set[str] = set()

    def add(surface: str, alias: Alias) -> None:
        aliases.setdefault(surface, []).append(alias)

    for where, doc in _data_documents(extra_paths):
        for table in _table_list(doc, "lab", where):
            lab = Entity(_name(table, "lab", where), "lab")
            labs.add(lab.name)
            for surface in [lab.name, *_strings(table, "aliases", where)]:
                add(surface, Alias(lab, needs_maker=False))
        for table in _table_list(doc, "government", where):
            government = Entity(_name(table, "government", where), "government")
            for surface in [government.name, *_strings(table, "aliases", where)]:
                add(surface, Alias(government, needs_maker=False, subject_only=True))
        for table in _table_list(doc, "source", where):
            source = Entity(_name(table, "source", where), "source")
            for surface in [source.name, *_strings(table, "aliases", where)]:
                add(surface, Alias(source, needs_maker=False))
        for section in ("model", "product"):
            for table in _table_list(doc, section, where):
                maker = table.get("maker")
                entity = Entity(
                    _name(table, section, where), section, maker if isinstance(maker, str) else None
                )
                for surface in [entity.name, *_strings(table, "aliases", where)]:
                    add(surface, Alias(entity, needs_maker=False))
                for surface in _strings(table, "short", where):
                    add(surface, Alias(entity, needs_maker=entity.maker is not None))
        sector = doc.get("sector")
        if isinstance(sector, dict):
            entity = Entity(_name(sector, "sector", where), "sector")
            for phrase in _strings(sector, "phrases", where):
                add(phrase, Alias(entity, needs_maker=False))
        for table in _table_list(doc, "vendor", where):
            vendor = _name(table, "vendor", where)
            for surface in [vendor, *_strings(table, "aliases", where)]:
                vendor_names[surface] = vendor
        for table in _table_list(doc, "chip", where):
            chip = _name(table, "chip", where)
            for surface in _strings(table, "aliases", where):
                chip_names[surface] = chip
        variants.extend(_strings(doc, "variants", where))
        systems = doc.get("systems", {})
        if not isinstance(systems, dict):
            raise ConfigError(f"lexicon file {where}: [systems] must be a table")
        system_before.update(_strings(systems, "before", where))
        system_after.update(_strings(systems, "after", where))

    # "DeepSeek-V3.2" and "GPT-4.5" are models of their own, not DeepSeek-V3 or GPT-4.
    entity_scan = WordScan(aliases, tail=r"(?![\w]|-\w|\.\d)")
    families = _model_families(aliases)
    family_pattern = re.compile(
        r"(?<![\w-])" + literal_alternation(families) + r"(?=\s+(?:[\w-]+\s+)?models?\b)"
    )
    return Lexicon(
        aliases={k: tuple(v) for k, v in aliases.items()},
        entity_pattern=entity_scan.pattern,
        entity_scan=entity_scan,
        chip_names=chip_names,
        vendor_names=vendor_names,
        chip_alternation=literal_alternation(chip_names),
        vendor_alternation=literal_alternation(vendor_names),
        variant_alternation=literal_alternation([*variants, *system_after]),
        system_before=frozenset(system_before),
        system_after=frozenset(system_after),
        labs=frozenset(labs),
        family_makers=families,
        family_pattern=family_pattern,
    )


_FAMILY_WORD = re.compile(r"[A-Z][A-Za-z]{2,}(?=[\s-]?\d|\s)")


def _model_families(aliases: dict[str, list[Alias]]) -> dict[str, str]:
    """Family words and their makers: "Claude 3.5 Sonnet" by Anthropic gives "Claude".

    A word that is itself an alias ("OpenAI", "DeepSeek", "Sora") or names the models of
    two makers is left out.
    """
    makers: dict[str, set[str]] = {}
    for surface, entries in aliases.items():
        for alias in entries:
            entity = alias.entity
            if entity.kind != "model" or entity.maker is None or surface != entity.name:
                continue
            word = _FAMILY_WORD.match(surface)
            if word is not None and word.group() not in aliases:
                makers.setdefault(word.group(), set()).add(entity.maker)
    return {word: next(iter(found)) for word, found in makers.items() if len(found) == 1}
