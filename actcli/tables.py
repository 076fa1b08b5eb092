"""What each command shows, as renderer-neutral `Table`s and records.

This is where catalog results become named columns: `x, relu, relu_grad, relu_grad2`
for machine formats, `x, relu(x), relu'(x), relu''(x)` as table headings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from actcli.catalog import Activation, AnyActivation, Registry, VectorActivation
from actcli.catalog.spec import format_param
from actcli.properties import Properties
from actcli.render import Column, Table

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
    y = act.f(x)
    columns = [Column("x", x), Column(act.name, y, f"{act.name}(x)")]
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
    evaluate = {0: "f", 1: "df", 2: "d2f"}[order]
    columns = [Column("x", x)]
    columns += [Column(_machine_label(act, order), np.asarray(getattr(act, evaluate)(x)),
                       act.label + ORDER_PRIME[order]) for act in acts]
    what = {0: "values", 1: "first derivatives", 2: "second derivatives"}[order]
    return Table(f"Compared {what}", columns)


def _machine_label(act: Activation, order: int) -> str:
    # leaky_relu(negative_slope=0.2) -> leaky_relu_negative_slope0.2: one identifier-like
    # name per column, distinct when the same function appears with other parameters.
    if act.label == act.name:  # no parameters changed (or a formula, kept as typed)
        return act.name + ORDER_SUFFIX[order]
    label = act.label.replace("(", "_").replace(")", "").replace(", ", "_").replace("=", "")
    return label + ORDER_SUFFIX[order]


def summary_table(acts: Sequence[Activation]) -> Table:
    props = [a.properties for a in acts]
    return Table("Summary", [
        Column("function", [a.label for a in acts]),
        Column("range", [str(p.output_range) for p in props]),
        Column("max_abs_grad", np.array([p.max_abs_grad for p in props]), "max |f'|"),
        Column("max_abs_grad_at", [p.max_abs_grad_at for p in props], "where"),
        Column("zero_centred", [p.zero_centred for p in props], "zero-centred"),
        Column("monotonic", [p.monotonic for p in props]),
        Column("saturates", [p.saturates for p in props]),
    ])


def catalog_table(registry: Registry) -> Table:
    specs = sorted(registry, key=lambda s: (s.kind != "elementwise", s.family, s.name))
    return Table("Activation functions", [
        Column("name", [s.name for s in specs]),
        Column("family", [s.family for s in specs]),
        Column("kind", [s.kind for s in specs]),
        Column("description", [s.summary for s in specs]),
    ], caption="`actcli info NAME` for formula, parameters and properties")


def info_record(act: AnyActivation, *, nested: bool) -> dict[str, Any]:
    """Everything `info` shows. `nested` keeps parameters as objects (JSON); otherwise
    each parameter is one line of text (tables, CSV)."""
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
        record.update(_properties_record(act.properties))
    else:
        record["output_range"] = str(act.output_range)
    record["frameworks"] = dict(spec.frameworks)
    record["reference"] = spec.reference
    if spec.notes:
        record["notes"] = spec.notes
    return record


def _properties_record(p: Properties) -> dict[str, Any]:
    return {
        "output_range": str(p.output_range),
        "bounded_below": p.bounded_below,
        "bounded_above": p.bounded_above,
        "monotonic": p.monotonic,
        "zero_centred": p.zero_centred,
        "smoothness": p.smoothness,
        "f(0)": p.f0,
        "f'(0)": p.df0,
        "max_abs_grad": p.max_abs_grad,
        "max_abs_grad_at": p.max_abs_grad_at,
        "saturates": p.saturates,
        "kinks": list(p.kinks),
        "kink_rule": p.kink_rule or "-",
    }


def depth_layer_table(profiles: Sequence[Any]) -> Table:
    """Functions' way through the network, layer by layer (`depth.DepthProfile`s), one
    row per function and layer."""
    def stacked(attribute: str) -> np.ndarray:
        return np.concatenate([np.asarray(getattr(p, attribute), dtype=float) for p in profiles])

    columns = [
        Column("function", [p.label for p in profiles for _ in range(p.config.layers)]),
        Column("layer", [int(n) for p in profiles for n in p.layer_numbers]),
        *(Column(name, stacked(name), heading) for name, heading in (
            ("pre_mean", "pre mean"), ("pre_std", "pre std"), ("act_mean", "act mean"),
            ("act_std", "act std"), ("zero_frac", "at 0"), ("saturated_frac", "|f'|<1e-3"),
            ("dead_frac", "dead units"), ("grad_rel", "grad / last"),
            ("grad_log10", "log10 grad"))),
    ]
    names = ", ".join(p.label for p in profiles)
    return Table(f"{names} through {profiles[0].config.layers} layers", columns)


def depth_summary_table(profiles: Sequence[Any], *, for_people: bool) -> Table:
    """A verdict per function; the one-line explanations are notes under the table for
    people and a column for programs."""
    from actcli.depth import format_power

    summaries = [p.summary() for p in profiles]

    def numbers(key: str) -> np.ndarray:
        return np.array([s[key] for s in summaries], dtype=float)

    columns = [
        Column("function", [s["function"] for s in summaries]),
        Column("verdict", [s["verdict"] for s in summaries]),
        Column("grad_ratio", [format_power(s["grad_ratio_log10"]) for s in summaries],
               "grad layer 1 / last"),
        Column("factor_per_layer", numbers("factor_per_layer"), "x per layer"),
        Column("signal_ratio", numbers("signal_ratio"), "signal last / first"),
        Column("dead_frac", numbers("dead_frac"), "dead at last"),
    ]
    if for_people:
        return Table("Summary", columns, notes=[f"{s['function']}: {s['explanation']}"
                                                 for s in summaries])
    columns[3:3] = [Column("grad_ratio_log10", numbers("grad_ratio_log10"))]
    return Table("Summary", [*columns, Column("explanation", [s["explanation"] for s in summaries])])
