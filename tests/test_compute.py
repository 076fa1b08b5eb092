"""value_and_grad and the chunked, threaded evaluation of large arrays (catalog.compute).

The fused kernels share intermediates (exp(-|x|), Phi, ...) but perform the same
operations as f and df, so the results must be equal bit for bit, not just close: over
the accuracy grids of tests/mpref.py, in both dtypes, and whether an array is evaluated
whole or cut into chunks shared by 1, 2 or 3 threads.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mpref  # noqa: E402

import actcli  # noqa: E402
from actcli.catalog import REGISTRY, Spec, compute  # noqa: E402

ELEMENTWISE = [spec.name for spec in REGISTRY if isinstance(spec, Spec)]
FUSED = [spec.name for spec in REGISTRY if isinstance(spec, Spec) and spec.value_and_grad]


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal dtype, shape and bytes: +0 is not -0, and NaN payloads count."""
    a, b = np.asarray(a), np.asarray(b)
    return (a.dtype == b.dtype and a.shape == b.shape
            and np.array_equal(np.ascontiguousarray(a).view(np.uint8),
                               np.ascontiguousarray(b).view(np.uint8)))


def grid(name: str, params: dict, dtype: type) -> np.ndarray:
    make = mpref.float64_grid if dtype is np.float64 else mpref.float32_grid
    points = np.asarray(make(name, **params), dtype=dtype)
    return np.concatenate([points, [np.nan, -np.nan, np.inf, -np.inf]]).astype(dtype)


@pytest.fixture
def tiny_chunks(monkeypatch):
    """Every array of 2 or more values is chunked, 7 float64 or 14 float32 values a chunk
    (odd, so chunk edges fall everywhere), on the number of threads the test sets."""
    monkeypatch.setattr(compute, "PARALLEL_FROM", 2)
    monkeypatch.setattr(compute, "CHUNK_BYTES", 56)

    def use(threads: int) -> None:
        monkeypatch.setenv("ACTCLI_THREADS", str(threads))

    return use


def test_the_fused_records_include_the_common_functions():
    assert {"sigmoid", "tanh", "softplus", "silu", "gelu", "relu", "elu", "mish",
            "log_sigmoid", "quick_gelu"} <= set(FUSED)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name,params", mpref.CONFIGS, ids=[mpref.label(*c) for c in mpref.CONFIGS])
def test_value_and_grad_is_f_and_df_bit_for_bit(name, params, dtype):
    act = actcli.get(name, **params)
    x = grid(name, params, dtype)
    with np.errstate(all="ignore"):
        value, grad = act.value_and_grad(x)
        assert same_bits(value, act.f(x))
        assert same_bits(grad, act.df(x))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name,params", mpref.CONFIGS, ids=[mpref.label(*c) for c in mpref.CONFIGS])
def test_chunks_and_threads_change_no_bit(name, params, dtype, tiny_chunks, monkeypatch):
    act = actcli.get(name, **params)
    x = grid(name, params, dtype)
    with np.errstate(all="ignore"):
        monkeypatch.setattr(compute, "PARALLEL_FROM", x.size + 1)
        whole = [act.f(x), act.df(x), act.d2f(x), *act.value_and_grad(x)]
        monkeypatch.setattr(compute, "PARALLEL_FROM", 2)
        for threads in (1, 2, 3):
            tiny_chunks(threads)
            chunked = [act.f(x), act.df(x), act.d2f(x), *act.value_and_grad(x)]
            assert all(map(same_bits, chunked, whole)), f"{threads} threads"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_record_has_a_value_and_grad(name, tiny_chunks):
    """Records without a fused kernel fall back to f and df, chunked alike."""
    tiny_chunks(2)
    act = actcli.get(name)
    x = np.linspace(-8, 8, 101)
    value, grad = act.value_and_grad(x)
    assert same_bits(value, act.f(x)) and same_bits(grad, act.df(x))


def check_shapes_strides_and_views(act) -> None:
    """value_and_grad of strided, transposed, reversed and float32 views: the view's
    shape and dtype, f and df of a contiguous copy bit for bit, the input untouched."""
    base = np.linspace(-6, 6, 7 * 9 * 4).reshape(7, 9, 4)
    for x in (base[:, ::2, 1], base.T, base[::-1, 3], base[2:5], base.astype(np.float32)[:, 1:, ::3]):
        snapshot = x.copy()
        value, grad = act.value_and_grad(x)
        assert value.shape == grad.shape == x.shape and value.dtype == grad.dtype == x.dtype
        assert same_bits(value, act.f(snapshot)) and same_bits(grad, act.df(snapshot))
        assert same_bits(x, snapshot)  # the input is not written to


@pytest.mark.parametrize("name", FUSED)
@pytest.mark.parametrize("threads", [1, 2])
def test_shapes_strides_and_views(name, threads, tiny_chunks):
    tiny_chunks(threads)
    check_shapes_strides_and_views(actcli.get(name))


@pytest.mark.parametrize("name", ["sigmoid", "gelu", "relu", "hardswish"])
def test_scalar_in_scalar_out(name):
    act = actcli.get(name)
    value, grad = act.value_and_grad(0.5)
    assert isinstance(value, np.float64) and isinstance(grad, np.float64)
    assert (value, grad) == (act.f(0.5), act.df(0.5))
    value, grad = act.value_and_grad(np.float32(-2))
    assert isinstance(value, np.float32) and isinstance(grad, np.float32)
    value, grad = act.value_and_grad(np.array(3))  # 0-d integer array: float64 scalars
    assert isinstance(value, np.float64) and value == act.f(3.0) and grad == act.df(3.0)
    assert act.value_and_grad([]) [0].shape == (0,)


@pytest.mark.parametrize("name", FUSED)
def test_nan_in_nan_out_with_its_payload(name, tiny_chunks):
    tiny_chunks(2)
    payload = np.array([0x7FF8000000000123], dtype=np.uint64).view(np.float64)[0]
    x = np.array([1.0, payload, -2.0, np.nan, 0.0])
    for out in actcli.get(name).value_and_grad(x):
        assert same_bits(out[[1, 3]], x[[1, 3]]) and not np.isnan(out[[0, 2, 4]]).any()


def test_workers_keep_the_callers_error_settings(tiny_chunks):
    tiny_chunks(2)
    seen = []

    def kernel(part):
        time.sleep(0.002)  # slow enough that both threads take chunks
        seen.append((threading.current_thread().name, np.geterr()["over"]))
        return (np.exp(part),)

    x = np.where(np.arange(100) > 90, 800.0, 0.0)  # overflows in the last chunks only
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        compute.evaluate(kernel, x)
    assert len({name for name, _ in seen}) == 2
    assert {setting for _, setting in seen} == {"raise"}


def test_a_failing_kernel_raises_in_the_caller(tiny_chunks):
    tiny_chunks(2)
    calls = []

    def kernel(part):
        calls.append(part.size)
        if len(calls) == 5:
            raise RuntimeError("boom")
        return (part * 2,)

    with pytest.raises(RuntimeError, match="boom"):
        compute.evaluate(kernel, np.arange(100.0))


@pytest.mark.parametrize("setting,expected", [("3", 3), (" 1 ", 1), ("0", None), ("two", None),
                                               ("-2", None), ("", None), ("\u00b2", None),
                                               ("99999", compute.MAX_THREADS)])
def test_thread_count_setting(setting, expected, monkeypatch):
    monkeypatch.setenv("ACTCLI_THREADS", setting)
    import os

    assert compute.threads() == (expected or len(os.sched_getaffinity(0)))


@pytest.mark.parametrize("orders", [(0,), (1,), (0, 1), (1, 0), (0, 1, 2), (2, 0), (1, 2)])
def test_derivatives_in_the_order_asked(orders):
    act = actcli.get("silu", beta=1.5)
    x = np.linspace(-5, 5, 41)
    expected = {0: act.f(x), 1: act.df(x), 2: act.d2f(x)}
    assert all(same_bits(y, expected[o]) for o, y in zip(orders, act.derivatives(x, orders), strict=True))


def test_one_pool_whatever_the_array_sizes(monkeypatch):
    monkeypatch.setenv("ACTCLI_THREADS", "6")
    compute._POOLS.clear()
    sigmoid = actcli.get("sigmoid")
    for size in range(compute.PARALLEL_FROM, 12 * compute.PARALLEL_FROM, compute.PARALLEL_FROM):
        sigmoid.f(np.linspace(-5, 5, size))
    assert list(compute._POOLS) == [5]


def test_a_kernel_that_evaluates_a_large_array_in_a_worker_does_not_wait_on_the_pool(monkeypatch):
    """A kernel (a formula) may evaluate a large array itself: in a pool thread that
    inner call must run there, not queue behind the busy pool threads (a deadlock)."""
    monkeypatch.setenv("ACTCLI_THREADS", "2")
    big = np.linspace(-3, 3, 4 * compute.PARALLEL_FROM)

    def kernel(part):
        inner = compute.evaluate(lambda a: (np.tanh(a),), big)[0]
        return (np.tanh(part) + 0 * inner[:1],)

    x = np.linspace(-3, 3, 4 * compute.PARALLEL_FROM)
    done = []
    thread = threading.Thread(target=lambda: done.append(compute.evaluate(kernel, x)), daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert done and np.array_equal(done[0][0], np.tanh(x))
