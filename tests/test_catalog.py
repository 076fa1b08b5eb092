"""The registry, parameters, the Python API contract and the numerics' edge behaviour."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actcli
from actcli.catalog import REGISTRY, ParamError, ShapeError, UnknownFunctionError

ELEMENTWISE = [s.name for s in REGISTRY if s.kind == "elementwise"]
VECTOR = [s.name for s in REGISTRY if s.kind == "vector"]

# Finite extremes the stable formulas must take without a warning (tests run with
# warnings as errors; numpy floating-point errors are raised, underflow excepted).
EXTREMES = np.array([-1e308, -1e300, -1e154, -1000.0, -745.0, -709.0, -40.0, -1e-300, -0.0,
                     0.0, 5e-324, 1e-300, 40.0, 709.0, 745.0, 1000.0, 1e154, 1e300, 1e308])

REQUIRED = {
    "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "celu", "gelu",
    "quick_gelu", "silu", "mish", "softplus", "softsign", "hardtanh", "relu6", "hardsigmoid",
    "hardswish", "log_sigmoid", "tanhshrink", "softshrink", "hardshrink", "threshold",
    "prelu", "rrelu", "squareplus", "sparse_plus", "exponential",
    "softmax", "log_softmax", "softmin", "sparsemax", "glu",
    # current models (issue 15)
    "relu_squared", "star_relu", "dyt", "sparse_sigmoid", "sine", "snake",
    "swiglu", "geglu", "reglu",
    # classics the frameworks lack
    "binary_step", "arctan", "gaussian", "bent_identity", "isru", "isrlu", "sqnl", "lisht",
    "gcu", "serf", "smelu", "tanhexp", "elish", "penalized_tanh",
}


@pytest.fixture(autouse=True)
def _raise_on_fp_errors():
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        yield


def test_catalog_holds_every_required_function():
    assert REQUIRED <= set(actcli.names())
    assert len(REGISTRY) >= 50


@pytest.mark.parametrize("spelling, name", [
    ("ReLU", "relu"), ("LeakyReLU", "leaky_relu"), ("leaky-relu", "leaky_relu"),
    ("LEAKY_RELU", "leaky_relu"), ("swish", "silu"), ("SiLU", "silu"), ("hard_sigmoid", "hardsigmoid"),
    ("hard-swish", "hardswish"), ("hard_silu", "hardswish"), ("logsigmoid", "log_sigmoid"),
    ("linear", "identity"), ("soft_sign", "softsign"), ("LogSoftmax", "log_softmax"),
    ("tanh_shrink", "tanhshrink"), (" GELU ", "gelu"), ("squared_relu", "relu_squared"),
    ("relu2", "relu_squared"), ("dynamic_tanh", "dyt"), ("heaviside", "binary_step"),
    ("step", "binary_step"), ("sin", "sine"), ("SwiGLU", "swiglu"),
])
def test_lookup_by_alias_ignores_case_dashes_and_underscores(spelling, name):
    assert actcli.spec(spelling).name == name


@pytest.mark.parametrize("typo, expected", [("sigmod", "sigmoid"), ("relu7", "relu6"),
                                            ("gleu", "gelu"), ("softmx", "softmax")])
def test_unknown_names_suggest_close_matches(typo, expected):
    with pytest.raises(UnknownFunctionError) as info:
        actcli.get(typo)
    assert expected in info.value.suggestions
    assert expected in str(info.value)


def test_no_two_records_share_a_name():
    keys = {}
    for spec in REGISTRY:
        for n in (spec.name, *spec.aliases):
            key = n.lower().replace("-", "").replace("_", "")
            assert keys.setdefault(key, spec.name) == spec.name, n


def test_parameters_default_validate_and_accept_aliases():
    assert actcli.get("leaky_relu").params["negative_slope"] == 0.01
    assert actcli.get("leaky_relu", alpha=0.2).params["negative_slope"] == 0.2
    assert actcli.get("leaky_relu", negative_slope="0.3").params["negative_slope"] == 0.3
    assert actcli.get("gelu", approximate="TANH").params["approximate"] == "tanh"
    assert actcli.get("softshrink", threshold=1).params["lambd"] == 1


@pytest.mark.parametrize("name, params, words", [
    ("leaky_relu", {"slop": 1}, ["no parameter 'slop'", "negative_slope"]),
    ("relu", {"alpha": 1}, ["takes no parameters"]),
    ("elu", {"alpha": -1}, ["out of range", ">= 0"]),
    ("celu", {"alpha": 0}, ["out of range", "> 0"]),
    ("gelu", {"approximate": "fast"}, ["one of none, tanh"]),
    ("softplus", {"beta": "abc"}, ["not a number"]),
    # typed text follows the rule for numbers on a command line: 1_0 is no 10, 1e999 no inf
    ("leaky_relu", {"negative_slope": "1_0"}, ["'1_0' is not a number (no underscores)"]),
    ("softplus", {"threshold": "1e999"}, ["beyond the largest float", "write inf"]),
    ("elu", {"alpha": float("nan")}, ["out of range"]),
    ("elu", {"alpha": float("inf")}, ["out of range"]),
    ("elu", {"alpha": True}, ["alpha=True is not valid", ">= 0"]),  # a bool is no number
    ("hardtanh", {"min_val": 2, "max_val": 1}, ["must be below"]),
    ("rrelu", {"lower": 0.5, "upper": 0.1}, ["must not exceed"]),
    ("leaky_relu", {"alpha": 0.1, "negative_slope": 0.2}, ["both set negative_slope"]),
    ("leaky_relu", {"negative_slope": 0.2, "alpha": 0.1}, ["both set negative_slope"]),
])
def test_bad_parameters_name_what_is_valid(name, params, words):
    with pytest.raises(ParamError) as info:
        actcli.get(name, **params)
    for word in words:
        assert word in str(info.value)


def test_infinite_threshold_is_accepted_where_it_means_exact():
    assert math.isinf(actcli.get("softplus", threshold="inf").params["threshold"])


def test_scalars_in_give_scalars_out_and_shapes_are_kept():
    act = actcli.get("sigmoid")
    assert isinstance(act.f(2.0), np.floating) and np.ndim(act.f(2)) == 0
    grid = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    for out in (act.f(grid), act.df(grid), act.d2f(grid)):
        assert out.shape == (2, 3, 4) and out.dtype == np.float64
    assert act.f([1, 2]).dtype == np.float64  # integers are computed in float64


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float32_is_computed_in_float32(name):
    act = actcli.get(name)
    x = np.linspace(-8, 8, 33, dtype=np.float32)
    for raw, order in ((act.spec.f, act.f), (act.spec.df, act.df), (act.spec.d2f, act.d2f)):
        # The record's own numerics, not only the Activation wrapper, stay in float32.
        assert raw(x, **act.params).dtype == np.float32
        out = order(x)
        reference = order(x.astype(np.float64))
        # atol: a few float32 epsilons of the O(1) terms that cancel near a root (mish'').
        close = np.isclose(out, reference, rtol=2e-6, atol=5e-7)
        assert close.all(), (name, x[~close], out[~close], reference[~close])


@pytest.mark.parametrize("name", VECTOR)
def test_vector_functions_keep_float32(name):
    act = actcli.get(name)
    x = np.array([0.1, 0.35, -2.0, 1.5], dtype=np.float32)
    assert act.f(x).dtype == act.jacobian(x).dtype == act.jvp(x, x).dtype == np.float32
    assert np.allclose(act.f(x), act.f(x.astype(np.float64)), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", VECTOR)
def test_a_single_number_is_a_vector_of_one_and_a_missing_axis_a_shape_error(name):
    """torch.softmax(tensor(1.0), dim=-1) is tensor(1.): a 0-d input is one vector of one
    entry, returned 0-d. A gated unit cannot halve it, and an axis the input lacks is
    refused as bad input (a ShapeError, exit 2 in the CLI), never an IndexError."""
    act = actcli.get(name)
    if name in ("glu", "swiglu", "geglu", "reglu"):
        with pytest.raises(ShapeError, match="even number"):
            act.f(1.0)
    else:
        one = act.f(1.0)
        assert one.shape == () and one == act.f([1.0])[0]
        assert act.jvp(1.0, 1.0).shape == ()
    for x, axis in ((1.0, 1), ([[1.0, 2.0]], 2), ([[1.0, 2.0]], -3)):
        with pytest.raises(ShapeError, match=f"axis {axis}"):
            act.f(x, axis=axis)
        with pytest.raises(ShapeError, match=f"axis {axis}"):
            act.jvp(x, np.ones_like(np.asarray(x)), axis=axis)


def test_a_single_number_agrees_with_pytorch():
    torch = pytest.importorskip("torch")
    for name, torch_f in (("softmax", torch.softmax), ("log_softmax", torch.log_softmax)):
        assert float(actcli.get(name).f(2.5)) == float(torch_f(torch.tensor(2.5), dim=-1))


def test_sparsemax_is_nan_where_undefined_without_a_warning():
    """A NaN or an all -inf vector has no support: the value, jvp and Jacobian are NaN,
    and no 0/0 warning (the autouse errstate raises one)."""
    sparsemax = actcli.get("sparsemax")
    for bad in ([np.nan, 1.0], [-np.inf, -np.inf]):
        assert np.isnan(sparsemax.f(bad)).all()
        assert np.isnan(sparsemax.jvp(bad, [1.0, 0.0])).all()
        assert np.isnan(sparsemax.jacobian(bad)).all()
    rows = sparsemax.jvp([[np.nan, 1.0], [0.3, 1.0]], [[1.0, 0.0], [1.0, 0.0]])
    assert np.isnan(rows[0]).all() and rows[1].tolist() == [0.5, -0.5]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_extreme_finite_inputs_raise_no_warning_and_stay_real(name):
    act = actcli.get(name)
    for order in (act.f, act.df, act.d2f):
        out = order(EXTREMES)
        assert not np.isnan(out).any(), (name, EXTREMES[np.isnan(out)])
    float32_extremes = np.array([-3e38, -1e3, -1e-30, 0, 1e-30, 1e3, 3e38], np.float32)
    for order in (act.f, act.df, act.d2f):
        assert not np.isnan(order(float32_extremes)).any()


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_nan_propagates_through_every_order(name):
    act = actcli.get(name)
    for order in (act.f, act.df, act.d2f):
        assert np.isnan(order(np.array([np.nan, 1.0]))[0])


@pytest.mark.parametrize("name, f_lim, df_lim", [
    ("sigmoid", (0.0, 1.0), (0.0, 0.0)), ("tanh", (-1.0, 1.0), (0.0, 0.0)),
    ("relu", (0.0, math.inf), (0.0, 1.0)), ("elu", (-1.0, math.inf), (0.0, 1.0)),
    ("gelu", (0.0, math.inf), (0.0, 1.0)), ("silu", (0.0, math.inf), (0.0, 1.0)),
    ("mish", (0.0, math.inf), (0.0, 1.0)), ("softplus", (0.0, math.inf), (0.0, 1.0)),
    ("log_sigmoid", (-math.inf, 0.0), (1.0, 0.0)), ("softsign", (-1.0, 1.0), (0.0, 0.0)),
    ("squareplus", (0.0, math.inf), (0.0, 1.0)), ("exponential", (0.0, math.inf), (0.0, math.inf)),
    ("tanhshrink", (-math.inf, math.inf), (1.0, 1.0)), ("hardswish", (0.0, math.inf), (0.0, 1.0)),
    ("quick_gelu", (0.0, math.inf), (0.0, 1.0)), ("selu", (-1.7580993408473768, math.inf), (0.0, 1.0507009873554805)),
])
def test_limits_at_infinity_are_exact(name, f_lim, df_lim):
    act = actcli.get(name)
    inf = np.array([-np.inf, np.inf])
    assert act.f(inf).tolist() == pytest.approx(list(f_lim), rel=1e-15)
    assert act.df(inf).tolist() == list(df_lim)
    assert act.d2f(inf[:1]).tolist() == [0.0] or name == "exponential"


def test_signed_zero():
    neg_zero = np.array(-0.0)
    for name in ("identity", "tanh", "softsign", "hardtanh", "tanhshrink", "gelu", "silu",
                 "mish", "leaky_relu", "elu", "hardswish", "selu", "celu"):
        assert math.copysign(1, actcli.get(name).f(neg_zero)) == -1, name
    # Rectifiers never print "-0.0": their range is [0, inf).
    for name in ("relu", "relu6", "threshold", "sparse_plus"):
        assert math.copysign(1, actcli.get(name).f(neg_zero)) == 1, name


# Published values from the background texts (shared/seeds), to their printed 4 decimals.
@pytest.mark.parametrize("name, x, expected", [
    ("sigmoid", 2, 0.8808), ("sigmoid", -3, 0.0474), ("tanh", 2, 0.9640), ("tanh", -3, -0.9951),
    ("elu", -3, -0.9502), ("elu", 2, 2.0), ("leaky_relu", 2, 2.0), ("leaky_relu", -3, -0.0300),
    ("relu", 2, 2.0), ("relu", -3, 0.0), ("identity", 2, 2.0), ("identity", -3, -3.0),
])
def test_values_printed_in_the_tutorials(name, x, expected):
    assert round(float(actcli.get(name).f(x)), 4) == expected


def test_tutorial_softmax_and_gradient_maxima():
    p = actcli.get("softmax").f([2.0, 1.0, 0.1])
    assert np.round(p, 4).tolist() == [0.6590, 0.2424, 0.0986]
    assert round(float(p.sum()), 4) == 1.0
    sig, tanh = actcli.get("sigmoid").properties, actcli.get("tanh").properties
    assert (sig.max_abs_grad, sig.max_abs_grad_at) == (0.25, "x = 0")
    assert (tanh.max_abs_grad, tanh.max_abs_grad_at) == (1.0, "x = 0")
    # The tutorial's relu gradient: 0 for z < 0, 1 for z > 0; at 0 actcli follows PyTorch.
    assert actcli.get("relu").df([-1.0, 0.0, 1.0]).tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("name, x, df, d2f", [
    ("relu", 0.0, 0.0, 0.0), ("leaky_relu", 0.0, 0.01, 0.0), ("prelu", 0.0, 0.25, 0.0),
    ("elu", 0.0, 1.0, 1.0), ("selu", 0.0, 1.0507009873554805 * 1.6732632423543772, None),
    ("celu", 0.0, 1.0, 1.0), ("relu6", 0.0, 0.0, 0.0), ("relu6", 6.0, 0.0, 0.0),
    ("hardtanh", -1.0, 0.0, 0.0), ("hardtanh", 1.0, 0.0, 0.0), ("hardsigmoid", -3.0, 0.0, 0.0),
    ("hardsigmoid", 3.0, 0.0, 0.0), ("hardswish", -3.0, 0.0, 0.0), ("hardswish", 3.0, 1.0, 0.0),
    ("softshrink", 0.5, 0.0, 0.0), ("hardshrink", -0.5, 0.0, 0.0), ("threshold", 0.0, 0.0, 0.0),
    ("sparse_plus", 1.0, 1.0, 0.0), ("sparse_plus", -1.0, 0.0, 0.0), ("softsign", 0.0, 1.0, 0.0),
])
def test_derivative_convention_at_kinks_follows_pytorch(name, x, df, d2f):
    act = actcli.get(name)
    assert float(act.df(x)) == pytest.approx(df, rel=1e-15)
    if d2f is not None:
        assert float(act.d2f(x)) == d2f


def test_softplus_threshold_reproduces_pytorch_and_default_is_exact():
    exact, torchlike = actcli.get("softplus"), actcli.get("softplus", threshold=20)
    assert float(torchlike.f(20.5)) == 20.5
    assert float(exact.f(20.5)) == 20.5 + math.log1p(math.exp(-20.5))
    assert float(exact.f(20.5)) != 20.5


def test_leaky_relu_with_zero_slope_at_minus_infinity_is_zero():
    assert float(actcli.get("leaky_relu", negative_slope=0).f(-np.inf)) == 0.0


def test_keras_2_hard_sigmoid_differs_and_is_documented():
    assert "Keras 2" in actcli.spec("hardsigmoid").notes
    assert float(actcli.get("hardsigmoid").f(2.5)) == pytest.approx(5.5 / 6)


def test_labels_show_only_changed_parameters():
    assert actcli.get("leaky_relu").label == "leaky_relu"
    assert actcli.get("leaky_relu", negative_slope=0.2).label == "leaky_relu(negative_slope=0.2)"
    assert actcli.get("gelu", approximate="tanh").label == "gelu(approximate=tanh)"
    # value=-0.0 returns -0.0 where the default returns 0.0: another function, another label.
    assert actcli.get("threshold", value=-0.0).label == "threshold(value=-0)"
    assert actcli.get("threshold", value=0).label == "threshold"


def test_every_record_is_documented():
    for spec in REGISTRY:
        assert spec.summary and spec.formula and spec.latex and spec.reference, spec.name
        assert spec.family, spec.name
        # Framework names, or a note that none ships it.
        assert spec.frameworks or "No framework ships it" in spec.notes, spec.name
        if spec.kind == "elementwise" and spec.bind().kinks:
            assert spec.kink_rule, f"{spec.name} has kinks but states no derivative convention"


@pytest.mark.parametrize("module", ["actcli", "actcli.expr"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    failed, attempted = doctest.testmod(importlib.import_module(module))
    assert attempted > 0 and failed == 0


def _param_values(spec):
    """A strategy for valid settings of some of spec's parameters (as values)."""
    from hypothesis import strategies as st

    fields = {}
    for p in spec.params:
        if p.choices:
            fields[p.name] = st.sampled_from(p.choices)
        else:
            low = p.low if math.isfinite(p.low) else -1e6
            high = p.high if math.isfinite(p.high) else 1e6
            fields[p.name] = st.floats(low, high, exclude_min=p.low_open, exclude_max=p.high_open,
                                       allow_nan=False)
    return st.fixed_dictionaries({}, optional=fields)


@pytest.mark.parametrize("name", [s.name for s in REGISTRY if s.params])
def test_spelling_is_the_inverse_of_resolve(name):
    """resolve(spelling(act)) is act, whatever its parameters: the FN:key=value text the
    explorer's command line, the page and watch's rows write reads back exactly."""
    from hypothesis import given, settings

    from actcli.resolve import resolve, spelling

    spec = REGISTRY.lookup(name)

    @settings(max_examples=60, deadline=None)
    @given(_param_values(spec))
    def check(values):
        try:
            act = spec.bind(**values)
        except ParamError:  # a cross-parameter constraint (hardtanh's min < max)
            return
        text = spelling(act)
        again = resolve(text)
        assert dict(again.params) == dict(act.params), text
        assert again.label == act.label
        assert (":" in text) == bool(act.changed_params)

    check()
