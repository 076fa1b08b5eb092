"""What the compiled loops of `catalog.jit` are built from: Numba's settings, bit casts,
and exp, expm1 and log1p written in arithmetic (Numba, optional).

Without AVX-512, LLVM has no vector libm for float64 exp and log1p: a loop that calls
them makes one scalar call per value. Written out here in plain arithmetic, they let
LLVM vectorise the whole loop (4 float64 lanes on AVX2). `exp(w, like)`,
`exp_and_expm1(w, like)` and `log1p_unit(e, like)` take an input value as `like`, so
that a float32 input gets the shorter float32 arithmetic its result needs. Worst errors
against mpmath: exp 0.52 ulp, expm1 and log1p below 1 ulp for float64 results, 1 ulp of
float32 for float32 ones (tests/test_jit.py).

Importing this module imports Numba.
"""

from __future__ import annotations

import decimal
import math
from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload

# nogil: the chunks of one array run on several threads (compute._share); error_model
# numpy: 1/0 is inf as in NumPy, not ZeroDivisionError; cache: compiled once per machine.
# (No inline="always": Numba's own inliner mixed up variables here; LLVM inlines anyway.)
OPTIONS = {"nogil": True, "cache": True, "error_model": "numpy"}
njit = numba.njit(**OPTIONS)


def _bitcast(name: str, source: Any, target: Any, llvm_type: Any) -> Any:
    """A compiled function that gives the `target` number whose bits are those of the
    `source` number (Numba has no such cast for scalars)."""
    def cast(typingctx, value):  # type: ignore[no-untyped-def]
        return target(source), lambda context, builder, sig, args: builder.bitcast(
            args[0], llvm_type)

    cast.__name__ = cast.__qualname__ = name
    return intrinsic(cast)


bits = _bitcast("bits", types.float64, types.int64, ir.IntType(64))
from_bits = _bitcast("from_bits", types.int64, types.float64, ir.DoubleType())
bits32 = _bitcast("bits32", types.float32, types.int32, ir.IntType(32))
from_bits32 = _bitcast("from_bits32", types.int32, types.float32, ir.FloatType())


# --- exp, expm1, log1p in arithmetic (vectorisable) ---------------------------------------
# exp(w) = 2^(n/32) exp(r), n = round(32 w / ln 2), |r| <= ln2/64 (Tang's method): the
# 32 values 2^(j/32) as hi + lo, and exp(r) - 1 = r + r^2 (1/2 + r/6 + ... + r^5/7!),
# whose truncation is below 4e-18. Worst errors measured against mpmath: exp 0.52 ulp,
# expm1 and log1p below 1 ulp (tests/test_jit.py).

def _two_parts(value: decimal.Decimal) -> tuple[float, float]:
    hi = float(value)
    return hi, float(value - decimal.Decimal(hi))


with decimal.localcontext() as _context:
    _context.prec = 40
    _TABLE = [_two_parts(decimal.Decimal(2) ** (decimal.Decimal(j) / 32)) for j in range(32)]
    _LN2_32 = decimal.Decimal(2).ln() / 32
    # ln(2)/32 with its low 32 bits zero, so that n * _LN2_32_HI is exact for |n| < 2^20.
    _LN2_32_HI = float(int(_LN2_32 * 2**32)) / 2**32
    _LN2_32_LO = float(_LN2_32 - decimal.Decimal(_LN2_32_HI))
    _INV_LN2_32 = float(32 / decimal.Decimal(2).ln())
_EXP_HI = np.array([hi for hi, _ in _TABLE])
_EXP_LO = np.array([lo for _, lo in _TABLE])
_ROUNDER = 1.5 * 2**52  # adding it rounds to an integer, which the low bits then hold
# fdlibm's log1p: log(1 + f) = f - (f^2/2 - s (f^2/2 + R(s^2))), s = f / (2 + f), with
# its minimax R for |s| <= 0.1716, that is -0.29 <= f <= 0.41 (error below 1 ulp).
_LG = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
       2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
       1.479819860511658591e-01)
_LN2_HI, _LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10
_SQRT2_M1 = math.sqrt(2) - 1


@njit
def exp_and_expm1_64(w: float) -> tuple[float, float]:
    """(e^w, e^w - 1) for w <= 0 (e^w down to the subnormal range, 0 below -746)."""
    w = min(max(w, -746.0), 0.0)
    shifted = w * _INV_LN2_32 + _ROUNDER
    n = bits(shifted) - bits(_ROUNDER)
    nf = shifted - _ROUNDER
    r = (w - nf * _LN2_32_HI) - nf * _LN2_32_LO
    q = 1.0 / 5040.0
    q = q * r + 1.0 / 720.0
    q = q * r + 1.0 / 120.0
    q = q * r + 1.0 / 24.0
    q = q * r + 1.0 / 6.0
    q = q * r + 0.5
    s = r + r * r * q  # exp(r) - 1
    j = n & 31
    k = n >> 5
    t = _EXP_HI[j]
    rest = _EXP_LO[j] + t * s  # e^w = 2^k (t + rest)
    half = k >> 1  # 2^k in two factors: 2^k alone is not a float below 2^-1022
    first, second = from_bits((half + 1023) << 52), from_bits((k - half + 1023) << 52)
    e = (t + rest) * first * second
    # Tang's expm1: for k = 0 or -1, 2^k t - 1 is exact (Sterbenz), and the rest adds
    # no cancellation; below, e <= 1/2 and e - 1 has none either.
    scale = first * second
    near = (t * scale - 1.0) + rest * scale
    m = near if k >= -1 else e - 1.0
    return e, (w if w == 0 else m)  # (-0.0 stays -0.0)


# For float32 results, exp runs in float32 arithmetic (8 lanes on AVX2 where float64 has
# 4; exp is most of the work): Cephes' expf (range reduction by ln 2 in two parts and a
# degree-5 minimax, about 1 ulp of float32), on the argument rounded to float32, its
# rounding error put back to first order. The rest stays float64: results within 1.5
# ulp of float32 (tests/test_jit.py).
_F32 = np.float32
_LOG2E_32 = _F32(1.44269504088896341)
_LN2_HI_32, _LN2_LO_32 = _F32(0.693359375), _F32(-2.12194440e-4)
_ROUNDER_32 = _F32(1.5 * 2**23)
_EXP_POLY_32 = np.array([1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2,
                         1.6666665459e-1, 5.0000001201e-1], dtype=np.float32)
# expm1 for a float32 result: its Taylor series to w^11 (7e-10 relative) above -0.7, and
# e - 1 below, where |e - 1| >= 1/2.
_EXPM1_32_SERIES = np.array([1 / math.factorial(n) for n in range(11, 1, -1)])  # 1/11!, ..., 1/2!


@njit
def _exp32(w: Any) -> Any:
    """e^w in float32 for a float32 w <= 0 (0 where float32 underflows)."""
    w = max(w, _F32(-104.0))
    shifted = w * _LOG2E_32 + _ROUNDER_32
    k = bits32(shifted) - bits32(_ROUNDER_32)
    kf = shifted - _ROUNDER_32
    r = (w - kf * _LN2_HI_32) - kf * _LN2_LO_32
    p = _EXP_POLY_32[0]
    for n in range(1, _EXP_POLY_32.size):
        p = p * r + _EXP_POLY_32[n]
    e = (r * r) * p + r + _F32(1.0)
    half = k >> 1  # 2^k in two factors, as in the float64 exp
    return e * from_bits32((half + 127) << 23) * from_bits32((k - half + 127) << 23)


@njit
def _exp_for32(w: float) -> float:
    w = max(w, -104.0)  # (-inf - -inf would be NaN below)
    hi = np.float32(w)
    return np.float64(_exp32(hi)) * (1.0 + (w - np.float64(hi)))


@njit
def exp_and_expm1_32(w: float) -> tuple[float, float]:
    e = _exp_for32(w)
    series = _EXPM1_32_SERIES[0]
    for n in range(1, _EXPM1_32_SERIES.size):
        series = series * w + _EXPM1_32_SERIES[n]
    near = w + (w * w) * series
    far = e - 1.0
    m = near if w > -0.7 else far
    return e, (w if w == 0 else m)  # (-0.0 stays -0.0)


def single(like: Any) -> bool:
    """Whether `like`, the Numba type of an input value, is float32."""
    return isinstance(like, types.Float) and like.bitwidth == 32


def exp(w, like):  # type: ignore[no-untyped-def]  # (stubs: only their overloads run)
    raise NotImplementedError


def exp_and_expm1(w, like):  # type: ignore[no-untyped-def]
    raise NotImplementedError


@overload(exp, jit_options=OPTIONS)
def _exp_overload(w, like):  # type: ignore[no-untyped-def]
    """e^w for w <= 0, as exact as the precision of `like`, an input value, needs."""
    if single(like):
        return lambda w, like: _exp_for32(w)
    return lambda w, like: exp_and_expm1_64(w)[0]


@overload(exp_and_expm1, jit_options=OPTIONS)
def _exp_and_expm1_overload(w, like):  # type: ignore[no-untyped-def]
    """(e^w, e^w - 1) for w <= 0, as exact as the precision of `like` needs."""
    if single(like):
        return lambda w, like: exp_and_expm1_32(w)
    return lambda w, like: exp_and_expm1_64(w)


@njit
def log1p_unit64(e: float) -> float:
    """log(1 + e) for 0 <= e <= 1, fdlibm's way: f = e, or above sqrt(2) - 1,
    log(2) + log1p(u/2 - 1) with u = 1 + e (u/2 - 1 exact) and the rounding of u put back."""
    u = 1.0 + e
    large = e > _SQRT2_M1
    f = u * 0.5 - 1.0 if large else e
    k = 1.0 if large else 0.0
    lost = (e - (u - 1.0)) / u
    correction = lost if large else 0.0
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    r = (z * (_LG[0] + w * (_LG[2] + w * (_LG[4] + w * _LG[6])))
         + w * (_LG[1] + w * (_LG[3] + w * _LG[5])))
    half_square = 0.5 * f * f
    return k * _LN2_HI - ((half_square - (s * (half_square + r) + (k * _LN2_LO + correction))) - f)


def log1p_unit(e, like):  # type: ignore[no-untyped-def]  # (a stub: only its overload runs)
    raise NotImplementedError


@overload(log1p_unit, jit_options=OPTIONS)
def _log1p_unit_overload(e, like):  # type: ignore[no-untyped-def]
    """log(1 + e) for 0 <= e <= 1 in the precision of `like`, an input value. For a
    float32 result, 2 atanh(s), s = e / (2 + e) <= 1/3, to s^17 (truncation 1e-9
    relative) does: one division instead of two and no reduction."""
    if not single(like):
        return lambda e, like: log1p_unit64(e)

    def log1p32(e, like):  # type: ignore[no-untyped-def]
        s = e / (2.0 + e)
        z = s * s
        series = 1.0 / 17.0
        for n in (15.0, 13.0, 11.0, 9.0, 7.0, 5.0, 3.0):
            series = series * z + 1.0 / n
        return 2.0 * s * (1.0 + z * series)

    return log1p32
