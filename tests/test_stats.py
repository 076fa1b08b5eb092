"""`actcli stats`: the summary against NumPy/SciPy on the whole array, every input format,
every bad file, chunk and merge independence, the CLI in-process and as a process."""

from __future__ import annotations

import io
import json
import math
import pathlib
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special
from typer.testing import CliRunner

import actcli
from actcli import cli
from actcli.analysis.stats import KEYS, QUANTILE_RELATIVE_ERROR, Accumulator, EmptyInputError
from actcli.data import tensors

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
SQRT_2PI = math.sqrt(2 * math.pi)

# Independent formulas (NumPy/SciPy, not actcli's catalog): f, f', and max|f'| in closed form,
# and the sides where f' tends to 0 (its saturating tails).
REFERENCE = {
    "relu": (lambda x: np.maximum(x, 0.0), lambda x: (x > 0).astype(float), 1.0, (-1,)),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2, 1.0, (-1, 1)),
    "sigmoid": (special.expit, lambda x: special.expit(x) * special.expit(-x), 0.25, (-1, 1)),
    "gelu": (lambda x: x * special.ndtr(x),
             lambda x: special.ndtr(x) + x * np.exp(-x * x / 2) / SQRT_2PI,
             # max of Phi(x) + x phi(x) is at x = sqrt(2): Phi(sqrt 2) + sqrt(2) phi(sqrt 2)
             float(special.ndtr(math.sqrt(2)) + math.sqrt(2) * math.exp(-1) / SQRT_2PI), (-1,)),
    "leaky_relu:negative_slope=0.2": (lambda x: np.where(x > 0, x, 0.2 * x),
                                      lambda x: np.where(x > 0, 1.0, 0.2), 1.0, ()),
}


def tail_start(df, top: float, side: int, saturation: float) -> float:
    """Where |f'| last crosses saturation * max|f'| towards side * inf (brentq), or
    side * inf when it never does within 1e3 (a tail of zeros is dead: no tail)."""
    from scipy.optimize import brentq

    limit = saturation * top
    far = np.linspace(side * 1e3, 0, 200_001)  # from the far side in
    above = np.abs(df(far)) >= limit
    if not above.any() or not np.any(df(far[:np.argmax(above)])):
        return side * math.inf
    i = int(np.argmax(above))
    return brentq(lambda x: abs(float(df(np.array(x)))) - limit, far[i - 1], far[i], xtol=1e-15)


def reference(name: str, x: np.ndarray, saturation: float = 0.05) -> dict:
    """Every key computed directly on the whole array."""
    f, df, top, sides = REFERENCE[name]
    values = x[~np.isnan(x)]
    y, g = f(values), df(values)
    low, high = (tail_start(df, top, side, saturation) if side in sides else side * math.inf
                 for side in (-1, 1))
    return {
        "function": name, "n": len(values), "nan_count": int(np.isnan(x).sum()),
        "inf_count": int(np.isinf(x).sum()),
        "input_mean": np.mean(values), "input_std": np.std(values),
        "input_min": np.min(values), "input_max": np.max(values),
        "input_p01": np.quantile(values, 0.01), "input_p50": np.quantile(values, 0.5),
        "input_p99": np.quantile(values, 0.99),
        "mean": np.mean(y), "std": np.std(y), "mean_grad": np.mean(g),
        "mean_grad_sq": np.mean(g * g),
        "dead_fraction": np.mean(g == 0),
        # in a tail, past the last |f'| >= saturation * max|f'|, and not dead
        "saturated_fraction": np.mean(((values < low) | (values > high)) & (g != 0)),
        # values within rounding of a tail's start may fall either side
        "_near": int(np.sum(np.minimum(np.abs(values - low), np.abs(values - high))
                            <= 1e-12 * np.maximum(1, np.abs(values)))),
    }


def quantile_tolerance(values: np.ndarray, p: float) -> float:
    ordered = np.sort(values[~np.isnan(values)])
    k = math.floor(p * (len(ordered) - 1))
    return QUANTILE_RELATIVE_ERROR * max(abs(ordered[k]), abs(ordered[min(k + 1, len(ordered) - 1)]))


def assert_matches(record: dict, expected: dict, x: np.ndarray, rel: float = 1e-9) -> None:
    assert list(record) == list(KEYS)
    assert record["function"] == expected["function"]
    assert record["n"] == expected["n"] and record["nan_count"] == expected["nan_count"]
    assert record["inf_count"] == expected["inf_count"]
    for key in ("input_mean", "input_std", "input_min", "input_max", "mean", "std",
                "mean_grad", "mean_grad_sq"):
        assert record[key] == pytest.approx(expected[key], rel=rel, abs=1e-300), key
    for key, p in (("input_p01", 0.01), ("input_p50", 0.5), ("input_p99", 0.99)):
        assert abs(record[key] - expected[key]) <= quantile_tolerance(x, p), key
    assert record["dead_fraction"] == expected["dead_fraction"]
    slack = expected["_near"] / expected["n"]
    assert abs(record["saturated_fraction"] - expected["saturated_fraction"]) <= slack
    assert isinstance(record["verdict"], str) and record["verdict"]


def sample(n: int = 100_000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(0.3, 2.0, n)
    x[rng.choice(n, 37, replace=False)] = np.nan
    return x


def summarise(functions, x, chunk: int | None = None, saturation: float = 0.05) -> list[dict]:
    acc = Accumulator(functions, saturation)
    step = chunk or max(len(x), 1)
    for i in range(0, len(x), step):
        acc.add(x[i:i + step])
    return acc.records()


def stats_json(*args: str, stdin: str | None = None) -> list[dict]:
    result = runner.invoke(cli.app, ["stats", *args, "-f", "json"], input=stdin)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def fails(code: int, *args: str, stdin: str | None = None) -> str:
    result = runner.invoke(cli.app, ["stats", *args], input=stdin)
    assert result.exit_code == code, (result.stdout, result.stderr)
    message = result.stderr
    assert result.stdout == ""
    assert message.startswith("actcli: error: ") and message.count("\n") == 1, message
    assert "Traceback" not in message
    return message


# --- the numbers -------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(REFERENCE))
def test_every_key_matches_numpy_and_scipy_on_the_whole_array(name):
    x = sample()
    (record,) = summarise([name], x, chunk=8191)
    assert_matches(record, reference(name, x), x)


def test_standard_normal_through_relu():
    # n = 400k: the standard errors are 0.5/sqrt(n) = 7.9e-4 for the dead share and
    # E[f'^2] (both the share of x > 0), and sqrt(1/2 - 1/(2 pi))/sqrt(n) = 9.2e-4 for the
    # mean of relu(x) = 1/sqrt(2 pi); 5 standard errors is a 1-in-1.7-million miss.
    n = 400_000
    x = np.random.default_rng(1).standard_normal(n)
    (record,) = summarise(["relu"], x)
    assert abs(record["dead_fraction"] - 0.5) < 5 * 0.5 / math.sqrt(n)
    assert abs(record["mean_grad_sq"] - 0.5) < 5 * 0.5 / math.sqrt(n)
    assert abs(record["mean"] - 1 / SQRT_2PI) < 5 * math.sqrt(0.5 - 1 / (2 * math.pi)) / math.sqrt(n)
    assert "dead" in record["verdict"]


def test_result_does_not_depend_on_the_chunk_size():
    x = sample(50_000, seed=3)
    whole = summarise(["gelu", "relu", "tanh"], x)
    for chunk in (1000, 4097, 33_333):
        for a, b in zip(whole, summarise(["gelu", "relu", "tanh"], x, chunk)):
            for key in KEYS:
                if isinstance(a[key], float):
                    assert b[key] == pytest.approx(a[key], rel=1e-12, abs=1e-300), (chunk, key)
                else:
                    assert b[key] == a[key], (chunk, key)


def test_merge_equals_one_pass_and_survives_pickling():
    x = sample(30_000, seed=4)
    parts = []
    for piece in np.array_split(x, 5):
        acc = Accumulator(["relu", "silu"])
        acc.add(piece)
        parts.append(pickle.loads(pickle.dumps(acc)))  # as a Dask worker sends it back
    merged = parts[0]
    for other in parts[1:]:
        merged.merge(other)
    for a, b in zip(merged.records(), summarise(["relu", "silu"], x)):
        for key in KEYS:
            assert a[key] == (pytest.approx(b[key], rel=1e-12) if isinstance(b[key], float) else b[key])


# Values with NaN, both infinities, signed zeros, ties and every magnitude up to 1e150
# (beyond it squares overflow, which the exact-overflow tests above cover).
VALUES = st.lists(st.one_of(st.floats(-1e150, 1e150), st.floats(-4, 4, width=32),
                            st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0])),
                  max_size=80)
# leaky_relu: its 0.01 slope puts the negative values among the weak ones (a verdict's)
PROPERTY_FUNCTIONS = ("relu", "gelu", "sigmoid", "leaky_relu")
_EMPTY = Accumulator(PROPERTY_FUNCTIONS)  # bound once; copies skip measuring max|f'|


def _close(a: float, b: float, tolerance: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b or abs(a - b) <= tolerance


def assert_same_summary(merged: Accumulator, whole: Accumulator, x: np.ndarray) -> None:
    """Counts exactly; moments to rounding (of the largest magnitude involved); per-bin
    sums to rounding; quantiles to 1e-6 of the order statistics they lie between (the
    place inside a bin follows from sums whose rounding depends on the order), far
    inside the stated QUANTILE_RELATIVE_ERROR."""
    assert (merged.n, merged.nan_count, merged.low, merged.high) == (
        whole.n, whole.nan_count, whole.low, whole.high)
    for a, b in ((merged.inputs, whole.inputs), *((m.output, w.output) for m, w in
                                                  zip(merged.tallies, whole.tallies)),
                 *((m.grad, w.grad) for m, w in zip(merged.tallies, whole.tallies))):
        assert (a.n, a.pos_inf, a.neg_inf, a.nan) == (b.n, b.pos_inf, b.neg_inf, b.nan)
    assert [(t.dead, t.saturated, t.weak) for t in merged.tallies] == [
        (t.dead, t.saturated, t.weak) for t in whole.tallies]
    np.testing.assert_array_equal(merged.histogram.bins, whole.histogram.bins)
    np.testing.assert_array_equal(merged.histogram.counts, whole.histogram.counts)
    np.testing.assert_allclose(merged.histogram.sums, whole.histogram.sums, rtol=1e-12)
    finite = x[np.isfinite(x)]
    scale = max(1.0, float(np.max(np.abs(finite), initial=0.0)))
    if not whole.n:
        return
    for a, b in zip(merged.records(), whole.records()):
        for key in ("input_mean", "mean", "mean_grad", "mean_grad_sq"):
            assert _close(a[key], b[key], 1e-12 * scale * scale), key
        for key in ("input_std", "std"):  # sqrt of a sum of squares: half the digits
            assert _close(a[key], b[key], 1e-6 * scale), key
        assert (a["dead_fraction"], a["saturated_fraction"]) == (
            b["dead_fraction"], b["saturated_fraction"])
    ordered = np.sort(x[~np.isnan(x)])
    for p in (0.0, 0.01, 0.5, 0.99, 1.0):
        k = math.floor(p * (len(ordered) - 1))
        around = max(abs(ordered[k]), abs(ordered[min(k + 1, len(ordered) - 1)]))
        assert _close(merged.quantile(p), whole.quantile(p), 1e-6 * around), p


@settings(max_examples=150, deadline=None)
@given(values=VALUES, data=st.data())
def test_split_anywhere_and_merged_in_any_order_equals_one_pass(values, data):
    x = np.array(values, dtype=np.float64)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(x)), max_size=6), label="cuts"))
    pieces = np.split(x, cuts)  # any number of pieces, empty and odd-sized ones included
    summaries = []
    for piece in pieces:
        summary = _EMPTY.copy()
        summary.add(piece)
        summaries.append(summary)
    whole = _EMPTY.copy()
    whole.add(x)
    # Any order, and any grouping: merge a random pair until one summary is left.
    while len(summaries) > 1:
        i, j = data.draw(st.permutations(range(len(summaries))), label="pair")[:2]
        first, second = summaries[i], summaries[j]
        summaries = [s for k, s in enumerate(summaries) if k not in (i, j)]
        summaries.append(first.copy().merge(second))
    assert_same_summary(summaries[0], whole, x)


@settings(max_examples=60, deadline=None)
@given(values=VALUES, cut=st.integers(0, 80))
def test_merging_keeps_the_infinities_and_nans_counted(values, cut):
    x = np.array(values, dtype=np.float64)
    left, right = _EMPTY.copy(), _EMPTY.copy()
    left.add(x[:cut])
    right.add(x[cut:])
    merged = left.merge(right)
    assert merged.inputs.pos_inf == int(np.sum(x == math.inf))
    assert merged.inputs.neg_inf == int(np.sum(x == -math.inf))
    assert merged.nan_count == int(np.sum(np.isnan(x)))
    assert merged.n == len(x) - merged.nan_count
    assert int(merged.histogram.counts.sum()) == merged.n  # every value in one bin


def test_the_histogram_stores_only_the_bins_it_hit():
    x = np.random.default_rng(9).standard_normal(1_000_000)
    acc = Accumulator(["relu"])
    for piece in np.array_split(x, 7):
        acc.add(piece)
    # Normal values: one bin per 2**-8 of relative width over the magnitudes present,
    # about 7,000 of them (210 KB); a dense array holds 2**20 bins of 24 bytes (24 MB).
    assert acc.histogram.nbytes < 300_000
    assert len(acc.histogram.bins) == len(np.unique(acc.histogram.bins))
    assert np.all(np.diff(acc.histogram.bins) > 0) and np.all(acc.histogram.counts > 0)


@pytest.mark.parametrize("kind", ["both signs", "narrow", "tiny and huge", "zeros",
                                  "signed zeros"])
def test_the_sparse_histogram_holds_what_a_dense_one_would(kind):
    from actcli.analysis.stats import BINS, MANTISSA_BITS

    def bins(values):  # the float64 patterns' top bits, negative ones made to count down
        patterns = values.view(np.int64)
        ordered = patterns ^ ((patterns >> 63) & np.int64(0x7FFF_FFFF_FFFF_FFFF))
        return (ordered >> (52 - MANTISSA_BITS)) + BINS // 2

    rng = np.random.default_rng(10)
    x = {"both signs": rng.standard_normal(50_000),
         "narrow": rng.uniform(1.0, 1.5, 50_000),  # a few hundred bins: counted directly
         "tiny and huge": np.concatenate([rng.standard_normal(1000) * 1e-300,
                                          rng.standard_normal(1000) * 1e300, [np.inf, -np.inf]]),
         "zeros": np.array([0.0, -0.0, 0.0, 5e-324, -5e-324, 1.0] * 100),
         "signed zeros": np.array([0.0, -0.0] * 50)}[kind]  # min() may give either
    acc = Accumulator(["relu"])
    for piece in np.array_split(rng.permutation(x), 9):
        acc.add(piece)
    dense = np.bincount(bins(x), minlength=BINS)
    used = np.flatnonzero(dense)
    np.testing.assert_array_equal(acc.histogram.bins, used)
    np.testing.assert_array_equal(acc.histogram.counts, dense[used])
    with np.errstate(over="ignore", invalid="ignore"):
        sums = np.bincount(bins(x), weights=x, minlength=BINS)[used]
    np.testing.assert_allclose(acc.histogram.sums, sums, rtol=1e-12)


def test_quantiles_are_exact_when_bins_hold_equal_values():
    x = np.repeat(np.arange(-50.0, 51.0), 7)
    (record,) = summarise(["relu"], x)
    for key, p in (("input_p01", 0.01), ("input_p50", 0.5), ("input_p99", 0.99)):
        assert record[key] == np.quantile(x, p)


def test_quantiles_of_wide_ranges_keep_their_relative_accuracy():
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.lognormal(0, 20, 10_000), -rng.lognormal(0, 20, 5_000), [0.0, -0.0]])
    acc = Accumulator(["tanh"])
    acc.add(x)
    for p in (0.0, 0.01, 0.25, 0.5, 0.9, 0.99, 1.0):
        assert abs(acc.quantile(p) - np.quantile(x, p)) <= quantile_tolerance(x, p), p


def test_nan_is_counted_and_left_out_infinities_are_values():
    x = np.array([np.nan, 1.0, -2.0, np.inf, 3.0, np.nan])
    (record,) = summarise(["relu"], x)
    assert record["n"] == 4 and record["nan_count"] == 2
    assert record["input_mean"] == math.inf and math.isnan(record["input_std"])  # as numpy
    assert record["input_max"] == math.inf and record["input_min"] == -2.0
    assert record["mean"] == math.inf
    assert record["dead_fraction"] == 0.25  # relu'(-2) = 0; relu'(inf) = 1


def test_relu_kink_is_dead_as_in_pytorch():
    (record,) = summarise(["relu"], np.array([0.0, -0.0, 1.0, 2.0]))
    assert record["dead_fraction"] == 0.5


def test_saturation_threshold_uses_the_functions_max_gradient():
    x = np.array([0.0, 2.0, 3.0, 4.0])  # sigmoid'(x) / 0.25 = 1, 0.42, 0.18, 0.07
    (at_10,) = summarise(["sigmoid"], x, saturation=0.1)
    (at_20,) = summarise(["sigmoid"], x, saturation=0.2)
    assert (at_10["saturated_fraction"], at_20["saturated_fraction"]) == (0.25, 0.5)


def test_empty_and_all_nan_input_are_errors():
    with pytest.raises(EmptyInputError, match="no values"):
        Accumulator(["relu"]).records()
    with pytest.raises(EmptyInputError, match="all 3 values are NaN"):
        summarise(["relu"], np.full(3, np.nan))


# --- formats ----------------------------------------------------------------------------

def write_csv(path: Path, x: np.ndarray, header: str = "x", sep: str = ",") -> None:
    path.write_text(f"{header}{sep}other\n" + "".join(f"{v!r}{sep}1\n" for v in x.tolist()))


@pytest.fixture
def values():
    return sample(20_000, seed=7)


def test_csv_and_npy_give_the_same_results(tmp_path, values):
    np.save(tmp_path / "x.npy", values)
    write_csv(tmp_path / "x.csv", values)
    from_npy = stats_json("relu", "gelu", "-i", str(tmp_path / "x.npy"))
    from_csv = stats_json("relu", "gelu", "-i", str(tmp_path / "x.csv"), "-c", "x")
    for a, b in zip(from_npy, from_csv):
        for key in KEYS:
            assert a[key] == (pytest.approx(b[key], rel=1e-12) if isinstance(b[key], float) else b[key])
    assert_matches(from_npy[0], reference("relu", values), values)


@pytest.mark.parametrize("dtype", ["<f2", "<f4", ">f4", "<f8"])
@pytest.mark.parametrize("shape,order", [((20_000,), "C"), ((50, 20, 20), "C"), ((100, 200), "F")])
def test_npy_any_float_dtype_any_shape(tmp_path, values, dtype, shape, order):
    stored = np.asarray(values.reshape(shape), dtype=dtype, order=order)
    np.save(tmp_path / "x.npy", stored)
    (record,) = stats_json("gelu", "-i", str(tmp_path / "x.npy"))
    widened = stored.astype(np.float64).ravel()
    assert_matches(record, reference("gelu", widened), widened)


def test_npz_with_and_without_key(tmp_path, values):
    np.savez(tmp_path / "one.npz", acts=values.astype(np.float32))
    np.savez_compressed(tmp_path / "two.npz", a=values, b=values[:100])
    widened = values.astype(np.float32).astype(np.float64)
    (one,) = stats_json("tanh", "-i", str(tmp_path / "one.npz"))
    assert_matches(one, reference("tanh", widened), widened)
    (two,) = stats_json("tanh", "-i", str(tmp_path / "two.npz"), "--key", "a")
    assert_matches(two, reference("tanh", values), values)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
def test_safetensors(tmp_path, values, dtype):
    import ml_dtypes
    from safetensors.numpy import save_file

    numpy_dtype = ml_dtypes.bfloat16 if dtype == "bfloat16" else np.dtype(dtype)
    stored = values.reshape(40, 500).astype(numpy_dtype)
    save_file({"layer.0": stored, "layer.1": stored[:2]}, str(tmp_path / "t.safetensors"))
    (record,) = stats_json("relu", "-i", str(tmp_path / "t.safetensors"), "--key", "layer.0")
    widened = stored.astype(np.float64).ravel()
    assert_matches(record, reference("relu", widened), widened)


def test_safetensors_chunks_cover_huge_rows(tmp_path, values):
    from safetensors.numpy import save_file

    save_file({"t": values.reshape(1, 2, 10_000)}, str(tmp_path / "t.safetensors"))
    pieces = list(tensors.file_chunks(str(tmp_path / "t.safetensors"), chunk=3000))
    assert max(map(len, pieces)) <= 3000
    np.testing.assert_array_equal(np.concatenate(pieces), values)


def test_tsv_jsonl_and_stdin(tmp_path, values):
    x = values[:2000]
    expected = reference("relu", x)
    write_csv(tmp_path / "x.tsv", x, sep="\t")
    (tsv,) = stats_json("relu", "-i", str(tmp_path / "x.tsv"))  # 'x' picked by name
    (tmp_path / "x.jsonl").write_text("".join(
        json.dumps({"x": None if math.isnan(v) else v, "y": 1}) + "\n" for v in x.tolist()))
    (jsonl,) = stats_json("relu", "-i", str(tmp_path / "x.jsonl"))
    (piped,) = stats_json("relu", stdin="".join(f"{v!r}\n" for v in x.tolist()))
    for record in (tsv, jsonl, piped):
        assert_matches(record, expected, x)


def test_globs_and_several_files_are_pooled(tmp_path, values):
    parts = np.array_split(values, 3)
    for i, part in enumerate(parts):
        np.save(tmp_path / f"layer{i}.npy", part)
    np.savez(tmp_path / "extra.npz", x=values[:10])
    (pooled,) = stats_json("gelu", "-i", str(tmp_path / "layer*.npy"))
    assert_matches(pooled, reference("gelu", values), values)
    (more,) = stats_json("gelu", "-i", str(tmp_path / "layer*.npy"), "-i", str(tmp_path / "extra.npz"))
    assert more["n"] == pooled["n"] + 10


def test_json_has_exactly_the_documented_keys_and_table_fits(tmp_path, values):
    np.save(tmp_path / "x.npy", values)
    records = stats_json("relu", "leaky_relu:negative_slope=0.2", "-i", str(tmp_path / "x.npy"))
    assert [r["function"] for r in records] == ["relu", "leaky_relu:negative_slope=0.2"]
    assert all(list(r) == list(KEYS) for r in records)
    for fmt in ("csv", "tsv", "jsonl", "markdown", "table"):
        result = runner.invoke(cli.app, ["stats", "relu", "-i", str(tmp_path / "x.npy"), "-f", fmt])
        assert result.exit_code == 0 and "relu" in result.stdout, fmt
    table = runner.invoke(cli.app, ["stats", "relu", "gelu", "-i", str(tmp_path / "x.npy"),
                                    "-f", "table"], terminal_width=80).stdout
    assert max(map(len, table.splitlines())) <= 80


def test_tables_show_the_quantiles_to_the_digits_they_are_good_to(tmp_path, values):
    from actcli.present.stats_tables import QUANTILE_DIGITS

    assert QUANTILE_DIGITS == 3  # 2**-8 = 0.39% relative: the third digit is the last one known
    np.save(tmp_path / "x.npy", values)
    (record,) = stats_json("gelu", "-i", str(tmp_path / "x.npy"))
    people = {"min": "input_min", "p01": "input_p01", "median": "input_p50", "p99": "input_p99",
              "max": "input_max"}
    for fmt, keys in (("table", people), ("markdown", people)):  # both are for people
        text = runner.invoke(cli.app, ["stats", "gelu", "-i", str(tmp_path / "x.npy"), "-f", fmt],
                             terminal_width=120).stdout
        lines = text.splitlines()
        at = next(i for i, line in enumerate(lines) if re.search(r"\bp01\b|input_p01", line))
        row = next(line for line in lines[at + 1:] if line[:1] in "│|" and "---" not in line)
        shown = dict(zip((h.strip() for h in re.split(r"[┃|]", lines[at])[1:-1]),
                         (c.strip() for c in re.split(r"[│|]", row)[1:-1])))
        for heading, key in keys.items():
            digits = 6 if key in ("input_min", "input_max") else 3  # min and max are exact
            assert shown[heading] == format(record[key], f".{digits}g"), (fmt, heading)


def test_the_table_names_the_saturation_threshold_it_was_given(tmp_path, values):
    np.save(tmp_path / "x.npy", values)
    for threshold in ("0.05", "0.2"):
        result = runner.invoke(cli.app, ["stats", "tanh", "-i", str(tmp_path / "x.npy"),
                                          "--saturation", threshold, "-f", "markdown"])
        assert result.exit_code == 0, result.stderr
        assert f"past the last |f'(x)| >= {threshold} max|f'|" in result.stdout, threshold


# --- bad input --------------------------------------------------------------------------

class WritesMarker:
    """Unpickling this creates the marker file: proof that something was unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def test_pickles_are_never_loaded(tmp_path):
    marker = tmp_path / "UNPICKLED"
    for suffix in (".pt", ".pth", ".pkl", ".ckpt"):
        (tmp_path / f"model{suffix}").write_bytes(pickle.dumps(WritesMarker(marker)))
        message = fails(2, "relu", "-i", str(tmp_path / f"model{suffix}"))
        assert "np.save" in message and "pickle" in message
    np.save(tmp_path / "objects.npy", np.array([WritesMarker(marker)], dtype=object),
            allow_pickle=True)
    assert "objects" in fails(1, "relu", "-i", str(tmp_path / "objects.npy"))
    np.savez(tmp_path / "objects.npz", x=np.array([WritesMarker(marker)], dtype=object))
    fails(1, "relu", "-i", str(tmp_path / "objects.npz"))
    assert not marker.exists()


def test_a_shard_cut_short_says_where_it_ended():
    """A .npy whose data ends early (a file cut while it was read: the size was checked
    before) names the value it ended at, counted from the file's first value, for a
    shard that starts part way in too."""
    buffer = io.BytesIO()
    np.save(buffer, np.arange(100.0))
    cut = io.BytesIO(buffer.getvalue()[:-85 * 8])  # the first 15 values
    with pytest.raises(tensors.TensorError, match="truncated after 15 of 100 values"):
        list(tensors._npy_chunks(cut, "x.npy", None, 4, start=10, stop=20))


def test_bad_files(tmp_path, values):
    np.save(tmp_path / "ok.npy", values)
    data = (tmp_path / "ok.npy").read_bytes()
    (tmp_path / "truncated.npy").write_bytes(data[:len(data) // 2])
    (tmp_path / "garbage.npy").write_bytes(b"\x93NUMPY\x01\x00garbage")
    (tmp_path / "text.npy").write_text("1,2,3\n")
    np.save(tmp_path / "ints.npy", np.arange(5))
    np.save(tmp_path / "complex.npy", np.ones(3, complex))
    np.save(tmp_path / "empty.npy", np.zeros(0))
    np.save(tmp_path / "nan.npy", np.full(4, np.nan))
    np.savez(tmp_path / "two.npz", a=values, b=values)
    (tmp_path / "broken.npz").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "bad.csv").write_text("x\n1\nabc\n")
    (tmp_path / "wide.csv").write_text("a,b\n1,2\n")
    (tmp_path / "broken.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json}")
    from safetensors.numpy import save_file

    save_file({"i": np.arange(4, dtype=np.int32)}, str(tmp_path / "ints.safetensors"))
    save_file({"a": values, "b": values}, str(tmp_path / "two.safetensors"))
    cases_1 = {"truncated.npy": "truncated", "garbage.npy": "not a valid .npy",
               "text.npy": "not a valid .npy", "ints.npy": "int64", "complex.npy": "complex",
               "empty.npy": "no values", "nan.npy": "NaN", "broken.npz": "not a valid .npz",
               "bad.csv": "line 3", "broken.safetensors": "not a valid .safetensors",
               "ints.safetensors": "I32"}
    for name, words in cases_1.items():
        assert words in fails(1, "relu", "-i", str(tmp_path / name)), name
    cases_2 = [
        (["-i", str(tmp_path / "missing.npy")], "no such file"),
        (["-i", str(tmp_path)], "directory"),
        (["-i", str(tmp_path / "nothing*.npy")], "no file matches"),
        (["-i", str(tmp_path / "two.npz")], "--key"),
        (["-i", str(tmp_path / "two.npz"), "--key", "c"], "no array 'c'"),
        (["-i", str(tmp_path / "two.safetensors")], "--key"),
        (["-i", str(tmp_path / "two.safetensors"), "--key", "c"], "no tensor 'c'"),
        (["-i", str(tmp_path / "wide.csv")], "--column"),
        (["-i", str(tmp_path / "wide.csv"), "-c", "z"], "no column 'z'"),
        (["-i", str(tmp_path / "ok.npy"), "-c", "x"], "CSV"),
        (["-i", str(tmp_path / "bad.csv"), "--key", "x"], "--key"),
        (["-i", str(tmp_path / "ok.npy"), "--saturation", "1.5"], "--saturation"),
    ]
    for args, words in cases_2:
        assert words in fails(2, "relu", *args), args
    assert "vector function" in fails(2, "softmax", "-i", str(tmp_path / "ok.npy"))
    assert "unknown" in fails(2, "nosuchfn", "-i", str(tmp_path / "ok.npy")).lower()
    assert fails(1, "relu", stdin="")  # nothing on stdin: no values


def test_real_process(tmp_path, values):
    np.save(tmp_path / "x.npy", values.astype(np.float32))
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "actcli", "stats", "relu", "gelu", "-i",
                           str(tmp_path / "x.npy"), "-f", "json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [r["function"] for r in json.loads(done.stdout)] == ["relu", "gelu"]
    piped = subprocess.run([sys.executable, "-m", "actcli", "stats", "tanh", "-f", "csv"],
                           input="x\n1\n2\nnan\n", capture_output=True, text=True, env=env,
                           timeout=120)
    assert piped.returncode == 0 and piped.stdout.splitlines()[1].startswith("tanh,2,1,0,1.5,")
    (tmp_path / "model.pt").write_bytes(b"\x80\x04N.")
    refused = subprocess.run([sys.executable, "-m", "actcli", "stats", "relu", "-i",
                              str(tmp_path / "model.pt")], capture_output=True, text=True,
                             env=env, timeout=120)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1


# --- plot --data ----------------------------------------------------------------------------

def test_plot_data_draws_histogram_shading_and_shares(tmp_path):
    from actcli.resolve import resolve
    from actcli.present.plot import data as plot_data

    x = np.random.default_rng(8).normal(-0.5, 1.0, 50_000)
    np.save(tmp_path / "pre.npy", x)
    result = runner.invoke(cli.app, ["plot", "relu", "gelu", "--data", str(tmp_path / "pre.npy"),
                                     "-o", str(tmp_path / "out.png")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    summary = Accumulator(["relu", "tanh"])
    summary.add(x)
    fig = plot_data.plot_with_data([resolve("relu"), resolve("tanh")], summary,
                                   tmp_path / "lib.png", data_name="pre.npy")
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    assert low == pytest.approx(np.quantile(x, 0.005), rel=QUANTILE_RELATIVE_ERROR)
    assert high == pytest.approx(max(np.quantile(x, 0.995), 0.0), rel=QUANTILE_RELATIVE_ERROR)
    labels = [t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts()]  # lines joined
    assert f"relu: {np.mean(x <= 0):.1%} dead (f′ = 0)" in labels
    assert any(label.startswith("density of pre.npy") for label in labels)
    bars = fig.axes[1].patches[0]  # the histogram, on the second y axis, behind the curves
    assert fig.axes[0].get_zorder() > fig.axes[1].get_zorder()
    density, edges = bars.get_data().values, bars.get_data().edges
    inside = np.mean((x >= edges[0]) & (x <= edges[-1]))  # a density of the whole sample
    assert np.sum(density * np.diff(edges)) == pytest.approx(inside, abs=1e-3)


def test_plot_data_range_includes_zero_and_errors(tmp_path):
    from actcli.present.plot import data as plot_data

    summary = Accumulator(["relu"])
    summary.add(np.linspace(2.0, 3.0, 1001))
    assert plot_data.data_range(summary)[0] == 0.0
    result = runner.invoke(cli.app, ["plot", "relu", "--data", str(tmp_path / "none.npy"),
                                     "-o", str(tmp_path / "out.png")])
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = runner.invoke(cli.app, ["plot", "relu", "-c", "x", "-o", str(tmp_path / "out.png")])
    assert result.exit_code == 2 and "--data" in result.stderr


def test_stats_imports_only_what_the_input_needs(tmp_path):
    np.save(tmp_path / "x.npy", np.arange(5.0))
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "actcli", "stats", "relu",
                           "-i", str(tmp_path / "x.npy"), "-f", "csv"], capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in done.stderr.splitlines()
               if line.startswith("import time:") and "|" in line}
    assert "numpy" in modules
    assert modules.isdisjoint({"safetensors", "ml_dtypes", "dask", "distributed", "matplotlib",
                               "rich", "scipy"}), modules


# --- found by trying it as a new user ---------------------------------------------------

def test_no_gradient_anywhere_is_dead_not_negatively_saturated():
    x = np.random.default_rng(3).standard_normal(1000)
    for record in summarise(["binary_step", "0*x"], x):
        assert record["dead_fraction"] == 1.0 and record["saturated_fraction"] == 0.0
        assert "every input" in record["verdict"]


def test_json_lines_on_stdin_are_recognised_and_npy_on_stdin_is_explained(tmp_path):
    records = stats_json("relu", stdin='{"x": 1}\n{"x": -2}\n{"x": 3}\n')
    assert records[0]["n"] == 3 and records[0]["dead_fraction"] == pytest.approx(1 / 3)
    path = tmp_path / "pre.npy"
    np.save(path, np.arange(4.0))
    message = fails(2, "relu", stdin=path.read_bytes())
    assert "-i FILE.npy" in message


def test_a_file_named_twice_is_read_once(tmp_path):
    np.save(tmp_path / "a.npy", np.arange(5.0))
    np.save(tmp_path / "b.npy", np.arange(3.0))
    records = stats_json("relu", "-i", str(tmp_path / "a.npy"), "-i", str(tmp_path / "*.npy"))
    assert records[0]["n"] == 8


def test_a_file_named_twice_under_other_spellings_is_read_once(tmp_path, monkeypatch):
    # The same file, relative and absolute, through ./ or a symbolic link: its values once.
    monkeypatch.chdir(tmp_path)
    np.save("a.npy", np.arange(5.0))
    (tmp_path / "link.npy").symlink_to(tmp_path / "a.npy")
    for names in (["a.npy", "./a.npy"], ["a.npy", str(tmp_path / "a.npy")],
                  ["link.npy", "a.npy"], ["*.npy", "./a.npy"]):
        (record,) = stats_json("relu", *(arg for name in names for arg in ("-i", name)))
        assert record["n"] == 5, names


def test_values_near_the_largest_float_warn_nothing():
    summarise(["relu"], np.array([1e300, -1e300, 2e300, 5.0]))  # warnings are errors here
    # a bin whose sum, merged chunk by chunk, passes the largest float
    summarise(["relu"], np.array([8.98846567431158e307] * 3), chunk=1)


def test_an_unbounded_derivative_has_no_saturation_to_report():
    x = np.random.default_rng(4).standard_normal(1000) * 0.5
    for record in summarise(["exponential", "x**3"], x):
        assert "nan" not in record["verdict"]


def test_a_copy_merges_without_touching_the_original():
    rng = np.random.default_rng(5)
    a, b = Accumulator(["relu"]), Accumulator(["relu"])
    a.add(rng.standard_normal(1000))
    b.add(rng.standard_normal(500))
    before = a.records()
    merged = a.copy().merge(b)
    assert a.records() == before
    assert merged.records()[0]["n"] == 1500


# --- one definition of saturation (tried as a new user, 2) ------------------------------

def test_a_small_slope_is_named_as_such_not_saturation():
    """32% negative inputs: relu is 32% dead; leaky_relu is not saturated but on its
    0.01 slope, a gradient 100x smaller."""
    rng = np.random.default_rng(11)
    x = np.abs(rng.normal(1.0, 1.0, 10_000))
    x[:3200] *= -1
    relu, leaky = summarise(["relu", "leaky_relu"], x)
    assert relu["dead_fraction"] == 0.32 and "32% dead" in relu["verdict"]
    assert "leaky_relu or elu keep a gradient for negative inputs" in relu["verdict"]
    assert leaky["saturated_fraction"] == 0.0 and leaky["dead_fraction"] == 0.0
    assert "saturated" not in leaky["verdict"]
    assert "32% of inputs on the 0.01 slope: the gradient is 100x smaller there" in leaky["verdict"]
    # the same verdicts from pieces summarised apart and merged (a cluster, ranks)
    merged = Accumulator(["relu", "leaky_relu"])
    for piece in np.array_split(x, 5):
        part = Accumulator(["relu", "leaky_relu"])
        part.add(piece)
        merged.merge(part)
    assert [r["verdict"] for r in merged.records()] == [relu["verdict"], leaky["verdict"]]


def test_gelus_dip_is_not_saturation_but_its_left_tail_is():
    dip = np.linspace(-1.2, -0.3, 1001)  # gelu' crosses 0 at x = -0.75
    (record,) = summarise(["gelu"], dip)
    assert record["saturated_fraction"] == 0.0 and "saturated" not in record["verdict"]
    (deep,) = summarise(["gelu"], np.linspace(-8, -3, 1001))
    assert deep["saturated_fraction"] == 1.0
    assert "100% saturated (x < -2.28" in deep["verdict"] and "too negative" in deep["verdict"]


def test_large_inputs_saturate_tanh_on_both_sides():
    x = np.concatenate([np.linspace(-9, -3, 400), np.linspace(3, 9, 400), np.zeros(200)])
    (record,) = summarise(["tanh"], x)
    assert record["saturated_fraction"] == 0.8
    assert "80% saturated (|x| > 2.18" in record["verdict"]
    assert "too large in magnitude for tanh" in record["verdict"]


def test_infinite_inputs_are_counted_and_the_verdict_says_what_they_do():
    x = np.array([-1.0, 0.5, 2.0, np.inf, -np.inf, np.nan])
    relu, tanh = summarise(["relu", "tanh"], x)
    assert relu["inf_count"] == tanh["inf_count"] == 2 and relu["nan_count"] == 1
    assert relu["n"] == 5 and relu["mean"] == math.inf
    assert "2 infinite inputs" in relu["verdict"] and "mean of f is not finite" in relu["verdict"]
    assert "tanh maps them to finite values" in tanh["verdict"]
    assert "healthy" not in relu["verdict"] + tanh["verdict"]
    merged = Accumulator(["relu"])
    for piece in (x[:3], x[3:4], x[4:]):
        part = Accumulator(["relu"])
        part.add(piece)
        merged.merge(part)
    assert merged.records()[0]["inf_count"] == 2


def test_plot_data_shades_the_same_saturation_as_stats():
    from actcli.present.plot import data

    acc = Accumulator(["gelu", "leaky_relu"])
    x = np.random.default_rng(2).normal(-1.0, 2.0, 20_000)
    acc.add(x)
    gelu, leaky = (actcli.get(n) for n in ("gelu", "leaky_relu"))
    found = data.regions([gelu, leaky], acc, -5.0, 5.0)
    saturated_spans = [r.spans for r in found if not r.dead and r.index == 0]
    assert len(saturated_spans) == 1 and len(saturated_spans[0]) == 1
    left, right = saturated_spans[0][0]
    assert left == -5.0 and -2.29 < right < -2.27  # the tail only, not the dip at -0.75
    assert not [r for r in found if r.index == 1]  # leaky_relu: neither dead nor saturated
    (record, _) = acc.records()
    assert f"{record['saturated_fraction']:.1%} saturated (x < -2.28)" in [
        r.label.partition(": ")[2] for r in found if r.index == 0][0]


def test_depth_counts_saturation_as_stats_does():
    from actcli.analysis.depth import DepthConfig, explore

    tanh, relu = explore([actcli.get("tanh"), actcli.get("relu")],
                         DepthConfig(layers=3, width=32, batch=64, init="normal:1.0", seed=3))
    assert np.all(relu.saturated_frac == 0)  # relu's zero slope is dead, not saturated
    assert np.all(tanh.saturated_frac > 0.3)  # wide weights: |z| past tanh's 2.18


def test_an_unquoted_glob_is_named_as_files_not_read_as_formulas(tmp_path, monkeypatch):
    """`actcli stats relu -i layer*.npy` unquoted: the shell passes the second file as a
    function name."""
    monkeypatch.chdir(tmp_path)
    for name in ("layer1.npy", "layer2.npy"):
        np.save(name, np.arange(3.0))
    message = fails(2, "relu", "-i", "layer1.npy", "layer2.npy")
    assert "'layer2.npy' is a file, not a function" in message and "quote it" in message
    (tmp_path / "x").write_text("a file named like a formula\n")
    assert stats_json("x", stdin="1\n2\n")[0]["n"] == 2  # a formula stays a formula


# --- properties: a file read in any chunk size gives the same values (issue 27) --------

def _read_all(path, chunk: int, key=None) -> np.ndarray:
    pieces = list(tensors.chunks([str(path)], key=key, chunk=chunk))
    assert all(len(p) <= chunk for p in pieces) or path.suffix == ".safetensors"
    return np.concatenate(pieces) if pieces else np.empty(0)


def test_every_chunk_size_reads_the_same_values(tmp_path):
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from hypothesis.extra.numpy import array_shapes, arrays
    from safetensors.numpy import save_file

    @settings(max_examples=60, deadline=None)
    @given(arrays(st.sampled_from([np.float16, np.float32, np.float64]),
                  array_shapes(min_dims=0, max_dims=3, max_side=9),
                  elements=st.floats(-1e4, 1e4, width=16) | st.sampled_from(
                      [np.nan, np.inf, -np.inf, -0.0])),
           st.integers(1, 40), st.integers(0, 100))
    def check(values, chunk, shard_start):
        expected = values.astype(np.float64).ravel()
        npy, npz, safe = tmp_path / "a.npy", tmp_path / "a.npz", tmp_path / "a.safetensors"
        np.save(npy, values)
        np.savez(npz, other=np.arange(3.0), wanted=values)
        save_file({"other": np.arange(3.0), "wanted": np.ascontiguousarray(values)}, str(safe))
        for path, key in ((npy, None), (npz, "wanted"), (safe, "wanted")):
            got = _read_all(path, chunk, key)
            np.testing.assert_array_equal(got, expected, err_msg=str(path))
            assert np.array_equal(np.signbit(got), np.signbit(expected))
        # a shard of the .npy (what a cluster worker reads) is that slice, in any chunk size
        start = min(shard_start, expected.size)
        stop = min(start + chunk * 3, expected.size)
        shard = list(tensors.npy_range_chunks(str(npy), start, stop, chunk))
        got = np.concatenate(shard) if shard else np.empty(0)
        np.testing.assert_array_equal(got, expected[start:stop])

    check()


def test_every_block_size_reads_the_same_csv_values():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from actcli.data import stream

    @settings(max_examples=80, deadline=None)
    @given(st.lists(st.floats(allow_nan=False) | st.just(math.nan), min_size=1, max_size=60),
           st.integers(1, 64), st.booleans())
    def check(values, block, crlf):
        newline = "\r\n" if crlf else "\n"
        text = "x,y" + newline + newline.join(f"{v!r},{i}" for i, v in enumerate(values)) + newline
        import io

        read = np.concatenate(list(stream.read_values(io.BytesIO(text.encode()), columns=["x"],
                                                      block_size=block)))
        np.testing.assert_array_equal(read, np.array(values, dtype=np.float64))

    check()


def test_squares_that_overflow_in_a_bin_leave_the_quantile_a_number():
    # Each square is below the largest float, their sum is not: the bin's variance is
    # infinite, and its mean (inside the bin) stands for the values.
    x = np.array([1.3e154, 1.3001e154, 1.3002e154])
    (record,) = summarise(["relu"], x)
    assert abs(record["input_p50"] - np.median(x)) <= QUANTILE_RELATIVE_ERROR * np.median(x)


@pytest.mark.parametrize("slope", [0.25, -0.5, 0.0, 3.0])
def test_a_piecewise_linear_function_from_the_moments_of_its_pieces(slope):
    # prelu with a slope known only at the end, from the moments of x > 0 and x <= 0:
    # the same record as summarising the values through prelu:weight=slope itself.
    from actcli.analysis.stats import Moments

    rng = np.random.default_rng(11)
    x = np.concatenate([rng.standard_normal(5000), [0.0, -0.0, np.inf, np.nan]])
    if slope:
        x = np.append(x, -np.inf)  # 0 * -inf is NaN: left out for slope 0
    spec = f"prelu:weight={slope}"
    inputs, positive, rest = Accumulator([]), Moments(), Moments()
    for piece in np.array_split(x, 3):
        inputs.add(piece)
        positive.add(piece[piece > 0])
        rest.add(piece[piece <= 0])
    (record,) = inputs.piecewise_linear(spec, [(positive, 1.0, 1.0),
                                               (rest, slope, -1.0)]).records()
    (direct,) = summarise([spec], x)
    for key in KEYS:
        if isinstance(direct[key], float):
            assert record[key] == pytest.approx(direct[key], rel=1e-12, abs=1e-300, nan_ok=True), key
        else:
            assert record[key] == direct[key], key


# --- the compiled passes (stats_jit) give the NumPy passes' figures ---------------------

def _both_engines(monkeypatch, functions, x, chunk):
    monkeypatch.setenv("ACTCLI_JIT", "0")
    numpy_records = summarise(functions, x, chunk)
    monkeypatch.setenv("ACTCLI_JIT", "1")
    compiled_records = summarise(functions, x, chunk)
    monkeypatch.setenv("ACTCLI_JIT", "0")
    return numpy_records, compiled_records


EXACT = ("function", "n", "nan_count", "inf_count", "input_min", "input_max", "input_p01",
         "input_p50", "input_p99", "dead_fraction", "saturated_fraction")


# A moment is a sum, and a sum's rounding error scales with its terms, not with its result
# (tanh over [1, 6, -1, -5] cancels to 1e-5): each moment is compared on the scale of its
# terms, the root mean square sqrt(mean^2 + std^2); a std through its variance.
_MOMENTS = {"input_mean": "input_std", "input_std": "input_mean", "mean": "std",
            "std": "mean", "mean_grad": "mean_grad_sq"}


def _scale(record, key):
    if key == "mean_grad":
        return math.sqrt(record["mean_grad_sq"])
    return math.hypot(record[key], record[_MOMENTS[key]])


def _same_figures(numpy_record, compiled_record):
    for key in KEYS:
        want, got = numpy_record[key], compiled_record[key]
        if key in EXACT:
            assert got == want or (got != got and want != want), key
        elif key in _MOMENTS and math.isfinite(want) and math.isfinite(_scale(numpy_record, key)):
            scale = _scale(numpy_record, key)
            if key.endswith("std"):
                assert abs(got**2 - want**2) <= 1e-12 * scale**2 + 1e-300, key
            else:
                assert abs(got - want) <= 1e-12 * scale + 1e-300, key
        elif key != "verdict":
            assert got == pytest.approx(want, rel=1e-12, abs=1e-300, nan_ok=True), key


def test_the_compiled_passes_give_the_numpy_figures(monkeypatch):
    pytest.importorskip("numba")
    rng = np.random.default_rng(12)
    x = rng.normal(-0.5, 3.0, 50_000)
    x[rng.choice(len(x), 50, replace=False)] = np.nan
    x[:4] = [np.inf, -np.inf, -0.0, 5e-324]
    functions = ["relu", "gelu", "tanh", "leaky_relu", "sigmoid", "hardtanh", "x**3",
                 "binary_step"]
    for chunk in (997, 50_000):
        for want, got in zip(*_both_engines(monkeypatch, functions, x, chunk)):
            _same_figures(want, got)
            assert got["verdict"] == want["verdict"]


def test_the_compiled_passes_as_a_property(monkeypatch):
    pytest.importorskip("numba")
    from hypothesis import example, given, settings
    from hypothesis import strategies as st

    values = st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1,
                      max_size=300)

    @settings(max_examples=60, deadline=None)
    @given(values, st.integers(1, 50))
    @example([8.98846567431158e307, 8.98846567431158e307], 1)  # a bin's sum overflows: no warning
    @example([0.0, 0.0, 0.0, 0.0, 1.0, 6.0, -1.0, -5.0], 8)  # tanh's mean cancels to 1e-5
    def check(xs, chunk):
        x = np.array(xs)
        if np.isnan(x).all():
            return
        for want, got in zip(*_both_engines(monkeypatch, ["relu", "tanh", "gelu"], x, chunk)):
            _same_figures(want, got)

    check()


def test_a_slope_that_rounds_to_0_far_out_is_dead_not_also_saturated():
    """sigmoid'(+-800) = e^-800 and gelu'(-800) are far below the smallest float, so f'
    is exactly 0 there: dead, and not also counted in the saturated tail around it, where
    f' is tiny but a number (sigmoid'(-10) = 4.5e-5, gelu'(-10) = -7.6e-22). The two
    shares never add up to more than the inputs."""
    x = np.repeat([-800.0, -10.0, 0.0, 800.0], [1, 2, 3, 4])
    sigmoid, gelu = summarise(["sigmoid", "gelu"], x)
    assert (sigmoid["dead_fraction"], sigmoid["saturated_fraction"]) == (0.5, 0.2)
    assert (gelu["dead_fraction"], gelu["saturated_fraction"]) == (0.1, 0.2)
