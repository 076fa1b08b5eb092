"""Classic elementwise activations from tutorials and surveys that PyTorch, JAX and Keras
do not ship as activations: one `Spec` record each, with the conventions of `elementwise`.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np

from actcli.catalog import _stable as st
from actcli.catalog._stable import Array
from actcli.catalog.common import silu, silu_d2f, silu_df, zero
from actcli.catalog.elementwise import INF, NON_NEGATIVE, REAL_LINE
from actcli.catalog.spec import Interval, Param, Spec

NO_FRAMEWORK = "No framework ships it."


# --- step -------------------------------------------------------------------------------

def _step_range(value: float) -> Interval:
    return Interval(min(0.0, value), max(1.0, value), True, True)


BINARY_STEP = Spec(
    name="binary_step", family="step", aliases=("heaviside", "step", "Heaviside"),
    summary="1 for x > 0, 0 for x < 0: the perceptron's threshold unit.",
    formula="f(x) = 1 if x > 0, 0 if x < 0, value if x = 0",
    latex=r"f(x) = \begin{cases} 1 & x > 0 \\ v & x = 0 \\ 0 & x < 0 \end{cases}",
    reference="McCulloch & Pitts 1943; Rosenblatt 1958, The Perceptron",
    params=(Param("value", 1.0, "f(0); texts differ (1, 1/2 or 0)"),),
    f=lambda x, value: np.where(x > 0, 1, np.where(x < 0, 0, value)).astype(x.dtype),
    df=lambda x, value: zero(x), d2f=lambda x, value: zero(x),
    output_range=_step_range,
    monotonic=lambda value: "non-decreasing" if 0 <= value <= 1 else "no",
    smoothness="discontinuous", kinks=(0.0,),
    kink_rule="f' = 0 everywhere, at 0 too: the jump has no derivative, and 0 is the "
              "derivative everywhere else (no gradient reaches the input)",
    frameworks={"PyTorch": "torch.heaviside(x, values)", "JAX": "jax.numpy.heaviside(x, x2)"},
    notes="torch.heaviside and numpy/jax heaviside take f(0) as a required second argument "
          "(`values`); actcli's `value` defaults to 1, as most texts. PyTorch implements no "
          "derivative for heaviside; actcli's is 0.",
)


# --- sigmoid-like -----------------------------------------------------------------------

def _reciprocal_parts(x: Array) -> tuple[Array, Array]:
    """r = 1/x for |x| > 1 (else x) and whether |x| > 1: 1/(1 + x^2) is computed from
    whichever of x, 1/x is at most 1 in size, so x^2 never overflows."""
    big = np.abs(x) > 1
    safe = np.where(big, x, 1).astype(x.dtype, copy=False)
    return np.where(big, 1 / safe, x).astype(x.dtype, copy=False), big


def _arctan_df(x: Array) -> Array:
    r, big = _reciprocal_parts(x)
    q = 1 / (1 + r * r)
    return np.where(big, r * r * q, q)  # 1/(1+x^2) = r^2/(1+r^2) for r = 1/x


def _arctan_d2f(x: Array) -> Array:
    r, big = _reciprocal_parts(x)
    q = 1 / (1 + r * r)
    return np.where(big, -2 * r * (r * q) * (r * q), -2 * r * q * q)  # -2x/(1+x^2)^2


ARCTAN = Spec(
    name="arctan", family="sigmoid", aliases=("atan", "ArcTan"),
    summary="arctan(x): a sigmoid-shaped curve to (-pi/2, pi/2) with polynomial tails.",
    formula="f(x) = arctan(x)", latex=r"f(x) = \arctan(x)",
    reference="-",
    f=np.arctan, df=_arctan_df, d2f=_arctan_d2f,
    output_range=Interval(-math.pi / 2, math.pi / 2), monotonic="increasing", smoothness="Cinf",
    frameworks={"PyTorch": "torch.atan", "JAX": "jax.numpy.arctan", "Keras": "keras.ops.arctan"},
    notes="Frameworks have it as a math function, not among the activations.",
)


def _isru_parts(x: Array, alpha: float) -> tuple[Array, Array]:
    """g = u / sqrt(1 + u^2) and w = 1 / sqrt(1 + u^2) with u = sqrt(alpha) x, from 1/u
    where |u| > 1 (u^2 and even u may overflow there)."""
    with np.errstate(over="ignore"):
        u = math.sqrt(alpha) * x
    v, big = _reciprocal_parts(u)
    h = np.hypot(1, v)
    w = np.where(big, np.abs(v) / h, 1 / h)
    g = np.where(big, np.copysign(1 / h, u), v / h)
    return g.astype(x.dtype, copy=False), w.astype(x.dtype, copy=False)


def _isru(x: Array, alpha: float) -> Array:
    return _isru_parts(x, alpha)[0] / math.sqrt(alpha)


def _isru_df(x: Array, alpha: float) -> Array:
    w = _isru_parts(x, alpha)[1]
    return w * w * w


def _isru_d2f(x: Array, alpha: float) -> Array:
    g, w = _isru_parts(x, alpha)
    return -3 * math.sqrt(alpha) * g * (w * w) * (w * w)  # -3 alpha x (1 + alpha x^2)^(-5/2)


ALPHA = Param("alpha", 1.0, "1/sqrt(alpha) is the saturation value", low=0.0, low_open=True)

ISRU = Spec(
    name="isru", family="sigmoid", aliases=("ISRU",),
    summary="x / sqrt(1 + alpha x^2): a tanh-like curve to +-1/sqrt(alpha) without exponentials.",
    formula="f(x) = x / sqrt(1 + alpha * x^2)", latex=r"f(x) = \frac{x}{\sqrt{1 + \alpha x^2}}",
    reference="Carlile et al. 2017, Improving Deep Learning by Inverse Square Root Linear Units (ISRLUs)",
    params=(ALPHA,),
    f=_isru, df=_isru_df, d2f=_isru_d2f,
    output_range=lambda alpha: Interval(-1 / math.sqrt(alpha), 1 / math.sqrt(alpha)),
    monotonic="increasing", smoothness="Cinf",
    frameworks={},
    notes=NO_FRAMEWORK + " Computed from 1/x for large |x|, where x^2 overflows.",
)


def _sqnl(x: Array) -> Array:
    xc = np.clip(x, -2, 2)
    return np.where(x >= 2, 1, np.where(x <= -2, -1, xc * (1 - np.abs(xc) / 4))).astype(x.dtype)


SQNL = Spec(
    name="sqnl", family="sigmoid", aliases=("SQNL",),
    summary="Square nonlinearity: a piecewise-quadratic tanh, exactly +-1 beyond |x| = 2.",
    formula="f(x) = x - sign(x) x^2 / 4 for |x| <= 2, sign(x) beyond",
    latex=r"f(x) = \begin{cases} 1 & x > 2 \\ x - \frac{x^2}{4} & 0 \le x \le 2 \\ "
          r"x + \frac{x^2}{4} & -2 \le x < 0 \\ -1 & x < -2 \end{cases}",
    reference="Wuraola & Patel 2018, SQNL: A New Computationally Efficient Activation Function",
    f=_sqnl,
    df=lambda x: np.where(np.abs(x) >= 2, 0, 1 - np.abs(np.clip(x, -2, 2)) / 2).astype(x.dtype),
    d2f=lambda x: st.where_inside(x, -2, 2, -np.sign(x) / 2),
    output_range=Interval(-1.0, 1.0, True, True), monotonic="non-decreasing", smoothness="C1",
    kinks=(-2.0, 0.0, 2.0),
    kink_rule="f'' = 0 at 0 (sign(0) = 0, as softsign) and at +-2 (the outer pieces, as hardtanh)",
    frameworks={}, notes=NO_FRAMEWORK,
)


def _penalty(x: Array, a: float) -> Array:
    return np.where(x > 0, 1, a).astype(x.dtype)


def _penalized_tanh(x: Array, a: float) -> Array:
    t = np.tanh(x)
    return np.where(x > 0, t, a * t)


PENALIZED_TANH = Spec(
    name="penalized_tanh", family="sigmoid", aliases=("PenalizedTanh",),
    summary="tanh(x) for x > 0, a tanh(x) below: tanh with the negative side damped.",
    formula="f(x) = tanh(x) if x > 0 else a * tanh(x)",
    latex=r"f(x) = \begin{cases} \tanh(x) & x > 0 \\ a \tanh(x) & x \le 0 \end{cases}",
    reference="Xu, Huang & Li 2016, Revise Saturated Activation Functions; Eger, Youssef & "
              "Gurevych 2018, Is it Time to Swish?",
    params=(Param("a", 0.25, "factor for x <= 0", low=0.0, low_open=True, high=1.0),),
    f=_penalized_tanh,
    df=lambda x, a: _penalty(x, a) * st.sech2(x),
    d2f=lambda x, a: _penalty(x, a) * -2 * np.tanh(x) * st.sech2(x),
    output_range=lambda a: Interval(-a, 1.0), monotonic="increasing",
    smoothness=lambda a: "Cinf" if a == 1 else "C0",
    kinks=lambda a: () if a == 1 else (0.0,),
    kink_rule="f'(0) = a (the negative branch, as leaky_relu)",
    frameworks={}, notes=NO_FRAMEWORK + " a = 1 gives tanh.",
)


# --- ReLU-like --------------------------------------------------------------------------

def _bent_identity(x: Array) -> Array:
    xf = np.where(np.isinf(x), 0, x).astype(x.dtype, copy=False)  # f(+-inf) = +-inf
    ax = np.abs(xf)
    # (sqrt(x^2+1) - 1) cancels near 0; it equals x^2 / (sqrt(x^2+1) + 1), here as
    # |x| * (|x| / (r + 1)) so that x^2 does not overflow.
    bend = ax * (ax / (np.hypot(xf, 1) + 1))
    with np.errstate(over="ignore"):  # beyond 1.2e308 the true value overflows too
        return np.where(np.isinf(x), x, xf + bend / 2)


def _bent_identity_df(x: Array) -> Array:
    xf = np.where(np.isinf(x), 0, x).astype(x.dtype, copy=False)
    ratio = np.where(np.isinf(x), np.sign(x), xf / np.hypot(xf, 1))  # x / sqrt(x^2 + 1)
    return ratio / 2 + 1


BENT_IDENTITY = Spec(
    name="bent_identity", family="linear", aliases=("BentIdentity",),
    summary="(sqrt(x^2 + 1) - 1) / 2 + x: slope 1/2 on the left, 3/2 on the right, smooth "
            "in between.",
    formula="f(x) = (sqrt(x^2 + 1) - 1) / 2 + x", latex=r"f(x) = \frac{\sqrt{x^2 + 1} - 1}{2} + x",
    reference="-",
    f=_bent_identity, df=_bent_identity_df,
    d2f=lambda x: 0.5 / np.hypot(x, 1) / np.hypot(x, 1) / np.hypot(x, 1),
    output_range=REAL_LINE, monotonic="increasing", smoothness="Cinf",
    frameworks={},
    notes=NO_FRAMEWORK + " Near 0 sqrt(x^2+1) - 1 is computed as x^2 / (sqrt(x^2+1) + 1).",
)


def _isrlu(x: Array, alpha: float) -> Array:
    return np.where(x >= 0, x, _isru(st.nonpositive(x), alpha))


ISRLU = Spec(
    name="isrlu", family="elu", aliases=("ISRLU",),
    summary="x for x >= 0, x / sqrt(1 + alpha x^2) below: an ELU-like unit without exponentials.",
    formula="f(x) = x if x >= 0 else x / sqrt(1 + alpha * x^2)",
    latex=r"f(x) = \begin{cases} x & x \ge 0 \\ \frac{x}{\sqrt{1 + \alpha x^2}} & x < 0 \end{cases}",
    reference="Carlile et al. 2017, Improving Deep Learning by Inverse Square Root Linear Units (ISRLUs)",
    params=(ALPHA,),
    f=_isrlu,
    df=lambda x, alpha: np.where(x >= 0, 1, _isru_df(st.nonpositive(x), alpha)).astype(x.dtype),
    d2f=lambda x, alpha: np.where(x >= 0, 0, _isru_d2f(st.nonpositive(x), alpha)).astype(x.dtype),
    output_range=lambda alpha: Interval(-1 / math.sqrt(alpha), INF),
    monotonic="increasing", smoothness="C2", kinks=(0.0,),
    kink_rule="f, f' and f'' are continuous at 0 (f'(0) = 1, f''(0) = 0); f''' jumps",
    frameworks={}, notes=NO_FRAMEWORK,
)


def _smelu(x: Array, beta: float) -> Array:
    xc = np.clip(x, -beta, beta)
    return np.where(x <= -beta, 0, np.where(x >= beta, x, (xc + beta) ** 2 / (4 * beta))).astype(x.dtype)


SMELU = Spec(
    name="smelu", family="softplus", aliases=("SmeLU",),
    summary="0 below -beta, (x + beta)^2 / (4 beta) on [-beta, beta], x above: a C1 ReLU "
            "smoothed by a quadratic piece.",
    formula="f(x) = 0 if x <= -beta, (x + beta)^2 / (4 beta) if |x| < beta, x if x >= beta",
    latex=r"f(x) = \begin{cases} 0 & x \le -\beta \\ \frac{(x + \beta)^2}{4\beta} & |x| < \beta "
          r"\\ x & x \ge \beta \end{cases}",
    reference="Shamir, Lin & Coviello 2020, Smooth Activations and Reproducibility in Deep Networks",
    params=(Param("beta", 2.0, "half-width of the quadratic piece", low=0.0, low_open=True),),
    f=_smelu,
    df=lambda x, beta: np.where(x <= -beta, 0, np.where(
        x >= beta, 1, (np.clip(x, -beta, beta) + beta) / (2 * beta))).astype(x.dtype),
    d2f=lambda x, beta: st.where_inside(x, -beta, beta, 1 / (2 * beta)),
    output_range=NON_NEGATIVE, monotonic="non-decreasing", smoothness="C1",
    kinks=lambda beta: (-beta, beta), kink_rule="f'' = 0 at -beta and beta (f' is continuous there)",
    frameworks={}, notes=NO_FRAMEWORK + " sparse_plus is smelu with beta = 1.",
)


# --- self-gated (x times a gate) --------------------------------------------------------

def _lisht_d2f(x: Array) -> Array:
    t, s = np.tanh(x), st.sech2(x)
    return 2 * s - 2 * st.times_vanishing(x * t, s)  # 2 sech^2 (1 - x tanh x)


LISHT = Spec(
    name="lisht", family="self-gated", aliases=("LiSHT",),
    summary="x tanh(x): a symmetric, non-negative, unbounded curve.",
    formula="f(x) = x * tanh(x)", latex=r"f(x) = x \tanh(x)",
    reference="Roy et al. 2019, LiSHT: Non-Parametric Linearly Scaled Hyperbolic Tangent "
              "Activation Function for Neural Networks",
    f=lambda x: x * np.tanh(x),
    df=lambda x: np.tanh(x) + st.times_vanishing(x, st.sech2(x)),
    d2f=_lisht_d2f,
    output_range=NON_NEGATIVE, monotonic="no", smoothness="Cinf",
    frameworks={}, notes=NO_FRAMEWORK,
)


def _gcu(x: Array) -> Array:
    xf = np.where(np.isinf(x), 0, x).astype(x.dtype, copy=False)
    return st.no_limit(x, xf * np.cos(xf))


def _gcu_df(x: Array) -> Array:
    xf = np.where(np.isinf(x), 0, x).astype(x.dtype, copy=False)
    return st.no_limit(x, np.cos(xf) - xf * np.sin(xf))


def _gcu_d2f(x: Array) -> Array:
    xf = np.where(np.isinf(x), 0, x).astype(x.dtype, copy=False)
    return st.no_limit(x, -2 * np.sin(xf) - xf * np.cos(xf))


GCU = Spec(
    name="gcu", family="periodic", aliases=("GCU",),
    summary="x cos(x): an oscillating unit whose many zeros let one neuron separate XOR.",
    formula="f(x) = x * cos(x)", latex=r"f(x) = x \cos(x)",
    reference="Noel et al. 2021, Growing Cosine Unit: A Novel Oscillatory Activation Function",
    f=_gcu, df=_gcu_df, d2f=_gcu_d2f,
    output_range=REAL_LINE, monotonic="no", smoothness="Cinf",
    frameworks={},
    notes=NO_FRAMEWORK + " No limit at +-inf: f, f' and f'' are NaN there.",
)


@cache
def _erf() -> Any:
    """SciPy's erf (accurate for tiny arguments), imported on first use."""
    from scipy.special import erf

    return erf


_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
# exp(-sp^2) is 0 in float64 beyond sp = 27.3; clipping sp keeps sp^2 finite.
_SERF_CLIP = 40.0


def _serf_parts(x: Array) -> tuple[Array, Array, Array, Array]:
    """erf(sp), its x-derivative g1 = (2/sqrt(pi)) e^(-sp^2) s, and g2 = g1' with
    sp = softplus(x), s = sigmoid(x)."""
    xc = np.clip(x, -st.SATURATION, st.SATURATION)
    sp = st.softplus(xc)
    s, ds = st.sigmoid(xc), st.sigmoid_prime(xc)
    spc = np.minimum(sp, _SERF_CLIP)
    e = _TWO_OVER_SQRT_PI * np.exp(-spc * spc)
    return _erf()(sp), e * s, e * (ds - 2 * sp * s * s), xc


def _serf(x: Array) -> Array:
    return st.times_vanishing(x, _serf_parts(x)[0])


def _serf_df(x: Array) -> Array:
    g, g1, _, xc = _serf_parts(x)
    return g + xc * g1


def _serf_d2f(x: Array) -> Array:
    _, g1, g2, xc = _serf_parts(x)
    return 2 * g1 + xc * g2


SERF_MIN = -0.34843745875960642  # at x = -1.1930599689281880


SERF = Spec(
    name="serf", family="self-gated", aliases=("Serf",),
    summary="x erf(softplus(x)): a Mish-like self-gated unit with the error function as gate.",
    formula="f(x) = x * erf(log(1 + exp(x)))", latex=r"f(x) = x \operatorname{erf}(\ln(1 + e^{x}))",
    reference="Nag & Bhattacharyya 2021, SERF: Towards Better Training of Deep Neural Networks "
              "Using Log-Softplus ERror Activation Function",
    f=_serf, df=_serf_df, d2f=_serf_d2f,
    output_range=Interval(SERF_MIN, INF, low_closed=True), monotonic="no", smoothness="Cinf",
    frameworks={}, notes=NO_FRAMEWORK,
)


_TANHEXP_CLIP = 20.0  # beyond, tanh(e^x) = 1 and e^x sech^2(e^x) = 0 in float64


def _tanhexp_parts(x: Array) -> tuple[Array, Array, Array, Array]:
    """tanh(u), u sech^2(u) and u tanh(u) for u = e^x, and x clipped below at -SATURATION."""
    xc = np.clip(x, -st.SATURATION, _TANHEXP_CLIP)
    u = np.exp(xc)
    t = np.tanh(u)
    return t, u * st.sech2(u), u * t, np.maximum(x, -st.SATURATION)


def _tanhexp(x: Array) -> Array:
    return st.times_vanishing(x, _tanhexp_parts(x)[0])


def _tanhexp_df(x: Array) -> Array:
    t, us, _, xl = _tanhexp_parts(x)
    return t + st.times_vanishing(xl, us)


def _tanhexp_d2f(x: Array) -> Array:
    _, us, ut, xl = _tanhexp_parts(x)
    # f'' = 2 u S + x u S (1 - 2 u T) with u = e^x, T = tanh u, S = sech^2 u
    return 2 * us + st.times_vanishing(xl, us * (1 - 2 * ut))


TANHEXP_MIN = -0.35328577784821127  # at x = -1.0788600584646241


TANHEXP = Spec(
    name="tanhexp", family="self-gated", aliases=("TanhExp",),
    summary="x tanh(e^x): close to x for x > 1, a shallow dip below 0 for lightweight networks.",
    formula="f(x) = x * tanh(exp(x))", latex=r"f(x) = x \tanh(e^{x})",
    reference="Liu & Di 2021, TanhExp: A Smooth Activation Function with High Convergence "
              "Speed for Lightweight Neural Networks",
    f=_tanhexp, df=_tanhexp_df, d2f=_tanhexp_d2f,
    output_range=Interval(TANHEXP_MIN, INF, low_closed=True), monotonic="no", smoothness="Cinf",
    frameworks={},
    notes=NO_FRAMEWORK + " For x > 20, tanh(e^x) is 1 to far below an ulp and f = x.",
)


def _elish_negative(x: Array) -> tuple[Array, Array, Array, Array, Array]:
    """e^x, e^x - 1, sigmoid and its two derivatives, at min(x, 0)."""
    xn = np.clip(x, -st.SATURATION, 0)
    return np.exp(xn), np.expm1(xn), st.sigmoid(xn), st.sigmoid_prime(xn), st.sigmoid_second(xn)


def _nonnegative(x: Array) -> Array:
    """max(x, 0) that keeps -0.0 (silu(-0.0) = -0.0)."""
    return np.where(x >= 0, x, 0).astype(x.dtype, copy=False)


def _elish(x: Array) -> Array:
    _, em1, s, _, _ = _elish_negative(x)
    return np.where(x >= 0, silu(_nonnegative(x), 1.0), em1 * s)


def _elish_df(x: Array) -> Array:
    e, em1, s, ds, _ = _elish_negative(x)
    return np.where(x >= 0, silu_df(_nonnegative(x), 1.0), e * s + em1 * ds)


def _elish_d2f(x: Array) -> Array:
    e, em1, s, ds, d2s = _elish_negative(x)
    return np.where(x >= 0, silu_d2f(_nonnegative(x), 1.0), e * s + 2 * e * ds + em1 * d2s)


ELISH_MIN = -0.17157287525380990  # 2 sqrt(2) - 3, at x = -asinh(1)


ELISH = Spec(
    name="elish", family="self-gated", aliases=("ELiSH",),
    summary="x sigmoid(x) for x >= 0, (e^x - 1) sigmoid(x) below: SiLU on the right, an "
            "ELU times a sigmoid on the left.",
    formula="f(x) = x * sigmoid(x) if x >= 0 else (exp(x) - 1) * sigmoid(x)",
    latex=r"f(x) = \begin{cases} x\,\sigma(x) & x \ge 0 \\ (e^{x} - 1)\,\sigma(x) & x < 0 \end{cases}",
    reference="Basirat & Roth 2018, The Quest for the Golden Activation Function",
    f=_elish, df=_elish_df, d2f=_elish_d2f,
    output_range=Interval(ELISH_MIN, INF, low_closed=True), monotonic="no", smoothness="C1",
    kinks=(0.0,), kink_rule="f'(0) = 1/2 from both sides; f''(0) = 1/2 (the x >= 0 branch; "
                            "the left limit is 1)",
    frameworks={}, notes=NO_FRAMEWORK,
)


# --- radial -----------------------------------------------------------------------------

_GAUSSIAN_CLIP = 40.0  # exp(-1600) is 0 in float64 and float32


def _gaussian_parts(x: Array) -> tuple[Array, Array, Array, Array]:
    """x clipped, exp(-x^2) (x^2 split as hi + lo: correct to an ulp), hi and lo."""
    xc = np.clip(x, -_GAUSSIAN_CLIP, _GAUSSIAN_CLIP)
    hi, lo = st.square_exactly(xc)
    return xc, np.exp(-hi) * (1 - lo), hi, lo


def _gaussian_df(x: Array) -> Array:
    xc, e, _, _ = _gaussian_parts(x)
    return -2 * xc * e


def _gaussian_d2f(x: Array) -> Array:
    _, e, hi, lo = _gaussian_parts(x)
    return 2 * ((2 * hi - 1) + 2 * lo) * e  # 2 (2x^2 - 1) e^(-x^2); 2 hi - 1 is exact near the root


GAUSSIAN = Spec(
    name="gaussian", family="radial", aliases=("Gaussian", "rbf"),
    summary="exp(-x^2): a bump at 0, the radial basis function activation.",
    formula="f(x) = exp(-x^2)", latex=r"f(x) = e^{-x^2}",
    reference="Broomhead & Lowe 1988, Multivariable Functional Interpolation and Adaptive Networks",
    f=lambda x: _gaussian_parts(x)[1], df=_gaussian_df, d2f=_gaussian_d2f,
    output_range=Interval(0.0, 1.0, high_closed=True), monotonic="no", smoothness="Cinf",
    frameworks={}, notes=NO_FRAMEWORK + " x^2 is split into two floats, so that "
                                        "exp(-x^2) keeps full precision in the tails.",
)


CLASSIC: tuple[Spec, ...] = (
    BINARY_STEP, ARCTAN, ISRU, SQNL, PENALIZED_TANH,
    BENT_IDENTITY, ISRLU, SMELU,
    LISHT, GCU, SERF, TANHEXP, ELISH,
    GAUSSIAN,
)
