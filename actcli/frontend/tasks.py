"""The jobs behind the commands, for any front end: CSV rows through a function,
functions drawn to a file, a depth run with its progress. Front ends parse their
input, build the options here and delegate.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from actcli.analysis import depth
from actcli.catalog import AnyActivation
from actcli.catalog.spec import Activation
from actcli.data import stream
from actcli.errors import InputError
from actcli.frontend.context import Environment
from actcli.present import tables
from actcli.present.plot.figure import PlotOptions
from actcli.present.render import write_table

# Show progress for input files above this size (on a terminal, never in CI).
PROGRESS_BYTES = 16 * 2**20
# Layer passes (layers x width^2 x batch multiply-adds each) above which a depth run
# takes seconds and shows its progress on a terminal.
PROGRESS_WORK = 2e10


@dataclass(frozen=True, kw_only=True)
class CsvOptions:
    """How rows are read from CSV (or JSON Lines) input and what is written back."""

    input: str | None = None
    column: str | None = None
    header: bool = False
    only: bool = False
    name: str | None = None
    delimiter: str | None = None
    tsv: bool = False
    on_error: str = "fail"

    def given(self) -> str:
        """The first option that was set, as typed on the command line (or "")."""
        flags = {"input": "-i/--input", "column": "-c/--column", "header": "--header",
                 "only": "--only", "name": "--name", "delimiter": "--delimiter",
                 "tsv": "--tsv", "on_error": "--on-error"}
        for option in fields(self):
            value = getattr(self, option.name)
            if value != option.default:
                return flags[option.name]
        return ""


def stream_values(act: AnyActivation, orders: tuple[int, ...], env: Environment, *,
                  dtype: str, fmt: str | None, options: CsvOptions) -> stream.Summary:
    """Append f (and derivatives of `orders`) to every row of the CSV input."""
    if options.input is None and env.stdin_isatty:
        raise InputError("no NUMBERS given and nothing piped in: e.g. `actcli eval relu -3 2`, "
                         "`seq -5 5 | actcli eval relu` or `-i data.csv` (see --help)")
    if not isinstance(act, Activation) and 1 in orders:
        raise InputError(f"grad of the vector function {act.name} over CSV rows is not "
                         "available: its Jacobian has a row per output (use NUMBERS)")
    chosen = "tsv" if options.tsv else (fmt or "csv").lower()
    compute, names = tables.stream_columns(act, orders)
    if options.name:
        names = _renamed(names, [n.strip() for n in options.name.split(",")])
    delimiter = options.delimiter.replace("\\t", "\t") if options.delimiter else None
    from_stdin = options.input in (None, "-")
    source = env.inp.buffer if from_stdin else _open_input(options.input)  # type: ignore[arg-type]
    with source:
        return stream.run(
            source, env.out_bytes, compute, names, fmt=chosen,  # type: ignore[arg-type]
            columns=options.column.split(",") if options.column else None,
            write_header=True if options.header else None, delimiter=delimiter,
            only=options.only, on_error=options.on_error,  # type: ignore[arg-type]
            dtype=dtype, progress=None if from_stdin else _file_progress(source, env))


def write_values(act: Activation, chunks: Iterable[NDArray[np.floating]], orders: tuple[int, ...],
                 fmt: str, env: Environment) -> None:
    """x and f (and the derivatives of `orders`) as CSV, TSV or JSON Lines rows, written
    and flushed a chunk of x at a time: a long range in bounded memory, and `| head`
    ends it at once. The bytes are those of the whole table."""
    for i, x in enumerate(chunks):
        write_table(tables.values_table(act, x, orders), fmt, env.out, header=i == 0)
        env.out.flush()


def _renamed(default_names: Callable[[list[str]], list[str]],
             renamed: list[str]) -> Callable[[list[str]], list[str]]:
    def names(selected: list[str]) -> list[str]:
        expected = len(default_names(selected))
        if len(renamed) != expected:
            raise InputError(f"--name gives {len(renamed)} name(s) for {expected} result column(s)")
        return renamed

    return names


def _open_input(path: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot read {path!r}: {error.strerror}") from None


def _file_progress(source: BinaryIO, env: Environment) -> stream.Progress | None:
    size = os.fstat(source.fileno()).st_size
    if not env.shows_progress() or size < PROGRESS_BYTES:
        return None

    def report(done: int, total: int | None) -> None:
        share = done / total if total else 0
        end = "\n" if total and done >= total else ""
        env.err.write(f"\ractcli: read {share:4.0%} of {(total or 0) / 2**20:.0f} MiB{end}")
        env.err.flush()

    return report


def draw(acts: Sequence[AnyActivation], output: str, start: float, stop: float,
         env: Environment, *, grad: bool = False, grad2: bool = False, num: int | None = None,
         dtype: str = "float64", image_format: str | None = None,
         options: PlotOptions | None = None, ylim: tuple[float, float] | None = None) -> None:
    """Draw functions (and derivatives) to the file `output`, or PNG bytes on stdout for '-'."""
    from actcli.present.plot import functions

    target: Any = _image_target(output, env)
    functions.plot_functions(acts, target, start, stop, grad=grad, grad2=grad2,
                             num=num or functions.DEFAULT_NUM, dtype=dtype, fmt=image_format,
                             options=options or PlotOptions(), ylim=ylim)
    if output == "-":
        env.out_bytes.flush()


def _image_target(output: str, env: Environment) -> Any:
    if output != "-":
        return output
    if env.stdout_isatty:
        raise InputError("refusing to write image bytes to a terminal; redirect stdout or use -o FILE")
    return env.out_bytes


def run_depth(acts: Sequence[AnyActivation], config: depth.DepthConfig, env: Environment,
              output: str | None = None) -> list[depth.DepthProfile]:
    """Profiles of every function through one network; drawn to `output` if given."""
    if output is not None:
        from actcli.present.plot import depth as depth_plot
        from actcli.present.plot.figure import image_format

        target = _image_target(output, env)
        image_format(target)  # fail before the work
    profiles = depth.explore(acts, config,  # type: ignore[arg-type]
                              _depth_progress(config, len(acts), env))
    if output is not None:
        depth_plot.plot_depth(profiles, target)
    return profiles


def _depth_progress(config: depth.DepthConfig, functions: int,
                    env: Environment) -> Callable[[int, int], None] | None:
    work = config.layers * config.width**2 * config.batch * (1 + 2 * functions)
    if not env.shows_progress() or work < PROGRESS_WORK:
        return None

    def report(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        env.err.write(f"\rdepth: {done}/{total} layer passes{end}")
        env.err.flush()

    return report
