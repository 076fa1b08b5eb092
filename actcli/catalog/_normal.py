"""The standard normal CDF Phi and GELU's x Phi(x) and Phi(x) + x phi(x), vectorised.

SciPy's ndtr is scalar Cephes code (10-35 ns a value); this evaluates Phi with array
operations only. With t = |x|:

    Phi(-t) = exp(-t^2/2) Q(t),    Q(t) = erfcx(t / sqrt 2) / 2,
    Phi(t)  = 1 - Phi(-t),         x phi(x) = sign(x) exp(-t^2/2) t / sqrt(2 pi).

Q is smooth and between 0.0105 and 1/2 on [0, 38]; (t + K) Q(t) is a polynomial in
y = (t - K)/(t + K) (scripts/normal_cdf_coefficients.py fits it, 3e-17 absolute, that
is below 1e-16 relative to Q). exp(-t^2/2) is exp(-hi/2) (1 - lo/2) with t^2 = hi + lo
exactly (t's top 24 bits squared exactly, plus the rest), so it is correct to about an ulp even at t = 37 where the
rounding of t^2 alone would cost 700 ulps (Cephes' expx2 does the same). Phi(t) = 1 - y
with y <= 1/2 adds no error. Then, with g = exp(-t^2/2) (Q - t / sqrt(2 pi)):

    x <  0:  Phi(x) = exp(-t^2/2) Q,      Phi(x) + x phi(x) = g
    x >= 0:  Phi(x) = 1 - exp(-t^2/2) Q,  Phi(x) + x phi(x) = 1 - g

Float32 inputs are computed in float64 and rounded once: t^2 of a float32 is exact in
float64, and a 12-term fit (6e-9 relative) is far below a float32 ulp.
"""

from __future__ import annotations

import math

import numpy as np

from actcli.catalog._stable import Array

K = 3.0
# Q's fit covers [0, TOP]: Phi(-38) is 3e-316, below what GELU's kernels use (the
# caller's tail formula takes over below -37), and Phi(38) is 1.
TOP = 38.0
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)

# GELU's tanh form: 0.5 x (1 + tanh(k (x + a x^3))).
GELU_TANH_K = math.sqrt(2 / math.pi)
GELU_TANH_A = 0.044715
# Beyond |x| = 40 the normal CDF is exactly 0 or 1 in float64 and the density is 0.
GELU_CLIP = 40.0
# Below this Phi(x) and phi(x) approach float64's smallest normal number (Phi(-37.5) is
# 4.6e-308): a product with them would round in the subnormal range first. There each
# GELU order is one exp of a sum of logs, with Phi(x) = phi(x) S / t (x = -t) from the
# asymptotic series S = 1 - u + 3u^2 - 15u^3 + ..., u = 1/t^2: seven terms are within
# 1e-17 at t = 37 (the first one left out, 15!! u^8, is 2e-19).
GELU_TAIL = -37.0
GELU_TAIL_SERIES = (-135135.0, 10395.0, -945.0, 105.0, -15.0, 3.0, -1.0, 1.0)  # highest power first

# scripts/normal_cdf_coefficients.py, highest power of y first.
_FLOAT64 = (
    -4.763821081509607e-09, -1.3096805009420972e-08, 1.648544415011884e-08,
    9.470890316733379e-08, 5.697210463569525e-08, -2.72990282358186e-07,
    -6.075692164818647e-07, 8.13425896309503e-09, 2.265792041228706e-06,
    3.6398537142376344e-06, -3.5216151075571136e-06, -2.0689071517486416e-05,
    -1.324494492339296e-05, 7.881266424649403e-05, 0.00015439426382121693,
    -0.00025657534697665817, -0.0010458285993175523, 0.0010275922593262603,
    0.006972621238905387, -0.01046286702332665, -0.047263025142922674, 0.23001771997460402,
    -0.50933198191749, 0.729083690133373,
)
_FLOAT32 = (
    -6.0163379273048534e-06, 4.359388801108862e-05, 0.00013512762007566055,
    -0.00022983310574048183, -0.0010308915637832448, 0.001017605113974169,
    0.0069677109370913344, -0.010461106414624477, -0.04726237363892147,
    0.23001760186896747, -0.5093320059059634, 0.729083691471008,
)


def _q(t: Array, coefficients: tuple[float, ...]) -> Array:
    """Q(t) for 0 <= t <= TOP, by Horner's rule in place."""
    s = t + K
    y = t - K
    np.divide(y, s, out=y)
    acc = y * coefficients[0]
    for c in coefficients[1:-1]:
        np.add(acc, c, out=acc)
        np.multiply(acc, y, out=acc)
    np.add(acc, coefficients[-1], out=acc)
    return np.divide(acc, s, out=acc)


def _gauss(t: Array, exact_square: bool) -> Array:
    """exp(-t^2/2), t^2 carried exactly as hi + lo when `exact_square`."""
    hi = t * t
    if not exact_square:
        np.multiply(hi, -0.5, out=hi)
        return np.exp(hi, out=hi)
    top = t.astype(np.float32).astype(t.dtype)  # 24 bits: top * top is exact
    rest = t - top  # exact, and |rest| <= 2**-24 t
    lo = top * top
    np.subtract(lo, hi, out=lo)  # exact: both are within 2**-22 of t*t
    np.add(top, t, out=top)
    np.multiply(top, rest, out=top)
    np.add(lo, top, out=lo)  # t*t - hi, up to a rounding of rest (t + top)
    np.multiply(hi, -0.5, out=hi)
    e = np.exp(hi, out=hi)
    np.multiply(lo, -0.5, out=lo)
    np.multiply(lo, e, out=lo)
    return np.add(e, lo, out=e)  # exp(-hi/2) exp(-lo/2), |lo| <= 1e-13


def cdf_and_slope(x: Array) -> tuple[Array, Array]:
    """(Phi(x), Phi(x) + x phi(x)) for a float64 array, finite or not (Phi(-38) is
    used below -38, where the caller needs its own tail formula)."""
    return _cdf_and_slope(x, _FLOAT64, exact_square=True)


def _cdf_and_slope(x: Array, coefficients: tuple[float, ...],
                   exact_square: bool) -> tuple[Array, Array]:
    t = np.abs(x)
    np.minimum(t, TOP, out=t)
    e = _gauss(t, exact_square)
    q = _q(t, coefficients)
    np.multiply(t, _INV_SQRT_2PI, out=t)
    g = np.subtract(q, t, out=t)
    np.multiply(g, e, out=g)
    tail = np.multiply(q, e, out=q)  # Phi(-|x|)
    # 1 - v for x >= 0 and v for x < 0, as right - sign(x) v with right 1 or 0: no
    # branch, and 0 - (-v) is v exactly. (-0.0 counts as negative: both sides agree.)
    sign = np.copysign(1.0, x, dtype=x.dtype)
    right = np.add(sign, 1.0, out=e)  # 2 or 0
    np.multiply(right, 0.5, out=right)
    phi = np.subtract(right, np.multiply(tail, sign, out=tail), out=tail)
    slope = np.subtract(right, np.multiply(g, sign, out=g), out=g)
    return phi, slope


def gelu_and_prime_float32(x: Array) -> tuple[Array, Array]:
    """(x Phi(x), Phi(x) + x phi(x)) of a float32 array, through float64, rounded once.
    Below x = -38 the float64 value is below 1e-314 and rounds to -0.0 in float32."""
    wide = np.maximum(x, -TOP, dtype=np.float64)  # -inf * Phi(-38) would be -inf
    phi, slope = _cdf_and_slope(wide, _FLOAT32, exact_square=False)
    np.multiply(wide, phi, out=phi)
    return phi.astype(np.float32), slope.astype(np.float32)
