"""The job behind `actcli compare`: functions side by side (f or f'), with the summary of
their properties, and drawn together with -o FILE.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from actcli.data import grid
from actcli.errors import InputError
from actcli.frontend.arguments import functions_and_range
from actcli.frontend.context import Environment
from actcli.frontend.drawing import draw
from actcli.frontend.output import emit_with_summary, output_format
from actcli.present import tables
from actcli.present.render import for_people
from actcli.resolve import resolve


def compare(env: Environment, items: Sequence[str], *, grad: bool, summary: bool,
            output: str | None, ylim: tuple[float, float] | None, num: int | None,
            step: float | None, dtype: str, fmt: str | None, precision: int) -> None:
    """`actcli compare FN... [START STOP]`: the values (or with `grad` the derivatives)
    and the summary of properties for people; for programs the values, or with
    `summary` the properties alone; with `output`, the plot too."""
    names, numbers = functions_and_range(items)
    acts = [resolve(name, elementwise="compare takes elementwise functions") for name in names]
    x = grid.points(numbers, num=num, step=step, dtype=dtype)
    chosen = output_format(fmt, env)
    if ylim is not None and output is None:
        raise InputError("--ylim sets the y range of the plot: it needs -o FILE")
    if output is not None:
        start, stop = grid.bounds(numbers)
        draw(acts, output, start, stop, env, grad=grad, dtype=dtype, ylim=ylim)
        if output == "-":
            return
    properties = tables.properties_table(acts, for_people=for_people(chosen))
    values = partial(tables.compare_table, acts, x, 1 if grad else 0)
    emit_with_summary(env, chosen, precision, properties, summary_only=summary,
                      people=lambda: [values()], programs=values)
