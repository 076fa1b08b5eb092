"""Declared properties checked against the numerics; derivatives checked by finite
differences; vector Jacobians checked column by column. The same checks run on a record
added by a test fixture, which proves that the catalog is data."""

from __future__ import annotations

import math
import re

import mpmath
import mpref
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import actcli
from actcli.catalog import REGISTRY, Interval, Spec
from actcli.catalog.classic import ELISH_MIN, SERF_MIN, TANHEXP_MIN
from actcli.catalog.elementwise import GELU_MIN, MISH_MIN, SILU_MIN
from actcli.catalog.properties import DEFAULT_SATURATION, describe_tails, saturated, saturation_bounds
from actcli.catalog.spec import Activation

# Parameter settings beyond the defaults, so that declared properties are checked where
# they depend on the parameters.
VARIANTS = {
    "leaky_relu": [{"negative_slope": 0.2}, {"negative_slope": 0.0}, {"negative_slope": -0.5},
                   {"negative_slope": 1.0}],
    "prelu": [{"weight": 0.0}], "rrelu": [{"lower": 0.0, "upper": 0.5}],
    "elu": [{"alpha": 0.5}, {"alpha": 2.0}, {"alpha": 0.0}], "celu": [{"alpha": 2.0}, {"alpha": 0.25}],
    "silu": [{"beta": 2.0}, {"beta": 0.0}], "softplus": [{"beta": 2.0}, {"beta": 0.5}],
    "hardtanh": [{"min_val": -2.0, "max_val": 3.0}], "squareplus": [{"b": 1.0}],
    "softshrink": [{"lambd": 1.0}, {"lambd": 0.0}], "hardshrink": [{"lambd": 1.0}],
    "threshold": [{"threshold": 1.0, "value": -2.0}, {"threshold": 1.0, "value": 3.0},
                  {"threshold": -1.0, "value": -1.0}],
    "gelu": [{"approximate": "tanh"}],
    "star_relu": [{"scale": 2.0, "bias": 0.5}], "dyt": [{"alpha": 0.25}], "sine": [{"w0": 3.0}],
    "snake": [{"alpha": 0.5}], "binary_step": [{"value": 0.0}, {"value": 0.5}, {"value": 2.0}],
    "isru": [{"alpha": 4.0}], "isrlu": [{"alpha": 0.25}], "smelu": [{"beta": 0.5}],
    "penalized_tanh": [{"a": 1.0}, {"a": 0.5}],
}


def _cases(registry=REGISTRY):
    for spec in registry:
        if spec.kind != "elementwise":
            continue
        for params in [{}, *VARIANTS.get(spec.name, [])]:
            yield pytest.param(spec.name, params, id=spec.bind(**params).label)


def _act(name, params) -> Activation:
    return actcli.get(name, **params)


def _grid(act: Activation) -> np.ndarray:
    kinks = np.array(act.kinks)
    near = np.concatenate([kinks, np.nextafter(kinks, -np.inf), np.nextafter(kinks, np.inf)])
    return np.unique(np.concatenate([np.linspace(-30, 30, 6001), near, [-1e3, 1e3]]))


def _away_from_kinks(act: Activation, x: np.ndarray, gap: float) -> np.ndarray:
    if not act.kinks:
        return x
    return x[np.min(np.abs(x[:, None] - np.array(act.kinks)[None, :]), axis=1) > gap]


# --- checks shared by the catalog and by the fixture record -----------------------------

def check_range(act: Activation) -> None:
    rng = act.output_range
    x = np.concatenate([_grid(act), [-np.inf, np.inf]])
    y = act.f(x)
    # A function with no limit at an infinity (sin) is NaN there, and only there.
    assert not np.isnan(y[np.isfinite(x)]).any()
    x, y = x[~np.isnan(y)], y[~np.isnan(y)]
    assert np.all(y >= rng.low) and np.all(y <= rng.high), (rng, y.min(), y.max())
    # The declared bounds are tight: reached or approached on the grid or at +-inf.
    for bound, extreme in ((rng.low, y.min()), (rng.high, y.max())):
        if math.isinf(bound):
            assert abs(extreme) > 500, (bound, extreme)
        else:
            assert extreme == pytest.approx(bound, rel=1e-4, abs=1e-6)  # grid step 0.01
    # A closed finite end is attained at a moderate input (exactly, or as an interior
    # extremum of the grid); an open one is only approached far out or in a limit.
    finite = np.isfinite(x)
    xf, yf = x[finite], y[finite]
    for bound, closed in ((rng.low, rng.low_closed), (rng.high, rng.high_closed)):
        if math.isfinite(bound) and act.smoothness != "discontinuous":
            i = int(np.argmin(np.abs(yf - bound)))
            interior = abs(xf[i]) < 10 and yf[i] == pytest.approx(bound, rel=1e-4)
            # Exactly on a flat piece (relu below 0), not a tail that rounds to the bound.
            plateau = np.any((yf == bound) & (act.df(xf) == 0) & (np.abs(xf) < 10))
            # A periodic function's extremum recurs: any moderate turning point counts.
            turning = (yf[1:-1] - yf[:-2]) * (yf[2:] - yf[1:-1]) < 0
            recurring = np.any(turning & (np.abs(xf[1:-1]) < 10)
                               & np.isclose(yf[1:-1], bound, rtol=1e-4, atol=0))
            assert closed == bool(interior or plateau or recurring), (bound, closed, xf[i])


def check_monotonic(act: Activation) -> None:
    x = _grid(act)
    d, y = act.df(x), act.f(x)
    if act.monotonic in ("increasing", "non-decreasing"):
        assert np.all(d >= 0), x[d < 0][:5]
        assert np.all(np.diff(y) >= 0), x[1:][np.diff(y) < 0][:5]
    if act.monotonic == "increasing":
        # Strict: f' vanishes nowhere but at isolated points (tanhshrink at 0).
        moderate = np.abs(x) < 5
        assert np.count_nonzero(d[moderate] == 0) <= 1
    if act.monotonic == "no":
        assert np.any(np.diff(y) < 0) and np.any(np.diff(y) > 0)
    if act.monotonic == "non-decreasing":
        # Not strictly increasing: somewhere flat, else it should be declared increasing.
        assert np.any(d == 0)


def check_smoothness(act: Activation) -> None:
    """Classify each declared kink from one-sided limits, and require the declared class
    to be the least smooth one found; a C-inf function declares no kinks. A kink where f,
    f' and f'' are all continuous is C2 (isrlu: the third derivative jumps, which is not
    checked here)."""
    order = ["discontinuous", "C0", "C1", "C2", "Cinf"]
    found = "Cinf"
    for k in act.kinks:
        h = 1e-7 * max(1.0, abs(k))
        left, right = k - h, k + h
        scale = 1e-4
        if abs(act.f(right) - act.f(left)) > scale:
            cls = "discontinuous"
        elif abs(act.df(right) - act.df(left)) > scale:
            cls = "C0"
        elif abs(act.d2f(right) - act.d2f(left)) > scale:
            cls = "C1"
        else:
            cls = "C2"
        found = min(found, cls, key=order.index)
        assert cls != "C2" or act.smoothness == "C2", f"declared kink at {k} is smooth"
    assert act.smoothness == found


def check_derivatives(act: Activation) -> None:
    """f' and f'' against central differences (Richardson-extrapolated) away from kinks."""
    x = _away_from_kinks(act, np.linspace(-12, 12, 481) + 0.0123, gap=0.05)
    for lower, upper in ((act.f, act.df), (act.df, act.d2f)):
        h = 1e-3
        d1 = (lower(x + h) - lower(x - h)) / (2 * h)
        d2 = (lower(x + h / 2) - lower(x - h / 2)) / h
        estimate = (4 * d2 - d1) / 3
        exact = upper(x)
        scale = np.maximum(1.0, np.abs(lower(x)))
        assert np.allclose(exact, estimate, rtol=1e-7, atol=1e-8 * scale.max()), x[
            ~np.isclose(exact, estimate, rtol=1e-7, atol=1e-8)][:5]


def check_derived_properties(act: Activation) -> None:
    props = act.properties
    assert props.zero_centred == (props.f0 == 0 and props.output_range.low < 0 < props.output_range.high)
    grid_max = float(np.max(np.abs(act.df(_grid(act)))))
    assert props.max_abs_grad >= grid_max * (1 - 1e-12)
    if math.isfinite(props.max_abs_grad):  # above the grid's only between its points (step 0.01)
        assert props.max_abs_grad <= grid_max * (1 + 1e-4) or props.max_abs_grad_at.startswith(("x ->", "|x|"))


def check_saturated_tails(act: Activation) -> None:
    """A tail starts at the last x where |f'| >= 5% of max |f'|: |f'| is below that at
    every sampled point beyond it, on a side where f' tends to 0, and not 0 throughout."""
    props = act.properties
    bounds = saturation_bounds(act)
    limit = DEFAULT_SATURATION * props.max_abs_grad
    for side, edge in ((-1, bounds[0]), (1, bounds[1])):
        if math.isinf(edge):
            assert edge == -side * math.inf or edge == side * math.inf
            continue
        assert props.saturates in ("both", "left" if side < 0 else "right")
        assert abs(float(act.df(edge))) >= limit
        beyond = edge + side * (abs(edge) + 1) * np.logspace(-12, 6, 400)
        beyond = np.concatenate([[np.nextafter(edge, side * math.inf)], beyond])
        slopes = np.abs(act.df(beyond))
        assert np.all(slopes < limit), beyond[slopes >= limit][:3]
        assert np.any(slopes > 0)  # a tail of zeros is dead, not saturated


ALL_CHECKS = (check_range, check_monotonic, check_smoothness, check_derivatives, check_derived_properties,
              check_saturated_tails)


@pytest.mark.parametrize("name, params", list(_cases()))
@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_declared_and_derived_properties(check, name, params):
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        check(_act(name, params))


@pytest.mark.parametrize("name, params", [case for case in _cases() if case.values[0] in mpref.REFERENCES])
def test_f_and_f_prime_at_zero_match_mpmath(name, params):
    """f(0) and f'(0), shown by `info` and used for zero-centring, against the references."""
    props = _act(name, params).properties
    for value, order in ((props.f0, 0), (props.df0, 1)):
        exact = mpref.reference(name, order, 0.0, **params)
        assert value == pytest.approx(float(exact), rel=4e-16, abs=1e-300), (order, mpref.show(exact))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([s.name for s in REGISTRY if s.kind == "elementwise"]),
       st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_hypothesis_range_and_monotonicity(name, a, b):
    act = actcli.get(name)
    lo, hi = min(a, b), max(a, b)
    f_lo, f_hi = float(act.f(lo)), float(act.f(hi))
    rng = act.output_range
    assert rng.low <= f_lo <= rng.high and rng.low <= f_hi <= rng.high
    if act.monotonic in ("increasing", "non-decreasing"):
        assert f_lo <= f_hi


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([s.name for s in REGISTRY if s.kind == "elementwise"]), st.floats(-20, 20))
def test_hypothesis_second_derivative_is_the_slope_of_the_first(name, x):
    act = actcli.get(name)
    if any(abs(x - k) < 1e-3 for k in act.kinks):
        return
    h = 1e-5
    slope = (float(act.df(x + h)) - float(act.df(x - h))) / (2 * h)
    assert float(act.d2f(x)) == pytest.approx(slope, rel=1e-4, abs=1e-6)


# --- constants that the records declare, recomputed with mpmath -------------------------

def _minimum(func, start):
    x0 = mpmath.findroot(lambda x: mpmath.diff(func, x), start)
    return float(func(x0))


def test_declared_minima_match_mpmath():
    with mpmath.workdps(40):
        k = mpmath.sqrt(2 / mpmath.pi)
        assert GELU_MIN["none"] == _minimum(lambda x: x * mpmath.ncdf(x), -0.75)
        assert GELU_MIN["tanh"] == _minimum(
            lambda x: x / 2 * (1 + mpmath.tanh(k * (x + mpmath.mpf("0.044715") * x**3))), -0.75)
        assert SILU_MIN == _minimum(lambda x: x / (1 + mpmath.exp(-x)), -1.28)
        assert MISH_MIN == _minimum(lambda x: x * mpmath.tanh(mpmath.log1p(mpmath.exp(x))), -1.19)
        assert SERF_MIN == _minimum(lambda x: x * mpmath.erf(mpmath.log1p(mpmath.exp(x))), -1.19)
        assert TANHEXP_MIN == _minimum(lambda x: x * mpmath.tanh(mpmath.exp(x)), -1.08)
        assert ELISH_MIN == _minimum(lambda x: mpmath.expm1(x) / (1 + mpmath.exp(-x)), -0.88)


def test_max_gradient_locations_match_theory():
    gelu = actcli.get("gelu").properties  # gelu'' = phi(x)(2 - x^2): the max is at sqrt(2)
    assert gelu.max_abs_grad_at == "x = 1.41421"
    assert gelu.max_abs_grad == pytest.approx(0.5 * (1 + math.erf(1)) + math.sqrt(2) * math.exp(-1) / math.sqrt(2 * math.pi), rel=1e-14)
    assert actcli.get("relu").properties.max_abs_grad_at == "x > 0"
    assert actcli.get("hardsigmoid").properties.max_abs_grad_at == "-3 < x < 3"
    assert actcli.get("leaky_relu", negative_slope=2).properties.max_abs_grad_at == "x <= 0"
    assert actcli.get("softplus").properties.max_abs_grad_at == "x -> +inf"
    assert actcli.get("exponential").properties.max_abs_grad == math.inf
    hardswish = actcli.get("hardswish").properties  # f' = (2x+3)/6 rises to 1.5 just below 3
    assert (hardswish.max_abs_grad, hardswish.max_abs_grad_at) == (pytest.approx(1.5), "x -> 3-")


def test_peaks_of_a_periodic_or_even_slope_are_refined_and_the_nearest_to_0_named():
    # snake' = 1 + sin(2 alpha x): 2 at (pi/4 + k pi) / alpha; the one nearest 0 is named.
    for alpha in (1.0, 3.0):
        snake = actcli.get("snake", alpha=alpha).properties
        assert snake.max_abs_grad == pytest.approx(2.0, rel=1e-15)
        assert snake.max_abs_grad_x == (pytest.approx(math.pi / 4 / alpha, rel=1e-7),)
    # gaussian' = -2x exp(-x^2): sqrt(2/e) at +-1/sqrt(2), both named.
    gaussian = actcli.get("gaussian").properties
    assert gaussian.max_abs_grad == pytest.approx(math.sqrt(2 / math.e), rel=1e-14)
    assert gaussian.max_abs_grad_x == pytest.approx((-1 / math.sqrt(2), 1 / math.sqrt(2)), rel=1e-7)
    assert gaussian.max_abs_grad_where == "x = x1 or x = x2"
    # lisht' = tanh x + x sech^2 x peaks where lisht'' = 2 sech^2 x (1 - x tanh x) = 0.
    peak = mpmath.findroot(lambda x: 1 - x * mpmath.tanh(x), 1.2)
    lisht = actcli.get("lisht").properties
    assert lisht.max_abs_grad == pytest.approx(float(mpmath.tanh(peak) + peak * mpmath.sech(peak) ** 2), rel=1e-14)
    assert lisht.max_abs_grad_x == pytest.approx((-float(peak), float(peak)), rel=1e-7)
    # A formula: (sin^2)' = sin(2x), 1 at pi/4 + k pi/2; and sine's at 0 stays there.
    squared = actcli.get("sin(x)**2").properties
    assert squared.max_abs_grad_x == pytest.approx((-math.pi / 4, math.pi / 4), rel=1e-7)
    assert actcli.get("sine", w0=30.0).properties.max_abs_grad_at == "x = 0"


def test_a_slope_that_grows_without_a_limit_has_no_finite_sup():
    # gcu' = cos x - x sin x has no limit at +-inf (NaN there) and no bound.
    for act in (actcli.get("gcu"), actcli.get("x*sin(x)")):
        assert (act.properties.max_abs_grad, act.properties.max_abs_grad_at) == (math.inf, "|x| -> inf")
    # A bounded one without a limit keeps the sup of its values: no sample far out counts.
    assert actcli.get("sine").properties.max_abs_grad == 1.0
    assert actcli.get("snake").properties.max_abs_grad_at != "|x| -> inf"


def test_saturated_tails_where_closed_forms_put_them():
    """The start of each tail, |f'(x)| = 5% of max |f'|, solved independently (mpmath)."""
    c = mpmath.mpf("0.05")
    sigmoid_e = ((1 - c / 2) - mpmath.sqrt(1 - c)) / (c / 2)  # e/(1+e)^2 = c/4, e = exp(-x)
    gelu_slope = lambda x: mpmath.ncdf(x) + x * mpmath.npdf(x)  # noqa: E731
    gelu_max = gelu_slope(mpmath.sqrt(2))
    expected = {
        "tanh": (-mpmath.acosh(mpmath.sqrt(1 / c)), mpmath.acosh(mpmath.sqrt(1 / c))),
        "sigmoid": (mpmath.log(sigmoid_e), -mpmath.log(sigmoid_e)),
        "softsign": (1 - mpmath.sqrt(1 / c), mpmath.sqrt(1 / c) - 1),
        "elu": (mpmath.log(c), math.inf),
        "gelu": (mpmath.findroot(lambda x: gelu_slope(x) + c * gelu_max, -2.3), math.inf),
    }
    for name, (low, high) in expected.items():
        found = saturation_bounds(actcli.get(name))
        assert found == pytest.approx((float(low), float(high)), rel=1e-12), name
    # Not tails: leaky_relu's constant 0.01 slope, relu's dead half, gelu's dip near -0.75.
    assert saturation_bounds(actcli.get("leaky_relu")) == (-math.inf, math.inf)
    assert saturation_bounds(actcli.get("relu")) == (-math.inf, math.inf)
    gelu = actcli.get("gelu")
    dip = np.linspace(-1.5, 0, 301)
    assert not saturated(dip, gelu.df(dip), saturation_bounds(gelu)).any()
    assert np.abs(gelu.df(dip)).min() < 1e-3  # (where the old rule saw saturation)


_EDGE = st.floats(-1e6, 1e6).filter(lambda v: abs(v) > 1e-3)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_EDGE, st.just(-math.inf)), st.one_of(_EDGE, st.just(math.inf)))
@example(-2.18, 2.18)
@example(-math.inf, math.inf)
def test_the_words_for_the_tails_put_each_bound_on_its_side(low, high):
    """describe_tails read back: x < (the left bound), x > (the right one), to 3 digits."""
    assume(low < high)
    text = describe_tails((low, high))
    left = re.search(r"x < (\S+)", text)
    right = re.search(r"x > (\S+)", text)
    if low == -high and math.isfinite(high):
        assert text == f"|x| > {high:.3g}"
        return
    assert (left is not None) == math.isfinite(low) and (right is not None) == math.isfinite(high)
    if left:
        assert float(left[1]) == pytest.approx(low, rel=5e-3)
    if right:
        assert float(right[1]) == pytest.approx(high, rel=5e-3)
    assert text.startswith("x < ") or not left  # the left tail is named first


def test_saturation_and_zero_centring_as_the_tutorials_say():
    props = {n: actcli.get(n).properties for n in ("sigmoid", "tanh", "relu", "leaky_relu", "elu")}
    assert props["sigmoid"].saturates == props["tanh"].saturates == "both"
    assert props["relu"].saturates == "left" and props["leaky_relu"].saturates == "no"
    assert props["tanh"].zero_centred and not props["sigmoid"].zero_centred
    assert props["sigmoid"].output_range == Interval(0.0, 1.0)


# --- vector functions -------------------------------------------------------------------

VECTOR_INPUTS = [np.array([0.9, 0.5, 0.1, -1.5]), np.array([0.5, 0.45, 0.3, 0.5]),
                 np.array([-3.0, 7.0, 7.0, 1.0, 0.0, 2.5])]


@pytest.mark.parametrize("name", [s.name for s in REGISTRY if s.kind == "vector"])
@pytest.mark.parametrize("x", VECTOR_INPUTS, ids=["a", "ties", "six"])
def test_jacobian_matches_finite_differences_and_jvp(name, x):
    act = actcli.get(name)
    jac = act.jacobian(x)
    h = 1e-6
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        column = (act.f(x + e) - act.f(x - e)) / (2 * h)
        assert np.allclose(jac[:, j], column, atol=1e-7), (name, j)
    v = np.linspace(-1, 1, x.size)
    assert np.allclose(act.jvp(x, v), jac @ v, atol=1e-12)
    batch = np.stack([x, x[::-1]])
    assert np.allclose(act.jvp(batch, np.stack([v, v])), np.stack([jac @ v, act.jacobian(x[::-1]) @ v]))


@pytest.mark.parametrize("name", ["softmax", "softmin", "sparsemax"])
def test_distributions_sum_to_one_along_the_axis(name):
    act = actcli.get(name)
    logits = np.random.default_rng(7).normal(scale=5, size=(4, 6, 3))
    for axis in (0, 1, -1):
        p = act.f(logits, axis=axis)
        assert p.shape == logits.shape and np.all(p >= 0)
        assert np.allclose(p.sum(axis=axis), 1.0, atol=1e-14)


def test_log_softmax_is_log_of_softmax_without_underflow():
    x = np.array([0.0, -800.0, -1000.0])
    out = actcli.get("log_softmax").f(x)
    assert out.tolist() == [0.0, -800.0, -1000.0]  # log(softmax) would give -inf
    assert np.allclose(np.exp(actcli.get("log_softmax").f([2, 1, 0.1])), actcli.get("softmax").f([2, 1, 0.1]))


def test_softmax_defined_results_for_infinities():
    softmax = actcli.get("softmax")
    assert softmax.f([1.0, np.inf, np.inf, -np.inf]).tolist() == [0.0, 0.5, 0.5, 0.0]
    assert np.isnan(softmax.f([-np.inf, -np.inf])).all()
    assert np.isnan(softmax.f([1.0, np.nan])).all()
    assert softmax.f([1e308, -1e308]).tolist() == [1.0, 0.0]
    assert softmax.f([1000.0, 1000.0]).tolist() == [0.5, 0.5]


def test_sparsemax_matches_the_papers_closed_form():
    # Two entries within 1 of each other share the mass linearly: p = ((1 + a - b)/2, ...).
    assert actcli.get("sparsemax").f([0.5, 0.3]).tolist() == pytest.approx([0.6, 0.4])
    assert actcli.get("sparsemax").f([3.0, 1.0, 0.5]).tolist() == [1.0, 0.0, 0.0]


def test_glu_halves_and_rejects_odd_lengths():
    out = actcli.get("glu").f([1.0, 2.0, 0.0, 100.0])
    assert out.tolist() == pytest.approx([0.5, 2.0])
    with pytest.raises(ValueError, match="even number"):
        actcli.get("glu").f([1.0, 2.0, 3.0])


@pytest.mark.parametrize("name, act", [("swiglu", lambda a: a / (1 + math.exp(-a))),
                                       ("geglu", lambda a: a * (1 + math.erf(a / math.sqrt(2))) / 2),
                                       ("reglu", lambda a: max(a, 0.0))])
def test_gated_units_activate_the_first_half_unlike_torch_glu(name, act):
    a, b = [1.5, -0.5], [2.0, 3.0]
    out = actcli.get(name).f(a + b)
    assert out.tolist() == pytest.approx([act(a[0]) * b[0], act(a[1]) * b[1]], rel=1e-15)
    assert "torch.nn.functional.glu gates the other way" in actcli.spec(name).notes
    with pytest.raises(ValueError, match=f"{name} needs an even number"):
        actcli.get(name).f([1.0, 2.0, 3.0])


# --- the catalog is data: a record added in a fixture is seen everywhere -----------------

def _cube_f(x, c):
    return c * x**3


CUBE = Spec(
    name="cube_test", family="test", aliases=("CubeTest",), summary="c x^3, a test record.",
    formula="f(x) = c x^3", latex=r"c x^3", reference="-",
    params=(actcli.Param("c", 1.0, "scale", low=0.0, low_open=True),),
    f=lambda x, c: c * np.clip(x, -1e100, 1e100) ** 3,
    df=lambda x, c: 3 * c * np.clip(x, -1e100, 1e100) ** 2,
    d2f=lambda x, c: 6 * c * np.clip(x, -1e100, 1e100),
    output_range=Interval(-math.inf, math.inf), monotonic="increasing", smoothness="Cinf",
    frameworks={"PyTorch": "-"},
)


@pytest.fixture
def extended_registry(monkeypatch):
    """The real registry with one more record, restored after the test."""
    monkeypatch.setattr(REGISTRY, "_specs", dict(REGISTRY._specs))
    monkeypatch.setattr(REGISTRY, "_keys", dict(REGISTRY._keys))
    REGISTRY.add(CUBE)
    return REGISTRY


def test_a_new_record_is_seen_everywhere(extended_registry):
    from typer.testing import CliRunner

    from actcli.cli import app

    assert "cube_test" in actcli.names()
    act = actcli.get("cube-TEST", c=2)
    assert float(act.f(2.0)) == 16.0 and float(act.df(1.0)) == 6.0
    assert act.properties.zero_centred and act.properties.saturates == "no"
    assert act.properties.f0 == 0 and act.properties.df0 == 0  # c x^3 and 3 c x^2 at 0
    for check in ALL_CHECKS:
        check(act)
    with pytest.raises(actcli.ParamError, match="valid: c"):
        actcli.get("cube_test", d=1)
    runner = CliRunner()
    assert "cube_test,test,elementwise,\"c x^3, a test record.\"" in runner.invoke(app, ["list"]).stdout
    assert runner.invoke(app, ["eval", "CubeTest:c=2", "2"]).stdout == "x,cube_test\n2.0,16.0\n"
    assert "cube_test" in runner.invoke(app, ["info", "cube_test", "-f", "json"]).stdout
