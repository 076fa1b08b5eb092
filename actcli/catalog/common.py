"""What several record modules share: the closed forms of relu, silu and gelu (which
the gated units, quick_gelu and some classics build on), zero and one, the frameworks'
names, the halves of a gated unit's input, and the way a record names its compiled loop.

Records import these from here; nothing here is a record.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from actcli.catalog import _normal as normal
from actcli.catalog import _stable as st
from actcli.catalog._normal import GELU_CLIP, GELU_TAIL, GELU_TAIL_SERIES, GELU_TANH_A, GELU_TANH_K
from actcli.catalog._stable import Array
from actcli.catalog.spec import ShapeError


def framework_names(torch: str | None = None, jax: str | None = None,
                    keras: str | None = None) -> dict[str, str]:
    """The function's name in each framework that has it: PyTorch's functional, jax.nn,
    keras.activations."""
    found = {"PyTorch": torch and f"torch.nn.functional.{torch}", "JAX": jax and f"jax.nn.{jax}",
             "Keras": keras and f"keras.activations.{keras}"}
    return {framework: name for framework, name in found.items() if name}


def zero(x: Array, **_: Any) -> Array:
    return np.zeros_like(x)


def one(x: Array, **_: Any) -> Array:
    return np.ones_like(x)


def compiled_loop(name: str) -> Callable[..., Any]:
    """A record's `compiled` field: its loop in catalog.jit for the record's parameters,
    imported (with Numba) only when a large array asks for it."""
    return partial(_load_loop, name)


def _load_loop(name: str, **params: Any) -> Any:
    from actcli.catalog import jit

    return jit.loop(name, params)


def halves(name: str, x: Array, axis: int) -> tuple[Array, Array]:
    """The halves [a, b] of a gated unit's input along `axis`; an odd length is refused."""
    n = x.shape[axis]
    if n % 2:
        raise ShapeError(f"{name} needs an even number of inputs along the axis, got {n}")
    a, b = np.split(x, 2, axis=axis)
    return a, b


# --- relu -------------------------------------------------------------------------------

def _passes(x: Array) -> Array:
    """Where relu passes its input and its gradient: x > 0, so that relu'(0) = 0 (PyTorch's
    and JAX's convention at the kink)."""
    return x > 0


def relu(x: Array) -> Array:
    # x <= 0 (not x < 0) so that relu(-0.0) is +0.0 and never prints as "-0.0"; NaN stays.
    return np.where(x <= 0, 0, x).astype(x.dtype, copy=False)


def relu_df(x: Array) -> Array:
    return _passes(x).astype(x.dtype)


def relu_and_prime(x: Array) -> tuple[Array, Array]:
    passes = _passes(x)
    return st.select(passes, x, np.zeros_like(x)), passes.astype(x.dtype)


# --- gelu -------------------------------------------------------------------------------

SQRT_2PI = math.sqrt(2 * math.pi)


def _normal_pdf(x: Array) -> Array:
    return np.exp(-0.5 * x * x) / SQRT_2PI


_LOG_SQRT_2PI = math.log(SQRT_2PI)


def _with_gelu_tail(xc: Array, value: Array, order: int) -> Array:
    """`value` with x Phi(x), Phi(x) + x phi(x) or phi(x) (2 - x^2) (order 0, 1, 2) put
    in where xc < GELU_TAIL, computed there as -exp(log of its size)."""
    tail = xc < GELU_TAIL
    if not np.any(tail):
        return value
    t = -np.minimum(xc, GELU_TAIL)  # every log finite, also where the tail is not used
    hi, lo = st.square_exactly(t)
    u = 1 / hi
    series = np.full_like(t, GELU_TAIL_SERIES[0])
    for c in GELU_TAIL_SERIES[1:]:
        series = series * u + c
    # x Phi(x) = -phi(t) S; Phi(x) + x phi(x) = -t phi(t) (1 - u S); phi(t) (t^2 - 2).
    rest = (np.log(series) if order == 0 else np.log(t) + np.log1p(-u * series) if order == 1
            else np.log(hi - 2))
    log_size = -0.5 * hi + (-0.5 * lo - _LOG_SQRT_2PI + rest)
    return np.where(tail, -np.exp(log_size), value)


def _gelu_tanh_u(x: Array) -> tuple[Array, Array, Array]:
    """u = k(x + a x^3) and its first two derivatives, on x clipped where u saturates."""
    xc = np.clip(x, -st.SATURATION, st.SATURATION)
    u = GELU_TANH_K * (xc + GELU_TANH_A * xc**3)
    du = GELU_TANH_K * (1 + 3 * GELU_TANH_A * xc * xc)
    d2u = GELU_TANH_K * 6 * GELU_TANH_A * xc
    return u, du, d2u


def gelu(x: Array, approximate: str) -> Array:
    if approximate == "tanh":
        # 0.5 x (1 + tanh(u)) = x sigmoid(2u): no cancellation in the left tail.
        u, _, _ = _gelu_tanh_u(x)
        return st.times_vanishing(x, st.sigmoid(2 * u))
    return _gelu_exact_and_prime(x)[0]


def _gelu_exact_and_prime(x: Array) -> tuple[Array, Array]:
    """(x Phi(x), Phi(x) + x phi(x)) from one vectorised Phi (catalog._normal)."""
    if x.dtype == np.float32:
        return normal.gelu_and_prime_float32(x)
    phi, slope = normal.cdf_and_slope(x)
    # Phi is exactly 1 above x = 9, so x Phi(x) = x up to +inf; below -37 (-inf
    # included, whose product is -inf) the tail formula replaces both.
    value = np.multiply(x, phi, out=phi)
    if np.any(x < GELU_TAIL):
        xc = np.maximum(x, -GELU_CLIP)
        value, slope = _with_gelu_tail(xc, value, 0), _with_gelu_tail(xc, slope, 1)
    return value, slope


def gelu_df(x: Array, approximate: str) -> Array:
    if approximate == "tanh":
        u, du, _ = _gelu_tanh_u(x)
        xc = np.clip(x, -st.SATURATION, st.SATURATION)
        return st.sigmoid(2 * u) + 2 * xc * du * st.sigmoid_prime(2 * u)
    return _gelu_exact_and_prime(x)[1]


def gelu_and_prime(x: Array, approximate: str) -> tuple[Array, Array]:
    if approximate == "tanh":
        u, du, _ = _gelu_tanh_u(x)
        xc = np.clip(x, -st.SATURATION, st.SATURATION)
        s, ds = st.sigmoid_and_prime(2 * u)
        return st.times_vanishing(x, s), s + 2 * xc * du * ds
    return _gelu_exact_and_prime(x)


def gelu_d2f(x: Array, approximate: str) -> Array:
    if approximate == "tanh":
        u, du, d2u = _gelu_tanh_u(x)
        xc = np.clip(x, -st.SATURATION, st.SATURATION)
        s1, s2 = st.sigmoid_prime(2 * u), st.sigmoid_second(2 * u)
        return 4 * du * s1 + 2 * xc * d2u * s1 + 4 * xc * du * du * s2
    xc = np.clip(x, -GELU_CLIP, GELU_CLIP)
    return _with_gelu_tail(xc, _normal_pdf(xc) * (2 - xc * xc), 2)


# --- silu -------------------------------------------------------------------------------

def _silu_parts(x: Array, beta: float, beta_low: float) -> tuple[Array, ...]:
    """z = beta x as z + dz, sigmoid(z), sigmoid'(z), and g'(z) where g(z) = s(z) + z s'(z)
    is silu's slope as a function of z: g' = s'(z) (2 - z tanh(z/2))."""
    z, dz = st.scaled_exactly(x, beta, beta_low)
    s, ds = st.sigmoid_and_prime(z)
    return z, dz, s, ds, ds * (2 - z * np.tanh(z / 2))


def silu_and_prime(x: Array, beta: float, beta_low: float = 0.0) -> tuple[Array, Array]:
    if beta == 1 and beta_low == 0:
        # z = x is exact: the correction terms are +0, and adding them changes no bit.
        z = np.clip(x, -st.SATURATION, st.SATURATION)
        s, ds = st.sigmoid_and_prime(z)
        slope = np.multiply(z, ds, out=ds)
        return st.times_vanishing(x, s), np.add(s, slope, out=slope)
    z, dz, s, ds, g1 = _silu_parts(x, beta, beta_low)
    return st.times_vanishing(x, s + ds * dz), s + z * ds + g1 * dz


def silu(x: Array, beta: float, beta_low: float = 0.0) -> Array:
    return silu_and_prime(x, beta, beta_low)[0]


def silu_df(x: Array, beta: float, beta_low: float = 0.0) -> Array:
    return silu_and_prime(x, beta, beta_low)[1]


def silu_d2f(x: Array, beta: float, beta_low: float = 0.0) -> Array:
    z, dz, _, ds, g1 = _silu_parts(x, beta, beta_low)
    # g'' = 3 s'' + z s(3), with s'' = -s' tanh(z/2) and s(3) = s' (1 - 6 s')
    g2 = ds * (z * (1 - 6 * ds) - 3 * np.tanh(z / 2))
    return beta * (g1 + g2 * dz) + beta_low * g1
