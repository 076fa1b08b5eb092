"""The command line passes every flag through to the work it names.

Each test drives `actcli` (in-process, and the key cases as a real process) and checks
the result against a value computed here, independently of the library: closed forms
in mpmath, float32 rounding of the exact value, the derivative's curve located in the
drawn image, the edges of the depth verdict's "stable" band. The library's own tests
check its numerics; these catch a flag that is parsed and then dropped.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import subprocess
import sys
from collections.abc import Callable

import mpmath
import mpref
import numpy as np
import pytest
from conftest import subprocess_env, svg_lines
from mpmath import mp, mpf
from PIL import Image
from typer.testing import CliRunner

import actcli
from actcli import cli
from actcli.analysis import depth
from actcli.present.plot import figure, functions

runner = CliRunner()
ACTCLI = [sys.executable, "-m", "actcli"]

BLUE, VERMILION = "#0072b2", "#d55e00"  # the first two Okabe-Ito colours: curve 1 and 2


def ok(*args: str, data: str | None = None) -> str:
    result = runner.invoke(cli.app, list(args), input=data)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def real_process(*args: str, data: str = "") -> str:
    result = subprocess.run([*ACTCLI, *args], input=data, capture_output=True, text=True,
                            env=subprocess_env(), timeout=120)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return result.stdout


# --- closed forms, in mpmath ------------------------------------------------------------

def sigmoid(x: mpf) -> mpf:
    return 1 / (1 + mpmath.exp(-x))


CLOSED_FORMS: dict[str, tuple[Callable[[mpf], mpf], ...]] = {
    # f, f', f''
    "sigmoid": (sigmoid,
                lambda x: sigmoid(x) * (1 - sigmoid(x)),
                lambda x: sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x))),
    "tanh": (mpmath.tanh,
             lambda x: mpmath.sech(x) ** 2,
             lambda x: -2 * mpmath.tanh(x) * mpmath.sech(x) ** 2),
}


def exact(name: str, order: int, x: float) -> float:
    with mp.workdps(40):
        return float(CLOSED_FORMS[name][order](mpf(x)))


def float32_of_exact(name: str, order: int, x32: np.float32) -> np.float32:
    """f^(order) at the float32 input, exactly, then rounded once to float32."""
    with mp.workdps(40):
        return np.float32(mpref.round_to(CLOSED_FORMS[name][order](mpf(float(x32))), "float32"))


# test_accuracy's bars for float64, relative, by order (points here are far from roots).
REL_BAR = {0: 1e-12, 1: 1e-12, 2: 1e-10}
POINTS = ["-4", "-1.5", "-0.3", "0.7", "2", "3.25"]


# --- grad --order 2: the f'' column holds f'' -------------------------------------------

@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_second_order_column_of_numbers_is_the_second_derivative(name):
    rows = table(ok("grad", name, *POINTS, "--order", "2", "-f", "csv"))
    assert rows[0] == ["x", name, f"{name}_grad", f"{name}_grad2"]
    for row in rows[1:]:
        x = float(row[0])
        for order, cell in enumerate(row[1:]):
            assert float(cell) == pytest.approx(exact(name, order, x), rel=REL_BAR[order], abs=1e-300), (x, order)


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_second_order_column_of_csv_rows_is_the_second_derivative(name):
    data = "x,label\n" + "".join(f"{p},row{i}\n" for i, p in enumerate(POINTS))
    rows = table(ok("grad", name, "--order", "2", data=data))
    assert rows[0] == ["x", "label", name, f"{name}_grad", f"{name}_grad2"]
    for row in rows[1:]:
        x = float(row[0])
        for order, cell in enumerate(row[2:]):
            assert float(cell) == pytest.approx(exact(name, order, x), rel=REL_BAR[order], abs=1e-300), (x, order)


def test_second_order_as_a_real_process():
    for output in (real_process("grad", "tanh", "0.5", "--order", "2"),
                   real_process("grad", "tanh", "--order", "2", "--only", data="0.5\n")):
        assert float(output.splitlines()[-1].split(",")[-1]) == pytest.approx(
            exact("tanh", 2, 0.5), rel=REL_BAR[2])


# --- --dtype float32 on every input path ------------------------------------------------

def is_float32_text(cell: str) -> bool:
    """The shortest decimal that reads back as a float32 (a float64 result has more digits)."""
    return float(str(np.float32(cell))) == float(cell)


def assert_float32_results(rows: list[list[str]], name: str, orders: tuple[int, ...]) -> None:
    for row in rows:
        x32 = np.float32(row[0])
        for order, cell in zip(orders, row[1:]):
            assert is_float32_text(cell), f"{cell} is not a float32 result"
            expected = float32_of_exact(name, order, x32)
            # test_accuracy's float32 bar: 4 units in the last place of float32
            assert abs(np.float32(cell) - expected) <= 4 * abs(np.spacing(expected)), (row, order)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_float32_on_csv_rows(name):
    data = "".join(f"{p}\n" for p in ["0.1", "-2.7", "1.3", "5"])
    rows = table(ok("grad", name, "--dtype", "float32", data=data))
    assert len(rows) == 4
    assert_float32_results(rows, name, (0, 1))
    # The same rows in float64 are not float32 numbers: the flag made the difference.
    wide = table(ok("grad", name, data=data))
    assert not any(is_float32_text(c) for row in wide for c in row[1:])


def test_float32_on_numbers():
    rows = table(ok("eval", "sigmoid", "-3", "3", "--num", "7", "--dtype", "float32", "-f", "csv"))
    # x itself is float32: linspace in float64, rounded once.
    assert [np.float32(r[0]) for r in rows[1:]] == [np.float32(v) for v in np.linspace(-3, 3, 7)]
    assert_float32_results(rows[1:], "sigmoid", (0,))


def test_float32_on_csv_rows_as_a_real_process():
    output = real_process("eval", "tanh", "--dtype", "float32", data="x\n0.1\n-2.7\n")
    assert_float32_results(table(output)[1:], "tanh", (0,))


# --- plot --grad and compare --grad -o: the derivative is drawn -------------------------

def fitted_axes(solid: np.ndarray, f: Callable[[float], float], start: float,
                stop: float) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """From a solid curve of f drawn over [start, stop]: SVG x -> data x, data y -> SVG y.

    x is linear between the curve's end points; y = c*f(x) + d by least squares, which
    must fit to a tenth of a unit (else this is not f's curve)."""
    px0, px1 = solid[0, 0], solid[-1, 0]

    def data_x(px: np.ndarray) -> np.ndarray:
        return start + (px - px0) * (stop - start) / (px1 - px0)

    fx = np.array([f(x) for x in data_x(solid[:, 0])])
    (c, d), *_ = np.linalg.lstsq(np.column_stack([fx, np.ones_like(fx)]), solid[:, 1], rcond=None)
    assert np.abs(c * fx + d - solid[:, 1]).max() < 0.1, "the solid curve is not f"
    return data_x, lambda y: c * y + d


def lines_by_style(path) -> dict[tuple[str, bool], np.ndarray]:
    lines = {}
    for colour, dashed, points in svg_lines(path):
        if colour in (BLUE, VERMILION):
            assert (colour, dashed) not in lines, "one curve per colour and style"
            lines[colour, dashed] = points
    return lines


def assert_dashed_derivatives(path, names: list[str], start: float, stop: float) -> None:
    lines = lines_by_style(path)
    colours = [BLUE, VERMILION][:len(names)]
    assert set(lines) == {(c, dashed) for c in colours for dashed in (False, True)}, sorted(lines)
    for name, colour in zip(names, colours):
        data_x, svg_y = fitted_axes(lines[colour, False], lambda x: exact(name, 0, x), start, stop)
        dashed = lines[colour, True]
        x = data_x(dashed[:, 0])
        assert x.min() == pytest.approx(start, abs=1e-3) and x.max() == pytest.approx(stop, abs=1e-3)
        expected = svg_y(np.array([exact(name, 1, v) for v in x]))
        assert np.abs(dashed[:, 1] - expected).max() < 0.1, f"the dashed {name} curve is not f'"


def test_plot_grad_draws_the_derivative_dashed(tmp_path):
    with_grad, without = tmp_path / "grad.svg", tmp_path / "plain.svg"
    ok("plot", "sigmoid", "-3", "3", "--grad", "-o", str(with_grad))
    assert_dashed_derivatives(with_grad, ["sigmoid"], -3, 3)
    ok("plot", "sigmoid", "-3", "3", "-o", str(without))
    assert set(lines_by_style(without)) == {(BLUE, False)}


def test_compare_grad_draws_the_derivatives(tmp_path):
    target = tmp_path / "cmp.svg"
    ok("compare", "sigmoid", "tanh", "-3", "3", "--grad", "-o", str(target))
    assert_dashed_derivatives(target, ["sigmoid", "tanh"], -3, 3)
    plain = tmp_path / "plain.svg"
    ok("compare", "sigmoid", "tanh", "-3", "3", "-o", str(plain))
    assert set(lines_by_style(plain)) == {(BLUE, False), (VERMILION, False)}


def test_plot_and_compare_grad_as_real_processes(tmp_path):
    real_process("plot", "tanh", "-3", "3", "--grad", "-o", str(tmp_path / "plot.svg"))
    assert_dashed_derivatives(tmp_path / "plot.svg", ["tanh"], -3, 3)
    real_process("compare", "sigmoid", "tanh", "-3", "3", "--grad", "-f", "csv",
                 "-o", str(tmp_path / "cmp.svg"))
    assert_dashed_derivatives(tmp_path / "cmp.svg", ["sigmoid", "tanh"], -3, 3)


def test_plot_grad_png_has_the_derivative_pixels(tmp_path):
    """The PNG the command writes, read at the pixels where sigmoid' lies (located with
    the axes of the same figure drawn by the library, which the CLI is asked to match)."""
    args = ["sigmoid", "-5", "5", "--size", "6x4", "--dpi", "100"]
    fig = functions.plot_functions([actcli.get("sigmoid")], io.BytesIO(), -5, 5, grad=True,
                              options=figure.PlotOptions(size=(6.0, 4.0), dpi=100))

    def share_on_derivative(path) -> float:
        with Image.open(path) as image:
            pixels = np.asarray(image.convert("RGB")).astype(int)
        blue = np.array([int(BLUE[i:i + 2], 16) for i in (1, 3, 5)])
        hits = []
        for x in np.linspace(1.5, 4.5, 200):  # far from the solid curve (y > 0.8 there)
            px, py = fig.axes[0].transData.transform((x, exact("sigmoid", 1, x)))
            row, col = int(pixels.shape[0] - py), int(px)
            patch = pixels[row - 2:row + 3, col - 2:col + 3].reshape(-1, 3)
            hits.append(np.abs(patch - blue).sum(axis=1).min() < 60)
        return float(np.mean(hits))

    ok("plot", *args, "--grad", "-o", str(tmp_path / "grad.png"))
    ok("plot", *args, "-o", str(tmp_path / "plain.png"))
    assert 0.3 < share_on_derivative(tmp_path / "grad.png") < 0.95  # dashes and gaps
    assert share_on_derivative(tmp_path / "plain.png") == 0


# --- depth: "stable" is a gradient change within a factor of 10 either way -------------

@pytest.fixture(scope="module")
def a_profile():
    config = depth.DepthConfig(layers=3, width=4, batch=4)
    return depth.explore([actcli.get("tanh")], config)[0]


@pytest.mark.parametrize("log10_ratio, verdict", [
    (0.0, "stable"),
    (1 - 1e-9, "stable"), (1.0, "stable"), (1 + 1e-9, "exploding"),  # x10 up: the upper edge
    (-1 + 1e-9, "stable"), (-1.0, "stable"), (-1 - 1e-9, "vanishing"),  # x1/10: the lower edge
    (4.5, "exploding"), (-4.5, "vanishing"),
])
def test_the_stable_band_is_a_factor_of_10_either_way(a_profile, log10_ratio, verdict):
    grad_log10 = np.array([log10_ratio, log10_ratio / 2, 0.0])
    profile = dataclasses.replace(a_profile, grad_log10=grad_log10, overflow_layer=None)
    assert profile.verdict == verdict


@pytest.mark.parametrize("gain", ["0.46", "1.12", "2.15"])
def test_depth_verdicts_in_the_command_follow_the_band(gain):
    """A linear network of 10 layers, 64 wide, with weights of std gain/8 scales the
    gradient by about gain per layer: 10^-3, 10^0.44, 10^3 over the 9 steps, each well
    inside one verdict (the borders are 10^-1 and 10^1)."""
    rows = table(ok("depth", "identity", "--layers", "10", "--width", "64", "--batch", "64",
                    "--init", f"normal:{float(gain) / 8}", "--summary", "-f", "csv"))
    header, row = rows[0], rows[1]
    ratio = float(row[header.index("grad_ratio_log10")])
    assert ratio == pytest.approx(9 * math.log10(float(gain)), abs=0.5)  # the set-up works
    band = "stable" if abs(ratio) <= 1 else "exploding" if ratio > 0 else "vanishing"
    assert row[header.index("verdict")] == band


# --- plot --ylim: the command's y range reaches the image -------------------------------

def test_ylim_reaches_the_image(tmp_path):
    """tanh on [-1, 1] spans +-0.76: automatic limits hug it, --ylim -2 2 leaves the
    curve about 0.76/2 of the axes' height, so its drawn extent shrinks to ~0.4-0.5x."""
    def extent(*extra: str) -> float:
        out = tmp_path / f"tanh{len(extra)}.svg"
        ok("plot", "tanh", "-1", "1", *extra, "-o", str(out))
        (_, _, points), = [line for line in svg_lines(out) if line[0] == "#0072b2"]
        return float(np.ptp(points[:, 1]))

    ratio = extent("--ylim", "-2", "2") / extent()
    assert 0.35 < ratio < 0.55, ratio


# --- the data options reach the data (issue 27): --key, -c/--column, -i ------------------
# Two arrays of different sizes and signs: the one read shows in n and in relu's dead share.

@pytest.fixture
def two_arrays(tmp_path):
    first = np.linspace(-1.0, 1.0, 100)  # half dead under relu
    second = -np.linspace(1.0, 2.0, 37)  # all dead
    npz = tmp_path / "two.npz"
    np.savez(npz, first=first, second=second)
    csv_file = tmp_path / "two.csv"
    rows = "\n".join(f"{a},{b}" for a, b in zip(first[-37:], second))  # (a > 0, b < 0)
    csv_file.write_text("first,second\n" + rows + "\n")
    return npz, csv_file


def _stats(*args: str) -> dict:
    import json

    return json.loads(ok("stats", "relu", *args, "-f", "json"))[0]


def test_stats_reads_the_key_and_the_column_it_is_given(two_arrays):
    npz, csv_file = two_arrays
    chosen = _stats("-i", str(npz), "--key", "second")
    assert (chosen["n"], chosen["dead_fraction"]) == (37, 1.0)
    assert _stats("-i", str(npz), "--key", "first")["n"] == 100
    column = _stats("-i", str(csv_file), "-c", "second")
    assert (column["n"], column["dead_fraction"]) == (37, 1.0)
    assert _stats("-i", str(csv_file), "--column", "2")["dead_fraction"] == 1.0
    assert _stats("-i", str(csv_file), "-c", "first")["dead_fraction"] == 0.0


def test_plot_data_reads_the_key_and_the_column_to_a_file(two_arrays, tmp_path):
    npz, csv_file = two_arrays
    for source, option in ((npz, ["--key", "second"]), (csv_file, ["-c", "second"])):
        out = tmp_path / "data.svg"
        ok("plot", "relu", "--data", str(source), *option, "-o", str(out))
        drawn = out.read_text()
        assert "37 values" in drawn and "100.0% dead" in drawn, source


def test_plot_data_reads_the_key_and_the_column_in_the_terminal(two_arrays):
    npz, csv_file = two_arrays
    for source, option in ((npz, ["--key", "second"]), (csv_file, ["-c", "second"])):
        drawn = ok("plot", "relu", "--data", str(source), *option, "--term", "--width", "100")
        assert "37 values" in drawn and "100.0% dead" in drawn, source
    assert "100 values" in ok("plot", "relu", "--data", str(npz), "--key", "first", "--term")
