"""The jobs behind the commands, for any front end: CSV rows through a function, a range
written a chunk at a time, functions drawn to a file or in the terminal, a depth run with
its progress, the statistics of a user's data. Front ends parse their input, build the
options here and delegate.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from actcli.analysis import stats
from actcli.catalog import AnyActivation
from actcli.catalog.spec import Activation
from actcli.data import stream
from actcli.errors import InputError, cannot_read
from actcli.frontend.context import Environment
from actcli.present import tables
from actcli.present.plot.figure import PlotOptions
from actcli.present.render import (
    DEFAULT_PRECISION,
    Column,
    Table,
    check_format,
    check_rows_for_people,
    for_people,
    write_table,
)

if TYPE_CHECKING:  # (imported by the jobs that need them: the depth runs, data files)
    from actcli.analysis import depth

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
    jsonl: bool = False
    on_error: str = "fail"

    def given(self) -> str:
        """The first option that was set, as typed on the command line (or "")."""
        flags = {"input": "-i/--input", "column": "-c/--column", "header": "--header",
                 "only": "--only", "name": "--name", "delimiter": "--delimiter",
                 "tsv": "--tsv", "jsonl": "--jsonl", "on_error": "--on-error"}
        for option in fields(self):
            value = getattr(self, option.name)
            if value != option.default:
                return flags[option.name]
        return ""


def stream_values(act: AnyActivation, orders: tuple[int, ...], env: Environment, *,
                  dtype: str, fmt: str | None, options: CsvOptions,
                  precision: int = DEFAULT_PRECISION) -> stream.StreamReport:
    """Append f (and derivatives of `orders`) to every row of the CSV (TSV, JSON Lines)
    input, written in the format `fmt` (default: the input's)."""
    if options.input is None and env.stdin_isatty:
        raise InputError("no NUMBERS given and nothing piped in: e.g. `actcli eval relu -3 2`, "
                         "`seq -5 5 | actcli eval relu` or `-i data.csv` (see --help)")
    if not isinstance(act, Activation) and 1 in orders:
        raise InputError(f"grad of the vector function {act.name} over CSV rows is not "
                         "available: its Jacobian has a row per output (use NUMBERS)")
    if options.tsv and options.jsonl:
        raise InputError("--tsv and --jsonl are two input formats: give one")
    source_format = "jsonl" if options.jsonl else "tsv" if options.tsv else "csv"
    # The output is the input's format unless -f says otherwise (--tsv: tab-separated).
    chosen = check_format(fmt) if fmt else "csv" if source_format == "csv" else source_format
    compute, names = tables.stream_columns(act, orders)
    if options.name:
        names = _renamed(names, [n.strip() for n in options.name.split(",")])
    delimiter = options.delimiter.replace("\\t", "\t") if options.delimiter else None
    from_stdin = options.input in (None, "-")
    source = env.inp.buffer if from_stdin else _open_input(options.input)  # type: ignore[arg-type]
    # The same format out as in: input rows pass through byte for byte. Another format:
    # rows are re-written as they come (json, csv, ...) or gathered (table, markdown).
    gathered: list[dict[str, Any]] = []

    def gather(rows: list[dict[str, Any]], _: bool) -> None:
        gathered.extend(rows)
        check_rows_for_people(len(gathered), chosen)

    writer = None if chosen == source_format else (
        gather if for_people(chosen) else stream.RowWriter(chosen, env.out_bytes))
    with contextlib.nullcontext() if from_stdin else source:  # stdin is not ours to close
        report = stream.run(
            source, env.out_bytes, compute, names, fmt=source_format,  # type: ignore[arg-type]
            columns=options.column.split(",") if options.column else None,
            write_header=True if options.header else None, delimiter=delimiter,
            only=options.only, on_error=options.on_error,  # type: ignore[arg-type]
            dtype=dtype, progress=None if from_stdin else _file_progress(source, env),
            rows=writer)
    if isinstance(writer, stream.RowWriter):
        writer.close()
    elif writer is not None:
        write_table(_rows_table(gathered), chosen, env.out, precision=precision)
        env.out.flush()
    return report


def _rows_table(rows: list[dict[str, Any]]) -> Table:
    """Dict rows as a Table: a column of numbers only is numeric (right-aligned, rounded)."""
    names = list(rows[0]) if rows else []
    columns = []
    for name in names:
        values = [row.get(name) for row in rows]
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        columns.append(Column(name, np.array(values, dtype=float) if numeric else values))
    return Table("", columns)


def write_values(act: Activation, chunks: Iterable[NDArray[np.floating]], orders: tuple[int, ...],
                 fmt: str, env: Environment) -> None:
    """x and f (and the derivatives of `orders`) as CSV, TSV, JSON Lines or JSON rows,
    written and flushed a chunk of x at a time: a long range in bounded memory, and
    `| head` ends it at once. The bytes are those of the whole table."""
    if fmt == "json":  # one list: each chunk's objects, between the brackets of the whole
        env.out.write("[\n")
        for i, x in enumerate(chunks):
            text = io.StringIO()
            write_table(tables.values_table(act, x, orders), "json", text)
            env.out.write(("" if i == 0 else ",\n") + text.getvalue()[len("[\n"):-len("\n]\n")])
            env.out.flush()
        env.out.write("\n]\n")
        env.out.flush()
        return
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
        raise InputError(cannot_read(path, error)) from None


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


def draw(acts: Sequence[Activation], output: str, start: float, stop: float,
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


def summarise_data(functions: Sequence[str], sources: Sequence[str], env: Environment, *,
                   key: str | None = None, column: str | None = None,
                   saturation: float = stats.DEFAULT_SATURATION,
                   scheduler: str | None = None,
                   timeout: float | None = None) -> stats.Accumulator:
    """The statistics of every function on the values of `sources` (files, globs, '-'
    for stdin), read chunk by chunk, or summarised on a Dask cluster's workers (waiting
    at most `timeout` seconds, default cluster.DEFAULT_TIMEOUT, for the scheduler to
    answer and for a worker; what it waits for is said on stderr after a few seconds)."""
    if not (0 < saturation < 1):
        raise InputError(f"--saturation must be between 0 and 1, got {saturation:g}")
    if timeout is not None and scheduler is None:
        raise InputError("--timeout applies to a cluster: give --scheduler ADDRESS too")
    if timeout is not None and not (0 < timeout < math.inf):
        raise InputError(f"--timeout must be a positive number of seconds, got {timeout:g}")
    if "-" in sources and env.stdin_isatty:
        raise InputError("no -i FILE given and nothing piped in: e.g. "
                         "`actcli stats relu -i preacts.npy` (see --help)")
    if scheduler is not None:
        from actcli.analysis import cluster

        def notify(line: str) -> None:
            env.err.write(f"actcli: {line}\n")
            env.err.flush()

        return cluster.summarise(scheduler, functions, sources, key=key, column=column,
                                 saturation=saturation, notify=notify,
                                 timeout=cluster.DEFAULT_TIMEOUT if timeout is None else timeout)
    from actcli.data import tensors

    accumulator = stats.Accumulator(functions, saturation)
    for chunk in tensors.chunks(sources, key=key, column=column):
        accumulator.add(chunk)
    return accumulator


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
    target = _image_target(output, env)
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


def run_depth(acts: Sequence[Activation], config: depth.DepthConfig, env: Environment,
              output: str | None = None) -> list[depth.DepthProfile]:
    """Profiles of every function through one network; drawn to `output` if given."""
    from actcli.analysis import depth

    if output is not None:
        from actcli.present.plot import depth as depth_plot
        from actcli.present.plot.figure import image_format

        target = _image_target(output, env)
        image_format(target)  # fail before the work
    profiles = depth.explore(acts, config,
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
