"""Depth explorer: push a batch through many random fully connected layers and back.

The network: h_0 = x (a batch of standard-normal inputs, B x W), and for l = 1..L

    z_l = h_{l-1} @ W_l + bias        (pre-activations, B x W; every W_l is W x W)
    h_l = f(z_l)                      (activations)

The gradient arriving at the output, g_L, is a batch of standard-normal vectors (the
zero-mean error signal of a loss; a constant such as the gradient of sum(h_L) would add a
coherent part that the theory of signal propagation leaves out), and backpropagation
gives g_{l-1} = (g_l * f'(z_l)) @ W_l.T, where g_l is the gradient with respect to h_l.
Per layer we report the statistics of z_l and h_l and ||g_l|| / ||g_L||; a profile per
function ends in a verdict from the overall gradient ratio ||g_1|| / ||g_L||: below 0.1
vanishing, above 10 exploding, from 0.1 to 10 (both included) stable.

Weights are `std * N(0, 1)` draws from `numpy.random.default_rng(seed)` (inputs, output
gradient and weights come from three streams spawned from it). Every function of a run
sees the same network. The draws are made in float64 and rounded for float32, and
changing `init` only rescales them, so runs that differ in dtype or init differ in nothing
else; adding layers keeps the first ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from actcli.catalog.properties import saturated, saturation_bounds
from actcli.catalog.spec import Activation
from actcli.dtypes import float_dtype
from actcli.errors import InputError

Progress = Callable[[int, int], None]
Verdict = Literal["vanishing", "exploding", "stable"]

# The verdict's borders on ||g_1|| / ||g_L||, compared in log10 (exactly -1 and 1): a ratio
# below VANISHING_BELOW is "vanishing", above EXPLODING_ABOVE "exploding", else "stable".
VANISHING_BELOW = 0.1
EXPLODING_ABOVE = 10.0
VERDICT_RULE = "below 0.1 vanishing, above 10 exploding, else stable"

MAX_BYTES = 2 * 2**30
MAX_LAYERS = 10_000
MAX_WIDTH = 8192
MAX_BATCH = 65_536

INITS = ("he", "xavier", "lecun", "normal")
_INIT_ALIASES = {"kaiming": "he", "glorot": "xavier"}
_LOG10_2 = math.log10(2.0)


class DepthError(InputError):
    """A depth experiment that cannot run as asked (size, function, init); one line."""


@dataclass(frozen=True)
class Init:
    """A weight initialisation: `he`, `xavier`, `lecun`, or `normal` with a fixed std."""

    scheme: Literal["he", "xavier", "lecun", "normal"]
    std: float | None = None  # only for "normal"

    def __post_init__(self) -> None:
        if self.scheme not in INITS:
            raise DepthError(
                f"unknown init {self.scheme!r}: expected he, xavier, lecun or normal:STD")
        if (self.scheme == "normal") != (self.std is not None):
            raise DepthError("a std goes with the normal init only (normal:STD)")
        if self.std is not None and not (math.isfinite(self.std) and self.std > 0):
            raise DepthError(f"normal:STD needs a finite std > 0, got {self.std!r}")

    @classmethod
    def parse(cls, text: str) -> Init:
        """`he`, `xavier`, `lecun` or `normal:STD` (also `kaiming`, `glorot`)."""
        name, colon, value = text.strip().lower().partition(":")
        name = _INIT_ALIASES.get(name, name)
        if name == "normal":
            try:
                std = float(value)
            except ValueError:
                raise DepthError(f"init {text!r}: expected normal:STD with a number, "
                                 "e.g. normal:0.05") from None
            return cls("normal", std)
        if colon or name not in INITS:
            raise DepthError(f"unknown init {text!r}: expected he, xavier, lecun or normal:STD")
        return cls(name)  # type: ignore[arg-type]

    def weight_std(self, fan_in: int, fan_out: int) -> float:
        """He: var 2/fan_in; Xavier (Glorot normal): 2/(fan_in+fan_out); LeCun: 1/fan_in."""
        if self.std is not None:
            return self.std
        variance = {"he": 2 / fan_in, "xavier": 2 / (fan_in + fan_out), "lecun": 1 / fan_in}
        return math.sqrt(variance[self.scheme])

    def __str__(self) -> str:
        return f"normal:{self.std:g}" if self.std is not None else self.scheme


@dataclass(frozen=True)
class DepthConfig:
    """The network's shape and randomness; validated (dimension caps) on construction."""

    layers: int = 50
    width: int = 256
    batch: int = 256
    init: Init | str = field(default_factory=lambda: Init("he"))  # a str is parsed
    bias: float = 0.0
    seed: int = 0
    dtype: Literal["float32", "float64"] = "float64"

    def __post_init__(self) -> None:
        if isinstance(self.init, str):
            object.__setattr__(self, "init", Init.parse(self.init))
        for name, low, high in (("layers", 2, MAX_LAYERS), ("width", 1, MAX_WIDTH),
                                ("batch", 1, MAX_BATCH)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise DepthError(f"{name} must be a whole number, got {value!r}")
            if not low <= value <= high:
                raise DepthError(f"{name} must be between {low} and {high}, got {value}")
        float_dtype(self.dtype)
        largest = float(np.finfo(self.dtype).max)
        if not abs(self.bias) <= largest:
            raise DepthError(f"bias must be a finite {self.dtype} number, got {self.bias!r}")
        # A sum of `width` products of weights (beyond 8 std with odds ~1e-15) and numbers
        # <= 1 must fit the dtype, or even the backward pass's rescaled gradient overflows.
        if 8 * self.weight_std * self.width > largest:
            raise DepthError(f"init {self.init} is too large for {self.dtype} at width "
                             f"{self.width}: std * width must stay below {largest / 8:.3g}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) \
                or self.seed < 0:
            raise DepthError(f"seed must be a whole number >= 0, got {self.seed!r}")

    @property
    def weight_std(self) -> float:
        assert isinstance(self.init, Init)  # parsed in __post_init__
        return self.init.weight_std(self.width, self.width)

    def estimate_bytes(self, functions: int = 1) -> int:
        """Peak memory: the weights (L*W*W) and f'(z) kept for the backward pass (L*B*W)
        in the dtype, each function's output and input gradient, and float64 work arrays."""
        itemsize = np.dtype(self.dtype).itemsize
        layers, width, batch = self.layers, self.width, self.batch
        kept = layers * width * (width + batch) + 2 * functions * batch * width
        return itemsize * kept + 8 * (6 * batch * width + width * width)

    def check_size(self, functions: int = 1) -> None:
        """Refuse, before anything is allocated, a run that would need more than MAX_BYTES."""
        need = self.estimate_bytes(functions)
        if need > MAX_BYTES:
            raise DepthError(
                f"{self.layers} layers x {self.width} wide x {self.batch} batch in {self.dtype} "
                f"needs about {need / 2**30:.1f} GiB (limit {MAX_BYTES / 2**30:g} GiB): "
                "use fewer layers, a narrower network or a smaller batch")


@dataclass(frozen=True, eq=False)
class Network:
    """A random network: `weights[l]` maps layer l's input to its pre-activation."""

    config: DepthConfig
    inputs: NDArray[np.floating] = field(repr=False)  # x = h_0, (batch, width)
    output_grad: NDArray[np.floating] = field(repr=False)  # g_L, (batch, width)
    weights: NDArray[np.floating] = field(repr=False)  # (layers, width, width)


def build_network(config: DepthConfig, progress: Progress | None = None) -> Network:
    """The seeded network of `config`; progress(l, layers) after each weight matrix."""
    config.check_size()
    dtype = np.dtype(config.dtype)
    input_rng, grad_rng, weight_rng = np.random.default_rng(config.seed).spawn(3)
    shape = (config.batch, config.width)
    inputs = input_rng.standard_normal(shape).astype(dtype)
    output_grad = grad_rng.standard_normal(shape).astype(dtype)
    weights = np.empty((config.layers, config.width, config.width), dtype)
    std = config.weight_std
    for layer in range(config.layers):
        # Drawn in float64 a layer at a time: float32 weights are the float64 ones rounded.
        weights[layer] = std * weight_rng.standard_normal((config.width, config.width))
        if progress is not None:
            progress(layer + 1, config.layers)
    return Network(config, inputs, output_grad, weights)


@dataclass(frozen=True, eq=False)
class DepthProfile:
    """One function through one network: per-layer arrays (index 0 is layer 1) and a verdict.

    Statistics are over all batch x width entries of a layer (std with ddof=0, so
    mean**2 + std**2 is the second moment). If the forward pass overflows the dtype at
    layer k (`overflow_layer`), the statistics from layer k on and all gradients are NaN.
    """

    label: str
    config: DepthConfig
    pre_mean: NDArray[np.float64]
    pre_std: NDArray[np.float64]
    act_mean: NDArray[np.float64]
    act_std: NDArray[np.float64]
    zero_frac: NDArray[np.float64]  # share of activations exactly 0
    saturated_frac: NDArray[np.float64]  # share of z in a saturated tail (catalog.properties)
    dead_frac: NDArray[np.float64]  # share of units with f'(z) = 0 for every example
    grad_log10: NDArray[np.float64]  # log10(||g_l|| / ||g_L||); -inf where g_l is exactly 0
    overflow_layer: int | None
    output: NDArray[np.floating] | None = field(repr=False)  # h_L
    input_grad: NDArray[np.floating] | None = field(repr=False)  # g_0, the gradient at x

    @property
    def layer_numbers(self) -> NDArray[np.int64]:
        """1, 2, ..., L: the layer of each entry of the per-layer arrays."""
        return np.arange(1, self.config.layers + 1)

    @property
    def grad_rel(self) -> NDArray[np.float64]:
        """||g_l|| / ||g_L|| as floats (0 or inf beyond float64's range; see grad_log10)."""
        with np.errstate(over="ignore", under="ignore"):
            return np.power(10.0, self.grad_log10)

    @property
    def pre_rms(self) -> NDArray[np.float64]:
        """sqrt(mean(z**2)) per layer: the size of the forward signal."""
        return np.hypot(self.pre_mean, self.pre_std)

    @property
    def grad_ratio_log10(self) -> float:
        """log10 of the gradient at layer 1 over the gradient at layer L."""
        return float(self.grad_log10[0])

    @property
    def factor_per_layer(self) -> float:
        """Geometric mean of the layer-to-layer gradient factor, ||g_1||/||g_L|| ** 1/(L-1)."""
        with np.errstate(over="ignore", under="ignore"):
            return float(np.power(10.0, self.grad_ratio_log10 / (self.config.layers - 1)))

    @property
    def signal_ratio_log10(self) -> float:
        """log10 of the pre-activation RMS at layer L over layer 1 (-inf if it died)."""
        rms = self.pre_rms
        with np.errstate(divide="ignore"):
            return float(np.log10(rms[-1]) - np.log10(rms[0]))

    @property
    def verdict(self) -> Verdict:
        """From ||g_1|| / ||g_L||: below 0.1 vanishing, above 10 exploding, else stable
        (0.1 and 10 themselves are stable); a forward pass that overflows is exploding."""
        ratio = self.grad_ratio_log10
        if self.overflow_layer is not None or ratio > math.log10(EXPLODING_ABOVE):
            return "exploding"
        if ratio < math.log10(VANISHING_BELOW):
            return "vanishing"
        return "stable"

    @property
    def explanation(self) -> str:
        """The numbers behind the verdict, in one line."""
        if self.overflow_layer is not None:
            before = self.pre_rms[: self.overflow_layer - 1]
            rate = (before[-1] / before[0]) ** (1 / (before.size - 1)) if before.size > 1 else 0
            growth = f" (the signal grew x{rate:.3g} per layer)" if rate else ""
            return (f"the forward pass overflows {self.config.dtype} at layer "
                    f"{self.overflow_layer}{growth}")
        last = self.config.layers
        if self.grad_ratio_log10 == -math.inf:
            below = int(np.argmax(self.grad_log10 > -math.inf))
            blocked = f"no gradient reaches layer {below}: f'(z) is 0 for every unit and " \
                      f"example at layer {below + 1}"
            all_dead = np.flatnonzero(self.dead_frac == 1)
            if all_dead.size:  # say where the units died, not only where the gradient stopped
                blocked += f" (every unit is already dead at layer {all_dead[0] + 1})"
            return blocked
        rule = {"vanishing": "below 0.1", "exploding": "above 10",
                "stable": "from 0.1 to 10"}[self.verdict]
        return (f"gradient at layer 1 is {_ratio_text(self.grad_ratio_log10)} of layer "
                f"{last} (x{self.factor_per_layer:.3g} per layer): {rule}, so {self.verdict}")

    def assessment(self) -> dict[str, Any]:
        """The per-function line: verdict and the numbers that justify it."""
        return {
            "function": self.label,
            "verdict": self.verdict,
            "grad_ratio": _power_of_ten(self.grad_ratio_log10),
            "grad_ratio_log10": self.grad_ratio_log10,
            "factor_per_layer": self.factor_per_layer,
            "signal_ratio": _power_of_ten(self.signal_ratio_log10),
            "dead_frac": float(self.dead_frac[-1]),  # at layer L
            "overflow_layer": self.overflow_layer,
            "explanation": self.explanation,
        }


def format_power(log10: float, digits: int = 2) -> str:
    """10**log10 in scientific notation even beyond float64's range: -400.5 -> '3.2e-401'."""
    if not math.isfinite(log10):
        return {math.inf: "inf", -math.inf: "0"}.get(log10, "nan")
    exponent = math.floor(log10)
    mantissa = 10 ** (log10 - exponent)
    text = f"{mantissa:.{digits - 1}f}"
    if float(text) >= 10:  # rounding went up to the next power of ten
        exponent, text = exponent + 1, f"{1:.{digits - 1}f}"
    return f"{text}e{exponent:+03d}"


def _ratio_text(log10: float) -> str:
    """format_power with the digits it takes to tell a ratio from the verdict's borders
    (10**1.0003 is 1.0003e+01, not 1.0e+01, beside "above 10")."""
    for digits in range(2, 19):
        text = format_power(log10, digits)
        if float(text) not in (VANISHING_BELOW, EXPLODING_ABOVE) or \
                10 ** log10 in (VANISHING_BELOW, EXPLODING_ABOVE):
            return text
    return text


def _power_of_ten(log10: float) -> float:
    with np.errstate(over="ignore", under="ignore"):
        return float(np.power(10.0, log10))


def profile(act: Activation, network: Network,
            progress: Progress | None = None) -> DepthProfile:
    """Forward the network's inputs through `act`, then its output gradient back.

    progress(done, 2 * layers) is called after each layer of the forward and the backward pass.
    """
    config = network.config
    total = 2 * config.layers

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, total)

    forward = _forward(act, network, tick)
    if forward.overflow_layer is None:
        grad_log10, input_grad = _backward(forward.derivatives, network, tick)
    else:
        grad_log10, input_grad = np.full(config.layers, np.nan), None
        tick(total)
    stats = forward.stats
    return DepthProfile(
        label=act.label, config=config,
        pre_mean=stats[0], pre_std=stats[1], act_mean=stats[2], act_std=stats[3],
        zero_frac=stats[4], saturated_frac=stats[5], dead_frac=stats[6],
        grad_log10=grad_log10, overflow_layer=forward.overflow_layer,
        output=forward.output, input_grad=input_grad,
    )


def explore(functions: Sequence[Activation], config: DepthConfig,
            progress: Progress | None = None) -> list[DepthProfile]:
    """Profile every function on one network built from `config` (a fair comparison).

    Refuses an empty list and oversized runs before allocating anything (vector functions
    never get here: the caller resolves names as elementwise). progress(done, total)
    counts layer steps: building the weights, then each function's forward and backward
    pass (total = layers * (1 + 2 * len(functions))); `done` jumps ahead where a pass ends
    early (overflow, or a gradient that is exactly 0).
    """
    if not functions:
        raise DepthError("give at least one function")
    config.check_size(len(functions))
    layers = config.layers
    total = layers * (1 + 2 * len(functions))

    def offset(start: int) -> Progress | None:
        if progress is None:
            return None
        return lambda done, _total: progress(start + done, total)

    network = build_network(config, offset(0))
    return [profile(act, network, offset(layers * (1 + 2 * i)))
            for i, act in enumerate(functions)]


@dataclass
class _Forward:
    stats: NDArray[np.float64]  # rows: pre mean, pre std, act mean, act std, zero, sat, dead
    derivatives: list[NDArray[np.floating]]  # f'(z_l) per layer, for the backward pass
    overflow_layer: int | None
    output: NDArray[np.floating] | None


def _forward(act: Activation, network: Network, tick: Callable[[int], None]) -> _Forward:
    config = network.config
    tails = saturation_bounds(act)
    stats = np.full((7, config.layers), np.nan)
    derivatives: list[NDArray[np.floating]] = []
    bias = np.dtype(config.dtype).type(config.bias)
    h = network.inputs
    # Overflow to inf (and inf - inf) is expected in an exploding network; it is detected
    # from the moments and reported as overflow_layer instead of warning.
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in range(config.layers):
            z = h @ network.weights[layer]
            if bias:
                z += bias
            pre = _mean_std(z)
            if not all(map(math.isfinite, pre)):
                return _Forward(stats, derivatives, layer + 1, None)
            h, d = act.value_and_grad(z)
            post = _mean_std(h)
            if not (all(map(math.isfinite, post)) and math.isfinite(float(np.abs(d).max()))):
                return _Forward(stats, derivatives, layer + 1, None)
            stats[:4, layer] = pre + post
            stats[4, layer] = np.count_nonzero(h == 0) / h.size
            stats[5, layer] = np.count_nonzero(saturated(z, d, tails)) / h.size
            stats[6, layer] = np.count_nonzero((d == 0).all(axis=0)) / config.width
            derivatives.append(d)
            tick(layer + 1)
    return _Forward(stats, derivatives, None, h)


# Squares of float64 numbers above 2**-400 are normal numbers: a variance above this was
# accumulated without loss to underflow.
_TINY_SQUARE = 2.0**-800


def _mean_std(a: NDArray[np.floating]) -> tuple[float, float]:
    """Mean and std (ddof=0) accumulated in float64; NaN if `a` is not all finite.

    Where the squares over- or underflow (|a| beyond about 1e150 or below 1e-120) they
    are recomputed on a copy scaled by a power of two, which is exact.
    """
    mean = float(a.mean(dtype=np.float64))
    if math.isfinite(mean):
        centred = np.subtract(a, mean, dtype=np.float64)
        variance = float(np.vdot(centred, centred)) / a.size
        if _TINY_SQUARE < variance < math.inf:
            return mean, math.sqrt(variance)
    peak = float(np.max(np.abs(a)))
    if peak == 0 or not math.isfinite(peak):
        return (0.0, 0.0) if peak == 0 else (math.nan, math.nan)
    exponent = math.frexp(peak)[1]
    scaled = np.ldexp(a, -exponent, dtype=np.float64)
    return math.ldexp(float(scaled.mean()), exponent), math.ldexp(float(scaled.std()), exponent)


def _backward(derivatives: list[NDArray[np.floating]], network: Network,
              tick: Callable[[int], None]) -> tuple[NDArray[np.float64], NDArray[np.floating]]:
    """log10(||g_l|| / ||g_L||) per layer and the input gradient; consumes `derivatives`.

    Backpropagation is linear in g, so g * f'(z) is rescaled to max in [0.5, 1) before each
    matmul and the power of two is kept apart (`g_true = g * 2**scale`): the rescaling is
    exact, the matmul cannot overflow, and ratios far beyond the dtype's range (1e-60 in
    float32, 1e-400 in float64) come out right instead of as 0 or inf.
    """
    config = network.config
    layers = config.layers
    log2_norm = np.full(layers, -math.inf)  # stays -inf below a layer that passes nothing
    g = network.output_grad.copy()
    scale = 0
    for layer in reversed(range(layers)):
        log2_norm[layer] = _log2_norm(g) + scale
        upstream = g * derivatives.pop()
        peak = float(np.max(np.abs(upstream)))
        if peak == 0:
            g = upstream
            tick(2 * layers)
            break
        exponent = math.frexp(peak)[1]
        _times_power_of_two(upstream, -exponent)
        scale += exponent
        g = upstream @ network.weights[layer].T
        tick(2 * layers - layer)
    with np.errstate(over="ignore", under="ignore"):
        input_grad = np.ldexp(g, scale).astype(config.dtype, copy=False)
    return (log2_norm - log2_norm[-1]) * _LOG10_2, input_grad


def _times_power_of_two(a: NDArray[np.floating], exponent: int) -> None:
    """a *= 2**exponent in place, exactly; a multiply is much faster than np.ldexp, but
    2**exponent must be a normal number of a's dtype (float32: |exponent| <= 126)."""
    if abs(exponent) <= 126:
        a *= 2.0**exponent
    else:
        np.ldexp(a, exponent, out=a)


def _log2_norm(a: NDArray[np.floating]) -> float:
    """log2 of the Frobenius norm (accumulated in float64, rescaled like `_mean_std` where
    the squares over- or underflow); -inf for a zero array."""
    squares = float(np.vdot(a, a)) if a.dtype == np.float64 else float(
        np.square(a, dtype=np.float64).sum())
    if _TINY_SQUARE < squares < math.inf:
        return 0.5 * math.log2(squares)
    peak = float(np.max(np.abs(a)))
    if peak == 0:
        return -math.inf
    exponent = math.frexp(peak)[1]
    scaled = np.ldexp(a, -exponent, dtype=np.float64)
    return 0.5 * math.log2(float(np.vdot(scaled, scaled))) + exponent
