"""Plots drawn with characters: braille cells (2x4 dots each) on Rich text.

One renderer for `actcli plot` on a terminal and for `actcli explore`. Curves come as
x/y arrays with a colour and a line style; the plot is `width` x `height` characters
with y tick labels on the left, x tick labels below, dotted zero lines, the legend under
the axes, and jump marks at kinks (filled: the value at the point, open: a one-sided
limit, as in the PNG plots). A histogram of data (`plot --data`) stands behind the
curves as grey columns: a background colour under the braille, eighth blocks at the
top (in plain text, without colour, the columns are filled with ░). Rich is imported
when a plot is turned into text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from actcli.present.plot import functions as plot
from actcli.present.plot.figure import PALETTE

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.text import Text

    from actcli.analysis.stats import Accumulator
    from actcli.catalog import Activation, AnyActivation

STYLES = ("solid", "dashed", "dotted")
# Pattern of each line style along the curve, in dots: (on, period).
_DASHES = {"solid": None, "dashed": (4.0, 7.0), "dotted": (1.0, 3.0)}
_LEGEND_SAMPLE = {"solid": "──", "dashed": "╌╌", "dotted": "┈┈"}
# Braille dot (row, column) -> bit of the code point U+2800 + bits.
_DOT_BITS = np.array([[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]], dtype=np.uint8)
_AXIS_STYLE = "grey50"
_CURSOR_STYLE = "bold"
_HISTOGRAM_COLOUR = "grey30"
_HEADROOM = 1.08  # the highest column's share of the plot's height, as in the PNG: 1 / 1.08
_EIGHTHS = " ▁▂▃▄▅▆▇"
MIN_WIDTH, MIN_HEIGHT = 20, 6
_LABEL_ROWS_APART = 2  # y tick labels: a free row between two
_ZERO_SIDE = 0.1  # a side of zero that holds this share of an axis gets a tick
_MOST_REFINEMENTS, _MOST_TICKS = 6, 200


@dataclass(frozen=True)
class Curve:
    x: np.ndarray
    y: np.ndarray  # NaN breaks the line
    colour: str  # a Rich colour: "#0072B2"
    style: str = "solid"
    label: str = ""
    group: int = 0  # the function it belongs to (f, f' and f'' of one function share it)


@dataclass(frozen=True)
class Mark:
    """A point drawn as a character over the curves: ● (filled) or ○."""

    x: float
    y: float
    colour: str
    filled: bool = True


@dataclass(frozen=True)
class Histogram:
    """A density over bins (`edges` has one more value than `density`), drawn behind."""

    edges: np.ndarray
    density: np.ndarray
    label: str = ""


@dataclass
class TermPlot:
    """A Rich renderable: `width` x `height` characters, legend included."""

    curves: Sequence[Curve]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    width: int
    height: int
    marks: Sequence[Mark] = ()
    cursor: float | None = None  # x of a vertical cursor line
    # Legend entries after the curves', each (text, style) pieces: the key of the jump marks.
    notes: Sequence[tuple[tuple[str, str], ...]] = field(default_factory=tuple)
    selected: int | None = None  # a group drawn on top, marked ▶ and bold in the legend
    histogram: Histogram | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(shade=console.no_color or console.color_system is None)

    def lines(self, shade: bool = False) -> list[Text]:
        """The plot's lines; `shade`: the histogram in ░ characters, for text without colour."""
        from rich.text import Text

        width, height = max(self.width, MIN_WIDTH), max(self.height, MIN_HEIGHT)
        legend = self._legend_lines(shade, lines=height - 5)  # 3 rows stay for curves
        rows = max(height - 2 - len(legend), 2)
        y_low, y_high = self.y_range
        y_ticks = y_axis_ticks(y_low, y_high, rows)
        y_labels = tick_labels(y_ticks)
        gutter = max(map(len, y_labels), default=1) + 1
        columns = max(width - gutter - 1, 4)
        canvas = _Canvas(columns, rows, self.x_range, self.y_range)

        zero_x, zero_y = canvas.px(0.0), canvas.py(0.0)
        if 0 <= zero_y <= 4 * rows - 1:
            canvas.draw(np.array([0.0, 2 * columns - 1]), np.array([zero_y, zero_y]), "dotted", 0)
        if 0 <= zero_x <= 2 * columns - 1:
            canvas.draw(np.array([zero_x, zero_x]), np.array([0.0, 4 * rows - 1]), "dotted", 0)
        # The first curve is drawn last, so it is on top where curves share a cell; the
        # selected function's curves are above all.
        numbered = list(enumerate(self.curves, start=1))
        for number, curve in sorted(reversed(numbered), key=lambda n: n[1].group == self.selected):
            canvas.draw(canvas.px(curve.x), canvas.py(curve.y), curve.style, number)
        colours = [_AXIS_STYLE, *(c.colour for c in self.curves)]

        glyphs = np.where(canvas.bits > 0, canvas.bits.astype(np.int32) + 0x2800, 0x20)
        cells = [[chr(g) for g in row] for row in glyphs.tolist()]
        styles = [[colours[i] for i in row] for row in canvas.owner.tolist()]
        if self.histogram is not None:
            _draw_histogram(self.histogram, canvas, cells, styles, shade)
        if self.cursor is not None and self.x_range[0] <= self.cursor <= self.x_range[1]:
            column = min(canvas.column(self.cursor), columns - 1)
            for row in range(rows):
                if cells[row][column] == " ":
                    cells[row][column] = "│"
                    styles[row][column] = _CURSOR_STYLE
                else:
                    styles[row][column] += " bold reverse"
        for mark in self.marks:
            column, row = canvas.column(mark.x), canvas.row(mark.y)
            if 0 <= column < columns and 0 <= row < rows:
                cells[row][column] = "●" if mark.filled else "○"
                styles[row][column] = mark.colour

        tick_rows = {min(canvas.row(v), rows - 1): label
                     for v, label in zip(y_ticks, y_labels)}
        lines = []
        for row in range(rows):
            line = Text(no_wrap=True, overflow="crop")
            label = tick_rows.get(row)
            line.append(f"{label or '':>{gutter - 1}}", _AXIS_STYLE)
            line.append("┤" if label is not None else "│", _AXIS_STYLE)
            for text, style in _runs(cells[row], styles[row]):
                line.append(text, style)
            lines.append(line)
        lines += _x_axis(canvas, gutter, columns, width)
        lines += [Text.assemble(*parts, no_wrap=True, overflow="crop") for parts in legend]
        for line in lines:
            line.truncate(width)  # y labels wider than the plot leave it fewer than 4 columns
        return lines

    def _legend_lines(self, shade: bool = False,
                      lines: int | None = None) -> list[list[tuple[str, str]]]:
        """The legend's lines at this width: at most `lines`, "+N more" for the rest."""
        notes = list(self.notes)
        if self.histogram is not None and self.histogram.label:
            notes.insert(0, (("░ " if shade else "█ ", _HISTOGRAM_COLOUR), (self.histogram.label, "")))
        return _legend(self.curves, notes, max(self.width, MIN_WIDTH), self.selected, lines)

    def full_height(self) -> int:
        """The fewest lines that show the whole legend (at this width) under three rows
        of curves and the x axis: lower plots lose legend lines."""
        return max(len(self._legend_lines()) + 5, MIN_HEIGHT)

    def plain(self) -> str:
        """The plot as text without styles (tests, pipes)."""
        return "\n".join(line.plain for line in self.lines(shade=True))


def _cell_row(y: float, low: float, high: float, rows: int) -> int:
    """The character row of y on `rows` rows from `high` (row 0) down to `low`, rounded
    as the dots of the curves are."""
    return int(np.rint((high - y) / (high - low) * (4 * rows - 1))) // 4


class _Canvas:
    """Braille dots: `bits` per cell and `owner`, the number of the curve that colours it."""

    def __init__(self, columns: int, rows: int, x_range: tuple[float, float],
                 y_range: tuple[float, float]) -> None:
        self.columns, self.rows = columns, rows
        self.x0, self.x1 = x_range
        self.y0, self.y1 = y_range
        self.bits = np.zeros((rows, columns), dtype=np.uint8)
        self.owner = np.zeros((rows, columns), dtype=np.intp)

    def px(self, x: Any) -> Any:
        return (np.asarray(x, dtype=np.float64) - self.x0) / (self.x1 - self.x0) * (2 * self.columns - 1)

    def py(self, y: Any) -> Any:
        return (self.y1 - np.asarray(y, dtype=np.float64)) / (self.y1 - self.y0) * (4 * self.rows - 1)

    def column(self, x: float) -> int:
        """The character column of x, rounded as the dots of the curves are."""
        return int(np.rint(self.px(x))) // 2

    def row(self, y: float) -> int:
        return _cell_row(y, self.y0, self.y1, self.rows)

    def draw(self, px: np.ndarray, py: np.ndarray, style: str, owner: int) -> None:
        """The polyline through the dots (px, py), in `style`; NaN breaks it."""
        height = 4 * self.rows
        with np.errstate(invalid="ignore", over="ignore"):
            py = np.clip(py, -2.0, height + 1.0)  # far off the axes: no dots to draw there
        start_x, start_y, end_x, end_y = px[:-1], py[:-1], px[1:], py[1:]
        keep = np.isfinite(start_x) & np.isfinite(start_y) & np.isfinite(end_x) & np.isfinite(end_y)
        if len(px) == 1 and np.isfinite(px[0]) and np.isfinite(py[0]):
            start_x, start_y, end_x, end_y, keep = px, py, px, py, np.array([True])
        start_x, start_y, end_x, end_y = start_x[keep], start_y[keep], end_x[keep], end_y[keep]
        dx, dy = end_x - start_x, end_y - start_y
        length = np.hypot(dx, dy)
        steps = np.ceil(np.maximum(np.abs(dx), np.abs(dy))).astype(np.intp) + 1
        segment = np.repeat(np.arange(len(steps)), steps)
        offset = np.arange(len(segment)) - np.repeat(np.cumsum(steps) - steps, steps)
        t = offset / np.maximum(steps - 1, 1)[segment]
        x = start_x[segment] + t * dx[segment]
        y = start_y[segment] + t * dy[segment]
        dashes = _DASHES[style]
        if dashes is not None:
            along = (np.cumsum(length) - length)[segment] + t * length[segment]
            on, period = dashes
            x, y = x[along % period < on], y[along % period < on]
        column, row = np.rint(x).astype(np.intp), np.rint(y).astype(np.intp)
        inside = (column >= 0) & (column < 2 * self.columns) & (row >= 0) & (row < height)
        column, row = column[inside], row[inside]
        cell_row, cell_column = row // 4, column // 2
        np.bitwise_or.at(self.bits, (cell_row, cell_column), _DOT_BITS[row % 4, column % 2])
        self.owner[cell_row, cell_column] = owner


def _draw_histogram(histogram: Histogram, canvas: _Canvas, cells: list[list[str]],
                    styles: list[list[str]], shade: bool) -> None:
    """Columns of the density behind the curves, in eighths of a cell: a background under
    the braille dots and eighth blocks in empty cells at the top (`shade`: ░ in every
    empty cell of a column, the only way it shows without colour)."""
    edges, density = histogram.edges, histogram.density
    top = float(np.max(density, initial=0.0)) * _HEADROOM
    if not top > 0:
        return
    # Each column's mean density over the x its two dot columns stand for (whether it
    # is narrower or wider than a bin), from the cumulative share at its bounds.
    span = canvas.x1 - canvas.x0
    bounds = np.clip(canvas.x0 + (2 * np.arange(canvas.columns + 1) - 0.5)
                     / (2 * canvas.columns - 1) * span, canvas.x0, canvas.x1)
    share = np.concatenate([[0.0], np.cumsum(density * np.diff(edges))])
    heights = np.diff(np.interp(bounds, edges, share)) / np.diff(bounds)
    eighths = np.rint(heights / top * 8 * canvas.rows).astype(np.intp).tolist()
    for column, height in enumerate(eighths):
        full, part = divmod(height, 8)
        for row in range(canvas.rows - full, canvas.rows):
            if shade and cells[row][column] == " ":
                cells[row][column] = "░"
                styles[row][column] = _HISTOGRAM_COLOUR
            elif not shade:
                styles[row][column] += f" on {_HISTOGRAM_COLOUR}"
        row = canvas.rows - full - 1
        if (part >= 4 if shade else part) and row >= 0 and cells[row][column] == " ":
            cells[row][column] = "░" if shade else _EIGHTHS[part]
            styles[row][column] = _HISTOGRAM_COLOUR


def _runs(cells: list[str], styles: list[str]) -> Iterable[tuple[str, str]]:
    """Consecutive cells of one style joined into one piece of text."""
    start = 0
    for i in range(1, len(cells) + 1):
        if i == len(cells) or styles[i] != styles[start]:
            yield "".join(cells[start:i]), styles[start]
            start = i


def _x_axis(canvas: _Canvas, gutter: int, columns: int, width: int) -> list[Text]:
    from rich.text import Text

    size = gutter + columns + 1  # the last column is left free for a label's end

    def place(ticks: Sequence[float], skip: bool = False) -> list[tuple[int, int, str]] | None:
        """(tick column, label start, label) per tick: each label over its tick, a space
        between two; None if they do not fit (`skip`: leave out those that do not)."""
        placed, free = [], 0  # free: the first character a label may use
        for value, text in zip(ticks, tick_labels(ticks)):
            column = min(canvas.column(value), columns - 1)
            begin = min(max(gutter + column - len(text) // 2, 0), size - len(text))
            if begin < free or not begin <= gutter + column < begin + len(text):
                if skip:
                    continue
                return None
            placed.append((column, begin, text))
            free = begin + len(text) + 1
        return placed

    ticks = axis_ticks(canvas.x0, canvas.x1, max(2, columns // 12), lambda t: place(t) is not None)
    axis = ["─"] * columns
    labels = [" "] * size
    for column, begin, text in place(ticks, skip=True) or []:
        axis[column] = "┬"
        labels[begin:begin + len(text)] = text
    return [Text(" " * (gutter - 1) + "└" + "".join(axis), _AXIS_STYLE, no_wrap=True, overflow="crop"),
            Text("".join(labels)[:width].rstrip(), _AXIS_STYLE, no_wrap=True, overflow="crop")]


def y_axis_ticks(low: float, high: float, rows: int) -> list[float]:
    """Ticks for a y axis of `rows` character rows: about one every three rows, never two
    labels on adjacent rows."""
    def fits(ticks: Sequence[float]) -> bool:
        at = [_cell_row(v, low, high, rows) for v in ticks]
        return all(abs(a - b) >= _LABEL_ROWS_APART for a, b in zip(at, at[1:]))

    return axis_ticks(low, high, max(2, rows // 3), fits)


def _legend(curves: Sequence[Curve], notes: Sequence[tuple[tuple[str, str], ...]], width: int,
            selected: int | None = None, lines: int | None = None) -> list[list[tuple[str, str]]]:
    """Legend entries as lines of (text, style) pieces, as many per line as fit, an entry
    wider than `width` wrapped; the selected group's first entry starts with ▶, and its
    labels are bold. More than `lines` lines: the entries that fit and "+N more"."""
    entries, marked = [], False
    for c in curves:
        if not c.label:
            continue
        chosen = c.group == selected
        entries.append([("▶ ", "bold")] * (chosen and not marked)
                       + [(_LEGEND_SAMPLE[c.style] + " ", c.colour), (c.label, "bold" if chosen else "")])
        marked |= chosen
    entries += [list(note) for note in notes]
    packed = _pack(entries, width)
    if lines is None or len(packed) <= lines:
        return packed
    for shown in range(len(entries) - 1, -1, -1):
        packed = _pack([*entries[:shown], [(f"+{len(entries) - shown} more", _AXIS_STYLE)]], width)
        if len(packed) <= lines:
            break
    return packed[:lines]


def _pack(entries: Sequence[list[tuple[str, str]]], width: int) -> list[list[tuple[str, str]]]:
    """Entries side by side, three spaces apart, on lines of `width`; a wrapped entry has
    its lines to itself."""
    lines: list[list[tuple[str, str]]] = []
    used = width
    for entry in entries:
        wrapped = _wrap_entry(entry, width)
        size = sum(len(text) for text, _ in entry)
        if len(wrapped) == 1 and lines and used + 3 + size <= width:
            lines[-1] += [("   ", ""), *entry]
            used += 3 + size
        else:
            lines += [list(line) for line in wrapped]
            used = size if len(wrapped) == 1 else width
    return lines


def _wrap_entry(entry: list[tuple[str, str]], width: int) -> list[list[tuple[str, str]]]:
    """An entry's lines: its last piece (the label) wrapped at spaces under itself, a word
    wider than the line cut with an ellipsis."""
    import textwrap

    *prefix, (label, style) = entry
    lead = sum(len(text) for text, _ in prefix)
    if lead + len(label) <= width:
        return [entry]
    room = max(width - lead, 2)
    parts = [part if len(part) <= room else part[:room - 1] + "…"
             for part in textwrap.wrap(label, room, break_long_words=False, break_on_hyphens=False)]
    return [[*prefix, (parts[0], style)], *([(" " * lead, ""), (part, style)] for part in parts[1:])]


def nice_step(span: float, parts: int) -> float:
    """1, 2 or 5 times a power of ten, near span / parts (within 1%, so that a span that
    is itself round gives the round step: 10 / 5 is 2, not 5)."""
    raw = span / parts
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * 0.99)


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """About `count` round values (1, 2 or 5 times a power of ten apart) in [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(high - low)
            and high > low):
        return []
    return _ticks_at(low, high, nice_step(high - low, max(count, 1)))


def _ticks_at(low: float, high: float, step: float) -> list[float]:
    # The tolerance keeps an end that is a multiple of the step in spite of rounding (0.3 / 0.1).
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [float(f"{i * step:.12g}") + 0.0 for i in range(first, last + 1)]


def _finer(step: float) -> float:
    """The next round step below `step`: 5 -> 2 -> 1 -> 0.5."""
    power = math.floor(math.log10(step) + 1e-9)
    mantissa = round(step / 10.0 ** power)
    return float(f"{(2 if mantissa == 5 else 1 if mantissa == 2 else 0.5) * 10.0 ** power:.12g}")


def axis_ticks(low: float, high: float, count: int, fits: Callable[[Sequence[float]], bool]
               ) -> list[float]:
    """About `count` round ticks in [low, high] whose labels `fits` allows: fewer while
    they do not fit; a finer step, if its labels fit, where that gives a lone tick a
    neighbour or a tick to a side of zero that has none though it holds a tenth of the
    range or more (a y axis from -1.2 to 5 gets -1, not only 0, 2 and 4)."""
    ticks = nice_ticks(low, high, count)
    while count > 1 and not fits(ticks):
        count -= 1
        ticks = nice_ticks(low, high, count)
    if not ticks:  # no round value at that step inside the range: a finer one, alone if need be
        ticks = _lone_tick(low, high, fits)
    if not ticks or not _wants_finer(ticks, low, high):
        return ticks
    step = ticks[1] - ticks[0] if len(ticks) > 1 else nice_step(high - low, count)
    for _ in range(_MOST_REFINEMENTS):
        step = _finer(step)
        finer = _ticks_at(low, high, step)
        if len(finer) > _MOST_TICKS or not fits(finer):
            break
        if not _wants_finer(finer, low, high):
            return finer
    return ticks


def _lone_tick(low: float, high: float, fits: Callable[[Sequence[float]], bool]) -> list[float]:
    """The round values of the first finer step that has any in [low, high] (-0.04 and
    -0.02 on -0.045 to -0.005), or the one nearest the middle where they do not fit."""
    step = nice_step(high - low, 1)
    for _ in range(_MOST_REFINEMENTS):
        step = _finer(step)
        found = _ticks_at(low, high, step)
        if found:
            middle = min(found, key=lambda t: abs(t - (low + high) / 2))
            return found if fits(found) else [middle] if fits([middle]) else []
    return []


def _wants_finer(ticks: Sequence[float], low: float, high: float) -> bool:
    side = _ZERO_SIDE * (high - low)
    return (len(ticks) < 2 or (-low >= side and not any(t < 0 for t in ticks))
            or (high >= side and not any(t > 0 for t in ticks)))


def tick_labels(ticks: Sequence[float]) -> list[str]:
    """Tick values with the digits that tell neighbours apart and no more: 20, 0.25,
    1000.5 as written; below 1e-3 or from 1e6 on, powers of ten (2.5e7, 1e-5)."""
    if len(ticks) < 2:
        return [_compact(format(v, ".6g")) for v in ticks]
    step = min(b - a for a, b in zip(ticks, ticks[1:]))
    power = math.floor(math.log10(step) + 1e-9)  # of the last digit that differs
    if 1e-3 <= max(abs(t) for t in ticks) < 1e6:
        return [_trim(format(v, f".{max(0, -power)}f")) for v in ticks]
    return ["0" if v == 0 else
            _compact(format(v, f".{max(0, math.floor(math.log10(abs(v)) + 1e-9) - power)}e"))
            for v in ticks]


def _trim(number: str) -> str:
    """Trailing zeros after the point dropped: 0.50 as 0.5, 1.0 as 1."""
    return number.rstrip("0").rstrip(".") if "." in number else number


def _compact(text: str) -> str:
    """2.50e+07 as 2.5e7, 1e-05 as 1e-5."""
    mantissa, _, exponent = text.partition("e")
    return _trim(mantissa) + (f"e{int(exponent)}" if exponent else "")


# --- function plots, from the same curves as the PNG plots -------------------------------

def function_plot(
    activations: Sequence[AnyActivation],
    start: float = plot.DEFAULT_START,
    stop: float = plot.DEFAULT_STOP,
    *,
    grad: bool = False,
    grad2: bool = False,
    width: int = 80,
    height: int = 24,
    num: int = plot.DEFAULT_NUM,
    dtype: str = "float64",
    cursor: float | None = None,
    ylim: tuple[float, float] | None = None,
) -> TermPlot:
    """What `actcli plot` draws to a file, as a `width` x `height` character plot: same
    grid with kinks, same y-limits, colours, line styles, legend labels and jump marks."""
    curves, (low, high) = plot.function_curves(activations, start, stop, grad=grad, grad2=grad2,
                                               num=num, dtype=dtype, ylim=ylim)
    start, stop = min(start, stop), max(start, stop)
    drawn, marks = [], []
    for index, order, x, y, kinks in curves:
        act = activations[index]
        colour = PALETTE[index % len(PALETTE)]
        label = plot.ORDERS[order][2] + plot.legend_name(act)
        inside = (y >= low) & (y <= high)
        if not np.any(inside):
            label += " (off the plot)"
        elif np.any(~inside & ~np.isnan(y)):
            label += " (clipped)"
        if plot.CONTINUOUS_ORDERS[act.smoothness] <= order:  # type: ignore[union-attr]
            y = y.copy()
            for at_x, at, limits in plot.find_jumps(x, y, kinks, start, stop, (high - low) * 1e-3):
                marks.append(Mark(at_x, at, colour, filled=True))
                marks += [Mark(at_x, limit, colour, filled=False) for limit in limits]
        drawn.append(Curve(x, y, colour, STYLES[order], label, group=index))
    notes = [(("● ", _AXIS_STYLE), ("value at the jump (PyTorch)", _AXIS_STYLE)),
             (("○ ", _AXIS_STYLE), ("one-sided limit", _AXIS_STYLE))] if marks else []
    return TermPlot(drawn, (start, stop), (low, high), width, height, marks=marks, cursor=cursor,
                    notes=notes)


def data_plot(
    activations: Sequence[Activation],
    summary: Accumulator,
    start: float | None = None,
    stop: float | None = None,
    *,
    data_name: str = "data",
    **options: Any,
) -> TermPlot:
    """`actcli plot --data` in characters: the curves of `function_plot` (`options` are
    its) over the density of `summary`'s data, on the PNG's bins and range (by default
    the data's 0.5-99.5 percentiles and 0), with the shares of the data where each
    function is dead or saturated in the legend."""
    from actcli.present.plot import data

    if start is None or stop is None:
        start, stop = data.data_range(summary)
    drawn = function_plot(activations, start, stop, **options)
    low, high = drawn.x_range
    edges = np.linspace(low, high, data.HISTOGRAM_BINS + 1)
    histogram = Histogram(edges, summary.density(edges),
                          f"density of {data_name} ({summary.n:,} values)")
    shares = [((region.label, PALETTE[region.index % len(PALETTE)]),)
              for region in data.regions(activations, summary, low, high)]
    return replace(drawn, histogram=histogram, notes=[*shares, *drawn.notes])
