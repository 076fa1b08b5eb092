"""The figure of `actcli depth`: gradient norm and activation std against the layer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from actcli.analysis.depth import DepthProfile
from actcli.present.plot.figure import PlotOptions, Target, figure, image_format, palette, save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# A curve that later curves lie on (within _CLOSE of the panel's span on 30% of the
# layers) is drawn _NEST points wider than they are, at most _MOST_EXTRA wider than usual:
# functions that behave alike (relu and leaky_relu) still show one under the other.
_CLOSE = 0.005
_NEST = 1.2
_MOST_EXTRA = 3.6


def plot_depth(profiles: Sequence[DepthProfile], target: Target, *, fmt: str | None = None,
               options: PlotOptions = PlotOptions()) -> Figure:
    """Two panels per run of `actcli depth`: the gradient norm relative to the last layer
    (log scale) and the activation std, against the layer, one colour per function.

    Non-finite points (after an overflow, or a gradient that is exactly 0) are left out
    of the curves. Returns the saved Figure.
    """
    import matplotlib

    fmt = image_format(target, fmt)
    with figure(options) as fig:
        grad_ax, std_ax = fig.subplots(1, 2)
        base = float(matplotlib.rcParams["lines.linewidth"])
        colours = palette() * len(profiles)
        grads = [np.log10(np.where(p.grad_rel > 0, p.grad_rel, np.nan)) for p in profiles]
        stds = [np.asarray(p.act_std, dtype=float) for p in profiles]
        for ax, series, log in ((grad_ax, grads, True), (std_ax, stds, False)):
            for colour, profile, y, width in zip(colours, profiles, series,
                                                 _nested_widths(series, base)):
                shown = np.isfinite(y)
                values = 10.0 ** y[shown] if log else y[shown]
                ax.plot(profile.layer_numbers[shown], values, color=colour, linewidth=width,
                        label=profile.label)
        config = profiles[0].config
        grad_ax.set_yscale("log")
        grad_ax.set_title("gradient norm / last layer's")
        std_ax.set_title("activation std")
        for ax in (grad_ax, std_ax):
            ax.set_xlabel("layer")
        if options.title != "":
            fig.suptitle(options.title or f"{config.layers} layers x {config.width} wide, "
                         f"init {config.init}, batch {config.batch}, seed {config.seed}")
        # Below the panels, in rows of up to three: beside them it squeezes the panels and
        # runs into the title.
        handles, labels = grad_ax.get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 3))
        save_figure(fig, target, fmt)
    return fig


def _nested_widths(series: Sequence[np.ndarray], base: float) -> list[float]:
    finite = np.concatenate([y[np.isfinite(y)] for y in series] or [np.zeros(1)])
    span = float(np.ptp(finite)) if finite.size else 0.0
    widths = [base] * len(series)
    for i in reversed(range(len(series))):
        for j in range(i + 1, len(series)):
            close = np.abs(series[i] - series[j]) <= _CLOSE * span
            if np.count_nonzero(close) >= 0.3 * len(close):
                widths[i] = min(base + _MOST_EXTRA, max(widths[i], widths[j] + _NEST))
    return widths
