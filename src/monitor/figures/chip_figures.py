"""A chip count in its slot becomes a chips figure, or nothing.

A count is about the lab whose fleet it is ("holds 350,000 H100s") or the
model it trained ("trained on 2,048 H800s"); its chip is the one named, or
the one named before for "N of the same chips". Generic counts ("a
100,000-GPU cluster") need an explicit subject in their stretch and no "a"
before them.
"""

from __future__ import annotations

import re

from monitor.figures import metrics
from monitor.figures.attribution import Candidate, Discourse
from monitor.figures.chip_index import ChipIndex
from monitor.figures.chips import UNIT_OF_CHIPS, ChipCount
from monitor.figures.figure import Figure
from monitor.figures.qualifiers import qualifier
from monitor.figures.slots import Slot
from monitor.figures.subjects import CONFIDENCE_BY_HOW, adjust_subject, choose

# "2,000+ H200s": a count with a plus sign glued on is a floor
_PLUS_AFTER_COUNT = re.compile(r"[\d,.]+[kKM]?\+")
_NOUN_AFTER = re.compile(r"[^,;.:()]{0,12}")  # the words right after a count, up to punctuation
_COORDINATED_BEFORE = re.compile(r"(?:,\s*|\s)(?:plus|as\s+well\s+as|along\s+with)\s+$")
_INDEFINITE_BEFORE = re.compile(r"(?i:\b(?:a|an|any|each|per)\s+$)")
# Catalogue names that stand for a family ("TPU hours"): hours on them are on the model counted.
_FAMILY_NAMES = frozenset({"Google TPU"})
# How far before a figure's sentence a chip named earlier still counts ("N of the same chips",
# GPU hours on the chips counted before).
_EARLIER_CHIP_REACH = 600
# "about", "more than": words that may stand between a verb and its count
_ROUGHLY = r"about|around|roughly|some|nearly|over|more\s+than|just"
# A count right after "on", "using" or "across" (a cluster of): the hardware something ran on.
_RAN_ON_BEFORE = re.compile(
    r"(?i:\b(?:on|using|across)\s+(?:(?:an?|the)\s+(?:cluster|fleet)\s+of\s+)?"
    rf"(?:(?:{_ROUGHLY})\s+)?$)"
)
# A run's pools listed after a colon: "Tern-4 was trained on capacity leased from Pellucid in
# two pools: a pretraining cluster of 8,192 H100s, and a second pool of 2,048 H200s" (where
# "Orrery trains on rented capacity: a cluster of ..." is the company's habit, so its fleet).
_POOL_BEFORE = re.compile(
    r"(?i:(?::|,\s+and)\s+(?:an?|the)\s+(?:[\w-]+\s+)?(?:cluster|pool)\s+of\s+"
    rf"(?:(?:{_ROUGHLY})\s+)?$)"
)
# "Huawei is expected to ship about 900,000 Ascend 910C chips": counted by who sells them,
# which may be their own vendor.
_SHIPPED_BEFORE = re.compile(
    r"(?i:\b(?:ship(?:s|ped|ping)?|deliver(?:s|ed|ing)?|s(?:ell|ells|old|elling)|"
    rf"suppl(?:y|ies|ied|ying))\s+(?:(?:{_ROUGHLY}|up\s+to|an\s+estimated)\s+)?$)"
)
# "... to sell 12,000 MI325X accelerators to Sarab Cloud": then they are the buyer's
_BUYER_AFTER = re.compile(r"[^,;.]{0,40}?\sto\s+[A-Z]")
_RUN_METRICS = frozenset({"training_cost", "gpu_hours"})
# "a rack of 72 GB200 chips", "a server with eight H100s": what one unit holds, no fleet
_UNIT_OF_BEFORE = re.compile(
    r"(?i:\b(?:a|an|one|each|every|per|the)\s+(?:single\s+|full\s+|whole\s+)?"
    rf"{UNIT_OF_CHIPS}\s+(?:of|with|holding)\s+$)"
)
_HOURS_CHIP_AFTER = 30


def chip_figure(
    text: str,
    chips: ChipIndex,
    slot: Slot,
    count: ChipCount,
    cands: list[Candidate],
    state: Discourse,
    previous_figure: Figure | None,
) -> Figure | None:
    s = slot.sentence
    chip = count.chip
    if count.same_chips:
        chip = chips.last_chip_before(slot.start, s.start - _EARLIER_CHIP_REACH)
        if chip is None:
            return None
    if count.hours and (chip is None or chip in _FAMILY_NAMES):
        # "2.3 million GPU hours on Nvidia H100s"; "on 2,048 H800s ... 2.788 million GPU
        # hours": the hours are on the chips named right after, else on the chips counted
        used = chips.first_chip_after(
            slot.end, min(s.end, slot.end + _HOURS_CHIP_AFTER)
        ) or chips.last_counted_chip_before(slot.start, s.start - _EARLIER_CHIP_REACH)
        if used is not None and used.startswith(chip or ""):
            chip = used
    if not count.hours and _UNIT_OF_BEFORE.search(text, max(0, slot.start - 40), slot.start):
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
    ran_on = _RAN_ON_BEFORE.search(text, max(slot.seg_left, slot.start - 40), slot.start)
    # "the model was trained on a cluster of 32,768 B200s": a run's chips, not a fleet
    trained_on = (ran_on is not None and metrics.training_cue(text, slot.seg_left, slot.start)) or (
        text.find(" trained ", s.start, slot.start) >= 0
        and _POOL_BEFORE.search(text, max(s.start, slot.start - 60), slot.start) is not None
    )
    fleet = not count.hours and not trained_on and metrics.fleet_cue(text, slot.seg_left, right)
    shipped = (
        not count.hours
        and _SHIPPED_BEFORE.search(text, max(slot.seg_left, slot.start - 40), slot.start)
        and not _BUYER_AFTER.match(text, slot.end, slot.seg_right)
    )
    cls = "model" if count.hours else ("fleet" if fleet or shipped else "chips")
    # catalogue names start with the vendor, who owns no count of its own chips but a shipment
    vendor = chip.split(" ", 1)[0] if chip and not shipped else None
    choice = choose(cands, cls, slot, state, exclude=vendor)
    training = count.hours or (not fleet and metrics.training_cue(text, slot.seg_left, right))
    # "trains its models on 1,536 GPUs": the company's fleet, not one model's run
    to_model = (
        training
        and not slot.cues.next_model
        and not metrics.names_model_family(text, slot.seg_left, slot.start)
    )
    subject = adjust_subject(choice, metric, state, to_model)
    coordinated = _COORDINATED_BEFORE.search(text, max(slot.seg_left, slot.start - 20), slot.start)
    if (
        coordinated is not None
        and previous_figure is not None
        and previous_figure.kind == "chips"
        and previous_figure.metric == metric
    ):
        subject = previous_figure.subject  # "trained on 4,000 H800s ..., plus 2,048 910Bs"
    elif (
        previous_figure is not None
        and previous_figure.metric in _RUN_METRICS
        and previous_figure.subject is not None
        and ran_on is not None
    ):
        # "the final run of V3 cost $5.576 million, on a cluster of 2,048 H800s": the chips
        # the run just costed ran on.
        subject = previous_figure.subject
    confidence = CONFIDENCE_BY_HOW[choice.how] * (0.8 if chip is None else 1.0)
    return Figure(
        kind="chips",
        subject=subject,
        metric=metric,
        value=count.value,
        value_high=None,
        unit="GPU hours" if count.hours else "chips",
        chip=chip,
        qualifier="at_least"
        if _PLUS_AFTER_COUNT.match(text, count.start)
        else qualifier(text, slot.seg_left, slot.start, slot.end, False),
        quote=text[s.start : s.end],
        start=count.start,
        end=count.end,
        confidence=confidence,
    )
