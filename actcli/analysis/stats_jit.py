"""The passes of a statistics summary (`analysis.stats`) as compiled loops (Numba): the
histogram, minimum and maximum of the values, the moments of a sample, and a function's
dead, saturated and small-slope counts, each in one pass where NumPy makes several.

They give what the NumPy passes give: the same counts and extremes, the same sums per
bin (added in the values' order, as np.bincount adds them), and moments to rounding
(sums in vector lanes, where NumPy sums pairwise). `stats` uses them where
`compute.compiled_kernels` says the compiled engine is on. Importing this module
imports Numba.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np

from actcli.catalog._jitlib import OPTIONS, njit

# As in analysis.stats: the bin of a float64 is the top bits of its pattern, negative
# values made to count down (stats._ordered).
_SHIFT = 44
_HALF = 1 << 19


@njit
def histogram(x: Any, counts: Any, sums: Any, squares: Any, touched: Any) -> tuple[int, float, float]:
    """Add the values (float64, no NaN) to the dense `counts`, `sums` and `squares`, each
    bin that was empty noted in `touched`; returns (bins touched, minimum, maximum)."""
    hits = 0
    low, high = np.inf, -np.inf
    patterns = x.view(np.int64)
    for i in range(x.size):
        value = x[i]
        keys = patterns[i] >> _SHIFT
        k = (keys ^ ((keys >> 63) & (_HALF - 1))) + _HALF
        if counts[k] == 0:
            touched[hits] = k
            hits += 1
        counts[k] += 1
        sums[k] += value
        squares[k] += value * value
        low = min(low, value)
        high = max(high, value)
    return hits, low, high


# Sums reassociated, so that LLVM adds in vector lanes: the order changes, the rounding
# stays that of a sum (a tree of lanes, as NumPy's pairwise sum is a tree).
_reduction = numba.njit(fastmath={"reassoc"}, **OPTIONS)


@_reduction
def moments(v: Any) -> tuple[int, float, float, int, int, int]:
    """(finite count, their mean, their sum of squared deviations, +inf count, -inf
    count, NaN count) of `v`, in two passes (a third to tell the others apart, if any)."""
    total = 0.0
    finite = 0
    for i in range(v.size):
        value = v[i]
        usable = abs(value) < np.inf  # (False for NaN)
        total += value if usable else 0.0
        finite += usable
    positive = negative = missing = 0
    if finite < v.size:
        for i in range(v.size):
            value = v[i]
            missing += value != value
            positive += value == np.inf
            negative += value == -np.inf
    if not finite:
        return 0, 0.0, 0.0, positive, negative, missing
    mean = total / finite
    deviations = 0.0
    for i in range(v.size):
        value = v[i]
        deviation = value - mean
        deviations += deviation * deviation if abs(value) < np.inf else 0.0
    return finite, mean, deviations, positive, negative, missing


@njit
def tally(x: Any, slope: Any, low: float, high: float, limit: float) -> tuple[int, int, int]:
    """(dead: f'(x) = 0, saturated: in a tail (x < low or x > high) with f'(x) != 0,
    below: |f'(x)| < limit) counts, as `stats` counts them with NumPy."""
    dead = flat = below = 0
    for i in range(x.size):
        g = slope[i]
        dead += g == 0
        flat += (x[i] < low or x[i] > high) and g != 0
        below += abs(g) < limit
    return dead, flat, below
