"""Tables of `actcli stats` results (records with the keys of analysis.stats.KEYS)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from actcli.analysis.stats import KEYS, QUANTILE_RELATIVE_ERROR
from actcli.present.render import Column, Table

_TEXT = ("layer", "module", "function", "verdict")  # (layer, module: watch reports)
_COUNTS = ("n", "nan_count", "inf_count")
_INPUT_HEADINGS = {"n": "n", "nan_count": "NaN", "inf_count": "inf", "input_mean": "mean",
                   "input_std": "std"}
_QUANTILE_HEADINGS = {"input_min": "min", "input_p01": "p01", "input_p50": "median",
                      "input_p99": "p99", "input_max": "max"}
_FUNCTION_HEADINGS = {"function": "function", "mean": "mean f", "std": "std f",
                      "mean_grad": "E[f']", "mean_grad_sq": "E[f'²]",
                      "dead_fraction": "dead", "saturated_fraction": "saturated"}


_ESTIMATES = ("input_p01", "input_p50", "input_p99")
# The significant digits the quantiles are good to (2**-8 relative: 3).
QUANTILE_DIGITS = math.ceil(-math.log10(QUANTILE_RELATIVE_ERROR))
_QUANTILES_CAPTION = (f"p01, median, p99 within {QUANTILE_RELATIVE_ERROR:.2%}, to "
                      f"{QUANTILE_DIGITS} digits.")


def _functions_caption(saturation: float) -> str:
    return (f"dead: f'(x) = 0; saturated: in a tail where f' fades, past the last "
            f"|f'(x)| >= {saturation:g} max|f'| (`actcli info` says where). E[f'²] scales "
            "the gradient's energy per layer (see `actcli depth`).")


def _column(records: Sequence[dict[str, Any]], key: str, heading: str = "") -> Column:
    values = [r[key] for r in records]
    if key in _TEXT:
        return Column(key, values, heading)
    return Column(key, np.array(values, dtype=np.int64 if key in _COUNTS else np.float64), heading,
                  accurate_digits=QUANTILE_DIGITS if key in _ESTIMATES else None)


def stats_table(records: Sequence[dict[str, Any]]) -> Table:
    """One row per function with every key: for machine formats."""
    return Table("stats", [_column(records, key) for key in KEYS])


def stats_tables_for_people(records: Sequence[dict[str, Any]], saturation: float) -> list[Table]:
    """The inputs once, then a row per function with its verdict below: fits 80 columns."""
    inputs = Table("Inputs", [_column(records[:1], k, h) for k, h in _INPUT_HEADINGS.items()])
    quantiles = Table("Input quantiles",
                      [_column(records[:1], k, h) for k, h in _QUANTILE_HEADINGS.items()],
                      caption=_QUANTILES_CAPTION)
    functions = Table(
        "Through each function",
        [_column(records, k, h) for k, h in _FUNCTION_HEADINGS.items()],
        caption=_functions_caption(saturation),
        notes=[f"{r['function']}: {r['verdict']}" for r in records])
    return [inputs, quantiles, functions]


# --- reports of actcli.watch: the same records with the layer they come from -------------

REPORT_KEYS = ("layer", "module", *KEYS)
# The figures people look for first: a narrow terminal cuts columns from the right.
_LAYER_HEADINGS = {"layer": "layer", "module": "module", "function": "function",
                   "dead_fraction": "dead", "saturated_fraction": "saturated",
                   "mean_grad_sq": "E[f'²]", "mean": "mean f"}
_LAYER_INPUT_HEADINGS = {"layer": "layer", **_INPUT_HEADINGS, "input_p01": "p01",
                         "input_p50": "median", "input_p99": "p99"}


def report_table(rows: Sequence[dict[str, Any]]) -> Table:
    """One row per layer and function with every key: for machine formats."""
    return Table("watch", [_column(rows, key) for key in REPORT_KEYS])


def report_tables_for_people(rows: Sequence[dict[str, Any]], saturation: float,
                             notes: Sequence[str] = ()) -> list[Table]:
    """A row per layer and function, then each layer's inputs once; verdicts and notes
    below."""
    functions = Table(
        "Activations",
        [_column(rows, k, h) for k, h in _LAYER_HEADINGS.items()],
        caption=_functions_caption(saturation),
        notes=[f"{r['layer']} {r['function']}: {r['verdict']}" for r in rows])
    first: dict[str, dict[str, Any]] = {}  # the inputs are the same in a layer's rows
    for row in rows:
        first.setdefault(row["layer"], row)
    inputs = Table("Inputs of each layer",
                   [_column(list(first.values()), k, h)
                    for k, h in _LAYER_INPUT_HEADINGS.items()],
                   caption=_QUANTILES_CAPTION,
                   notes=list(notes))
    return [functions, inputs]
