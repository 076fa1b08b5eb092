"""What the explorer shows, without Textual: functions, view, cursor, and the texts made
from them by the same code as the command line (function specs, eval tables, `info`,
`plot`). The app only draws this state and turns keys into calls on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any

import numpy as np

from actcli.dtypes import float_dtype
from actcli.errors import InputError
from actcli.frontend import drawing
from actcli.frontend.view import MAX_WIDTH, plot_command
from actcli.present.files import unused_name
from actcli.frontend.view import plottable as function
from actcli.present import tables
from actcli.present.plot import functions as plot
from actcli.resolve import distinct, spelling
from actcli.present import termplot
from actcli.present.termplot import nice_step
from actcli.present.render import DEFAULT_PRECISION, human_cell

DEFAULT_START, DEFAULT_STOP = plot.DEFAULT_START, plot.DEFAULT_STOP
CURSOR_STEPS = 100  # a small cursor step is 1/100 of the view; Shift: 1/10


class ExploreError(InputError):
    """A function, parameter or view the explorer cannot use; one line for the user."""


def decimal(value: float) -> Decimal:
    """The decimal a float reads as: 0.1, not 0.1000000000000000055511151231257827. The
    view's steps are sums of these, exact, so that 0.1 + 0.2 is 0.3 and a step there and
    back returns exactly to a range as typed."""
    return Decimal(repr(value))


def nearest(value: Decimal) -> float:
    return float(value) + 0.0  # (never -0, which would read as "-0")


def param_step(start: float) -> Decimal:
    """The ↑/↓ step of a parameter that was `start` when stepping began: a tenth of its
    order of magnitude (1 and 2.5: 0.1, 0.25: 0.01, 250: 10; 0: 0.1)."""
    return Decimal(1).scaleb(decimal(start).adjusted() - 1 if start else -1)


def stepped(start: float, steps: int) -> float:
    """The value `steps` steps (of `param_step(start)`) from `start`, on the grid of that
    step: 1 down is 0.9, 0.8; 0.8944 up is 0.9, down 0.89. Zero steps is `start` itself,
    so stepping up and down again returns exactly to it, on the grid or not. Decimal
    arithmetic, so that each value is the float its text reads as (0.3, not
    0.30000000000000004)."""
    if steps == 0:
        return start
    unit = param_step(start)
    # The first step from a value off the grid goes to the grid's next value that way.
    base = (decimal(start) / unit).to_integral_value(ROUND_FLOOR if steps > 0 else ROUND_CEILING)
    return float((base + steps) * unit)


@dataclass
class View:
    """The explorer's state; every change makes a new plot on the next draw."""

    acts: list[Any]
    start: float = DEFAULT_START
    stop: float = DEFAULT_STOP
    grad: bool = True
    grad2: bool = False
    dtype: str = "float64"
    selected: int = 0
    cursor: float = 0.0
    home: tuple[float, float] = field(default=(DEFAULT_START, DEFAULT_STOP))
    _plot: termplot.TermPlot | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        distinct(self.acts, "explore")  # the legend and the readout could not tell them apart
        self.home = (self.start, self.stop)
        self.cursor = self._centre()

    def _centre(self) -> float:
        return 0.0 if self.start <= 0 <= self.stop else nearest(
            (decimal(self.start) + decimal(self.stop)) / 2)

    def changed(self) -> None:
        self._plot = None

    # --- the plot -------------------------------------------------------------------------

    def plot(self, width: int, height: int) -> termplot.TermPlot | None:
        """The plot for a `width` x `height` area; curves are computed once per change."""
        if not self.acts:
            return None
        if self._plot is None:
            self._plot = termplot.function_plot(self.acts, self.start, self.stop, grad=self.grad,
                                                grad2=self.grad2, dtype=self.dtype)
        return replace(self._plot, width=width, height=height, cursor=self.cursor,
                       selected=self.selected if len(self.acts) > 1 else None)

    # --- readout --------------------------------------------------------------------------

    def readout(self) -> list[tuple[str, str, bool]]:
        """(label, value, of the selected function) for x and each curve at the cursor,
        from the tables of `actcli eval/grad`."""
        x = np.array([self.cursor], dtype=float_dtype(self.dtype))
        orders = (0,) + (1,) * self.grad + (2,) * self.grad2  # the curves shown
        items = [("x", human_cell(x[0], DEFAULT_PRECISION), False)]
        for i, act in enumerate(self.acts):
            table = tables.values_table(act, x, orders)
            items += [(column.title, human_cell(column.values[0], DEFAULT_PRECISION),
                       i == self.selected) for column in table.columns[1:]]
        return items

    # --- cursor and view ------------------------------------------------------------------

    def cursor_step(self, large: bool = False) -> float:
        return nice_step(self.stop - self.start, CURSOR_STEPS // 10 if large else CURSOR_STEPS)

    def move_cursor(self, steps: int, large: bool = False) -> None:
        target = nearest(decimal(self.cursor) + steps * decimal(self.cursor_step(large)))
        self.cursor = min(max(target, self.start), self.stop)

    def zoom(self, factor: float) -> None:
        """Narrow (factor < 1) or widen the x range around the cursor (which the ends,
        rounded from exact decimals, never pass)."""
        cursor, scale = decimal(self.cursor), decimal(factor)
        left = nearest(cursor - (cursor - decimal(self.start)) * scale)
        right = nearest(cursor + (decimal(self.stop) - cursor) * scale)
        if not (math.isfinite(left) and math.isfinite(right)) or right - left < 1e-9 * max(
                1.0, abs(left), abs(right)) or right - left > MAX_WIDTH:
            raise ExploreError("cannot zoom further")
        self.start, self.stop = left, right
        self.changed()

    def pan(self, share: float) -> None:
        shift = decimal(nice_step(self.stop - self.start, 4)) * (1 if share > 0 else -1)
        start, stop = nearest(decimal(self.start) + shift), nearest(decimal(self.stop) + shift)
        if not (math.isfinite(start) and math.isfinite(stop) and math.isfinite(stop - start)):
            raise ExploreError("cannot pan further: the range would leave the float range")
        self.start, self.stop = start, stop
        self.cursor = min(max(nearest(decimal(self.cursor) + shift), self.start), self.stop)
        self.changed()

    def reset(self) -> None:
        self.start, self.stop = self.home
        self.cursor = self._centre()
        self.changed()

    def toggle(self, order: int) -> None:
        if order == 1:
            self.grad = not self.grad
        else:
            self.grad2 = not self.grad2
        self.changed()

    # --- functions and parameters ---------------------------------------------------------

    @property
    def act(self) -> Any:
        return self.acts[self.selected] if self.acts else None

    def new_function(self, text: str) -> Any:
        """The function `text` names, if it can be added: plottable, and not shown yet."""
        act = function(text)
        if any(shown.label == act.label for shown in self.acts):
            raise ExploreError(f"{act.label} is shown already")
        return act

    def add(self, text: str) -> None:
        self.acts.append(self.new_function(text))
        self.selected = len(self.acts) - 1
        self.changed()

    def remove(self) -> None:
        if self.acts:
            del self.acts[self.selected]
            self.selected = max(0, min(self.selected, len(self.acts) - 1))
            self.changed()

    def select(self, offset: int) -> None:
        if self.acts:
            self.selected = (self.selected + offset) % len(self.acts)

    def set_param(self, name: str, value: str) -> None:
        """Give the selected function's parameter `name` a value typed by the user; a bad
        value raises the command line's InputError."""
        self.acts[self.selected] = function(spelling(self.act, **{name: value.strip()}))
        self.changed()

    def properties(self) -> list[tuple[str, str]]:
        """The selected function's record of `actcli info`, as (key, text) lines."""
        if self.act is None:
            return []
        record = tables.info_record(self.act, nested=False)
        lines = []
        for key, value in record.items():
            if key in ("name", "latex", "kind"):
                continue
            if isinstance(value, dict):
                lines += [(f"{key}: {name}", str(text)) for name, text in value.items()]
            elif isinstance(value, list):
                lines.append((key, ", ".join(human_cell(v, DEFAULT_PRECISION) for v in value) or "-"))
            else:
                lines.append((key, human_cell(value, DEFAULT_PRECISION)))
        return lines

    # --- reproducing the view -------------------------------------------------------------

    def command(self, output: str) -> str:
        """The `actcli plot` command line that draws this view to `output`."""
        return plot_command(self.acts, self.start, self.stop, grad=self.grad, grad2=self.grad2,
                            dtype=self.dtype, output=output)

    def export_name(self, directory: Path) -> Path:
        """A PNG name in `directory` that no file has: actcli-explore.png, -2, -3, ..."""
        return unused_name(directory, drawing.EXPORT_STEM, ".png")

    def export(self, directory: Path) -> Path:
        """Write the view as `actcli plot` would (same bytes) under a new name; never
        replaces a file, even one that appears meanwhile."""
        if not self.acts:
            raise ExploreError("nothing to export: add a function first")
        return drawing.export_png(self.acts, self.start, self.stop, directory, grad=self.grad,
                                  grad2=self.grad2, dtype=self.dtype)
