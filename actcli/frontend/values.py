"""The job behind `actcli eval` and `grad`: a function's values (and derivatives) at
points or over a range, written a chunk at a time for programs, or appended to CSV, TSV
or JSON Lines rows read from stdin or a file.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from actcli.catalog import Activation, AnyActivation
from actcli.data import grid, stream
from actcli.errors import InputError, cannot_read
from actcli.frontend.context import Environment
from actcli.frontend.output import emit, output_format
from actcli.present import tables
from actcli.present.render import (
    DEFAULT_PRECISION,
    Column,
    Table,
    check_format,
    check_precision,
    check_rows_for_people,
    for_people,
    write_table,
)
from actcli.resolve import resolve

# Show progress for input files above this size (on a terminal, never in CI).
PROGRESS_BYTES = 16 * 2**20


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


def evaluate(env: Environment, function: str, numbers: list[str] | None,
             orders: tuple[int, ...], *, num: int | None, step: float | None, exact: bool,
             param: Sequence[str] = (), dtype: str, fmt: str | None, precision: int,
             csv: CsvOptions) -> None:
    """`actcli eval` (orders (0,)) and `grad` ((0, 1), (0, 1, 2)): FN at NUMBERS (a point,
    a range, points), or appended to CSV rows when no NUMBERS are given; a vector
    function takes the NUMBERS as one vector (its Jacobian for grad)."""
    act = resolve(function, param)
    grid.float_dtype(dtype)
    if not numbers:
        if exact:
            raise InputError("--points applies to NUMBERS, and none were given")
        report = stream_values(act, orders, env, dtype=dtype, fmt=fmt, options=csv,
                               precision=check_precision(precision))
        if report.skipped:
            env.err.write(f"actcli: warning: skipped {report.skipped} row(s) with a cell that "
                          "is not a number or the wrong number of fields\n")
        if report.nan_cells:
            env.err.write(f"actcli: warning: read {report.nan_cells} cell(s) that are not "
                          "numbers (or in a row with the wrong number of fields) as nan\n")
        return
    if csv.given():
        raise InputError(f"{csv.given()} applies to CSV input; NUMBERS were given")
    chosen = output_format(fmt, env)
    if isinstance(act, Activation):
        if not for_people(chosen):  # for programs: a chunk at a time
            check_precision(precision)
            write_values(act, grid.chunks(numbers, num=num, step=step, dtype=dtype, exact=exact),
                         orders, chosen, env)
            return
        x = grid.points(numbers, num=num, step=step, dtype=dtype, exact=exact)
        check_rows_for_people(len(x), chosen)
        table = tables.values_table(act, x, orders)
    else:
        if num is not None or step is not None:
            raise InputError(f"{act.name} takes the NUMBERS as one vector: --num and --step do not apply")
        if 2 in orders:
            raise InputError(f"{act.name} is a vector function: its derivative is the Jacobian (--order 1)")
        x = grid.vector(numbers, dtype)
        table = tables.jacobian_table(act, x) if 1 in orders else tables.vector_table(act, x)
    emit(env, table, chosen, precision)


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
    if not from_stdin:
        _refuse_tensor_files(options.input)  # type: ignore[arg-type]
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


def _refuse_tensor_files(path: str) -> None:
    """Tensor files (and pickles) are read by stats and plot --data, not as CSV rows."""
    from actcli.data.tensors import PICKLE_SUFFIXES, TENSOR_SUFFIXES

    suffix = os.path.splitext(path)[1].lower()
    if suffix in TENSOR_SUFFIXES + PICKLE_SUFFIXES:
        raise InputError(f"{path} is a {suffix} file: eval and grad read CSV, TSV or JSON Lines "
                         f"rows; for what a function does to its values use `actcli stats FN -i "
                         f"{path}` or `actcli plot FN --data {path}`")


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
