"""Elementwise activations: one `Spec` record each, after the closed forms it uses.

Conventions (PyTorch's, see each record's `kink_rule`): at a kink the derivative is the
one-sided value PyTorch's autograd returns, e.g. relu'(0) = 0, leaky_relu'(0) = slope,
hardtanh' = 0 at both borders. Where frameworks differ, `notes` says how.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from actcli.catalog import _stable as st
from actcli.catalog._stable import QUICK_GELU_BETA, QUICK_GELU_BETA_LOW, Array
from actcli.catalog.common import (
    compiled_loop,
    framework_names,
    gelu,
    gelu_and_prime,
    gelu_d2f,
    gelu_df,
    one,
    relu,
    relu_and_prime,
    relu_df,
    silu,
    silu_and_prime,
    silu_d2f,
    silu_df,
    zero,
)
from actcli.catalog.spec import Interval, Param, Spec

INF = math.inf
REAL_LINE = Interval(-INF, INF)
NON_NEGATIVE = Interval(0.0, INF, low_closed=True)


# --- identity ---------------------------------------------------------------------------

IDENTITY = Spec(
    name="identity", family="linear", aliases=("linear", "Identity"),
    summary="Passes its input through; the output layer of a regression model.",
    formula="f(x) = x", latex=r"f(x) = x",
    reference="-",
    f=lambda x: x.copy(), df=one, d2f=zero,
    output_range=REAL_LINE, monotonic="increasing", smoothness="Cinf",
    frameworks=framework_names(keras="linear") | {"PyTorch": "torch.nn.Identity"},
    notes="A network of linear layers with identity activations is itself one linear map.",
)


# --- sigmoid family ---------------------------------------------------------------------

SIGMOID = Spec(
    name="sigmoid", family="sigmoid", aliases=("logistic", "expit", "Sigmoid"),
    summary="Squashes to (0, 1); outputs read as probabilities, gradients vanish in the tails.",
    formula="f(x) = 1 / (1 + exp(-x))", latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    reference="Verhulst's logistic function; in neural networks: Rumelhart, Hinton & Williams 1986",
    f=st.sigmoid,
    df=st.sigmoid_prime,
    d2f=st.sigmoid_second,
    value_and_grad=st.sigmoid_and_prime,
    compiled=compiled_loop("sigmoid"),
    output_range=Interval(0.0, 1.0), monotonic="increasing", smoothness="Cinf",
    frameworks=framework_names("sigmoid", "sigmoid", "sigmoid"),
    notes="f' = f(x) f(-x) <= 1/4, computed as e/(1+e)^2 with e = exp(-|x|) so it stays "
          "exact in the tails where s(1-s) rounds to 0.",
)

TANH = Spec(
    name="tanh", family="sigmoid", aliases=("Tanh",),
    summary="Squashes to (-1, 1), zero-centred; a rescaled sigmoid: tanh(x) = 2 sigmoid(2x) - 1.",
    formula="f(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))", latex=r"\tanh(x)",
    reference="LeCun et al. 1998, Efficient BackProp",
    f=np.tanh,
    df=st.sech2,
    d2f=lambda x: -2 * np.tanh(x) * st.sech2(x),
    value_and_grad=lambda x: (np.tanh(x), st.sech2(x)),
    compiled=compiled_loop("tanh"),
    output_range=Interval(-1.0, 1.0), monotonic="increasing", smoothness="Cinf",
    frameworks=framework_names("tanh", "tanh", "tanh"),
    notes="f' = sech(x)^2 is computed from exp(-2|x|), not 1 - tanh(x)^2, which is 0 for "
          "|x| > 19 where the true value is still above 1e-16.",
)


def _softsign(x: Array) -> Array:
    ax = np.abs(x)
    small = np.minimum(ax, 1)
    # |x|/(1+|x|) below 1; 1 - 1/(1+|x|) above, which is not inf/inf at inf.
    return np.copysign(np.where(ax < 1, small / (1 + small), 1 - 1 / (1 + ax)), x)


SOFTSIGN = Spec(
    name="softsign", family="sigmoid", aliases=("soft_sign", "Softsign"),
    summary="x / (1 + |x|): like tanh but with polynomial, slower-saturating tails.",
    formula="f(x) = x / (1 + |x|)", latex=r"f(x) = \frac{x}{1 + |x|}",
    reference="Bergstra et al. 2009; Glorot & Bengio 2010",
    f=_softsign,
    df=lambda x: (1 / (1 + np.abs(x))) ** 2,
    d2f=lambda x: -2 * np.sign(x) * (1 / (1 + np.abs(x))) ** 3,
    output_range=Interval(-1.0, 1.0), monotonic="increasing", smoothness="C1",
    kinks=(0.0,), kink_rule="f''(0) = 0 (f'' jumps from +2 to -2; sign(0) = 0 as autograd of |x|)",
    frameworks=framework_names("softsign", "soft_sign", "softsign"),
)

HARDSIGMOID = Spec(
    name="hardsigmoid", family="sigmoid", aliases=("hard_sigmoid", "Hardsigmoid"),
    summary="Piecewise-linear sigmoid relu6(x + 3) / 6: 0 below -3, 1 above 3.",
    formula="f(x) = min(max(x + 3, 0), 6) / 6", latex=r"f(x) = \frac{\min(\max(x + 3, 0), 6)}{6}",
    reference="Howard et al. 2019, Searching for MobileNetV3",
    f=lambda x: np.where(x <= -3, 0, np.where(x >= 3, 1, (x + 3) / 6)).astype(x.dtype),
    df=lambda x: st.where_inside(x, -3, 3, 1 / 6),
    d2f=zero,
    output_range=Interval(0.0, 1.0, True, True), monotonic="non-decreasing", smoothness="C0",
    kinks=(-3.0, 3.0), kink_rule="f'(-3) = f'(3) = 0 (PyTorch)",
    frameworks=framework_names("hardsigmoid", "hard_sigmoid", "hard_sigmoid"),
    notes="Keras 2 used clip(0.2x + 0.5, 0, 1) (kinks at +-2.5); Keras 3, JAX and PyTorch use "
          "relu6(x+3)/6. PyTorch's float64 backward multiplies by a float32 1/6 "
          "(relative error 3e-8); actcli divides by 6 exactly.",
)


def _hardtanh_range(min_val: float, max_val: float) -> Interval:
    return Interval(min_val, max_val, True, True)


HARDTANH = Spec(
    name="hardtanh", family="sigmoid", aliases=("hard_tanh", "Hardtanh"),
    summary="Clips to [min_val, max_val]; a piecewise-linear tanh.",
    formula="f(x) = min(max(x, min_val), max_val)",
    latex=r"f(x) = \min(\max(x, a), b)",
    reference="Collobert 2004, Large Scale Machine Learning (PhD thesis)",
    params=(Param("min_val", -1.0, "lower clip value"), Param("max_val", 1.0, "upper clip value")),
    constraint=lambda min_val, max_val: None if min_val < max_val
    else f"min_val ({min_val:g}) must be below max_val ({max_val:g})",
    f=lambda x, min_val, max_val: np.clip(x, min_val, max_val),
    df=lambda x, min_val, max_val: st.where_inside(x, min_val, max_val, 1),
    d2f=zero,
    output_range=_hardtanh_range, monotonic="non-decreasing", smoothness="C0",
    kinks=lambda min_val, max_val: (min_val, max_val),
    kink_rule="f' = 0 at both borders (PyTorch; JAX's hard_tanh gives 1 there)",
    frameworks=framework_names("hardtanh", "hard_tanh", "hard_tanh"),
    notes="JAX and Keras fix the borders at -1 and 1.",
)

def _log_sigmoid_and_prime(x: Array) -> tuple[Array, Array]:
    e = st.exp_neg_abs(x)
    d = e + 1
    return np.minimum(x, 0) - np.log1p(e), st.sigmoid_from(-x, e, d)


LOG_SIGMOID = Spec(
    name="log_sigmoid", family="sigmoid", aliases=("logsigmoid", "LogSigmoid"),
    summary="log(sigmoid(x)) = -softplus(-x): the log-probability in logistic losses.",
    formula="f(x) = -log(1 + exp(-x))", latex=r"f(x) = \log \sigma(x) = -\log(1 + e^{-x})",
    reference="-",
    f=lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))),
    df=lambda x: st.sigmoid(-x),
    d2f=lambda x: -st.sigmoid_prime(x),
    value_and_grad=_log_sigmoid_and_prime,
    compiled=compiled_loop("log_sigmoid"),
    output_range=Interval(-INF, 0.0), monotonic="increasing", smoothness="Cinf",
    frameworks=framework_names("logsigmoid", "log_sigmoid", "log_sigmoid"),
)


# --- ReLU family ------------------------------------------------------------------------

RELU = Spec(
    name="relu", family="relu", aliases=("ReLU", "rectifier"),
    summary="max(0, x): the default hidden-layer activation; units with x < 0 get no gradient.",
    formula="f(x) = max(0, x)", latex=r"f(x) = \max(0, x)",
    reference="Nair & Hinton 2010; Glorot, Bordes & Bengio 2011",
    f=relu,
    df=relu_df,
    d2f=zero,
    value_and_grad=relu_and_prime,
    compiled=compiled_loop("relu"),
    output_range=NON_NEGATIVE, monotonic="non-decreasing", smoothness="C0",
    kinks=(0.0,), kink_rule="relu'(0) = 0 (PyTorch, JAX)",
    frameworks=framework_names("relu", "relu", "relu"),
)


def _leaky(x: Array, slope: float) -> Array:
    # slope == 0 would make 0 * -inf = NaN at x = -inf; the limit there is 0.
    negative = np.zeros_like(x) if slope == 0 else slope * x
    return np.where(x > 0, x, negative)


def _leaky_df(x: Array, slope: float) -> Array:
    return np.where(x > 0, 1, slope).astype(x.dtype)


def _leaky_range(slope: float) -> Interval:
    return REAL_LINE if slope > 0 else NON_NEGATIVE


def _leaky_monotonic(slope: float) -> str:
    return "increasing" if slope > 0 else "non-decreasing" if slope == 0 else "no"


def _negative_slope_unit(slope_of: Callable[..., float]) -> dict[str, Any]:
    """Numerics and declared properties of `x if x > 0 else slope * x`, for the records
    whose slope comes from their parameters (leaky_relu, prelu, rrelu)."""
    return {
        "f": lambda x, **p: _leaky(x, slope_of(**p)),
        "df": lambda x, **p: _leaky_df(x, slope_of(**p)),
        "d2f": lambda x, **p: zero(x),
        "output_range": lambda **p: _leaky_range(slope_of(**p)),
        "monotonic": lambda **p: _leaky_monotonic(slope_of(**p)),
        "smoothness": lambda **p: "Cinf" if slope_of(**p) == 1 else "C0",
        "kinks": lambda **p: () if slope_of(**p) == 1 else (0.0,),
    }


LEAKY_RELU = Spec(
    name="leaky_relu", family="relu", aliases=("LeakyReLU", "lrelu"),
    summary="x for x > 0, negative_slope * x otherwise: keeps a gradient for negative inputs.",
    formula="f(x) = x if x > 0 else negative_slope * x",
    latex=r"f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}",
    reference="Maas, Hannun & Ng 2013, Rectifier Nonlinearities Improve Neural Network Acoustic Models",
    params=(Param("negative_slope", 0.01, "slope for x <= 0", aliases=("alpha", "slope")),),
    **_negative_slope_unit(lambda negative_slope: negative_slope),
    kink_rule="f'(0) = negative_slope (PyTorch; JAX gives 1)",
    frameworks=framework_names("leaky_relu", "leaky_relu", "leaky_relu"),
    notes="Default slopes differ: PyTorch and JAX 0.01, keras.activations.leaky_relu 0.2, "
          "the Keras LeakyReLU layer 0.3. `alpha` is accepted as another name for the slope.",
)

PRELU = Spec(
    name="prelu", family="relu", aliases=("PReLU",),
    summary="Leaky ReLU whose slope is learned; here the slope is the parameter `weight`.",
    formula="f(x) = x if x > 0 else weight * x",
    latex=r"f(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases}",
    reference="He et al. 2015, Delving Deep into Rectifiers",
    params=(Param("weight", 0.25, "slope for x <= 0 (PyTorch's initial value)", aliases=("a",)),),
    **_negative_slope_unit(lambda weight: weight),
    kink_rule="f'(0) = weight (PyTorch: the negative branch is used at 0)",
    frameworks={"PyTorch": "torch.nn.functional.prelu", "Keras": "keras.layers.PReLU"},
    notes="PyTorch initialises weight to 0.25, Keras' PReLU layer to 0. In a network the "
          "slope is one learned value per channel.",
)


RRELU = Spec(
    name="rrelu", family="relu", aliases=("RReLU",),
    summary="Randomised leaky ReLU; at inference the slope is the mean (lower + upper) / 2.",
    formula="f(x) = x if x > 0 else (lower + upper) / 2 * x",
    latex=r"f(x) = \begin{cases} x & x > 0 \\ \frac{l + u}{2} x & x \le 0 \end{cases}",
    reference="Xu et al. 2015, Empirical Evaluation of Rectified Activations in Convolutional Network",
    params=(Param("lower", 1 / 8, "lower bound of the random slope", low=0.0),
            Param("upper", 1 / 3, "upper bound of the random slope", low=0.0)),
    constraint=lambda lower, upper: None if lower <= upper
    else f"lower ({lower:g}) must not exceed upper ({upper:g})",
    **_negative_slope_unit(lambda lower, upper: (lower + upper) / 2),
    kink_rule="f'(0) = (lower + upper) / 2 (the negative branch, as leaky_relu)",
    frameworks={"PyTorch": "torch.nn.functional.rrelu"},
    notes="In training PyTorch draws the slope uniformly from [lower, upper] per element; "
          "actcli shows the deterministic inference behaviour (training=False).",
)

RELU6 = Spec(
    name="relu6", family="relu", aliases=("ReLU6",),
    summary="ReLU capped at 6: min(max(0, x), 6), robust for low-precision inference.",
    formula="f(x) = min(max(0, x), 6)", latex=r"f(x) = \min(\max(0, x), 6)",
    reference="Krizhevsky 2010, Convolutional Deep Belief Networks on CIFAR-10",
    f=lambda x: np.where(x <= 0, 0, np.minimum(x, 6)).astype(x.dtype),
    df=lambda x: st.where_inside(x, 0, 6, 1),
    d2f=zero,
    output_range=Interval(0.0, 6.0, True, True), monotonic="non-decreasing", smoothness="C0",
    kinks=(0.0, 6.0), kink_rule="f'(0) = f'(6) = 0 (PyTorch)",
    frameworks=framework_names("relu6", "relu6", "relu6"),
)


def _threshold_range(threshold: float, value: float) -> Interval:
    return Interval(min(threshold, value), INF, low_closed=value <= threshold)


THRESHOLD = Spec(
    name="threshold", family="relu", aliases=("Threshold",),
    summary="x above `threshold`, the constant `value` at or below it.",
    formula="f(x) = x if x > threshold else value",
    latex=r"f(x) = \begin{cases} x & x > t \\ v & x \le t \end{cases}",
    reference="-",
    params=(Param("threshold", 0.0, "inputs at or below it are replaced"),
            Param("value", 0.0, "the replacement value", aliases=("default_value",))),
    f=lambda x, threshold, value: np.where(x > threshold, x, value).astype(x.dtype),
    df=lambda x, threshold, value: np.where(x > threshold, 1, 0).astype(x.dtype),
    d2f=lambda x, threshold, value: zero(x),
    output_range=_threshold_range,
    monotonic=lambda threshold, value: "non-decreasing" if value <= threshold else "no",
    smoothness=lambda threshold, value: "C0" if value == threshold else "discontinuous",
    kinks=lambda threshold, value: (threshold,),
    kink_rule="f'(threshold) = 0 (PyTorch)",
    frameworks={"PyTorch": "torch.nn.functional.threshold", "Keras": "keras.activations.threshold"},
    notes="PyTorch has no defaults (threshold and value are required); actcli's 0, 0 make it "
          "relu. Keras calls the replacement `default_value`.",
)


# --- exponential linear units -----------------------------------------------------------

def _elu_arg(x: Array) -> Array:
    """x where x <= 0 (signed zeros kept, unlike np.minimum(x, 0)), and at most 1, so
    that exp and expm1 of the unused positive branch cannot overflow."""
    return np.minimum(x, 1.0)


def _elu(x: Array, alpha: float) -> Array:
    value = np.expm1(_elu_arg(x))
    if alpha != 1:  # (times 1 is exact)
        value *= alpha
    return st.select(x > 0, x, value)


def _elu_df(x: Array, alpha: float) -> Array:
    # exp(min(x, 0)) is already 1 for x > 0 (and for +-0 alike); alpha * 1 is not.
    slope = np.exp(np.minimum(x, 0.0))
    if alpha == 1:
        return slope
    slope *= alpha
    return st.select(x > 0, 1, slope)


def _elu_d2f(x: Array, alpha: float) -> Array:
    return np.where(x > 0, 0, alpha * np.exp(np.minimum(x, 0)))


def _elu_and_prime(x: Array, alpha: float) -> tuple[Array, Array]:
    # expm1 for f (exact near 0, where exp(x) - 1 cancels) and exp for f': two SIMD
    # transcendentals cost less than one of them plus a branch on the range of x.
    value = np.expm1(_elu_arg(x))
    if alpha != 1:
        value *= alpha
    return st.select(x > 0, x, value), _elu_df(x, alpha)


ELU = Spec(
    name="elu", family="elu", aliases=("ELU",),
    summary="x for x > 0, alpha (e^x - 1) below: smooth negative saturation at -alpha.",
    formula="f(x) = x if x > 0 else alpha * (exp(x) - 1)",
    latex=r"f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
    reference="Clevert, Unterthiner & Hochreiter 2016, Fast and Accurate Deep Network Learning by ELUs",
    params=(Param("alpha", 1.0, "negative saturation value", low=0.0),),
    f=_elu, df=_elu_df, d2f=_elu_d2f, value_and_grad=_elu_and_prime,
    compiled=compiled_loop("elu"),
    output_range=lambda alpha: Interval(-alpha, INF) if alpha > 0 else NON_NEGATIVE,
    monotonic=lambda alpha: "increasing" if alpha > 0 else "non-decreasing",
    smoothness=lambda alpha: "C1" if alpha == 1 else "C0",
    kinks=(0.0,), kink_rule="f'(0) = alpha and f''(0) = alpha (the negative branch, PyTorch)",
    frameworks=framework_names("elu", "elu", "elu"),
    notes="Computed with expm1: PyTorch's CPU kernel uses exp(x) - 1, which loses digits "
          "for tiny |x|.",
)

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
# scale * alpha correctly rounded (1.75809934084737685994...): one rounding in the
# negative branch instead of two, and the exact limit at -inf.
SELU_SCALE_ALPHA = 1.7580993408473768


def _selu(x: Array) -> Array:
    with np.errstate(over="ignore"):  # scale * x > max is +inf, which is the true value
        positive = SELU_SCALE * x
    return np.where(x > 0, positive, SELU_SCALE_ALPHA * np.expm1(st.nonpositive(x)))


SELU = Spec(
    name="selu", family="elu", aliases=("SELU",),
    summary="Scaled ELU whose fixed constants make activations self-normalise to mean 0, variance 1.",
    formula="f(x) = scale * (x if x > 0 else alpha * (exp(x) - 1))",
    latex=r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}",
    reference="Klambauer et al. 2017, Self-Normalizing Neural Networks",
    f=_selu,
    df=lambda x: np.where(x > 0, SELU_SCALE, SELU_SCALE_ALPHA * np.exp(st.nonpositive(x))),
    d2f=lambda x: np.where(x > 0, 0, SELU_SCALE_ALPHA * np.exp(st.nonpositive(x))),
    output_range=Interval(-SELU_SCALE_ALPHA, INF), monotonic="increasing",
    smoothness="C0", kinks=(0.0,),
    kink_rule="f'(0) = scale * alpha = 1.7581 (the negative branch, PyTorch)",
    frameworks=framework_names("selu", "selu", "selu"),
    notes="alpha = 1.6732632423543772, scale = 1.0507009873554805 in every framework. "
          "Self-normalisation needs LeCun-normal initialisation.",
)


def _celu_arg(x: Array, alpha: float) -> Array:
    return st.scaled(st.nonpositive(x), 1 / alpha)


CELU = Spec(
    name="celu", family="elu", aliases=("CELU",),
    summary="Continuously differentiable ELU: alpha (e^(x/alpha) - 1) below 0, slope 1 at 0 for any alpha.",
    formula="f(x) = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))",
    latex=r"f(x) = \max(0, x) + \min(0, \alpha (e^{x/\alpha} - 1))",
    reference="Barron 2017, Continuously Differentiable Exponential Linear Units",
    params=(Param("alpha", 1.0, "negative saturation value", low=0.0, low_open=True),),
    f=lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(_celu_arg(x, alpha))),
    df=lambda x, alpha: np.where(x > 0, 1, np.exp(_celu_arg(x, alpha))),
    d2f=lambda x, alpha: np.where(x > 0, 0, np.exp(_celu_arg(x, alpha)) / alpha),
    output_range=lambda alpha: Interval(-alpha, INF), monotonic="increasing",
    smoothness="C1", kinks=(0.0,),
    kink_rule="f'(0) = 1 (C1); f''(0) = 1/alpha (the negative branch)",
    frameworks=framework_names("celu", "celu", "celu"),
)


# --- smooth gated units (x times a soft gate) -------------------------------------------

GELU_MIN = {"none": -0.16997120747990366, "tanh": -0.17004075057125406}

GELU = Spec(
    name="gelu", family="self-gated", aliases=("GELU",),
    summary="x * Phi(x), the input weighted by its standard-normal CDF; used in Transformers.",
    formula="f(x) = x * Phi(x) = x/2 * (1 + erf(x / sqrt(2)))   "
            "[tanh: x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))]",
    latex=r"f(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt{2}}\right)",
    reference="Hendrycks & Gimpel 2016, Gaussian Error Linear Units (GELUs)",
    params=(Param("approximate", "none", "'none' for the exact form, 'tanh' for the approximation",
                  choices=("none", "tanh")),),
    f=gelu, df=gelu_df, d2f=gelu_d2f, value_and_grad=gelu_and_prime,
    compiled=compiled_loop("gelu"),
    output_range=lambda approximate: Interval(GELU_MIN[approximate], INF, low_closed=True),
    monotonic="no", smoothness="Cinf",
    frameworks=framework_names("gelu", "gelu", "gelu"),
    notes="Exact by default, as PyTorch and keras.activations.gelu; jax.nn.gelu and "
          "keras.ops.gelu default to the tanh form, which differs by up to 4.7e-4 on [-6, 6]. "
          "The tail is exact: Phi comes from erfc (exp(-x^2/2) times a fitted erfcx), not "
          "1 + erf (0 below x = -6), "
          "and the tanh form is computed as x sigmoid(2u), not 1 + tanh(u).",
)

SILU_MIN = -0.27846454276107380  # min of x sigmoid(x), at x = -1.2784645427610738


def _silu_range(beta: float) -> Interval:
    return Interval(SILU_MIN / beta, INF, low_closed=True) if beta > 0 else REAL_LINE


SILU = Spec(
    name="silu", family="self-gated", aliases=("swish", "SiLU"),
    summary="x * sigmoid(beta x): a smooth, non-monotonic ReLU (Swish when beta is learned).",
    formula="f(x) = x * sigmoid(beta * x)", latex=r"f(x) = x\,\sigma(\beta x)",
    reference="Elfwing, Uchibe & Doya 2018 (SiLU); Ramachandran, Zoph & Le 2017 (Swish)",
    params=(Param("beta", 1.0, "gate sharpness; 0 gives x/2", low=0.0),),
    f=silu, df=silu_df, d2f=silu_d2f, value_and_grad=silu_and_prime,
    compiled=compiled_loop("silu"),
    output_range=_silu_range,
    monotonic=lambda beta: "increasing" if beta == 0 else "no", smoothness="Cinf",
    frameworks=framework_names("silu", "silu", "silu") | {"Keras": "keras.activations.silu (swish)"},
    notes="PyTorch, JAX and Keras have no beta (beta = 1).",
)

QUICK_GELU = Spec(
    name="quick_gelu", family="self-gated", aliases=("QuickGELU",),
    summary="x * sigmoid(1.702 x): the sigmoid approximation of GELU used by CLIP.",
    formula="f(x) = x * sigmoid(1.702 * x)", latex=r"f(x) = x\,\sigma(1.702\,x)",
    reference="Hendrycks & Gimpel 2016 (sigmoid approximation); Radford et al. 2021 (CLIP)",
    f=lambda x: silu(x, QUICK_GELU_BETA, QUICK_GELU_BETA_LOW),
    df=lambda x: silu_df(x, QUICK_GELU_BETA, QUICK_GELU_BETA_LOW),
    d2f=lambda x: silu_d2f(x, QUICK_GELU_BETA, QUICK_GELU_BETA_LOW),
    value_and_grad=lambda x: silu_and_prime(x, QUICK_GELU_BETA, QUICK_GELU_BETA_LOW),
    compiled=compiled_loop("quick_gelu"),
    output_range=_silu_range(QUICK_GELU_BETA), monotonic="no", smoothness="Cinf",
    frameworks={"PyTorch": "transformers.activations.QuickGELUActivation"},
    notes="Not in torch.nn; Hugging Face transformers and OpenAI CLIP define it.",
)

MISH_MIN = -0.30884341301725041  # at x = -1.1924312145154952


def _mish_parts(x: Array) -> tuple[Array, Array, Array]:
    """tanh(softplus(x)), its sech^2, and sigmoid(x)."""
    sp = st.softplus(x)
    return np.tanh(sp), st.sech2(sp), st.sigmoid(x)


def _mish_and_prime(x: Array) -> tuple[Array, Array]:
    # Clipping changes no bit of f: tanh(softplus(x)) is already 0 or 1 at |x| = 1000.
    xc = np.clip(x, -st.SATURATION, st.SATURATION)
    e = st.exp_neg_abs(xc)
    s = st.sigmoid_from(xc, e, e + 1)
    sp = np.maximum(xc, 0) + np.log1p(e, out=e)
    t = np.tanh(sp)
    return st.times_vanishing(x, t), t + xc * st.sech2(sp) * s


def _mish(x: Array) -> Array:
    return st.times_vanishing(x, np.tanh(st.softplus(x)))


def _mish_df(x: Array) -> Array:
    xc = np.clip(x, -st.SATURATION, st.SATURATION)
    t, u, s = _mish_parts(xc)
    return t + xc * u * s


def _mish_d2f(x: Array) -> Array:
    xc = np.clip(x, -st.SATURATION, st.SATURATION)
    t, u, s = _mish_parts(xc)
    return u * s * (2 + xc * (st.sigmoid(-xc) - 2 * t * s))


MISH = Spec(
    name="mish", family="self-gated", aliases=("Mish",),
    summary="x * tanh(softplus(x)): smooth, non-monotonic, unbounded above.",
    formula="f(x) = x * tanh(log(1 + exp(x)))", latex=r"f(x) = x \tanh(\ln(1 + e^{x}))",
    reference="Misra 2019, Mish: A Self Regularized Non-Monotonic Activation Function",
    f=_mish, df=_mish_df, d2f=_mish_d2f, value_and_grad=_mish_and_prime,
    compiled=compiled_loop("mish"),
    output_range=Interval(MISH_MIN, INF, low_closed=True), monotonic="no", smoothness="Cinf",
    frameworks=framework_names("mish", None, "mish"),
)


def _hardswish(x: Array) -> Array:
    xm = np.clip(x, -3, 3)  # the quadratic piece, kept from overflowing where it is unused
    return np.where(x <= -3, 0, np.where(x >= 3, x, xm * (xm + 3) / 6)).astype(x.dtype)


def _hardswish_df(x: Array) -> Array:
    return np.where(x <= -3, 0, np.where(x >= 3, 1, (2 * np.clip(x, -3, 3) + 3) / 6)).astype(x.dtype)


HARDSWISH = Spec(
    name="hardswish", family="self-gated", aliases=("hard_swish", "hard_silu", "Hardswish"),
    summary="x * relu6(x + 3) / 6: a piecewise-polynomial SiLU for mobile networks.",
    formula="f(x) = x * min(max(x + 3, 0), 6) / 6",
    latex=r"f(x) = x \frac{\min(\max(x + 3, 0), 6)}{6}",
    reference="Howard et al. 2019, Searching for MobileNetV3",
    f=_hardswish,
    df=_hardswish_df,
    d2f=lambda x: st.where_inside(x, -3, 3, 1 / 3),
    output_range=Interval(-0.375, INF, low_closed=True), monotonic="no", smoothness="C0",
    kinks=(-3.0, 3.0), kink_rule="f'(-3) = 0, f'(3) = 1 (PyTorch; older releases gave -0.5 and 1.5)",
    frameworks=framework_names("hardswish", "hard_swish", "hard_silu"),
)


# --- softplus family --------------------------------------------------------------------

def _softplus_z(x: Array, beta: float) -> Array:
    return st.scaled(x, beta)


def _softplus(x: Array, beta: float, threshold: float) -> Array:
    z = _softplus_z(x, beta)
    exact = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(z))) / beta
    return np.where(z > threshold, x, exact)


def _softplus_and_prime(x: Array, beta: float, threshold: float) -> tuple[Array, Array]:
    z = _softplus_z(x, beta)
    e = st.exp_neg_abs(z)
    s = st.sigmoid_from(z, e, e + 1)
    value = np.log1p(e, out=e)
    if beta != 1:  # (dividing by 1 is exact)
        value /= beta
    value += np.maximum(x, 0)
    if threshold < INF:
        linear = z > threshold
        value, s = st.select(linear, x, value), st.select(linear, 1, s)
    return value, s


SOFTPLUS = Spec(
    name="softplus", family="softplus", aliases=("Softplus",),
    summary="log(1 + e^(beta x)) / beta: a smooth ReLU whose derivative is the sigmoid.",
    formula="f(x) = log(1 + exp(beta * x)) / beta",
    latex=r"f(x) = \frac{1}{\beta} \log(1 + e^{\beta x})",
    reference="Dugas et al. 2001, Incorporating Second-Order Functional Knowledge",
    params=(Param("beta", 1.0, "sharpness", low=0.0, low_open=True),
            Param("threshold", INF, "above beta*x > threshold return x, as PyTorch (20); "
                  "inf computes exactly", low=0.0, low_open=True, allow_inf=True)),
    f=_softplus,
    df=lambda x, beta, threshold: np.where(
        _softplus_z(x, beta) > threshold, 1, st.sigmoid(_softplus_z(x, beta))).astype(x.dtype),
    d2f=lambda x, beta, threshold: np.where(
        _softplus_z(x, beta) > threshold, 0,
        beta * st.sigmoid_prime(_softplus_z(x, beta))).astype(x.dtype),
    value_and_grad=_softplus_and_prime,
    compiled=compiled_loop("softplus"),
    output_range=Interval(0.0, INF), monotonic="increasing",
    smoothness=lambda beta, threshold: "Cinf" if math.isinf(threshold) else "discontinuous",
    kinks=lambda beta, threshold: () if math.isinf(threshold) else (threshold / beta,),
    kink_rule="exact everywhere by default; with a finite threshold, f = x and f' = 1 past it",
    frameworks=framework_names("softplus", "softplus", "softplus"),
    notes="PyTorch's default threshold=20 returns x once beta*x > 20 (relative error 1e-9 "
          "at x = 20); pass threshold=20 to reproduce it. PyTorch's beta = 0 divides by zero; "
          "actcli requires beta > 0.",
)


def _squareplus_branches(x: Array, b: float) -> tuple[Array, Array, Array, Array]:
    """x and sqrt(x^2 + b) for each sign of x (hypot: x^2 would overflow), each branch fed
    only inputs of its own sign so that inf - inf never occurs where it is unused."""
    neg, pos = np.minimum(x, 0), np.maximum(x, 0)
    root_b = math.sqrt(b)
    return neg, np.hypot(neg, root_b), pos, np.hypot(pos, root_b)


def _squareplus(x: Array, b: float) -> Array:
    neg, r_neg, pos, r_pos = _squareplus_branches(x, b)
    # For x < 0, (x + r)/2 cancels; it equals b / (2 (r - x)). Halves first: no overflow.
    return np.where(x >= 0, pos / 2 + r_pos / 2, (b / 4) / (r_neg / 2 - neg / 2))


def _squareplus_df(x: Array, b: float) -> Array:
    neg, r_neg, pos, r_pos = _squareplus_branches(x, b)
    ratio = np.divide(pos, r_pos, out=np.ones_like(x), where=np.isfinite(pos))
    # For x < 0, (1 + x/r)/2 cancels; it equals b / (2 r (r - x)).
    return np.where(x >= 0, (1 + ratio) / 2, (b / 4) / r_neg / (r_neg / 2 - neg / 2))


def _squareplus_d2f(x: Array, b: float) -> Array:
    r = np.hypot(x, math.sqrt(b))
    return (b / 2) / r / r / r  # b / (2 r^3), ordered so nothing overflows


SQUAREPLUS = Spec(
    name="squareplus", family="softplus", aliases=(),
    summary="(x + sqrt(x^2 + b)) / 2: a softplus-like curve from algebraic operations only.",
    formula="f(x) = (x + sqrt(x^2 + b)) / 2", latex=r"f(x) = \frac{x + \sqrt{x^2 + b}}{2}",
    reference="Barron 2021, Squareplus: A Softplus-Like Algebraic Rectifier",
    params=(Param("b", 4.0, "curvature at 0; f(0) = sqrt(b)/2", low=0.0, low_open=True),),
    f=_squareplus, df=_squareplus_df, d2f=_squareplus_d2f,
    output_range=Interval(0.0, INF), monotonic="increasing", smoothness="Cinf",
    frameworks=framework_names(None, "squareplus", "squareplus"),
)

SPARSE_PLUS = Spec(
    name="sparse_plus", family="softplus", aliases=(),
    summary="0 below -1, (x + 1)^2 / 4 on [-1, 1], x above: a C1 softplus with exact zeros.",
    formula="f(x) = 0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1",
    latex=r"f(x) = \begin{cases} 0 & x \le -1 \\ \frac{(x+1)^2}{4} & -1 < x < 1 \\ x & x \ge 1 \end{cases}",
    reference="Blondel, Martins & Niculae 2020, Learning with Fenchel-Young Losses",
    f=lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (np.clip(x, -1, 1) + 1) ** 2 / 4)).astype(x.dtype),
    df=lambda x: np.where(x <= -1, 0, np.where(x >= 1, 1, (x + 1) / 2)).astype(x.dtype),
    d2f=lambda x: st.where_inside(x, -1, 1, 0.5),
    output_range=NON_NEGATIVE, monotonic="non-decreasing", smoothness="C1",
    kinks=(-1.0, 1.0), kink_rule="f'' = 0 at -1 and 1 (f' is continuous there)",
    frameworks=framework_names(None, "sparse_plus", "sparse_plus"),
)


# --- shrinkage --------------------------------------------------------------------------

def _tanhshrink_coefficients(terms: int = 11) -> tuple[float, ...]:
    # x cosh x - sinh x = sum_{k>=1} 2k x^(2k+1) / (2k+1)!: positive terms, no cancellation.
    return tuple(2 * k / math.factorial(2 * k + 1) for k in range(1, terms + 1))


_TANHSHRINK_SERIES = _tanhshrink_coefficients()


def _tanhshrink(x: Array) -> Array:
    small = np.minimum(np.abs(x), 1)  # the series branch only needs |x| < 1
    x2 = small * small
    series = np.zeros_like(x)
    for c in reversed(_TANHSHRINK_SERIES):
        series = series * x2 + c
    near_zero = np.copysign(small * x2 * series / np.cosh(small), x)
    return np.where(np.abs(x) < 1, near_zero, x - np.tanh(x))


TANHSHRINK = Spec(
    name="tanhshrink", family="shrink", aliases=("tanh_shrink", "Tanhshrink"),
    summary="x - tanh(x): near 0 for small inputs (~x^3/3), close to x - sign(x) for large ones.",
    formula="f(x) = x - tanh(x)", latex=r"f(x) = x - \tanh(x)",
    reference="-",
    f=_tanhshrink,
    df=lambda x: np.tanh(x) ** 2,
    d2f=lambda x: 2 * np.tanh(x) * st.sech2(x),
    output_range=REAL_LINE, monotonic="increasing", smoothness="Cinf",
    frameworks=framework_names("tanhshrink", None, "tanh_shrink"),
    notes="x - tanh(x) cancels near 0; for |x| < 1 actcli sums the positive series of "
          "x cosh x - sinh x and divides by cosh x.",
)


def _shrink_df(x: Array, lambd: float) -> Array:
    return np.where(np.abs(x) > lambd, 1, 0).astype(x.dtype)


LAMBD = Param("lambd", 0.5, "half-width of the zero band", low=0.0, aliases=("threshold", "lambda"))

SOFTSHRINK = Spec(
    name="softshrink", family="shrink", aliases=("soft_shrink", "Softshrink"),
    summary="Moves x towards 0 by lambd and zeroes [-lambd, lambd]: the proximal map of L1.",
    formula="f(x) = x - lambd if x > lambd, x + lambd if x < -lambd, else 0",
    latex=r"f(x) = \operatorname{sign}(x) \max(|x| - \lambda, 0)",
    reference="Donoho & Johnstone 1994, soft thresholding",
    params=(LAMBD,),
    f=lambda x, lambd: np.where(x > lambd, x - lambd,
                                np.where(x < -lambd, x + lambd, 0)).astype(x.dtype),
    df=_shrink_df, d2f=lambda x, lambd: zero(x),
    output_range=REAL_LINE,
    monotonic=lambda lambd: "increasing" if lambd == 0 else "non-decreasing",
    smoothness=lambda lambd: "Cinf" if lambd == 0 else "C0",
    kinks=lambda lambd: () if lambd == 0 else (-lambd, lambd),
    kink_rule="f'(+-lambd) = 0 (PyTorch)",
    frameworks=framework_names("softshrink", None, "soft_shrink"),
    notes="Keras calls the parameter `threshold`; both names are accepted.",
)

HARDSHRINK = Spec(
    name="hardshrink", family="shrink", aliases=("hard_shrink", "Hardshrink"),
    summary="Keeps x where |x| > lambd and zeroes the band [-lambd, lambd].",
    formula="f(x) = x if |x| > lambd else 0",
    latex=r"f(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    reference="Donoho & Johnstone 1994, hard thresholding",
    params=(LAMBD,),
    f=lambda x, lambd: np.where(np.abs(x) > lambd, x, 0).astype(x.dtype),
    df=_shrink_df, d2f=lambda x, lambd: zero(x),
    output_range=REAL_LINE,
    monotonic=lambda lambd: "increasing" if lambd == 0 else "non-decreasing",
    smoothness=lambda lambd: "Cinf" if lambd == 0 else "discontinuous",
    kinks=lambda lambd: () if lambd == 0 else (-lambd, lambd),
    kink_rule="f'(+-lambd) = 0 (PyTorch)",
    frameworks=framework_names("hardshrink", None, "hard_shrink"),
    notes="Keras calls the parameter `threshold`; both names are accepted.",
)


# --- exponential ------------------------------------------------------------------------

EXPONENTIAL = Spec(
    name="exponential", family="exponential", aliases=("exp",),
    summary="e^x: positive outputs (rates, scales); overflows to inf above x = 709.78.",
    formula="f(x) = exp(x)", latex=r"f(x) = e^{x}",
    reference="-",
    f=st.exp, df=st.exp, d2f=st.exp,
    output_range=Interval(0.0, INF), monotonic="increasing", smoothness="Cinf",
    frameworks={"PyTorch": "torch.exp", "JAX": "jax.numpy.exp", "Keras": "keras.activations.exponential"},
)


ELEMENTWISE: tuple[Spec, ...] = (
    IDENTITY, SIGMOID, TANH, SOFTSIGN, HARDSIGMOID, HARDTANH, LOG_SIGMOID,
    RELU, LEAKY_RELU, PRELU, RRELU, RELU6, THRESHOLD,
    ELU, SELU, CELU,
    GELU, SILU, QUICK_GELU, MISH, HARDSWISH,
    SOFTPLUS, SQUAREPLUS, SPARSE_PLUS,
    TANHSHRINK, SOFTSHRINK, HARDSHRINK,
    EXPONENTIAL,
)
