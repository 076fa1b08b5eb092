"""Compiled kernels for large arrays: f and f' in one vectorised loop (Numba, optional).

NumPy evaluates a formula one operation at a time over the whole array, each operation
a pass through memory, and without AVX-512 its float64 exp, log1p and tanh are scalar
libm calls. Here one loop per record computes f and f' of each value in registers and
stores both, and it calls no libm function (but in gelu's rare tail below x = -37, a
loop of its own): exp, expm1 and log1p come from `_jitlib`, written in plain
arithmetic, so that LLVM vectorises the whole loop (4 float64 lanes on AVX2).
`compute` decides when they run (`ACTCLI_JIT`, or by themselves in a long job):
importing Numba and loading the loops costs up to a second per process.

The records' stable formulas are kept (exp(-|x|) for the sigmoid family, the fitted
normal CDF with x^2 carried exactly for gelu, Dekker's product for silu's beta * x,
PyTorch's conventions at kinks), with cheaper equivalents where they are as exact:
tanh and sech^2 from one exp(-2|x|), mish's tanh(softplus(x)) and sech^2(softplus(x))
as rational functions of exp(-|x|), elu from one exp. Everything is computed in float64,
float32 inputs too (with the shorter fits float32 needs, rounded once at the end), but
for a float32 result exp runs in float32 arithmetic, twice as many values a register.
The loops meet the NumPy records' accuracy bars (tests/test_jit.py) and may differ from
them in the last bits.

Each loop writes f into `f` and f' into `d`: `want` 0 is f alone, 1 f' alone, 2 both
(the unwanted output may be empty). NaN inputs are copied through, as `compute` does.
`loop(name, params)` gives a loop with a record's parameters bound; records name theirs
in their `compiled` field (`common.compiled_loop`). Importing this module imports Numba.
"""

from __future__ import annotations

import functools
import math
import types
from collections.abc import Callable, Mapping
from typing import Any

import numba
import numpy as np
from numba.extending import overload

from actcli.catalog import _normal as normal
from actcli.catalog._jitlib import OPTIONS, exp, exp_and_expm1, log1p_unit, njit, single
from actcli.catalog._normal import GELU_CLIP, GELU_TAIL, GELU_TAIL_SERIES, GELU_TANH_A, GELU_TANH_K
from actcli.catalog._stable import QUICK_GELU_BETA, QUICK_GELU_BETA_LOW, SATURATION


# --- pieces of several loops ------------------------------------------------------------------

@njit
def _sigmoid_and_prime(z: float, like: Any) -> tuple[float, float]:
    """(sigmoid(z), sigmoid'(z)) from e = exp(-|z|) <= 1: nothing overflows, and
    sigmoid' = e / (1 + e)^2 stays exact in the tails, where s(1 - s) is 0."""
    e = exp(-abs(z), like)
    d = 1.0 + e
    return (1.0 if z >= 0 else e) / d, e / (d * d)


@njit
def _times_vanishing(x: float, g: float) -> float:
    """x * g, and +-0 (not NaN) where g has underflowed to 0 and x is infinite."""
    return math.copysign(0.0, x) if g == 0.0 and math.isinf(x) else x * g


_SPLITTER = 134217729.0  # 2**27 + 1: Dekker's split of a float64


@njit
def _split(v: float) -> tuple[float, float]:
    t = _SPLITTER * v
    big = t - (t - v)
    return big, v - big


@njit
def _scaled_exactly(x: float, c: float, c_low: float) -> tuple[float, float]:
    """(c + c_low) * x, x clipped where sigmoid(c x) saturates, as hi + lo (Dekker), as
    _stable.scaled_exactly computes it."""
    if c == 0.0:  # (0 * inf would be NaN)
        return 0.0, 0.0
    bound = SATURATION / abs(c)
    xc = min(max(x, -bound), bound)
    hi = c * xc
    if not 1e-100 < abs(c) < 1e100:  # (the split would overflow)
        return hi, 0.0
    x_hi, x_lo = _split(xc)
    c_hi, c_lo = _split(c)
    error = ((x_hi * c_hi - hi) + x_hi * c_lo + x_lo * c_hi) + x_lo * c_lo
    return hi, error + c_low * xc


_Q64 = np.array(normal._FLOAT64)
_Q32 = np.array(normal._FLOAT32)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))


def _normal_q(t, like):  # type: ignore[no-untyped-def]  # (a stub: only its overload runs)
    raise NotImplementedError


@overload(_normal_q, jit_options=OPTIONS)
def _normal_q_overload(t, like):  # type: ignore[no-untyped-def]
    """Q(t) = erfcx(t / sqrt 2) / 2 for 0 <= t <= TOP (catalog._normal) with the fit for
    the precision of `like`, an input value: float32 needs 12 terms, not 24. (Stub and
    overload carry no annotations: Numba requires their signatures to be equal.)"""
    coefficients = _Q32 if single(like) else _Q64

    def q(t, like):  # type: ignore[no-untyped-def]
        s = t + normal.K
        y = (t - normal.K) / s
        acc = y * coefficients[0]
        for k in range(1, coefficients.size - 1):
            acc = (acc + coefficients[k]) * y
        return (acc + coefficients[-1]) / s

    return q


@njit
def _square_exactly(t: float) -> tuple[float, float]:
    """t * t as hi + lo exactly, for 0 <= t <= 40 (as catalog._normal computes it)."""
    hi = t * t
    top = np.float64(np.float32(t))  # 24 bits: top * top is exact
    return hi, (top * top - hi) + (top + t) * (t - top)


@njit
def _gelu_tail(t: float) -> tuple[float, float]:
    """(x Phi(x), Phi(x) + x phi(x)) for x = -t below GELU_TAIL, as the NumPy record
    computes them there (its asymptotic series; -exp of the log of each size, so that a
    result in the subnormal range is rounded once). Rare: it calls libm."""
    hi, lo = _square_exactly(t)
    u = 1.0 / hi
    series = GELU_TAIL_SERIES[0]
    for c in GELU_TAIL_SERIES[1:]:
        series = series * u + c
    base = -0.5 * lo - _LOG_SQRT_2PI
    value = -math.exp(-0.5 * hi + (base + math.log(series)))
    slope = -math.exp(-0.5 * hi + (base + (math.log(t) + math.log1p(-u * series))))
    return value, slope


# --- the loops, one per record ----------------------------------------------------------------
# Each record gives (f, f') of one value, v = x[i] in float64 and x[i] itself for its
# precision; `_loop` makes the loop around it, which copies a NaN input through and
# stores what `want` asks for. No libm call is inside a loop, and both sides of a choice
# are computed before it (`a if c else b` of plain values): otherwise LLVM does not
# vectorise the loop. Those without parameters take an empty tuple.

# Inlined by Numba into the loop: LLVM's own inliner leaves the larger records (tanh,
# softplus, silu) as a call in it, which stops the vectorising (benchmarks/README.md).
_pointwise = numba.njit(inline="always", **OPTIONS)


def _loop_code(x, f, d, want, params):  # type: ignore[no-untyped-def]
    """The loop of every record but exact gelu, `_loop` giving each its own `pointwise`."""
    for i in range(x.size):
        v = np.float64(x[i])
        value, slope = pointwise(v, x[i], params)  # type: ignore[name-defined]  # noqa: F821
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@functools.cache
def _loop(pointwise: Any) -> Any:
    """The compiled loop over x of `pointwise(v, x[i], params) -> (f, f')`, `params` a
    tuple of the record's parameters. `pointwise` is a global of the loop, not a closure
    variable: Numba's cache finds a function again by its name, but never a closure (it
    compiled the loops anew in every process)."""
    name = pointwise.__name__.lstrip("_") + "_loop"
    loop = types.FunctionType(_loop_code.__code__, {**globals(), "pointwise": pointwise}, name)
    loop.__qualname__ = name
    return njit(loop)


@_pointwise
def _sigmoid(v: float, like: Any, _: tuple[()]) -> tuple[float, float]:
    return _sigmoid_and_prime(v, like)


@_pointwise
def _log_sigmoid(v: float, like: Any, _: tuple[()]) -> tuple[float, float]:
    e = exp(-abs(v), like)
    value = min(v, 0.0) - log1p_unit(e, like)
    return value, (1.0 if v <= 0 else e) / (1.0 + e)  # sigmoid(-x)


@_pointwise
def _tanh(v: float, like: Any, _: tuple[()]) -> tuple[float, float]:
    e, m = exp_and_expm1(-2.0 * min(abs(v), SATURATION), like)
    # tanh|x| = (1 - e) / (1 + e), e = exp(-2|x|): -m / (2 + m) with m = e - 1 where
    # 1 - e would cancel; sech^2 = 4e / (1 + e)^2, not 1 - tanh^2 (0 in the tails).
    near, far = -m / (2.0 + m), (1.0 - e) / (1.0 + e)
    magnitude = near if abs(v) < 0.5 else far
    return math.copysign(magnitude, v), 4.0 * e / ((1.0 + e) * (1.0 + e))


@_pointwise
def _softplus(v: float, like: Any, params: tuple[float, float]) -> tuple[float, float]:
    beta, threshold = params
    bound = SATURATION / beta
    z = beta * min(max(v, -bound), bound)
    e = exp(-abs(z), like)
    value = log1p_unit(e, like)
    if beta != 1.0:
        value /= beta
    value += max(v, 0.0)
    slope = (1.0 if z >= 0 else e) / (1.0 + e)
    linear = z > threshold  # PyTorch's linear piece, with a finite threshold only
    return (v if linear else value), (1.0 if linear else slope)


@_pointwise
def _softplus_plain(v: float, like: Any, _: tuple[()]) -> tuple[float, float]:
    """softplus with PyTorch's beta = 1 and no threshold: the one above without the
    scaling and the linear piece (one third faster)."""
    e = exp(-abs(v), like)
    return log1p_unit(e, like) + max(v, 0.0), (1.0 if v >= 0 else e) / (1.0 + e)


@_pointwise
def _relu(v: float, like: Any, _: tuple[()]) -> tuple[float, float]:
    positive = v > 0
    # relu(-0.0) is +0.0; relu'(0) = 0, as PyTorch
    return (v if positive else 0.0), (1.0 if positive else 0.0)


@_pointwise
def _elu(v: float, like: Any, params: tuple[float]) -> tuple[float, float]:
    alpha, = params
    e, m = exp_and_expm1(v if v <= 0 else 0.0, like)  # (-0.0 kept: expm1(-0.0) is -0.0)
    positive = v > 0
    value = v if positive else (m if alpha == 1.0 else alpha * m)
    return value, 1.0 if positive else (e if alpha == 1.0 else alpha * e)


@_pointwise
def _silu(v: float, like: Any, params: tuple[float, float]) -> tuple[float, float]:
    beta, beta_low = params
    # z + dz = beta x exactly; f and f' corrected to first order in dz, with silu's
    # slope g(z) = s + z s' and g'(z) = s' (2 - z tanh(z/2)), where
    # |z| tanh(|z|/2) = |z| (1 - e) / (1 + e) is precise enough for a correction.
    if beta == 1.0 and beta_low == 0.0:  # z = x needs no correction
        z = min(max(v, -SATURATION), SATURATION)
        s, ds = _sigmoid_and_prime(z, like)
        return _times_vanishing(v, s), s + z * ds
    z, dz = _scaled_exactly(v, beta, beta_low)
    e = exp(-abs(z), like)
    s, ds = (1.0 if z >= 0 else e) / (1.0 + e), e / ((1.0 + e) * (1.0 + e))
    g1 = ds * (2.0 - abs(z) * (1.0 - e) / (1.0 + e))
    return _times_vanishing(v, s + ds * dz), s + z * ds + g1 * dz


@_pointwise
def _mish(v: float, like: Any, _: tuple[()]) -> tuple[float, float]:
    xc = min(max(v, -SATURATION), SATURATION)
    e = exp(-abs(xc), like)
    # tanh(softplus(x)) = A / (A + 2) with A = w (w + 2), w = e^x (x <= 0); for x > 0,
    # in m = e^-x: (1 + 2m) / D, D = 1 + 2m (1 + m). sech^2 = 1 - tanh^2 likewise,
    # 4 (A + 1) / (A + 2)^2 and 4 m^2 (1 + m)^2 / D^2: sums of positive terms only.
    a = e * (e + 2.0)
    below = a + 2.0
    above = 1.0 + 2.0 * e * (1.0 + e)
    negative = xc <= 0
    t_below, t_above = a / below, (1.0 + 2.0 * e) / above
    sech2_below = 4.0 * (a + 1.0) / (below * below)
    sech2_above = 4.0 * (e * (1.0 + e)) * (e * (1.0 + e)) / (above * above)
    t = t_below if negative else t_above
    sech2 = sech2_below if negative else sech2_above
    s = (e if negative else 1.0) / (1.0 + e)  # sigmoid(x)
    return _times_vanishing(v, t), t + xc * sech2 * s


@_pointwise
def _gelu_tanh(v: float, like: Any, _: tuple[()]) -> tuple[float, float]:
    # 0.5 x (1 + tanh(u)) = x sigmoid(2u): no cancellation in the left tail.
    xc = min(max(v, -SATURATION), SATURATION)
    u = GELU_TANH_K * (xc + GELU_TANH_A * (xc * xc * xc))
    du = GELU_TANH_K * (1.0 + 3.0 * GELU_TANH_A * xc * xc)
    s, ds = _sigmoid_and_prime(2.0 * u, like)
    return _times_vanishing(v, s), s + 2.0 * xc * du * ds


@njit
def _gelu(x: Any, f: Any, d: Any, want: int) -> None:
    """Exact gelu: a loop of its own, which counts the values below GELU_TAIL on the way
    and replaces their results after it (a second pass only when there are some)."""
    tails = 0
    for i in range(x.size):
        v = np.float64(x[i])
        # Phi(-t) = exp(-t^2/2) Q(t), t^2 = hi + lo exactly (catalog._normal).
        t = min(abs(v), normal.TOP)
        hi, lo = _square_exactly(t)
        e = exp(-0.5 * hi, x[i])
        e = e + e * (-0.5 * lo)
        q = _normal_q(t, x[i])
        tail = q * e  # Phi(-|x|)
        g = (q - t * _INV_SQRT_2PI) * e  # Phi(-|x|) - |x| phi(x)
        negative = math.copysign(1.0, v) < 0
        value = v * (tail if negative else 1.0 - tail)
        slope = g if negative else 1.0 - g
        tails += v < GELU_TAIL
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701
    if tails:
        for i in range(x.size):
            if x[i] < GELU_TAIL:
                value, slope = _gelu_tail(-max(np.float64(x[i]), -GELU_CLIP))
                if want != 1: f[i] = value  # noqa: E701
                if want != 0: d[i] = slope  # noqa: E701


# --- look-up ------------------------------------------------------------------------------

Loop = Callable[[np.ndarray, np.ndarray, np.ndarray, int], None]


def _bound(loop: Any, *params: float) -> Loop:
    return lambda x, f, d, want: loop(x, f, d, want, params)


# Record name -> its loop for the record's parameters.
_KERNELS: dict[str, Callable[..., Loop]] = {
    "sigmoid": lambda: _bound(_loop(_sigmoid)),
    "log_sigmoid": lambda: _bound(_loop(_log_sigmoid)),
    "tanh": lambda: _bound(_loop(_tanh)),
    "softplus": lambda beta, threshold: (_bound(_loop(_softplus_plain))
                                         if beta == 1 and threshold == math.inf
                                         else _bound(_loop(_softplus), beta, threshold)),
    "relu": lambda: _bound(_loop(_relu)),
    "elu": lambda alpha: _bound(_loop(_elu), alpha),
    "silu": lambda beta: _bound(_loop(_silu), beta, 0.0),
    "quick_gelu": lambda: _bound(_loop(_silu), QUICK_GELU_BETA, QUICK_GELU_BETA_LOW),
    "mish": lambda: _bound(_loop(_mish)),
    "gelu": lambda approximate: _gelu if approximate == "none" else _bound(_loop(_gelu_tanh)),
}

NAMES = frozenset(_KERNELS)


def loop(name: str, params: Mapping[str, Any]) -> Loop:
    """The compiled f/f' loop called `name` (a record's, see common.compiled_loop) with
    the record's `params` bound."""
    return _KERNELS[name](**params)
