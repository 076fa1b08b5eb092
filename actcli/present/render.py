"""Renderers: a Rich table for people, CSV/TSV/JSON/JSON Lines/Markdown for programs,
and HTML for notebooks and web pages (not a command-line format).

A `Table` holds named columns of floats or text. Machine formats write floats in
shortest round-trip form (float(cell) == value; float32 values round-trip through
numpy.float32); the Rich table rounds to a number of significant digits. Rich is
imported only when a table is drawn.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TextIO

import numpy as np

from actcli.errors import InputError

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
DEFAULT_PRECISION = 6
# A table for people is built whole and read on a screen: beyond this, a machine format.
MAX_TABLE_ROWS = 100_000


def for_people(fmt: str) -> bool:
    """Whether `fmt` is read by people: a terminal table, Markdown or HTML, with numbers
    rounded, ranges and places as text, explanations as notes and several tables where
    they help. The others (CSV, TSV, JSON, JSON Lines) are for programs: one table, every
    number exact and one value per column."""
    return fmt in ("table", "markdown", "html")


def check_rows_for_people(rows: int, fmt: str) -> None:
    """A table for people is built whole: refuse more rows than anyone reads."""
    if for_people(fmt) and rows > MAX_TABLE_ROWS:
        raise InputError(f"more than {MAX_TABLE_ROWS:,} rows are too many for a {fmt} "
                         f"(got {rows:,}): use -f csv, tsv or jsonl, which stream")


def check_format(fmt: str) -> str:
    """`fmt` in lower case if it is one of FORMATS; else a one-line InputError."""
    chosen = fmt.lower()
    if chosen not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return chosen


def check_precision(precision: int) -> int:
    if not 1 <= precision <= 17:
        raise InputError(f"--precision must be between 1 and 17, got {precision}")
    return precision


@dataclass
class Column:
    name: str  # CSV header and JSON key: identifier-like (relu_grad)
    values: Sequence[Any] | np.ndarray
    heading: str = ""  # header in the Rich table (relu'(x)); defaults to name
    # Prose (descriptions, explanations) is cut with an ellipsis on a terminal rather
    # than wrapped; other text wraps at spaces only, numbers never.
    prose: bool = False
    # Long text that must be read whole (the values of `info`): it wraps at spaces in
    # whatever width is left, and only a word wider than the column is cut (an ellipsis).
    paragraph: bool = False
    # Rows grouped by this column's value: a terminal table is drawn as one table per
    # value, titled with it, without the column (`list`: elementwise, then vector).
    section: bool = False
    # The significant digits an estimate is good to: tables for people show no more.
    accurate_digits: int | None = None

    def digits(self, precision: int) -> int:
        """The significant digits to show in a table for people."""
        return min(precision, self.accurate_digits or precision)

    @property
    def title(self) -> str:
        return self.heading or self.name


@dataclass(frozen=True)
class NumberText:
    """Words around numbers, as one cell: a table for people rounds the numbers as it
    rounds its number columns and keeps the cell on one line; elsewhere the numbers are
    written in full. `template` has {0}, {1}, ... for the numbers: "[{0}, {1})"."""

    template: str
    numbers: tuple[float, ...] = ()

    def rounded(self, precision: int) -> str:
        return self.template.format(*(format(n + 0.0, f".{precision}g") for n in self.numbers))

    def __str__(self) -> str:
        return self.template.format(*map(repr, self.numbers))


@dataclass
class Table:
    title: str
    columns: list[Column]
    caption: str = ""
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return max((len(c.values) for c in self.columns), default=0)


def machine_cells(values: Sequence[Any] | np.ndarray) -> list[str]:
    """Cells for machine formats: floats in shortest round-trip form, booleans as JSON
    spells them (true, false), text as is."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        if values.dtype == np.float64:
            return list(map(repr, values.tolist()))
        return [str(v) for v in values]  # numpy's shortest form for its own dtype
    return ["" if v is None else _boolean(v) if isinstance(v, (bool, np.bool_)) else str(v)
            for v in values]


def _boolean(value: bool | np.bool_) -> str:
    return "true" if value else "false"


def human_cell(value: Any, precision: int) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, NumberText):
        return value.rounded(precision)
    if isinstance(value, (float, np.floating)):
        # People read -0 as a different number from 0; machine formats keep the sign.
        return format(float(value) + 0.0, f".{precision}g")
    return "" if value is None else str(value)


def _json_value(value: Any) -> Any:
    # JSON has no NaN or infinity: they are written as the strings "nan", "inf", "-inf".
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isfinite(number):
            return number if isinstance(value, float) or value.dtype == np.float64 else float(str(value))
        return repr(number)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, NumberText):
        return str(value)
    return value


def _rows(table: Table) -> Iterable[list[Any]]:
    n = len(table)
    columns = [list(c.values) for c in table.columns]
    for i in range(n):
        yield [col[i] if i < len(col) else None for col in columns]


def write_table(table: Table, fmt: str, out: TextIO, *, precision: int = DEFAULT_PRECISION,
                header: bool = True, width: int | None = None) -> None:
    """`width`: of a terminal table (default: the terminal's, or $COLUMNS, or 80)."""
    if fmt == "table":
        for i, part in enumerate(_sections(table)):
            if i:
                out.write("\n")
            _rich_table(part, out, precision, width)
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        if header:
            writer.writerow([c.name for c in table.columns])
        cells = [machine_cells(c.values) for c in table.columns]
        n = len(table)
        writer.writerows([col[i] if i < len(col) else "" for col in cells] for i in range(n))
    elif fmt in ("json", "jsonl"):
        records = [{c.name: _json_value(v) for c, v in zip(table.columns, row)}
                   for row in _rows(table)]
        if fmt == "json":
            json.dump(records, out, indent=2)
            out.write("\n")
        else:
            out.writelines(json.dumps(r) + "\n" for r in records)
    elif fmt == "markdown":
        _markdown(table, out, precision)
    elif fmt == "html":
        _html(table, out, precision)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _sections(table: Table) -> list[Table]:
    """The table split by its section column: "Activation functions (vector)", ...; the
    caption and notes under the last."""
    section = next((c for c in table.columns if c.section), None)
    if section is None:
        return [table]
    values = list(section.values)
    parts = []
    for value in dict.fromkeys(values):
        rows = [i for i, v in enumerate(values) if v == value]
        columns = [replace(c, values=c.values[rows] if isinstance(c.values, np.ndarray)
                           else [c.values[i] for i in rows])
                   for c in table.columns if c is not section]
        parts.append(Table(f"{table.title} ({value})", columns))
    parts[-1].caption, parts[-1].notes = table.caption, list(table.notes)
    return parts


def write_record(title: str, record: Mapping[str, Any], fmt: str, out: TextIO) -> None:
    """One object (e.g. `info`): key/value rows in tables, a JSON object in JSON."""
    if fmt == "json":
        json.dump({k: _json_value(v) for k, v in record.items()}, out, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        out.write(json.dumps({k: _json_value(v) for k, v in record.items()}) + "\n")
    else:
        machine = fmt in ("csv", "tsv")
        table = Table(title, [Column("field", list(record)),
                              Column("value", [_plain(v, machine) for v in record.values()],
                                     paragraph=True)])
        write_table(table, fmt, out)


def _plain(value: Any, machine: bool = False) -> str:
    # The words of human_cell (yes/no) for people, of machine_cells (true/false) for
    # programs; "none" for an empty list.
    if isinstance(value, (bool, np.bool_)):
        return _boolean(value) if machine else "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v, machine) for v in value) if value else "none"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_plain(v, machine)}" for k, v in value.items())
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _markdown(table: Table, out: TextIO, precision: int) -> None:
    def escape(text: str) -> str:
        return text.replace("|", r"\|")

    numeric = [isinstance(c.values, np.ndarray) for c in table.columns]
    out.write("| " + " | ".join(escape(c.title) for c in table.columns) + " |\n")
    out.write("|" + "|".join("---:" if n else "---" for n in numeric) + "|\n")
    for row in _rows(table):
        out.write("| " + " | ".join(escape(human_cell(v, c.digits(precision)))
                                    for c, v in zip(table.columns, row)) + " |\n")
    texts = ([table.caption] if table.caption else []) + list(table.notes)
    if texts:  # below the table, a paragraph each
        out.write("".join(f"\n{text}\n" for text in texts))


def _html(table: Table, out: TextIO, precision: int) -> None:
    """A <table> (class "actcli") with the title as its caption, numbers right-aligned
    and rounded as in a terminal table; caption and notes follow as paragraphs. Every
    text is escaped: cells are data."""
    from html import escape

    numeric = [isinstance(c.values, np.ndarray) for c in table.columns]
    align = [' style="text-align:right"' if n else "" for n in numeric]
    out.write('<table class="actcli">\n')
    if table.title:
        out.write(f"<caption>{escape(table.title)}</caption>\n")
    out.write("<thead><tr>" + "".join(f"<th{a}>{escape(c.title)}</th>"
                                      for c, a in zip(table.columns, align)) + "</tr></thead>\n")
    out.write("<tbody>\n")
    for row in _rows(table):
        out.write("<tr>" + "".join(f"<td{a}>{escape(human_cell(v, c.digits(precision)))}</td>"
                                   for c, v, a in zip(table.columns, row, align)) + "</tr>\n")
    out.write("</tbody>\n</table>\n")
    for text in ([table.caption] if table.caption else []) + list(table.notes):
        out.write(f'<p class="actcli-note">{escape(text)}</p>\n')


# Fewest significant digits a terminal table drops to before it cuts columns.
MIN_PRECISION = 3
# Narrowest a prose column is squeezed to (then cut with an ellipsis).
PROSE_MIN_WIDTH = 12
_PARAMETERS = re.compile(r"^(\w+)(\([^()]*\)'*)$")  # leaky_relu(negative_slope=0.2)'


def _breakable(text: str) -> str:
    """A function label may break before its parameters; otherwise text breaks at spaces."""
    return _PARAMETERS.sub(r"\1\n\2", text) if len(text) > 12 else text


def _words(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _lines(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


@dataclass
class _Layout:
    columns: list[Column]
    cells: list[list[str]]  # per column
    headings: list[str]
    widths: list[int]
    precision: int
    padding: int  # spaces either side of a cell: 1, or 0 in a table that is short of room


def _layout(table: Table, width: int, precision: int) -> _Layout:
    """Column widths in which no number or word is split: numbers and words keep their
    full width, prose gives way (to an ellipsis); if that does not fit, numbers get
    fewer digits, down to MIN_PRECISION, then cells lose their padding, and then
    columns are cut from the right."""
    columns = table.columns
    headings = [_breakable(c.title) for c in columns]
    numeric = [isinstance(c.values, np.ndarray) for c in columns]
    rows = len(table)
    # Cells that stay on one line: numbers, and words around numbers (a range, a place).
    whole = [[n or isinstance(v, NumberText) for v in c.values] + [False] * (rows - len(c.values))
             for c, n in zip(columns, numeric)]
    for digits in range(precision, min(precision, MIN_PRECISION) - 1, -1):
        cells = [[human_cell(v, c.digits(digits)) if one_line
                  else _breakable(human_cell(v, c.digits(digits)))
                  for v, one_line in zip(c.values, ones)] + [""] * (rows - len(c.values))
                 for c, ones in zip(columns, whole)]
        natural = [max([_lines(h), *map(_lines, col)]) for h, col in zip(headings, cells)]
        least = [min(nat, max(PROSE_MIN_WIDTH, _words(h))) if c.prose or c.paragraph
                 else max([_words(h), *(len(cell) if one_line else _words(cell)
                                        for cell, one_line in zip(col, ones))])
                 for c, h, col, ones, nat in zip(columns, headings, cells, whole, natural)]
        if sum(least) + 3 * len(columns) + 1 <= width or digits <= MIN_PRECISION:
            break
    # A column costs its width, the padding either side and one border.
    padding = 1 if sum(least) + 3 * len(columns) + 1 <= width else 0
    kept = len(columns)
    while kept > 1 and sum(least[:kept]) + (2 * padding + 1) * kept + 1 > width:
        kept -= 1
    widths = least[:kept]
    spare = width - (sum(widths) + (2 * padding + 1) * kept + 1)
    # Spare room goes to the column that misses most of its natural width: prose and
    # paragraphs first up to half the width, then names and numbers, so that they stay on
    # one line, and then prose and paragraphs again.
    grows = [k for k in range(kept) if columns[k].prose or columns[k].paragraph]
    rest = [k for k in range(kept) if k not in grows]
    for widening, most in ((grows, width // 2), (rest, width), (grows, width)):
        while spare > 0 and widening:
            k = max(widening, key=lambda k: min(natural[k], most) - widths[k])
            if min(natural[k], most) <= widths[k]:
                break
            widths[k] += 1
            spare -= 1
    return _Layout(columns[:kept], cells[:kept], headings[:kept], widths, digits, padding)


def _rich_table(table: Table, out: TextIO, precision: int, width: int | None = None) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    # markup=False: cells and titles are data ("[tanh: ...]" in a formula, "[float32]").
    console = Console(file=out, highlight=False, soft_wrap=False, markup=False, width=width)
    layout = _layout(table, console.width, precision)
    rich_table = RichTable(title=table.title, caption=table.caption or None,
                           caption_justify="left", header_style="bold cyan",
                           padding=(0, layout.padding))
    for column, heading, size in zip(layout.columns, layout.headings, layout.widths):
        numeric = isinstance(column.values, np.ndarray)
        rich_table.add_column(heading, justify="right" if numeric else "left", width=size,
                              no_wrap=column.prose,
                              overflow="ellipsis" if column.prose or column.paragraph else "fold")
    for row in zip(*layout.cells):
        rich_table.add_row(*row)
    console.print(rich_table)
    notes = list(table.notes)
    if layout.precision < precision:
        notes.append(f"(numbers rounded to {layout.precision} significant digits to fit "
                     f"{console.width} columns)")
    left_out = [c.name for c in table.columns[len(layout.columns):]]
    if left_out:
        notes.append(f"(table cut to fit {console.width} columns: {', '.join(left_out)} not "
                     "shown; widen the terminal or use -f csv)")
    for note in notes:
        console.print(note, style="dim")
