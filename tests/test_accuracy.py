"""Accuracy of actcli's f, f', f'' against independent mpmath references (tests/mpref.py).

Bars (float64):
  * f and f':  |computed - exact| <= 1e-12 * |exact| + 1e-300
  * f'':       |computed - exact| <= 1e-10 * |exact| + 1e-300
  * where the exact value overflows float64 the result must be the same infinity.

The one exception ("near_root" in the test ids): within 1e-3*max(1,|r|) (float32:
0.1*max(1,|r|), see mpref.ROOT_WINDOW) of an *irrational* simple root r of f^(order),
the true value is a difference of O(1) terms (e.g. gelu' = Phi(x) + x phi(x) near
x = -0.7518), so a relative bar is meaningless there; those points get an extra absolute
allowance of 1e-15 * max(1, |x|) (float32: 4 * eps32 * max(1, |x|)). Measured on this
library, float64 points that miss the pure relative bar all lie within 3e-6 of a root. Functions with such roots (`mpref.ROOT_FUNCTIONS`):
  gelu       f': -0.75179...;       f'': +-sqrt(2)
  gelu tanh  f': -0.75246...;       f'': +-1.41850...
  silu(beta) f': -1.27846.../beta;  f'': +-2.39935.../beta
  quick_gelu f': -0.75115...;       f'': +-1.40972...
  mish       f': -1.19243...;       f'': -2.25637..., 1.49057...
and, found by scanning [-21, 21] for sign changes (mpref.SCANNED): star_relu's f
(sqrt(-bias/scale)), gaussian'' and lisht'' (+-0.707..., +-1.19967...), the f' and f'' of
serf, tanhexp and elish, snake'' and every order of sine and gcu. Roots at representable points (tanh''(0), sigmoid''(0),
hardswish'(-1.5), ...) get no exception: relative accuracy is achievable there.
`test_reference_sign_changes_are_listed_roots` checks that this list is complete on
[-10, 10].

Float32: computed in float32 (dtype kept, never through float64), within max(1e-6 |exact|,
4 ulp32(exact), 2^-126) of the exact value rounded to float32 (the last term: results in
the float32 subnormal range are judged absolutely), plus the change of the exact value
when x moves by 2 float32 ulps. That last term is the conditioning of the problem, not
slack in the code: in float32 the constants themselves are rounded (float32(1.702) differs
from 1.702 by 3e-8 relatively), so quick_gelu(-30) = -30 sigmoid(-51.06) cannot be
closer than ~51 * 3e-8 relatively; an algorithm that is backward stable in float32 meets
this bar, and one that is not (e.g. 1 - tanh^2 for tanh') still fails it by far.

Also: no FloatingPointError / RuntimeWarning for finite inputs (run under
np.errstate(over, invalid, divide = 'raise')), limits at +-inf (exact when the limit is 0
or +-inf, else within the bar: selu(-inf) = -scale*alpha is a product of two rounded
constants), NaN in -> NaN out, and published tutorial values (4 decimals).
"""

from __future__ import annotations

import functools
import math
import warnings
from typing import Any

import mpmath
import numpy as np
import pytest
from mpmath import mp, mpf

import mpref

import actcli

ORDER_NAMES = {0: "f", 1: "df", 2: "d2f"}
REL_BAR = {0: 1e-12, 1: 1e-12, 2: 1e-10}
ABS_FLOOR = 1e-300
ROOT_ALLOWANCE = 1e-15  # times max(1, |x|), near irrational roots only (float64)
F32_REL = 1e-6
F32_ULPS = 4
F32_ROOT_ALLOWANCE = 4 * float(np.finfo(np.float32).eps)
# Float32 results below the smallest normal float32 (2^-126 ~ 1.18e-38) have few significant
# bits and come from subnormal intermediates (e.g. silu(-100) = -100 * 3.7e-44): they are
# judged absolutely, |err| <= 2^-126 (the float32 analogue of the 1e-300 float64 floor).
F32_ABS_FLOOR = float(np.finfo(np.float32).tiny)

CONFIGS = mpref.CONFIGS


def cfg_id(name: str, params: dict[str, Any]) -> str:
    return mpref.label(name, params)


@functools.lru_cache(maxsize=None)
def _act_cached(name: str, frozen: tuple):
    return actcli.get(name, **dict(frozen))


def get_act(name: str, params: dict[str, Any]):
    return _act_cached(name, tuple(sorted(params.items())))


def evaluate(act, order: int, x: np.ndarray) -> np.ndarray:
    return np.asarray((act.f, act.df, act.d2f)[order](x))


@functools.lru_cache(maxsize=None)
def _grid_cached(name: str, frozen: tuple, dtype: str) -> np.ndarray:
    params = dict(frozen)
    grid = mpref.float64_grid if dtype == "float64" else mpref.float32_grid
    pts = list(grid(name, **params))
    try:  # also probe around the kinks the library declares, if it differs from ours
        lib_kinks = get_act(name, params).kinks
    except (Exception, pytest.skip.Exception):  # no library yet, or a bug reported elsewhere
        lib_kinks = ()
    for k in lib_kinks:
        if math.isfinite(k) and k not in mpref.kinks(name, **params):
            pts += mpref._neighbours(k, np.dtype(dtype), (1e-6,))
    return mpref._unique(pts, np.dtype(dtype))


def grid(name: str, params: dict[str, Any], dtype: str = "float64") -> np.ndarray:
    return _grid_cached(name, tuple(sorted(params.items())), dtype)


def split_near_root(name, params, order, xs) -> tuple[np.ndarray, np.ndarray]:
    mask = np.array(
        [mpref.near_root(name, order, float(x), xs.dtype, **params) for x in xs], dtype=bool
    )
    return xs[~mask], xs[mask]


def _has_roots(name, params, order) -> bool:
    return bool(mpref.roots(name, order, **params))


def _fmt_x(x: float) -> str:
    return f"{x!r} ({float(x).hex()})"


def check_points(name, params, order, xs, out, *, dtype, near_root):
    """Return a list of failure lines (empty when every point meets its bar)."""
    failures = []
    for x, c in zip(xs.tolist(), out.tolist()):
        exact = mpref.reference(name, order, x, **params)
        rounded = mpref.round_to(exact, dtype)
        if math.isinf(rounded):
            if c != rounded:
                failures.append((math.inf, f"x={_fmt_x(x)}: got {c!r}, exact overflows to {rounded}"))
            continue
        err = mpref.abs_error(c, exact)
        if dtype == "float64":
            tol = REL_BAR[order] * abs(exact) + ABS_FLOOR
            if near_root:
                tol += ROOT_ALLOWANCE * max(1.0, abs(x))
        else:
            err = mpref.abs_error(c, rounded)
            tol = max(F32_REL * abs(exact), F32_ULPS * mpref.ulp(exact, "float32"), F32_ABS_FLOOR)
            tol += _float32_conditioning(name, params, order, x, exact)
            if near_root:
                tol += F32_ROOT_ALLOWANCE * max(1.0, abs(x))
        if not err <= tol:
            rel = mpref.rel_error(c, exact)
            ulps = mpref.ulp_error(c, exact, dtype)
            failures.append(
                (rel, f"x={_fmt_x(x)}: got {c!r}, exact {mpref.show(exact)}, "
                      f"rel err {rel:.3g}, {ulps:.3g} ulp, abs err {mpref.show(err, 3)}")
            )  # fmt: skip
    failures.sort(key=lambda item: -item[0])
    return [line for _, line in failures]


F32_INPUT_ULPS = 2


def _float32_conditioning(name, params, order, x, exact):
    """How much the exact value changes when x moves by F32_INPUT_ULPS float32 ulps
    (on the smooth piece around x: across a kink this would measure the jump)."""
    step = F32_INPUT_ULPS * float(mpref.ulp(x, "float32"))
    if x == 0 or not math.isfinite(x + step) or not math.isfinite(x - step):
        return 0
    if any(abs(k - x) <= step for k in get_act(name, params).kinks):
        return 0
    return max(abs(mpref.reference(name, order, x + d, **params) - exact) for d in (-step, step))


def _report(title: str, failures: list[str], total: int) -> str:
    shown = "\n  ".join(failures[:15])
    more = f"\n  ... and {len(failures) - 15} more" if len(failures) > 15 else ""
    return f"{title}: {len(failures)} of {total} points fail\n  {shown}{more}"


# ---------------------------------------------------------------------------------------
# Accuracy, float64 and float32.


def _accuracy_cases():
    for name, params in CONFIGS:
        for order in (0, 1, 2):
            base = f"{cfg_id(name, params)}-{ORDER_NAMES[order]}"
            yield pytest.param(name, params, order, False, id=base)
            if _has_roots(name, params, order):
                yield pytest.param(name, params, order, True, id=base + "-near_root")


ACCURACY_CASES = list(_accuracy_cases())


@pytest.mark.parametrize("name,params,order,near_root", ACCURACY_CASES)
def test_float64_accuracy(name, params, order, near_root):
    act = get_act(name, params)
    far, near = split_near_root(name, params, order, grid(name, params))
    xs = near if near_root else far
    assert xs.size > 0
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warnings are tested on their own below
        out = evaluate(act, order, xs)
    assert out.dtype == np.float64 and out.shape == xs.shape
    bar = f"err <= {REL_BAR[order]:g}*|exact| + {ABS_FLOOR:g}"
    if near_root:
        bar += f" + {ROOT_ALLOWANCE:g}*max(1,|x|)"
    failures = check_points(name, params, order, xs, out, dtype="float64", near_root=near_root)
    title = f"{cfg_id(name, params)} {ORDER_NAMES[order]} float64 ({bar})"
    assert not failures, _report(title, failures, xs.size)


@pytest.mark.parametrize("name,params,order,near_root", ACCURACY_CASES)
def test_float32_accuracy(name, params, order, near_root):
    act = get_act(name, params)
    far, near = split_near_root(name, params, order, grid(name, params, "float32"))
    xs = near if near_root else far
    assert xs.dtype == np.float32 and xs.size > 0
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = evaluate(act, order, xs)
    assert out.dtype == np.float32 and out.shape == xs.shape
    failures = check_points(name, params, order, xs, out, dtype="float32", near_root=near_root)
    title = (f"{cfg_id(name, params)} {ORDER_NAMES[order]} float32 "
             f"(err vs exact rounded to float32 <= max({F32_REL:g}|exact|, {F32_ULPS} ulp32, 2^-126))")  # fmt: skip
    assert not failures, _report(title, failures, xs.size)


def test_shapes_are_kept():
    act = get_act("gelu", {})
    x = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    for order in (0, 1, 2):
        out = evaluate(act, order, x)
        assert out.shape == x.shape and out.dtype == np.float64
        flat = evaluate(act, order, x.ravel())
        np.testing.assert_array_equal(out.ravel(), flat)
        out32 = evaluate(act, order, x.astype(np.float32))
        assert out32.shape == x.shape and out32.dtype == np.float32


# ---------------------------------------------------------------------------------------
# No floating-point warnings for finite inputs.

CFG_ORDER_CASES = [
    pytest.param(name, params, order, id=f"{cfg_id(name, params)}-{ORDER_NAMES[order]}")
    for name, params in CONFIGS
    for order in (0, 1, 2)
]


def _raising(act, order, xs):
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        return evaluate(act, order, xs)


@pytest.mark.parametrize("name,params,order", CFG_ORDER_CASES)
def test_no_floating_point_warnings(name, params, order):
    act = get_act(name, params)
    for dtype in ("float64", "float32"):
        xs = grid(name, params, dtype)
        try:
            _raising(act, order, xs)
        except (FloatingPointError, RuntimeWarning) as exc:
            bad = []
            for x in xs:
                try:
                    _raising(act, order, np.array([x]))
                except (FloatingPointError, RuntimeWarning) as one:
                    bad.append(f"x={x!r}: {one}")
            pytest.fail(
                f"{cfg_id(name, params)} {ORDER_NAMES[order]} {dtype}: {exc}\n  "
                + "\n  ".join(bad[:15] or ["(only on the whole array)"])
            )


# ---------------------------------------------------------------------------------------
# Infinities and NaN.


def _limit_ok(got: float, exact: mpf, order: int, dtype) -> bool:
    want = mpref.round_to(exact, dtype)
    if math.isnan(want):  # no limit (mpref.NO_LIMIT): NaN is the answer
        return math.isnan(got)
    if want == 0 or math.isinf(want) or math.isnan(got):
        return got == want
    rel = REL_BAR[order] if np.dtype(dtype) == np.float64 else F32_REL
    return mpref.abs_error(got, exact) <= rel * abs(exact)


@pytest.mark.parametrize("name,params,order", CFG_ORDER_CASES)
def test_limits_at_infinity(name, params, order):
    """f^(order)(+-inf) is the limit (the reference evaluated at +-2^1330 ~ 1e400): exactly
    when the limit is 0 or +-inf, else within the accuracy bar of the order; NaN where
    there is none (mpref.NO_LIMIT: sin oscillates)."""
    act = get_act(name, params)
    problems = []
    for dtype in (np.float64, np.float32):
        xs = np.array([-np.inf, np.inf], dtype=dtype)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = evaluate(act, order, xs)
        assert out.dtype == dtype
        for x, c in zip(xs.tolist(), out.tolist()):
            exact = mpref.reference(name, order, x, **params)
            if not _limit_ok(c, exact, order, dtype):
                want = mpref.round_to(exact, dtype)
                problems.append(f"{np.dtype(dtype).name} x={x}: got {c!r}, limit {want!r}")
    assert not problems, f"{cfg_id(name, params)} {ORDER_NAMES[order]}: " + "; ".join(problems)


# Hand-written limits (independent of the 1e400 device above).
EXPLICIT_LIMITS = [
    ("sigmoid", {}, 0, math.inf, 1.0), ("sigmoid", {}, 0, -math.inf, 0.0),
    ("sigmoid", {}, 1, math.inf, 0.0), ("sigmoid", {}, 1, -math.inf, 0.0),
    ("tanh", {}, 0, -math.inf, -1.0), ("tanh", {}, 1, math.inf, 0.0),
    ("softplus", {}, 0, -math.inf, 0.0), ("softplus", {}, 0, math.inf, math.inf),
    ("softplus", {}, 1, math.inf, 1.0), ("softplus", {}, 1, -math.inf, 0.0),
    ("gelu", {}, 0, -math.inf, 0.0), ("gelu", {}, 0, math.inf, math.inf),
    ("gelu", {}, 1, -math.inf, 0.0), ("gelu", {}, 1, math.inf, 1.0),
    ("gelu", {}, 2, -math.inf, 0.0), ("gelu", {}, 2, math.inf, 0.0),
    ("gelu", {"approximate": "tanh"}, 0, -math.inf, 0.0),
    ("gelu", {"approximate": "tanh"}, 1, math.inf, 1.0),
    ("elu", {}, 0, -math.inf, -1.0), ("elu", {"alpha": 0.5}, 0, -math.inf, -0.5),
    ("elu", {}, 1, -math.inf, 0.0), ("elu", {}, 1, math.inf, 1.0),
    ("silu", {}, 0, -math.inf, 0.0), ("silu", {}, 1, math.inf, 1.0),
    ("mish", {}, 0, -math.inf, 0.0), ("mish", {}, 1, math.inf, 1.0),
    ("log_sigmoid", {}, 0, math.inf, 0.0), ("log_sigmoid", {}, 0, -math.inf, -math.inf),
    ("log_sigmoid", {}, 1, -math.inf, 1.0),
    ("softsign", {}, 0, math.inf, 1.0), ("softsign", {}, 0, -math.inf, -1.0),
    ("squareplus", {}, 0, -math.inf, 0.0), ("squareplus", {}, 1, math.inf, 1.0),
    ("tanhshrink", {}, 0, math.inf, math.inf), ("tanhshrink", {}, 1, -math.inf, 1.0),
    ("exponential", {}, 0, -math.inf, 0.0), ("exponential", {}, 0, math.inf, math.inf),
    ("selu", {}, 0, -math.inf, "-scale*alpha"), ("selu", {}, 1, -math.inf, 0.0),
]  # fmt: skip


@pytest.mark.parametrize(
    "name,params,order,x,limit",
    [pytest.param(*case, id=f"{cfg_id(case[0], case[1])}-{ORDER_NAMES[case[2]]}-{case[3]}")
     for case in EXPLICIT_LIMITS],
)  # fmt: skip
def test_explicit_limits(name, params, order, x, limit):
    if limit == "-scale*alpha":
        with mp.workdps(40):
            limit = mpref.round_to(-mpf(mpref.SELU_SCALE) * mpf(mpref.SELU_ALPHA))
    exact = mpref.reference(name, order, x, **params)
    assert mpref.round_to(exact) == limit  # the reference agrees with the hand-written limit
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = float(evaluate(get_act(name, params), order, np.array([x]))[0])
    assert _limit_ok(got, exact, order, np.float64), (got, limit)


@pytest.mark.parametrize(
    "name,params", [pytest.param(n, p, id=cfg_id(n, p)) for n, p in CONFIGS]
)
def test_nan_propagates(name, params):
    act = get_act(name, params)
    for dtype in (np.float64, np.float32):
        xs = np.array([np.nan, 0.5, -np.nan, -2.0, np.nan], dtype=dtype)
        for order in (0, 1, 2):
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = evaluate(act, order, xs)
                scalar = evaluate(act, order, dtype(np.nan))
            assert out.dtype == dtype, (order, dtype)
            assert np.isnan(out[[0, 2, 4]]).all(), (ORDER_NAMES[order], dtype, out)
            assert not np.isnan(out[[1, 3]]).any(), (ORDER_NAMES[order], dtype, out)
            assert np.isnan(scalar), (ORDER_NAMES[order], dtype, scalar)


# ---------------------------------------------------------------------------------------
# Catalog coverage and kinks.


def test_every_elementwise_function_has_a_reference():
    elementwise = [n for n in actcli.names() if actcli.get(n).kind == "elementwise"]
    assert sorted(set(elementwise) - set(mpref.NAMES)) == []
    assert sorted(set(mpref.NAMES) - set(elementwise)) == []


@pytest.mark.parametrize(
    "name,params", [pytest.param(n, p, id=cfg_id(n, p)) for n, p in CONFIGS]
)
def test_declared_kinks(name, params):
    """act.kinks lists exactly the points where f or f' is not smooth (from the definitions)."""
    declared = sorted(get_act(name, params).kinks)
    assert declared == sorted(mpref.kinks(name, **params))


# ---------------------------------------------------------------------------------------
# Published values (tutorial numbers, independent of this code) at 4 decimals.

PUBLISHED = [
    ("sigmoid", {}, 2.0, 0.8808),
    ("sigmoid", {}, -3.0, 0.0474),
    ("tanh", {}, 2.0, 0.9640),
    ("tanh", {}, -3.0, -0.9951),
    ("elu", {}, -3.0, -0.9502),
    ("leaky_relu", {}, -3.0, -0.03),
]


@pytest.mark.parametrize(
    "name,params,x,value", [pytest.param(*c, id=f"{c[0]}({c[2]:g})") for c in PUBLISHED]
)
def test_published_values(name, params, x, value):
    exact = mpref.reference(name, 0, x, **params)
    assert abs(float(exact) - value) <= 0.5e-4 + 1e-12, (exact, value)
    got = float(get_act(name, params).f(np.array([x]))[0])
    assert round(got, 4) == pytest.approx(value, abs=1e-12)


# ---------------------------------------------------------------------------------------
# Self-tests of the reference module (no library needed).

KNOWN = [
    # independent decimal values (tables / closed forms computed by hand)
    ("sigmoid", {}, 0, 2.0, "0.88079707797788244406"),  # 1/(1+e^-2)
    ("tanh", {}, 1, 20.0, "1.6993417021166355e-17"),  # sech(20)^2 ~ 4 e^-40
    ("gelu", {}, 0, 1.0, "0.84134474606854293"),  # Phi(1)
    ("gelu", {}, 0, -30.0, "-1.4720141781444561e-196"),  # -30 * Q(30), Q(30)=4.906713927148187e-198
    ("tanhshrink", {}, 0, 1e-100, "3.3333333333333332e-301"),  # x^3/3
    ("softplus", {}, 0, 0.0, "0.69314718055994531"),  # log 2
    ("log_sigmoid", {}, 0, 0.0, "-0.69314718055994531"),
    ("squareplus", {}, 0, -1e10, "1.0000000000e-10"),  # ~ b/(4|x|)
    ("softsign", {}, 2, 1.0, "-0.25"),
    ("selu", {}, 1, 0.0, "1.7580993408473768599"),  # scale*alpha
    ("mish", {}, 0, 1.0, "0.86509838826731"),  # tanh(log(1+e)) = 0.8650983882673103
    ("exponential", {}, 0, 1.0, "2.7182818284590452354"),
]  # fmt: skip


@pytest.mark.parametrize("name,params,order,x,value", KNOWN, ids=[f"{k[0]}-{k[2]}-{k[3]:g}" for k in KNOWN])
def test_reference_known_values(name, params, order, x, value):
    digits = len(value.split("e")[0].replace("-", "").replace(".", "").lstrip("0"))
    with mp.workdps(40):
        exact = mpref.reference(name, order, x, **params)
        assert abs(exact - mpf(value)) <= abs(mpf(value)) * mpf(10) ** (1 - digits)


SMOOTH_POINTS = (-7.3, -2.2, -1.1, -0.6, 0.37, 0.9, 1.9, 2.7, 4.4, 8.1)


@pytest.mark.parametrize(
    "name,params", [pytest.param(n, p, id=cfg_id(n, p)) for n, p in CONFIGS]
)
def test_reference_derivatives_match_mpmath_diff(name, params):
    """The hand-derived f', f'' agree with numerical differentiation of f (at 120 digits)."""
    kinks = mpref.kinks(name, **params)
    with mp.workdps(50):
        for x in SMOOTH_POINTS:
            if any(abs(x - k) < 1e-3 for k in kinks):
                continue
            for order in (1, 2):
                exact = mpref.reference(name, order, x, **params)
                lower = lambda t: mpref.reference(name, order - 1, t, dps=120, **params)  # noqa: E731
                numeric = mpmath.diff(lower, mpf(x))
                assert abs(numeric - exact) <= mpf(10) ** -35 * max(1, abs(exact)), (
                    order, x, exact, numeric)  # fmt: skip


@pytest.mark.parametrize(
    "name,params", [pytest.param(n, p, id=cfg_id(n, p)) for n, p in CONFIGS]
)
def test_reference_precision_is_stable(name, params):
    """References at 60 and 120 digits agree (no hidden cancellation) on the hard points:
    to 55 digits where the value is within 2^+-1100, and after rounding everywhere."""
    pts = [0.0, math.inf, -math.inf]
    for v in mpref.EXTREMES + mpref.TINY:
        pts += [v, -v]
    pts += mpref.special_points(name, **params)
    for x in pts:
        for order in (0, 1, 2):
            a = mpref.reference(name, order, x, **params)
            b = mpref.reference(name, order, x, dps=120, **params)
            if mpmath.isnan(b):  # no limit at +-inf
                assert mpmath.isnan(a) and math.isinf(x), (order, x)
                continue
            assert mpref.round_to(a) == mpref.round_to(b), (order, x)
            assert mpref.round_to(a, "float32") == mpref.round_to(b, "float32"), (order, x)
            if b != 0 and -1100 < mpmath.mag(b) < 1100:
                # Beyond that, exp(+-huge) is so ill-conditioned that the ~1e-76 rounding of
                # a decimal constant (1.702) moves the value; both round to 0/inf anyway.
                assert abs(a - b) <= abs(b) * mpf(10) ** -55, (order, x, mpref.show(a), mpref.show(b))


@pytest.mark.parametrize(
    "name,params", [pytest.param(n, p, id=cfg_id(n, p)) for n, p in CONFIGS]
)
def test_reference_sign_changes_are_listed_roots(name, params):
    """On [-10, 10], every strict sign change of f^(order) between grid neighbours with no
    kink between them brackets one of the irrational roots listed in mpref (or a root at
    a grid point): the near-root exception list is complete."""
    xs = [x for x in grid(name, params).tolist() if -10 <= x <= 10]
    kinks = mpref.kinks(name, **params)
    for order in (0, 1, 2):
        rts = mpref.roots(name, order, **params)
        vals = [mpref.reference(name, order, x, **params) for x in xs]
        for (a, fa), (b, fb) in zip(zip(xs, vals), zip(xs[1:], vals[1:])):
            if fa * fb < 0 and not any(a <= k <= b for k in kinks):
                assert any(a < r < b for r in rts), (ORDER_NAMES[order], a, b)
        for r in rts:  # and each listed root is a simple root
            assert abs(mpref.reference(name, order, r, **params)) < mpf(10) ** -50
            assert mpref.reference(name, order, r - mpf("1e-6"), **params) * mpref.reference(
                name, order, r + mpf("1e-6"), **params) < 0  # fmt: skip


def test_rounding_helpers():
    with mp.workprec(300):
        two = mpf(2)
        assert mpref.round_to(two**-1075) == 0.0  # tie to even
        assert mpref.round_to(3 * two**-1075) == 1e-323
        assert mpref.round_to(two**-1022 - two**-1074 * mpf("0.6")) == 2.225073858507201e-308
        assert mpref.round_to(two**1024 - two**970) == math.inf  # tie to even -> overflow
        assert mpref.round_to(two**1024 - two**970 - two**900) == 1.7976931348623157e308
        assert mpref.round_to(1 + two**-53) == 1.0
        assert mpref.round_to(1 + two**-53 + two**-100) == 1.0000000000000002
        assert mpref.round_to(mpf(1) / 3, "float32") == float(np.float32(1 / 3))
        assert mpref.round_to(two**-150, "float32") == 0.0
        assert mpref.round_to(two**128, "float32") == math.inf
        assert mpref.round_to(-(two**-149) * mpf("1.6"), "float32") == -(2.0**-148)
    assert mpref.ulp(1.0) == mpf(2) ** -52
    assert mpref.ulp(0.0) == mpf(2) ** -1074
    assert mpref.ulp(1.0, "float32") == mpf(2) ** -23
    assert mpref.ulp_error(1.0000000000000002, mpf(1)) == 1.0
    assert mpref.ulp_error(math.inf, mpf(10) ** 400) == 0.0
    assert mpref.ulp_error(1.7976931348623157e308, mpf(10) ** 400) == math.inf
    assert mpref.rel_error(1.1, mpf(1)) == pytest.approx(0.1)


# ---------------------------------------------------------------------------------------
# Exact GELU's left tail down to float64's subnormal range (issue 17: gelu(-38.5) was -0.0
# where the exact value is -5.4e-323): within the relative bar plus one subnormal spacing
# (2^-1074, all a subnormal result can resolve), and negative.

SUBNORMAL_SPACING = 2.0**-1074


@pytest.mark.parametrize("order", [0, 1, 2])
def test_exact_gelu_tail_reaches_the_subnormal_range(order):
    act = get_act("gelu", {})
    xs = np.concatenate([np.linspace(-36.5, -38.8, 47), [-38.5, -38.6, -38.65]])
    out = evaluate(act, order, xs)
    for x, got in zip(xs.tolist(), out.tolist()):
        exact = mpref.reference("gelu", order, mpf(x), approximate="none")
        nearest = float(exact)  # mpmath rounds to the nearest double, subnormals too
        assert abs(got - nearest) <= REL_BAR[order] * abs(nearest) + SUBNORMAL_SPACING, \
            (x, got, nearest)
        assert math.copysign(1, got) == -1
    assert float(evaluate(act, 0, np.array(-38.5))) == pytest.approx(-5.4e-323, abs=5e-324)
