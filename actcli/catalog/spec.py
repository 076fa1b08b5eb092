"""The shape of a catalog record, and an activation bound to its parameters.

A record (`Spec` or `VectorSpec`) is pure data plus the closed-form numerics of one
activation. `Activation` / `VectorActivation` bind a record to validated parameter
values and handle what every function shares: dtype rules, NaN propagation and
scalar-in / scalar-out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from actcli.catalog import compute
from actcli.catalog.interval import Interval, format_bound
from actcli.errors import InputError
from actcli.numbers import parse_number

if TYPE_CHECKING:
    from actcli.catalog.properties import Properties

ParamValue = Union[float, str]
Smoothness = Literal["discontinuous", "C0", "C1", "C2", "Cinf"]
Monotonic = Literal["increasing", "non-decreasing", "decreasing", "non-increasing", "no"]
# A declared property is a value or, when it depends on the parameters, a function of them.
Declared = Union[Any, Callable[..., Any]]


class ParamError(InputError):
    """A parameter name or value that the function does not accept."""


class ShapeError(InputError):
    """An input whose shape the function cannot take (glu of an odd-length vector)."""


@dataclass(frozen=True)
class Param:
    """One parameter of an activation: default, accepted range or choices, aliases."""

    name: str
    default: ParamValue
    doc: str
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    allow_inf: bool = False  # accept +-inf within the bounds (e.g. "no threshold")

    def describe(self) -> str:
        """The accepted values in words, for errors and `info`."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        lo, hi = self.low, self.high
        if math.isinf(lo) and math.isinf(hi):
            return "a number" if self.allow_inf else "a finite number"
        if math.isinf(hi):
            return f"a number {'>' if self.low_open else '>='} {format_bound(lo)}"
        if math.isinf(lo):
            return f"a number {'<' if self.high_open else '<='} {format_bound(hi)}"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"a number in {left}{format_bound(lo)}, {format_bound(hi)}{right}"

    def coerce(self, value: object) -> ParamValue:
        """Validate `value` (a number, or text as typed on a command line)."""
        if self.choices:
            text = str(value).strip().lower()
            if text not in self.choices:
                raise ParamError(f"{self.name}={value!r} is not valid: expected {self.describe()}")
            return text
        if isinstance(value, bool):
            raise ParamError(f"{self.name}={value!r} is not valid: expected {self.describe()}")
        parse: Callable[[Any], float] = parse_number if isinstance(value, str) else float
        try:
            number = parse(value)
        except InputError as error:  # the text's own reason: underscores, overflow
            raise ParamError(f"{self.name}={error}: expected {self.describe()}") from None
        except (TypeError, ValueError):
            raise ParamError(
                f"{self.name}={value!r} is not a number: expected {self.describe()}"
            ) from None
        too_low = number <= self.low if self.low_open else number < self.low
        too_high = number >= self.high if self.high_open else number > self.high
        not_allowed = math.isnan(number) or (math.isinf(number) and not self.allow_inf)
        if not_allowed or too_low or too_high:
            raise ParamError(f"{self.name}={value!r} is out of range: expected {self.describe()}")
        return number


def _resolve(declared: Declared, params: Mapping[str, ParamValue]) -> Any:
    return declared(**params) if callable(declared) else declared


@dataclass(frozen=True, kw_only=True)
class _SpecBase:
    name: str
    family: str
    summary: str
    formula: str
    latex: str
    reference: str
    output_range: Declared  # Interval, or params -> Interval
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()
    frameworks: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""
    constraint: Callable[..., str | None] | None = None  # cross-parameter check: message or None

    def param(self, key: str) -> Param:
        """The parameter called `key` (or one of its aliases)."""
        wanted = key.strip().lower()
        for p in self.params:
            if wanted == p.name or wanted in p.aliases:
                return p
        if not self.params:
            raise ParamError(f"{self.name} takes no parameters (got {key!r})")
        valid = ", ".join(p.name for p in self.params)
        raise ParamError(f"{self.name} has no parameter {key!r}; valid: {valid}")

    def bind_params(self, given: Mapping[str, object]) -> dict[str, ParamValue]:
        """Defaults overlaid with validated `given` values, keyed by canonical names."""
        values: dict[str, ParamValue] = {p.name: p.default for p in self.params}
        seen: dict[str, str] = {}
        for key, raw in given.items():
            p = self.param(key)
            if p.name in seen:
                raise ParamError(f"{self.name}: {key!r} and {seen[p.name]!r} both set {p.name}")
            seen[p.name] = key
            values[p.name] = p.coerce(raw)
        if self.constraint is not None and (problem := self.constraint(**values)):
            raise ParamError(f"{self.name}: {problem}")
        return values


@dataclass(frozen=True, kw_only=True)
class Spec(_SpecBase):
    """An elementwise activation: f, f' and f'' in closed form, and its declared properties.

    `f`, `df`, `d2f` take a float32/float64 array and the parameters as keywords and
    return an array of the same dtype without overflow or invalid-value warnings for
    any finite input. NaN inputs are propagated by `Activation`, so they need no care.
    They must be elementwise: large arrays are evaluated in chunks (`compute`).

    `value_and_grad`, when given, returns (f, df) computed together from shared
    intermediates, bit for bit equal to `f` and `df`; without it they are called in turn.
    `compiled`, when given, makes the record's compiled loop for its parameters (see
    `compute`): f and f' of each value in one pass, for large arrays.
    """

    f: Callable[..., NDArray[np.floating]]
    df: Callable[..., NDArray[np.floating]]
    d2f: Callable[..., NDArray[np.floating]]
    value_and_grad: Callable[..., tuple[NDArray[np.floating], NDArray[np.floating]]] | None = None
    compiled: Callable[..., Callable[..., None]] | None = None
    monotonic: Declared  # Monotonic
    smoothness: Declared  # Smoothness
    kinks: Declared = ()  # tuple of x where f or f' jumps
    kink_rule: str = ""  # derivative convention at the kinks

    kind: Literal["elementwise"] = "elementwise"

    def bind(self, **params: object) -> Activation:
        return Activation(self, self.bind_params(params))


@dataclass(frozen=True, kw_only=True)
class VectorSpec(_SpecBase):
    """An activation over a whole vector (along `axis`): f, its Jacobian and a JVP.

    `f(x, axis, **params)` works on any shape; `jacobian(x, **params)` takes one 1-d
    vector and returns d f_i / d x_j; `jvp(x, v, axis, **params)` is J(x) @ v along axis.
    """

    f: Callable[..., NDArray[np.floating]]
    jacobian: Callable[..., NDArray[np.floating]]
    jvp: Callable[..., NDArray[np.floating]]
    output_size: Callable[[int], int] = field(default=lambda n: n)  # outputs for n inputs
    distribution: bool = False  # outputs are probabilities that sum to 1

    kind: Literal["vector"] = "vector"

    def bind(self, **params: object) -> VectorActivation:
        return VectorActivation(self, self.bind_params(params))


def as_float_array(x: ArrayLike) -> NDArray[np.floating]:
    """float32 and float64 are kept (never silently upcast); anything else becomes float64."""
    array = np.asarray(x)
    if array.dtype in (np.float32, np.float64):
        return array
    if array.dtype.kind not in "biuf":
        raise TypeError(f"expected real numbers, got an array of {array.dtype}")
    return array.astype(np.float64)


def format_param(value: ParamValue) -> str:
    """A parameter value as people write it and exactly: 0.2, 1e-05, tanh, and
    0.1234567 (not "g"'s six digits, 0.123457, another number)."""
    if not isinstance(value, float):
        return str(value)
    text = format(value, "g")
    if float(text) == value or value != value:
        return text
    text = repr(value)  # the shortest text that reads back
    return text[:-2] if text.endswith(".0") else text


def _differs(value: ParamValue, default: ParamValue) -> bool:
    """value != default, where -0.0 differs from 0.0 (threshold's value=-0.0 returns -0.0:
    another function, so another label and column)."""
    if isinstance(value, float) and isinstance(default, (int, float)) and value == default:
        return math.copysign(1.0, value) != math.copysign(1.0, default)
    return value != default


class _Bound:
    spec: Any
    params: Mapping[str, ParamValue]

    def __init__(self, spec: Any, params: Mapping[str, ParamValue]) -> None:
        self.spec = spec
        self.params = MappingProxyType(dict(params))

    @property
    def name(self) -> str:
        return str(self.spec.name)

    @property
    def kind(self) -> str:
        return str(self.spec.kind)

    @property
    def changed_params(self) -> dict[str, ParamValue]:
        """The parameters that differ from their defaults, in the record's order: what a
        label, a column name or the FN:key=value spelling (`resolve.spelling`) names."""
        return {p.name: self.params[p.name] for p in self.spec.params
                if _differs(self.params[p.name], p.default)}

    @property
    def label(self) -> str:
        """The name with the parameters that differ from their defaults: `elu(alpha=0.5)`."""
        changed = self.changed_params
        if not changed:
            return self.name
        return f"{self.name}({', '.join(f'{k}={format_param(v)}' for k, v in changed.items())})"

    @property
    def output_range(self) -> Interval:
        return _resolve(self.spec.output_range, self.params)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label}>"


class Activation(_Bound):
    """An elementwise activation with its parameters fixed.

    `f`, `df` and `d2f` accept scalars or arrays of any shape; float32 input is computed
    in float32, float64 and integers in float64. A scalar in gives a NumPy scalar out.
    """

    spec: Spec

    def _apply(self, order: int, x: ArrayLike) -> Any:
        func, params = (self.spec.f, self.spec.df, self.spec.d2f)[order], self.params
        compiled = self._compiled((order,)) if order < 2 else None
        (out,) = compute.evaluate(lambda a: (func(a, **params),), as_float_array(x), compiled)
        return out[()] if out.ndim == 0 else out

    def f(self, x: ArrayLike) -> Any:
        return self._apply(0, x)

    def df(self, x: ArrayLike) -> Any:
        return self._apply(1, x)

    def d2f(self, x: ArrayLike) -> Any:
        return self._apply(2, x)

    __call__ = f

    def derivative(self, order: int) -> Callable[[ArrayLike], Any]:
        """f, f' or f'' for order 0, 1 or 2."""
        return (self.f, self.df, self.d2f)[order]

    def value_and_grad(self, x: ArrayLike) -> tuple[Any, Any]:
        """(f(x), f'(x)), equal to (`f(x)`, `df(x)`) but computed together: intermediates
        such as exp(-|x|) are shared, which makes it up to twice as fast."""
        spec, params = self.spec, self.params
        fused = spec.value_and_grad
        if fused is None:
            def kernel(a: NDArray[np.floating]) -> tuple[NDArray[np.floating], ...]:
                return spec.f(a, **params), spec.df(a, **params)
        else:
            def kernel(a: NDArray[np.floating]) -> tuple[NDArray[np.floating], ...]:
                return fused(a, **params)  # type: ignore[misc]
        value, grad = compute.evaluate(kernel, as_float_array(x), self._compiled((0, 1)))
        return (value[()], grad[()]) if value.ndim == 0 else (value, grad)

    def _compiled(self, orders: tuple[int, ...]) -> compute.Compiled | None:
        """The record's compiled loop for these orders, if it has one."""
        make = self.spec.compiled
        return None if make is None else compute.Compiled(make, self.params, orders)

    def derivatives(self, x: ArrayLike, orders: Sequence[int]) -> list[Any]:
        """f (order 0), f' (1) or f'' (2) for each of `orders`, f and f' from one
        `value_and_grad` when both are wanted."""
        fused = dict(zip((0, 1), self.value_and_grad(x))) if {0, 1} <= set(orders) else {}
        return [fused[o] if o in fused else self.derivative(o)(x) for o in orders]

    @property
    def monotonic(self) -> Monotonic:
        return _resolve(self.spec.monotonic, self.params)  # type: ignore[no-any-return]

    @property
    def smoothness(self) -> Smoothness:
        return _resolve(self.spec.smoothness, self.params)  # type: ignore[no-any-return]

    @property
    def kinks(self) -> tuple[float, ...]:
        return tuple(float(k) for k in _resolve(self.spec.kinks, self.params))

    @cached_property
    def properties(self) -> Properties:
        from actcli.catalog.properties import analyse

        return analyse(self)


class VectorActivation(_Bound):
    """A vector activation with its parameters fixed; acts along `axis` (default last)."""

    spec: VectorSpec

    def f(self, x: ArrayLike, axis: int = -1) -> NDArray[np.floating]:
        array = as_float_array(x)
        return _shaped_like(array, self.spec.f(self._vectors(array, axis), axis=axis,
                                               **self.params))

    __call__ = f

    def _vectors(self, array: NDArray[np.floating], axis: int) -> NDArray[np.floating]:
        """`array` with an axis `axis` to act along: a single number is a vector of one (as
        torch.softmax takes it); an axis the array lacks is a ShapeError, not numpy's."""
        shaped = array.reshape(1) if array.ndim == 0 else array
        if not -shaped.ndim <= axis < shaped.ndim:
            raise ShapeError(f"{self.label} acts along axis {axis}, but the input has "
                             f"{array.ndim} dimension(s) (shape {array.shape})")
        return shaped

    def jacobian(self, x: ArrayLike) -> NDArray[np.floating]:
        """d f_i / d x_j for one vector `x` (rows: outputs, columns: inputs)."""
        array = as_float_array(x)
        if array.ndim != 1:
            raise ValueError(f"jacobian takes one vector, got shape {array.shape}")
        return self.spec.jacobian(array, **self.params)

    def jvp(self, x: ArrayLike, v: ArrayLike, axis: int = -1) -> NDArray[np.floating]:
        """The Jacobian-vector product J(x) @ v along `axis`, without forming J."""
        array = as_float_array(x)
        tangent = np.asarray(v, dtype=array.dtype)
        if array.ndim == 0:
            tangent = np.atleast_1d(tangent)
        return _shaped_like(array, self.spec.jvp(self._vectors(array, axis), tangent,
                                                 axis=axis, **self.params))


def _shaped_like(array: NDArray[np.floating], out: NDArray[np.floating]) -> NDArray[np.floating]:
    """A single number's result as a single number (it went in as a vector of one)."""
    return out.reshape(()) if array.ndim == 0 else out


def elementwise(act: _Bound, purpose: str) -> Activation:
    """`act` if it is elementwise; a vector function (softmax & co.) is refused with a
    ShapeError, saying what `purpose` needs instead."""
    if not isinstance(act, Activation):
        raise ShapeError(f"{act.label} is a vector function (each output depends on the whole "
                         f"input); {purpose}")
    return act
