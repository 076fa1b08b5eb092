"""What each command shows, as renderer-neutral `Table`s and records.

This is where catalog results become named columns: `x, relu, relu_grad, relu_grad2`
for machine formats, `x, relu(x), relu'(x), relu''(x)` as table headings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from actcli.catalog import Activation, AnyActivation, Registry, VectorActivation
from actcli.catalog.spec import format_param
from actcli.catalog.interval import Interval
from actcli.catalog.properties import (
    DEFAULT_SATURATION,
    Properties,
    describe_tails,
    saturation_bounds,
)
from actcli.resolve import distinct
from actcli.present.render import Column, NumberText, Table

if TYPE_CHECKING:  # (imported by the depth tables: only `actcli depth` needs it)
    from actcli.analysis.depth import DepthProfile

ORDER_SUFFIX = {0: "", 1: "_grad", 2: "_grad2"}
ORDER_PRIME = {0: "", 1: "'", 2: "''"}


def column_name(act: AnyActivation, order: int) -> str:
    """The machine column name of f, f' or f'': relu, relu_grad, relu_grad2."""
    return act.name + ORDER_SUFFIX[order]


def _heading(act: AnyActivation, order: int) -> str:
    if act.name.isidentifier():
        return f"{act.name}{ORDER_PRIME[order]}(x)"
    return f"({act.name}){ORDER_PRIME[order]}" if order else act.name  # a formula in x


def _title(act: AnyActivation, what: str, dtype: np.dtype) -> str:
    suffix = "" if dtype == np.float64 else f"  [{dtype}]"
    return f"{what}{act.label}{suffix}"


def values_table(act: Activation, x: NDArray[np.floating], orders: Sequence[int]) -> Table:
    columns = [Column("x", x)]
    columns += [Column(column_name(act, o), np.asarray(y), _heading(act, o))
                for o, y in zip(orders, act.derivatives(x, orders))]
    what = "" if orders == (0,) else "derivatives of "
    notes = [f"kinks: {act.spec.kink_rule}"] if act.kinks and any(
        k in x for k in act.kinks) and 1 in orders else []
    return Table(_title(act, what, x.dtype), columns, notes=notes)


def stream_columns(act: AnyActivation, orders: Sequence[int]) -> tuple[Any, Any]:
    """What `eval`/`grad` append to each CSV row: (compute, result_names) for
    `stream.run`. One input column gives relu, relu_grad, ...; several give
    relu_a, relu_grad_a, ... per column; a vector function acts on each row's columns
    and gives softmax_a, softmax_b, ..."""
    if isinstance(act, VectorActivation):
        def vector_compute(values: np.ndarray) -> list[np.ndarray]:
            return list(act.f(values, axis=1).T)

        return vector_compute, lambda selected: [f"{act.name}_{c}" for c in selected]

    def compute(values: np.ndarray) -> list[np.ndarray]:
        return [np.asarray(y) for j in range(values.shape[1])
                for y in act.derivatives(values[:, j], orders)]

    def names(selected: list[str]) -> list[str]:
        if len(selected) == 1:
            return [column_name(act, o) for o in orders]
        return [f"{column_name(act, o)}_{c}" for c in selected for o in orders]

    return compute, names


def vector_table(act: VectorActivation, x: NDArray[np.floating]) -> Table:
    """One row per element, inputs first: `vector` (x or the function's name), `i` (the
    1-based index in that vector), `value`. An output never shares a row with an input
    (glu halves its input; softmax's output i depends on every input)."""
    y = act.f(x)
    columns = [Column("vector", ["x"] * len(x) + [act.name] * len(y)),
               Column("i", np.concatenate([np.arange(1, len(x) + 1), np.arange(1, len(y) + 1)])),
               Column("value", np.concatenate([x, y]))]
    caption = f"sum = {float(np.sum(y)):.6g}" if act.spec.distribution else ""
    return Table(_title(act, "", x.dtype), columns, caption=caption)


def jacobian_table(act: VectorActivation, x: NDArray[np.floating]) -> Table:
    jac = act.jacobian(x)
    outputs = act.f(x)
    columns = [Column("i", list(range(1, jac.shape[0] + 1))), Column(act.name, outputs, f"{act.name}_i")]
    columns += [Column(f"d_x{j + 1}", jac[:, j], f"d/dx{j + 1}") for j in range(jac.shape[1])]
    return Table(_title(act, "Jacobian of ", x.dtype), columns,
                 caption="row i: d " + act.name + "_i / d x_j")


def compare_table(acts: Sequence[Activation], x: NDArray[np.floating], order: int) -> Table:
    distinct(acts, "compare")
    columns = [Column("x", x)]
    columns += [Column(_machine_label(act, order), np.asarray(act.derivative(order)(x)),
                       act.label + ORDER_PRIME[order]) for act in acts]
    what = {0: "values", 1: "first derivatives", 2: "second derivatives"}[order]
    return Table(f"Compared {what}", columns)


# In a parameter value of a column name: 0.2 -> 0p2, -1 -> m1, 1e-3 -> 1em3.
_VALUE_SPELLING = str.maketrans({".": "p", "-": "m", "+": ""})


def _machine_label(act: Activation, order: int) -> str:
    """leaky_relu(negative_slope=0.2) -> leaky_relu_negative_slope_0p2: a name that is an
    identifier (jq .name, pandas df.name), distinct when the same function appears with
    other parameters."""
    changed = [f"{name}_{format_param(value)}" for name, value in act.changed_params.items()]
    if not changed:  # (a formula, too, is kept as typed)
        return act.name + ORDER_SUFFIX[order]
    label = "_".join([act.name, *changed]).translate(_VALUE_SPELLING)
    return re.sub(r"\W", "_", label) + ORDER_SUFFIX[order]


def properties_table(acts: Sequence[Activation], *, for_people: bool = True) -> Table:
    """Properties side by side. People read a range and a place as text; programs get
    their numbers as numbers: range_low/high with whether each end is attained, and
    max_abs_grad_where ("x1 < x < x2") with max_abs_grad_x1, x2, ... (empty if unused)."""
    distinct(acts, "compare")
    props = [a.properties for a in acts]
    rest = [
        Column("zero_centred", [p.zero_centred for p in props], "zero-centred"),
        Column("monotonic", [p.monotonic for p in props]),
        Column("saturates", [p.saturates for p in props]),
    ]
    grad = Column("max_abs_grad", np.array([p.max_abs_grad for p in props]), "max |f'|")
    function = Column("function", [a.label for a in acts])
    if for_people:
        return Table("Summary", [
            function,
            Column("range", [_range_text(p.output_range) for p in props]),
            grad,
            Column("max_abs_grad_at", [_place_text(p) for p in props], "where"),
            *rest,
        ])
    ranges = [p.output_range for p in props]
    points = max(len(p.max_abs_grad_x) for p in props)
    return Table("Summary", [
        function,
        Column("range_low", np.array([r.low for r in ranges])),
        Column("range_high", np.array([r.high for r in ranges])),
        Column("range_low_closed", [r.low_closed for r in ranges]),
        Column("range_high_closed", [r.high_closed for r in ranges]),
        grad,
        Column("max_abs_grad_where", [p.max_abs_grad_where for p in props]),
        *(Column(f"max_abs_grad_x{k + 1}", [p.max_abs_grad_x[k] if k < len(p.max_abs_grad_x)
                                            else None for p in props])
          for k in range(points)),
        *rest,
    ])


def _range_text(interval: Interval) -> NumberText:
    """[-0.17, inf): rounded as a table rounds its numbers."""
    left, right = "[" if interval.low_closed else "(", "]" if interval.high_closed else ")"
    return NumberText(left + "{0}, {1}" + right, (interval.low, interval.high))


def _place_text(p: Properties) -> NumberText:
    """Where max |f'| is ("x = x1", x1 = 1.4142...) with its numbers to round."""
    template = re.sub(r"\bx(\d+)\b", lambda m: "{" + str(int(m[1]) - 1) + "}",
                      p.max_abs_grad_where.replace("{", "{{").replace("}", "}}"))
    return NumberText(template, p.max_abs_grad_x)


def catalog_table(registry: Registry) -> Table:
    specs = sorted(registry, key=lambda s: (s.kind != "elementwise", s.family, s.name))
    return Table("Activation functions", [
        Column("name", [s.name for s in specs]),
        Column("family", [s.family for s in specs]),
        Column("kind", [s.kind for s in specs], section=True),
        Column("description", [s.summary for s in specs], prose=True),
    ], caption="`actcli info NAME` for formula, parameters and properties")


def info_record(act: AnyActivation, *, nested: bool, exact: bool = False) -> dict[str, Any]:
    """Everything `info` shows. `nested` keeps parameters as objects (JSON); otherwise
    each parameter is one line of text (tables, CSV). `exact` (machine formats) gives
    the output range and the place of max |f'| as numbers, not rounded text."""
    spec = act.spec
    record: dict[str, Any] = {
        "name": spec.name,
        "aliases": list(spec.aliases),
        "family": spec.family,
        "kind": spec.kind,
        "summary": spec.summary,
        "formula": spec.formula,
        "latex": spec.latex,
    }
    for p in spec.params:
        details = {"value": act.params[p.name], "default": p.default, "valid": p.describe(),
                   "doc": p.doc, "aliases": list(p.aliases)}
        if nested:
            record.setdefault("parameters", {})[p.name] = details
        else:
            also = f"; also {', '.join(p.aliases)}" if p.aliases else ""
            record[f"parameter {p.name}"] = (
                f"{format_param(act.params[p.name])} (default {format_param(p.default)}; "
                f"{p.describe()}{also}): {p.doc}")
    if isinstance(act, Activation):
        record.update(_properties_record(act.properties, exact))
        record.update(_tails_record(act.properties, saturation_bounds(act), exact))
    else:
        record.update(_range_record(act.output_range, exact))
    record["frameworks"] = dict(spec.frameworks)
    record["reference"] = spec.reference
    if spec.notes:
        record["notes"] = spec.notes
    return record


def _range_record(output_range: Interval, exact: bool) -> dict[str, Any]:
    if not exact:
        return {"output_range": str(output_range)}
    return {"output_range_low": output_range.low, "output_range_high": output_range.high,
            "output_range_low_closed": output_range.low_closed,
            "output_range_high_closed": output_range.high_closed}


def _tails_record(p: Properties, tails: tuple[float, float], exact: bool) -> dict[str, Any]:
    """Where inputs count as saturated (stats, plot --data, depth): past these x."""
    if exact:
        return {"saturated_below": tails[0], "saturated_above": tails[1]}
    where = describe_tails(tails)
    flat = p.saturates != "no" and 0 < p.max_abs_grad < math.inf
    return {"saturated_at": f"{where} (|f'| < {DEFAULT_SATURATION:g} max|f'| there)" if where
            else "none: where f' goes to 0 it is 0 (dead, not saturated)" if flat else "none"}


def _properties_record(p: Properties, exact: bool) -> dict[str, Any]:
    where = ({"max_abs_grad_where": p.max_abs_grad_where, "max_abs_grad_x": list(p.max_abs_grad_x)}
             if exact else {"max_abs_grad_at": p.max_abs_grad_at})
    return {
        **_range_record(p.output_range, exact),
        "bounded_below": p.bounded_below,
        "bounded_above": p.bounded_above,
        "monotonic": p.monotonic,
        "zero_centred": p.zero_centred,
        "smoothness": p.smoothness,
        "f(0)": p.f0,
        "f'(0)": p.df0,
        "max_abs_grad": p.max_abs_grad,
        **where,
        "saturates": p.saturates,
        "kinks": list(p.kinks),
        "kink_rule": p.kink_rule or "-",
    }


def depth_layer_table(profiles: Sequence[DepthProfile]) -> Table:
    """Functions' way through the network, layer by layer, one row per function and layer."""
    def stacked(attribute: str) -> np.ndarray:
        return np.concatenate([np.asarray(getattr(p, attribute), dtype=float) for p in profiles])

    columns = [
        Column("function", [p.label for p in profiles for _ in range(p.config.layers)]),
        Column("layer", [int(n) for p in profiles for n in p.layer_numbers]),
        *(Column(name, stacked(name), heading) for name, heading in (
            ("pre_mean", "pre mean"), ("pre_std", "pre std"), ("act_mean", "act mean"),
            ("act_std", "act std"), ("zero_frac", "at 0"), ("saturated_frac", "saturated"),
            ("dead_frac", "dead units"), ("grad_rel", "grad / last"),
            ("grad_log10", "log10 grad"))),
    ]
    names = ", ".join(p.label for p in profiles)
    return Table(f"{names} through {profiles[0].config.layers} layers", columns)


def depth_summary_table(profiles: Sequence[DepthProfile], *, for_people: bool) -> Table:
    """A verdict per function; the one-line explanations are notes under the table for
    people and a column for programs."""
    from actcli.analysis.depth import format_power

    summaries = [p.assessment() for p in profiles]

    def numbers(key: str) -> np.ndarray:
        return np.array([s[key] for s in summaries], dtype=float)

    columns = [
        Column("function", [s["function"] for s in summaries]),
        Column("verdict", [s["verdict"] for s in summaries]),
        # Text for people: the ratio can lie beyond float64's range (1e-400).
        Column("grad_ratio", [format_power(s["grad_ratio_log10"]) for s in summaries]
               if for_people else numbers("grad_ratio"), "grad layer 1 / last"),
        Column("factor_per_layer", numbers("factor_per_layer"), "x per layer"),
        Column("signal_ratio", numbers("signal_ratio"), "signal last / first"),
        Column("dead_frac", numbers("dead_frac"), "dead at last"),
    ]
    if for_people:
        return Table("Summary", columns, notes=[f"{s['function']}: {s['explanation']}"
                                                 for s in summaries])
    columns[3:3] = [Column("grad_ratio_log10", numbers("grad_ratio_log10"))]
    return Table("Summary", [*columns, Column("explanation", [s["explanation"] for s in summaries])])
