"""extract_figures: article text in, attributed cost and chip figures out.

One pass over the sentences: find money amounts and chip counts, resolve the
sentence's mentions against the discourse, then give each figure its metric,
subject, qualifier and confidence. Restraint rules drop what is not about AI
(consumer goods, unattributable money, hypothetical "a 100,000-GPU cluster"),
and restatements of a figure already recorded are dropped.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from monitor.figures import metrics
from monitor.figures.attribution import (
    Candidate,
    Choice,
    Discourse,
    PreviousFigure,
    asides_in,
    choose_subject,
    clause_breaks_in,
    focus_model,
    resolve_mentions,
)
from monitor.figures.chips import ChipCount, find_chips
from monitor.figures.entities import Mention, find_mentions
from monitor.figures.figure import Figure
from monitor.figures.lexicon import Lexicon, load_lexicon
from monitor.figures.metrics import Cue
from monitor.figures.money import MoneyAmount, find_money
from monitor.figures.qualifiers import qualifier
from monitor.figures.sentences import Sentence, split_sentences

_LOOSE_PER_MILLION = re.compile(r"(?i:\bper[- ]million\b)")
_FROM_BEFORE = re.compile(r"(?:,\s*|\s)(?:(?:down|up)\s+)?from\s+$")
_NOUN_AFTER = re.compile(r"[^,;.:()]{0,12}")  # the words right after a count, up to punctuation
_CONNECTOR_ONLY = re.compile(r"\s*(?:to|and|or|[-–—])\s*")
_PAIR_JOIN = re.compile(r"\s*(?:and|&|/)\s*")
_OWNER_GAP = re.compile(r"\s*")
_RECIPIENT_GAP = re.compile(r"\s+(?:in|into|to)\s+")  # "committed $8 billion to Anthropic"
_COORDINATED_BEFORE = re.compile(r"(?:,\s*|\s)(?:plus|as\s+well\s+as|along\s+with)\s+$")
_MAX_TOKEN_PRICE = 10_000.0  # per 1M tokens; anything dearer is not a token price
_INDEFINITE_BEFORE = re.compile(r"(?i:\b(?:a|an|any|each|per)\s+$)")
_CONFIDENCE_BY_HOW = {
    "segment": 0.95,
    "sentence": 0.85,
    "pronoun": 0.8,
    "inherited": 0.7,
    "topic": 0.55,
    "none": 0.35,
}


@dataclass(frozen=True)
class _Article:
    text: str
    chip_positions: list[int]  # starts of chip mentions and counts, sorted
    chip_names: list[str]
    count_positions: list[int]  # starts of chip counts naming a chip, sorted
    count_chips: list[str]


class _SentenceCues:
    """Cue tests over a whole sentence, each run at most once however many figures ask."""

    __slots__ = ("_end", "_loose", "_next_model", "_start", "_text", "_tokens")

    def __init__(self, text: str, sentence: Sentence) -> None:
        self._text, self._start, self._end = text, sentence.start, sentence.end
        self._tokens: bool | None = None
        self._loose: bool | None = None
        self._next_model: bool | None = None

    @property
    def tokens(self) -> bool:
        if self._tokens is None:
            self._tokens = metrics.token_context(self._text, self._start, self._end)
        return self._tokens

    @property
    def loose_per_million(self) -> bool:
        if self._loose is None:
            found = _LOOSE_PER_MILLION.search(self._text, self._start, self._end)
            self._loose = found is not None
        return self._loose

    @property
    def next_model(self) -> bool:
        if self._next_model is None:
            self._next_model = metrics.mentions_next_model(self._text, self._start, self._end)
        return self._next_model


class _Slot(NamedTuple):
    """Where a figure sits in its sentence."""

    sentence: Sentence
    cues: _SentenceCues
    start: int
    end: int
    seg_left: int
    seg_right: int
    side_left: int  # where to look for input/output words: before a paired amount too
    asides: tuple[tuple[int, int], ...]
    breaks: list[int]
    cue_memo: dict[int, Cue | None]  # nearest cues by figure start, shared by the sentence
    owner: Candidate | None  # "GPT-4o ($2.50 and $10)": the name right before the brackets
    pair_side: str | None  # "$2.50 and $10" with no side said: input, then output


def _nearest_cue(text: str, slot: _Slot) -> Cue | None:
    """The metric cue nearest the figure: asked for its metric and again for restatements."""
    if slot.start not in slot.cue_memo:
        slot.cue_memo[slot.start] = metrics.nearest_cue(
            text, slot.seg_left, slot.start, slot.end, slot.seg_right, slot.asides
        )
    return slot.cue_memo[slot.start]


def _last_chip_before(article: _Article, pos: int, floor: int) -> str | None:
    i = bisect.bisect_left(article.chip_positions, pos) - 1
    if i >= 0 and article.chip_positions[i] >= floor:
        return article.chip_names[i]
    return None


def _last_counted_chip_before(article: _Article, pos: int, floor: int) -> str | None:
    """The chip of the latest count: the hardware actually used, not one named in passing."""
    i = bisect.bisect_left(article.count_positions, pos) - 1
    if i >= 0 and article.count_positions[i] >= floor:
        return article.count_chips[i]
    return _last_chip_before(article, pos, floor)


def _choose(
    cands: list[Candidate], cls: str, slot: _Slot, state: Discourse, exclude: str | None = None
) -> Choice:
    span = (slot.start, slot.end)
    segment = (slot.seg_left, slot.seg_right)
    prev = state.previous
    same = None
    if prev is not None and prev.sentence == slot.sentence.index and prev.subject:
        same = Choice(prev.subject, prev.subject_kind, "sentence")
    if slot.owner is not None and slot.owner.name != exclude:
        return Choice(slot.owner.name, slot.owner.kind, "segment")
    index = slot.sentence.index
    return choose_subject(cands, cls, span, segment, index, state, slot.breaks, exclude, same)


def _adjust_subject(choice: Choice, metric: str, state: Discourse, to_model: bool) -> str | None:
    """Map a lab to its current model for model metrics, and a model to its maker for lab ones."""
    if choice.name is None:
        return None
    if choice.kind == "lab" and to_model:
        return focus_model(state, choice.name) or choice.name
    if choice.kind in ("model", "product") and metric in metrics.LAB_METRICS:
        return state.maker_of(choice.name) or choice.name
    return choice.name


def _money_figure(
    article: _Article,
    slot: _Slot,
    amount: MoneyAmount,
    cands: list[Candidate],
    state: Discourse,
    prev_sentence: Sentence | None,
    previous: MoneyAmount | None,
    previous_figure: Figure | None,
) -> Figure | None:
    text = article.text
    s = slot.sentence
    per = amount.per
    side_from_unit = amount.token_side
    inferred_unit = False
    if per == "1M tokens" and amount.tokenless_per_million:
        left = prev_sentence.start if prev_sentence else s.start
        if not metrics.token_context(text, left, s.end):
            per = None
    series = previous is not None and _FROM_BEFORE.search(text, previous.end, slot.start)
    if per is None and previous is not None and series:
        per, side_from_unit = (
            previous.per,
            previous.token_side,
        )  # "to $4.50 per million ..., from $9"
    if per is None and slot.cues.tokens:
        near_side = metrics.has_side_word(
            text, max(slot.seg_left, slot.start - 40), min(slot.seg_right, slot.end + 40)
        )
        if (near_side or slot.cues.loose_per_million) and amount.value < _MAX_TOKEN_PRICE:
            per, inferred_unit = "1M tokens", True
    chip_subject = None
    if per in ("GPU hour", "chip"):
        if per == "chip":
            chip_subject = _last_chip_before(article, slot.end, s.start - 600)
        else:
            chip_subject = _last_chip_before(article, slot.start, s.start)
            chip_subject = chip_subject or _last_counted_chip_before(
                article, slot.start, s.start - 1500
            )
        if per == "chip" and chip_subject is None:
            per = None

    cue = None
    if per == "1M tokens":
        side: str | None
        said = metrics.token_side(text, slot.side_left, slot.start, slot.end, slot.seg_right)
        if amount.token_side is None and slot.pair_side is not None and said is None:
            side = slot.pair_side
        else:
            side = side_from_unit or said
        metric: str | None = f"inference_price_{side}" if side else "inference_price"
        cls = "model"
    elif per in ("GPU hour", "chip"):
        metric, cls = "other", "other"
    else:
        cue = _nearest_cue(text, slot)
        metric = cue.metric if cue else None
        if metric in metrics.LAB_METRICS and metric != "compute_spend":
            cls = "lab"
        elif metric in ("other", "compute_spend"):
            # "in compute" fits a model's training bill as well as a company's spending
            cls = "other"
        elif metric == "other":
            cls = "other"
        elif metric is None and per in ("month", "year"):
            cls = "sub"
        else:
            cls = "model"

    next_model = slot.cues.next_model
    if chip_subject is not None:
        choice = Choice(chip_subject, "chip", "segment")
    elif series and previous_figure is not None and metric is None:
        # "projected to reach $3.2 billion in 2026, up from $1.1 billion": the same series
        choice = Choice(previous_figure.subject, None, "sentence", previous_figure.metric)
        metric = previous_figure.metric
    elif metric == "funding" and (recipient := _recipient(text, slot, cands)) is not None:
        choice = Choice(recipient.name, recipient.kind, "segment")
    else:
        choice = _choose(cands, cls, slot, state)
    if metric is None:
        if choice.how == "inherited" and choice.inherited_metric:
            metric = choice.inherited_metric
        elif choice.kind == "model" or (choice.kind == "lab" and next_model):
            metric = "training_cost"  # "X cost $8 million", "its next model could cost $60M"
        elif choice.kind == "product":
            metric = "other"
        elif choice.kind == "sector" or metrics.weak_spend_cue(text, slot.seg_left, slot.seg_right):
            metric = "compute_spend"
        else:
            metric = "other"
    elif choice.kind == "model" and metric in ("compute_spend", "capex"):
        metric = "training_cost"  # a model's compute bill is its training cost
    if per in ("month", "year") and choice.kind == "product":
        metric = "other"

    if choice.name is None:
        return None  # money we cannot tie to anything about AI
    if cue is None and per is None and choice.how == "topic":
        return None  # no cue word and no subject in sight: likely not about AI
    if (
        metric == "other"
        and choice.kind not in ("product", "chip")
        and not (cue is not None and choice.how in ("segment", "sentence"))
    ):
        return None  # "other" is for subscriptions, chip prices and named deals only
    consumer_window = (max(slot.seg_left, slot.start - 80), min(slot.seg_right, slot.end + 40))
    if choice.kind not in ("product", "chip") and metrics.consumer_cue(text, *consumer_window):
        return None
    to_model = metric in metrics.MODEL_METRICS and not next_model
    subject = _adjust_subject(choice, metric, state, to_model)

    if per == "1M tokens":
        unit = f"{amount.currency}/1M tokens"
    elif per == "GPU hour":
        unit = f"{amount.currency}/GPU hour"
    else:
        unit = amount.currency
    confidence = _CONFIDENCE_BY_HOW[choice.how]
    if cue is None and per is None:
        confidence *= 0.85
    if inferred_unit or amount.tokenless_per_million:
        confidence *= 0.9
    return Figure(
        kind="cost",
        subject=subject,
        metric=metric,
        value=amount.value,
        value_high=amount.value_high,
        unit=unit,
        chip=None,
        qualifier=qualifier(
            text, slot.seg_left, slot.start, slot.end, amount.value_high is not None
        ),
        quote=text[s.start : s.end],
        start=amount.start,
        end=amount.end,
        confidence=confidence,
    )


def _chip_figure(
    article: _Article,
    slot: _Slot,
    count: ChipCount,
    cands: list[Candidate],
    state: Discourse,
    previous_figure: Figure | None,
) -> Figure | None:
    text = article.text
    s = slot.sentence
    chip = count.chip
    if count.same_chips:
        chip = _last_chip_before(article, slot.start, s.start - 600)
        if chip is None:
            return None
    if count.generic:
        explicit = any(not c.pronoun and slot.seg_left <= c.start < slot.seg_right for c in cands)
        if not explicit or _INDEFINITE_BEFORE.search(text, max(0, slot.start - 8), slot.start):
            return None  # "a 100,000-GPU cluster needs ...": generic or hypothetical
    metric = "gpu_hours" if count.hours else "chip_count"
    # A count can run past its segment's end (a line break inside "1\n H100s"); then
    # there are no words after it to read.
    noun = _NOUN_AFTER.match(text, slot.end, max(slot.end, slot.seg_right))
    right = slot.end + (len(noun.group()) if noun else 0)
    fleet = not count.hours and metrics.fleet_cue(text, slot.seg_left, right)
    cls = "model" if count.hours else ("fleet" if fleet else "chips")
    vendor = chip.split(" ", 1)[0] if chip else None  # catalogue names start with the vendor
    choice = _choose(cands, cls, slot, state, exclude=vendor)
    training = count.hours or (not fleet and metrics.training_cue(text, slot.seg_left, right))
    # "trains its models on 1,536 GPUs": the company's fleet, not one model's run
    to_model = (
        training
        and not slot.cues.next_model
        and not metrics.names_model_family(text, slot.seg_left, slot.start)
    )
    subject = _adjust_subject(choice, metric, state, to_model)
    coordinated = _COORDINATED_BEFORE.search(text, max(slot.seg_left, slot.start - 20), slot.start)
    if (
        coordinated is not None
        and previous_figure is not None
        and previous_figure.kind == "chips"
        and previous_figure.metric == metric
    ):
        subject = previous_figure.subject  # "trained on 4,000 H800s ..., plus 2,048 910Bs"
    confidence = _CONFIDENCE_BY_HOW[choice.how] * (0.8 if chip is None else 1.0)
    return Figure(
        kind="chips",
        subject=subject,
        metric=metric,
        value=count.value,
        value_high=None,
        unit="GPU hours" if count.hours else "chips",
        chip=chip,
        qualifier=qualifier(text, slot.seg_left, slot.start, slot.end, False),
        quote=text[s.start : s.end],
        start=count.start,
        end=count.end,
        confidence=confidence,
    )


def _close(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= 0.005 * max(abs(a), abs(b))


def _is_restatement(
    fig: Figure, kept: list[Figure], explicit_in_sentence: bool, strong_metric: bool
) -> bool:
    """A figure already recorded: same subject and metric, or the same number said again."""
    for old in kept:
        if old.kind != fig.kind or old.unit != fig.unit or not _close(old.value, fig.value):
            continue
        if (old.value_high is None) != (fig.value_high is None):
            continue
        if old.subject == fig.subject and old.metric == fig.metric:
            return True
        if not explicit_in_sentence and (not strong_metric or old.metric == fig.metric):
            return True
    return False


def extract_figures(text: str, lexicon: Lexicon | None = None) -> list[Figure]:
    """Cost and chip figures in article `text`, in order of appearance."""
    lexicon = lexicon or load_lexicon()
    counts, chip_mentions = find_chips(text, lexicon)
    money = find_money(text)
    if not counts and not money:
        return []
    if counts and money:
        money_spans = [(m.start, m.end) for m in money]
        counts = [c for c in counts if not any(a < c.end and c.start < b for a, b in money_spans)]
    chip_spans = [(c.start, c.end) for c in chip_mentions] + [(c.start, c.end) for c in counts]
    chip_points = sorted(
        [(c.start, c.chip) for c in chip_mentions] + [(c.start, c.chip) for c in counts if c.chip]
    )
    counted = [(c.start, c.chip) for c in counts if c.chip]
    article = _Article(
        text,
        [p for p, _ in chip_points],
        [n or "" for _, n in chip_points],
        [p for p, _ in counted],
        [n or "" for _, n in counted],
    )
    inside_chip = _SpanCover(chip_spans)
    mentions = [m for m in find_mentions(text, lexicon) if not inside_chip(m.start, m.end)]
    items: list[MoneyAmount | ChipCount] = sorted([*money, *counts], key=lambda x: x.start)

    state = Discourse()
    kept: list[Figure] = []
    mention_i = item_i = 0
    previous_sentence: Sentence | None = None
    for sentence in split_sentences(text):
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
        if not figures_here:
            if here:
                resolve_mentions(text, sentence, here, state, asides_in(text, sentence))
            previous_sentence = sentence
            continue
        asides = tuple(asides_in(text, sentence))
        cands = resolve_mentions(text, sentence, here, state, list(asides)) if here else []
        explicit = any(not c.pronoun for c in cands)
        breaks = clause_breaks_in(text, sentence)
        cues = _SentenceCues(text, sentence)
        cue_memo: dict[int, Cue | None] = {}
        side_left = sentence.start
        last_here: Figure | None = None
        for i, item in enumerate(figures_here):
            seg_left = figures_here[i - 1].end if i else sentence.start
            seg_right = figures_here[i + 1].start if i + 1 < len(figures_here) else sentence.end
            if not (i and _CONNECTOR_ONLY.fullmatch(text, seg_left, item.start)):
                side_left = seg_left
            slot = _Slot(
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
                _owner(text, sentence, item.start, cands),
                _pair_side(text, figures_here, i),
            )
            if isinstance(item, MoneyAmount):
                before = figures_here[i - 1] if i else None
                paired = before if isinstance(before, MoneyAmount) else None
                fig = _money_figure(
                    article, slot, item, cands, state, previous_sentence, paired, last_here
                )
                strong = fig is not None and (
                    item.per is not None or _nearest_cue(text, slot) is not None
                )
            else:
                fig = _chip_figure(article, slot, item, cands, state, last_here)
                strong = True
            if fig is None or not (math.isfinite(fig.value) and fig.value > 0):
                continue
            if _is_restatement(fig, kept, explicit, strong):
                continue
            refined = _refined(fig, kept, state)
            if refined is not None:
                kept[refined] = replace(kept[refined], subject=fig.subject, metric=fig.metric)
                continue
            kept.append(fig)
            last_here = fig
            if fig.subject in article.chip_names or fig.subject in article.count_chips:
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
    return kept


def _recipient(text: str, slot: _Slot, cands: list[Candidate]) -> Candidate | None:
    """The lab money goes to: "Amazon has committed $8 billion to Anthropic"."""
    for c in cands:
        if (
            c.kind == "lab"
            and c.start >= slot.end
            and _RECIPIENT_GAP.fullmatch(text, slot.end, c.start)
        ):
            return c
    return None


def _refined(fig: Figure, kept: list[Figure], state: Discourse) -> int | None:
    """An earlier, vaguer statement of the same price that `fig` pins down.

    A headline's "cuts prices to €0.20 per million tokens" for the company is the body's
    "€0.20 per million input tokens for its Corail-2 Small model": one figure, recorded at
    its first occurrence with the body's model and side.
    """
    if fig.metric not in ("inference_price_input", "inference_price_output"):
        return None
    for i, old in enumerate(kept):
        if (
            old.metric == "inference_price"
            and old.unit == fig.unit
            and _close(old.value, fig.value)
            and old.value_high is None
            and fig.value_high is None
            and old.subject in (fig.subject, state.maker_of(fig.subject or ""))
        ):
            return i
    return None


def _owner(text: str, sentence: Sentence, start: int, cands: list[Candidate]) -> Candidate | None:
    """The mention right before an open bracket that holds the figure: "Corail-2 (€1.50 ...)"."""
    bracket = text.rfind("(", sentence.start, start)
    if bracket < 0 or text.find(")", bracket, start) >= 0:
        return None
    for c in cands:
        if c.end <= bracket and _OWNER_GAP.fullmatch(text, c.end, bracket):
            return c
    return None


def _pair_side(text: str, items: list[MoneyAmount | ChipCount], i: int) -> str | None:
    """Input for the lower and output for the higher of two unit-less amounts joined by "and"."""
    item = items[i]
    if not isinstance(item, MoneyAmount) or item.token_side is not None:
        return None
    for other, side in (
        (items[i + 1] if i + 1 < len(items) else None, "input"),
        (items[i - 1] if i else None, "output"),
    ):
        if not isinstance(other, MoneyAmount) or other.token_side is not None:
            continue
        first, second = (item, other) if side == "input" else (other, item)
        if first.value < second.value and _PAIR_JOIN.fullmatch(text, first.end, second.start):
            return side
    return None


class _SpanCover:
    """Whether a span lies inside any of a set of spans: bisect over a running maximum of ends."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self._starts = [a for a, _ in spans]
        self._reach: list[int] = []
        reach = -1
        for _, b in spans:
            reach = max(reach, b)
            self._reach.append(reach)

    def __call__(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start) - 1
        return i >= 0 and self._reach[i] >= end


def _subject_kind(subject: str | None, state: Discourse) -> str | None:
    if subject is None:
        return None
    if subject == "AI industry":
        return "sector"
    return "model" if subject in state.makers else "lab"
