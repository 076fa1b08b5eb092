"""Figures for every plot of actcli: options, the figure set-up, palette, legend, and
saving PNG, SVG or PDF headless, reproducibly and atomically.

matplotlib is imported inside the functions only (start-up time of the CLI is a feature)
and pyplot never: figures are `matplotlib.figure.Figure` objects drawn by the canvas of
the requested format. The same call writes byte-identical files (metadata dates removed,
a fixed SVG hash salt), and a file is replaced atomically or not at all.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Union
from actcli.errors import InputError
from actcli.present.files import write_atomically


if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


FORMATS = ("png", "svg", "pdf")
Target = Union[str, "os.PathLike[str]", BinaryIO]

DEFAULT_SIZE = (8.0, 5.0)  # inches: 1200 x 750 pixels at the default dpi
DEFAULT_DPI = 150.0
MAX_PIXELS = 2**16 - 1  # Agg's limit per side
_LEGEND_SHARE = 0.3  # of the figure width; a wider legend gets its labels broken in two
# A legend taller than the axes goes into columns while the axes keep this share of the
# figure's width; past that it goes under them, and the figure grows for them to keep
# this share of its height.
_AXES_SHARE = 0.45

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour
# vision deficiency. Black is left out (it is the colour of the axes); yellow comes last
# because it is faint on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")

LINE_WIDTH = 2.2  # points: a function's curve (a derivative's is functions._DERIVATIVE_WIDTH)
_BASE_RC: dict[str, Any] = {
    "font.size": 12, "axes.titlesize": 15, "axes.labelsize": 13, "legend.fontsize": 11,
    "xtick.labelsize": 11, "ytick.labelsize": 11,
    "axes.grid": True, "grid.linewidth": 0.6, "grid.alpha": 0.4,
    "axes.spines.top": False, "axes.spines.right": False,
    "lines.linewidth": LINE_WIDTH, "lines.solid_capstyle": "round",
    "legend.frameon": False,
    "svg.hashsalt": "actcli",  # SVG element ids are random without a salt
}
# Dates are the only part of the metadata that changes between runs.
_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
}




class PlotInputError(InputError):
    """Bad plot input (format, size, range, function); the user can fix the command."""


@dataclass(frozen=True)
class PlotOptions:
    """Figure-wide options shared by every plotting command.

    `size` is (width, height) in inches, so a PNG has size * dpi pixels. `style` is a
    matplotlib style name or .mplstyle path, applied over actcli's defaults. `title`
    None picks one from the content; "" means no title.
    """

    size: tuple[float, float] = DEFAULT_SIZE
    dpi: float = DEFAULT_DPI
    style: str | None = None
    title: str | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.dpi) and self.dpi > 0):
            raise PlotInputError(f"dpi must be a positive number, got {self.dpi:g}")
        width, height = self.size
        if not all(math.isfinite(v) and v > 0 for v in self.size):
            raise PlotInputError(f"size must be positive, got {_fmt_size(self.size)}")
        if max(width, height) * self.dpi > MAX_PIXELS or min(width, height) * self.dpi < 16:
            raise PlotInputError(
                f"size {_fmt_size(self.size)} (inches) at dpi {self.dpi:g} gives "
                f"{round(width * self.dpi)}x{round(height * self.dpi)} pixels; each side must "
                f"be 16 to {MAX_PIXELS} pixels (size is in inches, e.g. 8x5)")


def _fmt_size(size: tuple[float, float]) -> str:
    return f"{size[0]:g}x{size[1]:g}"


def parse_size(text: str) -> tuple[float, float]:
    """'WxH' in inches ('8x5', '6.4X4.8') as (width, height)."""
    match = re.fullmatch(r"\s*([0-9.]+(?:e[-+]?\d+)?)\s*[x×]\s*([0-9.]+(?:e[-+]?\d+)?)\s*",
                         text, flags=re.IGNORECASE)
    if not match:
        raise PlotInputError(f"size {text!r} is not WIDTHxHEIGHT in inches, e.g. 8x5")
    try:
        return float(match[1]), float(match[2])
    except ValueError:
        raise PlotInputError(f"size {text!r} is not WIDTHxHEIGHT in inches, e.g. 8x5") from None


def image_format(target: Target, fmt: str | None = None) -> str:
    """The format to write: `fmt` if given, else the file extension; a stream defaults to PNG."""
    if fmt is not None and not hasattr(target, "write"):
        extension = Path(os.fspath(target)).suffix.lstrip(".").lower()  # type: ignore[arg-type]
        if extension in FORMATS and extension != fmt.lower():
            raise PlotInputError(f"format {fmt!r} does not match the file name "
                                 f"{os.fspath(target)!r}")  # type: ignore[arg-type]
    if fmt is None:
        if hasattr(target, "write"):
            return "png"
        name = os.fspath(target)  # type: ignore[arg-type]
        fmt = Path(name).suffix.lstrip(".")
        if not fmt:
            raise PlotInputError(
                f"cannot tell the image format of {name!r}: give it an extension "
                f"({', '.join('.' + f for f in FORMATS)})")
    if fmt.lower() not in FORMATS:
        raise PlotInputError(
            f"unsupported image format {fmt!r}: use one of {', '.join('.' + f for f in FORMATS)}")
    return fmt.lower()


@contextmanager
def figure(options: PlotOptions = PlotOptions(), *, layout: str | None = "constrained"
           ) -> Iterator[Figure]:
    """A new empty Figure with actcli's look and `options.style` in force.

    Build and save the figure inside the `with` block: styles also set what is read
    when drawing (tick formats, save colours). `layout` is a matplotlib layout engine
    name, or None to place the axes yourself.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    base = {**_BASE_RC, "axes.prop_cycle": matplotlib.cycler(color=PALETTE)}
    with ExitStack() as stack:
        stack.enter_context(matplotlib.rc_context(base))
        if options.style:
            import matplotlib.style  # reads every style file: only when one is asked for

            try:
                stack.enter_context(matplotlib.style.context(options.style))
            except (OSError, ValueError):
                raise PlotInputError(
                    f"unknown style {options.style!r}: use a .mplstyle file or one of "
                    f"{', '.join(matplotlib.style.available)}") from None
        fig = Figure(figsize=options.size, dpi=options.dpi, layout=layout)
        FigureCanvasAgg(fig)  # measures text for the layout; saving picks its own canvas
        yield fig


def arrange(fig: Figure, ax: Axes, heading: Any, handles: Sequence[Any], labels: Sequence[str],
            right_axis: Axes | None = None) -> None:
    """Place the title, the axes (and `right_axis`, a twin with its y axis on the right)
    and a legend of `handles` from the sizes of their texts: the legend to the right of
    the axes, in more columns if it is taller than they are, else under them across the
    figure, and the figure made taller if the axes would keep less than _AXES_SHARE of it.

    What constrained layout does for a one-axes figure, measured once instead of twice
    over every artist: it was a third of the time of a whole plot. Layout must be None.
    """
    import matplotlib

    rc = matplotlib.rcParams
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = fig.bbox.width, fig.bbox.height
    points = fig.dpi / 72
    labels = list(labels)

    def size(artist: Any) -> tuple[float, float]:
        box = artist.get_window_extent(renderer)
        return box.width, box.height

    def tick_room(axis: str) -> float:
        return (max(rc[f"{axis}tick.major.size"], 0) + rc[f"{axis}tick.major.pad"]
                + rc["axes.labelpad"]) * points

    def y_axis_room(axes: Axes) -> float:
        return (size(axes.yaxis.label)[0] + tick_room("y")
                + max((size(t)[0] for t in axes.yaxis.get_majorticklabels()), default=0))

    legend: Any = None
    made: tuple[Any, ...] = ()

    def make_legend(columns: int, loc: str = "upper left") -> tuple[float, float]:
        """A new legend (a legend's columns are fixed when it is made) and its size."""
        nonlocal legend, made
        if made != (labels, columns, loc):
            if legend is not None:
                legend.remove()
            legend = fig.legend(handles, labels, loc=loc, ncols=columns, borderaxespad=0)
            made = (labels, columns, loc)
        return size(legend)

    pad = 8 * points
    ticks = [size(t) for t in (*ax.yaxis.get_majorticklabels(), *ax.xaxis.get_majorticklabels())]
    tick_height = max((h for _, h in ticks), default=0)
    edge_xtick = max((size(t)[0] for t in ax.xaxis.get_majorticklabels()), default=0) / 2

    top = pad + tick_height / 2
    if heading is not None:
        _wrap(heading, width - 2 * pad, size(heading)[0])
        top += size(heading)[1] + pad
    if ax.yaxis.get_major_formatter().get_offset():  # e.g. "1e8" above the y axis
        top += tick_height
    left = max(pad + y_axis_room(ax), pad + edge_xtick)  # x tick labels overhang the axes
    bottom = pad + size(ax.xaxis.label)[1] + tick_height + tick_room("x")
    axis_right = y_axis_room(right_axis) if right_axis is not None else 0.0
    gap = max(pad, edge_xtick + pad / 2) + axis_right
    legend_width, legend_height = make_legend(1)
    if legend_width > _LEGEND_SHARE * width:  # long parameter lists: "(...)" on a line of its own
        labels = [label.replace(" (", "\n(", 1) for label in labels]
        legend_width, legend_height = make_legend(1)
    columns = 1
    while legend_height > height - top - pad and columns < len(labels):
        wider, taller = make_legend(columns + 1)
        if width - left - (pad + wider + gap) < _AXES_SHARE * width:
            break
        columns, legend_width, legend_height = columns + 1, wider, taller
    beside = legend_height <= height - top - pad
    if beside:
        make_legend(columns)
        right = pad + legend_width + gap
        legend.set_bbox_to_anchor((1 - (pad + legend_width) / width, 1 - top / height),
                                  transform=fig.transFigure)
    else:  # under the axes, in as many columns as the figure's width holds
        columns = 1
        while columns < len(labels) and make_legend(columns + 1)[0] <= width - 2 * pad:
            columns += 1
        bottom += make_legend(columns, "lower center")[1] + pad
        right = max(pad + axis_right, edge_xtick)
        least = top + bottom + _AXES_SHARE * height
        if least > height:
            fig.set_size_inches(width / fig.dpi, min(least, MAX_PIXELS) / fig.dpi)
            height = fig.bbox.height
        legend.set_bbox_to_anchor((0.5, pad / height), transform=fig.transFigure)

    position = (left / width, bottom / height,
                max(width - left - right, 1) / width, max(height - top - bottom, 1) / height)
    for axes in (ax, right_axis) if right_axis is not None else (ax,):
        axes.set_position(position)
    if heading is not None:
        heading.set_y(1 - pad / height)


def _wrap(text: Any, room: float, text_width: float) -> None:
    """Break a text that is wider than `room` into lines (mathtext, "$...$", is left whole)."""
    content = text.get_text()
    if text_width <= room or "$" in content:
        return
    import textwrap

    text.set_text("\n".join(textwrap.wrap(content, max(10, int(len(content) * room / text_width)))))


def palette() -> list[str]:
    """Curve colours of the style in force (Okabe-Ito unless a style sets its own)."""
    import matplotlib

    colours = matplotlib.rcParams["axes.prop_cycle"].by_key().get("color")
    return list(colours) if colours else list(PALETTE)


def save_figure(fig: Figure, target: Target, fmt: str | None = None) -> None:
    """Write `fig` to a path (atomically) or a binary stream, byte-identically across runs.

    The format is `fmt`, else the path's extension (a stream defaults to PNG). The image
    is rendered in memory first, so a failure writes nothing.
    """
    fmt = image_format(target, fmt)
    data = _render(fig, fmt)
    if hasattr(target, "write"):
        target.write(data)  # type: ignore[union-attr]
        target.flush()  # type: ignore[union-attr]
    else:
        write_atomically(Path(os.fspath(target)), data)  # type: ignore[arg-type]


def _render(fig: Figure, fmt: str) -> bytes:
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    if fmt == "png":
        # The canvas that measured the layout: its renderer has the text metrics cached.
        agg = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        _render_png(agg, buffer)
        return buffer.getvalue()
    if fmt == "svg":
        from matplotlib.backends.backend_svg import FigureCanvasSVG as Canvas
    else:
        from matplotlib.backends.backend_pdf import FigureCanvasPdf as Canvas  # type: ignore[assignment]
    Canvas(fig).print_figure(buffer, format=fmt, dpi=fig.dpi, metadata=_METADATA[fmt],
                             facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor())
    FigureCanvasAgg(fig)  # back to the canvas that measures text
    return buffer.getvalue()


def _render_png(canvas: Any, buffer: BinaryIO) -> None:
    """Draw with Agg and encode with Pillow: RGB when opaque, at zlib level 1.

    print_png always writes RGBA at level 6, a quarter of the time of a whole plot; this
    encodes twice as fast for files about 12% larger.
    """
    from PIL import Image

    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(physical=True),
                             canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    dpi = canvas.figure.dpi
    image.save(buffer, format="png", dpi=(dpi, dpi), compress_level=1)
