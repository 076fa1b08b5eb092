"""The compiled loops of catalog.jit (Numba), which large arrays use with ACTCLI_JIT=1,
and by themselves once a job shows it is long.

They meet the same accuracy bars as the NumPy records (the mpmath references of
tests/mpref.py over the accuracy grids, float64 and float32), give value_and_grad equal
to f and df bit for bit, change no bit with the chunking or the thread count, and keep
the NumPy path's handling of NaN (its payload), signed zeros, infinities, shapes and
dtypes. With ACTCLI_JIT=0, or below JIT_FROM values, or for a record without a loop,
NumPy computes as before. Automatically, the call that shows a long job runs on NumPy
alone, the loops load in the background, and the calls (and chunks) after use them.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

import mpref
from test_accuracy import check_points, get_act, grid, split_near_root
from test_compute import check_shapes_strides_and_views, same_bits

import actcli
from actcli.catalog import REGISTRY, compute

pytest.importorskip("numba")
from actcli.catalog import _jitlib as jitlib  # noqa: E402
from actcli.catalog import jit  # noqa: E402

COMPILED = [(name, params) for name, params in mpref.CONFIGS if name in jit.NAMES]


@pytest.fixture
def compiled(monkeypatch):
    """Every array of 1 or more values goes through the compiled loops, in chunks of 7
    values (odd, so chunk edges fall everywhere), on the number of threads the test sets."""
    monkeypatch.setenv(compute.JIT_SETTING, "1")
    monkeypatch.setattr(compute, "JIT_FROM", 1)
    monkeypatch.setattr(compute, "JIT_CHUNK", 7)

    def use(threads: int) -> None:
        monkeypatch.setenv("ACTCLI_THREADS", str(threads))

    use(2)
    return use


def test_the_loops_cover_the_benchmarked_functions_and_every_parameter():
    assert {"sigmoid", "tanh", "softplus", "silu", "gelu", "relu", "elu", "mish"} <= jit.NAMES
    for name in jit.NAMES:
        spec = REGISTRY.lookup(name)
        assert spec.name == name
        defaults = {p.name: p.default for p in spec.params}
        assert spec.compiled(**defaults) is not None  # (a renamed parameter fails here)
    assert {s.name for s in REGISTRY if getattr(s, "compiled", None)} == jit.NAMES
    assert {name for name, _ in COMPILED} == jit.NAMES  # every loop is checked below


def _cases():
    for name, params in COMPILED:
        for order in (0, 1):
            base = f"{mpref.label(name, params)}-{'df' if order else 'f'}"
            yield pytest.param(name, params, order, False, id=base)
            if mpref.roots(name, order, **params):
                yield pytest.param(name, params, order, True, id=base + "-near_root")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name,params,order,near_root", list(_cases()))
def test_accuracy_of_the_compiled_loops(name, params, order, near_root, dtype, compiled):
    act = get_act(name, params)
    far, near = split_near_root(name, params, order, grid(name, params, dtype))
    xs = near if near_root else far
    out = np.asarray(act.derivative(order)(xs))
    assert out.dtype == xs.dtype and out.shape == xs.shape
    failures = check_points(name, params, order, xs, out, dtype=dtype, near_root=near_root)
    title = f"{mpref.label(name, params)} order {order} {dtype}"
    assert not failures, f"{title}:\n  " + "\n  ".join(failures[:15])


def _grid_with_specials(name, params, dtype):
    points = np.asarray(grid(name, params, dtype), dtype=dtype)
    payload = np.array([0x7FF8000000000123], dtype=np.uint64).view(np.float64).astype(dtype)
    specials = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0], dtype=dtype)
    return np.concatenate([points, specials, payload])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name,params", COMPILED, ids=[mpref.label(*c) for c in COMPILED])
def test_value_and_grad_is_f_and_df_bit_for_bit(name, params, dtype, compiled):
    act = actcli.get(name, **params)
    x = _grid_with_specials(name, params, dtype)
    value, grad = act.value_and_grad(x)
    assert same_bits(value, act.f(x)) and same_bits(grad, act.df(x))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name,params", COMPILED, ids=[mpref.label(*c) for c in COMPILED])
def test_chunks_and_threads_change_no_bit(name, params, dtype, compiled, monkeypatch):
    act = actcli.get(name, **params)
    x = _grid_with_specials(name, params, dtype)
    monkeypatch.setattr(compute, "JIT_CHUNK", x.size)
    compiled(1)
    whole = act.value_and_grad(x)
    monkeypatch.setattr(compute, "JIT_CHUNK", 7)
    for threads in (1, 2, 3):
        compiled(threads)
        assert all(map(same_bits, act.value_and_grad(x), whole)), f"{threads} threads"


@pytest.mark.parametrize("name,params", COMPILED, ids=[mpref.label(*c) for c in COMPILED])
def test_nan_zeros_and_infinities_as_numpy(name, params, compiled, monkeypatch):
    """NaN keeps its payload; +-0 and +-inf give NumPy's values, sign of zero included
    (both are exact there: limits, or f(0))."""
    act = actcli.get(name, **params)
    for dtype in (np.float64, np.float32):
        x = _grid_with_specials(name, params, dtype)[-7:]
        fast = act.value_and_grad(x)
        monkeypatch.setenv(compute.JIT_SETTING, "0")
        with np.errstate(all="ignore"):
            slow = act.value_and_grad(x)
        monkeypatch.setenv(compute.JIT_SETTING, "1")
        for got, want in zip(fast, slow):
            assert got.dtype == dtype
            assert same_bits(got, want), f"{dtype.__name__}: {got} != {want} at {x}"


@pytest.mark.parametrize("name", sorted(jit.NAMES))
def test_shapes_strides_views_and_the_input_untouched(name, compiled):
    check_shapes_strides_and_views(actcli.get(name))


@pytest.mark.parametrize("name", sorted(jit.NAMES))
def test_scalars_and_zero_d_arrays_give_scalars(name, compiled):
    act = actcli.get(name)
    for x, kind in ((0.5, np.float64), (np.float32(-2), np.float32), (np.array(3.0), np.float64)):
        value, grad = act.value_and_grad(x)
        assert type(value) is kind and type(grad) is kind
        assert same_bits(value, act.f(x)) and same_bits(grad, act.df(x))


def test_f_alone_and_df_alone_equal_the_pair(compiled):
    act = actcli.get("softplus", beta=0.5)
    x = np.linspace(-40, 40, 1001)
    value, grad = act.value_and_grad(x)
    assert same_bits(act.f(x), value) and same_bits(act.df(x), grad)
    assert same_bits(act.derivatives(x, (1, 0))[1], value)


@pytest.fixture
def background(monkeypatch):
    """A fresh automatic mode (nothing loaded, no NumPy time counted), and the names of
    the loops made, in order."""
    made = []
    real = jit.loop
    monkeypatch.setattr(jit, "loop", lambda name, params: made.append(name) or real(name, params))
    monkeypatch.setattr(compute, "BACKGROUND", compute.Background())
    monkeypatch.setenv(compute.JIT_SETTING, "")
    return made


def test_a_large_array_takes_the_compiled_path_only_when_asked(background, monkeypatch):
    calls = background
    act = actcli.get("gelu")
    x = np.linspace(-8, 8, compute.JIT_FROM)
    for setting in ("", "0", "yes", "2"):  # automatic (a short job), off, automatic twice
        monkeypatch.setenv(compute.JIT_SETTING, setting)
        act.f(x)
    compute.BACKGROUND.wait()
    assert calls == []
    monkeypatch.setenv(compute.JIT_SETTING, "1")
    act.f(x[:-1])  # one value short of the threshold
    assert calls == []
    fast = act.value_and_grad(x)
    assert calls == ["gelu"]
    monkeypatch.setenv(compute.JIT_SETTING, "0")
    slow = act.value_and_grad(x)
    for got, want in zip(fast, slow):  # the two engines agree to a few ulps (f' is O(1)
        assert np.allclose(got, want, rtol=1e-15, atol=1e-16)  # terms that cancel near its root)


def test_records_without_a_loop_and_formulas_use_numpy(compiled):
    for text in ("hardswish", "selu", "x*sigmoid(x)"):
        act = actcli.get(text)
        assert act.spec.compiled is None
        x = np.linspace(-5, 5, 33)
        value, grad = act.value_and_grad(x)
        assert same_bits(value, act.f(x)) and same_bits(grad, act.df(x))
    sigmoid = actcli.get("sigmoid")
    x = np.linspace(-5, 5, 33)
    assert np.allclose(sigmoid.d2f(x), sigmoid.df(x) * (1 - 2 * sigmoid.f(x)), rtol=1e-13, atol=1e-300)


@pytest.fixture
def without_numba(monkeypatch):
    """ACTCLI_JIT=1 for every array, and `import numba` fails."""
    monkeypatch.setenv(compute.JIT_SETTING, "1")
    monkeypatch.setattr(compute, "JIT_FROM", 1)
    monkeypatch.setitem(sys.modules, "numba", None)
    for module in ("jit", "_jitlib"):
        monkeypatch.delitem(sys.modules, f"actcli.catalog.{module}")
        monkeypatch.delattr(sys.modules["actcli.catalog"], module)


def test_asking_without_numba_says_how_to_get_it(without_numba, monkeypatch):
    with pytest.raises(ImportError, match=r"ACTCLI_JIT=1 .* Numba.*pip install 'actcli\[fast\]'"):
        actcli.get("sigmoid").f(np.zeros(3))
    monkeypatch.setenv(compute.JIT_SETTING, "0")
    assert actcli.get("sigmoid").f(np.zeros(3)).tolist() == [0.5] * 3


def test_the_command_line_says_it_in_one_line(without_numba):
    from typer.testing import CliRunner

    from actcli.cli import app

    result = CliRunner().invoke(app, ["grad", "sigmoid", "1", "2", "3"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "actcli: error: ACTCLI_JIT=1 asks for compiled kernels, which need Numba (import of "
        "numba halted; None in sys.modules): pip install 'actcli[fast]', or unset ACTCLI_JIT"]


def _ulps(got: float, exact, bits: int = 53) -> float:
    """|got - exact| in units of the last place of `exact` with `bits` bits (normal range)."""
    import mpmath

    unit = mpmath.mpf(2) ** (mpmath.floor(mpmath.log(abs(exact), 2)) - (bits - 1))
    return float(abs(mpmath.mpf(got) - exact) / unit)


def test_the_arithmetic_exp_expm1_and_log1p_are_within_an_ulp():
    """The loops call no libm: their exp, expm1 and log1p against mpmath at 100 digits,
    for float64 results and (exp, expm1) for float32 ones."""
    import mpmath

    rng = np.random.default_rng(7)
    ws = -np.concatenate([np.linspace(0, 745, 4001), rng.uniform(0, 2, 3000),
                          10.0 ** -rng.uniform(0, 300, 1000), [5e-324, 0.0108, 0.3466, 708.39]])
    es = np.concatenate([rng.uniform(0, 1, 3000), 10.0 ** -rng.uniform(0, 300, 1000),
                         [0.0, 1.0, np.sqrt(2) - 1, np.nextafter(np.sqrt(2) - 1, 1), 5e-324]])
    ws32 = -np.concatenate([np.linspace(0, 87, 2001), rng.uniform(0, 2, 2000),
                            10.0 ** -rng.uniform(0, 37, 500), [0.7, 0.35]]).astype(np.float32)
    worst = dict.fromkeys(("exp", "expm1", "log1p", "exp32", "expm1_32"), 0.0)

    def record(key, got, exact, bits=53):
        worst[key] = max(worst[key], _ulps(got, exact, bits))

    with mpmath.workdps(100):
        for w in ws.tolist():
            e, m = jitlib.exp_and_expm1_64(w)
            if mpmath.exp(w) > 2.3e-308:  # (subnormal results: the loops' tests judge them)
                record("exp", e, mpmath.exp(w))
            if w:
                record("expm1", m, mpmath.expm1(w))
        for e in es.tolist():
            if e:
                record("log1p", jitlib.log1p_unit64(e), mpmath.log1p(e))
        for w in ws32.astype(np.float64).tolist():  # float32 inputs, float32 results
            e, m = (float(np.float32(v)) for v in jitlib.exp_and_expm1_32(w))
            if mpmath.exp(w) > 1.2e-38:
                record("exp32", e, mpmath.exp(w), 24)
            if w:
                record("expm1_32", m, mpmath.expm1(w), 24)
    assert worst["exp"] <= 0.55 and worst["expm1"] <= 1.0 and worst["log1p"] <= 1.0, worst
    assert worst["exp32"] <= 1.0 and worst["expm1_32"] <= 1.0, worst
    for expm1 in (jitlib.exp_and_expm1_64(-0.0)[1], jitlib.exp_and_expm1_32(-0.0)[1]):
        assert expm1 == 0 and np.signbit(expm1)
    assert jitlib.exp_and_expm1_64(-746.0) == (0.0, -1.0) and jitlib.log1p_unit64(0.0) == 0.0
    assert jitlib.exp_and_expm1_32(-np.inf) == (0.0, -1.0)


def test_a_pipeline_with_the_switch_on_runs_the_loops(monkeypatch):
    """`ACTCLI_JIT=1 actcli grad gelu` on piped rows: its chunks go through the compiled
    loop, and the numbers agree with NumPy's to a few ulps."""
    from typer.testing import CliRunner

    from actcli.cli import app

    calls = []
    real = jit.loop
    monkeypatch.setattr(jit, "loop", lambda name, params: calls.append(name) or real(name, params))
    rows = "x\n" + "\n".join(f"{v:.6f}" for v in np.linspace(-9, 9, 3 * compute.JIT_FROM)) + "\n"
    outputs = {}
    for setting in ("1", "0"):
        monkeypatch.setenv(compute.JIT_SETTING, setting)
        result = CliRunner().invoke(app, ["grad", "gelu"], input=rows)
        assert result.exit_code == 0, result.output
        outputs[setting] = np.loadtxt(result.output.splitlines()[1:], delimiter=",")
    assert calls and set(calls) == {"gelu"}
    assert np.allclose(outputs["1"], outputs["0"], rtol=1e-15, atol=1e-16)


# --- the automatic mode -----------------------------------------------------------------------

def _spy(monkeypatch):
    """The compiled calls of the loops, as (name, values) pairs."""
    calls = []
    real = jit.loop

    def loop(name, params):
        inner = real(name, params)
        return lambda x, *rest: calls.append((name, x.size)) or inner(x, *rest)

    monkeypatch.setattr(jit, "loop", loop)
    return calls


def test_the_call_that_shows_a_long_job_runs_on_numpy_and_the_next_ones_compiled(
        background, monkeypatch):
    calls = _spy(monkeypatch)
    monkeypatch.setattr(compute, "AUTO_FROM", 1 << 15)
    act = actcli.get("silu")
    x = np.linspace(-30, 30, 1 << 15)
    slow = act.value_and_grad(x)  # large enough to ask: the loading starts after it
    assert all(size <= 2 for _, size in calls)  # (the loading tries the loop on 2 values)
    compute.BACKGROUND.wait()
    calls.clear()
    fast = act.value_and_grad(x)
    assert calls and {name for name, _ in calls} == {"silu"}
    assert sum(size for _, size in calls) == x.size
    for got, want in zip(fast, slow):  # the engines agree to a few ulps (f' is O(1)
        assert np.allclose(got, want, rtol=1e-15, atol=1e-15)  # terms that cancel near its root)
    assert act.f(x.astype(np.float32)).dtype == np.float32  # another dtype: its own loop
    compute.BACKGROUND.wait()
    assert same_bits(act.f(x.astype(np.float32)), act.value_and_grad(x.astype(np.float32))[0])


def test_time_spent_in_numpy_starts_the_loading_for_a_job_of_small_chunks(background,
                                                                         monkeypatch):
    act = actcli.get("tanh")
    x = np.linspace(-5, 5, compute.JIT_FROM)  # one chunk of a pipeline, of stats
    act.value_and_grad(x)
    compute.BACKGROUND.wait()
    assert background == []  # a short job
    monkeypatch.setattr(compute.BACKGROUND, "numpy_seconds", compute.AUTO_AFTER)
    act.value_and_grad(x)
    compute.BACKGROUND.wait()
    assert background == ["tanh"]
    act.f(x[:-1])  # below JIT_FROM values: NumPy, whatever is loaded
    assert background == ["tanh"]


def test_chunks_switch_to_the_loop_once_it_is_loaded(background, monkeypatch):
    """A long call computes its first chunks with NumPy and, once the loop is ready, the
    rest with it; the results agree with NumPy's to a few ulps wherever the switch is."""
    calls = _spy(monkeypatch)
    monkeypatch.setattr(compute, "PARALLEL_FROM", 64)
    monkeypatch.setattr(compute, "CHUNK_BYTES", 64 * 8)
    monkeypatch.setenv("ACTCLI_THREADS", "1")
    act = actcli.get("gelu")
    x = np.linspace(-40, 40, compute.JIT_FROM + 1)
    compiled = act._compiled((0, 1))
    key = compute.Background._key(compiled, x.dtype)
    loop = compiled.make(**compiled.params)
    chunks = []

    def kernel(a):  # NumPy's; the loop is ready after its 10th chunk
        chunks.append(a.size)
        if len(chunks) == 10:
            compute.BACKGROUND._ready[key] = loop
        return act.spec.value_and_grad(a, **act.params)

    calls.clear()
    value, grad = compute.evaluate(kernel, x, compiled)
    assert len(chunks) == 10 and sum(chunks) + sum(size for _, size in calls) == x.size
    monkeypatch.setenv(compute.JIT_SETTING, "0")
    for got, want in zip((value, grad), act.value_and_grad(x)):
        assert np.allclose(got, want, rtol=1e-15, atol=1e-15)


def test_without_numba_or_with_a_broken_one_the_automatic_mode_stays_on_numpy(background,
                                                                             monkeypatch):
    monkeypatch.setattr(compute, "AUTO_FROM", 1 << 15)
    x = np.linspace(-5, 5, 1 << 15)
    monkeypatch.setattr(compute.importlib.util, "find_spec", lambda name: None)
    actcli.get("sigmoid").f(x)
    compute.BACKGROUND.wait()
    assert background == []
    monkeypatch.undo()  # (the fixture's settings too: set them again)
    monkeypatch.setattr(compute, "BACKGROUND", compute.Background())
    monkeypatch.setenv(compute.JIT_SETTING, "")
    monkeypatch.setattr(compute, "AUTO_FROM", 1 << 15)

    def broken(name, params):
        raise RuntimeError("LLVM could not be initialised")

    monkeypatch.setattr(jit, "loop", broken)
    act = actcli.get("sigmoid")
    for _ in range(2):
        assert same_bits(act.f(x), act.value_and_grad(x)[0])
        compute.BACKGROUND.wait()


def test_read_only_arrays_take_numpy_in_the_automatic_mode(background, monkeypatch):
    """(Numba types a read-only array apart: its own loop, compiled in the caller.)"""
    calls = _spy(monkeypatch)
    monkeypatch.setattr(compute, "AUTO_FROM", 1 << 15)
    act = actcli.get("relu")
    x = np.linspace(-5, 5, 1 << 15)
    act.f(x)
    compute.BACKGROUND.wait()
    calls.clear()
    x.setflags(write=False)
    act.f(x)
    assert calls == []


def test_stats_over_a_large_npy_says_it_is_a_long_job(background, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from actcli.cli import app
    from actcli.frontend import stats

    path = tmp_path / "pre.npy"
    np.save(path, np.linspace(-4, 4, compute.JIT_FROM, dtype=np.float32))
    for threshold, long in ((compute.JIT_FROM * 2 + 1, False), (compute.JIT_FROM * 2, True)):
        monkeypatch.setattr(stats, "LONG_STATS", threshold)  # values x functions
        result = CliRunner().invoke(app, ["stats", "relu", "gelu", "-i", str(path), "-f", "csv"])
        assert result.exit_code == 0, result.output
        compute.BACKGROUND.wait()
        assert compute.BACKGROUND.long_job is long
        assert sorted(background) == (["gelu", "relu"] if long else [])


def test_a_long_job_asks_for_each_loop_after_its_first_call(background):
    compute.expect_long_job()
    x = np.linspace(-5, 5, compute.JIT_FROM)
    actcli.get("elu").value_and_grad(x)
    compute.BACKGROUND.wait()
    assert background == ["elu"]


def test_a_long_job_loads_the_compiled_passes_of_stats_in_the_background(background):
    """stats' summary passes (analysis.stats_jit) follow the loops' rule: asked for when
    the job is long, NumPy meanwhile, then used; the figures agree to rounding."""
    from actcli.analysis import stats
    from actcli.analysis.stats import Accumulator

    x = np.random.default_rng(3).normal(size=5000)
    first = Accumulator(["relu"])
    first.add(x)  # not long: NumPy, nothing asked for
    compute.BACKGROUND.wait()
    assert stats._compiled_passes not in compute.BACKGROUND._ready
    compute.expect_long_job()
    first.add(x)  # asks for the passes; this chunk still in NumPy
    compute.BACKGROUND.wait()
    assert stats._compiled_passes in compute.BACKGROUND._ready
    compiled_twice = Accumulator(["relu"])  # (the passes are loaded now)
    compiled_twice.add(x)
    compiled_twice.add(x)
    for want, got in zip(first.records(), compiled_twice.records()):
        assert got["dead_fraction"] == want["dead_fraction"]
        assert got["input_std"] == pytest.approx(want["input_std"], rel=1e-13)
    compiled = compute.BACKGROUND._ready[stats._compiled_passes]
    calls = []
    real = compiled.histogram
    try:
        compiled.histogram = lambda *a: calls.append(1) or real(*a)
        Accumulator(["relu"]).add(x)
    finally:
        compiled.histogram = real
    assert calls == [1]  # loaded: the compiled passes summarise from now on
