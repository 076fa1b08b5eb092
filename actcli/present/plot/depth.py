"""The figure of `actcli depth`: gradient norm and activation std against the layer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from actcli.analysis.depth import DepthProfile
from actcli.present.plot.figure import PlotOptions, Target, figure, image_format, palette, save_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def plot_depth(profiles: Sequence[DepthProfile], target: Target, *, fmt: str | None = None,
               options: PlotOptions = PlotOptions()) -> Figure:
    """Two panels per run of `actcli depth`: the gradient norm relative to the last layer
    (log scale) and the activation std, against the layer, one colour per function.

    Non-finite points (after an overflow, or a gradient that is exactly 0) are left out
    of the curves. Returns the saved Figure.
    """
    fmt = image_format(target, fmt)
    with figure(options) as fig:
        grad_ax, std_ax = fig.subplots(1, 2)
        for colour, profile in zip(palette() * len(profiles), profiles):
            layers = profile.layer_numbers
            grad = profile.grad_rel
            shown = np.isfinite(grad) & (grad > 0)
            grad_ax.plot(layers[shown], grad[shown], color=colour, label=profile.label)
            std_ax.plot(layers, profile.act_std, color=colour)
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
