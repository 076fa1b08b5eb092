"""The job behind `actcli plot`: functions (and derivatives) drawn to a PNG, SVG or PDF
file or as PNG bytes on stdout, in characters on the terminal, or over the histogram of
a user's data; and the explorers' PNG export.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from actcli.catalog import Activation
from actcli.data import grid
from actcli.errors import InputError
from actcli.frontend.arguments import functions_and_range
from actcli.frontend.context import Environment
from actcli.frontend.stats import summarise_data
from actcli.frontend.view import plottable
from actcli.present.files import write_new
from actcli.present.plot.figure import PlotOptions

EXPORT_STEM = "actcli-explore"  # the explorers' PNG files: actcli-explore.png, -2, ...


def plot(env: Environment, items: Sequence[str], *, output: str | None,
         ylim: tuple[float, float] | None, grad: bool, grad2: bool, num: int | None,
         options: PlotOptions, image_format: str | None, dtype: str, data: str | None,
         column: str | None, key: str | None, term: bool, width: int | None,
         height: int | None) -> None:
    """`actcli plot FN... [START STOP]`: to the file `output` ('-': PNG bytes on stdout)
    or, without one, in characters on the terminal; with `data`, over the histogram of
    its values (and by default on the data's range)."""
    in_terminal = output is None
    if in_terminal and not (term or env.stdout_isatty):
        raise InputError("plot needs -o FILE (.png, .svg or .pdf), -o - for PNG bytes on stdout, "
                         "or --term for a plot in characters")
    if not in_terminal and (term or width is not None or height is not None):
        raise InputError("--term, --width and --height draw in the terminal; a file takes --size")
    if data is None and (column is not None or key is not None):
        raise InputError("-c/--column and --key apply to --data")
    names, numbers = functions_and_range(items)
    acts = [plottable(name) for name in names]
    start, stop = grid.bounds(numbers)
    grid.float_dtype(dtype)
    # With --data and no START STOP, the range is the data's.
    given = data is None or grid.is_number(items[-1])
    if output is None:
        draw_in_terminal(acts, start if given else None, stop if given else None, env,
                         grad=grad, grad2=grad2, num=num, dtype=dtype, width=width,
                         height=height, ylim=ylim, data=data, names=names, column=column,
                         key=key)
        return
    if data is not None:
        draw_with_data(names, acts, data, output, start if given else None,
                       stop if given else None, env, column=column, key=key, grad=grad,
                       grad2=grad2, num=num, dtype=dtype, image_format=image_format,
                       options=options, ylim=ylim)
        return
    draw(acts, output, start, stop, env, grad=grad, grad2=grad2, num=num, dtype=dtype,
         image_format=image_format, options=options, ylim=ylim)


def draw(acts: Sequence[Activation], output: str, start: float, stop: float,
         env: Environment, *, grad: bool = False, grad2: bool = False, num: int | None = None,
         dtype: str = "float64", image_format: str | None = None,
         options: PlotOptions | None = None, ylim: tuple[float, float] | None = None) -> None:
    """Draw functions (and derivatives) to the file `output`, or PNG bytes on stdout for '-'."""
    from actcli.present.plot import functions

    target: Any = image_target(output, env)
    functions.plot_functions(acts, target, start, stop, grad=grad, grad2=grad2,
                             num=num or functions.DEFAULT_NUM, dtype=dtype, fmt=image_format,
                             options=options or PlotOptions(), ylim=ylim)
    if output == "-":
        env.out_bytes.flush()


def image_target(output: str, env: Environment) -> Any:
    """`output` as a plot's target: the path, or stdout's bytes for '-' (never a terminal)."""
    if output != "-":
        return output
    if env.stdout_isatty:
        raise InputError("refusing to write image bytes to a terminal; redirect stdout or use -o FILE")
    return env.out_bytes


def draw_with_data(names: Sequence[str], acts: Sequence[Activation], data: str, output: str,
                   start: float | None, stop: float | None, env: Environment, *,
                   column: str | None = None, key: str | None = None, grad: bool = False,
                   grad2: bool = False, num: int | None = None, dtype: str = "float64",
                   image_format: str | None = None, options: PlotOptions | None = None,
                   ylim: tuple[float, float] | None = None) -> None:
    """Draw functions over the histogram of the values in `data` (file or glob)."""
    from actcli.present.plot import data as data_plot
    from actcli.present.plot import functions

    accumulator = summarise_data(names, [data], env, key=key, column=column)
    accumulator.records()  # an empty input fails here, with the message of `stats`
    target = image_target(output, env)
    data_plot.plot_with_data(acts, accumulator, target, start, stop,
                             data_name=os.path.basename(data), grad=grad, grad2=grad2,
                             num=num or functions.DEFAULT_NUM, dtype=dtype, fmt=image_format,
                             options=options or PlotOptions(), ylim=ylim)
    if output == "-":
        env.out_bytes.flush()


def draw_in_terminal(acts: Sequence[Activation], start: float | None, stop: float | None,
                     env: Environment, *, grad: bool = False, grad2: bool = False,
                     num: int | None = None, dtype: str = "float64", width: int | None = None,
                     height: int | None = None, ylim: tuple[float, float] | None = None,
                     data: str | None = None, names: Sequence[str] = (),
                     column: str | None = None, key: str | None = None) -> None:
    """The plot in characters (`actcli plot` without -o), as wide as the terminal; with
    `data` (a file or glob, read for the functions `names`), over the histogram of its
    values, and the range (None: the data's) as for the PNG."""
    import shutil

    from rich.console import Console

    from actcli.present import termplot
    from actcli.present.plot import functions

    columns, lines = shutil.get_terminal_size()
    width = columns if width is None else width
    height = max(termplot.MIN_HEIGHT, min(lines - 1, round(width / 2.5))) if height is None else height
    if width < termplot.MIN_WIDTH or height < termplot.MIN_HEIGHT:
        raise InputError(f"the terminal plot needs at least {termplot.MIN_WIDTH}x"
                         f"{termplot.MIN_HEIGHT} characters, got {width}x{height}")
    options: dict[str, Any] = dict(grad=grad, grad2=grad2, width=width, height=height,
                                   num=num or functions.DEFAULT_NUM, dtype=dtype, ylim=ylim)
    if data is None:
        # (without data the front end gives START and STOP)
        drawn = termplot.function_plot(acts, start, stop, **options)  # type: ignore[arg-type]
    else:
        accumulator = summarise_data(names, [data], env, key=key, column=column)
        accumulator.records()  # an empty input fails here, with the message of `stats`
        drawn = termplot.data_plot(acts, accumulator, start, stop,
                                   data_name=os.path.basename(data), **options)
    # Colour on a terminal (or with FORCE_COLOR), never with NO_COLOR: Rich reads both.
    Console(file=env.out, width=width, highlight=False).print(drawn, crop=True, overflow="crop")
    env.out.flush()


def export_png(acts: Sequence[Activation], start: float, stop: float, directory: Path, *,
               grad: bool, grad2: bool, dtype: str) -> Path:
    """The explorer's `s`: the view as `actcli plot ... -o FILE.png` draws it (the same
    bytes), under a new name in `directory` (EXPORT_STEM.png, -2, -3, ...)."""
    from actcli.present.plot import functions

    image = io.BytesIO()
    functions.plot_functions(acts, image, start, stop, grad=grad, grad2=grad2, dtype=dtype,
                             fmt="png")
    return write_new(directory, EXPORT_STEM, ".png", image.getvalue())
