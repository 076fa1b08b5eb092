"""Properties of an elementwise activation, derived from its record and its numerics.

Declared in the record (and checked by the test suite): output range, monotonicity,
smoothness, kinks and the kink rule. Computed here: bounds, zero-centring, f(0), f'(0),
saturation (f' -> 0 at an infinity) and the largest |f'| with where it occurs.

Here too is the one definition of where an input is dead or saturated, which `stats`,
`plot --data`, `depth`, `info` and the explorers share: dead where f'(x) = 0 exactly;
saturated in a flat tail, on a side where f' tends to 0 (`saturates`), beyond the last
point where |f'| is still `share` of max |f'| (`saturation_bounds`), and not dead. A
small constant slope (leaky_relu's 0.01) is not a tail, nor is a stationary point
inside the range (gelu' = 0 near x = -0.75).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from actcli.catalog.interval import Interval
from actcli.catalog.scan import GRID_HALF_WIDTH, GRID_STEP, runs, sorted_unique

_SAME = 1e-12  # relative tolerance for "the same |f'|" along a plateau
# Peaks of |f'| on the grid within this share of the highest are refined too (up to
# _MOST_PEAKS of them, nearest 0 first): the grid samples each at another phase.
_NEAR_PEAK, _MOST_PEAKS = 1e-3, 16
_MIRROR = 1e-6  # refined peaks this close in |x| are a pair +-x (the search is not symmetric)
# |f'| without a limit at an infinity grows without bound if it is this many times
# larger near the largest float than near 1e30.
_GROWTH = 1e6
# A tail is saturated where |f'| has fallen below this share of max |f'| for good.
DEFAULT_SATURATION = 0.05
# How often GRID_HALF_WIDTH doubles before it passes the largest float.
_DOUBLINGS = int(math.log2(np.finfo(float).max / GRID_HALF_WIDTH)) + 1


@dataclass(frozen=True)
class Properties:
    output_range: Interval
    bounded_below: bool
    bounded_above: bool
    monotonic: str
    zero_centred: bool
    smoothness: str
    saturates: str  # "both", "left" (x -> -inf), "right" or "no"
    f0: float
    df0: float
    max_abs_grad: float
    max_abs_grad_at: str  # "x = 0", "x > 0", "-3 < x < 3", "x -> +inf", ... (6 digits)
    # The same place exactly: max_abs_grad_where names its numbers x1, x2, ...
    # ("x1 < x < x2") and max_abs_grad_x holds them at full precision.
    max_abs_grad_where: str
    max_abs_grad_x: tuple[float, ...]
    kinks: tuple[float, ...]
    kink_rule: str


class Activation(Protocol):
    """What the analysis reads of a bound elementwise activation (`spec.Activation`)."""

    spec: Any

    def f(self, x: Any) -> Any: ...
    def df(self, x: Any) -> Any: ...
    @property
    def output_range(self) -> Interval: ...
    @property
    def monotonic(self) -> str: ...
    @property
    def smoothness(self) -> str: ...
    @property
    def kinks(self) -> tuple[float, ...]: ...


def analyse(act: Activation) -> Properties:
    rng = act.output_range
    f0, df0 = float(act.f(0.0)), float(act.df(0.0))
    left_flat, right_flat = (_slope_at_infinity(act, side) == 0 for side in (-1, 1))
    saturates = {(True, True): "both", (True, False): "left", (False, True): "right"}.get(
        (left_flat, right_flat), "no")
    value, where = max_abs_grad(act)
    points = [float(text) for text in _POINT.findall(where)]
    count = iter(range(1, len(points) + 1))
    return Properties(
        output_range=rng,
        bounded_below=rng.bounded_below,
        bounded_above=rng.bounded_above,
        monotonic=act.monotonic,
        zero_centred=f0 == 0 and rng.low < 0 < rng.high,
        smoothness=act.smoothness,
        saturates=saturates,
        f0=f0,
        df0=df0,
        max_abs_grad=value,
        max_abs_grad_at=_POINT.sub(lambda m: format(float(m[1]), ".6g"), where),
        max_abs_grad_where=_POINT.sub(lambda m: f"x{next(count)}", where),
        max_abs_grad_x=tuple(points),
        kinks=act.kinks,
        kink_rule=act.spec.kink_rule,
    )


def saturation_bounds(act: Activation, share: float = DEFAULT_SATURATION) -> tuple[float, float]:
    """(low, high): x < low is the saturated left tail, x > high the right one (-inf and
    inf where there is none). A tail starts past the last point where |f'| >= share *
    max |f'| (to a float's precision), on a side where f' tends to 0."""
    limit = share * act.properties.max_abs_grad
    saturates = act.properties.saturates
    if not (math.isfinite(limit) and limit > 0):  # f' unbounded, or 0 everywhere
        return -math.inf, math.inf
    low = _tail_start(act, -1, limit) if saturates in ("left", "both") else -math.inf
    high = _tail_start(act, 1, limit) if saturates in ("right", "both") else math.inf
    return low, high


def describe_tails(bounds: tuple[float, float]) -> str:
    """The saturated tails in words: "|x| > 2.18", "x < -2.28", "x < -3 or x > 5" ("" if none)."""
    low, high = bounds
    if math.isfinite(low) and math.isfinite(high):
        return f"|x| > {high:.3g}" if low == -high else f"x < {low:.3g} or x > {high:.3g}"
    return f"x < {low:.3g}" if math.isfinite(low) else f"x > {high:.3g}" if math.isfinite(high) else ""


def saturated(x: np.ndarray, slope: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    """Where x lies in a saturated tail (`saturation_bounds`) with f'(x) = `slope` != 0:
    a zero slope is dead, not saturated."""
    low, high = bounds
    return ((x < low) | (x > high)) & (slope != 0)


def _tail_start(act: Activation, side: int, limit: float) -> float:
    """The outermost x on `side` with |f'(x)| >= limit: past it, towards side * inf,
    |f'| stays below the limit. Scanned on the property grid from its far end inwards
    (and beyond it in doublings where f' decays slowly), then narrowed down to adjacent
    floats between the last point above the limit and the next one out. A tail where f'
    is 0 throughout (relu's x < 0, hardtanh's beyond the clip) is dead, not saturated:
    then there is none (+-inf)."""
    count = int(round(2 * GRID_HALF_WIDTH / GRID_STEP)) + 1
    grid = np.linspace(-GRID_HALF_WIDTH, GRID_HALF_WIDTH, count)[::-side]
    first = _first_above(act, grid, limit)
    if first is None:
        return -side * math.inf  # |f'| < limit everywhere on the grid: all of it is tail
    if first and not np.any(act.df(grid[:first])):
        return side * math.inf
    if first == 0:  # still above at the grid's end: look further out
        doublings = np.ldexp(side * GRID_HALF_WIDTH, np.arange(1, _DOUBLINGS))
        out = doublings[::-1]
        first = _first_above(act, out, limit)
        if first == 0:
            return side * math.inf  # above the limit up to the largest float
        inner = float(out[first]) if first is not None else side * GRID_HALF_WIDTH
        outer = float(out[first - 1] if first else out[-1])
    else:
        inner, outer = float(grid[first]), float(grid[first - 1])
    while True:  # |f'(inner)| >= limit > |f'(outer)|: 64 points in between at a time
        points = np.linspace(outer, inner, 66)[1:-1]
        found = _first_above(act, points, limit)
        inner, outer = ((float(points[found]), float(points[found - 1] if found else outer))
                        if found is not None else (inner, float(points[-1])))
        if np.nextafter(inner, outer) == outer:
            return inner


def _first_above(act: Activation, x: np.ndarray, limit: float) -> int | None:
    """The index of the first x with |f'(x)| >= limit (or NaN, where nothing is claimed)."""
    above = ~(np.abs(np.asarray(act.df(x), dtype=np.float64)) < limit)
    return int(np.argmax(above)) if above.any() else None


def _slope_at_infinity(act: Activation, side: int) -> float:
    """f'(+-inf); for a formula whose arithmetic gives NaN there (inf/inf), f' at the
    largest finite input instead."""
    slope = float(act.df(side * math.inf))
    return float(act.df(side * np.finfo(float).max)) if math.isnan(slope) else slope


def max_abs_grad(act: Activation) -> tuple[float, str]:
    """sup |f'| over the real line and a description of where it is reached, with each
    number in it as {repr} (see analyse)."""
    kinks = np.array(act.kinks, dtype=float)
    count = int(round(2 * GRID_HALF_WIDTH / GRID_STEP)) + 1
    grid = sorted_unique(np.concatenate([np.linspace(-GRID_HALF_WIDTH, GRID_HALF_WIDTH, count), kinks]))
    g = np.abs(act.df(grid))
    # A custom formula's f' can be NaN where it is undefined (sqrt(x) for x < 0): the
    # sup is over the points where f' exists.
    limits = {side: value for side in (-1, 1)
              if not math.isnan(value := _abs_slope_far_out(act, side))}
    if np.all(np.isnan(g)) and not limits:
        return math.nan, "undefined"
    on_grid = float(np.nanmax(g)) if not np.all(np.isnan(g)) else 0.0
    best = max([on_grid, *limits.values()])
    if math.isinf(best):
        sides = [s for s, v in limits.items() if math.isinf(v)]
        if sides:
            return best, _at_infinity(sides)
        return best, " or ".join(f"x = {_fmt(x)}" for x in grid[np.isinf(g)][:3])

    on_plateau = np.nan_to_num(g, nan=-1.0) >= best * (1 - _SAME)
    plateaus = runs(on_plateau)
    if plateaus and all(lo == hi and 0 < lo < len(grid) - 1 for lo, hi in plateaus):
        return _highest_peaks(act, grid, g, [lo for lo, _ in plateaus], kinks)

    smooth = act.smoothness == "Cinf"
    pieces = []
    for lo, hi in plateaus:
        reaches_left, reaches_right = lo == 0, hi == len(grid) - 1
        if reaches_left and reaches_right:
            pieces.append("everywhere")
        elif smooth and (reaches_left or reaches_right):
            # A smooth function that is flat to rounding far out approaches its sup there.
            pieces.append(_at_infinity([-1] if reaches_left else [1]))
        else:
            pieces.append(_describe_run(grid, lo, hi, kinks))
    if pieces == ["x -> -inf", "x -> +inf"]:
        pieces = ["|x| -> inf"]
    elif not pieces:  # the sup is approached only in the limits at +-inf
        pieces = [_at_infinity([s for s, v in limits.items() if v == best] or [-1, 1])]
    return best, " or ".join(pieces)


def _abs_slope_far_out(act: Activation, side: int) -> float:
    """|f'| towards side * inf: its limit; where f' has none there (NaN: gcu, sine), inf
    if |f'| grows without bound (gcu's cos x - x sin x: 1e306 near the largest float,
    1e30 near 1e30), else NaN (sine's f' oscillates within bounds); for a formula whose
    arithmetic gives NaN there (inf/inf), the limit its values settle on far out."""
    slope = abs(float(act.df(side * math.inf)))
    if not math.isnan(slope):
        return slope
    with np.errstate(all="ignore"):
        far = np.abs(np.asarray(act.df(side * np.ldexp(1.0, np.arange(1023, 1007, -1))), dtype=float))
        near = np.abs(np.asarray(act.df(side * np.ldexp(1.0, np.arange(100, 84, -1))), dtype=float))
    if np.isnan(far).all():
        return math.nan
    if np.nanmax(far) > _GROWTH * np.nanmax(near, initial=0.0):
        return math.inf
    settled = np.nanmax(far) - np.nanmin(far) <= _SAME * np.nanmax(far)
    return float(far[0]) if settled else math.nan


def _highest_peaks(act: Activation, grid: np.ndarray, g: np.ndarray, best: list[int],
                   kinks: np.ndarray) -> tuple[float, str]:
    """max |f'| and where, for isolated peaks: the grid points `best` and the other local
    maxima of |f'| within _NEAR_PEAK of them (a periodic f' peaks once a period, and the
    grid samples each peak at another phase) refined, the _MOST_PEAKS nearest 0 first;
    of those that reach the maximum, the one nearest 0 (a pair +-x: both)."""
    top = float(np.nanmax(g[best]))
    inner = g[1:-1]
    with np.errstate(invalid="ignore"):
        peaks = 1 + np.flatnonzero((inner >= g[:-2]) & (inner >= g[2:])
                                   & (inner >= top * (1 - _NEAR_PEAK)))
    nearest = sorted({*best, *peaks.tolist()}, key=lambda i: abs(grid[i]))[:_MOST_PEAKS]
    refined = _refine(act, grid, nearest, kinks)
    value = max(v for v, _ in refined)
    reached = [(abs(float(_POINT.search(where)[1])), where)  # type: ignore[index]
               for v, where in refined if v >= value * (1 - _SAME)]
    closest = min(distance for distance, _ in reached)
    places = sorted({where for distance, where in reached if distance <= closest * (1 + _MIRROR)},
                    key=lambda where: float(_POINT.search(where)[1]))  # type: ignore[index]
    return value, " or ".join(places)


def _at_infinity(sides: list[int]) -> str:
    return "|x| -> inf" if len(sides) == 2 else f"x -> {'-' if sides[0] < 0 else '+'}inf"


# max_abs_grad marks each number it names as {repr}; analyse rounds or names them.
_POINT = re.compile(r"\{([^{}]*)\}")


def _fmt(x: float) -> str:
    return "{" + repr(float(x)) + "}"


def _describe_run(grid: np.ndarray, lo: int, hi: int, kinks: np.ndarray) -> str:
    """Words for a plateau of grid points; an end is placed at the kink it stops at."""
    if lo == hi:
        return f"x = {_fmt(grid[lo])}"
    left = _edge(grid[lo], grid[lo - 1], kinks, upper=False) if lo > 0 else None
    right = _edge(grid[hi], grid[hi + 1], kinks, upper=True) if hi < len(grid) - 1 else None
    if left and right:
        flipped = {">": "<", ">=": "<="}[left[0]]
        return f"{left[1]} {flipped} x {right[0]} {right[1]}"
    relation, value = left or right  # type: ignore[misc]
    return f"x {relation} {value}"


def _edge(inside: float, outside: float, kinks: np.ndarray, upper: bool) -> tuple[str, str]:
    """(relation, value) for the end of a plateau whose last grid point is `inside` and
    whose next one is `outside`: at a kink in between if there is one."""
    strict, inclusive = ("<", "<=") if upper else (">", ">=")
    low, high = sorted((inside, outside))
    for k in kinks:
        if low <= k <= high:
            return (inclusive if k == inside else strict), _fmt(k)
    return inclusive, _fmt(inside)


def _refine(act: Activation, grid: np.ndarray, indices: list[int],
            kinks: np.ndarray) -> list[tuple[float, str]]:
    """Golden-section searches for the maximum of |f'| between the neighbours of each
    grid[i], side by side (one call of f' a step for all of them)."""
    def g(x: Any) -> np.ndarray:
        return np.abs(np.asarray(act.df(np.asarray(x, dtype=np.float64)), dtype=np.float64))

    at = np.asarray(indices, dtype=np.intp)
    a, b, peak = grid[at - 1].copy(), grid[at + 1].copy(), grid[at]
    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    gc, gd = g(c), g(d)
    searching = ~np.isin(peak, kinks)  # a peak at a kink is the value there
    for _ in range(100):
        searching &= b - a > 4 * np.spacing(np.maximum(np.maximum(np.abs(a), np.abs(b)), 1.0))
        if not searching.any():
            break
        left = searching & (gc >= gd)  # the maximum is in [a, d]
        right = searching & ~left  # in [c, b]
        b, d, gd = np.where(left, d, b), np.where(left, c, d), np.where(left, gc, gd)
        a, c, gc = np.where(right, c, a), np.where(right, d, c), np.where(right, gd, gc)
        new = np.where(left, b - ratio * (b - a), a + ratio * (b - a))
        values = g(new)
        c, gc = np.where(left, new, c), np.where(left, values, gc)
        d, gd = np.where(right, new, d), np.where(right, values, gd)
    found = []
    for lo, hi, top in zip(a.tolist(), b.tolist(), peak.tolist()):
        if top in kinks:
            found.append((float(g(top)), f"x = {_fmt(top)}"))
            continue
        x = (lo + hi) / 2
        at_x, at_peak = float(g(x)), float(g(top))
        best_value = max(at_x, at_peak)
        near = [k for k in kinks if abs(k - x) < 1e-6]
        if near and float(g(near[0])) < best_value:
            # The sup is a one-sided limit at a kink where the convention picks another value.
            side = "-" if x < near[0] else "+"
            found.append((best_value, f"x -> {_fmt(near[0])}{side}"))
        else:
            found.append((best_value, f"x = {_fmt(x if at_x > at_peak else top)}"))
    return found
