"""Figures said twice: a restatement is dropped, a vaguer first statement is refined.

An article repeats its key figures (headline, lede, body). A figure with the
same value as one already kept is the same figure when it has the same subject
and metric, or when its sentence names nothing that could make it another one.
A headline's company-level token price that the body pins to one model and side
is the body's figure, kept at its first occurrence.
"""

from __future__ import annotations

from monitor.figures.attribution import Discourse
from monitor.figures.figure import Figure


def close(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= 0.005 * max(abs(a), abs(b))


def is_restatement(
    fig: Figure, kept: list[Figure], explicit_in_sentence: bool, strong_metric: bool
) -> bool:
    """A figure already recorded: same subject and metric, or the same number said again."""
    for old in kept:
        if old.kind != fig.kind or old.unit != fig.unit or not close(old.value, fig.value):
            continue
        if (old.value_high is None) != (fig.value_high is None):
            continue
        if old.subject == fig.subject and old.metric == fig.metric:
            return True
        if not explicit_in_sentence and (not strong_metric or old.metric == fig.metric):
            return True
    return False


def refined_index(fig: Figure, kept: list[Figure], state: Discourse) -> int | None:
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
            and close(old.value, fig.value)
            and old.value_high is None
            and fig.value_high is None
            and old.subject in (fig.subject, state.maker_of(fig.subject or ""))
        ):
            return i
    return None
