"""Renderers: a Rich table for people, CSV/TSV/JSON/JSON Lines/Markdown for programs.

A `Table` holds named columns of floats or text. Machine formats write floats in
shortest round-trip form (float(cell) == value; float32 values round-trip through
numpy.float32); the Rich table rounds to a number of significant digits. Rich is
imported only when a table is drawn.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np

from actcli.errors import InputError

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
DEFAULT_PRECISION = 6


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

    @property
    def title(self) -> str:
        return self.heading or self.name


@dataclass
class Table:
    title: str
    columns: list[Column]
    caption: str = ""
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return max((len(c.values) for c in self.columns), default=0)


def machine_cells(values: Sequence[Any] | np.ndarray) -> list[str]:
    """Cells for machine formats: floats in shortest round-trip form, text as is."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        if values.dtype == np.float64:
            return list(map(repr, values.tolist()))
        return [str(v) for v in values]  # numpy's shortest form for its own dtype
    return ["" if v is None else str(v) for v in values]


def human_cell(value: Any, precision: int) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        return format(float(value), f".{precision}g")
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
    return value


def _rows(table: Table) -> Iterable[list[Any]]:
    n = len(table)
    columns = [list(c.values) for c in table.columns]
    for i in range(n):
        yield [col[i] if i < len(col) else None for col in columns]


def write_table(table: Table, fmt: str, out: TextIO, *, precision: int = DEFAULT_PRECISION,
                header: bool = True) -> None:
    if fmt == "table":
        _rich_table(table, out, precision)
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        if header:
            writer.writerow([c.name for c in table.columns])
        cells = [machine_cells(c.values) for c in table.columns]
        n = len(table)
        writer.writerows([col[i] if i < len(col) else "" for col in cells] for i in range(n))
    elif fmt in ("json", "jsonl"):
        records = [{c.name: _json_value(v) for c, v in zip(table.columns, row) if v is not None}
                   for row in _rows(table)]
        if fmt == "json":
            json.dump(records, out, indent=2)
            out.write("\n")
        else:
            out.writelines(json.dumps(r) + "\n" for r in records)
    elif fmt == "markdown":
        _markdown(table, out, precision)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def write_record(title: str, record: Mapping[str, Any], fmt: str, out: TextIO) -> None:
    """One object (e.g. `info`): key/value rows in tables, a JSON object in JSON."""
    if fmt == "json":
        json.dump({k: _json_value(v) for k, v in record.items()}, out, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        out.write(json.dumps({k: _json_value(v) for k, v in record.items()}) + "\n")
    else:
        table = Table(title, [Column("field", list(record)),
                              Column("value", [_plain(v) for v in record.values()])])
        write_table(table, fmt, out)


def _plain(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(_plain, value))
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
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
        out.write("| " + " | ".join(escape(human_cell(v, precision)) for v in row) + " |\n")


def _rich_table(table: Table, out: TextIO, precision: int) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    rich_table = RichTable(title=table.title, caption=table.caption or None,
                           caption_justify="left", header_style="bold cyan")
    for column in table.columns:
        numeric = isinstance(column.values, np.ndarray)
        rich_table.add_column(column.title, justify="right" if numeric else "left",
                              overflow="fold")
    for row in _rows(table):
        rich_table.add_row(*(human_cell(v, precision) for v in row))
    # markup=False: cells and titles are data ("[tanh: ...]" in a formula, "[float32]").
    console = Console(file=out, highlight=False, soft_wrap=False, markup=False)
    console.print(rich_table)
    for note in table.notes:
        console.print(note, style="dim")
