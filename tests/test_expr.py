"""Custom activations from formulas: agreement with the catalog, exact derivatives (against
mpmath and finite differences), the kink conventions, measured properties, and a parser
that refuses everything outside its grammar with one clean error."""

from __future__ import annotations

import ast
import math

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import actcli
from actcli import expr
from actcli.catalog import Interval, UnknownFunctionError, VectorActivation
from actcli.catalog.elementwise import MISH_MIN, SILU_MIN
from actcli.catalog.spec import Activation
from actcli.expr import MAX_DEPTH, MAX_LENGTH, MAX_NESTING, ExpressionError
from actcli.expr.tree import Evaluator, Num

GRID = np.linspace(-30, 30, 6001)


def act(text: str) -> Activation:
    return expr.parse(text).spec().bind()


def assert_same(a: Activation, b: Activation, x: np.ndarray, rtol: float, atol: float = 0.0):
    for order in ("f", "df", "d2f"):
        np.testing.assert_allclose(getattr(a, order)(x), getattr(b, order)(x),
                                   rtol=rtol, atol=atol, err_msg=order)


# --- the same functions as the catalog --------------------------------------------------

@pytest.mark.parametrize("text, name, params, rtol, atol", [
    ("x*sigmoid(x)", "silu", {}, 1e-12, 1e-16),
    ("x*sigmoid(1.702*x)", "quick_gelu", {}, 1e-12, 1e-16),
    ("x*tanh(softplus(x))", "mish", {}, 1e-12, 1e-16),
    ("1/(1 + exp(-x))", "sigmoid", {}, 1e-12, 1e-16),
    ("tanh(x)", "tanh", {}, 1e-15, 0),
    ("x/(1 + abs(x))", "softsign", {}, 1e-13, 0),
    ("max(0, x)", "relu", {}, 0, 0),
    ("max(x, 0)", "relu", {}, 0, 0),
    ("min(max(x, -1), 1)", "hardtanh", {}, 0, 0),
    ("clip(x, -2, 3)", "hardtanh", {"min_val": -2.0, "max_val": 3.0}, 0, 0),
    ("where(x > 0, x, 0.2*x)", "leaky_relu", {"negative_slope": 0.2}, 0, 0),
    ("max(x, 0.2*x)", "leaky_relu", {"negative_slope": 0.2}, 0, 0),
    ("where(x > 0, x, expm1(x))", "elu", {}, 1e-15, 0),
    ("min(max(x + 3, 0), 6)/6", "hardsigmoid", {}, 1e-15, 0),
    ("x*min(max(x + 3, 0), 6)/6", "hardswish", {}, 1e-15, 1e-16),
    ("x*relu6(x + 3)/6", "hardswish", {}, 1e-15, 1e-16),
    ("leaky_relu(x, 0.2)", "leaky_relu", {"negative_slope": 0.2}, 0, 0),
    ("LeakyReLU(x, alpha=0.2)", "leaky_relu", {"negative_slope": 0.2}, 0, 0),
    ("gelu(x, approximate='tanh')", "gelu", {"approximate": "tanh"}, 0, 0),
    ("0.5*x*erfc(-x/sqrt(2))", "gelu", {}, 1e-12, 1e-16),
])
def test_formulas_equal_to_catalog_functions(text, name, params, rtol, atol):
    kinks = np.array(actcli.get(name, **params).kinks)
    # At the kinks and 1e-9 beside them; not within rounding of them, where x + 3 = 6 may
    # hold in floating point for x < 3 and the formula honestly sits on the kink.
    away = GRID[np.all(np.abs(GRID[:, None] - kinks[None, :]) > 1e-12, axis=1)]
    x = np.concatenate([away, kinks, kinks - 1e-9, kinks + 1e-9, [-1e-300, -0.0, 0.0, 5e-324]])
    assert_same(act(text), actcli.get(name, **params), x, rtol, atol)


def test_softplus_formula_agrees_away_from_overflow():
    mine, theirs = act("log1p(exp(x))"), actcli.get("softplus")
    np.testing.assert_allclose(mine.f(GRID), theirs.f(GRID), rtol=1e-15)
    np.testing.assert_allclose(mine.df(GRID), theirs.df(GRID), rtol=1e-15)
    # f'' = (e - e/(1 + e)*e)/(1 + e) with e = exp(x), by the quotient rule: it cancels
    # for large x, up to 7.5 digits near x = 20 (the catalog computes e/(1 + e)^2).
    np.testing.assert_allclose(mine.d2f(GRID), theirs.d2f(GRID), rtol=1e-7)
    # log1p(exp(x)) overflows past x = 709; the catalog's softplus does not.
    assert float(mine.f(800.0)) == math.inf


def test_kinks_follow_pytorch():
    for text in ("max(0, x)", "max(x, 0)", "relu(x)", "abs(x)", "max(x, -x)", "sign(x)"):
        assert float(act(text).df(0.0)) == 0, text
    hardtanh = act("min(max(x, -1), 1)")
    assert hardtanh.df(np.array([-1.0, 1.0])).tolist() == [0, 0]
    # The one-sided slope nearest 0: leaky_relu'(0) = negative_slope, for max and min.
    assert float(act("max(x, 0.1*x)").df(0.0)) == 0.1
    assert float(act("min(x, 0.1*x)").df(0.0)) == 0.1
    assert float(act("max(x, 3*x)").df(0.0)) == 1
    # where() differentiates the branch its condition selects, as torch.where.
    assert float(act("where(x > 0, x, 0.1*x)").df(0.0)) == 0.1
    assert float(act("where(x >= 0, x, 0.1*x)").df(0.0)) == 1
    # A tangential tie: near 0, max(x^2, x^4) = x^2 and min(x^2, x^4) = x^4.
    assert float(act("max(x**2, x**4)").d2f(0.0)) == 2
    assert float(act("min(x**2, x**4)").d2f(0.0)) == 0


FLOAT32_CASES = ["x*sigmoid(1.702*x)", "log(1 + exp(x)) - log(2)", "erf(x/sqrt(2))*x*pi",
                 "where(x > 0, x, 0.1*x)", "2", "x**2.5", "max(x, 1e-3*x)/sqrt(2)"]


@pytest.mark.parametrize("text", FLOAT32_CASES)
def test_float32_is_computed_in_float32(text):
    x32 = np.linspace(-20, 20, 4001, dtype=np.float32)
    e = expr.parse(text)
    # Every intermediate value, constants included, is float32 (or a condition).
    ev, stack = Evaluator(x32), list(e.trees)
    while stack:
        node = stack.pop()
        with np.errstate(all="ignore"):  # as Expression.evaluate does
            value = ev(node)
        assert np.asarray(value).dtype in (np.float32, np.bool_), (text, node)
        stack.extend(node.children())
    a = e.spec().bind()
    for order in ("f", "df", "d2f"):
        got = getattr(a, order)(x32)
        assert got.dtype == np.float32, (text, order)
        want = getattr(a, order)(x32.astype(np.float64))
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=f"{text} {order}")


# --- exact derivatives ------------------------------------------------------------------

MP = {
    "x*sigmoid(1.702*x)": lambda t: t / (1 + mpmath.exp(-mpmath.mpf("1.702") * t)),
    "x*tanh(softplus(x))": lambda t: t * mpmath.tanh(mpmath.log1p(mpmath.exp(t))),
    "log(1 + exp(x)) - log(2)": lambda t: mpmath.log(1 + mpmath.exp(t)) - mpmath.log(2),
    "0.5*x*(1 + erf(x/sqrt(2)))": lambda t: t / 2 * (1 + mpmath.erf(t / mpmath.sqrt(2))),
    "sin(x)**2/(1 + x**2)": lambda t: mpmath.sin(t) ** 2 / (1 + t**2),
    "atan(x)*cosh(x/3) - sinh(x/4)":
        lambda t: mpmath.atan(t) * mpmath.cosh(t / 3) - mpmath.sinh(t / 4),
    "sqrt(1 + x**2)*cos(x)": lambda t: mpmath.sqrt(1 + t**2) * mpmath.cos(t),
    "2**x - x**3/(3 + x**2)": lambda t: 2**t - t**3 / (3 + t**2),
    "exp(-x**2)*expm1(x)": lambda t: mpmath.exp(-t**2) * mpmath.expm1(t),
    "(2 + sin(x))**(1 + x/4)": lambda t: (2 + mpmath.sin(t)) ** (1 + t / 4),
    "log1p(x**2)/sech(x/2)": lambda t: mpmath.log1p(t**2) * mpmath.cosh(t / 2),
    "erfc(x) - pi*e*x": lambda t: mpmath.erfc(t) - mpmath.pi * mpmath.e * t,
}


@pytest.mark.parametrize("text", MP)
def test_derivatives_are_exact(text):
    a = act(text)
    x = np.array([-4.7, -2.0, -1.3, -0.4, 0.0, 0.35, 1.0, 2.2, 3.9])
    for order, name in ((0, "f"), (1, "df"), (2, "d2f")):
        with mpmath.workdps(40):
            want = np.array([float(mpmath.diff(MP[text], mpmath.mpf(t), order)) for t in x])
        np.testing.assert_allclose(getattr(a, name)(x), want, rtol=1e-12, atol=1e-14,
                                   err_msg=f"{text} {name}")


@pytest.mark.parametrize("text", [
    "abs(x - 1)*x", "where(x > 0.5, sin(x), x**2)", "max(x**2 - 1, 0)*tanh(x)",
    "clip(2*x, -1, 3)**2", "hardswish(x)*x", "sign(x)*sqrt(abs(x) + 1)",
    "where(-1 < x < 1 and not x == 0, x**3, 1/(1 + x**2))",
])
def test_piecewise_derivatives_match_finite_differences_away_from_kinks(text):
    a = act(text)
    x = np.linspace(-4, 4, 801)
    kinks = np.array([-3, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 3])
    x = x[np.min(np.abs(x[:, None] - kinks), axis=1) > 0.01]
    h = 1e-5
    for g, dg in ((a.f, a.df), (a.df, a.d2f)):
        central = (g(x - 2 * h) - 8 * g(x - h) + 8 * g(x + h) - g(x + 2 * h)) / (12 * h)
        np.testing.assert_allclose(dg(x), central, rtol=1e-7, atol=1e-7)


SMOOTH_LEAVES = st.sampled_from(["x", "x", "0.5", "2", "pi", "1.702"])
SMOOTH_UNARY = ["sin", "cos", "tanh", "sigmoid", "softplus", "atan", "erf", "sech", "mish"]


def smooth_formulas() -> st.SearchStrategy[str]:
    """Formulas built from functions that are smooth and tame on [-3, 3]."""
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda f, a: f"{f}({a})", st.sampled_from(SMOOTH_UNARY), inner),
            st.builds(lambda a, op, b: f"({a}) {op} ({b})", inner, st.sampled_from("+-*"), inner),
            st.builds(lambda a, b: f"({a})/(2 + sin({b}))", inner, inner),
            st.builds(lambda a: f"exp(tanh({a}))", inner),
            st.builds(lambda a: f"({a})**2", inner),
        )
    return st.recursive(SMOOTH_LEAVES, extend, max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(smooth_formulas())
def test_derivatives_of_random_formulas_match_finite_differences(text):
    e = expr.parse(text)
    # Tame means slowly varying: no slope of f or f' above 1e3 on a grid finer than the
    # steps below (sin(16 x**4) oscillates with a period of 0.004 at x = 3, where a
    # difference quotient says nothing).
    fine_grid = np.linspace(-3.5, 3.5, 14001)
    for order in (0, 1):
        slopes = np.diff(e.evaluate(fine_grid, order)) / (fine_grid[1] - fine_grid[0])
        assume(np.all(np.isfinite(slopes)) and np.max(np.abs(slopes)) < 1e3)
    x = np.linspace(-3, 3, 13) + 0.0123

    def estimate(g, h):
        """Richardson-extrapolated central difference, error O(h^4)."""
        wide, narrow = (g(x + h) - g(x - h)) / (2 * h), (g(x + h / 2) - g(x - h / 2)) / h
        return (4 * narrow - wide) / 3

    for order in (1, 2):
        g = lambda t: e.evaluate(t, order - 1)  # noqa: E731
        coarse, fine = estimate(g, 2e-3), estimate(g, 1e-3)
        # The two estimates differ by about 15 times the error of the finer one, which is
        # large where a random formula oscillates fast (sin(x**4) at x = 3).
        scale = 1 + np.max(np.abs(e.evaluate(np.linspace(-3.5, 3.5, 71), order - 1)))
        allowed = 1e-6 * scale + np.abs(coarse - fine)
        assert np.all(np.abs(e.evaluate(x, order) - fine) <= allowed), text


# --- numerics at the extremes -----------------------------------------------------------

EXTREMES = np.array([-np.inf, -1e308, -1e300, -1000.0, -745.0, -40.0, -1e-300, -0.0, 0.0,
                     5e-324, 1e-300, 40.0, 745.0, 1000.0, 1e300, 1e308, np.inf, np.nan])


@pytest.mark.parametrize("text", [
    "x*sigmoid(1.702*x)", "x*tanh(softplus(x))", "log(1 + exp(x)) - log(2)", "exp(x) - exp(x)",
    "x/(1 + abs(x))", "x**10**10", "sqrt(x)*log(x)", "1/x", "cosh(x)*sech(x)", "erf(x)*x**3",
    "where(x > 0, x**2, exp(x))", "max(x, 1/x)", "sin(x)/x", "x**x", "2**x**2",
])
def test_extreme_inputs_give_no_warnings(text):
    a = act(text)  # the suite turns any floating-point warning into an error
    for dtype in (np.float64, np.float32):
        with np.errstate(over="ignore"):
            x = EXTREMES.astype(dtype)
        for order in ("f", "df", "d2f"):
            out = getattr(a, order)(x)
            assert out.dtype == dtype and np.isnan(out[-1])


def test_indeterminate_forms_stay_nan_and_derivatives_follow_f():
    assert np.isnan(act("exp(x) - exp(x)").f(1000.0))  # inf - inf: the formula's honest value
    assert np.isnan(act("x*sigmoid(x)").f(-np.inf))  # -inf * 0
    assert np.isnan(act("x*sigmoid(x)").df(-np.inf))  # f' is NaN where f is
    sqrt = act("sqrt(x)")
    assert np.isnan(sqrt.df(-1.0)) and np.isnan(sqrt.d2f(-1.0)) and sqrt.df(0.0) == np.inf
    # In products made by differentiation a saturated 0 beats an overflowed factor:
    # f' = sigmoid(x) + x sigmoid'(x) -> 1 at +inf, as for silu.
    assert float(act("x*sigmoid(x)").df(np.inf)) == 1 == float(actcli.get("silu").df(np.inf))
    assert float(act("x*sigmoid(x)").d2f(np.inf)) == 0


def test_huge_exponents_are_floats_never_integers():
    # Python would spend minutes on the integer 9**9**9; every literal is a float at once.
    for text in ("9**9**9", "x**10**10", "10**400*x"):
        numbers = [n for n in expr.parse(text).nodes() if isinstance(n, Num)]
        assert numbers and all(type(n.value) is float for n in numbers)
    assert float(act("9**9**9").f(0.0)) == math.inf
    assert act("x**10**10").f(np.array([0.5, 1.0, 1.0001])).tolist() == [0, 1, math.inf]
    assert float(act("10**400*x").f(1.0)) == math.inf  # an integer literal past float range


# --- the parser refuses everything outside the grammar ----------------------------------

@pytest.mark.parametrize("text, message", [
    ("x*sigmod(x)", "unknown name 'sigmod' at column 3; did you mean sigmoid?"),
    ("  sigmod(x)", "unknown name 'sigmod' at column 3; did you mean sigmoid?"),
    ("exb(x)", "unknown name 'exb' at column 1; did you mean exp"),
    ("x^2", "operator '^' is not supported at column 2; use ** for powers"),
    ("x.__class__", "attribute access is not allowed at column 2"),
    ("().__class__.__bases__[0]", "not allowed"),
    ("x[0]", "subscripts are not allowed at column 2"),
    ("__import__('os')", "unknown name '__import__' at column 1"),
    ("__import__('os').system('ls')", "attribute access is not allowed"),
    ("eval('1')", "unknown name 'eval' at column 1"),
    ("lambda: 1", "lambda is not allowed at column 1"),
    ("[x for x in ()]", "comprehensions are not allowed"),
    ("sum(x for x in (1, 2))", "unknown name 'sum'"),
    ("f'{x}'", "f-strings are not allowed"),
    ("x if x > 0 else 0", "use where(condition, a, b)"),
    ("(y := 1)", "assignment expressions are not allowed"),
    ("sigmoid + 1", "function sigmoid without an argument at column 1; write sigmoid(x)"),
    ("x*(", "'(' was never closed at column 3"),
    ("x; import os", "invalid syntax at column 2"),
    ("x**", "unfinished formula: nothing after '**' at column 2"),  # like every other: a column
    ("  x**2 +", "unfinished formula: nothing after '+' at column 8"),
    ("softmax(x)", "softmax acts on whole vectors"),
    ("leaky_relu(x, slope=x)", "a parameter must be a constant"),
    ("leaky_relu(x, 0.1, negative_slope=0.2)", "negative_slope is given twice"),
    ("leaky_relu(x, foo=1)", "leaky_relu has no parameter 'foo'"),
    ("gelu(x, approximate='exact')", "approximate='exact' is not valid"),
    ("elu(x, alpha=-1)", "alpha=-1.0 is out of range"),
    ("where(x, 1, 2)", "a condition must be a comparison"),
    ("x > 0", "a comparison is only allowed as the condition of where()"),
    ("where(x is 1, 1, 2)", "only the comparisons"),
    ("x(1)", "x is not a function"),
    ("max(x)", "max() needs at least two arguments"),
    ("tanh(x, 2)", "tanh() takes 1 argument, got 2"),
    ("1j*x", "1j is not a number"),
    ("'a'", "'a' is not a number"),
    ("x\n+1", "unexpected character '\\n' at column 2"),
    ("\u03c0*x", "unexpected character"),
    ("", "empty expression"),
])
def test_invalid_formulas_are_refused_with_one_line(text, message):
    with pytest.raises(ExpressionError) as info:
        expr.parse(text)
    assert message in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("text", [
    "(" * 5000, "(" * (MAX_NESTING + 1) + "x" + ")" * (MAX_NESTING + 1), "[" * 400,
    "-" * (MAX_LENGTH - 1) + "x", "x+" * (MAX_LENGTH // 2 - 1) + "x", "x**" * 333 + "x",
    "not " * 249 + "x", "~" * 999 + "x", "sin(" * 200 + "x" + ")" * 200,
    "lambda:" * 140 + "x", "1" * 5000, "x" * (MAX_LENGTH + 1), "a if " * 300,
    "x+" * 50000 + "x", "-" * 100000 + "x", "f(" * 300,
])
def test_pathological_input_never_reaches_the_parser_unchecked(text, monkeypatch):
    seen = []
    real_parse = ast.parse
    monkeypatch.setattr(ast, "parse", lambda s, **kw: seen.append(s) or real_parse(s, **kw))
    with pytest.raises(ExpressionError) as info:
        expr.parse(text)
    assert "\n" not in str(info.value)
    assert all(len(s) <= MAX_LENGTH for s in seen)


def test_limits_leave_room_for_real_formulas():
    nested = "tanh(" * (MAX_NESTING - 1) + "x" + ")" * (MAX_NESTING - 1)
    long_sum = " + ".join(f"{k}*sin({k}*x)" for k in range(1, 12))
    for text in (nested, long_sum, "-" * (MAX_DEPTH // 2) + "x"):
        e = expr.parse(text)
        assert np.isfinite(e.evaluate(np.linspace(-2, 2, 5), 2)).all()


TOKENS = ["x", "1", "2.5", "1e308", "pi", "e", "inf", "nan", "(", ")", ",", "+", "-", "*", "/",
          "**", "<", ">=", "==", "and", "or", "not", "exp", "log", "sqrt", "abs", "max", "min",
          "where", "clip", "sigmoid", "leaky_relu", "gelu", "negative_slope=", "'tanh'", ".",
          "[", "]", "__class__", "lambda", ":", "if", "else", "^", "%", "@", "~", "sigmod", "y"]


def _check_any_outcome(text: str) -> None:
    try:
        e = expr.parse(text)
    except ExpressionError as error:
        assert "\n" not in str(error)
        return
    x = np.array([-np.inf, -1e300, -2.0, -0.0, 0.0, 0.5, 3.0, 1e300, np.inf, np.nan])
    for order in range(3):
        assert e.evaluate(x, order).shape == x.shape
    assert isinstance(e.formula(2), str) and isinstance(e.latex(1), str)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_random_text_gives_an_expression_or_an_expression_error(text):
    _check_any_outcome(text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from(["", " "]))
def test_token_soup_gives_an_expression_or_an_expression_error(tokens, sep):
    _check_any_outcome(sep.join(tokens))


# --- text: normalised names, derivative formulas, LaTeX ---------------------------------

def test_normalised_text():
    assert expr.parse(" x * sigmoid( 1.702*x ) ").text == "x*sigmoid(1.702*x)"
    assert expr.parse("LeakyReLU(x, alpha=0.2)").text == "leaky_relu(x, negative_slope=0.2)"
    assert expr.parse("leaky_relu(x, 0.01)").text == "leaky_relu(x)"  # the default is left out
    assert expr.parse("log(1+exp(x))-log(2)").text == "log(1 + exp(x)) - log(2)"
    assert expr.parse("x + (x + 1)").text == "x + (x + 1)"  # float addition is not associative
    assert expr.parse("(-2)**x - -x**2").text == "(-2)**x - -x**2"
    assert expr.parse("where(-1 < x <= 1 or not x > 2, x, 0)").text == \
        "where(-1 < x and x <= 1 or not x > 2, x, 0)"


@settings(max_examples=150, deadline=None)
@given(smooth_formulas())
def test_normalised_text_parses_back_to_the_same_function(text):
    e = expr.parse(text)
    again = expr.parse(e.text)
    assert again.text == e.text
    x = np.linspace(-3, 3, 25)
    for order in range(3):
        np.testing.assert_array_equal(again.evaluate(x, order), e.evaluate(x, order))


@pytest.mark.parametrize("text, first, second", [
    ("x**3", "3*x**2", "3*2*x"),
    ("sin(x)", "cos(x)", "-sin(x)"),
    ("log(x)", "1/x", "-(1/x/x)"),
    ("tanh(x)", "sech(x)**2", "-(2*sech(x)*sech(x)*tanh(x))"),
    ("max(0, x)", "where(0 > x, 0, 1)", "0"),
    ("x*sigmoid(x)", "sigmoid(x) + x*sigmoid'(x)", "2*sigmoid'(x) + x*sigmoid''(x)"),
    ("log(1 + exp(x))", "exp(x)/(1 + exp(x))",
     "(exp(x) - exp(x)/(1 + exp(x))*exp(x))/(1 + exp(x))"),
])
def test_derivative_formulas(text, first, second):
    e = expr.parse(text)
    assert (e.formula(1), e.formula(2)) == (first, second)


@pytest.mark.parametrize("text", ["x**3 - 2*x", "sin(x)*exp(-x**2)", "log1p(x**2)/(1 + abs(x))",
                                  "atan(x)**2", "sqrt(1 + x**2)"])
def test_derivative_formulas_evaluate_to_the_derivatives(text):
    e = expr.parse(text)
    x = np.linspace(-3, 3, 61) + 0.01
    for order in (1, 2):
        from_text = expr.parse(e.formula(order)).evaluate(x, 0)
        np.testing.assert_allclose(from_text, e.evaluate(x, order), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("text", ["threshold(x, value=-0.0)", "x*-0.0", "max(-0.0, x)"])
def test_a_negative_zero_is_written_as_one(text):
    """-0.0 is another number in a formula (threshold returns it; x*-0.0 is -0.0 for x > 0):
    its text says "-0" and reads back to the same values, sign of zero included."""
    e = expr.parse(text)
    assert "-0" in e.formula(0)
    x = np.array([-1.0, -0.0, 0.0, 2.0])
    again = expr.parse(e.formula(0)).evaluate(x, 0)
    np.testing.assert_array_equal(np.signbit(again), np.signbit(e.evaluate(x, 0)))


def test_latex():
    assert expr.parse("x/(1 + abs(x))").latex() == r"\frac{x}{1 + \left|x\right|}"
    assert expr.parse("x*sigmoid(1.702*x)").latex() == \
        r"x \cdot \operatorname{sigmoid}\left(1.702 x\right)"
    assert expr.parse("exp(-x**2)*pi").latex() == r"e^{-{x}^{2}} \cdot \pi"
    assert expr.parse("where(x > 0, x, 1e-05*x)").latex() == \
        r"\begin{cases} x & x > 0 \\ 10^{-5} x & \text{otherwise} \end{cases}"
    assert expr.parse("max(0, x)").latex(1) == \
        r"\begin{cases} 0 & 0 > x \\ 1 & \text{otherwise} \end{cases}"


def test_a_derivative_too_long_to_print_is_summarised():
    e = expr.parse("sin(" * 30 + "x" + ")" * 30)
    assert e.formula(2) == f"(longer than {expr.MAX_FORMULA} characters)"
    assert np.isfinite(e.evaluate(np.linspace(-1, 1, 5), 2)).all()


# --- the catalog entry ------------------------------------------------------------------

def test_spec_is_a_catalog_entry():
    spec = expr.parse("x * sigmoid(1.702*x)").spec()
    assert (spec.name, spec.family, spec.kind, spec.reference) == \
        ("x*sigmoid(1.702*x)", "custom", "elementwise", "user expression")
    assert spec.formula == "f(x) = x*sigmoid(1.702*x)"
    assert "f'(x) = sigmoid(1.702*x) + x*1.702*sigmoid'(1.702*x)" in spec.notes
    a = spec.bind()
    assert a.label == "x*sigmoid(1.702*x)"
    assert isinstance(a.f(1.0), np.floating) and a.f([1, 2]).shape == (2,)
    assert a.smoothness == "Cinf" and a.kinks == ()


@pytest.mark.parametrize("text, catalog", [
    ("max(0, x)", "relu"), ("min(max(x, -1), 1)", "hardtanh"), ("x*sigmoid(x)", "silu"),
    ("x/(1 + abs(x))", "softsign"), ("where(x > 0, x, 0.01*x)", "leaky_relu"),
    ("1/(1 + exp(-x))", "sigmoid"), ("tanh(x)", "tanh"), ("x*tanh(softplus(x))", "mish"),
    ("relu6(x)", "relu6"), ("where(x > 0, x, 0)", "relu"),
    ("min(max(x + 3, 0), 6)/6", "hardsigmoid"),
    ("log(1 + exp(x))", "softplus"), ("x*relu6(x + 3)/6", "hardswish"),
])
def test_measured_properties_match_the_declared_ones(text, catalog):
    mine, theirs = act(text), actcli.get(catalog)
    rng, want = mine.output_range, theirs.output_range
    assert (rng.low_closed, rng.high_closed) == (want.low_closed, want.high_closed)
    for got, expected in ((rng.low, want.low), (rng.high, want.high)):
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert (mine.monotonic, mine.smoothness, mine.kinks) == \
        (theirs.monotonic, theirs.smoothness, theirs.kinks)


@pytest.mark.parametrize("text, rng, monotonic, smoothness, kinks", [
    ("0*x", Interval(0.0, 0.0, True, True), "non-decreasing", "Cinf", ()),
    ("exp(-x**2)", Interval(0.0, 1.0, high_closed=True), "no", "Cinf", ()),
    ("erf(x)", Interval(-1.0, 1.0), "increasing", "Cinf", ()),
    ("where(x > 1, x + 1, x)", Interval(-math.inf, math.inf), "increasing", "discontinuous",
     (1.0,)),
    ("sign(x)", Interval(-1.0, 1.0, True, True), "non-decreasing", "discontinuous", (0.0,)),
    ("1/x", Interval(-math.inf, math.inf), "no", "Cinf", ()),
    ("abs(x)**3", Interval(0.0, math.inf, low_closed=True), "no", "C1", ()),
    ("min(x, 20)", Interval(-math.inf, 20.0, high_closed=True), "non-decreasing", "C0", (20.0,)),
    ("relu(x - 1/3)", Interval(0.0, math.inf, low_closed=True), "non-decreasing", "C0", (1 / 3,)),
    ("sqrt(x)", Interval(0.0, math.inf, low_closed=True), "increasing", "Cinf", ()),
    ("3", Interval(3.0, 3.0, True, True), "non-decreasing", "Cinf", ()),
])
def test_measured_properties(text, rng, monotonic, smoothness, kinks):
    a = act(text)
    measured = (a.output_range, a.monotonic, a.smoothness, a.kinks)
    assert measured == (rng, monotonic, smoothness, kinks)


def test_extremum_is_refined_to_the_root_of_the_derivative():
    assert act("x*sigmoid(x)").output_range.low == pytest.approx(SILU_MIN, rel=1e-15)
    assert act("x*tanh(softplus(x))").output_range.low == pytest.approx(MISH_MIN, rel=1e-15)
    assert act("-(x - 0.1234)**2").output_range == Interval(-math.inf, 0.0, high_closed=True)


@pytest.mark.parametrize("text, catalog", [
    ("max(0, x)", "relu"), ("min(max(x, -1), 1)", "hardtanh"), ("tanh(x)", "tanh"),
    ("where(x > 0, x, 0.01*x)", "leaky_relu"), ("x*sigmoid(1.702*x)", "quick_gelu"),
])
def test_analyse_works_on_formulas(text, catalog):
    mine, theirs = act(text).properties, actcli.get(catalog).properties
    assert mine.max_abs_grad == pytest.approx(theirs.max_abs_grad, rel=1e-12)
    fields = ["monotonic", "zero_centred", "smoothness", "kinks", "f0", "df0"]
    # Saturation reads f' at +-inf, NaN where the formula is (x*sigmoid(x) at -inf: -inf*0).
    if not np.isnan(act(text).f(np.array([-np.inf, np.inf]))).any():
        fields.append("saturates")
    for field in fields:
        assert getattr(mine, field) == getattr(theirs, field), field


# --- catalog names first, and the predicate the CLI uses -----------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("x", True), ("x*sigmoid(x)", True), ("relu(x)", True), ("2", True), (".5*x", True),
    ("x + 1", True), ("relu", False), ("sigmod", False), ("leaky_relu:negative_slope=-0.2", False),
    ("pi", False),
])
def test_is_expression(text, expected):
    assert expr.is_expression(text) is expected


def test_function_specs_try_the_catalog_first():
    from actcli.errors import InputError
    from actcli.resolve import resolve as function

    assert actcli.get("relu").spec is function("relu").spec
    assert function("leaky-relu").spec is actcli.spec("leaky_relu")
    assert isinstance(function("softmax"), VectorActivation)
    assert function("x*tanh(softplus(x))").label == "x*tanh(softplus(x))"
    assert function("x").label == "x"
    with pytest.raises(UnknownFunctionError, match="did you mean sigmoid"):
        function("sigmod")
    with pytest.raises(InputError, match="at column 1; did you mean sigmoid"):
        function("sigmod(x)")


def test_the_python_api_takes_formulas_where_it_takes_names():
    act = actcli.get("x*sigmoid(1.702*x)")
    assert isinstance(act, Activation)
    with mpmath.workdps(50):
        for x in (-3.0, 0.5, 2.0):
            exact = x / (1 + mpmath.exp(-mpmath.mpf(1.702) * x))
            assert float(act.f(x)) == pytest.approx(float(exact), rel=1e-15)
            slope = mpmath.diff(lambda t: t / (1 + mpmath.exp(-mpmath.mpf(1.702) * t)), x)
            assert float(act.df(x)) == pytest.approx(float(slope), rel=1e-14)
    with pytest.raises(ExpressionError):
        actcli.get("x*sigmoid(")
    with pytest.raises(actcli.ParamError, match="formula"):
        actcli.get("x**2", alpha=1.0)
    with pytest.raises(UnknownFunctionError):
        actcli.get("relux")  # a name-like typo is still a name
