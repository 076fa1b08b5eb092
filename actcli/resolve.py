"""Functions as people write them: `name`, `name:key=value,...` with `-p key=value`
items, or a formula in x (`resolve`), and back (`spelling`). For the front ends, and for
analyses that keep functions as text (a stats accumulator sent to a Dask worker).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import overload

from actcli.catalog import REGISTRY, Activation, AnyActivation
from actcli.catalog import spec as catalog_spec
from actcli.catalog.spec import format_param
from actcli.errors import InputError


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """`key=value` items (from `FN:a=1,b=2` or repeated `-p a=1`) as a dict."""
    found: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(f"parameter {item!r} is not of the form key=value")
        if key.strip() in found:
            raise InputError(f"parameter {key.strip()!r} is given twice")
        found[key.strip()] = value.strip()
    return found


@overload
def resolve(text: str, extra_params: Sequence[str] = (), *, elementwise: str) -> Activation: ...
@overload
def resolve(text: str, extra_params: Sequence[str] = (), *,
            elementwise: None = None) -> AnyActivation: ...


def resolve(text: str, extra_params: Sequence[str] = (), *,
            elementwise: str | None = None) -> AnyActivation:
    """A bound activation from `name`, `name:key=value,...` and `-p key=value` items,
    or from a formula in x such as `x*sigmoid(1.702*x)` (a catalog entry for this run).
    `elementwise`: what the caller needs an elementwise function for ("compare takes
    elementwise functions"); a vector function is then refused with a ShapeError."""
    try:
        act = _bind(text, extra_params)
    except InputError:
        if os.path.exists(text):  # `-i acts/*.npy` unquoted: the shell made the files arguments
            raise InputError(f"{text!r} is a file, not a function: if the shell expanded a glob, "
                             "quote it (-i 'acts/*.npy') or give each file its own -i") from None
        raise
    return act if elementwise is None else catalog_spec.elementwise(act, elementwise)


def _bind(text: str, extra_params: Sequence[str]) -> AnyActivation:
    if text.partition(":")[0] not in REGISTRY:
        from actcli import expr  # only formulas (and typos) pay for the parser

        if expr.is_expression(text):
            if extra_params:
                raise InputError("-p/--param sets catalog parameters; write them into the formula")
            return expr.parse(text).spec().bind()
    name, _, spec = text.partition(":")
    items = [p for p in spec.split(",") if p.strip()] if spec else []
    try:
        params = parse_assignments([*items, *extra_params])
    except InputError as error:
        raise InputError(f"{name}: {error}") from None
    return REGISTRY.get(name, **params)


def spelling(act: AnyActivation, **changes: str) -> str:
    """The text `resolve` reads back as `act`: `leaky_relu:negative_slope=0.13` with the
    parameters that differ from their defaults, a formula as typed. `changes` (name=text)
    set parameters on the way, as an edited field does."""
    values = {name: format_param(value) for name, value in act.changed_params.items()} | changes
    return f"{act.name}:{','.join(f'{k}={v}' for k, v in values.items())}" if values else act.name


def distinct(acts: Sequence[AnyActivation], verb: str) -> None:
    """Refuse a function given twice (the same label): two columns or curves with one
    name could not be told apart. `verb`: what the command does with each, "compare"."""
    labels = [act.label for act in acts]
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise InputError(f"{', '.join(twice)} given more than once; {verb} each function once")
