"""Compiled kernels for large arrays: f and f' in one vectorised loop (Numba, optional).

NumPy evaluates a formula one operation at a time over the whole array, each operation
a pass through memory, and without AVX-512 its float64 exp, log1p and tanh are scalar
libm calls. Here one loop per record computes f and f' of each value in registers and
stores both, and it calls no libm function (but in gelu's rare tail below x = -37, a
loop of its own): exp, expm1 and log1p are written below in plain arithmetic, so that
LLVM vectorises the whole loop (4 float64 lanes on AVX2). It is opt-in (`ACTCLI_JIT=1`,
see `compute.jit_requested`): importing Numba and loading the loops costs up to a
second per process.

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

import decimal
import math
from collections.abc import Callable, Mapping
from typing import Any

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic, overload

from actcli.catalog import _normal as normal
from actcli.catalog._normal import GELU_CLIP, GELU_TAIL, GELU_TAIL_SERIES, GELU_TANH_A, GELU_TANH_K
from actcli.catalog._stable import QUICK_GELU_BETA, QUICK_GELU_BETA_LOW, SATURATION

# nogil: the chunks of one array run on several threads (compute._share); error_model
# numpy: 1/0 is inf as in NumPy, not ZeroDivisionError; cache: compiled once per machine.
# (No inline="always": Numba's own inliner mixed up variables here; LLVM inlines anyway.)
_OPTIONS = {"nogil": True, "cache": True, "error_model": "numpy"}
_jit = numba.njit(**_OPTIONS)


def _bitcast(name: str, source: Any, target: Any, llvm_type: Any) -> Any:
    """A compiled function that gives the `target` number whose bits are those of the
    `source` number (Numba has no such cast for scalars)."""
    def cast(typingctx, value):  # type: ignore[no-untyped-def]
        return target(source), lambda context, builder, sig, args: builder.bitcast(
            args[0], llvm_type)

    cast.__name__ = cast.__qualname__ = name
    return intrinsic(cast)


_bits = _bitcast("_bits", types.float64, types.int64, ir.IntType(64))
_from_bits = _bitcast("_from_bits", types.int64, types.float64, ir.DoubleType())
_bits32 = _bitcast("_bits32", types.float32, types.int32, ir.IntType(32))
_from_bits32 = _bitcast("_from_bits32", types.int32, types.float32, ir.FloatType())


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


@_jit
def _exp_and_expm1_64(w: float) -> tuple[float, float]:
    """(e^w, e^w - 1) for w <= 0 (e^w down to the subnormal range, 0 below -746)."""
    w = min(max(w, -746.0), 0.0)
    shifted = w * _INV_LN2_32 + _ROUNDER
    n = _bits(shifted) - _bits(_ROUNDER)
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
    first, second = _from_bits((half + 1023) << 52), _from_bits((k - half + 1023) << 52)
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


@_jit
def _exp32(w: Any) -> Any:
    """e^w in float32 for a float32 w <= 0 (0 where float32 underflows)."""
    w = max(w, _F32(-104.0))
    shifted = w * _LOG2E_32 + _ROUNDER_32
    k = _bits32(shifted) - _bits32(_ROUNDER_32)
    kf = shifted - _ROUNDER_32
    r = (w - kf * _LN2_HI_32) - kf * _LN2_LO_32
    p = _EXP_POLY_32[0]
    for n in range(1, _EXP_POLY_32.size):
        p = p * r + _EXP_POLY_32[n]
    e = (r * r) * p + r + _F32(1.0)
    half = k >> 1  # 2^k in two factors, as in the float64 exp
    return e * _from_bits32((half + 127) << 23) * _from_bits32((k - half + 127) << 23)


@_jit
def _exp_for32(w: float) -> float:
    w = max(w, -104.0)  # (-inf - -inf would be NaN below)
    hi = np.float32(w)
    return np.float64(_exp32(hi)) * (1.0 + (w - np.float64(hi)))


@_jit
def _exp_and_expm1_32(w: float) -> tuple[float, float]:
    e = _exp_for32(w)
    series = _EXPM1_32_SERIES[0]
    for n in range(1, _EXPM1_32_SERIES.size):
        series = series * w + _EXPM1_32_SERIES[n]
    near = w + (w * w) * series
    far = e - 1.0
    m = near if w > -0.7 else far
    return e, (w if w == 0 else m)  # (-0.0 stays -0.0)


def _single(like: Any) -> bool:
    return isinstance(like, types.Float) and like.bitwidth == 32


def _exp(w, like):  # type: ignore[no-untyped-def]  # (stubs: only their overloads run)
    raise NotImplementedError


def _exp_and_expm1(w, like):  # type: ignore[no-untyped-def]
    raise NotImplementedError


@overload(_exp, jit_options=_OPTIONS)
def _exp_overload(w, like):  # type: ignore[no-untyped-def]
    """e^w for w <= 0, as exact as the precision of `like`, an input value, needs."""
    if _single(like):
        return lambda w, like: _exp_for32(w)
    return lambda w, like: _exp_and_expm1_64(w)[0]


@overload(_exp_and_expm1, jit_options=_OPTIONS)
def _exp_and_expm1_overload(w, like):  # type: ignore[no-untyped-def]
    """(e^w, e^w - 1) for w <= 0, as exact as the precision of `like` needs."""
    if _single(like):
        return lambda w, like: _exp_and_expm1_32(w)
    return lambda w, like: _exp_and_expm1_64(w)


@_jit
def _log1p_unit64(e: float) -> float:
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


def _log1p_unit(e, like):  # type: ignore[no-untyped-def]  # (a stub: only its overload runs)
    raise NotImplementedError


@overload(_log1p_unit, jit_options=_OPTIONS)
def _log1p_unit_overload(e, like):  # type: ignore[no-untyped-def]
    """log(1 + e) for 0 <= e <= 1 in the precision of `like`, an input value. For a
    float32 result, 2 atanh(s), s = e / (2 + e) <= 1/3, to s^17 (truncation 1e-9
    relative) does: one division instead of two and no reduction."""
    if not _single(like):
        return lambda e, like: _log1p_unit64(e)

    def log1p32(e, like):  # type: ignore[no-untyped-def]
        s = e / (2.0 + e)
        z = s * s
        series = 1.0 / 17.0
        for n in (15.0, 13.0, 11.0, 9.0, 7.0, 5.0, 3.0):
            series = series * z + 1.0 / n
        return 2.0 * s * (1.0 + z * series)

    return log1p32


# --- pieces of several loops ------------------------------------------------------------------

@_jit
def _sigmoid_and_prime(z: float, like: Any) -> tuple[float, float]:
    """(sigmoid(z), sigmoid'(z)) from e = exp(-|z|) <= 1: nothing overflows, and
    sigmoid' = e / (1 + e)^2 stays exact in the tails, where s(1 - s) is 0."""
    e = _exp(-abs(z), like)
    d = 1.0 + e
    return (1.0 if z >= 0 else e) / d, e / (d * d)


@_jit
def _times_vanishing(x: float, g: float) -> float:
    """x * g, and +-0 (not NaN) where g has underflowed to 0 and x is infinite."""
    return math.copysign(0.0, x) if g == 0.0 and math.isinf(x) else x * g


_SPLITTER = 134217729.0  # 2**27 + 1: Dekker's split of a float64


@_jit
def _split(v: float) -> tuple[float, float]:
    t = _SPLITTER * v
    big = t - (t - v)
    return big, v - big


@_jit
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


@overload(_normal_q, jit_options=_OPTIONS)
def _normal_q_overload(t, like):  # type: ignore[no-untyped-def]
    """Q(t) = erfcx(t / sqrt 2) / 2 for 0 <= t <= TOP (catalog._normal) with the fit for
    the precision of `like`, an input value: float32 needs 12 terms, not 24. (Stub and
    overload carry no annotations: Numba requires their signatures to be equal.)"""
    coefficients = _Q32 if _single(like) else _Q64

    def q(t, like):  # type: ignore[no-untyped-def]
        s = t + normal.K
        y = (t - normal.K) / s
        acc = y * coefficients[0]
        for k in range(1, coefficients.size - 1):
            acc = (acc + coefficients[k]) * y
        return (acc + coefficients[-1]) / s

    return q


@_jit
def _square_exactly(t: float) -> tuple[float, float]:
    """t * t as hi + lo exactly, for 0 <= t <= 40 (as catalog._normal computes it)."""
    hi = t * t
    top = np.float64(np.float32(t))  # 24 bits: top * top is exact
    return hi, (top * top - hi) + (top + t) * (t - top)


@_jit
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
# Each ends with the same three lines: the NaN input copied through, then the stores (a
# helper taking the arrays made the loops 2x slower). No libm call is inside a loop,
# and both sides of a choice are computed before it (`a if c else b` of plain values):
# otherwise LLVM does not vectorise the loop.

@_jit
def _sigmoid(x: Any, f: Any, d: Any, want: int) -> None:
    for i in range(x.size):
        v = np.float64(x[i])
        value, slope = _sigmoid_and_prime(v, x[i])
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@_jit
def _log_sigmoid(x: Any, f: Any, d: Any, want: int) -> None:
    for i in range(x.size):
        v = np.float64(x[i])
        e = _exp(-abs(v), x[i])
        value = min(v, 0.0) - _log1p_unit(e, x[i])
        slope = (1.0 if v <= 0 else e) / (1.0 + e)  # sigmoid(-x)
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@_jit
def _tanh(x: Any, f: Any, d: Any, want: int) -> None:
    for i in range(x.size):
        v = np.float64(x[i])
        e, m = _exp_and_expm1(-2.0 * min(abs(v), SATURATION), x[i])
        # tanh|x| = (1 - e) / (1 + e), e = exp(-2|x|): -m / (2 + m) with m = e - 1 where
        # 1 - e would cancel; sech^2 = 4e / (1 + e)^2, not 1 - tanh^2 (0 in the tails).
        near, far = -m / (2.0 + m), (1.0 - e) / (1.0 + e)
        magnitude = near if abs(v) < 0.5 else far
        value = math.copysign(magnitude, v)
        slope = 4.0 * e / ((1.0 + e) * (1.0 + e))
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@_jit
def _softplus(x: Any, f: Any, d: Any, want: int, beta: float, threshold: float) -> None:
    bound = SATURATION / beta
    for i in range(x.size):
        v = np.float64(x[i])
        z = beta * min(max(v, -bound), bound)
        e = _exp(-abs(z), x[i])
        value = _log1p_unit(e, x[i])
        if beta != 1.0:
            value /= beta
        value += max(v, 0.0)
        slope = (1.0 if z >= 0 else e) / (1.0 + e)
        linear = z > threshold  # PyTorch's linear piece, with a finite threshold only
        value, slope = (v if linear else value), (1.0 if linear else slope)
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@_jit
def _softplus_plain(x: Any, f: Any, d: Any, want: int) -> None:
    """softplus with PyTorch's beta = 1 and no threshold: the loop above without the
    scaling and the linear piece (one third faster)."""
    for i in range(x.size):
        v = np.float64(x[i])
        e = _exp(-abs(v), x[i])
        value = _log1p_unit(e, x[i]) + max(v, 0.0)
        slope = (1.0 if v >= 0 else e) / (1.0 + e)
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@_jit
def _relu(x: Any, f: Any, d: Any, want: int) -> None:
    for i in range(x.size):
        v = np.float64(x[i])
        positive = v > 0
        value = v if positive else 0.0  # relu(-0.0) is +0.0
        slope = 1.0 if positive else 0.0  # relu'(0) = 0, as PyTorch
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@_jit
def _elu(x: Any, f: Any, d: Any, want: int, alpha: float) -> None:
    for i in range(x.size):
        v = np.float64(x[i])
        e, m = _exp_and_expm1(v if v <= 0 else 0.0, x[i])  # (-0.0 kept: expm1(-0.0) is -0.0)
        positive = v > 0
        value = v if positive else (m if alpha == 1.0 else alpha * m)
        slope = 1.0 if positive else (e if alpha == 1.0 else alpha * e)
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@_jit
def _silu(x: Any, f: Any, d: Any, want: int, beta: float, beta_low: float) -> None:
    exact = beta == 1.0 and beta_low == 0.0  # z = x needs no correction
    for i in range(x.size):
        v = np.float64(x[i])
        # z + dz = beta x exactly; f and f' corrected to first order in dz, with silu's
        # slope g(z) = s + z s' and g'(z) = s' (2 - z tanh(z/2)), where
        # |z| tanh(|z|/2) = |z| (1 - e) / (1 + e) is precise enough for a correction.
        if exact:
            z = min(max(v, -SATURATION), SATURATION)
            s, ds = _sigmoid_and_prime(z, x[i])
            value, slope = _times_vanishing(v, s), s + z * ds
        else:
            z, dz = _scaled_exactly(v, beta, beta_low)
            e = _exp(-abs(z), x[i])
            s, ds = (1.0 if z >= 0 else e) / (1.0 + e), e / ((1.0 + e) * (1.0 + e))
            g1 = ds * (2.0 - abs(z) * (1.0 - e) / (1.0 + e))
            value = _times_vanishing(v, s + ds * dz)
            slope = s + z * ds + g1 * dz
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@_jit
def _mish(x: Any, f: Any, d: Any, want: int) -> None:
    for i in range(x.size):
        v = np.float64(x[i])
        xc = min(max(v, -SATURATION), SATURATION)
        e = _exp(-abs(xc), x[i])
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
        value, slope = _times_vanishing(v, t), t + xc * sech2 * s
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


@_jit
def _gelu(x: Any, f: Any, d: Any, want: int) -> None:
    tails = 0
    for i in range(x.size):
        v = np.float64(x[i])
        # Phi(-t) = exp(-t^2/2) Q(t), t^2 = hi + lo exactly (catalog._normal). Below
        # GELU_TAIL the value is replaced after the loop.
        t = min(abs(v), normal.TOP)
        hi, lo = _square_exactly(t)
        e = _exp(-0.5 * hi, x[i])
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


@_jit
def _gelu_tanh(x: Any, f: Any, d: Any, want: int) -> None:
    for i in range(x.size):
        v = np.float64(x[i])
        # 0.5 x (1 + tanh(u)) = x sigmoid(2u): no cancellation in the left tail.
        xc = min(max(v, -SATURATION), SATURATION)
        u = GELU_TANH_K * (xc + GELU_TANH_A * (xc * xc * xc))
        du = GELU_TANH_K * (1.0 + 3.0 * GELU_TANH_A * xc * xc)
        s, ds = _sigmoid_and_prime(2.0 * u, x[i])
        value, slope = _times_vanishing(v, s), s + 2.0 * xc * du * ds
        nan = v != v
        if want != 1: f[i] = v if nan else value  # noqa: E701
        if want != 0: d[i] = v if nan else slope  # noqa: E701


# --- look-up ------------------------------------------------------------------------------

Loop = Callable[[np.ndarray, np.ndarray, np.ndarray, int], None]


def _bound(loop: Any, *args: float) -> Loop:
    return lambda x, f, d, want: loop(x, f, d, want, *args)


# Record name -> its loop for the record's parameters.
_KERNELS: dict[str, Callable[..., Loop]] = {
    "sigmoid": lambda: _sigmoid,
    "log_sigmoid": lambda: _log_sigmoid,
    "tanh": lambda: _tanh,
    "softplus": lambda beta, threshold: (_softplus_plain if beta == 1 and threshold == math.inf
                                         else _bound(_softplus, beta, threshold)),
    "relu": lambda: _relu,
    "elu": lambda alpha: _bound(_elu, alpha),
    "silu": lambda beta: _bound(_silu, beta, 0.0),
    "quick_gelu": lambda: _bound(_silu, QUICK_GELU_BETA, QUICK_GELU_BETA_LOW),
    "mish": lambda: _mish,
    "gelu": lambda approximate: _gelu if approximate == "none" else _gelu_tanh,
}

NAMES = frozenset(_KERNELS)


def loop(name: str, params: Mapping[str, Any]) -> Loop:
    """The compiled f/f' loop called `name` (a record's, see common.compiled_loop) with
    the record's `params` bound."""
    return _KERNELS[name](**params)
