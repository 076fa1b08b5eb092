"""`actcli plot --data`: the curves over the histogram of real inputs, with the regions
where the gradient is zero (dead) or nearly gone (saturated) shaded and their shares of
the data in the legend. Built from the figure helpers of present.plot (matplotlib lazily).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli.present.plot import figure, functions
from actcli.analysis.stats import Accumulator
from actcli.catalog.properties import describe_tails, saturated
from actcli.catalog.scan import runs

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from actcli.catalog import Activation

HISTOGRAM_BINS = 80
_SHADE_POINTS = 4001  # grid on which the dead and saturated regions are found


def data_range(summary: Accumulator) -> tuple[float, float]:
    """The data's 0.5-99.5 percentile range, widened to include 0."""
    low, high = summary.quantile(0.005), summary.quantile(0.995)
    if not (math.isfinite(low) and math.isfinite(high)):
        raise figure.PlotInputError("the data's 0.5-99.5 percentile range is not finite: "
                                  "give START STOP")
    low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        return low - 1.0, high + 1.0
    return low, high


def plot_with_data(activations: Sequence[Activation], summary: Accumulator, target: figure.Target,
                   start: float | None = None, stop: float | None = None, *,
                   data_name: str = "data", grad: bool = False, grad2: bool = False,
                   num: int = functions.DEFAULT_NUM, dtype: str = "float64", fmt: str | None = None,
                   options: figure.PlotOptions = figure.PlotOptions(),
                   ylim: tuple[float, float] | None = None) -> Figure:
    """Draw `activations` (the functions `summary` was computed for, in its order) over the
    density of its data, and save to `target`. Returns the saved Figure."""
    fmt = figure.image_format(target, fmt)
    if start is None or stop is None:
        start, stop = data_range(summary)
    with figure.figure(options, layout=None) as fig:
        ax = fig.add_subplot()
        functions.draw_functions(ax, activations, start, stop, grad=grad, grad2=grad2, num=num,
                                 dtype=dtype, ylim=ylim)
        behind, bars = _histogram(ax, summary, start, stop, data_name)
        handles = [bars, *_shade(ax, activations, summary, start, stop)]
        title = options.title if options.title is not None else (
            f"{', '.join(a.label for a in activations)} on {data_name}")
        heading = fig.suptitle(title, va="top") if title else None
        curves, labels = ax.get_legend_handles_labels()
        figure.arrange(fig, ax, heading, [*curves, *handles],
                       [*labels, *(h.get_label() for h in handles)], right_axis=behind)
        figure.save_figure(fig, target, fmt)
    return fig


def _histogram(ax: Axes, summary: Accumulator, start: float, stop: float,
               name: str) -> tuple[Axes, Any]:
    """The density of the data on a second y axis, behind the curves: that axes and the bars."""
    edges = np.linspace(start, stop, HISTOGRAM_BINS + 1)
    density = summary.density(edges)
    behind = ax.twinx()
    bars = behind.stairs(density, edges, fill=True, color="0.55", alpha=0.35, linewidth=0,
                  label=f"density of {name} ({summary.n:,} values)")
    behind.set_ylim(0, (density.max() or 1.0) * 1.08)
    behind.set_ylabel(f"density of {name}", color="0.35")
    behind.tick_params(axis="y", colors="0.35")
    behind.grid(False)
    behind.spines["right"].set_visible(True)
    ax.set_zorder(behind.get_zorder() + 1)  # the curves in front, the histogram behind
    ax.patch.set_visible(False)
    return behind, bars


@dataclass(frozen=True)
class Region:
    """Where a function is dead (f' = 0) or saturated on the plot's x range, and the share
    of the data there: one legend entry, and the spans to shade."""

    index: int  # of the function
    dead: bool
    label: str  # "relu: 49.8% dead (f′ = 0)"
    spans: list[tuple[float, float]]


def regions(activations: Sequence[Activation], summary: Accumulator, start: float,
            stop: float) -> list[Region]:
    """The dead and saturated regions of each function that are on [start, stop] or hold
    some of the data, in the order of the functions (dead first)."""
    x = np.linspace(start, stop, _SHADE_POINTS)
    found = []
    for index, (act, tails, (dead, flat)) in enumerate(zip(activations, summary.tails,
                                                            summary.fractions())):
        g = np.asarray(act.df(x), dtype=np.float64)
        shares = ((True, g == 0, dead, "dead (f′ = 0)"),
                  (False, saturated(x, g, tails), flat, f"saturated ({describe_tails(tails)})"))
        for is_dead, mask, share, what in shares:
            spans = [(float(x[lo]), float(x[hi])) for lo, hi in runs(mask)]
            if spans or share:
                found.append(Region(index, is_dead, f"{act.label}: {share:.1%} {what}", spans))
    return found


def _shade(ax: Axes, activations: Sequence[Activation], summary: Accumulator, start: float,
           stop: float) -> list[Any]:
    """Shade where each function is dead (hatched) or saturated (tinted); legend handles
    that give the shares of the data there."""
    from matplotlib.patches import Patch

    colours = figure.palette()
    handles = []
    for region in regions(activations, summary, start, stop):
        colour = colours[region.index % len(colours)]
        style: dict[str, Any] = ({"hatch": "//", "fill": False} if region.dead
                                 else {"alpha": 0.12, "linewidth": 0})
        for lo, hi in region.spans:
            ax.axvspan(lo, hi, color=colour, zorder=0.5, **style)
        handles.append(Patch(color=colour, label=region.label, **style))
    return handles
