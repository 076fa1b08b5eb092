"""Vector activations, acting along one axis: one `VectorSpec` record each.

Defined results where PyTorch and JAX return NaN: +inf logits share the mass equally
(the limit of letting them grow together); a vector with no finite or +inf entry (all
-inf) has no defined distribution and gives NaN, as does any NaN entry.
"""

from __future__ import annotations

import numpy as np

from actcli.catalog._stable import Array
from actcli.catalog.spec import Interval, VectorSpec

PROBABILITIES = Interval(0.0, 1.0)


def _difference(x: Array, top: Array) -> Array:
    """x - top, exact, with -inf where the true difference is below -max (-1e308 - 1e308):
    halving first keeps the subtraction itself from overflowing."""
    half = x / 2 - top / 2
    limit = np.finfo(x.dtype).max / 2
    return np.where(half < -limit, -np.inf, 2 * np.maximum(half, -limit)).astype(x.dtype, copy=False)


def _max_shift(x: Array, axis: int) -> tuple[Array, Array]:
    """x - max(x) along axis, with +inf entries at 0 and the rest at -inf when a +inf is
    present; also returns whether the row has any mass at all (not all -inf, no NaN)."""
    top = np.max(x, axis=axis, keepdims=True)
    shifted = np.where(
        np.isposinf(top),
        np.where(np.isposinf(x), 0, -np.inf),
        _difference(x, np.where(np.isfinite(top), top, 0)),
    ).astype(x.dtype, copy=False)
    return shifted, ~np.isneginf(top) & ~np.isnan(top)


def _softmax(x: Array, axis: int = -1) -> Array:
    shifted, has_mass = _max_shift(x, axis)
    e = np.exp(shifted)
    total = np.sum(e, axis=axis, keepdims=True)
    return e / np.where(has_mass, total, np.nan)


def _log_softmax(x: Array, axis: int = -1) -> Array:
    shifted, has_mass = _max_shift(x, axis)
    total = np.sum(np.exp(shifted), axis=axis, keepdims=True)
    return shifted - np.log(np.where(has_mass, total, np.nan))


def _softmax_jacobian(x: Array) -> Array:
    s = _softmax(x)
    return np.diag(s) - np.outer(s, s)


def _softmax_jvp(x: Array, v: Array, axis: int = -1) -> Array:
    s = _softmax(x, axis)
    return s * (v - np.sum(s * v, axis=axis, keepdims=True))


_FRAMEWORK_RULE = ("PyTorch and JAX return NaN for +inf entries; actcli lets the +inf entries "
                   "share the mass. An all -inf vector gives NaN.")

SOFTMAX = VectorSpec(
    name="softmax", family="normalising", aliases=("Softmax",),
    summary="Turns a vector of scores into probabilities: exp(x_i) / sum_j exp(x_j).",
    formula="f(x)_i = exp(x_i) / sum_j exp(x_j)",
    latex=r"\operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
    reference="Bridle 1990, Probabilistic Interpretation of Feedforward Classification Network Outputs",
    f=_softmax, jacobian=_softmax_jacobian, jvp=_softmax_jvp,
    output_range=PROBABILITIES,
    distribution=True,
    frameworks={"PyTorch": "torch.nn.functional.softmax", "JAX": "jax.nn.softmax",
                "Keras": "keras.activations.softmax"},
    notes="Outputs sum to 1. The Jacobian is diag(s) - s s^T. " + _FRAMEWORK_RULE,
)

LOG_SOFTMAX = VectorSpec(
    name="log_softmax", family="normalising", aliases=("logsoftmax", "LogSoftmax"),
    summary="log(softmax(x)) = x - logsumexp(x): log-probabilities for cross-entropy.",
    formula="f(x)_i = x_i - log(sum_j exp(x_j))",
    latex=r"\log\operatorname{softmax}(x)_i = x_i - \log \sum_j e^{x_j}",
    reference="-",
    f=_log_softmax,
    jacobian=lambda x: np.eye(x.size, dtype=x.dtype) - _softmax(x)[np.newaxis, :],
    jvp=lambda x, v, axis=-1: v - np.sum(_softmax(x, axis) * v, axis=axis, keepdims=True),
    output_range=Interval(-np.inf, 0.0, high_closed=True),
    frameworks={"PyTorch": "torch.nn.functional.log_softmax", "JAX": "jax.nn.log_softmax",
                "Keras": "keras.activations.log_softmax"},
    notes="Computed as x - max - log(sum exp(x - max)), exact where log(softmax) underflows. "
          "The Jacobian is I - 1 s^T. " + _FRAMEWORK_RULE,
)

SOFTMIN = VectorSpec(
    name="softmin", family="normalising", aliases=("Softmin",),
    summary="softmax(-x): most of the mass on the smallest entries.",
    formula="f(x)_i = exp(-x_i) / sum_j exp(-x_j)",
    latex=r"\operatorname{softmin}(x)_i = \frac{e^{-x_i}}{\sum_j e^{-x_j}}",
    reference="-",
    f=lambda x, axis=-1: _softmax(-x, axis),
    jacobian=lambda x: -_softmax_jacobian(-x),
    jvp=lambda x, v, axis=-1: -_softmax_jvp(-x, v, axis),
    output_range=PROBABILITIES,
    distribution=True,
    frameworks={"PyTorch": "torch.nn.functional.softmin"},
    notes="Outputs sum to 1; -inf entries share the mass when present.",
)


def _sparsemax_rows(x: Array) -> Array:
    """Sparsemax of each row of a 2-d array (Martins & Astudillo 2016, Algorithm 1)."""
    dtype = x.dtype
    top = np.max(x, axis=1, keepdims=True)  # NaN if any entry is NaN
    undefined = np.isneginf(top) | np.isnan(top)
    # +inf entries share the mass: they become 0 and every other entry -inf.
    x = np.where(np.isposinf(top), np.where(np.isposinf(x), dtype.type(0), dtype.type(-np.inf)), x)
    x = np.where(undefined, dtype.type(0), x)
    top = np.max(x, axis=1, keepdims=True)
    # tau >= max - 1, so entries more than 1 below the max are outside the support:
    # setting them to -1 removes -inf and keeps the arithmetic within [-1, 0].
    z = np.maximum(_difference(x, top), -1)
    ordered = -np.sort(-z, axis=1)
    cumulative = np.cumsum(ordered, axis=1)
    k = np.arange(1, x.shape[1] + 1, dtype=x.dtype)
    support_size = np.sum(1 + k * ordered > cumulative, axis=1, keepdims=True)
    tau = (np.take_along_axis(cumulative, support_size - 1, axis=1) - 1) / support_size
    p = np.maximum(z - tau, 0)
    return np.where(undefined, np.nan, p).astype(dtype, copy=False)


def _sparsemax(x: Array, axis: int = -1) -> Array:
    moved = np.moveaxis(x, axis, -1)
    if moved.size == 0:
        return np.empty_like(x)
    rows = _sparsemax_rows(moved.reshape(-1, moved.shape[-1]))
    return np.moveaxis(rows.reshape(moved.shape), -1, axis)


def _sparsemax_support(x: Array, axis: int = -1) -> Array:
    return (_sparsemax(x, axis) > 0).astype(x.dtype)


def _per_support(total: Array, size: Array | np.floating) -> Array:
    """total / |S|; NaN, without a warning, where sparsemax is undefined (a NaN or all -inf
    input has an empty support)."""
    return np.where(size > 0, total / np.maximum(size, 1), np.nan)


def _sparsemax_jacobian(x: Array) -> Array:
    support = _sparsemax_support(x)
    return np.diag(support) - _per_support(np.outer(support, support), np.sum(support))


def _sparsemax_jvp(x: Array, v: Array, axis: int = -1) -> Array:
    support = _sparsemax_support(x, axis)
    mean = _per_support(np.sum(support * v, axis=axis, keepdims=True),
                        np.sum(support, axis=axis, keepdims=True))
    return support * (v - mean)


SPARSEMAX = VectorSpec(
    name="sparsemax", family="normalising", aliases=(),
    summary="Euclidean projection onto the probability simplex: like softmax but with exact zeros.",
    formula="f(x) = argmin_p ||p - x||^2 over p >= 0, sum p = 1  (= max(x - tau, 0))",
    latex=r"\operatorname{sparsemax}(x) = \arg\min_{p \in \Delta} \lVert p - x \rVert^2",
    reference="Martins & Astudillo 2016, From Softmax to Sparsemax",
    f=_sparsemax, jacobian=_sparsemax_jacobian, jvp=_sparsemax_jvp,
    output_range=Interval(0.0, 1.0, True, True),
    distribution=True,
    frameworks={"Keras": "keras.activations.sparsemax"},
    notes="Outputs sum to 1 and are exactly 0 off the support S; the Jacobian is "
          "diag(s) - s s^T / |S| with s the indicator of S.",
)


VECTOR: tuple[VectorSpec, ...] = (SOFTMAX, LOG_SOFTMAX, SOFTMIN, SPARSEMAX)
