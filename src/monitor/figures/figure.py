"""The Figure record and its JSON form (LABELING.md fields plus provenance)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import PurePath

# Bump when the extractor's output changes; stored with each figure so that
# re-extraction with a newer version can replace older rows.
EXTRACTOR_VERSION = "1.38.0"


@dataclass(frozen=True)
class Figure:
    kind: str  # "cost" | "chips"
    subject: str | None  # canonical: "DeepSeek-R1", "OpenAI", "AI industry", ...
    metric: str  # training_cost, inference_price_input, ..., chip_count, gpu_hours, other
    value: float
    value_high: float | None
    unit: str  # "USD", "CNY", "USD/1M tokens", "chips", "GPU hours", "USD/GPU hour", "USD/MW"
    chip: str | None  # "Nvidia H800" for chip figures, else None
    qualifier: str  # exact | approx | at_least | at_most | range | projection
    quote: str  # the sentence containing the figure, exactly as in the text
    start: int  # offsets of the figure's surface text in the article text
    end: int
    confidence: float  # 0..1: how sure the value and its attribution are

    def __post_init__(self) -> None:
        # "$4.1 billion" is 4.1 * 1e9, which binary floating point makes 4099999999.9999995;
        # no report writes more than 12 significant digits, so the value keeps that many
        object.__setattr__(self, "value", _tidy(self.value))
        if self.value_high is not None:
            object.__setattr__(self, "value_high", _tidy(self.value_high))


def _tidy(value: float) -> float:
    return float(f"{value:.12g}") if math.isfinite(value) else value


def _number(value: float | None) -> float | int | None:
    """Whole numbers as ints in JSON (294000, not 294000.0)."""
    if value is None:
        return None
    if math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def figure_to_dict(fig: Figure, file: str | None = None) -> dict[str, object]:
    """The JSON object `monitor extract --format jsonl` prints for one figure."""
    row: dict[str, object] = {}
    if file is not None:
        row["file"] = file
        row["article"] = PurePath(file).name.split(".")[0]
    row.update(
        {
            "kind": fig.kind,
            "subject": fig.subject,
            "metric": fig.metric,
            "value": _number(fig.value),
            "value_high": _number(fig.value_high),
            "unit": fig.unit,
            "chip": fig.chip,
            "qualifier": fig.qualifier,
            "quote": fig.quote,
            "confidence": round(fig.confidence, 2),
            "start": fig.start,
            "end": fig.end,
            "extractor_version": EXTRACTOR_VERSION,
        }
    )
    return row
