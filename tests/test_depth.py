"""actcli.analysis.depth checked against the theory of signal propagation, not against itself.

Expectations come from closed forms (He et al. 2015, Glorot & Bengio 2010, Klambauer et
al. 2017), from the mean-field recursion for wide random networks (Poole et al. 2016,
Schoenholz et al. 2017), evaluated here by Gauss-Hermite quadrature with this file's own
formulas, and from norm inequalities. Seeds are fixed; every tolerance says where it
comes from.

Finite-width fluctuations (used throughout). Given the layer below, the second moment q
of a layer's pre-activations is a sum over `width` independent weight columns, so its
relative variance per layer is at most 2/W; the activation's share of it (half of q for
ReLU) adds about 3/W more. Hanin & Nica (2019) give the total for ReLU networks: ln q
performs a random walk with variance about 5/W per layer. These are per-example bounds;
averaging over the batch only shrinks them, so 4 such standard deviations are a safe
tolerance for a fixed seed.
"""

from __future__ import annotations

import dataclasses
import math
import tracemalloc

import numpy as np
import pytest
from numpy.polynomial.hermite_e import hermegauss

import actcli
from actcli.errors import InputError
from actcli.catalog.spec import Activation
from actcli.analysis.depth import (
    DepthConfig,
    DepthError,
    Init,
    build_network,
    explore,
    format_power,
    profile,
)

W = 256  # the default width, layers and batch: 50 x 256 x 256
LAYERS = 50


def walk_sd(steps: int, width: int = W) -> float:
    """Standard deviation of ln(second moment) after `steps` layers (5/W per layer)."""
    return math.sqrt(5 * steps / width)


def second_moment(p) -> np.ndarray:
    # The profile's std has ddof=0, so mean**2 + std**2 is the mean of z**2 exactly.
    return p.pre_mean**2 + p.pre_std**2


# --- mean-field theory ------------------------------------------------------------------

NODES, WEIGHTS = hermegauss(120)  # E[g(xi)], xi ~ N(0, 1) = sum(WEIGHTS * g(NODES))
WEIGHTS = WEIGHTS / WEIGHTS.sum()


def gauss_mean(g, variance: float) -> float:
    return float(np.sum(WEIGHTS * g(math.sqrt(variance) * NODES)))


def mean_field(phi, dphi, gain: float, layers: int, q1: float):
    """Pre-activation second moments q_l and log10(||g_1|| / ||g_L||) of a wide network.

    gain = W * var(w). Weights have mean 0, so z = h.w has second moment
    q_{l+1} = gain * E[phi(z_l)^2]; backpropagation multiplies E||g||^2 by
    chi_l = gain * E[phi'(z_l)^2] through layer l, and g_1 is reached from g_L through
    layers L..2.
    """
    q = [q1]
    for _ in range(layers - 1):
        q.append(gain * gauss_mean(lambda z: phi(z) ** 2, q[-1]))
    chi = [gain * gauss_mean(lambda z: dphi(z) ** 2, v) for v in q]
    return np.array(q), 0.5 * sum(math.log10(c) for c in chi[1:])


def tanh_prime(z):
    return 1 / np.cosh(z) ** 2


def logistic(z):
    return 0.5 * (1 + np.tanh(z / 2))


def logistic_prime(z):
    return 0.25 / np.cosh(z / 2) ** 2


@pytest.fixture(scope="module")
def relu_he():
    return explore([actcli.get("relu")], DepthConfig(init="he"))[0]


@pytest.fixture(scope="module")
def lecun_net():
    # Xavier and LeCun coincide for square layers: var = 2/(W+W) = 1/W.
    return build_network(DepthConfig(init="lecun"))


# --- ReLU and He initialisation ---------------------------------------------------------

def test_relu_he_keeps_the_second_moment(relu_he):
    """He et al. 2015: with var(w) = 2/W, q_{l+1} = W * (2/W) * E[relu(z)^2] = W (2/W) q/2
    = q. The inputs are N(0, 1), so q_1 = W * (2/W) * 1 = 2 at every layer."""
    p = relu_he
    q = second_moment(p)
    steps = np.diff(np.log(q))
    assert np.all(np.abs(steps) < 4 * walk_sd(1))
    for layer, value in enumerate(q, start=1):
        assert abs(math.log(value / 2)) < 4 * walk_sd(layer), layer
    # The geometric-mean rate over 49 steps: 1 within 4 sd of a 49-step walk, per step.
    rate = math.log(q[-1] / q[0]) / (LAYERS - 1)
    assert abs(rate) < 4 * walk_sd(LAYERS - 1) / (LAYERS - 1)
    assert p.verdict == "stable"


def test_relu_small_init_decays_at_the_predicted_rate(relu_he):
    """With std = s * sqrt(2/W), q shrinks by W * var(w) / 2 = s^2 per layer from
    q_1 = W var(w) = 2 s^2. And since relu is positively homogeneous and the weights are
    s times the He weights (the same draws), z_l is exactly s^l times He's z_l."""
    s = 0.5
    relu = actcli.get("relu")
    small = explore([relu], DepthConfig(init=f"normal:{s * math.sqrt(2 / W)!r}"))[0]
    he = relu_he
    q = second_moment(small)
    assert abs(math.log(q[0] / (2 * s**2))) < 4 * walk_sd(1)
    rate = math.log(q[-1] / q[0]) / (LAYERS - 1)
    assert abs(rate - math.log(s**2)) < 4 * walk_sd(LAYERS - 1) / (LAYERS - 1)
    steps = np.diff(np.log(q))
    assert np.all(np.abs(steps - math.log(s**2)) < 4 * walk_sd(1))
    layers = np.arange(1, LAYERS + 1)
    np.testing.assert_allclose(q / second_moment(he), s ** (2 * layers), rtol=1e-12)
    # The same homogeneity backwards: g_l / g_L gains s per layer from L down to l.
    np.testing.assert_allclose(small.grad_log10 - he.grad_log10,
                               (LAYERS - layers) * math.log10(s), atol=1e-9)
    assert small.verdict == "vanishing"


def test_relu_exploding_with_a_large_init():
    """normal:0.2 at width 256 is 0.2 / sqrt(2/256) = 2.26 times He's std: E||g||^2 grows
    by W var(w) / 2 = 5.12 per layer, so g_1 / g_L ~ 5.12^(49/2) = 10^17.4."""
    p = explore([actcli.get("relu")], DepthConfig(init="normal:0.2"))[0]
    predicted = (LAYERS - 1) / 2 * math.log10(0.2**2 * W / 2)
    # The backward pass is a walk like the forward one: 4 sd of ln||g||^2, in log10 of ||g||.
    assert abs(p.grad_ratio_log10 - predicted) < 4 * walk_sd(LAYERS - 1) / 2 / math.log(10)
    assert p.verdict == "exploding"
    assert p.factor_per_layer == pytest.approx(math.sqrt(5.12), rel=0.1)


# --- saturating functions ---------------------------------------------------------------

def test_tanh_xavier_follows_mean_field_and_stays_stable(lecun_net):
    """Glorot & Bengio 2010: tanh with var(w) = 1/W starts at the critical point, where q
    decays only like 1/(2l) and the gradient polynomially, not geometrically."""
    p = profile(actcli.get("tanh"), lecun_net)
    q_theory, grad_theory = mean_field(np.tanh, tanh_prime, 1.0, LAYERS, 1.0)
    layers = np.arange(1, LAYERS + 1)
    assert np.all(np.abs(np.log(second_moment(p) / q_theory)) < 4 * np.sqrt(5 * layers / W))
    assert abs(p.grad_ratio_log10 - grad_theory) < 4 * walk_sd(LAYERS - 1) / 2 / math.log(10)
    assert p.verdict == "stable"


def test_sigmoid_gradient_falls_at_least_by_a_quarter_times_the_weight_gain(lecun_net):
    """g_{l-1} = (g_l * s'(z_l)) @ W_l.T, so ||g_{l-1}|| <= ||W_l||_2 max|s'| ||g_l|| and
    max|s'| = 1/4. The bound holds exactly, layer by layer, with the sampled ||W_l||_2.

    A priori: for a W x W matrix of N(0, v) entries, E||W||_2 <= sqrt(v) 2 sqrt(W) and
    P(||W||_2 > sqrt(v) (2 sqrt(W) + t)) <= exp(-t^2/2) (Davidson & Szarek). Xavier has
    v = 1/W; with t = 6 (odds 1.5e-8 per layer) the factor is at most
    (2 + 6/sqrt(W)) / 4 = 0.59 per layer, so 50 layers give at most 0.59^49 = 8e-12:
    "vanishing" by any threshold.
    """
    p = profile(actcli.get("sigmoid"), lecun_net)
    gains = np.linalg.norm(lecun_net.weights, ord=2, axis=(1, 2))  # ||W_l||_2
    drops = p.grad_log10[:-1] - p.grad_log10[1:]  # log10 ||g_l|| / ||g_{l+1}||
    assert np.all(drops <= np.log10(0.25 * gains[1:]) + 1e-12)
    per_layer = (2 + 6 / math.sqrt(W)) / 4
    assert p.grad_ratio_log10 <= (LAYERS - 1) * math.log10(per_layer)
    assert p.verdict == "vanishing"
    # The bound is far from tight: mean field predicts 10^-30.7 (a factor 0.236 per layer).
    _, grad_theory = mean_field(logistic, logistic_prime, 1.0, LAYERS, 1.0)
    assert abs(p.grad_ratio_log10 - grad_theory) < 4 * walk_sd(LAYERS - 1) / 2 / math.log(10)


def test_selu_lecun_self_normalises(lecun_net):
    """Klambauer et al. 2017: with LeCun-normal weights (W var(w) = 1), (mean, variance) =
    (0, 1) is an attracting fixed point of SELU activations, so finite-width noise does not
    accumulate: each layer stays within a few per-layer noise sizes, sqrt(2/W) = 0.09 on
    the variance (0.045 on the std), and ~1/sqrt(W) = 0.06 on the mean."""
    p = profile(actcli.get("selu"), lecun_net)
    assert np.all(np.abs(p.act_mean) < 0.15)
    assert np.all(np.abs(p.act_std - 1) < 0.15)
    # Not just any init: with He's W var(w) = 2, the positive half alone gives
    # E[selu(z)^2] >= scale^2 q/2, so q grows by scale^2 = 1.104 per layer or more, and
    # the std (>= 0.6 sqrt(q) after removing the mean) ends far above 1.
    he = explore([actcli.get("selu")], DepthConfig(init="he"))[0]
    assert he.act_std[-1] > 2


# --- the linear network -----------------------------------------------------------------

def test_identity_network_is_a_matrix_product():
    config = DepthConfig(layers=8, width=48, batch=32, init="xavier", seed=3)
    network = build_network(config)
    p = profile(actcli.get("identity"), network)
    x, g, weights = network.inputs, network.output_grad, network.weights
    product = np.linalg.multi_dot(list(weights))
    np.testing.assert_allclose(p.output, x @ product, rtol=1e-12, atol=1e-12)
    # Backwards through the transposed matrices, last layer first.
    np.testing.assert_allclose(p.input_grad, g @ product.T, rtol=1e-12, atol=1e-12)
    for layer in range(config.layers):
        z = x @ np.linalg.multi_dot([np.eye(config.width), *weights[:layer + 1]])
        assert p.pre_mean[layer] == pytest.approx(z.mean(), abs=1e-12)
        assert p.pre_std[layer] == pytest.approx(z.std(), rel=1e-12)
        # g_l = g_L @ (W_{l+1} ... W_L).T
        grad = g @ np.linalg.multi_dot([np.eye(config.width), *weights[layer + 1:]]).T \
            if layer + 1 < config.layers else g
        ratio = np.linalg.norm(grad) / np.linalg.norm(g)
        assert p.grad_rel[layer] == pytest.approx(ratio, rel=1e-12)
    assert np.all(p.saturated_frac == 0) and np.all(p.zero_frac == 0)


# --- dead ReLU units --------------------------------------------------------------------

def normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def relu_second_moment(mu: float, var: float) -> float:
    """E[relu(z)^2] for z ~ N(mu, var), in closed form."""
    s = math.sqrt(var)
    a = mu / s
    return (mu**2 + var) * normal_cdf(a) + mu * s * math.exp(-a * a / 2) / math.sqrt(2 * math.pi)


def test_negative_bias_kills_relu_units(relu_he):
    """With bias b, z_l ~ N(b, v_l), v_1 = 2 (He), v_{l+1} = 2 E[relu(z_l)^2]; a unit
    outputs 0 with probability P(z <= 0) = Phi(-b / sqrt(v)). At b = 0 that is 1/2 at
    every layer; at b = -1 it is 0.760, then 0.909, and v collapses, so every unit dies."""
    base = relu_he
    biased = explore([actcli.get("relu")], DepthConfig(init="he", bias=-1.0))[0]
    # The zero fraction is an average over B x W entries. In the first layers the examples
    # are independent and its sd is ~0.01 (each example's and unit's own scale, relative sd
    # sqrt(2/W)); deeper, a ReLU net maps the inputs toward one direction, and at worst the
    # batch counts as one example: a fraction of W units, sd 0.5 / sqrt(W) = 0.031.
    assert np.all(np.abs(base.zero_frac - 0.5) < 4 * 0.5 / math.sqrt(W))
    var = 2.0
    for layer in range(2):
        assert biased.zero_frac[layer] == pytest.approx(normal_cdf(1 / math.sqrt(var)), abs=0.03)
        var = 2 * relu_second_moment(-1.0, var)
    # Then v_3 = 0.039 and P(z > 0) = 1.8e-7 in mean field (finite width lets through a
    # few entries, where one example's activations happened to be larger). What passes is
    # about 0.1 and multiplies weights of sd 1/11, so at layer 4, z = -1 + (a few
    # hundredths) < 0 for every unit and example: all dead from there on.
    assert biased.zero_frac[2] > 0.99
    assert np.all(biased.zero_frac[3:] == 1) and np.all(biased.dead_frac[3:] == 1)
    assert np.all(biased.zero_frac[:4] > base.zero_frac[:4])
    assert np.all(biased.dead_frac >= base.dead_frac)
    # Dead units pass no gradient at all: exactly zero below the last layer.
    assert biased.verdict == "vanishing" and biased.grad_ratio_log10 == -math.inf
    assert "no gradient" in biased.explanation
    # Without bias a first-layer unit is dead only if all 256 examples give z <= 0: 2^-256.
    assert base.dead_frac[0] == 0


# --- numerics: overflow, extreme ratios, float32 -----------------------------------------

def test_overflow_is_reported_not_warned():
    """relu with std 1 at width 64 multiplies q by W/2 = 32 per layer from q_1 = 64. The
    largest of the 4096 entries is ~4.5 sd, so float32 (3.4e38) overflows when
    4.5 sqrt(64 * 32^(l-1)) > 3.4e38: at l = 50. Each layer moves ln q by 3.5, the walk
    by sqrt(5 * 50 / 64) = 2: a few layers either side. float64 would last to l = 408."""
    relu = actcli.get("relu")
    config = dict(layers=80, width=64, batch=64, init="normal:1")
    p32 = explore([relu], DepthConfig(dtype="float32", **config))[0]  # warnings are errors
    assert 45 <= p32.overflow_layer <= 55
    assert p32.verdict == "exploding" and "overflows float32" in p32.explanation
    assert np.all(np.isnan(p32.pre_std[p32.overflow_layer - 1:]))
    assert np.all(np.isfinite(p32.pre_std[:p32.overflow_layer - 1]))
    p64 = explore([relu], DepthConfig(dtype="float64", **config))[0]
    assert p64.overflow_layer is None and p64.verdict == "exploding"
    # exp: z_2 has sd ~ sqrt(2 e^4) = 10 so exp(z_2) < e^50; z_3 has sd ~ e^109 and
    # exp(z_3) is beyond any float.
    p = explore([actcli.get("exponential")], DepthConfig(layers=10, width=64, batch=64))[0]
    assert p.overflow_layer == 3


def test_gradient_ratios_beyond_the_float_range_are_exact():
    """Sigmoid at 300 layers: the gradient falls to ~1e-190, far below float32's 1e-45.
    The float32 network is the float64 one rounded, so the two runs must agree."""
    sigmoid = actcli.get("sigmoid")
    config = dict(layers=300, width=64, batch=64, init="xavier")
    p32, p64 = (explore([sigmoid], DepthConfig(dtype=dt, **config))[0]
                for dt in ("float32", "float64"))
    assert p64.grad_ratio_log10 < -150
    np.testing.assert_allclose(p32.grad_log10, p64.grad_log10, atol=1e-3)
    assert format_power(p64.grad_ratio_log10).endswith(f"e{math.floor(p64.grad_ratio_log10):+d}")


class Recording(Activation):
    """An activation that notes the dtype of every layer-shaped array it is given (the
    function's own properties, where its tails begin, are analysed in float64)."""

    def __init__(self, act: Activation, layer_shape: tuple[int, int]) -> None:
        super().__init__(act.spec, act.params)
        self.layer_shape = layer_shape
        self.seen: set[np.dtype] = set()

    def _note(self, x):
        if np.shape(x) == self.layer_shape:
            self.seen.add(np.asarray(x).dtype)

    def f(self, x):
        self._note(x)
        return super().f(x)

    def df(self, x):
        self._note(x)
        return super().df(x)

    def value_and_grad(self, x):
        self._note(x)
        return super().value_and_grad(x)


def test_float32_computes_in_float32():
    tanh = Recording(actcli.get("tanh"), (32, 64))
    config = dict(layers=10, width=64, batch=32, init="xavier")
    p32 = explore([tanh], DepthConfig(dtype="float32", **config))[0]
    assert tanh.seen == {np.dtype(np.float32)}
    assert p32.output.dtype == np.float32 and p32.input_grad.dtype == np.float32
    p64 = explore([actcli.get("tanh")], DepthConfig(dtype="float64", **config))[0]
    # float32 rounding (2^-24 = 6e-8 per operation, sums of 64 terms over 10 layers):
    # close to float64, but not the same numbers.
    np.testing.assert_allclose(p32.output, p64.output, rtol=1e-4, atol=1e-5)
    assert not np.array_equal(p32.output, p64.output)


# --- reproducibility and fairness -------------------------------------------------------

def test_same_seed_same_numbers_and_one_network_for_all_functions():
    relu, tanh = actcli.get("relu"), actcli.get("tanh")
    config = DepthConfig(layers=12, width=32, batch=16, seed=7)
    first = explore([relu, tanh], config)
    again = explore([tanh, relu], config)
    alone = profile(relu, build_network(config))
    for a, b in ((first[0], again[1]), (first[0], alone), (first[1], again[0])):
        for column in ("pre_mean", "pre_std", "act_std", "grad_log10", "output", "input_grad"):
            assert np.array_equal(getattr(a, column), getattr(b, column)), column
    other = explore([relu], DepthConfig(layers=12, width=32, batch=16, seed=8))[0]
    assert not np.array_equal(other.output, first[0].output)
    # More layers keep the first ones; another init only rescales the same draws.
    longer = build_network(DepthConfig(layers=20, width=32, batch=16, seed=7))
    net = build_network(config)
    assert np.array_equal(longer.weights[:12], net.weights)
    assert np.array_equal(longer.inputs, net.inputs)
    lecun = build_network(DepthConfig(layers=12, width=32, batch=16, seed=7, init="lecun"))
    np.testing.assert_allclose(lecun.weights * math.sqrt(2), net.weights, rtol=1e-15)
    rounded = build_network(DepthConfig(layers=12, width=32, batch=16, seed=7, dtype="float32"))
    assert np.array_equal(rounded.weights, net.weights.astype(np.float32))


@pytest.mark.parametrize(("init", "variance"), [
    ("he", 2 / W), ("kaiming", 2 / W), ("xavier", 2 / (W + W)), ("glorot", 1 / W),
    ("lecun", 1 / W), ("normal:0.05", 0.05**2),
])
def test_initialisations_have_their_variance(init, variance):
    config = DepthConfig(layers=4, width=W, batch=8, init=init)
    weights = build_network(config).weights
    assert config.weight_std == pytest.approx(math.sqrt(variance), rel=1e-15)
    # The sample variance of n normals has relative sd sqrt(2/n); n = 4 W^2 = 262144.
    assert weights.var() == pytest.approx(variance, rel=4 * math.sqrt(2 / weights.size))
    assert abs(weights.mean()) < 4 * math.sqrt(variance / weights.size)


def test_progress_counts_every_layer_step():
    calls = []
    # (tanh and sigmoid: a dead ReLU net would stop its backward pass early, in one jump)
    functions = [actcli.get("tanh"), actcli.get("sigmoid")]
    explore(functions, DepthConfig(layers=6, width=8, batch=4),
            progress=lambda done, total: calls.append((done, total)))
    total = 6 * (1 + 2 * len(functions))
    assert [done for done, _ in calls] == list(range(1, total + 1))
    assert {t for _, t in calls} == {total}


# --- refusals ---------------------------------------------------------------------------

@pytest.mark.parametrize("size", [
    dict(layers=10_000, width=8192, batch=65_536),  # petabytes
    dict(layers=2_000, width=1024, batch=1024),  # 32 GiB: within every cap, over 2 GiB
])
def test_absurd_sizes_are_refused_before_allocating(size):
    tracemalloc.start()
    try:
        with pytest.raises(DepthError, match="GiB") as error:
            explore([actcli.get("relu")], DepthConfig(**size))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1e6
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(("field", "value"), [
    ("layers", 1), ("layers", 10**9), ("width", 0), ("batch", -3), ("layers", 2.5),
    ("seed", -1), ("dtype", "float16"), ("bias", math.inf), ("bias", math.nan),
    ("init", "normal:1e37"),
])
def test_bad_settings_are_refused(field, value):
    settings = {"dtype": "float32"} if field == "init" else {}
    with pytest.raises(InputError if field == "dtype" else DepthError) as error:
        DepthConfig(**settings, **{field: value})
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("text", ["normal", "normal:", "normal:abc", "normal:-1", "normal:0",
                                  "normal:inf", "uniform", "he:2", ""])
def test_bad_inits_are_refused(text):
    with pytest.raises(DepthError, match="init|std"):
        Init.parse(text)


def test_init_spellings():
    assert Init.parse(" Glorot ") == Init("xavier")
    assert Init.parse("normal:0.05") == Init("normal", 0.05)
    assert str(Init.parse("normal:0.05")) == "normal:0.05"


@pytest.mark.parametrize("name", ["softmax", "glu"])
def test_vector_functions_are_refused(name):
    from typer.testing import CliRunner

    from actcli import cli

    result = CliRunner().invoke(cli.app, ["depth", "relu", name, "--layers", "2", "--width", "4"])
    assert result.exit_code == 2 and f"{name} is a vector function" in result.stderr
    assert "a layer needs one f'(z) per unit" in result.stderr


# --- presentation helpers ---------------------------------------------------------------

@pytest.mark.parametrize("value", [3.2e-5, 1.0, 9.96, 0.0999, 6.8e17, 1e-300])
def test_format_power_matches_python_in_range(value):
    assert format_power(math.log10(value)) == f"{value:.1e}"


def test_format_power_beyond_float64():
    assert format_power(-400.5) == "3.2e-401"
    assert format_power(512.0) == "1.0e+512"
    assert format_power(-math.inf) == "0"


def test_per_layer_arrays_and_summary():
    p = explore([actcli.get("leaky_relu", negative_slope=0.2)],
                DepthConfig(layers=3, width=8, batch=4))[0]
    assert p.layer_numbers.tolist() == [1, 2, 3]
    assert p.label == "leaky_relu(negative_slope=0.2)"
    assert p.grad_rel[-1] == 1.0 and p.grad_log10[-1] == 0.0
    summary = p.assessment()
    assert summary["verdict"] == p.verdict
    assert summary["grad_ratio"] == pytest.approx(p.grad_rel[0])


def test_the_explanation_says_where_units_died():
    # Bias -1 with He init: from layer ~4 every pre-activation is the bias (all units dead).
    profile = explore([actcli.get("relu")], DepthConfig(layers=20, width=64, batch=64, bias=-1.0))[0]
    first_dead = int(np.flatnonzero(profile.dead_frac == 1)[0]) + 1
    assert first_dead < 10
    assert f"already dead at layer {first_dead}" in profile.explanation


# --- the verdict's borders (issue 17: "stable" beside a ratio of 0.098) ------------------

@pytest.fixture(scope="module")
def small_relu():
    return explore([actcli.get("relu")], DepthConfig(layers=3, width=4, batch=4))[0]


@pytest.mark.parametrize("log10, verdict, rule", [
    (np.nextafter(-1.0, -np.inf), "vanishing", "below 0.1"),
    (-1.0, "stable", "from 0.1 to 10"),
    (np.nextafter(-1.0, 0.0), "stable", "from 0.1 to 10"),
    (np.nextafter(1.0, 0.0), "stable", "from 0.1 to 10"),
    (1.0, "stable", "from 0.1 to 10"),
    (np.nextafter(1.0, np.inf), "exploding", "above 10"),
    (-1.0072895, "vanishing", "below 0.1"),  # sigmoid through 3 layers: 0.098
    (1.0016, "exploding", "above 10"),  # tanh through 50 He layers: 10.04
])
def test_the_verdict_follows_the_overall_ratio_at_its_stated_borders(small_relu, log10, verdict,
                                                                      rule):
    p = dataclasses.replace(small_relu, grad_log10=np.array([log10, log10 / 2, 0.0]))
    assert p.verdict == verdict
    assert p.assessment()["verdict"] == verdict
    assert p.explanation.endswith(f": {rule}, so {verdict}")
    # The ratio is printed with the digits it takes to tell it from the border it crossed.
    shown = float(p.explanation.split(" is ")[1].split(" of ")[0])
    if verdict == "vanishing":
        assert shown < 0.1
    elif verdict == "exploding":
        assert shown > 10
    else:
        assert 0.1 <= shown <= 10


def test_sigmoid_through_three_layers_is_vanishing():
    p = explore([actcli.get("sigmoid")], DepthConfig(layers=3))[0]
    assert p.grad_ratio_log10 < -1 and p.verdict == "vanishing"


def test_the_help_states_the_verdict_rule():
    from typer.testing import CliRunner

    from actcli import cli

    result = CliRunner().invoke(cli.app, ["depth", "--help"], env={"COLUMNS": "200"})
    assert "below 0.1 vanishing, above 10 exploding" in " ".join(result.stdout.split())
