"""The grid on which properties are scanned: measured for catalog records (|f'|) and
for formulas (range, kinks, monotonicity) alike.

|f'| is scanned on [-GRID_HALF_WIDTH, GRID_HALF_WIDTH] at GRID_STEP, plus the kinks and
the limits at +-inf, then the best grid point is refined by golden-section search.
"""

from __future__ import annotations

import numpy as np

GRID_HALF_WIDTH = 50.0
GRID_STEP = 0.005


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: np.unique's result without np.unique, which imports
    numpy.ma on its first use (20-30 ms of a command's start, an explorer's first frame)."""
    ordered = np.sort(values)
    return ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges [lo, hi] of consecutive True values."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), stops.tolist()))
