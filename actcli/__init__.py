"""actcli: exact activation functions, their derivatives and properties.

>>> import actcli
>>> act = actcli.get("leaky_relu", negative_slope=0.2)
>>> float(act.f(-3.0)), float(act.df(0.0))
(-0.6000000000000001, 0.2)
>>> round(float(actcli.get("sigmoid").f(2.0)), 4)
0.8808
>>> float(actcli.get("x*sigmoid(1.702*x)").f(0.0))
0.0
"""

from __future__ import annotations

from typing import Any

from actcli.catalog import (
    REGISTRY,
    Activation,
    AnyActivation,
    AnySpec,
    Interval,
    Param,
    ParamError,
    ShapeError,
    Spec,
    UnknownFunctionError,
    VectorActivation,
    VectorSpec,
)

__all__ = [
    "Activation", "Interval", "Param", "ParamError", "ShapeError", "Spec", "UnknownFunctionError",
    "VectorActivation", "VectorSpec", "__version__", "get", "names", "spec",
]


def get(name: str, **params: object) -> AnyActivation:
    """The activation called `name` (or an alias) with `params` fixed, or a formula in x
    such as "x*sigmoid(1.702*x)" (parsed against a whitelist, never executed).

    Raises UnknownFunctionError for an unknown name, ParamError for a bad parameter, and
    actcli.expr.ExpressionError (a ValueError) for a formula that does not parse.
    """
    if name not in REGISTRY:
        from actcli import expr  # only formulas pay for the parser

        if expr.is_expression(name):
            if params:
                raise ParamError("a formula takes no parameters: write them into the formula")
            return expr.parse(name).spec().bind()
    return REGISTRY.get(name, **params)


def spec(name: str) -> AnySpec:
    """The catalog record for `name`: formula, parameters, reference, notes."""
    return REGISTRY.lookup(name)


def names() -> list[str]:
    """Canonical names of every activation in the catalog."""
    return REGISTRY.names()


def __getattr__(name: str) -> Any:
    # The version is read from the installed metadata only when asked for.
    if name == "__version__":
        from actcli.version import version

        return version()
    raise AttributeError(f"module 'actcli' has no attribute {name!r}")
