"""extract_figures: article text in, attributed cost and chip figures out.

One pass over the sentences: find money amounts and chip counts, resolve the
sentence's mentions against the discourse, then give each figure its metric,
subject, qualifier and confidence. Restraint rules drop what is not about AI
(consumer goods, unattributable money, hypothetical "a 100,000-GPU cluster",
the wrong figure a correction notice repeats), and restatements of a figure
already recorded are dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from monitor.figures.attribution import (
    Discourse,
    PreviousFigure,
    asides_in,
    clause_breaks_in,
    follow_mentions,
    resolve_mentions,
)
from monitor.figures.chip_figures import chip_figure
from monitor.figures.chip_index import ChipIndex, SpanCover
from monitor.figures.chips import ChipCount, find_chips
from monitor.figures.entities import Mention, find_mentions
from monitor.figures.figure import Figure
from monitor.figures.gates import FoldedPattern, GatedPattern
from monitor.figures.lexicon import Lexicon, load_lexicon
from monitor.figures.metrics import ACROSS_CLAUSE, Cue
from monitor.figures.money import MoneyAmount, find_money
from monitor.figures.money_figures import money_figure
from monitor.figures.numbers import english_digits
from monitor.figures.price_tables import table_price_figures
from monitor.figures.restatements import is_restatement, refined_index
from monitor.figures.sentences import Sentence, split_sentences
from monitor.figures.slots import (
    SentenceCues,
    Slot,
    nearest_cue,
    owner_of_aside,
    pair_side,
)

_CONNECTOR_ONLY = re.compile(r"\s*(?:to|from|and|or|[-–—])\s*")  # "falls to $8 from $12"
# A correction notice states the wrong figure: "An earlier version of this article misstated
# the round as $450 million." The right one is in the body, the next sentence or the clause
# after a semicolon ("...; it is $312 million").
# Most sentences hold none of the words every notice does: the gate skips them.
_CORRECTION = GatedPattern(
    FoldedPattern(
        r"\b(?:earlier|previous|prior)\s+version\s+of\s+this\s+(?:article|story|report|post|piece)"
        r"|\bmisstated\b|\bincorrectly\s+(?:said|stated|reported|gave|put|attributed)"
        # "The article also attributed the $2.4 billion agreement to Everglow Systems; it
        # was signed by Palisade AI."
        r"|\b(?:article|story|report)\s+(?:also\s+)?(?:wrongly\s+|mistakenly\s+)?attributed\b"
    ),
    ("version", "misstated", "incorrectly", "attributed"),
)


def extract_figures(text: str, lexicon: Lexicon | None = None) -> list[Figure]:
    """Cost and chip figures in article `text`, in order of appearance."""
    lexicon = lexicon or load_lexicon()
    english = english_digits(text)
    if english is not None:  # "€1,5 billion", "4.096 GPUs": read as "€1.5 billion", "4,096"
        return [_quoted_from(text, english, f) for f in _figures(english, lexicon)]
    return _figures(text, lexicon)


def _figures(text: str, lexicon: Lexicon) -> list[Figure]:
    tabled = table_price_figures(text, lexicon)
    found = _sentence_figures(text, lexicon)
    if not tabled:
        return found
    return sorted([*found, *tabled], key=lambda f: f.start)


def _quoted_from(original: str, read: str, figure: Figure) -> Figure:
    """`figure`, found in `read` (the same offsets as `original`), quoting `original`."""
    size = len(figure.quote)
    at = read.find(figure.quote, max(0, figure.end - size), figure.start + size)
    return replace(figure, quote=original[at : at + size]) if at >= 0 else figure


def _is_heading(text: str, sentence: Sentence, mentions: list[Mention]) -> bool:
    """A line of its own with no closing stop ("Tallis Systems - Tallis Coder 3"), or a
    paragraph that opens with a name alone ("Halite Semiconductor. The maker of ...")."""
    line_start = sentence.start == 0 or text[sentence.start - 1] == "\n"
    if not line_start:
        return False
    line_end = sentence.end == len(text) or text[sentence.end] == "\n"
    if line_end and text[sentence.end - 1] not in ".!?:;,":
        return True
    first = mentions[0]
    return (
        len(mentions) == 1
        and not first.pronoun
        and text[sentence.start : first.start].strip() == ""
        and text[first.end : sentence.end].strip() == "."
    )


def _sentence_figures(text: str, lexicon: Lexicon) -> list[Figure]:
    """The figures the sentences state, read with their discourse."""
    counts, chip_mentions = find_chips(text, lexicon)
    money = find_money(text)
    if not counts and not money:
        return []
    if counts and money:
        money_spans = [(m.start, m.end) for m in money]
        counts = [c for c in counts if not any(a < c.end and c.start < b for a, b in money_spans)]
    chip_spans = [(c.start, c.end) for c in chip_mentions] + [(c.start, c.end) for c in counts]
    chips = ChipIndex(counts, chip_mentions)
    inside_chip = SpanCover(chip_spans)
    items: list[MoneyAmount | ChipCount] = sorted([*money, *counts], key=lambda x: x.start)
    # Nothing after the line of the last figure can change a figure but the names it teaches.
    until = text.find("\n", items[-1].start)
    until = len(text) if until < 0 else until
    found = find_mentions(text, lexicon, until)
    mentions = [m for m in found if not inside_chip(m.start, m.end)]

    state = Discourse()
    kept: list[Figure] = []
    mention_i = item_i = 0
    previous_sentence: Sentence | None = None
    for sentence in split_sentences(text, until):
        here: list[Mention] = []
        while mention_i < len(mentions) and mentions[mention_i].start < sentence.end:
            if mentions[mention_i].start >= sentence.start:
                here.append(mentions[mention_i])
            mention_i += 1
        figures_here: list[MoneyAmount | ChipCount] = []
        while item_i < len(items) and items[item_i].start < sentence.end:
            if items[item_i].start >= sentence.start:
                figures_here.append(items[item_i])
            item_i += 1
        correction = (
            _CORRECTION.search(text, sentence.start, sentence.end) if figures_here else None
        )
        if correction is not None:
            # the wrong figure a correction notice repeats; "...; it is $312 million" stays
            right = text.find(";", correction.end(), sentence.end)
            figures_here = [f for f in figures_here if 0 <= right < f.start]
        if not figures_here:
            if here:
                topic_model = state.topic_model
                follow_mentions(text, sentence, here, state)
                if _is_heading(text, sentence, here):
                    state.previous = None  # a new section: its figures are the heading's
                elif topic_model != state.topic_model:
                    # "Google cut Gemini 1.5 Flash's price. Input is priced at $0.075 ...": a
                    # model named since the last figure is what the next one is about, not
                    # that figure's subject
                    state.previous = None
            previous_sentence = sentence
            continue
        line_start = text.rfind("\n", 0, sentence.start) + 1
        state.answering = text.startswith("A:", line_start)
        asides = tuple(asides_in(text, sentence))
        cands = resolve_mentions(text, sentence, here, state, list(asides)) if here else []
        explicit = any(not c.pronoun for c in cands)
        breaks = clause_breaks_in(text, sentence)
        cues = SentenceCues(text, sentence)
        cue_memo: dict[int, Cue | None] = {}
        side_left = sentence.start
        last_here: Figure | None = None
        made: Figure | None = None  # what the item before made, kept or not
        for i, item in enumerate(figures_here):
            seg_left = figures_here[i - 1].end if i else sentence.start
            seg_right = figures_here[i + 1].start if i + 1 < len(figures_here) else sentence.end
            if not (i and _CONNECTOR_ONLY.fullmatch(text, seg_left, item.start)):
                side_left = seg_left
            slot = Slot(
                sentence,
                cues,
                item.start,
                item.end,
                seg_left,
                seg_right,
                side_left,
                asides,
                breaks,
                cue_memo,
                owner_of_aside(text, sentence, item.start, item.end, cands),
                pair_side(text, figures_here, i),
            )
            if isinstance(item, MoneyAmount):
                before = figures_here[i - 1] if i else None
                paired = before if isinstance(before, MoneyAmount) else None
                fig = money_figure(
                    text,
                    chips,
                    slot,
                    item,
                    cands,
                    state,
                    previous_sentence,
                    paired,
                    last_here,
                    paired is not None and made is None,
                )
                cue = nearest_cue(text, slot) if fig is not None else None
                # a cue beyond a clause break says little about a number said again:
                # 'Probably "$10 billion model", and ...: a cluster that size ...'
                strong = fig is not None and (
                    item.per is not None or (cue is not None and cue.distance < ACROSS_CLAUSE)
                )
            else:
                fig = chip_figure(text, chips, slot, item, cands, state, last_here)
                strong = True
            made = fig
            if fig is None or not (math.isfinite(fig.value) and fig.value > 0):
                continue
            if is_restatement(fig, kept, explicit, strong):
                if fig.kind == "chips" and last_here is None:
                    # "orders for 18,000 B200s, worth ...": said again, it still tells what the
                    # money after it buys (a per-chip price before it tells more)
                    last_here = fig
                continue
            refined = refined_index(fig, kept, state)
            if refined is not None:
                kept[refined] = replace(kept[refined], subject=fig.subject, metric=fig.metric)
                continue
            kept.append(fig)
            last_here = fig
            if fig.subject in chips.names:
                continue  # a chip's price says nothing about who the next sentence is about
            kind = next((c.kind for c in cands if c.name == fig.subject), None)
            state.previous = PreviousFigure(
                fig.subject,
                kind or _subject_kind(fig.subject, state),
                fig.metric,
                fig.kind,
                sentence.index,
            )
        previous_sentence = sentence
    if any(fig.subject is None for fig in kept):
        # "The first phase will house 12,000 Nvidia H200 GPUs": a count no sentence ties to
        # anyone belongs to the company the article is about, the lab it names most often
        # (not the chips' vendor, who owns no count of its own chips)
        everywhere = find_mentions(text, lexicon) if until < len(text) else found
        kept = [
            f if f.subject is not None else replace(f, subject=_leading_lab(everywhere, f.chip))
            for f in kept
        ]
    return kept


def _leading_lab(mentions: list[Mention], chip: str | None) -> str | None:
    """The lab named most often (the first of equals) but the chip's vendor, or None."""
    vendor = chip.split(" ", 1)[0] if chip else None
    counts: dict[str, int] = {}
    for m in mentions:
        name = m.entity.name
        if not m.pronoun and m.entity.kind == "lab" and name and name != vendor:
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda name: counts[name]) if counts else None


def _subject_kind(subject: str | None, state: Discourse) -> str | None:
    if subject is None:
        return None
    if subject == "AI industry":
        return "sector"
    return "model" if subject in state.makers else "lab"
