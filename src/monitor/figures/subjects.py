"""A figure's subject from its slot: the choice, the lab/model switch, the confidence.

`choose` asks attribution for the best mention, after the slot's own owner (the
name before the bracket holding the figure) and the previous figure of the same
sentence. `adjust_subject` maps a lab to the model it is talking about for model
metrics ("DeepSeek's training bill" is DeepSeek-V3's), and a model to its maker
for company metrics.
"""

from __future__ import annotations

from monitor.figures import metrics
from monitor.figures.attribution import Candidate, Choice, Discourse, choose_subject, focus_model
from monitor.figures.slots import Slot

# How sure a figure is, by how its subject was found.
CONFIDENCE_BY_HOW = {
    "segment": 0.95,
    "sentence": 0.85,
    "pronoun": 0.8,
    "inherited": 0.7,
    "topic": 0.55,
    "none": 0.35,
}


def choose(
    cands: list[Candidate], cls: str, slot: Slot, state: Discourse, exclude: str | None = None
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


def adjust_subject(choice: Choice, metric: str, state: Discourse, to_model: bool) -> str | None:
    """Map a lab to its current model for model metrics, and a model to its maker for lab ones."""
    if choice.name is None:
        return None
    if choice.kind == "lab" and to_model:
        return focus_model(state, choice.name) or choice.name
    if choice.kind in ("model", "product") and metric in metrics.LAB_METRICS:
        return state.maker_of(choice.name) or choice.name
    return choice.name
