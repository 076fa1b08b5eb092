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

import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

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
from actcli.catalog.properties import DEFAULT_SATURATION

if TYPE_CHECKING:  # the front ends load only when used (watch: torch)
    from actcli.frontend.page import Page
    from actcli.frontend.watch import Watch

__all__ = [
    "Activation", "Interval", "Param", "ParamError", "ShapeError", "Spec", "UnknownFunctionError",
    "VectorActivation", "VectorSpec", "__version__", "explore", "get", "names", "spec", "watch",
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


def explore(*functions: str, start: float = -5.0, stop: float = 5.0, grad2: bool = False,
            dtype: str = "float64") -> Page:
    """The explorer as a self-contained web page (`actcli explore ... --html`): Jupyter
    shows it inline, and it needs no kernel there (a saved notebook keeps it working);
    `.save("page.html")` writes it. `functions` are names, `name:key=value` specs or
    formulas (default relu, sigmoid, tanh); f'' is shown from the start with `grad2`.

    >>> actcli.explore("relu", "gelu", start=-3, stop=3).save("page.html")  # doctest: +SKIP
    """
    from actcli.frontend.page import explorer_page

    return explorer_page(functions, start, stop, grad2=grad2, dtype=dtype)


def _activation_html(act: AnyActivation) -> str:
    from actcli.frontend.notebook import activation_html

    return activation_html(act)


def _register_notebook_display() -> None:
    """Inside IPython (Jupyter), show an activation as its plot, formula and `info`
    table. Registered by name, so nothing is imported until one is displayed; outside
    IPython (the command line) this costs a dictionary lookup."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None  # type: ignore[attr-defined]
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["text/html"]
    for kind in ("Activation", "VectorActivation"):
        formatter.for_type_by_name("actcli.catalog.spec", kind, _activation_html)


_register_notebook_display()


def watch(model: Any, *, what_if: Iterable[str] = (), names: str | Iterable[str] | None = None,
          types: Any = None, every: int = 1, after: Mapping[str, str] | None = None,
          saturation: float = DEFAULT_SATURATION) -> Watch:
    """Summarise what the activation modules of a PyTorch model receive while it runs:
    dead and saturated shares, E[f'(x)^2] and the rest of `actcli stats`, layer by layer.

        with actcli.watch(model, what_if=["gelu"]) as w:
            ...                              # train or infer as usual
        print(w.report())                    # .rows, .to_json(), .save("run.json")

    Each module (nn.ReLU, nn.GELU(approximate="tanh"), nn.LeakyReLU(0.1), ...) is read as
    its catalog function with its own parameters; `what_if` adds rows for other
    functions on the same inputs. names: glob(s) on qualified names ("encoder.*");
    types: module classes or class names; every: one forward pass in N; after: for
    activations called as functions, {"fc1": "relu"} summarises fc1's outputs as the
    inputs of relu; saturation: as `actcli stats --saturation`. The hooks change nothing
    the model computes and are removed when the block ends. torch is imported here only.
    """
    from actcli.frontend.watch import Watch

    return Watch(model, what_if=what_if, names=names, types=types, every=every, after=after,
                 saturation=saturation)


def __getattr__(name: str) -> Any:
    # The version is read from the installed metadata only when asked for.
    if name == "__version__":
        from actcli.version import version

        return version()
    raise AttributeError(f"module 'actcli' has no attribute {name!r}")
