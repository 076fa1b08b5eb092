"""The explorer as one self-contained web page: `actcli explore FN... --html FILE` and
`actcli.explore(...)` in a notebook.

Every number the page shows is computed here, when the page is written, and embedded:
f, f' and f'' of each function on a grid of x (the page's cursor snaps to it), for
each combination of parameter values on the grids of its sliders (a slider steps
through those values only), with the jumps at kinks, the dead and saturated spans,
the y ranges and ticks, the rows of `actcli info` and the words of the `actcli plot`
command line. The page's script (page.js, inlined with page.css into page.html) only
draws and looks things up: no activation is written again in JavaScript.

Size. Arrays are embedded as base64 float64 (float32 with --dtype float32), each
distinct array once (f'' of a piecewise-linear function is one array of zeros for
every parameter value). The x grid has 160 to 400 intervals of a 1-2-5 step, plus 0
and the kinks. A function with one parameter gets a slider of about 30 stops; with
two parameters the grid of pairs is what costs, so each gets about 8 stops (up to
64 pairs); a choice (gelu's approximate) multiplies by its number of choices. The
span of each slider is the catalog's range clipped to one that holds the default and
the common framework values (`SPANS`), and every stop is an exact decimal (0.15, not
0.15000000000000002); the default and the value asked for are stops too.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import math
import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from actcli.catalog import Activation
from actcli.catalog.properties import describe_tails, saturation_bounds
from actcli.catalog.scan import runs, sorted_unique
from actcli.catalog.spec import Param, ParamError, ParamValue, format_param
from actcli.dtypes import float_dtype
from actcli.errors import InputError
from actcli.frontend.context import Environment
from actcli.frontend.view import DEFAULT_FUNCTIONS, check_range, plot_command_parts, plottable
from actcli.present import tables
from actcli.present.files import write_atomically
from actcli.present.plot.figure import PALETTE
from actcli.present.plot.functions import (
    CONTINUOUS_ORDERS,
    CURVE_STYLE,
    DEFAULT_START,
    DEFAULT_STOP,
    ORDERS,
    find_jumps,
    finite,
    legend_name,
    y_limits,
)
from actcli.present.render import write_record
from actcli.present.termplot import nice_step, nice_ticks
from actcli.resolve import distinct, spelling

# Intervals of the x grid: the step is the 1-2-5 value that gives at most this many.
X_INTERVALS = 400
# Intervals of a slider's grid, by the number of numeric parameters of its function.
SLIDER_INTERVALS = {1: 30, 2: 7}
SLIDER_INTERVALS_MANY = 3
# The slider spans (clipped to the catalog's range), with values that must be stops:
# the frameworks' defaults (FRAMEWORKS.md) and the values people come for.
SPANS: dict[str, tuple[float, float, tuple[float, ...]]] = {
    "hardtanh.min_val": (-3, 0, ()),
    "hardtanh.max_val": (0, 6, ()),  # hardtanh(0, 6) is relu6
    "leaky_relu.negative_slope": (0, 0.3, ()),  # PyTorch 0.01, Keras 0.2, Keras' layer 0.3
    "prelu.weight": (0, 0.5, ()),  # PyTorch's initial 0.25, Keras' 0
    "rrelu.lower": (0, 0.3, ()),
    "rrelu.upper": (0.2, 0.6, ()),
    "threshold.threshold": (-2, 2, ()),
    "threshold.value": (-1, 1, ()),
    "elu.alpha": (0, 2, ()),
    "celu.alpha": (0, 2, ()),
    "silu.beta": (0, 3, (1.702,)),  # silu(1.702 x) is quick_gelu
    "softplus.beta": (0, 3, ()),
    "softplus.threshold": (5, 20, (math.inf,)),  # PyTorch's 20; inf: exact
    "squareplus.b": (0, 8, ()),  # JAX's 4
    "softshrink.lambd": (0, 2, ()),
    "hardshrink.lambd": (0, 2, ()),
    "star_relu.scale": (0, 2, ()),
    "star_relu.bias": (-1, 1, ()),
    "dyt.alpha": (0, 2, ()),
    "sine.w0": (0, 5, (30.0,)),  # SIREN's first layer: 30
    "snake.alpha": (0, 5, ()),
    "binary_step.value": (0, 1, ()),  # f(0): torch.heaviside's `values`
    "isru.alpha": (0, 3, ()),
    "isrlu.alpha": (0, 3, ()),
    "penalized_tanh.a": (0, 1, ()),
    "smelu.beta": (0, 4, ()),
}
# What the page's command box writes to.
PLOT_FILE = "actcli-explore.png"
# The height of the page inside a notebook (it scrolls within when it needs more).
IFRAME_HEIGHT = 760
ASSETS = ("page.html", "page.css", "page.js")


@dataclass(frozen=True, repr=False)
class Page:
    """An explorer page: its HTML text. Jupyter shows it inline (an iframe of the page,
    so that it needs no kernel and keeps working in a saved notebook), and `save(path)`
    writes it to a file."""

    html: str
    title: str

    def __repr__(self) -> str:
        return f"<{self.title} ({len(self.html.encode()) / 1e6:.2f} MB of HTML)>"

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the page to `path`, atomically: a failure leaves no half-written file."""
        write_atomically(Path(path), self.html.encode())

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                f'title="{html.escape(self.title, quote=True)}" '
                f'style="width: 100%; height: {IFRAME_HEIGHT}px; border: 0"></iframe>')


def explorer_page(functions: Sequence[str] = (), start: float = DEFAULT_START,
                  stop: float = DEFAULT_STOP, *, grad2: bool = False,
                  dtype: str = "float64") -> Page:
    """The page that explores `functions` (FN specs as the command line takes them;
    default relu, sigmoid, tanh) on [start, stop]; f'' is shown from the start with
    `grad2`."""
    acts = [plottable(text) for text in functions or DEFAULT_FUNCTIONS]
    distinct(acts, "explore")
    labels = [act.label for act in acts]
    start, stop = check_range(float(start), float(stop))
    data = page_data(acts, start, stop, grad2=grad2, dtype=dtype)
    title = f"actcli explore: {', '.join(labels)}"
    return Page(_assemble(title, data), title)


def write_page(page: Page, target: str, env: Environment) -> None:
    """Write `page` to the file `target` (atomically) or to stdout for '-', and say on
    stderr where it went."""
    size = f"{len(page.html.encode()) / 1e6:.2f} MB"
    if target == "-":
        env.out.write(page.html)
        env.out.flush()
        env.err.write(f"actcli: wrote the page to stdout ({size})\n")
        return
    page.save(target)
    env.err.write(f"actcli: wrote the page to {target} ({size}); open it in a browser\n")


# --- the data -------------------------------------------------------------------------------

class _Arrays:
    """The arrays of the page, each distinct one stored once (as base64 of its bytes)."""

    def __init__(self, dtype: np.dtype[Any]) -> None:
        self.dtype = np.dtype(dtype).newbyteorder("<")
        self.encoded: list[str] = []
        self._index: dict[bytes, int] = {}

    def add(self, values: np.ndarray) -> int:
        raw = np.ascontiguousarray(values, dtype=self.dtype).tobytes()
        if raw not in self._index:
            self._index[raw] = len(self.encoded)
            self.encoded.append(base64.b64encode(raw).decode("ascii"))
        return self._index[raw]


class _Lines:
    """Lines of HTML, each distinct one stored once: a page holds the `info` table of
    every parameter combination, and most of their rows are the same."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._index: dict[str, int] = {}

    def add(self, text: str) -> list[int]:
        indices = []
        for line in text.splitlines():
            if line not in self._index:
                self._index[line] = len(self.lines)
                self.lines.append(line)
            indices.append(self._index[line])
        return indices


def slider_values(act: Activation, param: Param, intervals: int) -> list[ParamValue]:
    """The stops of `param`'s slider: a 1-2-5 grid of about `intervals` steps over its
    span (`SPANS`, within the catalog's range), the span's own values, the default and
    the current value, each accepted by the catalog, in order. A choice parameter's
    stops are its choices."""
    if param.choices:
        return list(param.choices)
    low, high, extra = SPANS[f"{act.name}.{param.name}"]
    low, high = max(float(low), param.low), min(float(high), param.high)
    candidates = [*_multiples(low, high, intervals)[0], *extra, float(param.default),
                  float(act.params[param.name])]
    accepted = set()
    for value in candidates:
        try:
            accepted.add(float(param.coerce(value)))
        except ParamError:
            continue
    return sorted(accepted)


def _multiples(low: float, high: float, intervals: int) -> tuple[list[float], Decimal]:
    """The multiples in [low, high] of the 1-2-5 step that gives at most about
    `intervals` of them, as the floats of their decimals (0.15, not 3 * 0.05); and the step."""
    step = Decimal(format(nice_step(high - low, intervals), ".12g"))
    first, last = math.ceil(Decimal(repr(low)) / step), math.floor(Decimal(repr(high)) / step)
    return [float(k * step) + 0.0 for k in range(first, last + 1)], step


def _combinations(act: Activation) -> tuple[list[dict[str, Any]], list[Activation | str]]:
    """The sliders of `act` (name, stops as text, the stop it starts at) and every
    combination of their stops, row-major (the last parameter varies fastest): the
    bound activation, or the catalog's message where the combination is refused."""
    params = act.spec.params
    numeric = sum(1 for p in params if not p.choices)
    intervals = SLIDER_INTERVALS.get(numeric, SLIDER_INTERVALS_MANY)
    sliders, stops = [], []
    for p in params:
        values = slider_values(act, p, intervals)
        current = act.params[p.name]
        stops.append(values)
        sliders.append({"name": p.name, "values": [format_param(v) for v in values],
                        "start": values.index(current), "choice": bool(p.choices)})
    combos: list[Activation | str] = []
    for chosen in itertools.product(*stops):
        try:
            combos.append(act.spec.bind(**dict(zip((p.name for p in params), chosen))))
        except ParamError as error:
            combos.append(str(error))
    return sliders, combos


def x_grid(start: float, stop: float, kinks: Sequence[float], dtype: np.dtype[Any]
           ) -> tuple[np.ndarray, list[int]]:
    """The page's x values in `dtype`: the multiples of a 1-2-5 step in [start, stop]
    (exact decimals), both ends, 0 and the kinks; and the indices of the ends and of
    the multiples of ten steps (where Shift moves the cursor)."""
    values, step = _multiples(start, stop, X_INTERVALS)
    values += [start, stop, *(k for k in (0.0, *kinks) if start <= k <= stop)]
    exact = sorted_unique(np.array(values))
    major = np.array([Decimal(repr(v)) % (10 * step) == 0 for v in exact.tolist()])
    major[[0, -1]] = True
    x = exact.astype(dtype)
    distinct = np.concatenate([[True], x[1:] != x[:-1]])  # (float32 may merge neighbours)
    x, major = x[distinct], major[distinct]
    if len(x) < 2:
        raise InputError(f"the range {format_param(start)} {format_param(stop)} is too narrow "
                         f"for {np.dtype(dtype).name} at its magnitude")
    return x, np.flatnonzero(major).tolist()


def page_data(acts: Sequence[Activation], start: float, stop: float, *, grad2: bool,
              dtype: str) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (see the module's docstring)."""
    array_dtype = float_dtype(dtype)
    functions = [(act, *_combinations(act)) for act in acts]
    kinks = sorted({k for _, _, combos in functions for bound in combos
                    if isinstance(bound, Activation) for k in bound.kinks})
    x, major = x_grid(start, stop, kinks, array_dtype)
    arrays, lines = _Arrays(array_dtype), _Lines()
    values = {id(bound): bound.derivatives(x, (0, 1, 2)) for _, _, combos in functions
              for bound in combos if isinstance(bound, Activation)}
    views = [_y_view(values, grad, second)
             for second in (False, True) for grad in (False, True)]
    # A jump is marked where it is visible at the scale of the plot that shows its order
    # (with f' shown, and f'' too for f'').
    visible = {order: (view["high"] - view["low"]) * 1e-3
               for order, view in ((0, views[1]), (1, views[1]), (2, views[3]))}
    shown = []
    for index, (act, sliders, combos) in enumerate(functions):
        headings = [c.title for c in tables.values_table(act, x[:1], (0, 1, 2)).columns[1:]]
        shown.append({
            "name": act.name,
            "colour": PALETTE[index % len(PALETTE)],
            "headings": headings,
            "kinkRule": act.spec.kink_rule,
            "sliders": sliders,
            "combos": [_combo(bound, x, values.get(id(bound)), start, stop, visible, arrays,
                              lines) for bound in combos],
        })
    return {
        "dtype": array_dtype.name,
        "start": start,
        "stop": stop,
        "x": arrays.add(x),
        "cursor": _start_index(x, start, stop),
        "major": major,
        "grad2": grad2,
        "views": views,
        "xTicks": _tick_sets(start, stop),
        "orders": [prefix for _, _, prefix in ORDERS],
        "style": CURVE_STYLE,
        "command": {"before": plot_command_parts(start, stop, grad=True, grad2=False,
                                                 dtype=dtype, output=PLOT_FILE)[0],
                    "after": [plot_command_parts(start, stop, grad=grad, grad2=second, dtype=dtype,
                                                 output=PLOT_FILE)[1]
                              for second in (False, True) for grad in (False, True)]},
        "functions": shown,
        "lines": lines.lines,
        "arrays": arrays.encoded,
    }


def _start_index(x: np.ndarray, start: float, stop: float) -> int:
    """x = 0 when it is in range, else the middle."""
    target = 0.0 if start <= 0 <= stop else (start + stop) / 2
    return int(np.argmin(np.abs(x.astype(np.float64) - target)))


def _y_view(values: dict[int, list[np.ndarray]], grad: bool, grad2: bool) -> dict[str, Any]:
    """The y range of the plot that shows f (and f' with `grad`, f'' with `grad2`) for
    every stop of every slider, as `actcli plot` chooses it (no curve squashes the
    others), and its ticks: the axes stay put while a slider moves."""
    orders = [0, *([1] if grad else []), *([2] if grad2 else [])]
    low, high = y_limits([(order, finite(ys[order])) for ys in values.values() for order in orders])
    return {"low": low, "high": high, "ticks": _tick_sets(low, high)}


def _tick_sets(low: float, high: float) -> list[list[tuple[float, str]]]:
    """Ticks for plots of every size: for a few counts, round values and their labels
    (the page takes the most that fit)."""
    sets: list[list[tuple[float, str]]] = []
    for count in (2, 3, 4, 5, 6, 8, 10, 12, 16):
        ticks = [(v, format_param(v)) for v in nice_ticks(low, high, count)]
        if ticks and ticks not in sets:
            sets.append(ticks)
    return sets


def _number(value: float) -> float | None:
    """A number for JSON, which has no NaN or infinity (null: not drawn)."""
    return value if math.isfinite(value) else None


def _combo(bound: Activation | str, x: np.ndarray, ys: list[np.ndarray] | None, start: float,
           stop: float, visible: dict[int, float], arrays: _Arrays, lines: _Lines) -> dict[str, Any]:
    if not isinstance(bound, Activation) or ys is None:
        return {"error": str(bound)}
    kinks = [float(x.dtype.type(k)) for k in bound.kinks if start <= k <= stop]  # as on the grid
    info = io.StringIO()
    write_record(bound.label, tables.info_record(bound, nested=False), "html", info)
    return {
        "label": legend_name(bound),
        "word": shlex.quote(spelling(bound)),  # in the command line
        "curves": [arrays.add(y) for y in ys],
        "jumps": _jumps(bound, kinks, x.dtype, start, stop, visible),
        "kinks": kinks,
        **_regions(bound, x, ys[1], start, stop),
        "info": lines.add(info.getvalue()),
    }


def _jumps(act: Activation, kinks: Sequence[float], dtype: np.dtype[Any], start: float,
           stop: float, visible: dict[int, float]) -> list[list[Any]]:
    """[order, x, value at the kink, left limit, right limit, the limits that differ
    from the value] where f, f' or f'' jumps at a kink (as the PNG plot marks them):
    the line breaks there, a dot marks the catalog's value and circles the limits."""
    found = []
    for kink in kinks:
        at = dtype.type(kink)
        around = np.array([np.nextafter(at, dtype.type(-np.inf)), at,
                           np.nextafter(at, dtype.type(np.inf))], dtype=dtype)
        for order, y in enumerate(act.derivatives(around, (0, 1, 2))):
            if CONTINUOUS_ORDERS[act.smoothness] > order:
                continue
            y = finite(y)
            left, right = float(y[0]), float(y[2])
            for where, value, limits in find_jumps(around, y, [kink], start, stop, visible[order]):
                found.append([order, where, _number(value), _number(left), _number(right),
                              [_number(v) for v in limits]])
    return found


def _regions(act: Activation, x: np.ndarray, slope: np.ndarray, start: float,
             stop: float) -> dict[str, Any]:
    """The spans of [start, stop] where `act` is dead (f' = 0 on the grid) or saturated
    (in a tail of `saturation_bounds`, the one definition that `stats` and `plot --data`
    use; dead beats saturated), with their edges at grid points and at the tails' bounds,
    and the tails in words for the legend."""
    grid = x.astype(np.float64)
    dead = [(float(grid[lo]), float(grid[hi])) for lo, hi in runs(slope == 0) if hi > lo]
    bounds = saturation_bounds(act)
    low, high = bounds
    tails = [(start, min(low, stop))] if low > start else []
    tails += [(max(high, start), stop)] if high < stop else []
    return {"dead": dead, "saturated": [piece for tail in tails for piece in _minus(tail, dead)],
            "tails": describe_tails(bounds)}


def _minus(span: tuple[float, float], holes: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """`span` without the (sorted, disjoint) `holes`."""
    pieces, (low, high) = [], span
    for hole_low, hole_high in holes:
        if hole_high <= low or hole_low >= high:
            continue
        if hole_low > low:
            pieces.append((low, hole_low))
        low = max(low, hole_high)
    if low < high:
        pieces.append((low, high))
    return pieces


# --- the HTML -------------------------------------------------------------------------------

def _assemble(title: str, data: dict[str, Any]) -> str:
    """page.html with its style, script and data inlined: one file, no requests."""
    folder = files("actcli.frontend")
    template, style, script = (folder.joinpath(name).read_text(encoding="utf-8") for name in ASSETS)
    # In a <script> element, "</script" or "<!--" would end or change it: JSON may
    # write "<" as \u003c instead.
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    page = template.replace("<!--actcli:title-->", html.escape(title))
    page = page.replace("/*actcli:style*/", style).replace("/*actcli:script*/", script)
    return page.replace("/*actcli:data*/", payload)
