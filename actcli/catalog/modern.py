"""Elementwise activations of current models (Primer, MetaFormer, DyT, SIREN, BigVGAN):
one `Spec` record each, with the same conventions as `elementwise`.

Trigonometric records (snake, sine) have no limit at +-inf where they oscillate; they
return NaN there, without a warning. An argument c*x is split into hi + lo (Dekker) and
sin(hi + lo) taken by the addition theorem, so that a parameter such as w0 = 30 does not
cost |w0 x| ulps of the result.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from actcli.catalog import _stable as st
from actcli.catalog._stable import Array
from actcli.catalog.common import framework_names, relu, zero
from actcli.catalog.elementwise import INF, NON_NEGATIVE, REAL_LINE
from actcli.catalog.spec import Interval, Param, Spec


def _positive(x: Array, value: Any) -> Array:
    """`value` for x > 0, 0 elsewhere, in x's dtype."""
    return np.where(x > 0, value, 0).astype(x.dtype, copy=False)


# --- squared ReLU -----------------------------------------------------------------------

def _relu_squared(x: Array) -> Array:
    r = relu(x)
    with np.errstate(over="ignore"):  # beyond 1.34e154 the true value overflows too
        return r * r


def _relu_squared_df(x: Array) -> Array:
    with np.errstate(over="ignore"):
        return 2 * relu(x)


RELU_SQUARED = Spec(
    name="relu_squared", family="relu", aliases=("squared_relu", "relu2", "ReLUSquared"),
    summary="relu(x)^2: the squared ReLU that Primer found for Transformer feed-forward layers.",
    formula="f(x) = max(0, x)^2", latex=r"f(x) = \max(0, x)^2",
    reference="So et al. 2021, Primer: Searching for Efficient Transformers for Language Modeling",
    f=_relu_squared, df=_relu_squared_df, d2f=lambda x: _positive(x, 2),
    output_range=NON_NEGATIVE, monotonic="non-decreasing", smoothness="C1",
    kinks=(0.0,), kink_rule="f''(0) = 0 (f' = 2 relu(x) is continuous; autograd gives 2 relu'(0) = 0)",
    frameworks={"PyTorch": "transformers.activations.ReLUSquaredActivation ('relu2')"},
    notes="Not in torch.nn, JAX or Keras; Hugging Face transformers ships it as 'relu2'.",
)


# --- StarReLU ---------------------------------------------------------------------------

STAR_RELU_SCALE = 0.8944
STAR_RELU_BIAS = -0.4472


def _star_relu(x: Array, scale: float, bias: float) -> Array:
    return scale * _relu_squared(x) + bias


def _star_relu_df(x: Array, scale: float, bias: float) -> Array:
    with np.errstate(over="ignore"):
        return 2 * scale * relu(x)


STAR_RELU = Spec(
    name="star_relu", family="relu", aliases=("StarReLU",),
    summary="scale * relu(x)^2 + bias: squared ReLU shifted and scaled to zero mean, unit "
            "variance for normal inputs.",
    formula="f(x) = scale * max(0, x)^2 + bias", latex=r"f(x) = s \max(0, x)^2 + b",
    reference="Yu et al. 2022, MetaFormer Baselines for Vision",
    params=(Param("scale", STAR_RELU_SCALE, "factor of relu(x)^2 (learnable in MetaFormer)",
                  low=0.0, low_open=True),
            Param("bias", STAR_RELU_BIAS, "added constant (learnable in MetaFormer)")),
    f=_star_relu, df=_star_relu_df,
    d2f=lambda x, scale, bias: _positive(x, 2 * scale),
    output_range=lambda scale, bias: Interval(bias, INF, low_closed=True),
    monotonic="non-decreasing", smoothness="C1",
    kinks=(0.0,), kink_rule="f''(0) = 0 (as relu_squared)",
    frameworks={},
    notes="No framework ships it (the paper's code defines a StarReLU module). The defaults "
          "0.8944 and -0.4472 are the paper's rounded 1/sqrt(1.25) and "
          "-0.5/sqrt(1.25) (the mean of relu(x)^2 under N(0, 1) is 1/2, its variance 5/4).",
)


# --- Dynamic Tanh -----------------------------------------------------------------------

def _dyt_parts(x: Array, alpha: float) -> tuple[Array, Array, Array]:
    """tanh and sech^2 of z = alpha x, and dz, what rounding alpha x lost."""
    z, dz = st.scaled_exactly(x, alpha)
    return np.tanh(z), st.sech2(z), dz


def _dyt(x: Array, alpha: float) -> Array:
    t, s, dz = _dyt_parts(x, alpha)
    return np.where(dz == 0, t, t + s * dz)  # (dz == 0 keeps the sign of -0.0)


def _dyt_df(x: Array, alpha: float) -> Array:
    t, s, dz = _dyt_parts(x, alpha)
    return alpha * (s - 2 * t * s * dz)


def _dyt_d2f(x: Array, alpha: float) -> Array:
    t, s, dz = _dyt_parts(x, alpha)
    # (t s)' = s (1 - 3 t^2) with respect to z
    return -2 * alpha * alpha * (t * s + s * (1 - 3 * t * t) * dz)


DYT = Spec(
    name="dyt", family="sigmoid", aliases=("dynamic_tanh", "DyT", "DynamicTanh"),
    summary="tanh(alpha x): the element-wise replacement of LayerNorm in Transformers "
            "without normalisation.",
    formula="f(x) = tanh(alpha * x)", latex=r"f(x) = \tanh(\alpha x)",
    reference="Zhu et al. 2025, Transformers without Normalization",
    params=(Param("alpha", 0.5, "slope at 0 (learnable, one scalar per layer)",
                  low=0.0, low_open=True),),
    f=_dyt, df=_dyt_df, d2f=_dyt_d2f,
    output_range=Interval(-1.0, 1.0), monotonic="increasing", smoothness="Cinf",
    frameworks={},
    notes="No framework ships it; the paper's DynamicTanh layer is gamma * tanh(alpha x) + "
          "beta with per-channel gamma, beta, of which actcli shows the element-wise core. "
          "0.5 is the paper's initial alpha for most models.",
)


# --- sparse sigmoid ---------------------------------------------------------------------

SPARSE_SIGMOID = Spec(
    name="sparse_sigmoid", family="sigmoid", aliases=(),
    summary="0.5 * clip(x + 1, 0, 2): a piecewise-linear sigmoid with exact 0 and 1, the "
            "derivative of sparse_plus.",
    formula="f(x) = 0.5 * clip(x + 1, 0, 2)",
    latex=r"f(x) = \tfrac{1}{2} \min(\max(x + 1, 0), 2)",
    reference="Blondel, Martins & Niculae 2020, Learning with Fenchel-Young Losses",
    f=lambda x: np.where(x <= -1, 0, np.where(x >= 1, 1, (np.clip(x, -1, 1) + 1) / 2)).astype(x.dtype),
    df=lambda x: st.where_inside(x, -1, 1, 0.5),
    d2f=zero,
    output_range=Interval(0.0, 1.0, True, True), monotonic="non-decreasing", smoothness="C0",
    kinks=(-1.0, 1.0), kink_rule="f'(-1) = f'(1) = 0 (PyTorch's rule for clipping, as hardtanh)",
    frameworks=framework_names(None, "sparse_sigmoid", "sparse_sigmoid"),
)


# --- periodic ---------------------------------------------------------------------------

def _sin_cos(x: Array, c: float) -> tuple[Array, Array, Array]:
    """sin(c x) and cos(c x) of the exact product c x = hi + lo (sin(hi + lo) by the
    addition theorem), and where c x is finite; NaN where it is not (at +-inf there is
    no limit, and beyond the float range the argument is lost)."""
    hi, lo = st.product_exactly(x, c)
    finite = np.isfinite(hi)
    z = np.where(finite, hi, 0).astype(x.dtype, copy=False)
    s, k = np.sin(z), np.cos(z)
    exact = lo == 0  # (also keeps sin(-0.0) = -0.0)
    sin = np.where(exact, s, s * np.cos(lo) + k * np.sin(lo))
    cos = np.where(exact, k, k * np.cos(lo) - s * np.sin(lo))
    return st.no_limit(hi, sin), st.no_limit(hi, cos), finite


def _sine(x: Array, w0: float) -> Array:
    return _sin_cos(x, w0)[0]


def _sine_df(x: Array, w0: float) -> Array:
    return w0 * _sin_cos(x, w0)[1]


def _sine_d2f(x: Array, w0: float) -> Array:
    return -w0 * w0 * _sin_cos(x, w0)[0]


SINE = Spec(
    name="sine", family="periodic", aliases=("sin", "Sine"),
    summary="sin(w0 x): the periodic activation of SIREN networks for implicit signals.",
    formula="f(x) = sin(w0 * x)", latex=r"f(x) = \sin(\omega_0 x)",
    reference="Sitzmann et al. 2020, Implicit Neural Representations with Periodic Activation "
              "Functions (SIREN)",
    params=(Param("w0", 1.0, "frequency (SIREN uses 30)", low=0.0, low_open=True,
                  aliases=("omega", "omega_0")),),
    f=_sine, df=_sine_df, d2f=_sine_d2f,
    output_range=Interval(-1.0, 1.0, True, True), monotonic="no", smoothness="Cinf",
    frameworks={"PyTorch": "torch.sin", "JAX": "jax.numpy.sin", "Keras": "keras.ops.sin"},
    notes="No limit at +-inf: f, f' and f'' are NaN there. Where w0 x exceeds the float "
          "range (w0 > 1 and |x| near 1.8e308) the result is NaN as well.",
)


# pi/4 to 100 digits, and in three pieces per dtype whose first two times an integer m
# below 2^M_BITS are exact (Cody & Waite's argument reduction).
_QUARTER_PI = Fraction("0.78539816339744830961566084581987572104929234984377645524373614807"
                       "695410157155224965700870633552926699553702162832057666177")
_M_BITS = {np.float64: 20, np.float32: 11}


def _pieces(value: Fraction, bits: int) -> tuple[float, float, float]:
    parts = []
    for _ in range(2):
        shift = bits - math.frexp(float(value))[1]
        piece = Fraction(round(value * 2**shift), 2**shift)  # `bits` significant bits
        parts.append(float(piece))
        value -= piece
    return parts[0], parts[1], float(value)


_QUARTER_PI_PIECES = {kind: _pieces(_QUARTER_PI, np.finfo(kind).nmant + 1 - bits - 1)
                      for kind, bits in _M_BITS.items()}


def _quarter_turn_offset(x: Array, alpha: float) -> tuple[Array, Array]:
    """t = alpha x + pi/4 - k pi for the nearest k (|t| <= pi/2), accurate relative to t,
    and where that reduction applies (|alpha x| below 2^M_BITS * pi/4)."""
    kind = x.dtype.type
    q1, q2, q3 = (kind(q) for q in _QUARTER_PI_PIECES[kind])
    hi, lo = st.product_exactly(x, alpha)
    ok = np.abs(hi) < kind(2.0 ** _M_BITS[kind] * float(_QUARTER_PI))
    z = np.where(ok, hi, 0).astype(x.dtype, copy=False)
    m = 4 * np.rint((z / q1 + 1) / 4) - 1  # alpha x - t = m pi/4 with m = 4k - 1
    return (((z - m * q1) - m * q2) + lo) - m * q3, ok


def _snake(x: Array, alpha: float) -> Array:
    s, _, finite = _sin_cos(x, alpha)
    # Where alpha x overflows, |x| > max/alpha and sin^2/alpha < 1/alpha is below an ulp
    # of x (and at +-inf, f = x is the limit).
    return x + np.where(finite, s * s / alpha, 0).astype(x.dtype, copy=False)


def _snake_df(x: Array, alpha: float) -> Array:
    # 1 + sin(2z) = 2 sin(z + pi/4)^2 = (sin z + cos z)^2. Near its double zeros the sum
    # cancels; sin of the reduced z + pi/4 - k pi does not.
    s, c, _ = _sin_cos(x, alpha)
    t, reduced = _quarter_turn_offset(x, alpha)
    return np.where(reduced, 2 * np.sin(t) ** 2, (s + c) ** 2)


def _snake_d2f(x: Array, alpha: float) -> Array:
    s, c, _ = _sin_cos(x, alpha)
    return 2 * alpha * (c - s) * (c + s)  # 2 alpha cos(2z)


SNAKE = Spec(
    name="snake", family="periodic", aliases=("Snake",),
    summary="x + sin(alpha x)^2 / alpha: a monotonic ramp with a periodic ripple, for "
            "audio (BigVGAN) and periodic signals.",
    formula="f(x) = x + sin(alpha * x)^2 / alpha",
    latex=r"f(x) = x + \frac{\sin^2(\alpha x)}{\alpha}",
    reference="Liu Ziyin, Hartwig & Ueda 2020, Neural Networks Fail to Learn Periodic "
              "Functions and How to Fix It; Lee et al. 2023, BigVGAN",
    params=(Param("alpha", 1.0, "frequency (learnable per channel in BigVGAN)",
                  low=0.0, low_open=True, aliases=("a",)),),
    f=_snake, df=_snake_df, d2f=_snake_d2f,
    output_range=REAL_LINE, monotonic="increasing", smoothness="Cinf",
    frameworks={},
    notes="No framework ships it (BigVGAN's activations.Snake does). f' = 1 + sin(2 alpha x) "
          "touches 0 at x = (k pi - pi/4) / alpha and has no limit at +-inf (NaN there).",
)


MODERN: tuple[Spec, ...] = (RELU_SQUARED, STAR_RELU, DYT, SPARSE_SIGMOID, SINE, SNAKE)
