"""Properties of a formula measured on a grid: kinks and smoothness, output range,
monotonicity. See `measure`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from actcli.catalog import Interval
from actcli.catalog.spec import Monotonic, Smoothness
from actcli.expr.tree import Array, Evaluator, Node
from actcli.catalog.scan import GRID_HALF_WIDTH, GRID_STEP, runs

if TYPE_CHECKING:
    from actcli.expr import Expression

# Samples beyond the grid, out to +-inf (unboundedness, limits) and in to +-0 (poles).
_POWERS = 10.0 ** np.arange(2, 309)
_FAR = np.concatenate([_POWERS, [np.finfo(np.float64).max, np.inf]])
_NEAR = np.concatenate([1 / _POWERS, [np.finfo(np.float64).smallest_subnormal]])
_STEP_TOLERANCE = 1e-8  # relative change of f between samples that is not rounding noise


@dataclass(frozen=True)
class Measured:
    output_range: Interval
    monotonic: Monotonic
    smoothness: Smoothness
    kinks: tuple[float, ...]


def measure(expr: Expression) -> Measured:
    """Properties of f found numerically, in float64, on the grid of actcli.catalog.scan
    ([-50, 50] in steps of 0.005) plus samples out to +-inf and in to +-0:

    - kinks: the roots on the grid of the switches (`Expression.switches`) where f, f' or
      f'' jumps; smoothness the worst jump ("C1" when switches change sides but nothing
      jumps up to f'', as for abs(x)**3; "Cinf" when none changes side on the grid).
    - range: the least and greatest value at any sample (NaN ignored), an interior
      extremum refined at the root of f'. A bound is closed when it is reached on the grid
      at an interior extremum or on a flat piece that starts at a switch (relu's 0); a
      plateau that starts anywhere else is f rounding to its limit (sigmoid's 1, erf's 1).
    - monotonic: from the signs of f' and of the steps of f between samples (which catch
      jumps and poles); "increasing" unless f' = 0 along a piece that starts at a switch.
    """
    half = GRID_HALF_WIDTH
    grid = np.linspace(-half, half, int(round(2 * half / GRID_STEP)) + 1)
    switches = _switch_roots(expr, grid)
    kinks, smoothness = _kinks(expr, switches)
    x = np.unique(np.concatenate([grid, switches, _FAR, -_FAR, _NEAR, -_NEAR]))
    f, d = expr.evaluate(x, 0), expr.evaluate(x, 1)
    genuine = _flat_pieces(x, d, switches)
    return Measured(_range(expr, x, f, d, genuine), _monotonic(x, f, d, genuine),
                    smoothness, tuple(kinks.tolist()))


def _bisect(func: Callable[[Array], Array], lo: Array, hi: Array) -> tuple[Array, Array]:
    """Shrink brackets [lo, hi] with func(lo) and func(hi) of opposite signs to adjacent
    floats (all brackets at once)."""
    f_lo = np.sign(func(lo))
    for _ in range(1100):  # enough to cross every binade of float64
        mid = lo / 2 + hi / 2
        inside = (mid > lo) & (mid < hi)
        if not inside.any():
            break
        left = inside & (np.sign(func(mid)) == f_lo)
        lo, hi = np.where(left, mid, lo), np.where(inside & ~left, mid, hi)
    return lo, hi


def _switch_roots(expr: Expression, grid: Array) -> Array:
    """Where a switch a - b is 0 on the grid or changes sign between grid points (refined
    to the float where |a - b| is least)."""
    found = [np.empty(0)]
    for a, b in expr.switches:
        def gap(x: Array, a: Node = a, b: Node = b) -> Array:
            ev = Evaluator(x)
            with np.errstate(all="ignore"):
                return np.asarray(ev(a) - ev(b), dtype=float)

        values = gap(grid)
        crossing = np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)
        lo, hi = _bisect(gap, grid[crossing], grid[crossing + 1])
        found += [grid[values == 0], np.where(np.abs(gap(lo)) <= np.abs(gap(hi)), lo, hi)]
    return np.unique(np.concatenate(found))


def _kinks(expr: Expression, points: Array) -> tuple[Array, Smoothness]:
    """The points where f, f' or f'' jumps, and the smoothness that follows. A jump is a
    step across the point much larger than the steps just beside it."""
    if not points.size:
        return points, "Cinf"
    h = np.maximum(np.abs(points), 1) * 2.0**-20
    xs = points[:, None] + h[:, None] * np.array([-2, -1, 1, 2])
    jumps = []
    for order in range(3):
        g = expr.evaluate(xs, order)
        with np.errstate(all="ignore"):
            across = np.abs(g[:, 2] - g[:, 1])
            beside = np.abs(g[:, 1] - g[:, 0]) + np.abs(g[:, 3] - g[:, 2])
            scale = np.maximum(np.abs(g[:, 1]), np.abs(g[:, 2]))
            jumps.append(across > 4 * beside + 1e-9 * scale)
    smoothness: Smoothness = ("discontinuous" if jumps[0].any() else "C0" if jumps[1].any()
                              else "C1")
    return points[jumps[0] | jumps[1] | jumps[2]], smoothness


def _flat_pieces(x: Array, d: Array, switches: Array) -> Array:
    """Samples on genuinely flat pieces of f: f' = 0 on two or more neighbouring samples,
    along a stretch that has a switch at one of its ends (a kink, not an underflow)."""
    flat = np.zeros(len(x), dtype=bool)
    for start, stop in runs(d == 0):
        ends = x[max(start - 1, 0)], x[min(stop + 1, len(x) - 1)]
        at_switch = np.any((switches >= ends[0]) & (switches <= ends[1]))
        if stop > start and (at_switch or (start == 0 and stop == len(x) - 1)):
            flat[start:stop + 1] = True
    return flat


def _range(expr: Expression, x: Array, f: Array, d: Array, flat: Array) -> Interval:
    if np.isnan(f).all():
        return Interval(-math.inf, math.inf)
    low, low_closed = _bound(expr, x, f, d, flat, -1)
    high, high_closed = _bound(expr, x, f, d, flat, 1)
    return Interval(low, high, low_closed, high_closed)


def _bound(expr: Expression, x: Array, f: Array, d: Array, flat: Array,
           side: int) -> tuple[float, bool]:
    """The least (side -1) or greatest (1) value of f, and whether it is attained."""
    i = int(np.nanargmax(f) if side > 0 else np.nanargmin(f))
    value = float(f[i]) + 0.0  # -0.0 -> 0.0
    if math.isinf(value):
        return value, False
    inner = 0 < i < len(x) - 1
    if inner and d[i - 1] * side > 0 > d[i + 1] * side:
        # A smooth extremum between samples: refined at the root of f'.
        lo, hi = _bisect(lambda t: expr.evaluate(t, 1), x[i - 1:i], x[i + 1:i + 2])
        refined = expr.evaluate(np.concatenate([lo, hi, x[i:i + 1]]), 0)
        return float(np.max(refined) if side > 0 else np.min(refined)), True
    on_grid = np.abs(x) <= GRID_HALF_WIDTH
    for start, stop in runs((f == value) & on_grid):
        # A plateau that runs off one end of the grid is f rounding to its limit there,
        # unless it is a flat piece; within the grid, or across all of it, it is attained.
        ends_reached = (not on_grid[start - 1]) + (not on_grid[stop + 1])
        if ends_reached != 1 or flat[start:stop + 1].any():
            return value, True
    return value, False


def _monotonic(x: Array, f: Array, d: Array, flat: Array) -> Monotonic:
    with np.errstate(all="ignore"):
        step = np.diff(f)
        scale = np.maximum(np.abs(f[:-1]), np.abs(f[1:]))
        real = np.isinf(step) | (np.abs(step) > _STEP_TOLERANCE * scale)
        rises = np.any(d > 0) or np.any(real & (step > 0))
        falls = np.any(d < 0) or np.any(real & (step < 0))
    if rises and falls:
        return "no"
    strictly = not flat.any()
    if falls:
        return "decreasing" if strictly else "non-increasing"
    return "increasing" if rises and strictly else "non-decreasing"
