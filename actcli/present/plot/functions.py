"""Plots of activations and their derivatives on one axes: curves on a grid that holds
the kinks exactly, jumps marked with the catalog's convention, y limits that no single
curve squashes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli.catalog.scan import sorted_unique
from actcli.dtypes import float_dtype
from actcli.present.plot.figure import (
    LINE_WIDTH,
    PlotInputError,
    PlotOptions,
    Target,
    arrange,
    figure,
    image_format,
    palette,
    save_figure,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from actcli.catalog import AnyActivation

DEFAULT_START, DEFAULT_STOP = -5.0, 5.0
DEFAULT_NUM = 1001  # step 0.01 on [-5, 5]; kinks are added to the grid exactly
MAX_NUM = 1_000_000
# A curve whose range is more than this many times the range of the others is left to run
# off the axes instead of squashing them (exponential beside tanh, a huge f''): the others
# keep a tenth of the height at least. Below that, a curve is shown whole, for its shape
# can be its point (snake's ripple beside sine, 5 times as tall).
_SQUASH_FACTOR = 10.0
_MARGIN = 0.06  # of the y-span, above and below
# matplotlib's tick arithmetic multiplies the limits by up to 10 (and overflows near the
# largest float): automatic limits stay within this, and values beyond it are clipped.
_LARGEST_LIMIT = 1e300
# Curves that lie on each other stay visible: a curve that curves drawn over it cover
# (within _COINCIDE of the y-span on _COINCIDE_SHARE of its points) is drawn _NEST
# points wider than they are (see _widths), so it shows at their edges; and
# derivatives, drawn over every function, have an outline of _HALO points in the
# background colour, so f' stands out on its own f (relu' and relu for x < 0).
_COINCIDE = 0.003
_COINCIDE_SHARE = 0.1
_NEST = 0.7
_HALO = 0.6
_DERIVATIVE_WIDTH = 1.9
# However many curves lie on one another, none grows wider than this many points beyond
# its usual width: past three or four nested curves, more width buries the plot.
_MOST_EXTRA = 4.0

# (activation index, derivative order, x, y, kinks): one curve of a function plot.
Curve = tuple[int, int, np.ndarray, np.ndarray, tuple[float, ...]]
# Line style and legend prefix per derivative order.
ORDERS = ((0, "-", ""), (1, (0, (5, 2.5)), "d/dx "), (2, (0, (1.2, 2)), "d²/dx² "))
# How these plots draw their curves, for a front end that draws them itself (the
# explorer's web page): widths in points, the constants of _widths (curves that lie on
# each other are nested), and dash patterns in line widths per derivative order.
CURVE_STYLE: dict[str, Any] = {
    "width": LINE_WIDTH, "derivative": _DERIVATIVE_WIDTH, "halo": _HALO, "nest": _NEST,
    "most": _MOST_EXTRA, "coincide": _COINCIDE, "share": _COINCIDE_SHARE,
    "dashes": [None if style == "-" else list(style[1]) for _, style, _ in ORDERS],
}
# Derivative orders that are continuous for each declared smoothness.
CONTINUOUS_ORDERS = {"discontinuous": 0, "C0": 1, "C1": 2, "C2": 3, "Cinf": 3}


def plot_functions(
    activations: Sequence[AnyActivation],
    target: Target,
    start: float = DEFAULT_START,
    stop: float = DEFAULT_STOP,
    *,
    grad: bool = False,
    grad2: bool = False,
    num: int = DEFAULT_NUM,
    dtype: str | np.dtype[Any] | type = "float64",
    fmt: str | None = None,
    options: PlotOptions = PlotOptions(),
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """Plot each activation (with f' and f'' if asked) on one axes and save it to `target`.

    Returns the saved Figure (its first axes holds the curves), e.g. to locate pixels.
    """
    fmt = image_format(target, fmt)  # before any work: a bad name fails at once
    with figure(options, layout=None) as fig:
        ax = fig.add_subplot()
        draw_functions(ax, activations, start, stop, grad=grad, grad2=grad2, num=num,
                       dtype=dtype, ylim=ylim)
        title = options.title if options.title is not None else _auto_title(
            activations, grad, grad2)
        heading = fig.suptitle(title, va="top") if title else None
        arrange(fig, ax, heading, *ax.get_legend_handles_labels())
        save_figure(fig, target, fmt)
    return fig


def draw_functions(
    ax: Axes,
    activations: Sequence[AnyActivation],
    start: float = DEFAULT_START,
    stop: float = DEFAULT_STOP,
    *,
    grad: bool = False,
    grad2: bool = False,
    num: int = DEFAULT_NUM,
    dtype: str | np.dtype[Any] | type = "float64",
    ylim: tuple[float, float] | None = None,
) -> None:
    """Draw the curves on `ax`: f solid, f' dashed, f'' dotted, one colour per function.

    Lines break where a curve jumps; there a filled dot marks the value at the point
    (PyTorch's convention, e.g. relu'(0) = 0) and open circles the one-sided limits.
    A reversed range (5 -5) draws the same interval. `ylim` (low, high) fixes the y
    range; by default it holds every curve but those that would squash the others. A
    curve that runs off the y range says so in the legend ("clipped", "off the plot").
    """
    curves, (low, high) = function_curves(activations, start, stop, grad=grad, grad2=grad2,
                                          num=num, dtype=dtype, ylim=ylim)
    start, stop = min(start, stop), max(start, stop)
    orders = [order for order in ORDERS if order[0] == 0 or (grad, grad2)[order[0] - 1]]
    colours = palette()

    import matplotlib
    from matplotlib import patheffects

    face = ax.get_facecolor()
    base_width = float(matplotlib.rcParams["lines.linewidth"])
    marked = False
    for (index, order, x, y, kinks), width in zip(curves, _widths(curves, low, high, base_width)):
        act = activations[index]
        colour = colours[index % len(colours)]
        _, linestyle, prefix = ORDERS[order]
        label = prefix + legend_name(act)
        inside = (y >= low) & (y <= high)
        if not np.any(inside):
            label += " (off the plot)"  # left out by y_limits, or all NaN
        elif np.any(~inside & ~np.isnan(y)):
            label += " (clipped)"
        if CONTINUOUS_ORDERS[act.smoothness] <= order:  # type: ignore[union-attr]
            marked |= _mark_jumps(ax, x, y, kinks, start, stop, (high - low) * 1e-3, colour)
        effects = [] if order == 0 else [
            patheffects.Stroke(linewidth=width + _HALO, foreground=face), patheffects.Normal()]
        if order and width != _DERIVATIVE_WIDTH:  # dashes as long as at the usual width
            offset, pattern = linestyle
            linestyle = (offset, tuple(d * _DERIVATIVE_WIDTH / width for d in pattern))
        ax.plot(x, y, color=colour, linestyle=linestyle, linewidth=width, label=label,
                zorder=2 if order == 0 else 2.2, path_effects=effects)
    if marked:
        _add_jump_key(ax)

    ax.set_xlim(start, stop)
    ax.set_ylim(low, high)
    axis_colour = _axis_colour()
    ax.axhline(0, color=axis_colour, linewidth=0.9, zorder=1.5)
    ax.axvline(0, color=axis_colour, linewidth=0.9, zorder=1.5)
    ax.set_xlabel("x")
    ax.set_ylabel(", ".join(("f(x)", "f′(x)", "f″(x)")[order] for order, _, _ in orders))


def function_curves(
    activations: Sequence[AnyActivation],
    start: float = DEFAULT_START,
    stop: float = DEFAULT_STOP,
    *,
    grad: bool = False,
    grad2: bool = False,
    num: int = DEFAULT_NUM,
    dtype: str | np.dtype[Any] | type = "float64",
    ylim: tuple[float, float] | None = None,
) -> tuple[list[Curve], tuple[float, float]]:
    """The curves of a function plot and its y limits, without drawing (the terminal plot
    draws the same data): (activation index, derivative order, x, y, kinks) per curve,
    f then f' then f'' for each function; y is NaN where not finite.
    """
    if not activations:
        raise PlotInputError("nothing to plot: give at least one function")
    if not (math.isfinite(start) and math.isfinite(stop) and start != stop):
        raise PlotInputError(f"the range must be finite with START != STOP, got {start:g} {stop:g}")
    start, stop = min(start, stop), max(start, stop)
    if ylim is not None and not (all(map(math.isfinite, ylim)) and ylim[0] < ylim[1]):
        raise PlotInputError(f"--ylim must be two finite numbers LOW < HIGH, got "
                             f"{ylim[0]:g} {ylim[1]:g}")
    if not 2 <= num <= MAX_NUM:
        raise PlotInputError(f"num must be 2 to {MAX_NUM}, got {num}")
    array_dtype = float_dtype(dtype)
    orders = [order for order in ORDERS if order[0] == 0 or (grad, grad2)[order[0] - 1]]

    curves: list[Curve] = []
    for index, act in enumerate(activations):
        kinks = act.kinks  # type: ignore[union-attr]
        x = _grid(start, stop, num, kinks, array_dtype)
        wanted = [order for order, _, _ in orders]
        for order, y in zip(wanted, act.derivatives(x, wanted)):  # type: ignore[union-attr]
            curves.append((index, order, x, finite(y), kinks))
    low, high = ylim or y_limits([(order, y) for _, order, _, y, _ in curves])
    for _, _, _, y, _ in curves:  # beyond what matplotlib can place (drawn as clipped)
        np.clip(y, -2 * _LARGEST_LIMIT, 2 * _LARGEST_LIMIT, out=y)
    return curves, (low, high)


def _grid(start: float, stop: float, num: int, kinks: Sequence[float],
          dtype: np.dtype[Any]) -> np.ndarray:
    """An even grid plus each kink inside the range with its two floating-point neighbours,
    so corners are exact and one-sided limits are sampled."""
    extra = []
    for kink in kinks:
        if start <= kink <= stop:
            at = dtype.type(kink)
            extra += [np.nextafter(at, dtype.type(-np.inf)), at, np.nextafter(at, dtype.type(np.inf))]
    x = sorted_unique(np.concatenate([np.linspace(start, stop, num).astype(dtype),
                                      np.array(extra, dtype=dtype)]))
    return x[(x >= start) & (x <= stop)]


def finite(values: np.ndarray) -> np.ndarray:
    """`values` as float64 with NaN where they are not finite (a curve breaks there)."""
    y = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(y), y, np.nan)


def _widths(curves: Sequence[tuple[int, int, np.ndarray, np.ndarray, Any]], low: float,
            high: float, base: float) -> list[float]:
    """The line width of each curve: `base` for a function and _DERIVATIVE_WIDTH for a
    derivative, made wider than every curve drawn over it that lies on it (functions
    first, then derivatives, each in order), so that its edges stay visible."""
    tolerance = _COINCIDE * (high - low)

    def lies_on(below: int, above: int) -> bool:
        _, _, x, y, _ = curves[below]
        _, _, other_x, other_y, _ = curves[above]
        close = (y >= low) & (y <= high) & (np.abs(y - np.interp(x, other_x, other_y)) <= tolerance)
        return bool(np.count_nonzero(close) >= _COINCIDE_SHARE * len(x))

    derivatives = [i for i, curve in enumerate(curves) if curve[1] > 0]
    functions = [i for i, curve in enumerate(curves) if curve[1] == 0]
    widths = [0.0] * len(curves)
    # A derivative has an outline of _HALO points: the one beneath must show past it.
    for place in reversed(range(len(derivatives))):
        i = derivatives[place]
        widths[i] = min(_DERIVATIVE_WIDTH + _MOST_EXTRA, max(
            [_DERIVATIVE_WIDTH] + [widths[j] + _HALO + _NEST
                                   for j in derivatives[place + 1:] if lies_on(i, j)]))
    for place in reversed(range(len(functions))):
        i = functions[place]
        over = [widths[j] + _NEST for j in functions[place + 1:] if lies_on(i, j)]
        over += [widths[j] + _HALO + _NEST for j in derivatives if lies_on(i, j)]
        widths[i] = min(base + _MOST_EXTRA, max([base, *over]))
    return widths


def _span(values: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    low, high = min(v[0] for v in values), max(v[1] for v in values)
    return low, high, high - low


def y_limits(curves: Sequence[tuple[int, np.ndarray]]) -> tuple[float, float]:
    """The union of the curves' ranges, except curves that would squash the others.

    A function is left out if it alone stretches the range of the other functions more than
    _SQUASH_FACTOR times; then a derivative is left out if it stretches what remains so.
    """
    ranges = [(order, (float(np.nanmin(y)), float(np.nanmax(y))))
              for order, y in curves if not np.all(np.isnan(y))]
    if not ranges:
        return -1.0, 1.0
    functions = [r for order, r in ranges if order == 0]
    kept = []
    for i, candidate in enumerate(functions):
        others = functions[:i] + functions[i + 1:]
        if not others or not _squashes(candidate, others):
            kept.append(candidate)
    kept = kept or functions or [ranges[0][1]]
    for order, candidate in ranges:
        if order > 0 and not _squashes(candidate, kept):
            kept.append(candidate)
    low, high, span = _span(kept)
    low, high = max(low, -_LARGEST_LIMIT), min(high, _LARGEST_LIMIT)
    span = high - low
    if span == 0:
        half = max(1.0, abs(low)) / 2
        return low - half, high + half
    return low - _MARGIN * span, high + _MARGIN * span


def _squashes(candidate: tuple[float, float], others: Sequence[tuple[float, float]]) -> bool:
    _, _, before = _span(others)
    _, _, after = _span([*others, candidate])
    return after > _SQUASH_FACTOR * (before if before > 0 else 1.0)


def _mark_jumps(ax: Axes, x: np.ndarray, y: np.ndarray, kinks: Sequence[float],
                start: float, stop: float, visible: float, colour: str) -> bool:
    """Break `y` (in place) at each kink where it jumps, and mark the value and the limits.

    Returns whether any jump was marked."""
    face = ax.get_facecolor()
    jumps = find_jumps(x, y, kinks, start, stop, visible)
    for at_x, at, limits in jumps:
        ax.plot([at_x] * len(limits), limits, linestyle="none", marker="o", markersize=7,
                markeredgewidth=1.8, color=colour, markerfacecolor=face, zorder=3)
        ax.plot([at_x], [at], linestyle="none", marker="o", markersize=7, color=colour, zorder=3.1)
    return bool(jumps)


def find_jumps(x: np.ndarray, y: np.ndarray, kinks: Sequence[float], start: float, stop: float,
               visible: float) -> list[tuple[float, float, list[float]]]:
    """The kinks inside (start, stop) where `y` jumps by more than `visible`, as (x, value
    at the kink, one-sided limits that differ from it); `y` is broken (NaN) there, in place."""
    jumps = []
    for kink in kinks:
        if not start < kink < stop:
            continue
        i = int(np.searchsorted(x, x.dtype.type(kink)))
        if not 0 < i < len(x) - 1:  # the kink rounded onto an end of the range
            continue
        left, at, right = y[i - 1], y[i], y[i + 1]
        if not abs(right - left) > visible:
            continue
        y[i] = np.nan
        jumps.append((float(x[i]), float(at), [float(v) for v in (left, right)
                                               if abs(v - at) > visible]))
    return jumps


def _add_jump_key(ax: Axes) -> None:
    """Legend entries that explain the jump markers."""
    from matplotlib.lines import Line2D

    import matplotlib

    # In the colour of the legend's text: the axes' edge colour can be the colour of
    # the figure (white in ggplot).
    colour = matplotlib.rcParams["text.color"]
    for label, face in (("value at the jump (PyTorch)", colour), ("one-sided limit", "none")):
        ax.add_line(Line2D([], [], linestyle="none", marker="o", markersize=7,
                           markeredgewidth=1.8, color=colour, markerfacecolor=face, label=label))


def _axis_colour() -> str:
    import matplotlib

    return str(matplotlib.rcParams["axes.edgecolor"])


def legend_name(act: AnyActivation) -> str:
    """`leaky_relu(negative_slope=0.2)` as `leaky_relu (negative_slope=0.2)`; a formula
    (whose label is its text) as it is."""
    return act.label if act.label == act.name else act.label.replace("(", " (", 1)


def _auto_title(activations: Sequence[AnyActivation], grad: bool, grad2: bool) -> str:
    names = [legend_name(a) for a in activations]
    if len(names) == 1:
        subject, owner, plural = names[0], "its", ""
    else:
        subject, owner, plural = ", ".join(names[:-1]) + " and " + names[-1], "their", "s"
    derivatives = {(True, False): f"derivative{plural}", (False, True): f"second derivative{plural}",
                   (True, True): "first two derivatives"}.get((grad, grad2))
    return f"{subject} and {owner} {derivatives}" if derivatives else subject
