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
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Union
from actcli.errors import InputError, RunError
from actcli.present.files import write_atomically


if TYPE_CHECKING:
    from matplotlib.figure import Figure


FORMATS = ("png", "svg", "pdf")
Target = Union[str, "os.PathLike[str]", BinaryIO]

DEFAULT_SIZE = (8.0, 5.0)  # inches: 1200 x 750 pixels at the default dpi
DEFAULT_DPI = 150.0
MAX_PIXELS = 2**16 - 1  # Agg's limit per side

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour
# vision deficiency. Black is left out (it is the colour of the axes); yellow comes last
# because it is faint on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")

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


class PlotError(RunError):
    """A plot that could not be made or written; str() is a one-line message."""


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
        write_atomically(Path(os.fspath(target)), data, PlotError)  # type: ignore[arg-type]


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
