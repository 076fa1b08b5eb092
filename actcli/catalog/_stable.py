"""Numerically stable building blocks shared by the catalog records.

Every helper takes a float32/float64 array, returns the same dtype, and raises no
overflow or invalid-value warning for any finite input (underflow to 0 is expected).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating]

# Beyond |z| = 1000, exp(-|z|) is 0 even in float64, so every saturating function of z
# has reached its limit; clipping z there keeps c*x from overflowing for huge x.
SATURATION = 1000.0

# quick_gelu's gate x sigmoid(1.702 x): beta, and what the float 1.702 misses of the
# decimal 1.702 (about 4.3e-17), which silu's exact product c * x takes as c + c_low.
QUICK_GELU_BETA = 1.702
QUICK_GELU_BETA_LOW = float(Fraction("1.702") - Fraction(QUICK_GELU_BETA))


def _largest_finite_exp_arg(dtype: type[np.floating]) -> np.floating:
    arg = np.log(np.finfo(dtype).max)
    with np.errstate(over="ignore"):
        while not np.isfinite(np.exp(arg)):
            arg = np.nextafter(arg, dtype(0))
    return arg


_EXP_MAX = {dt: _largest_finite_exp_arg(dt) for dt in (np.float32, np.float64)}


def exp(x: Array) -> Array:
    """e**x, overflowing to inf silently (np.exp warns)."""
    top = _EXP_MAX[x.dtype.type]
    return np.where(x > top, np.inf, np.exp(np.minimum(x, top)))


def scaled(x: Array, c: float) -> Array:
    """c*x for the argument of a saturating function, clipped at +-SATURATION."""
    if c == 0:
        return np.zeros_like(x)
    bound = SATURATION / abs(c)
    return c * np.clip(x, -bound, bound)


# Dekker's splitter, 2**ceil(p/2) + 1 for the p = 24 and 53 significand bits.
_SPLITTER = {np.float32: 4097.0, np.float64: 134217729.0}


def scaled_exactly(x: Array, c: float, c_low: float = 0.0) -> tuple[Array, Array]:
    """(c + c_low) * x as hi + lo: hi is `scaled(x, c)` and lo what rounding lost (the
    error of the product by Dekker's algorithm, NumPy having no fused multiply-add, and
    of c in the dtype, plus c_low * x). A function g of the product can then be
    corrected to first order, g(hi) + g'(hi) lo: the rounding of 1.702 * x would
    otherwise cost |z| ulps in sigmoid(z)."""
    hi = scaled(x, c)
    if not 1e-100 < abs(c) < 1e100:  # (the split below would overflow)
        return hi, np.zeros_like(x)
    kind = x.dtype.type
    factor = kind(c)
    xc = np.clip(x, -SATURATION / abs(c), SATURATION / abs(c))
    splitter = kind(_SPLITTER[kind])

    def halves(v: Any) -> tuple[Any, Any]:
        t = splitter * v
        big = t - (t - v)
        return big, v - big

    x_hi, x_lo = halves(xc)
    c_hi, c_lo = halves(factor)
    error = ((x_hi * c_hi - hi) + x_hi * c_lo + x_lo * c_hi) + x_lo * c_lo
    return hi, error + kind((c - float(factor)) + c_low) * xc


def times_vanishing(x: Array, g: Array) -> Array:
    """x*g where g underflows to exactly 0 in a tail: there the product is +-0, not inf*0."""
    out = np.empty_like(x)
    with np.errstate(invalid="ignore"):  # inf * 0, replaced below
        np.multiply(x, g, out=out)  # where x is finite, x*0 is already +-0
    infinite = np.isinf(x)
    if infinite.any():  # (rare: testing for it is cheaper than a masked multiply)
        np.copyto(out, np.copysign(0, x), where=infinite & (g == 0))
    return out


def nonpositive(x: Array) -> Array:
    """min(x, 0) that keeps -0.0 (np.minimum(-0.0, 0) is +0.0)."""
    return np.where(x > 0, 0, x).astype(x.dtype, copy=False)


def select(condition: NDArray[np.bool_], a: Array | float, b: Array) -> Array:
    """np.where(condition, a, b) for b's float dtype, bit for bit, without branches: it
    blends the bits under a mask. NumPy's where (and copyto/divide with where=) branches
    on every value, which costs 4-5 ns a value on data whose signs are random (the branch
    is mispredicted half the time), against about 1 ns (float64) or 0.5 (float32) here."""
    kind = np.uint32 if b.dtype == np.float32 else np.uint64
    mask = condition.astype(kind)
    np.negative(mask, out=mask)  # all ones where the condition holds
    bits = np.bitwise_xor(np.asarray(a, b.dtype).view(kind), b.view(kind))
    np.bitwise_and(bits, mask, out=bits)
    np.bitwise_xor(bits, b.view(kind), out=bits)
    return bits.view(b.dtype)


def sigmoid(z: Array) -> Array:
    """1/(1+e**-z) through e = exp(-|z|) <= 1, so nothing overflows."""
    e = np.exp(-np.abs(z))
    return _one_or(z, e) / (1 + e)


def sigmoid_prime(z: Array) -> Array:
    """sigmoid(z)*sigmoid(-z) = e/(1+e)**2: exact in the tails, unlike s*(1-s)."""
    e = np.exp(-np.abs(z))
    return e / (1 + e) ** 2


def sigmoid_second(z: Array) -> Array:
    """sigmoid'' = sigmoid' * (1 - 2 sigmoid) = -sign(z) e (1-e)/(1+e)**3, 1-e via expm1."""
    e = np.exp(-np.abs(z))
    return -np.sign(z) * e * -np.expm1(-np.abs(z)) / (1 + e) ** 3


def exp_neg_abs(z: Array) -> Array:
    """exp(-|z|) <= 1, the one transcendental that sigmoid, softplus and their
    derivatives share; written in place (same values as np.exp(-np.abs(z)))."""
    e = np.abs(z)
    np.negative(e, out=e)
    return np.exp(e, out=e)


def sigmoid_from(z: Array, e: Array, d: Array) -> Array:
    """sigmoid(z) from e = exp(-|z|) and d = 1 + e, exactly as `sigmoid` computes it."""
    return np.divide(_one_or(z, e), d)


def _one_or(z: Array, e: Array) -> Array:
    """1 where z >= 0, else e = exp(-|z|): max(e, 1) and max(e, 0) are exactly 1 and e
    (0 <= e <= 1), so this is select(z >= 0, 1, e) in two operations instead of six."""
    return np.maximum(e, z >= 0, dtype=e.dtype)


def sigmoid_and_prime(z: Array) -> tuple[Array, Array]:
    """(sigmoid(z), sigmoid'(z)) from one exp(-|z|), bit for bit equal to the two above."""
    e = exp_neg_abs(z)
    d = e + 1
    s = sigmoid_from(z, e, d)
    np.multiply(d, d, out=d)
    return s, np.divide(e, d, out=d)


def softplus(z: Array) -> Array:
    """log(1+e**z) = max(z,0) + log1p(e**-|z|)."""
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


def sech2(z: Array) -> Array:
    """sech(z)**2 = 4e/(1+e)**2 with e = exp(-2|z|): not 1-tanh**2, which is 0 in the tails."""
    e = np.abs(z)  # in place, the same operations as 4e / (1+e)**2
    np.minimum(e, SATURATION, out=e)
    np.multiply(e, -2, out=e)
    np.exp(e, out=e)
    d = e + 1
    np.multiply(d, d, out=d)
    np.multiply(e, 4, out=e)
    return np.divide(e, d, out=e)


def where_inside(x: Array, low: float, high: float, inside: Array | float) -> Array:
    """`inside` on the open interval (low, high) and 0 elsewhere (PyTorch's border rule)."""
    return np.where((x > low) & (x < high), inside, 0).astype(x.dtype, copy=False)



def product_exactly(x: Array, c: float) -> tuple[Array, Array]:
    """c*x as hi + lo exactly, for a function that does not saturate (sin): hi = c*x,
    +-inf past the float range (silently), lo the rounding error (Dekker, as in
    `scaled_exactly`; inputs too large to split are scaled by a power of two first), and
    lo = 0 where the product is not finite."""
    kind = x.dtype.type
    factor = kind(c)
    with np.errstate(over="ignore"):
        hi = factor * x
    if c == 0 or not 1e-100 < abs(c) < 1e100:  # (the split below would overflow)
        return hi, np.zeros_like(x)
    largest = float(np.finfo(kind).max)
    finite = np.isfinite(hi)
    big = (np.abs(x) > kind(largest / _SPLITTER[kind] / 2)) | (np.abs(hi) > kind(largest / 4))
    # A power of two near 1/(4 * splitter): exact, and leaves room for the split.
    shrink = kind(2.0 ** -math.ceil(math.log2(4 * _SPLITTER[kind])))
    scale = np.where(big, shrink, kind(1)).astype(x.dtype, copy=False)
    xs = np.where(finite, x, 0).astype(x.dtype, copy=False) * scale
    splitter = kind(_SPLITTER[kind])

    def halves(v: Any) -> tuple[Any, Any]:
        t = splitter * v
        top = t - (t - v)
        return top, v - top

    his = factor * xs
    x_hi, x_lo = halves(xs)
    c_hi, c_lo = halves(factor)
    error = ((x_hi * c_hi - his) + x_hi * c_lo + x_lo * c_hi) + x_lo * c_lo
    lo = error / scale + kind(c - float(factor)) * np.where(finite, x, 0).astype(x.dtype, copy=False)
    return hi, np.where(finite, lo, 0).astype(x.dtype, copy=False)


def square_exactly(x: Array) -> tuple[Array, Array]:
    """x*x as hi + lo (lo the rounding error), for exp(-x^2) to be correct to an ulp
    rather than to x^2 ulps; hi is +inf where x*x overflows (silently)."""
    kind = x.dtype.type
    with np.errstate(over="ignore"):
        hi = x * x
    splitter = kind(_SPLITTER[kind])
    small = np.abs(x) <= kind(np.sqrt(np.finfo(kind).max) / _SPLITTER[kind])
    xs = np.where(small, x, 0).astype(x.dtype, copy=False)
    t = splitter * xs
    big = t - (t - xs)
    rest = xs - big
    lo = ((big * big - xs * xs) + 2 * big * rest) + rest * rest
    return hi, np.where(small, lo, 0).astype(x.dtype, copy=False)


def no_limit(x: Array, value: Array) -> Array:
    """`value`, and NaN at +-inf where the function has no limit (sin x oscillates)."""
    return np.where(np.isinf(x), np.nan, value).astype(x.dtype, copy=False)
