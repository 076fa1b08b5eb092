"""The jobs behind `actcli list` and `actcli info`: the catalog, and everything about one
function (formula, parameters, properties, conventions, names, reference).
"""

from __future__ import annotations

from collections.abc import Sequence

from actcli.catalog import REGISTRY
from actcli.frontend.context import Environment
from actcli.frontend.output import emit, output_format
from actcli.present import tables
from actcli.present.render import DEFAULT_PRECISION, for_people, write_record
from actcli.resolve import resolve


def listing(env: Environment, fmt: str | None) -> None:
    """`actcli list`: every function with its family and a one-line description."""
    emit(env, tables.catalog_table(REGISTRY), output_format(fmt, env), DEFAULT_PRECISION)


def info(env: Environment, function: str, param: Sequence[str], fmt: str | None) -> None:
    """`actcli info FN`: one record; JSON keeps parameters as objects, people read the
    range and the place of max |f'| as text, programs get their numbers."""
    act = resolve(function, param)
    chosen = output_format(fmt, env)
    record = tables.info_record(act, nested=chosen in ("json", "jsonl"),
                                exact=not for_people(chosen))
    write_record(act.label, record, chosen, env.out)
    env.out.flush()
