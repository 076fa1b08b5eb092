"""Stream CSV, TSV or JSON Lines through a function, appending the results to each row.

`run(source, sink, compute, result_names, ...)` reads a binary stream block by block,
hands the chosen columns of each block to `compute` as a float array and writes every
input row back out, byte for byte, with the formatted results appended. Memory stays
bounded by the block size, and each block is written and flushed as soon as it is read,
so a slow producer sees results for early rows while it is still writing.
`read_values(source, ...)` gives the chosen cells alone (for summaries: `actcli stats`).

Both sit on one parser per format (`_DelimitedParser`, `_JsonLinesParser`: lines,
header, chosen cells as numbers, errors with their line), which yields each block's
rows; the writers (`_DelimitedWriter`, `_JsonLinesWriter`) compute and append the
results.

Speed: a block without quotes takes the fast path, in which no Python code runs per row:
orjson parses the chosen cells (correctly rounded) and formats the results (shortest
round trip), and NumPy interleaves the raw input lines (never re-serialised) with the
formatted results. Anything unusual in a block (quotes, blank lines, a cell JSON does not
read as a number, a ragged row) sends that block to the careful path, which parses it
with the csv module row by row and knows the line number of every cell. Both paths
produce the same bytes.

orjson is imported only inside the functions that need it, so importing this module
costs nothing at CLI start-up.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import select
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal, Union

import numpy as np

from actcli.dtypes import float_dtype
from actcli.errors import InputError, RunError

Compute = Callable[[np.ndarray], Sequence[np.ndarray]]
ResultNames = Union[Sequence[str], Callable[[list[str]], Sequence[str]]]
Progress = Callable[[int, Union[int, None]], None]
# Takes the rows of a block as {column: value} (numbers as float or int, text as str,
# an empty CSV cell as None), in input order; for writing another format than the input's.
# The flag says whether a CSV/TSV output should have a header line (as the input had).
RowSink = Callable[[list[dict[str, Any]], bool], None]
Format = Literal["csv", "tsv", "jsonl"]
OnError = Literal["fail", "skip", "nan"]
FORMATS: tuple[Format, ...] = ("csv", "tsv", "jsonl")
# JSON has no NaN or infinities; actcli writes them as these strings in JSON and JSON
# Lines alike (null would not tell inf from -inf), and reads them back as numbers.
JSON_NONFINITE = (b'"nan"', b'"inf"', b'"-inf"')
ON_ERROR: tuple[OnError, ...] = ("fail", "skip", "nan")

__all__ = [
    "CellError", "ColumnError", "DataError", "OptionError", "RowWriter", "StreamReport",
    "run",
]


class OptionError(InputError):
    """An option the stream cannot be read with (a bad delimiter, an unknown column)."""


class ColumnError(OptionError):
    """The columns to compute on cannot be chosen; `columns` lists those the input has."""

    def __init__(self, message: str, columns: Sequence[str]) -> None:
        super().__init__(message)
        self.columns = list(columns)


class DataError(RunError):
    """Malformed input at `line` (1-based, counting the header and blank lines)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


class CellError(DataError):
    """A chosen cell that is not a number; `cell` is its text (None for a missing JSON key)."""

    def __init__(self, line: int, column: str, cell: str | None) -> None:
        what = "missing" if cell is None else f"{_show(cell)} is not a number"
        super().__init__(line, f"column {column!r}: {what}")
        self.column = column
        self.cell = cell


@dataclass(frozen=True)
class StreamReport:
    """What a finished `run` read: counts for warnings, and the columns it found."""

    rows: int  # data rows read (the header and blank lines not counted)
    skipped: int  # rows left out by on_error="skip"
    nan_cells: int  # cells read as NaN by on_error="nan"
    header: bool  # whether the input's first line was a header
    columns: tuple[str, ...]  # the input's column names (or JSON keys of the first object)
    selected: tuple[str, ...]  # the columns handed to compute


def run(
    source: BinaryIO,
    sink: BinaryIO,
    compute: Compute,
    result_names: ResultNames,
    *,
    fmt: Format = "csv",
    columns: Sequence[str | int] | None = None,
    header: bool | None = None,
    write_header: bool | None = None,
    delimiter: str | None = None,
    only: bool = False,
    on_error: OnError = "fail",
    dtype: Any = np.float64,
    progress: Progress | None = None,
    block_size: int = 1 << 20,
    rows: RowSink | None = None,
) -> StreamReport:
    """Read rows from `source`, append `compute`'s results, write them to `sink`.

    compute: gets a `dtype` array of shape (rows, len(selected)) for each block and
      returns one 1-d array of length rows per result column.
    result_names: the result column names, or a function of the selected column names
      that returns them (called once, when the header is known).
    fmt: the input's format: "csv" (delimiter sniffed from the first line unless given), "tsv", or "jsonl"
      (one JSON object per line; results are added as keys, NaN and infinities as the
      strings "nan", "inf", "-inf", which are also read as numbers, like null for NaN).
    columns: column names or 1-based indices (a name wins over an index); default: the
      only column, else the one named "x".
    header: whether the first line is a header; None: it is unless all its cells are numbers.
    write_header: whether to write a header line; None: when the input had one.
    only: write the result columns alone instead of appending them to the input row.
    on_error: a chosen cell that is not a number, or a row with the wrong number of
      fields, raises CellError/DataError after the rows before it were written ("fail"),
      drops its row ("skip") or is read as NaN ("nan"; a short row is padded with
      empty fields, a long one keeps its extra fields).
    progress: called as progress(bytes_read, total_bytes_or_None) after each block read.
    rows: if given, each block's output rows go to rows(...) as dicts instead of bytes to
      `sink` (the output in another format than the input's; see RowWriter).

    Raises OptionError/ColumnError for options that do not fit the input, DataError for
    malformed input (a ragged row, an unclosed quote, a line that is not a JSON object),
    CellError for a bad cell. BrokenPipeError from `sink` propagates.
    """
    parser = _parser(source, fmt, columns, header, delimiter, on_error, dtype, progress,
                     block_size)
    common = (sink, compute, result_names, only, rows)
    writer: _Writer = (_JsonLinesWriter(parser, *common) if fmt == "jsonl" else
                       _DelimitedWriter(parser, *common, write_header=write_header))
    for batch in parser.parse(writer.start):
        writer.write_rows(batch)
    return parser.report()


def read_values(source: BinaryIO, *, fmt: Format = "csv",
                columns: Sequence[str | int] | None = None, header: bool | None = None,
                delimiter: str | None = None, on_error: OnError = "fail",
                block_size: int = 1 << 20) -> Iterator[np.ndarray]:
    """The chosen cells of `source`, as float64 1-d arrays a block at a time (several
    columns: row by row). Columns, header detection and errors as in `run`."""
    parser = _parser(source, fmt, columns, header, delimiter, on_error, np.float64, None,
                     block_size)
    for batch in parser.parse(lambda: None):
        yield batch.values.ravel()


def _parser(source: BinaryIO, fmt: str, columns: Sequence[str | int] | None,
            header: bool | None, delimiter: str | None, on_error: str, dtype: Any,
            progress: Progress | None, block_size: int) -> _Parser:
    """The parser of `fmt` over `source`, once the options are checked."""
    if fmt not in FORMATS:
        raise OptionError(f"unknown input format {fmt!r}: csv, tsv or jsonl")
    if on_error not in ON_ERROR:
        raise OptionError(f"--on-error must be fail, skip or nan, got {on_error!r}")
    dtype = float_dtype(dtype)
    if delimiter is not None and (len(delimiter) != 1 or delimiter.isalnum()
                                  or delimiter in '"+-.\r\n'):
        raise OptionError(f"the delimiter must be one character that cannot be part of a "
                          f"number, a quote or a line break: got {delimiter!r}")
    blocks = _Blocks(source, progress, block_size)
    if fmt == "jsonl":
        return _JsonLinesParser(blocks, columns, on_error, dtype)  # type: ignore[arg-type]
    return _DelimitedParser(blocks, columns, on_error, dtype,  # type: ignore[arg-type]
                            delimiter=delimiter or ("\t" if fmt == "tsv" else None),
                            header=header)


class _Blocks:
    """Complete lines from a binary stream, a block at a time, without waiting for a
    full block when the source has delivered some lines and then stalls."""

    def __init__(self, source: BinaryIO, progress: Progress | None, block_size: int) -> None:
        self._read = getattr(source, "read1", source.read)
        self._size = block_size
        self._progress = progress
        self._partial = b""  # bytes after the last line break read
        self._first = True
        self.eof = False
        self.done = 0
        self.total: int | None = None
        self._poll: select.poll | None = None  # for a pipe or terminal: is more waiting?
        try:
            fd = source.fileno()
            mode = os.fstat(fd).st_mode
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            return
        if stat.S_ISREG(mode):
            self.total = os.fstat(fd).st_size
        elif hasattr(select, "poll"):
            self._poll = select.poll()
            self._poll.register(fd, select.POLLIN)

    def _more_waiting(self) -> bool:
        return self._poll is not None and bool(self._poll.poll(0))

    def _take(self, want: int) -> bytes:
        data = self._read(want)
        if not data:
            self.eof = True
        self.done += len(data)
        return data

    def read(self, carry: bytes = b"") -> bytes | None:
        """`carry` (unfinished lines handed back) and the next complete lines, ending in
        a line break; None when the input is exhausted. Reads at least once."""
        if self.eof:
            return None
        pieces = [self._partial, self._take(self._size)]  # the partial line has no break
        while not self.eof and b"\n" not in pieces[-1]:
            pieces.append(self._take(self._size))
        size = sum(map(len, pieces))
        while not self.eof and size < self._size and self._more_waiting():
            pieces.append(self._take(self._size - size))
            size += len(pieces[-1])
        data = b"".join(pieces)
        if self._first:
            self._first = False
            data = data.removeprefix(b"\xef\xbb\xbf")
            if b"\x00" in data[:4096]:  # text has no NUL; .npy, .npz, pickles do
                raise OptionError("the input is binary, not CSV, TSV or JSON Lines text (a .npy "
                                  "or .safetensors file? `actcli stats` reads those with -i)")
        if self.eof:
            self._partial = b""
            if data and not data.endswith(b"\n"):
                data += b"\n"
        else:
            cut = data.rindex(b"\n") + 1
            data, self._partial = data[:cut], data[cut:]
        if self._progress is not None:
            self._progress(self.done, self.total)
        return (carry + data) or None


# --- parsing: lines, values, errors ------------------------------------------------------

@dataclass(frozen=True)
class DelimitedRows:
    """CSV or TSV rows of one block: the numbers in their chosen cells (rows x chosen),
    and each row's bytes as read, each ended by one \n, with their lengths (the \n
    included)."""

    values: np.ndarray
    text: bytes
    lengths: np.ndarray


@dataclass(frozen=True)
class JsonRows:
    """JSON Lines rows of one block: the numbers of their chosen keys, each line as read,
    and whether its object has keys at all."""

    values: np.ndarray
    lines: list[bytes]
    nonempty: list[bool]


class _Parser:
    """What the CSV and JSON Lines parsers share: the chosen columns, the counts, and a
    row's chosen cells read as numbers. `parse(on_header)` yields the rows of each block;
    `on_header()` is called once the columns are known, before any row is yielded. An
    error is raised after the rows before it in its block were yielded."""

    def __init__(self, blocks: _Blocks, columns: Sequence[str | int] | None,
                 on_error: OnError, dtype: np.dtype) -> None:
        self.blocks, self.wanted, self.on_error, self.dtype = blocks, columns, on_error, dtype
        self.line = 1  # line number of the next line to read
        self.rows = self.skipped = self.nan_cells = 0
        self.names: list[str] = []
        self.selected: list[int] = []
        self.has_header = False

    def parse(self, on_header: Callable[[], None]) -> Iterator[Any]:
        raise NotImplementedError

    def report(self) -> StreamReport:
        return StreamReport(self.rows, self.skipped, self.nan_cells, self.has_header,
                            tuple(self.names), tuple(self.names[i] for i in self.selected))

    def choose(self, names: list[str], on_header: Callable[[], None]) -> None:
        """Resolve the wanted columns against `names`, then tell the consumer."""
        self.names = names
        self.selected = _select(names, self.wanted)
        on_header()

    def read_row(self, line: int, cells: Sequence[tuple[bytes, str | None]]) -> list[float] | None:
        """The numbers in a row's chosen cells, given as (text, text to show in an error);
        a cell that is not a number raises CellError, is NaN, or drops the row (None)."""
        self.rows += 1
        row = []
        for i, (cell, shown) in zip(self.selected, cells):
            number = _number(cell)
            if number is None:
                if self.on_error == "fail":
                    raise CellError(line, self.names[i], shown)
                if self.on_error == "skip":
                    self.skipped += 1
                    return None
                self.nan_cells += 1
                number = math.nan
            row.append(number)
        return row

    def _array(self, values: list[float]) -> np.ndarray:
        """The flat `values` of read_row as a (rows, chosen columns) array."""
        width = len(self.selected)
        return np.array(values, dtype=self.dtype).reshape(len(values) // max(width, 1), width)


class _DelimitedParser(_Parser):
    """CSV or TSV: the delimiter (sniffed unless given), the header, and the rows."""

    def __init__(self, *common: Any, delimiter: str | None, header: bool | None) -> None:
        super().__init__(*common)
        self.delimiter = delimiter  # None: sniffed from the first line
        self.header = header
        self.sep = self.newline = b""  # set by _start
        self.header_line = b""  # the header as read, if the input has one
        self.used = 0  # lines of the current block consumed by _records

    def parse(self, on_header: Callable[[], None]) -> Iterator[DelimitedRows]:
        carry = b""
        while (block := self.blocks.read(carry)) is not None:
            carry = yield from (self._process(block) if self.names
                                else self._start(block, on_header))
        if carry:
            raise DataError(self.line, "a quoted field is not closed before the end of the input")

    def _start(self, block: bytes, on_header: Callable[[], None]) -> Iterator[DelimitedRows]:
        """Sniff the delimiter, read the header (if any) and the block's rows; returns an
        unfinished last record to carry, as `_process` does."""
        lines = block.split(b"\n")
        lines.pop()
        first = next((line for line in lines if line.strip()), None)
        if first is None:  # only blank lines so far
            self.line += len(lines)
            return b""
        if first.lstrip().startswith(b"{"):
            raise OptionError("the input looks like JSON Lines, not CSV: add --jsonl")
        if self.delimiter is None:
            self.delimiter = _sniff(first.decode("utf-8", "surrogateescape"))
        self.sep = self.delimiter.encode()
        self.newline = b"\r\n" if first.endswith(b"\r") else b"\n"
        first_record = next(self._records(lines), None)
        rest = block[self._offset(lines):]
        if first_record is None:  # it goes on past this block
            return rest
        _, raw, fields = first_record
        cells = [f.strip() for f in fields]
        numeric = any(cells) and all(
            _number(c.encode("utf-8", "surrogateescape")) is not None for c in cells if c)
        self.has_header = not numeric if self.header is None else self.header
        if self.has_header:
            self.header_line = raw
            self.choose(cells, on_header)
        else:
            self.choose(["x"] if len(cells) == 1 else [f"x{i}" for i in range(1, len(cells) + 1)],
                        on_header)
            yield from self._careful([first_record])
        return (yield from self._process(rest)) if rest else b""

    def _process(self, block: bytes) -> Iterator[DelimitedRows]:
        """The rows of `block`; returns an unfinished last record to carry."""
        if b'"' not in block:
            rows = self._fast(block)
            if rows is not None:
                self.line += len(rows.lengths)
                yield rows
                return b""
        lines = block.split(b"\n")
        lines.pop()
        yield from self._careful(self._records(lines))
        return block[self._offset(lines):]

    def _fast(self, block: bytes) -> DelimitedRows | None:
        """The whole block without Python code per row, if it is clean; None if not."""
        if b"\r" in block:
            block = block.replace(b"\r\n", b"\n")
        sep, width = self.sep, len(self.names)
        text = np.frombuffer(block, np.uint8)
        breaks = text == 10
        ends = np.flatnonzero(breaks)
        rows = len(ends)
        if width == 1:
            # The lines are the cells; with commas among them they are not numbers.
            if sep in block or b"," in block:
                return None
            columns = [block[:-1].replace(b"\n", b",")]
        else:
            per_line = np.diff(np.cumsum(text == sep[0], dtype=np.int64)[ends], prepend=0)
            if np.any(per_line != width - 1):
                return None
            cells = block.replace(b"\n", sep).split(sep)
            cells.pop()
            columns = [b",".join(cells[i::width]) for i in self.selected]
        values = np.empty((rows, len(self.selected)), dtype=self.dtype)
        for j, joined in enumerate(columns):
            parsed = _parse_numbers(joined, rows)
            if parsed is None:
                return None
            values[:, j] = parsed
        self.rows += rows
        return DelimitedRows(values, block, np.diff(ends, prepend=-1))

    def _records(self, lines: list[bytes]) -> Iterator[tuple[int, bytes, list[str]]]:
        """The non-blank records in `lines` as (line number, raw bytes, fields); stops
        before a last record whose quoted field runs past them. `self.used` counts the
        lines consumed so far; `_offset` turns it into a position in the block."""
        ran_out = False

        def feed() -> Iterator[str]:
            nonlocal ran_out
            for line in lines:
                yield line.decode("utf-8", "surrogateescape") + "\n"
            ran_out = True

        reader = csv.reader(feed(), delimiter=self.delimiter or ",", skipinitialspace=True)
        self.used = 0
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # e.g. a line break inside a field: not CSV text
                raise DataError(self.line + self.used,
                                f"not readable as CSV ({str(error).split(' - ')[0]})") from None
            if ran_out:  # the reader asked past the last line: the record is unfinished
                return
            start, self.used = self.used, reader.line_num
            raw = b"\n".join(lines[start:self.used]).removesuffix(b"\r")
            if raw.strip():
                yield self.line + start, raw, fields

    def _offset(self, lines: list[bytes]) -> int:
        """Where the lines not consumed by `_records` start in their block; moves `line` on."""
        self.line += self.used
        return sum(map(len, lines[:self.used])) + self.used

    def _careful(self, records: Iterable[tuple[int, bytes, list[str]]]) -> Iterator[DelimitedRows]:
        """`records` one by one, finding ragged rows and bad cells with their line; the
        rows before an error are yielded before it is raised."""
        width = len(self.names)
        good: list[bytes] = []
        values: list[float] = []
        error = None
        try:
            for line, raw, fields in records:
                if len(fields) != width:
                    if self.on_error == "fail":
                        raise DataError(line, f"{len(fields)} fields where the "
                                        f"{'header' if self.has_header else 'first line'} "
                                        f"has {width}")
                    # Which field is which is unknown in a ragged row: like a bad cell,
                    # it is dropped or its chosen cells are NaN.
                    self.rows += 1
                    if self.on_error == "skip":
                        self.skipped += 1
                    else:
                        self.nan_cells += len(self.selected)
                        # Padded, so that the results land in their columns.
                        good.append(raw + self.sep * max(width - len(fields), 0))
                        values.extend([math.nan] * len(self.selected))
                    continue
                chosen = [(fields[i].encode("utf-8", "surrogateescape"), fields[i])
                          for i in self.selected]
                row = self.read_row(line, chosen)
                if row is not None:
                    good.append(raw)
                    values.extend(row)
        except DataError as caught:
            error = caught
        if good:
            yield DelimitedRows(self._array(values), b"\n".join(good) + b"\n",
                                np.fromiter(map(len, good), np.int64, len(good)) + 1)
        if error is not None:
            raise error


class _JsonLinesParser(_Parser):
    """JSON Lines: each line an object, its keys the columns (those of the first line)."""

    def parse(self, on_header: Callable[[], None]) -> Iterator[JsonRows]:
        while (block := self.blocks.read()) is not None:
            yield from self._process(block, on_header)

    def _process(self, block: bytes, on_header: Callable[[], None]) -> Iterator[JsonRows]:
        good: list[bytes] = []
        nonempty: list[bool] = []  # whether each good object already has keys
        values: list[float] = []
        error = None
        try:
            for raw in block.split(b"\n")[:-1]:
                line, self.line = self.line, self.line + 1
                raw = raw.rstrip()
                if not raw:
                    continue
                obj = _json_object(raw, line)
                if not self.names:
                    self.choose(list(obj), on_header)
                chosen = [(_json_cell(obj[key]), json.dumps(obj[key])) if key in obj
                          else (b"", None) for key in (self.names[i] for i in self.selected)]
                row = self.read_row(line, chosen)
                if row is not None:
                    good.append(raw)
                    nonempty.append(bool(obj))
                    values.extend(row)
        except DataError as caught:
            error = caught
        if good:
            yield JsonRows(self._array(values), good, nonempty)
        if error is not None:
            raise error


# --- writing: the rows with their results ------------------------------------------------

class _Writer:
    """What the CSV and JSON Lines writers share: the result columns, computing them, and
    the output (bytes to the sink, or rows parsed back for another format)."""

    def __init__(self, parser: _Parser, sink: BinaryIO, compute: Compute,
                 result_names: ResultNames, only: bool, rows: RowSink | None) -> None:
        self.parser, self.sink, self.compute, self.rows_to = parser, sink, compute, rows
        self.result_names, self.only = result_names, only
        self.results: list[str] = []
        self.out_names: list[str] | None = None  # the output header, for parse_output
        self.header_out = True  # whether the output (in another format) has a header line

    def start(self) -> None:
        """Once the input's columns are known: the result names, checked."""
        names = self.parser.names
        chosen = [names[i] for i in self.parser.selected]
        given = self.result_names
        self.results = list(given(chosen) if callable(given) else given)
        written = self.results if self.only else [*names, *self.results]
        twice = sorted({n for n in written if written.count(n) > 1})
        if twice:
            # A reader would see one column (or the last) under the name.
            raise OptionError(f"the output would have two columns named {', '.join(map(repr, twice))}: "
                              "rename the results with --name, or use --only")

    def write_rows(self, rows: Any) -> None:
        raise NotImplementedError

    def write(self, *pieces: bytes | memoryview) -> None:
        """Output in the input's format, the `pieces` one after the other: to the sink,
        or parsed, to `rows_to`."""
        if self.rows_to is None:
            for piece in pieces:
                self.sink.write(piece)
            self.sink.flush()
        elif data := b"".join(pieces):
            self.rows_to(self.parse_output(data), self.header_out)

    def parse_output(self, data: bytes) -> list[dict[str, Any]]:
        raise NotImplementedError

    def evaluate(self, values: np.ndarray) -> list[np.ndarray]:
        results = [np.asarray(r) for r in self.compute(values)]
        if len(results) != len(self.results):
            raise ValueError(f"compute returned {len(results)} columns for "
                             f"{len(self.results)} result names")
        for r in results:
            if r.shape != (len(values),):
                raise ValueError(f"compute returned shape {r.shape} for {len(values)} rows")
        return results


class _DelimitedWriter(_Writer):
    """CSV or TSV: raw lines pass through, results are appended with the same delimiter."""

    parser: _DelimitedParser

    def __init__(self, *common: Any, write_header: bool | None) -> None:
        super().__init__(*common)
        # Rows handed on as dicts need the column names: the header is always produced.
        self.requested_header = write_header
        self.write_header = True if self.rows_to is not None else write_header

    def start(self) -> None:
        """The result names, then the output's header line (if it has one)."""
        super().start()
        parser = self.parser
        self.header_out = (parser.has_header if self.requested_header is None
                           else self.requested_header)
        if self.write_header if self.write_header is not None else parser.has_header:
            results = [_quote(n, parser.delimiter) for n in self.results]
            if self.only:
                row = results
            elif parser.has_header:
                row = [parser.header_line.decode("utf-8", "surrogateescape"), *results]
            else:
                row = [_quote(n, parser.delimiter) for n in parser.names] + results
            self.write(parser.delimiter.join(row).encode("utf-8", "surrogateescape")
                       + parser.newline)

    def write_rows(self, rows: DelimitedRows) -> None:
        """Write each row as its bytes, the delimiter and each result, a line break.

        Built as the same bytes rotated: a line break, then row i's bytes led by the
        break that ends row i - 1 ("\n" + text without its last \n), so that the rows
        pass as they are and each result is one piece after its row (no copy of the rows
        without their breaks, no break added to each result)."""
        results = self.evaluate(rows.values)
        sep, newline = self.parser.sep, self.parser.newline
        streams: list[tuple[bytes | np.ndarray, np.ndarray]] = []
        if self.only:
            pass
        elif newline == b"\n":
            streams.append((b"\n" + rows.text[:-1], rows.lengths))
        else:  # the rows' breaks are single \n: drop them, and lead with the newline
            text = np.frombuffer(rows.text, np.uint8)
            streams += [(newline * len(rows.lengths), np.full(len(rows.lengths), len(newline))),
                        (np.delete(text, np.cumsum(rows.lengths) - 1), rows.lengths - 1)]
        for k, r in enumerate(results):
            lead = newline if self.only and k == 0 else sep
            body = _format(r, (b"nan", b"inf", b"-inf"))
            commas = np.flatnonzero(np.frombuffer(body, np.uint8) == ord(","))
            widths = np.diff(commas, prepend=-1, append=len(body)) - 1
            streams.append((lead + (body if lead == b"," else body.replace(b",", lead)),
                            widths + len(lead)))
        self.write(memoryview(_interleave(streams))[len(newline):], newline)

    def parse_output(self, data: bytes) -> list[dict[str, Any]]:
        text = data.decode("utf-8", "surrogateescape")
        records = csv.reader(io.StringIO(text, newline=""), delimiter=self.parser.delimiter or ",",
                             skipinitialspace=True)
        if self.out_names is None:
            self.out_names = next(records)
        return [dict(zip(self.out_names, map(_cell_value, fields))) for fields in records]


class _JsonLinesWriter(_Writer):
    """JSON Lines: results are added as keys before each object's `}`."""

    def write_rows(self, rows: JsonRows) -> None:
        import orjson

        keys = [orjson.dumps(name) + b":" for name in self.results]
        columns = [_format(r, JSON_NONFINITE).split(b",") for r in self.evaluate(rows.values)]
        pairs = [b",".join(map(bytes.__add__, keys, cells)) for cells in zip(*columns)]
        if self.only:
            out = [b"{" + p + b"}" for p in pairs]
        else:
            out = [raw[:-1] + (b"," if full else b"") + p + b"}"
                   for raw, full, p in zip(rows.lines, rows.nonempty, pairs)]
        self.write(b"\n".join(out) + b"\n")

    def parse_output(self, data: bytes) -> list[dict[str, Any]]:
        return [_json_object(line, 0) for line in data.splitlines()]


def _cell_value(cell: str) -> Any:
    """A CSV cell as a JSON value: an integer or a float if it reads as one, None if
    empty, else the text."""
    if not cell.strip():
        return None
    if _INTEGER.fullmatch(cell.strip()):
        value = int(cell)
        # -0 as an integer would lose its sign: the float keeps it.
        return -0.0 if value == 0 and cell.strip().startswith("-") else value
    number = _number(cell.encode("utf-8", "surrogateescape"))
    return cell if number is None else number


_INTEGER = re.compile(r"[-+]?\d{1,15}")


class RowWriter:
    """Writes the dict rows of `run(..., rows=)` as csv, tsv, json or jsonl: the column
    names are the first row's keys; floats in shortest round-trip form; NaN and
    infinities in JSON as "nan", "inf", "-inf"; JSON is one list, written as it goes."""

    def __init__(self, fmt: str, sink: BinaryIO) -> None:
        if fmt not in ("csv", "tsv", "json", "jsonl"):
            raise OptionError(f"RowWriter cannot write {fmt!r}")
        self.fmt, self.sink = fmt, sink
        self.names: list[str] | None = None
        self.started = False

    def __call__(self, rows: list[dict[str, Any]], header: bool = True) -> None:
        if not rows:
            return
        out = io.StringIO()
        if self.fmt in ("csv", "tsv"):
            writer = csv.writer(out, delimiter="," if self.fmt == "csv" else "\t",
                                lineterminator="\n")
            if self.names is None:
                self.names = list(rows[0])
                if header:
                    writer.writerow(self.names)
            writer.writerows([_text(row.get(name)) for name in self.names] for row in rows)
        else:
            lines = [json.dumps({k: _json_ready(v) for k, v in row.items()}) for row in rows]
            if self.fmt == "jsonl":
                out.write("".join(line + "\n" for line in lines))
            else:
                out.write(("[\n  " if not self.started else ",\n  ") + ",\n  ".join(lines))
        self.started = True
        self.sink.write(out.getvalue().encode("utf-8", "surrogateescape"))
        self.sink.flush()

    def close(self) -> None:
        if self.fmt == "json":
            self.sink.write(b"\n]\n" if self.started else b"[]\n")
            self.sink.flush()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dict, list, bool)):
        return json.dumps(value)
    return str(value)


def _json_ready(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # JSON has no NaN or infinity: "nan", "inf", "-inf"
    return value


def _json_object(raw: bytes, line: int) -> dict[str, Any]:
    import orjson

    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:  # the standard module also reads NaN and Infinity
            obj = json.loads(raw.decode("utf-8", "surrogateescape"))
        except ValueError as error:
            hint = " (CSV input? leave out --jsonl)" if line == 1 else ""
            raise DataError(line, f"not valid JSON ({error}){hint}") from None
    if not isinstance(obj, dict):
        raise DataError(line, f"expected a JSON object, got {type(obj).__name__}")
    return obj


def _json_cell(value: object) -> bytes:
    """A JSON value as text for `_number`: numbers as themselves, null as NaN."""
    if value is None:
        return b"nan"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value).encode()
    if value in ("nan", "inf", "-inf"):  # as actcli writes them
        return value.encode()
    return b""


def _select(names: list[str], wanted: Sequence[str | int] | None) -> list[int]:
    listing = ", ".join(map(repr, names))
    if wanted is None:
        if len(names) == 1:
            return [0]
        if "x" in names:
            return [names.index("x")]
        raise ColumnError(f"the input has {len(names)} columns and none is named 'x'; "
                          f"pick with --column: {listing}", names)
    if not wanted:
        raise ColumnError("no column given", names)
    chosen = []
    for token in wanted:
        key = str(token).strip()
        if key in names:
            chosen.append(names.index(key))
        elif key.isdigit() and 1 <= int(key) <= len(names):
            chosen.append(int(key) - 1)
        else:
            raise ColumnError(f"no column {key!r}; the input has {listing} "
                              f"(or 1-based indices 1-{len(names)})", names)
    return chosen


def _sniff(line: str) -> str:
    """The delimiter of a CSV line: the commonest of , tab ; | (a comma if none)."""
    counts = [(line.count(d), -k, d) for k, d in enumerate(",\t;|")]
    count, _, delimiter = max(counts)
    return delimiter if count else ","


def _quote(name: str, delimiter: str) -> str:
    if any(c in name for c in (delimiter, '"', "\n", "\r")) or name != name.strip():
        return '"' + name.replace('"', '""') + '"'
    return name


def _show(cell: str) -> str:
    # Bytes that are not UTF-8 were read as surrogates: show them as \xNN.
    text = cell.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return f"'{text if len(text) <= 40 else text[:37] + '...'}'"


def _number(cell: bytes) -> float | None:
    """The float in `cell` as Python reads it (spaces around, nan, inf), or None.
    Underscores are refused: float() takes '1_000', no CSV reader does."""
    if b"_" in cell:
        return None
    try:
        return float(cell)
    except ValueError:
        return None


# Tier one of `_parse_numbers` reads the cells as one JSON array, so each must be a
# number, not another JSON value that would convert silently: the fast path has no
# quotes (no strings), and these bytes (one in each of true, false and null, and no
# number's) rule out the rest. (Cheaper than checking every byte: a block is scanned
# for each at memchr's speed.)
_NOT_IN_NUMBERS = (b"t", b"a", b"l", b"[", b"{")
_INTEGER_MINUS_ZERO = re.compile(rb"-0(?![0-9.eE])")


def _parse_numbers(joined: bytes, count: int) -> np.ndarray | None:
    """float64 values of `count` comma-separated cells if every cell is a number, else
    None (the caller then finds the culprit)."""
    import orjson

    if not any(byte in joined for byte in _NOT_IN_NUMBERS):
        try:
            numbers = orjson.loads(b"[" + joined + b"]")
            values = np.fromiter(numbers, np.float64, count) if len(numbers) == count else None
        except (orjson.JSONDecodeError, OverflowError):
            values = None
        # JSON reads the integer -0 as 0; float() keeps the sign.
        if values is not None and (values.all() or not _INTEGER_MINUS_ZERO.search(joined)):
            return values
    cells = joined.split(b",")
    if b"_" in joined or len(cells) != count:
        return None
    try:
        return np.array(list(map(float, cells)), dtype=np.float64)
    except ValueError:
        return None


def _format(values: np.ndarray, nonfinite: tuple[bytes, bytes, bytes] | None) -> bytes:
    """The values, comma-separated, each as the shortest text that reads back as exactly
    that value (float32 as float32); NaN, inf and -inf spelt as `nonfinite` says, or
    null (JSON) when it is None."""
    import orjson

    if values.dtype not in (np.float32, np.float64):
        values = values.astype(np.float64)
    body: bytes = orjson.dumps(np.ascontiguousarray(values),
                               option=orjson.OPT_SERIALIZE_NUMPY)[1:-1]
    special = ~np.isfinite(values)
    if nonfinite is None or not special.any():
        return body
    kinds = np.isnan(values), values == np.inf, values == -np.inf
    present = [spelling for spelling, where in zip(nonfinite, kinds) if where.any()]
    if len(present) == 1:  # orjson wrote null for every one of them
        return body.replace(b"null", present[0])
    cells = body.split(b",")
    for i in np.flatnonzero(special).tolist():
        cells[i] = nonfinite[0 if np.isnan(values[i]) else 1 if values[i] > 0 else 2]
    return b",".join(cells)


def _interleave(streams: list[tuple[bytes | np.ndarray, np.ndarray]]) -> np.ndarray:
    """Row after row, the next piece of each stream in turn, as uint8; a stream is its
    pieces concatenated and their lengths. Done with NumPy masks, not per row: with two
    streams (a row and one result), one mask of where the first stream's bytes go."""
    arrays = [np.frombuffer(data, np.uint8) if isinstance(data, bytes) else data
              for data, _ in streams]
    if len(streams) == 1:
        return arrays[0]
    rows = len(streams[0][1])
    lengths = np.stack([n for _, n in streams], axis=1).ravel()
    if len(streams) == 2:
        first = np.repeat(np.tile(np.array([True, False]), rows), lengths)
        out = np.empty(len(first), np.uint8)
        out[first] = arrays[0]
        out[np.logical_not(first, out=first)] = arrays[1]
        return out
    kinds = np.arange(len(streams), dtype=np.min_scalar_type(len(streams)))
    labels = np.repeat(np.tile(kinds, rows), lengths)
    out = np.empty(len(labels), np.uint8)
    for k, data in enumerate(arrays):
        out[labels == k] = data
    return out
