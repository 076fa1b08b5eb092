"""Plots of activations and their derivatives: PNG, SVG or PDF, headless and reproducible.

matplotlib is imported inside the functions only (start-up time of the CLI is a feature)
and pyplot never: figures are `matplotlib.figure.Figure` objects drawn by the canvas of
the requested format. The same call writes byte-identical files (metadata dates removed,
a fixed SVG hash salt), and a file is replaced atomically or not at all.

Reusable pieces for other plots (`actcli depth`): `PlotOptions`, `figure`, `palette`,
`add_legend`, `save_figure`.
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

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from actcli.catalog import AnyActivation

FORMATS = ("png", "svg", "pdf")
Target = Union[str, "os.PathLike[str]", BinaryIO]

DEFAULT_START, DEFAULT_STOP = -5.0, 5.0
DEFAULT_NUM = 1001  # step 0.01 on [-5, 5]; kinks are added to the grid exactly
MAX_NUM = 1_000_000
DEFAULT_SIZE = (8.0, 5.0)  # inches: 1200 x 750 pixels at the default dpi
DEFAULT_DPI = 150.0
MAX_PIXELS = 2**16 - 1  # Agg's limit per side

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour
# vision deficiency. Black is left out (it is the colour of the axes); yellow comes last
# because it is faint on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")

# A curve whose range is more than this many times the range of the others is left to run
# off the axes instead of squashing them (exponential beside tanh, a huge f'').
_SQUASH_FACTOR = 4.0
_MARGIN = 0.06  # of the y-span, above and below
_LEGEND_SHARE = 0.3  # of the figure width; a wider legend gets its labels broken in two

_BASE_RC: dict[str, Any] = {
    "font.size": 12, "axes.titlesize": 15, "axes.labelsize": 13, "legend.fontsize": 11,
    "xtick.labelsize": 11, "ytick.labelsize": 11,
    "axes.grid": True, "grid.linewidth": 0.6, "grid.alpha": 0.4,
    "axes.spines.top": False, "axes.spines.right": False,
    "lines.linewidth": 2.2, "lines.solid_capstyle": "round",
    "legend.frameon": False,
    "svg.hashsalt": "actcli",  # SVG element ids are random without a salt
}
# Dates are the only part of the metadata that changes between runs.
_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
}
# Line style and legend prefix per derivative order.
_ORDERS = ((0, "-", ""), (1, (0, (5, 2.5)), "d/dx "), (2, (0, (1.2, 2)), "d²/dx² "))
# Derivative orders that are continuous for each declared smoothness.
_CONTINUOUS_ORDERS = {"discontinuous": 0, "C0": 1, "C1": 2, "Cinf": 3}


class PlotError(Exception):
    """A plot that could not be made or written; str() is a one-line message."""


class PlotInputError(PlotError, ValueError):
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


def palette() -> list[str]:
    """Curve colours of the style in force (Okabe-Ito unless a style sets its own)."""
    import matplotlib

    colours = matplotlib.rcParams["axes.prop_cycle"].by_key().get("color")
    return list(colours) if colours else list(PALETTE)


def add_legend(fig: Figure, ax: Axes, **kwargs: Any) -> None:
    """The legend of `ax`'s curves outside the plot area, to the right, so it covers nothing."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside right upper", **kwargs)


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
        _write_atomically(Path(os.fspath(target)), data)  # type: ignore[arg-type]


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


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` through a temporary file beside it: all or nothing."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        # O_EXCL: never follow or reuse a planted name; 0o666 lets the umask decide, as
        # for any new file (tempfile would make it private).
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise _write_error(path, error) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _write_error(path, error) from None
        raise


def _write_error(path: Path, error: OSError) -> PlotError:
    directory = path.parent
    if not directory.exists():
        return PlotError(f"cannot write {str(path)!r}: directory {str(directory)!r} does not exist")
    if not directory.is_dir():
        return PlotError(f"cannot write {str(path)!r}: {str(directory)!r} is not a directory")
    return PlotError(f"cannot write {str(path)!r}: {error.strerror or error}")


# --- function plots ---------------------------------------------------------------------

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
) -> Figure:
    """Plot each activation (with f' and f'' if asked) on one axes and save it to `target`.

    Returns the saved Figure (its first axes holds the curves), e.g. to locate pixels.
    """
    fmt = image_format(target, fmt)  # before any work: a bad name fails at once
    with figure(options, layout=None) as fig:
        ax = fig.add_subplot()
        draw_functions(ax, activations, start, stop, grad=grad, grad2=grad2, num=num,
                       dtype=dtype)
        title = options.title if options.title is not None else _auto_title(
            activations, grad, grad2)
        heading = fig.suptitle(title, va="top") if title else None
        legend = fig.legend(*ax.get_legend_handles_labels(), loc="upper left", borderaxespad=0)
        _arrange(fig, ax, legend, heading)
        save_figure(fig, target, fmt)
    return fig


def _arrange(fig: Figure, ax: Axes, legend: Any, heading: Any) -> None:
    """Place title, axes and legend (to the right of the axes) from the sizes of their texts.

    What constrained layout does for this one-axes figure, measured once instead of twice
    over every artist: it was a third of the time of a whole plot.
    """
    import matplotlib

    rc = matplotlib.rcParams
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = fig.bbox.width, fig.bbox.height
    points = fig.dpi / 72

    def size(artist: Any) -> tuple[float, float]:
        box = artist.get_window_extent(renderer)
        return box.width, box.height

    def tick_room(axis: str) -> float:
        return (max(rc[f"{axis}tick.major.size"], 0) + rc[f"{axis}tick.major.pad"]
                + rc["axes.labelpad"]) * points

    pad = 8 * points
    yticks = [size(t) for t in ax.yaxis.get_majorticklabels()]
    xticks = [size(t) for t in ax.xaxis.get_majorticklabels()]
    tick_height = max((h for _, h in yticks + xticks), default=0)
    edge_xtick = max((w for w, _ in xticks), default=0) / 2  # overhangs the axes' sides

    top = pad + tick_height / 2
    if heading is not None:
        _wrap(heading, width - 2 * pad, size(heading)[0])
        top += size(heading)[1] + pad
    if ax.yaxis.get_major_formatter().get_offset():  # e.g. "1e8" above the y axis
        top += tick_height
    left = pad + size(ax.yaxis.label)[0] + max((w for w, _ in yticks), default=0) + tick_room("y")
    left = max(left, pad + edge_xtick)
    bottom = pad + size(ax.xaxis.label)[1] + tick_height + tick_room("x")
    legend_width = size(legend)[0]
    if legend_width > _LEGEND_SHARE * width:  # long parameter lists: "(...)" on a line of its own
        for text in legend.get_texts():
            text.set_text(text.get_text().replace(" (", "\n(", 1))
        legend_width = size(legend)[0]
    gap = max(pad, edge_xtick + pad / 2)
    right = pad + legend_width + gap if legend_width else max(pad, edge_xtick)

    ax.set_position((left / width, bottom / height,
                     max(width - left - right, 1) / width, max(height - top - bottom, 1) / height))
    axes_top = 1 - top / height
    legend.set_bbox_to_anchor((1 - (pad + legend_width) / width, axes_top),
                              transform=fig.transFigure)
    if heading is not None:
        heading.set_y(1 - pad / height)


def _wrap(text: Any, room: float, text_width: float) -> None:
    """Break a text that is wider than `room` into lines (mathtext, "$...$", is left whole)."""
    content = text.get_text()
    if text_width <= room or "$" in content:
        return
    import textwrap

    text.set_text("\n".join(textwrap.wrap(content, max(10, int(len(content) * room / text_width)))))


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
) -> None:
    """Draw the curves on `ax`: f solid, f' dashed, f'' dotted, one colour per function.

    Lines break where a curve jumps; there a filled dot marks the value at the point
    (PyTorch's convention, e.g. relu'(0) = 0) and open circles the one-sided limits.
    """
    curves, (low, high) = function_curves(activations, start, stop, grad=grad, grad2=grad2,
                                          num=num, dtype=dtype)
    colours = palette()
    orders = [order for order in _ORDERS if order[0] == 0 or (grad, grad2)[order[0] - 1]]

    marked = False
    for index, order, x, y, kinks in curves:
        act = activations[index]
        colour = colours[index % len(colours)]
        _, linestyle, prefix = _ORDERS[order]
        label = prefix + _legend_name(act)
        if not np.any((y >= low) & (y <= high)):
            label += " (off the plot)"  # left out by _y_limits, or all NaN
        if _CONTINUOUS_ORDERS[act.smoothness] <= order:  # type: ignore[union-attr]
            marked |= _mark_jumps(ax, x, y, kinks, start, stop, (high - low) * 1e-3, colour)
        ax.plot(x, y, color=colour, linestyle=linestyle,
                linewidth=None if order == 0 else 1.9, label=label)
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
) -> tuple[list[tuple[int, int, np.ndarray, np.ndarray, tuple[float, ...]]], tuple[float, float]]:
    """The curves of a function plot and its y-limits, without drawing (the terminal plot
    draws the same data): (activation index, derivative order, x, y, kinks) per curve,
    f then f' then f'' for each function; y is NaN where not finite.
    """
    if not activations:
        raise PlotInputError("nothing to plot: give at least one function")
    for act in activations:
        if act.kind != "elementwise":
            raise PlotInputError(
                f"{act.name} is a vector function (each output depends on the whole input "
                f"vector), so it has no curve to plot; plot elementwise functions only")
    if not (math.isfinite(start) and math.isfinite(stop) and start < stop):
        raise PlotInputError(f"the range must be finite with START < STOP, got {start:g} {stop:g}")
    if not 2 <= num <= MAX_NUM:
        raise PlotInputError(f"num must be 2 to {MAX_NUM}, got {num}")
    array_dtype = _float_dtype(dtype)
    orders = [order for order in _ORDERS if order[0] == 0 or (grad, grad2)[order[0] - 1]]

    curves = []  # (activation index, order, x, y, kinks)
    for index, act in enumerate(activations):
        kinks = act.kinks  # type: ignore[union-attr]
        x = _grid(start, stop, num, kinks, array_dtype)
        for order, _, _ in orders:
            y = _evaluate(act, order, x)
            curves.append((index, order, x, y, kinks))
    return curves, _y_limits([(order, y) for _, order, _, y, _ in curves])


def _float_dtype(dtype: str | np.dtype[Any] | type) -> np.dtype[Any]:
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved not in (np.float32, np.float64):
        raise PlotInputError(f"dtype must be float32 or float64, got {dtype!r}")
    return resolved  # type: ignore[return-value]


def _grid(start: float, stop: float, num: int, kinks: Sequence[float],
          dtype: np.dtype[Any]) -> np.ndarray:
    """An even grid plus each kink inside the range with its two floating-point neighbours,
    so corners are exact and one-sided limits are sampled."""
    extra = []
    for kink in kinks:
        if start <= kink <= stop:
            at = dtype.type(kink)
            extra += [np.nextafter(at, dtype.type(-np.inf)), at, np.nextafter(at, dtype.type(np.inf))]
    x = np.union1d(np.linspace(start, stop, num).astype(dtype), np.array(extra, dtype=dtype))
    return x[(x >= start) & (x <= stop)]


def _evaluate(act: AnyActivation, order: int, x: np.ndarray) -> np.ndarray:
    func = (act.f, act.df, act.d2f)[order]  # type: ignore[union-attr]
    y = np.asarray(func(x), dtype=np.float64)
    return np.where(np.isfinite(y), y, np.nan)


def _span(values: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    low, high = min(v[0] for v in values), max(v[1] for v in values)
    return low, high, high - low


def _y_limits(curves: Sequence[tuple[int, np.ndarray]]) -> tuple[float, float]:
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

    colour = _axis_colour()
    for label, face in (("value at the jump (PyTorch)", colour),
                        ("one-sided limit", ax.get_facecolor())):
        ax.add_line(Line2D([], [], linestyle="none", marker="o", markersize=7,
                           markeredgewidth=1.8, color=colour, markerfacecolor=face, label=label))


def _axis_colour() -> str:
    import matplotlib

    return str(matplotlib.rcParams["axes.edgecolor"])


def _legend_name(act: AnyActivation) -> str:
    """`leaky_relu(negative_slope=0.2)` as `leaky_relu (negative_slope=0.2)`; a formula
    (whose label is its text) as it is."""
    return act.label if act.label == act.name else act.label.replace("(", " (", 1)


def _auto_title(activations: Sequence[AnyActivation], grad: bool, grad2: bool) -> str:
    names = [_legend_name(a) for a in activations]
    if len(names) == 1:
        subject, owner, plural = names[0], "its", ""
    else:
        subject, owner, plural = ", ".join(names[:-1]) + " and " + names[-1], "their", "s"
    derivatives = {(True, False): f"derivative{plural}", (False, True): f"second derivative{plural}",
                   (True, True): "first two derivatives"}.get((grad, grad2))
    return f"{subject} and {owner} {derivatives}" if derivatives else subject


def plot_depth(profiles: Sequence[Any], target: Target, *, fmt: str | None = None,
               options: PlotOptions = PlotOptions()) -> Figure:
    """Two panels per run of `actcli depth`: the gradient norm relative to the last layer
    (log scale) and the activation std, against the layer, one colour per function.

    `profiles` are `actcli.depth.DepthProfile`s; non-finite points (after an overflow,
    or a gradient that is exactly 0) are left out of the curves. Returns the saved Figure.
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
