"""Independent high-precision references for the activation functions of actcli.

Everything here is written from the mathematical definitions with mpmath; nothing is
taken from the library. The entry point is

    reference(name, order, x, dps=60, **params) -> mpf

the exact value of f (order 0), f' (order 1) or f'' (order 2) at x, where x is a
Python/NumPy float (converted to mpf *exactly*), an mpf, or +-inf (then the limit is
returned: the function is evaluated at +-2^1330 ~ 1e400, far beyond any float, which rounds to
the exact float limit for every function here).

Conventions at kinks follow PyTorch as described in the project brief (see the
per-function comments). Derivatives are closed forms derived by hand; the test-suite
checks them against `mpmath.diff` of the order-0 reference.

Formulas are chosen to be free of cancellation (e.g. 1 + tanh(u) = 2*sigmoid(2u),
sech^2 instead of 1 - tanh^2, squareplus through b/(sqrt(x^2+b) - x) for x < 0), and
where a cancellation is intrinsic (tanhshrink near 0) the working precision is raised by
the number of bits that cancel. `dps` (60 by default) is the number of *correct* digits
aimed at; the suite checks that references at dps=60 and dps=120 agree.

Also here: correct rounding of an mpf to float64/float32 (subnormals and overflow
included), ulp and ulp-error measures, the irrational roots of f, f', f'' (where relative
error is meaningless), the kinks, and the float grids shared by the tests and the
accuracy benchmark.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import mpmath
import numpy as np
from mpmath import mp, mpf

DEFAULT_DPS = 60

# --------------------------------------------------------------------------------------
# Exact constants of the definitions (decimal strings, not float64 values).
SELU_ALPHA = "1.6732632423543772848170429916717"
SELU_SCALE = "1.0507009873554804934193349852946"
QUICK_GELU_BETA = "1.702"
GELU_TANH_K = "0.044715"

# The big argument standing in for +-inf: 2^1330 ~ 1e400 (exact at any precision);
# exp(-1e400) and 1/1e400 vanish in any float format, 1e400 overflows all of them.
BIG_EXP2 = 1330

# Default parameters (as the floats a user passes; 1/3 is the float nearest 1/3).
DEFAULTS: dict[str, dict[str, Any]] = {
    "identity": {},
    "sigmoid": {},
    "tanh": {},
    "relu": {},
    "leaky_relu": {"negative_slope": 0.01},
    "elu": {"alpha": 1.0},
    "selu": {},
    "celu": {"alpha": 1.0},
    "gelu": {"approximate": "none"},
    "quick_gelu": {},
    "silu": {"beta": 1.0},
    "mish": {},
    "softplus": {"beta": 1.0, "threshold": math.inf},
    "softsign": {},
    "hardtanh": {"min_val": -1.0, "max_val": 1.0},
    "relu6": {},
    "hardsigmoid": {},
    "hardswish": {},
    "log_sigmoid": {},
    "tanhshrink": {},
    "softshrink": {"lambd": 0.5},
    "hardshrink": {"lambd": 0.5},
    "threshold": {"threshold": 0.0, "value": 0.0},
    "prelu": {"weight": 0.25},
    "rrelu": {"lower": 1 / 8, "upper": 1 / 3},
    "squareplus": {"b": 4.0},
    "sparse_plus": {},
    "exponential": {},
    # current models
    "relu_squared": {},
    "star_relu": {"scale": 0.8944, "bias": -0.4472},
    "dyt": {"alpha": 0.5},
    "sparse_sigmoid": {},
    "sine": {"w0": 1.0},
    "snake": {"alpha": 1.0},
    # classics
    "binary_step": {"value": 1.0},
    "arctan": {},
    "isru": {"alpha": 1.0},
    "sqnl": {},
    "penalized_tanh": {"a": 0.25},
    "bent_identity": {},
    "isrlu": {"alpha": 1.0},
    "smelu": {"beta": 2.0},
    "lisht": {},
    "gcu": {},
    "serf": {},
    "tanhexp": {},
    "elish": {},
    "gaussian": {},
}

NAMES: tuple[str, ...] = tuple(DEFAULTS)

# Every elementwise function at its defaults, then non-default parameters.
CONFIGS: list[tuple[str, dict[str, Any]]] = [(name, {}) for name in NAMES] + [
    ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {"alpha": 0.5}),
    ("elu", {"alpha": 2.0}),
    ("celu", {"alpha": 2.0}),
    ("celu", {"alpha": 0.5}),
    ("silu", {"beta": 2.0}),
    ("softplus", {"beta": 2.0}),
    ("softplus", {"beta": 0.5}),
    ("softplus", {"threshold": 20.0}),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}),
    ("squareplus", {"b": 1.0}),
    ("softshrink", {"lambd": 1.0}),
    ("hardshrink", {"lambd": 1.0}),
    ("gelu", {"approximate": "tanh"}),
    ("threshold", {"threshold": 0.5, "value": -1.0}),
    ("prelu", {"weight": 0.1}),
    ("rrelu", {"lower": 0.1, "upper": 0.3}),
    ("star_relu", {"scale": 1.0, "bias": 0.0}),
    ("dyt", {"alpha": 2.0}),
    ("dyt", {"alpha": 0.3}),
    ("sine", {"w0": 0.5}),
    ("sine", {"w0": 0.375}),
    ("snake", {"alpha": 0.375}),
    ("binary_step", {"value": 0.5}),
    ("isru", {"alpha": 3.0}),
    ("penalized_tanh", {"a": 1.0}),
    ("isrlu", {"alpha": 0.5}),
    ("smelu", {"beta": 0.75}),
]

# Functions with no limit at +-inf (they oscillate): the reference there is NaN, per order.
NO_LIMIT: dict[str, tuple[int, ...]] = {"sine": (0, 1, 2), "snake": (1, 2), "gcu": (0, 1, 2)}


# --------------------------------------------------------------------------------------
# Small helpers (all evaluated in the caller's mp precision).


def _sig(t: mpf) -> mpf:
    """sigmoid(t) = 1/(1+e^-t)."""
    return 1 / (1 + mpmath.exp(-t))


def _dsig(t: mpf) -> mpf:
    """sigmoid'(t) = s(t) s(-t) = e^-|t| / (1+e^-|t|)^2 (symmetric, no overflow)."""
    e = mpmath.exp(-abs(t))
    return e / (1 + e) ** 2


def _d2sig(t: mpf) -> mpf:
    """sigmoid''(t) = s'(t) (1 - 2 s(t)) = -s'(t) tanh(t/2)."""
    return -_dsig(t) * mpmath.tanh(t / 2)


def _ncdf(x: mpf) -> mpf:
    """Standard normal CDF, accurate in the far left tail.

    mpmath's erfc overflows internally for |x| >~ 1e150, so below -1e10 the asymptotic
    series Phi(x) = phi(x)/|x| * sum_k (-1)^k (2k-1)!! / x^(2k) is used (20 terms: the
    truncation error is < 1e-190 relative there).
    """
    if x < -10**10:
        x2 = x * x
        term = mpf(1)
        total = mpf(1)
        for k in range(1, 21):
            term = -term * (2 * k - 1) / x2
            total += term
        return _npdf(x) / (-x) * total
    if x > 10**10:
        return 1 - _ncdf(-x)
    return mpmath.ncdf(x)


def _npdf(x: mpf) -> mpf:
    """Standard normal density."""
    return mpmath.exp(-x * x / 2) / mpmath.sqrt(2 * mpmath.pi)


def _pw_linear(order: int, x: mpf, pieces: Callable[[mpf], tuple[mpf, mpf]]) -> mpf:
    """Piecewise-linear function: `pieces(x)` gives (f, f') with the kink convention."""
    value, slope = pieces(x)
    return (value, slope, mpf(0))[order]


def _check_order(order: int) -> None:
    if order not in (0, 1, 2):
        raise ValueError(f"order must be 0, 1 or 2, got {order!r}")


# --------------------------------------------------------------------------------------
# The functions: each takes (order, x, p) with p the params as mpf (or str) and returns mpf.


def _identity(order, x, p):
    return (x, mpf(1), mpf(0))[order]


def _sigmoid(order, x, p):
    if order == 0:
        return _sig(x)
    if order == 1:
        return _dsig(x)
    return _d2sig(x)


def _tanh(order, x, p):
    if order == 0:
        return mpmath.tanh(x)
    sech2 = mpmath.sech(x) ** 2  # not 1 - tanh^2: that cancels for large |x|
    if order == 1:
        return sech2
    return -2 * mpmath.tanh(x) * sech2


def _leaky(order, x, slope):
    # f'(0) = slope (the negative branch), as in PyTorch.
    return _pw_linear(order, x, lambda x: (x, mpf(1)) if x > 0 else (slope * x, slope))


def _relu(order, x, p):
    return _leaky(order, x, mpf(0))  # relu'(0) = 0


def _leaky_relu(order, x, p):
    return _leaky(order, x, p["negative_slope"])


def _prelu(order, x, p):
    return _leaky(order, x, p["weight"])


def _rrelu(order, x, p):
    # Inference mode: the fixed slope (lower + upper) / 2, computed exactly.
    return _leaky(order, x, (p["lower"] + p["upper"]) / 2)


def _elu_core(order, x, alpha):
    # x > 0: x, 1, 0.  x <= 0: alpha (e^x - 1), alpha e^x, alpha e^x (negative branch at 0).
    if x > 0:
        return (x, mpf(1), mpf(0))[order]
    if order == 0:
        return alpha * mpmath.expm1(x)
    return alpha * mpmath.exp(x)


def _elu(order, x, p):
    return _elu_core(order, x, p["alpha"])


def _selu(order, x, p):
    return mpf(SELU_SCALE) * _elu_core(order, x, mpf(SELU_ALPHA))


def _celu(order, x, p):
    # max(0,x) + min(0, a (exp(x/a) - 1)); f'(0) = 1, f''(0) = 1/a (negative branch at 0).
    a = p["alpha"]
    if x > 0:
        return (x, mpf(1), mpf(0))[order]
    if order == 0:
        return a * mpmath.expm1(x / a)
    if order == 1:
        return mpmath.exp(x / a)
    return mpmath.exp(x / a) / a


def _gelu(order, x, p):
    if p["approximate"] == "tanh":
        return _gelu_tanh(order, x)
    if p["approximate"] != "none":
        raise ValueError(f"gelu approximate={p['approximate']!r}")
    # f = x Phi(x); f' = Phi(x) + x phi(x); f'' = phi(x) (2 - x^2).
    if order == 0:
        return x * _ncdf(x)
    if order == 1:
        return _ncdf(x) + x * _npdf(x)
    return _npdf(x) * (2 - x * x)


def _gelu_tanh(order, x):
    # 0.5 x (1 + tanh(u)) = x s(t) with t = 2u = 2c(x + k x^3), c = sqrt(2/pi), k = 0.044715.
    c = mpmath.sqrt(2 / mpmath.pi)
    k = mpf(GELU_TANH_K)
    t = 2 * c * (x + k * x**3)
    if order == 0:
        return x * _sig(t)
    dt = 2 * c * (1 + 3 * k * x * x)
    if order == 1:
        return _sig(t) + x * _dsig(t) * dt
    d2t = 12 * c * k * x
    return 2 * _dsig(t) * dt + x * (_d2sig(t) * dt * dt + _dsig(t) * d2t)


def _swish(order, x, b):
    # f = x s(bx); f' = s(y) + y s'(y); f'' = b s'(y) (2 - y tanh(y/2)), y = bx.
    y = b * x
    if order == 0:
        return x * _sig(y)
    if order == 1:
        return _sig(y) + y * _dsig(y)
    return b * _dsig(y) * (2 - y * mpmath.tanh(y / 2))


def _silu(order, x, p):
    return _swish(order, x, p["beta"])


def _quick_gelu(order, x, p):
    return _swish(order, x, mpf(QUICK_GELU_BETA))


def _mish(order, x, p):
    # T = tanh(softplus(x)) = N/D with w = e^x, N = w(w+2), D = N + 2 (all terms positive).
    # T' = sech^2(sp) s(x) = 4 w (w+1) / D^2,
    # T'' = 4 w (-2w^3 - 3w^2 + 2w + 2) / D^3;  f = xT, f' = T + xT', f'' = 2T' + xT''.
    w = mpmath.exp(x)
    n = w * (w + 2)
    d = n + 2
    if order == 0:
        return x * n / d
    t1 = 4 * w * (w + 1) / d**2
    if order == 1:
        return n / d + x * t1
    t2 = 4 * w * (((-2 * w - 3) * w + 2) * w + 2) / d**3
    return 2 * t1 + x * t2


def _softplus(order, x, p):
    b, th = p["beta"], p["threshold"]
    if mpmath.isfinite(th) and b * x > th:  # torch: linear above the threshold
        return (x, mpf(1), mpf(0))[order]
    y = b * x
    if order == 0:
        return mpmath.log1p(mpmath.exp(y)) / b
    if order == 1:
        return _sig(y)
    return b * _dsig(y)


def _softsign(order, x, p):
    a = 1 + abs(x)
    if order == 0:
        return x / a
    if order == 1:
        return 1 / a**2
    return -2 * mpmath.sign(x) / a**3  # 0 at x = 0


def _hardtanh(order, x, p):
    lo, hi = p["min_val"], p["max_val"]

    def pieces(x):
        if x <= lo:
            return lo, mpf(0)
        if x >= hi:
            return hi, mpf(0)
        return x, mpf(1)

    return _pw_linear(order, x, pieces)


def _relu6(order, x, p):
    return _hardtanh(order, x, {"min_val": mpf(0), "max_val": mpf(6)})


def _hardsigmoid(order, x, p):
    def pieces(x):
        if x <= -3:
            return mpf(0), mpf(0)
        if x >= 3:
            return mpf(1), mpf(0)
        return (x + 3) / 6, mpf(1) / 6

    return _pw_linear(order, x, pieces)


def _hardswish(order, x, p):
    # f' = 0 for x <= -3, 1 for x >= 3, (2x+3)/6 between; f'' = 1/3 on open (-3, 3).
    if x <= -3:
        return mpf(0)
    if x >= 3:
        return (x, mpf(1), mpf(0))[order]
    return (x * (x + 3) / 6, (2 * x + 3) / 6, mpf(1) / 3)[order]


def _log_sigmoid(order, x, p):
    # f = -log(1 + e^-x); f' = s(-x); f'' = -s(x) s(-x).
    if order == 0:
        return -mpmath.log1p(mpmath.exp(-x))
    if order == 1:
        return _sig(-x)
    return -_dsig(x)


def _tanhshrink(order, x, p):
    if order == 0:
        # x - tanh(x) ~ x^3/3: about 2*log2(1/|x|) bits cancel for small |x|.
        extra = 20 + (2 * -int(mpmath.mag(x)) if x != 0 and mpmath.mag(x) < 0 else 0)
        with mp.workprec(mp.prec + extra):
            value = x - mpmath.tanh(x)
        return +value
    th = mpmath.tanh(x)
    if order == 1:
        return th * th  # 1 - sech^2
    return 2 * th * mpmath.sech(x) ** 2


def _softshrink(order, x, p):
    lam = p["lambd"]

    def pieces(x):
        if x > lam:
            return x - lam, mpf(1)
        if x < -lam:
            return x + lam, mpf(1)
        return mpf(0), mpf(0)

    return _pw_linear(order, x, pieces)


def _hardshrink(order, x, p):
    lam = p["lambd"]
    return _pw_linear(order, x, lambda x: (x, mpf(1)) if abs(x) > lam else (mpf(0), mpf(0)))


def _threshold(order, x, p):
    th, value = p["threshold"], p["value"]
    return _pw_linear(order, x, lambda x: (x, mpf(1)) if x > th else (value, mpf(0)))


def _squareplus(order, x, p):
    # f = (x + r)/2, r = sqrt(x^2 + b); for x < 0 f = b / (2 (r - x)) (no cancellation).
    # f' = f / r; f'' = b / (2 r^3).
    b = p["b"]
    r = mpmath.sqrt(x * x + b)
    f = (x + r) / 2 if x >= 0 else b / (2 * (r - x))
    if order == 0:
        return f
    if order == 1:
        return f / r
    return b / (2 * r**3)


def _sparse_plus(order, x, p):
    # 0 for x <= -1, x for x >= 1, (x+1)^2/4 between; f'' = 1/2 on the open (-1, 1).
    if x <= -1:
        return mpf(0)
    if x >= 1:
        return (x, mpf(1), mpf(0))[order]
    return ((x + 1) ** 2 / 4, (x + 1) / 2, mpf(1) / 2)[order]


def _exponential(order, x, p):
    return mpmath.exp(x)


def _relu_squared(order, x, p):
    # f'' = 2 for x > 0, 0 for x <= 0 (2 relu(x) relu'(x) with relu'(0) = 0).
    return (x * x, 2 * x, mpf(2))[order] if x > 0 else mpf(0)


def _star_relu(order, x, p):
    s, b = p["scale"], p["bias"]
    if x > 0:
        return (s * x * x + b, 2 * s * x, 2 * s)[order]
    return (b, mpf(0), mpf(0))[order]


def _dyt(order, x, p):
    a = p["alpha"]
    t = mpmath.tanh(a * x)
    if order == 0:
        return t
    sech2 = mpmath.sech(a * x) ** 2
    return a * sech2 if order == 1 else -2 * a * a * t * sech2


def _sparse_sigmoid(order, x, p):
    def pieces(x):
        if x <= -1:
            return mpf(0), mpf(0)
        if x >= 1:
            return mpf(1), mpf(0)  # f'(+-1) = 0, as hardtanh's borders
        return (x + 1) / 2, mpf(1) / 2

    return _pw_linear(order, x, pieces)


def _sine(order, x, p):
    w = p["w0"]
    return (mpmath.sin(w * x), w * mpmath.cos(w * x), -w * w * mpmath.sin(w * x))[order]


def _snake(order, x, p):
    a = p["alpha"]
    if order == 0:
        return x + mpmath.sin(a * x) ** 2 / a
    if order == 1:
        # 1 + sin(2ax) = 2 sin(ax + pi/4)^2, which does not cancel near its double zeros;
        # ax + pi/4 needs the digits of pi/4 below those of a large x as well.
        with mp.workprec(mp.prec + (max(0, int(mpmath.mag(x))) if x else 0)):
            value = 2 * mpmath.sin(a * x + mpmath.pi / 4) ** 2
        return value
    return 2 * a * mpmath.cos(2 * a * x)


def _binary_step(order, x, p):
    if order > 0:
        return mpf(0)  # the derivative almost everywhere, also taken at 0
    return mpf(1) if x > 0 else mpf(0) if x < 0 else p["value"]


def _arctan(order, x, p):
    q = 1 / (1 + x * x)
    return (mpmath.atan(x), q, -2 * x * q * q)[order]


def _isru_core(order, x, a):
    q = 1 / mpmath.sqrt(1 + a * x * x)  # (1 + a x^2)^(-1/2)
    return (x * q, q**3, -3 * a * x * q**5)[order]


def _isru(order, x, p):
    return _isru_core(order, x, p["alpha"])


def _isrlu(order, x, p):
    return (x, mpf(1), mpf(0))[order] if x >= 0 else _isru_core(order, x, p["alpha"])


def _sqnl(order, x, p):
    # f'' = 0 at 0 (sign(0) = 0) and at +-2 (the constant outer pieces).
    if x >= 2:
        return (mpf(1), mpf(0), mpf(0))[order]
    if x <= -2:
        return (mpf(-1), mpf(0), mpf(0))[order]
    sign = mpmath.sign(x)
    return (x - sign * x * x / 4, 1 - abs(x) / 2, -sign / 2)[order]


def _penalized_tanh(order, x, p):
    k = mpf(1) if x > 0 else p["a"]  # f'(0) = a: the negative branch
    return k * _tanh(order, x, p)


def _bent_identity(order, x, p):
    # (r - 1)/2 written as x^2 / (2 (r + 1)): no cancellation near 0. For large |x|,
    # f = 1.5 x - 0.5 + ... can lie next to a rounding tie: keep the digits below x's.
    with mp.workprec(mp.prec + (max(0, int(mpmath.mag(x))) if x else 0)):
        r = mpmath.sqrt(x * x + 1)
        value = (x + x * x / (2 * (r + 1)), 1 + x / (2 * r), 1 / (2 * r**3))[order]
    return value


def _smelu(order, x, p):
    b = p["beta"]
    if x <= -b:
        return mpf(0)
    if x >= b:
        return (x, mpf(1), mpf(0))[order]  # f''(+-beta) = 0
    return ((x + b) ** 2 / (4 * b), (x + b) / (2 * b), 1 / (2 * b))[order]


def _lisht(order, x, p):
    t, sech2 = mpmath.tanh(x), mpmath.sech(x) ** 2
    return (x * t, t + x * sech2, 2 * sech2 * (1 - x * t))[order]


def _gcu(order, x, p):
    c, s = mpmath.cos(x), mpmath.sin(x)
    return (x * c, c - x * s, -2 * s - x * c)[order]


def _serf(order, x, p):
    # g = erf(sp), sp = softplus(x): g' = (2/sqrt(pi)) e^(-sp^2) s(x),
    # g'' = (2/sqrt(pi)) e^(-sp^2) (s'(x) - 2 sp s(x)^2); f = x g, f' = g + x g', f'' = 2g' + x g''.
    if x > 10**4:  # erf(sp) = 1 and e^(-sp^2) = 0 far below 10^-(10^7)
        return (x, mpf(1), mpf(0))[order]
    sp = mpmath.log1p(mpmath.exp(x))
    g = mpmath.erf(sp)
    if order == 0:
        return x * g
    k = 2 / mpmath.sqrt(mpmath.pi) * mpmath.exp(-sp * sp)
    g1 = k * _sig(x)
    if order == 1:
        return g + x * g1
    return 2 * g1 + x * k * (_dsig(x) - 2 * sp * _sig(x) ** 2)


def _tanhexp(order, x, p):
    # u = e^x, T = tanh u, S = sech^2 u: f = xT, f' = T + x u S, f'' = 2uS + x u S (1 - 2uT).
    if x > 50:  # 1 - T and S are below e^(-10^21)
        return (x, mpf(1), mpf(0))[order]
    u = mpmath.exp(x)
    t = mpmath.tanh(u)
    if order == 0:
        return x * t
    us = u * mpmath.sech(u) ** 2
    return t + x * us if order == 1 else 2 * us + x * us * (1 - 2 * u * t)


def _elish(order, x, p):
    # x >= 0: silu; x < 0: (e^x - 1) s(x). f''(0) = 1/2 from the x >= 0 branch.
    if x >= 0:
        return _swish(order, x, mpf(1))
    e, em1 = mpmath.exp(x), mpmath.expm1(x)
    if order == 0:
        return em1 * _sig(x)
    if order == 1:
        return e * _sig(x) + em1 * _dsig(x)
    return e * _sig(x) + 2 * e * _dsig(x) + em1 * _d2sig(x)


def _gaussian(order, x, p):
    g = mpmath.exp(-x * x)
    return (g, -2 * x * g, (4 * x * x - 2) * g)[order]


REFERENCES: dict[str, Callable[..., mpf]] = {
    "identity": _identity,
    "sigmoid": _sigmoid,
    "tanh": _tanh,
    "relu": _relu,
    "leaky_relu": _leaky_relu,
    "elu": _elu,
    "selu": _selu,
    "celu": _celu,
    "gelu": _gelu,
    "quick_gelu": _quick_gelu,
    "silu": _silu,
    "mish": _mish,
    "softplus": _softplus,
    "softsign": _softsign,
    "hardtanh": _hardtanh,
    "relu6": _relu6,
    "hardsigmoid": _hardsigmoid,
    "hardswish": _hardswish,
    "log_sigmoid": _log_sigmoid,
    "tanhshrink": _tanhshrink,
    "softshrink": _softshrink,
    "hardshrink": _hardshrink,
    "threshold": _threshold,
    "prelu": _prelu,
    "rrelu": _rrelu,
    "squareplus": _squareplus,
    "sparse_plus": _sparse_plus,
    "exponential": _exponential,
    "relu_squared": _relu_squared,
    "star_relu": _star_relu,
    "dyt": _dyt,
    "sparse_sigmoid": _sparse_sigmoid,
    "sine": _sine,
    "snake": _snake,
    "binary_step": _binary_step,
    "arctan": _arctan,
    "isru": _isru,
    "sqnl": _sqnl,
    "penalized_tanh": _penalized_tanh,
    "bent_identity": _bent_identity,
    "isrlu": _isrlu,
    "smelu": _smelu,
    "lisht": _lisht,
    "gcu": _gcu,
    "serf": _serf,
    "tanhexp": _tanhexp,
    "elish": _elish,
    "gaussian": _gaussian,
}
assert set(REFERENCES) == set(DEFAULTS)


# --------------------------------------------------------------------------------------
# Public entry points.


def full_params(name: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults overlaid with `params` (unknown names are an error)."""
    if name not in DEFAULTS:
        raise KeyError(f"no reference for {name!r}")
    merged = dict(DEFAULTS[name])
    for key, value in (params or {}).items():
        if key not in merged:
            raise KeyError(f"{name} has no parameter {key!r}")
        merged[key] = value
    return merged


def _freeze(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(params.items()))


def _to_mpf(x: Any) -> mpf:
    """Exact conversion (a float has 53 bits, far below the working precision)."""
    if isinstance(x, mpf):
        return x
    return mpf(float(x))


@functools.lru_cache(maxsize=None)
def _cached(name: str, order: int, x: Any, frozen: tuple, dps: int) -> mpf:
    params = dict(frozen)
    with mp.workdps(dps + 15):  # guard digits on top of the digits aimed at
        p = {k: (v if isinstance(v, str) else mpf(float(v))) for k, v in params.items()}
        xm = _to_mpf(x)
        if mpmath.isnan(xm):
            return mpf("nan")
        if mpmath.isinf(xm):
            if order in NO_LIMIT.get(name, ()):
                return mpf("nan")
            xm = mpmath.ldexp(mpf(1) if xm > 0 else mpf(-1), BIG_EXP2)
        value = REFERENCES[name](order, xm, p)
    return value


def reference(name: str, order: int, x: Any, dps: int = DEFAULT_DPS, **params: Any) -> mpf:
    """f (order 0), f' (1) or f'' (2) of `name` at the exact value of `x`.

    At +-inf the limit is returned (evaluated at +-1e400). NaN gives NaN.
    """
    _check_order(order)
    merged = full_params(name, params)
    key = x if isinstance(x, mpf) else float(x)
    return _cached(name, order, key, _freeze(merged), dps)


# --------------------------------------------------------------------------------------
# Kinks and roots.


def kinks(name: str, **params: Any) -> tuple[float, ...]:
    """Points where f or f' (or f'') is not smooth, from the definitions."""
    p = full_params(name, params)
    table: dict[str, tuple[float, ...]] = {
        "relu": (0.0,),
        "leaky_relu": (0.0,),
        "prelu": (0.0,),
        "rrelu": (0.0,),
        "elu": (0.0,),
        "selu": (0.0,),
        "celu": (0.0,),  # C1: f'' jumps from 1/alpha to 0
        "softsign": (0.0,),  # C1: f'' jumps from 2 to -2
        "hardtanh": (p.get("min_val", 0.0), p.get("max_val", 0.0)),
        "relu6": (0.0, 6.0),
        "hardsigmoid": (-3.0, 3.0),
        "hardswish": (-3.0, 3.0),
        "softshrink": (-p.get("lambd", 0.0), p.get("lambd", 0.0)),
        "hardshrink": (-p.get("lambd", 0.0), p.get("lambd", 0.0)),
        "threshold": (p.get("threshold", 0.0),),
        "sparse_plus": (-1.0, 1.0),
        "relu_squared": (0.0,),  # C1: f'' jumps from 0 to 2
        "star_relu": (0.0,),
        "sparse_sigmoid": (-1.0, 1.0),
        "binary_step": (0.0,),
        "sqnl": (-2.0, 0.0, 2.0),  # C1
        "penalized_tanh": (0.0,) if p.get("a") != 1 else (),
        "isrlu": (0.0,),  # C2: only the third derivative jumps
        "smelu": (-p.get("beta", 0.0), p.get("beta", 0.0)),
        "elish": (0.0,),  # C1: f'' jumps from 1 to 1/2
    }
    if name == "softplus" and math.isfinite(p["threshold"]):
        return (p["threshold"] / p["beta"],)
    return tuple(float(k) for k in table.get(name, ()))


# Irrational simple roots of f^(order), as starting guesses (refined by `roots`). These are
# the only points where the accuracy tests relax the relative bar. Roots at exactly
# representable points (0 for tanh'', sigmoid''; -1.5 for hardswish') are NOT listed: there
# relative accuracy is achievable and is required.
#   y* = -1.27846454...: root of 1 + y s(-y)        (swish family f')
#   y* = +-2.39935728...: roots of y tanh(y/2) = 2   (swish family f'')
def _root_guesses(name: str, order: int, p: Mapping[str, Any]) -> list[float]:
    swish_beta = {"silu": p.get("beta"), "quick_gelu": float(QUICK_GELU_BETA)}.get(name)
    if swish_beta is not None:
        if order == 1:
            return [-1.2785 / swish_beta]
        if order == 2:
            return [-2.3994 / swish_beta, 2.3994 / swish_beta]
        return []
    if name == "gelu" and p["approximate"] == "none":
        return {1: [-0.7518], 2: [-1.4142, 1.4142]}.get(order, [])
    if name == "gelu":  # tanh approximation
        return {1: [-0.7523], 2: [-1.4136, 1.4136]}.get(order, [])
    if name == "mish":
        return {1: [-1.1924], 2: [-2.4, 1.3]}.get(order, [])
    if name in SCANNED:
        return _scan(name, order, p)
    return []


# Functions whose irrational roots are found by scanning [-SCAN_WIDTH, SCAN_WIDTH] (the
# float32 grid reaches 20) for sign changes of the reference, away from kinks; each is
# then refined by `roots`. Roots on the scan's binary grid (0) are representable: not listed.
SCANNED = ("star_relu", "snake", "sine", "gcu", "gaussian", "lisht", "serf", "tanhexp", "elish")
SCAN_WIDTH = 21
SCAN_STEPS_PER_UNIT = 32


def _scan(name: str, order: int, p: Mapping[str, Any]) -> list[float]:
    ks = kinks(name, **p)
    n = SCAN_WIDTH * SCAN_STEPS_PER_UNIT
    xs = [k / SCAN_STEPS_PER_UNIT for k in range(-n, n + 1)]
    vals = [reference(name, order, x, dps=20, **p) for x in xs]
    guesses = []
    for (a, fa), (b, fb) in zip(zip(xs, vals), zip(xs[1:], vals[1:])):
        if fa * fb < 0 and not any(a <= k <= b for k in ks):
            guesses.append(float(a - fa * (b - a) / (fb - fa)))  # the secant's zero
    return guesses


ROOT_FUNCTIONS = (
    "gelu (f': -0.75179; f'': +-sqrt(2)), gelu tanh (f': -0.75246; f'': +-1.41850), "
    "silu (f': -1.27846/beta; f'': +-2.39936/beta), quick_gelu (silu with beta=1.702), "
    "mish (f': -1.19243; f'': -2.25638, 1.49057); and those found by scanning for sign "
    "changes (SCANNED): star_relu f, snake f'', sine, gcu, gaussian f'', lisht f'', "
    "serf, tanhexp and elish f' and f''"
)


@functools.lru_cache(maxsize=None)
def _roots_cached(name: str, order: int, frozen: tuple) -> tuple[mpf, ...]:
    params = dict(frozen)
    out = []
    with mp.workdps(DEFAULT_DPS + 15):
        for guess in _root_guesses(name, order, params):
            g = mpf(guess)
            fn = lambda t: reference(name, order, t, **params)  # noqa: E731
            root = mpmath.findroot(fn, (g - mpf("0.01"), g + mpf("0.01")), solver="anderson")
            out.append(root)
    return tuple(out)


def roots(name: str, order: int, **params: Any) -> tuple[mpf, ...]:
    """The irrational simple roots of f^(order) (see `_root_guesses`), to ~60 digits."""
    _check_order(order)
    return _roots_cached(name, order, _freeze(full_params(name, params)))


# --------------------------------------------------------------------------------------
# Rounding and error measures.

FORMATS = {
    # precision (bits), exponent of the smallest subnormal, exponent of the overflow power
    "float64": (53, -1074, 1024),
    "float32": (24, -149, 128),
}


def _fmt(fmt: Any) -> tuple[int, int, int]:
    return FORMATS[np.dtype(fmt).name]


def ulp(value: Any, fmt: Any = "float64") -> mpf:
    """Spacing of the format at |value| (2^(e-p), at least the smallest subnormal)."""
    prec, emin, _ = _fmt(fmt)
    v = _to_mpf(value)
    if v == 0 or not mpmath.isfinite(v):
        return mpmath.ldexp(mpf(1), emin)
    _, e = mpmath.frexp(v)  # |v| in [2^(e-1), 2^e)
    return mpmath.ldexp(mpf(1), max(int(e) - prec, emin))


def round_to(value: Any, fmt: Any = "float64") -> float:
    """Round an mpf to the nearest float64/float32 (ties to even, subnormals, overflow).

    The result is returned as a Python float (exactly representable in `fmt`).
    """
    prec, emin, emax = _fmt(fmt)
    v = _to_mpf(value)
    if mpmath.isnan(v):
        return math.nan
    if mpmath.isinf(v):
        return math.inf if v > 0 else -math.inf
    if v == 0:
        return 0.0
    _, e = mpmath.frexp(v)
    q = max(int(e) - prec, emin)
    with mp.workprec(max(mp.prec, prec + 10)):
        n = int(mpmath.nint(mpmath.ldexp(v, -q)))  # exact scaling, round half to even
    if abs(n) >= 2**prec:  # rounding carried into the next binade
        n //= 2
        q += 1
    if q + prec > emax:
        return math.inf if n > 0 else -math.inf
    return math.ldexp(n, q)


def abs_error(computed: Any, exact: Any) -> mpf:
    """|computed - exact| as an mpf; inf when computed is NaN/inf and exact is finite."""
    c = float(computed)
    e = _to_mpf(exact)
    if math.isnan(c) or mpmath.isnan(e):
        return mpf(0) if (math.isnan(c) and mpmath.isnan(e)) else mpf("inf")
    if math.isinf(c) or mpmath.isinf(e):
        return mpf(0) if mpf(c) == e else mpf("inf")
    with mp.workdps(DEFAULT_DPS + 15):
        return abs(mpf(c) - e)


def rel_error(computed: Any, exact: Any) -> float:
    """|computed - exact| / |exact| (0 when both are 0, inf when only exact is 0)."""
    err = abs_error(computed, exact)
    e = _to_mpf(exact)
    if err == 0:
        return 0.0
    if e == 0 or mpmath.isinf(err):
        return math.inf
    return float(err / abs(e))


def ulp_error(computed: Any, exact: Any, fmt: Any = "float64") -> float:
    """|computed - exact| in units of the format's ulp at the exact value.

    When the exact value overflows the format, a computed value equal to the rounded
    (infinite) value counts as 0 ulp, anything else as inf.
    """
    e = _to_mpf(exact)
    if mpmath.isfinite(e) and math.isinf(round_to(e, fmt)):
        return 0.0 if float(computed) == round_to(e, fmt) else math.inf
    err = abs_error(computed, e)
    if mpmath.isinf(err):
        return math.inf
    return float(err / ulp(e, fmt))


# --------------------------------------------------------------------------------------
# Grids (shared by tests/test_accuracy.py and benchmarks/accuracy.py).

EXTREMES = (
    1.7976931348623157e308, 1e308, 1e300, 1e200, 1e100, 1e20, 1e10, 1e5, 1000.0, 710.0,
    709.0, 100.0, 89.0, 50.0, 40.0, 37.0, 30.0, 20.0, 15.0,
)  # fmt: skip
TINY = (
    5e-324, 2.2250738585072014e-308, 1e-300, 1e-100, 1e-30, 1e-16, 1e-8, 1e-5, 1e-3,
)  # fmt: skip


def _neighbours(point: float, dtype: Any, rel_offsets: Iterable[float]) -> list[float]:
    t = np.dtype(dtype).type
    x = t(point)
    out = [x]
    up, down = x, x
    for _ in range(2):
        up = np.nextafter(up, t(np.inf))
        down = np.nextafter(down, t(-np.inf))
        out += [up, down]
    scale = max(1.0, abs(float(point)))
    for off in rel_offsets:
        out += [t(float(point) + off * scale), t(float(point) - off * scale)]
    return [float(v) for v in out]


# Roots of f^(order) at exactly representable nonzero points, away from kinks: relative
# accuracy is required next to them (e.g. hardswish' = (2x+3)/6 is exact in floats).
EXACT_ROOTS: dict[str, tuple[float, ...]] = {"hardswish": (-1.5,)}


def special_points(name: str, dtype: Any = np.float64, **params: Any) -> list[float]:
    """Kinks, exact roots and the irrational roots of f, f', f'' with their neighbours."""
    f64 = np.dtype(dtype) == np.float64
    offsets = (1e-12, 1e-9, 1e-6, 1e-3) if f64 else (1e-6, 1e-3)
    # around roots: inside and just outside the near-root window (ROOT_WINDOW)
    root_offsets = (1e-12, 1e-9, 1e-6, 1e-4, 2e-3, 1e-2) if f64 else (1e-6, 1e-3, 2e-2, 0.15)
    pts: list[float] = []
    for k in kinks(name, **params) + EXACT_ROOTS.get(name, ()):
        pts += _neighbours(k, dtype, offsets)
    for order in (0, 1, 2):
        for r in roots(name, order, **params):
            pts += _neighbours(round_to(r, dtype), dtype, root_offsets)
    return pts


def float64_grid(name: str, **params: Any) -> np.ndarray:
    """A few hundred float64 points: extremes, tiny values, kinks/roots and neighbours,
    and a dense sweep over [-10, 10] (a regular 0.125 step plus seeded random points)."""
    pts: list[float] = [0.0]
    for v in EXTREMES + TINY:
        pts += [v, -v]
    pts += special_points(name, np.float64, **params)
    pts += list(np.linspace(-10.0, 10.0, 161))
    rng = np.random.default_rng(20240601)
    pts += list(rng.uniform(-10.0, 10.0, 120))
    pts += list(rng.uniform(-1.0, 1.0, 30))
    return _unique(pts, np.float64)


def float32_grid(name: str, **params: Any) -> np.ndarray:
    """A moderate float32 grid: sweep of [-20, 20], tiny and large values, kinks/roots."""
    big = (3.4028234663852886e38, 1e30, 1e10, 1000.0, 100.0, 89.0, 88.0, 50.0, 30.0, 17.0)
    tiny = (1e-45, 1.1754943508222875e-38, 1e-30, 1e-10, 1e-7, 1e-4, 1e-2)
    pts: list[float] = [0.0]
    for v in big + tiny:
        pts += [v, -v]
    pts += special_points(name, np.float32, **params)
    pts += list(np.linspace(-20.0, 20.0, 81))
    rng = np.random.default_rng(7)
    pts += list(rng.uniform(-8.0, 8.0, 60))
    return _unique(pts, np.float32)


def _unique(pts: Iterable[float], dtype: Any) -> np.ndarray:
    arr = np.asarray([float(p) for p in pts], dtype=np.float64).astype(dtype)
    arr = arr[np.isfinite(arr)]
    arr = np.where(arr == 0, arr.dtype.type(0), arr)  # one zero (the sign is tested apart)
    return np.unique(arr)


# Half-width (relative to max(1,|r|)) of the zone around an irrational root r of f^(order)
# where a relative bar is meaningless. Float64: points that miss 1e-12 relative there lie
# within ~3e-6 of the root; 1e-3 leaves a margin of ~300. Float32: the analogous zone is
# ~1e5 times wider (|g| ~ |g'(r)| d must exceed ~10 eps32 * terms / 1e-6), hence 0.1.
ROOT_WINDOW = {"float64": 1e-3, "float32": 0.1}


def near_root(name: str, order: int, x: float, dtype: Any = "float64", **params: Any) -> bool:
    """True when x is within ROOT_WINDOW*max(1,|r|) of an irrational root r of f^(order)."""
    window = ROOT_WINDOW[np.dtype(dtype).name]
    return any(
        abs(mpf(float(x)) - r) <= window * max(1, abs(r)) for r in roots(name, order, **params)
    )


def show(value: Any, digits: int = 17) -> str:
    """A short text for an mpf, even one far outside the float range (nstr would be slow)."""
    v = _to_mpf(value)
    if v == 0 or not mpmath.isfinite(v) or -4000 < mpmath.mag(v) < 4000:
        return mpmath.nstr(v, digits)
    return f"{'-' if v < 0 else ''}2^{int(mpmath.mag(v))}(approx.)"


def label(name: str, params: Mapping[str, Any]) -> str:
    """`name` or `name(k=v, ...)` for non-default parameters."""
    changed = {k: v for k, v in params.items() if DEFAULTS[name].get(k) != v}
    if not changed:
        return name
    return name + "(" + ",".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                                 for k, v in changed.items()) + ")"  # fmt: skip
