"""A real interval with open or closed ends: output ranges of activations."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Interval:
    """A real interval; `low_closed`/`high_closed` say whether the end is attained."""

    low: float
    high: float
    low_closed: bool = False
    high_closed: bool = False

    def __str__(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{format_bound(self.low)}, {format_bound(self.high)}{right}"

    @property
    def bounded_below(self) -> bool:
        return math.isfinite(self.low)

    @property
    def bounded_above(self) -> bool:
        return math.isfinite(self.high)


def format_bound(value: float) -> str:
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    return format(value, ".6g")
