"""`actcli.watch(model)`: what the activation modules of a live PyTorch model receive, as a
report for people (a Rich table, HTML in a notebook) and programs (rows, JSON, a file
that `actcli stats --report FILE` prints in every format).

The hooks and the numbers are in `actcli.analysis.watch`; this module presents them.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from actcli.analysis import stats
from actcli.analysis.watch import ROW_KEYS, Watcher
from actcli.errors import InputError, RunError, cannot_read
from actcli.present import stats_tables
from actcli.present.files import write_atomically
from actcli.present.render import DEFAULT_PRECISION, Table, for_people, write_table

FORMAT = "actcli watch report"
VERSION = 1


class ReportFileError(RunError):
    """A report file that cannot be read as one."""


class Report:
    """What the watched modules received: `rows` (one dict per module and per what-if
    function, with the keys of `actcli stats -f json` plus `layer` and `module`), and
    `notes` on what the rows mean or leave out."""

    def __init__(self, rows: Sequence[Mapping[str, Any]], notes: Sequence[str] = (),
                 saturation: float = stats.DEFAULT_SATURATION) -> None:
        self.rows = [dict(row) for row in rows]
        self.notes = list(notes)
        self.saturation = saturation

    def to_json(self) -> str:
        """The rows as JSON text, as `actcli stats --report FILE -f json` prints them (NaN
        and infinities as the strings "nan", "inf", "-inf")."""
        buffer = io.StringIO()
        self.render("json", buffer)
        return buffer.getvalue()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the report to `path` (JSON, atomically) for `actcli stats --report`."""
        document = {"format": FORMAT, "version": VERSION, "saturation": self.saturation,
                    "notes": self.notes, "rows": json.loads(self.to_json())}
        write_atomically(Path(path), (json.dumps(document, indent=2) + "\n").encode())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Report:
        """A report written by `save`."""
        name = os.fspath(path)
        try:
            with open(name, "rb") as stream:
                text = stream.read()
        except OSError as error:
            raise InputError(cannot_read(name, error)) from None
        try:
            document = json.loads(text)
            if not (isinstance(document, dict) and document.get("format") == FORMAT):
                raise ValueError("not an actcli watch report")
            if document.get("version") != VERSION:
                raise ValueError(f"version {document.get('version')!r}, this actcli reads "
                                 f"version {VERSION}")
            rows = [_row(row) for row in document["rows"]]
            return cls(rows, [str(n) for n in document["notes"]], float(document["saturation"]))
        except (ValueError, KeyError, TypeError) as error:
            raise ReportFileError(f"{name!r} is not a report saved by actcli.watch "
                                  f"(report.save): {error}") from None

    def tables(self, fmt: str) -> list[Table]:
        """The tables that print the report in `fmt`: for people (table, html) the
        functions and the inputs apart, with the verdicts; else one table of rows."""
        if for_people(fmt):  # as `actcli stats` prints a table
            return stats_tables.report_tables_for_people(self.rows, self.saturation, self.notes)
        return [stats_tables.report_table(self.rows)]

    def render(self, fmt: str, out: TextIO, *, precision: int = DEFAULT_PRECISION,
               width: int | None = None) -> None:
        """Write the report to the text stream `out` as `actcli stats --report` prints it
        (`fmt`: table, csv, tsv, json, jsonl, markdown, or html)."""
        if not self.rows and for_people(fmt):
            out.write("no rows: " + "; ".join(self.notes) + "\n")
            return
        for i, table in enumerate(self.tables(fmt)):
            if i:
                out.write("\n")
            write_table(table, fmt, out, precision=precision, width=width)

    def __str__(self) -> str:
        import shutil

        buffer = io.StringIO()
        self.render("table", buffer, width=shutil.get_terminal_size().columns)
        return buffer.getvalue()

    def _repr_html_(self) -> str:
        buffer = io.StringIO()
        self.render("html", buffer)
        return buffer.getvalue()

    def __repr__(self) -> str:
        layers = len({row["layer"] for row in self.rows})
        return f"<actcli Report: {layers} layer(s), {len(self.rows)} row(s)>"


def _row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A saved row with its numbers back as numbers ("nan", "inf" and "-inf" as floats)."""
    if list(row) != list(ROW_KEYS):
        raise ValueError(f"a row with the keys {list(row)}")
    out = dict(row)
    for key in ROW_KEYS:
        value = out[key]
        if key in ("layer", "module", "function", "verdict"):
            if not isinstance(value, str):
                raise ValueError(f"{key} {value!r} is not text")
        elif key == "n" or key.endswith("_count"):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"{key} {value!r} is not a count")
        elif isinstance(value, str) and value in ("nan", "inf", "-inf"):
            out[key] = float(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = float(value)
        else:
            raise ValueError(f"{key} {value!r} is not a number")
    return out


class Watch:
    """Hooks on a model's activation modules while the `with` block runs (or until
    `close()`); `report()` summarises what they received so far."""

    def __init__(self, model: Any, *, what_if: Iterable[str] = (), names: Any = None,
                 types: Any = None, every: int = 1, after: Mapping[str, str] | None = None,
                 saturation: float = stats.DEFAULT_SATURATION) -> None:
        self._watcher = Watcher(model, what_if=what_if, names=names, types=types, every=every,
                                after=after, saturation=saturation)

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc_info: object) -> None:
        # Hooks go whatever happened; an exception from the block is not replaced.
        self._watcher.close(quiet=kind is not None)

    @property
    def layers(self) -> list[str]:
        """The qualified names of the watched modules."""
        return [layer.layer for layer in self._watcher.layers]

    def report(self, all_ranks: bool = False) -> Report:
        """The report of what was watched so far. all_ranks: under torch.distributed,
        merge every rank's summaries (every rank must call it; each gets the whole)."""
        rows, notes = self._watcher.rows(all_ranks)
        if not rows and not notes:
            notes = ["no forward pass was watched"]
        return Report(rows, notes, self._watcher.saturation)

    def reset(self) -> None:
        """Forget what was summarised so far; the hooks stay."""
        self._watcher.reset()

    def close(self) -> None:
        """Remove the hooks (the `with` block does it); the report stays available."""
        self._watcher.close()

    def __repr__(self) -> str:
        return f"<actcli Watch: {len(self.layers)} module(s), {self._watcher.passes} pass(es)>"
