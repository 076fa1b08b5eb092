"""The CLI in-process (Typer's CliRunner): every command, option family and error."""

from __future__ import annotations

import csv
import io
import json
import math
import re

import mpmath
import mpref
import numpy as np
import pytest
from conftest import svg_lines
from typer.testing import CliRunner

import actcli
from actcli import cli
from actcli.cli import options
from actcli.frontend.context import Environment
from actcli.resolve import resolve
from actcli.present import tables

runner = CliRunner()


def run(*args: str, env: Environment | None = None):
    return runner.invoke(cli.app, list(args), obj=env)


def rows(output: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(output), delimiter=delimiter))


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def fails(code: int, *args: str, env: Environment | None = None) -> str:
    result = run(*args, env=env)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    message = result.stderr
    assert message.startswith("actcli: error: ") and message.count("\n") == 1, message
    assert "Traceback" not in message
    return message


# --- eval -------------------------------------------------------------------------------

def test_eval_relu_minus_three_to_two_as_typed():
    table = rows(ok("eval", "relu", "-3", "2"))
    assert table[0] == ["x", "relu"]
    xs = [float(r[0]) for r in table[1:]]
    assert xs == [-3 + 0.5 * i for i in range(11)]
    assert [float(r[1]) for r in table[1:]] == [max(0.0, x) for x in xs]


@pytest.mark.parametrize("token, value", [("-3", -3.0), ("-3.5", -3.5), ("-1e3", -1000.0),
                                          ("-.5", -0.5), ("-inf", -math.inf), ("-1E-3", -0.001)])
def test_negative_numbers_are_values_never_options(token, value):
    table = rows(ok("eval", "identity", token))
    assert float(table[1][0]) == value


def test_double_dash_and_options_after_numbers_work():
    assert rows(ok("eval", "relu", "--", "-1", "1"))[1] == ["-1.0", "0.0"]
    table = rows(ok("eval", "relu", "-1", "1", "--num", "3"))
    assert [r[0] for r in table[1:]] == ["-1.0", "0.0", "1.0"]
    # An option's own value may be negative.
    table = rows(ok("eval", "identity", "2", "-1", "--step", "-1.5"))
    assert [float(r[0]) for r in table[1:]] == [2.0, 0.5, -1.0]


def test_one_number_two_numbers_and_three_or_more():
    assert len(rows(ok("eval", "tanh", "0.5"))) == 2
    assert len(rows(ok("eval", "tanh", "-1", "1"))) == 12
    assert [r[0] for r in rows(ok("eval", "tanh", "3", "-1", "0.25"))[1:]] == ["3.0", "-1.0", "0.25"]


def test_step_includes_stop_when_it_lands_on_it():
    table = rows(ok("eval", "identity", "0", "1", "--step", "0.1"))
    assert len(table) == 12 and table[-1][0] == "1.0"
    assert rows(ok("eval", "identity", "0", "0.7", "--step", "0.1"))[-1][0] == "0.7"
    assert [r[0] for r in rows(ok("eval", "identity", "0", "1", "--step", "0.4"))[1:]] == [
        "0.0", "0.4", "0.8"]


def test_csv_values_round_trip_exactly():
    table = rows(ok("eval", "gelu", "-7", "7", "--num", "101"))
    digits = []
    for x, y in table[1:]:
        # The shortest text of a float64, gelu within test_accuracy's bar (1e-12 relative).
        assert repr(float(y)) == y
        assert mpref.rel_error(float(y), mpref.reference("gelu", 0, float(x))) <= 1e-12, (x, y)
        digits.append(len(y.split("e")[0].replace("-", "").replace(".", "").strip("0")))
    assert np.median(digits) >= 16  # all of them, not a rounded few


@pytest.mark.parametrize("args", [("-2", "2"), ("-3", "2"), ("0.1", "0.7", "--num", "7"),
                                  ("0", "1", "--num", "4"), ("-1", "1", "--step", "0.3"),
                                  ("0", "0.3", "--step", "0.1"), ("2.5", "-1", "--step", "-0.7"),
                                  # Exponent form is a decimal too (issue 17 item 9).
                                  ("-3", "1e-8"), ("1e-3", "2.5e-2", "--num", "7"),
                                  ("-1.5e-5", "3e-5", "--num", "9"), ("-2e3", "1e-4", "--num", "13"),
                                  ("0", "1e-7", "--step", "3e-9"), ("1e2", "-4.5e1", "--step", "-1.5e-1")])
def test_grid_points_are_the_correctly_rounded_decimals(args):
    from fractions import Fraction

    start, stop = Fraction(args[0]), Fraction(args[1])
    xs = [float(r[0]) for r in rows(ok("eval", "identity", *args))[1:]]
    if "--step" in args:
        step = Fraction(args[3])
        exact = [start + i * step for i in range(len(xs))]
        last = exact[-1]  # STOP itself when the steps land on it, else the last one before
        assert (stop - step < last <= stop) if step > 0 else (stop <= last < stop - step)
    else:
        n = len(xs) - 1
        exact = [start + i * (stop - start) / n for i in range(n + 1)]
    assert xs == [float(e) for e in exact]


def test_float32_output_round_trips_in_float32():
    table = rows(ok("eval", "sigmoid", "-3", "3", "--dtype", "float32", "--num", "7"))
    x = np.linspace(-3, 3, 7).astype(np.float32)
    assert [np.float32(r[0]) for r in table[1:]] == x.tolist()
    for x32, row in zip(x, table[1:]):  # float32 sigmoid of the float32 x, to 4 ulp32
        exact = mpref.reference("sigmoid", 0, float(x32))
        assert mpref.ulp_error(float(np.float32(row[1])), exact, "float32") <= 4, row
    assert len(table[2][1]) <= 11  # shortest float32 digits, not a float64 expansion


def test_vector_function_takes_the_numbers_as_one_vector():
    table = rows(ok("eval", "softmax", "2", "1", "0.1"))
    assert [round(float(r[2]), 4) for r in table[1:] if r[0] == "softmax"] == [0.6590, 0.2424, 0.0986]
    two = rows(ok("eval", "softmax", "0", "0"))  # two numbers are a vector, not a range
    assert [float(r[2]) for r in two[1:] if r[0] == "softmax"] == [0.5, 0.5]


def test_vector_outputs_never_share_a_row_with_an_input():
    """glu(1, 2, 3, 4) is two numbers: (1, 2) gated by sigmoid(3, 4); neither belongs on
    the row of x = 1 or x = 2."""
    table = rows(ok("eval", "glu", "1", "2", "3", "4"))
    assert table[0] == ["vector", "i", "value"]
    assert [r[:2] for r in table[1:]] == [["x", "1"], ["x", "2"], ["x", "3"], ["x", "4"],
                                          ["glu", "1"], ["glu", "2"]]
    sigmoid = [1 / (1 + math.exp(-3)), 1 / (1 + math.exp(-4))]
    assert [float(r[2]) for r in table[5:]] == pytest.approx([1 * sigmoid[0], 2 * sigmoid[1]],
                                                             rel=1e-15)
    assert all(r[0] and r[1] and r[2] for r in table)  # no empty cells
    records = json.loads(ok("eval", "glu", "1", "2", "3", "4", "-f", "json"))
    assert records[4] == {"vector": "glu", "i": 1, "value": float(table[5][2])}


def test_parameters_by_colon_syntax_by_option_and_by_alias():
    expected = ["-5.0", "-0.6000000000000001"]
    assert rows(ok("eval", "leaky_relu:negative_slope=0.2", "-3"))[1][1] == expected[1]
    assert rows(ok("eval", "leaky_relu", "-p", "negative_slope=0.2", "-3"))[1][1] == expected[1]
    assert rows(ok("eval", "LeakyReLU:alpha=0.2", "-3"))[1][1] == expected[1]
    tanh_gelu = float(rows(ok("eval", "gelu:approximate=tanh", "1"))[1][1])
    assert tanh_gelu == pytest.approx(0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * 1.044715)))


# --- grad -------------------------------------------------------------------------------

def test_grad_columns_and_second_order():
    table = rows(ok("grad", "sigmoid", "0"))
    assert table == [["x", "sigmoid", "sigmoid_grad"], ["0.0", "0.5", "0.25"]]
    table = rows(ok("grad", "tanh", "0", "--order", "2"))
    assert table[0] == ["x", "tanh", "tanh_grad", "tanh_grad2"]


def test_grad_follows_pytorch_at_kinks():
    table = rows(ok("grad", "relu", "-1", "0", "1"))
    assert [r[2] for r in table[1:]] == ["0.0", "0.0", "1.0"]


def test_grad_of_a_vector_function_is_its_jacobian():
    table = rows(ok("grad", "softmax", "2", "1", "0.1"))
    assert table[0] == ["i", "softmax", "d_x1", "d_x2", "d_x3"]
    jac = np.array([[float(c) for c in r[2:]] for r in table[1:]])
    # d s_i / d x_j = s_i (delta_ij - s_j), s = exp(x) / sum(exp(x)), in mpmath
    exps = [mpmath.exp(mpmath.mpf(v)) for v in (2, 1, mpmath.mpf("0.1"))]
    s = [e / sum(exps) for e in exps]
    exact = np.array([[float(s[i] * ((i == j) - s[j])) for j in range(3)] for i in range(3)])
    assert jac == pytest.approx(exact, rel=1e-14, abs=1e-17)


# --- formats ----------------------------------------------------------------------------

def test_every_format():
    assert rows(ok("eval", "relu", "1", "-f", "tsv"), "\t") == [["x", "relu"], ["1.0", "1.0"]]
    assert json.loads(ok("eval", "relu", "1", "-f", "json")) == [{"x": 1.0, "relu": 1.0}]
    assert [json.loads(line) for line in ok("eval", "relu", "1", "2", "3", "-f", "jsonl").splitlines()][2] == {"x": 3.0, "relu": 3.0}
    markdown = ok("eval", "relu", "1", "-f", "markdown").splitlines()
    assert markdown[0] == "| x | relu(x) |" and markdown[1] == "|---:|---:|"
    table = ok("eval", "relu", "1", "-f", "table")
    assert "relu(x)" in table and "┃" in table


def test_json_writes_non_finite_numbers_as_strings():
    records = json.loads(ok("eval", "exponential", "1000", "-f", "json"))
    assert records == [{"x": 1000.0, "exponential": "inf"}]


def test_table_precision():
    assert "0.8808 " in ok("eval", "sigmoid", "2", "-f", "table", "--precision", "4")
    fails(2, "eval", "sigmoid", "2", "--precision", "0")


# --- compare, list, info ----------------------------------------------------------------

def test_compare_values_grad_and_summary():
    table = rows(ok("compare", "relu", "tanh", "leaky_relu:negative_slope=0.2", "-2", "2", "--num", "5"))
    assert table[0] == ["x", "relu", "tanh", "leaky_relu_negative_slope_0p2"]
    assert table[1] == ["-2.0", "0.0", repr(math.tanh(-2)), "-0.4"]
    grads = rows(ok("compare", "sigmoid", "tanh", "--grad", "--num", "3"))
    assert grads[0] == ["x", "sigmoid_grad", "tanh_grad"] and float(grads[2][1]) == 0.25
    assert float(grads[1][0]) == -5.0  # the default range is -5 5
    summary = {r[0]: r for r in rows(ok("compare", "sigmoid", "tanh", "--summary"))[1:]}
    assert summary["tanh"][1:] == ["-1.0", "1.0", "false", "false", "1.0", "x = x1", "0.0",
                                   "true", "increasing", "both"]
    assert summary["sigmoid"][-3] == "false"
    records = json.loads(ok("compare", "sigmoid", "--summary", "-f", "json"))
    assert records[0]["max_abs_grad"] == 0.25 and records[0]["zero_centred"] is False
    both = ok("compare", "relu", "gelu", "-f", "table")
    assert "Compared values" in both and "Summary" in both


@pytest.mark.parametrize("args, words", [
    (("compare", "relu", "1"), "START STOP"),
    (("compare", "-1", "1"), "at least one function"),
    (("compare", "relu", "softmax"), "vector function"),
])
def test_compare_errors(args, words):
    assert words in fails(2, *args)


def test_list_shows_every_function():
    table = rows(ok("list"))
    assert table[0] == ["name", "family", "kind", "description"]
    assert {r[0] for r in table[1:]} == set(actcli.names())


def test_info_as_json_and_table():
    record = json.loads(ok("info", "leaky_relu:negative_slope=0.2", "-f", "json"))
    assert record["parameters"]["negative_slope"]["value"] == 0.2
    assert record["parameters"]["negative_slope"]["default"] == 0.01
    assert record["kink_rule"].startswith("f'(0) = negative_slope")
    assert record["frameworks"]["PyTorch"] == "torch.nn.functional.leaky_relu"
    assert "0.2" in record["notes"]  # Keras' different default is recorded
    text = ok("info", "gelu", "-f", "table")
    assert "Hendrycks" in text and "max_abs_grad" in text
    assert json.loads(ok("info", "softmax", "-f", "json"))["kind"] == "vector"


def test_info_says_where_inputs_count_as_saturated():
    tanh = json.loads(ok("info", "tanh", "-f", "json"))
    edge = math.acosh(math.sqrt(20))  # sech^2(x) = 0.05 of its max, 1
    assert (tanh["saturated_below"], tanh["saturated_above"]) == (
        pytest.approx(-edge, rel=1e-12), pytest.approx(edge, rel=1e-12))
    relu = json.loads(ok("info", "relu", "-f", "json"))
    assert (relu["saturated_below"], relu["saturated_above"]) == ("-inf", "inf")
    assert "|x| > 2.18" in ok("info", "tanh", "-f", "markdown").replace("\\|", "|")
    assert "dead, not saturated" in ok("info", "relu", "-f", "markdown")


@pytest.mark.parametrize("a", [0.25, 0.5])
def test_info_names_each_tail_of_a_lopsided_function_on_its_side(a):
    """penalized_tanh' is a sech^2(x) below 0 and sech^2(x) above, with sup 1: its left
    tail starts where a sech^2(x) = 0.05, its right one where sech^2(x) = 0.05."""
    left, right = -math.acosh(math.sqrt(a / 0.05)), math.acosh(math.sqrt(20))
    spelled = f"penalized_tanh:a={a}"
    record = json.loads(ok("info", spelled, "-f", "json"))
    assert (record["saturated_below"], record["saturated_above"]) == (
        pytest.approx(left, rel=1e-12), pytest.approx(right, rel=1e-12))
    assert f"x < {left:.3g} or x > {right:.3g} (" in ok("info", spelled, "-f", "markdown")


def test_version_and_help_with_examples():
    assert ok("--version").strip() == f"actcli {actcli.__version__}"
    for command in ("eval", "grad", "compare", "info"):
        assert "Examples" in ok(command, "--help"), command
    assert "eval" in ok("--help")


# --- errors -----------------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    (("eval", "sigmod", "1"), "did you mean sigmoid"),
    (("eval", "relu", "abc"), "'abc' is not a number"),
    (("eval", "relu", "-3", "2", "--num", "0"), "at least 1 point"),
    (("eval", "relu", "-3", "2", "--num", "1000000000000"), "the limit is"),
    (("eval", "relu", "-inf", "2"), "must be finite"),
    (("eval", "relu", "-1e308", "1e308"), "wider than the largest float"),
    (("eval", "relu", "0", "1", "--step", "1e-320"), "more than 10,000,000 points"),
    (("compare", "relu", "-1e308", "1e308"), "wider than the largest float"),
    (("plot", "relu", "-1e308", "1e308", "-o", "x.png"), "wider than the largest float"),
    (("eval", "relu", "-3", "2", "--num", "5", "--step", "1"), "cannot be used together"),
    (("eval", "relu", "1", "--num", "5"), "needs exactly two numbers"),
    (("eval", "relu", "0", "1", "--step", "-1"), "moves away from STOP"),
    (("eval", "relu", "1", "-f", "xml"), "unknown format"),
    (("eval", "relu", "1", "--dtype", "float16"), "unknown dtype"),
    (("eval", "leaky_relu:slope2=1", "1"), "valid: negative_slope"),
    (("eval", "elu:alpha=-1", "1"), "out of range"),
    (("eval", "leaky_relu:negative_slope=1_0", "1"), "negative_slope='1_0' is not a number"),
    (("eval", "gelu:approximate", "1"), "key=value"),
    # the same parameter twice: refused, not the last one silently taken
    (("eval", "elu", "-p", "alpha=1", "-p", "alpha=2", "1"), "'alpha' is given twice"),
    (("eval", "elu:alpha=1", "-p", "alpha=2", "1"), "'alpha' is given twice"),
    (("eval", "sine:w0=2,omega=3", "1"), "'omega' and 'w0' both set w0"),  # a name and its alias
    # an option of one value given twice would drop the first: refused, as -p's are
    (("grad", "relu", "-c", "a", "-c", "b"), "option -c given more than once"),
    (("grad", "relu", "-c", "a", "--column=b"), "option --column given more than once"),
    (("eval", "relu", "1", "-f", "csv", "-f", "json"), "option -f given more than once"),
    (("plot", "relu", "--ylim", "-1", "2", "--ylim", "0", "1"), "--ylim given more than once"),
    (("stats", "relu", "-i", "a.npy", "--key", "a", "--key", "b"), "--key given more than once"),
    (("eval", "relu", "--bogus"), "No such option"),
    (("grad", "relu", "1", "--order", "3"), "--order must be 1 or 2"),
    (("grad", "softmax", "1", "2", "--order", "2"), "Jacobian"),
    (("eval", "softmax", "1", "2", "--num", "3"), "one vector"),
    (("eval", "glu", "1", "2", "3"), "even number"),
])
def test_bad_input_is_one_line_and_exit_2(args, words):
    assert words in fails(2, *args)


def test_no_numbers_and_a_terminal_on_stdin_is_a_usage_error_not_a_hang():
    terminal = Environment(stdout_isatty=False, stdin_isatty=True, stderr_isatty=True, ci=False)
    assert "nothing piped in" in fails(2, "eval", "relu", env=terminal)


def test_internal_errors_exit_1_with_a_hint(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(tables, "values_table", broken)
    message = fails(1, "eval", "relu", "1")
    assert "internal error: RuntimeError: boom" in message and "--debug" in message
    result = run("--debug", "eval", "relu", "1")
    assert result.exit_code == 1 and "Traceback" in result.stderr


def test_every_error_of_actcli_is_bad_input_or_a_failure_while_running():
    import importlib
    import inspect
    import pkgutil

    import actcli
    from actcli.errors import InputError, RunError

    found = set()
    for module in pkgutil.walk_packages(actcli.__path__, "actcli."):
        if module.name == "actcli.__main__":
            continue
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            # (Exceptions not named *Error are signals inside a module: expr.tree.TooLong.)
            if issubclass(cls, Exception) and cls.__module__.startswith("actcli.") \
                    and cls.__name__.endswith("Error"):
                found.add(cls)
    assert {"ExpressionError", "OptionError", "TensorError", "DepthError", "ClusterError"} <= {
        c.__name__ for c in found}
    for cls in found - {InputError, RunError}:
        # Exactly one base, so that the exit status follows from the class.
        assert issubclass(cls, InputError) != issubclass(cls, RunError), cls
    # A depth run's bad input exits 2 and a failed data read 1, as when imported up front.
    assert "layers must be between" in fails(2, "depth", "relu", "--layers", "0")


def test_completion_of_names_and_parameters():
    assert {"sigmoid", "silu"} <= set(options.complete_function("si"))
    assert options.complete_function("leaky_relu:neg") == ["leaky_relu:negative_slope="]
    assert options.complete_function("hardtanh:min_val=-2,ma") == ["hardtanh:min_val=-2,max_val="]


# --- plot -------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_plot_writes_the_named_file(tmp_path):
    target = tmp_path / "out.png"
    result = run("plot", "sigmoid", "--grad", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_bytes().startswith(PNG_SIGNATURE)
    svg = tmp_path / "cmp.svg"
    assert run("plot", "relu", "leaky_relu:negative_slope=0.2", "-3", "3", "-o", str(svg)).exit_code == 0
    assert "leaky_relu (negative_slope=0.2)" in svg.read_text()


def test_plot_image_bytes_to_stdout():
    result = runner.invoke(cli.app, ["plot", "gelu", "-o", "-", "-f", "pdf"])
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"%PDF-")


def test_compare_draws_the_comparison_and_prints_the_values(tmp_path):
    target = tmp_path / "cmp.png"
    table = rows(ok("compare", "relu", "gelu", "-2", "2", "--num", "3", "-o", str(target)))
    assert table[0] == ["x", "relu", "gelu"] and target.read_bytes().startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("args, code, words", [
    (("plot", "sigmoid"), 2, "needs -o FILE"),
    (("plot", "sigmoid", "-o", "out.gif"), 2, ".png, .svg, .pdf"),
    (("plot", "softmax", "-o", "out.png"), 2, "vector function"),
    (("plot", "sigmoid", "-o", "out.png", "--size", "big"), 2, "size"),
    (("plot", "sigmoid", "-o", "missing-dir/out.png"), 1, "does not exist"),
])
def test_plot_errors(tmp_path, monkeypatch, args, code, words):
    monkeypatch.chdir(tmp_path)
    assert words in fails(code, *args)
    assert list(tmp_path.iterdir()) == []  # nothing written on failure


def test_a_path_that_cannot_be_read_is_reported_in_one_wording_by_every_command(tmp_path):
    (tmp_path / "folder.csv").mkdir()
    readers = [("eval", "relu", "-i"), ("grad", "relu", "-i"), ("stats", "relu", "-i"),
               ("plot", "relu", "--term", "--data"), ("plot", "relu", "-o", str(tmp_path / "p.png"),
                                                      "--data")]
    for name, reason in (("none.csv", "no such file or directory"), ("folder.csv", "is a directory")):
        path = str(tmp_path / name)
        for command in readers:
            assert fails(2, *command, path) == f"actcli: error: cannot read {path!r}: {reason}\n"
    # Writing: the same words, from the system's message.
    (tmp_path / "taken.png").mkdir()
    assert fails(1, "plot", "relu", "-o", str(tmp_path / "taken.png")).endswith(": is a directory\n")


# --- depth ------------------------------------------------------------------------------

def test_depth_rows_per_layer_and_verdicts():
    table = rows(ok("depth", "sigmoid", "relu", "--layers", "30", "--width", "64", "--batch", "64",
                    "--init", "xavier"))
    assert table[0][:3] == ["function", "layer", "pre_mean"] and len(table) == 1 + 2 * 30
    assert [r[1] for r in table[1:31]] == [str(n) for n in range(1, 31)]
    summary = {r[0]: r for r in rows(ok("depth", "sigmoid", "relu", "--layers", "30", "--width",
                                         "64", "--batch", "64", "--init", "xavier", "--summary"))[1:]}
    # sigmoid' <= 1/4: through 30 Xavier layers the gradient shrinks by orders of magnitude.
    header = rows(ok("depth", "relu", "--layers", "2", "--summary"))[0]
    assert summary["sigmoid"][1] == "vanishing"
    assert float(summary["sigmoid"][header.index("grad_ratio_log10")]) < -5


def test_depth_negative_bias_kills_relu_units_and_seeds_reproduce():
    def dead(bias: str) -> float:
        table = rows(ok("depth", "relu", "--layers", "5", "--width", "64", "--batch", "64",
                        "--bias", bias, "--summary"))
        return float(table[1][table[0].index("dead_frac")])

    assert dead("-1") > dead("0")
    args = ("depth", "tanh", "--layers", "5", "--width", "32", "--batch", "16", "--seed", "7")
    assert ok(*args) == ok(*args) != ok(*args[:-1], "8")


def test_depth_plot(tmp_path):
    """Per function, one curve in each panel: the gradient norm on a log scale (left) and
    the activation std (right), at the values the same run prints, against the layer."""
    args = ("depth", "relu", "tanh", "--layers", "8", "--width", "32", "--batch", "16")
    target = tmp_path / "depth.svg"
    ok(*args, "-o", str(target))
    assert "gradient norm" in target.read_text()
    table = rows(ok(*args, "-f", "csv"))
    column = {name: i for i, name in enumerate(table[0])}
    expected = {f: [[float(r[column[c]]) for r in table[1:] if r[0] == f] for c in ("grad_log10", "act_std")]
                for f in ("relu", "tanh")}
    curves: dict[str, list[np.ndarray]] = {}
    for colour, dashed, points in svg_lines(target):
        if colour in ("#0072b2", "#d55e00"):
            assert not dashed
            curves.setdefault(colour, []).append(points)
    assert sorted(curves) == ["#0072b2", "#d55e00"]  # relu, tanh: one colour each
    for panel in (0, 1):  # 0: gradient (left, log scale), 1: activation std (right)
        lines = [sorted(curves[c], key=lambda p: p[0, 0])[panel] for c in ("#0072b2", "#d55e00")]
        values = np.concatenate([expected[f][panel] for f in ("relu", "tanh")])
        ys = np.concatenate([line[:, 1] for line in lines])
        for line in lines:  # layers 1..8, evenly spaced
            assert len(line) == 8 and np.allclose(np.diff(line[:, 0]), np.diff(line[:, 0])[0])
        (scale, offset), *_ = np.linalg.lstsq(np.column_stack([values, np.ones_like(values)]), ys, rcond=None)
        assert scale < 0 and np.abs(scale * values + offset - ys).max() < 0.05


@pytest.mark.parametrize("args, words", [
    (("depth", "relu", "--layers", "100000"), "layers must be between"),
    (("depth", "relu", "--init", "bogus"), "unknown init"),
    (("depth", "softmax"), "vector function"),
    (("depth", "relu", "--width", "8192", "--layers", "1000"), "GiB"),
])
def test_depth_errors(args, words):
    assert words in fails(2, *args)


# --- CSV rows in, CSV rows out (see test_pipeline.py for real pipes) --------------------

def piped(*args: str, data: str):
    return runner.invoke(cli.app, list(args), input=data)


def test_csv_rows_get_result_columns_appended():
    result = piped("grad", "relu", data="x,label\n-1, a\n2,b\n")
    assert result.exit_code == 0
    assert result.stdout == "x,label,relu,relu_grad\n-1, a,0.0,0.0\n2,b,2.0,1.0\n"


def test_several_csv_columns_name_each_result_after_its_input_and_order():
    data = "a,b\n-1,2\n3,-4\n0.5,0\n"
    result = piped("grad", "relu", "-c", "a,b", data=data)
    assert result.exit_code == 0
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(records[0]) == ["a", "b", "relu_a", "relu_grad_a", "relu_b", "relu_grad_b"]
    for record in records:
        for column in "ab":
            x = float(record[column])
            assert float(record[f"relu_{column}"]) == max(x, 0.0)
            assert float(record[f"relu_grad_{column}"]) == (1.0 if x > 0 else 0.0)  # PyTorch


def test_csv_options():
    data = "a;b\n1;2\n3;4\n"
    assert piped("eval", "tanh", "-c", "b", "--only", "--name", "t", data=data).stdout == \
        f"t\n{math.tanh(2)!r}\n{math.tanh(4)!r}\n"
    assert piped("eval", "relu", "-c", "2", "-f", "tsv", data="1\t-2\n").stdout == "1\t-2\t0.0\n"
    assert piped("eval", "relu", "--tsv", data="x\n-1\n").stdout == "x\trelu\n-1\t0.0\n"


def test_csv_errors():
    result = piped("eval", "relu", data="a,b\n1,2\n")
    assert result.exit_code == 2 and "'a', 'b'" in result.stderr
    result = piped("eval", "relu", data="x\n1\nfoo\n3\n")
    assert result.exit_code == 1 and result.stdout == "x,relu\n1,1.0\n"
    assert "line 3" in result.stderr and "'foo'" in result.stderr
    skipped = piped("eval", "relu", "--on-error", "skip", data="x\n1\nfoo\n3\n")
    assert skipped.stdout == "x,relu\n1,1.0\n3,3.0\n" and "skipped 1 row" in skipped.stderr
    assert piped("eval", "relu", "--on-error", "nan", data="x\nfoo\n").stdout == "x,relu\nfoo,nan\n"
    assert json.loads(piped("eval", "relu", "-f", "json", data="1\n").stdout) == [
        {"x": 1, "relu": 1.0}]  # CSV in, JSON out
    assert piped("grad", "softmax", data="1,2\n").exit_code == 2
    assert "NUMBERS were given" in piped("eval", "relu", "1", "-c", "x", data="").stderr
    assert piped("eval", "relu", "--name", "a,b", data="1\n").exit_code == 2


def test_input_file_and_dash(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("x\n0.5\n")
    assert ok("eval", "sigmoid", "-i", str(path)) == f"x,sigmoid\n0.5,{1 / (1 + math.exp(-0.5))!r}\n"
    assert piped("eval", "relu", "-i", "-", data="7\n").stdout == "7,7.0\n"
    assert "cannot read" in fails(2, "eval", "relu", "-i", str(tmp_path / "missing.csv"))


def test_jsonl_rows_and_row_wise_softmax():
    result = piped("eval", "softmax", "-c", "a,b", "--jsonl", data='{"a": 0, "b": 0, "id": 7}\n')
    record = json.loads(result.stdout)
    assert record == {"a": 0, "b": 0, "id": 7, "softmax_a": 0.5, "softmax_b": 0.5}


# --- formulas wherever a name goes --------------------------------------------------------

def test_formulas_work_in_every_command(tmp_path):
    table = rows(ok("eval", "x*sigmoid(1.702*x)", "-3", "3", "--num", "3"))
    assert table[0] == ["x", "x*sigmoid(1.702*x)"]
    # x sigmoid(1.702 x) exactly; the formula rounds 1.702 and 1.702 x, a few ulps.
    quick = [float(mpref.reference("quick_gelu", 0, x)) for x in (-3.0, 0.0, 3.0)]
    assert [float(r[1]) for r in table[1:]] == pytest.approx(quick, rel=2e-15)
    mish = rows(ok("grad", "x*tanh(softplus(x))", "0"))
    assert mish[1][1:] == ["0.0", "0.6"]  # mish'(0) = tanh(log 2) = 0.6 exactly
    assert rows(ok("compare", "gelu", "x*sigmoid(1.702*x)", "-1", "1", "--num", "3"))[0] == [
        "x", "gelu", "x*sigmoid(1.702*x)"]
    assert run("plot", "x*tanh(softplus(x))", "mish", "-o", str(tmp_path / "f.svg")).exit_code == 0
    record = json.loads(ok("info", "x/(1+abs(x))", "-f", "json"))
    assert (record["output_range_low"], record["output_range_high"]) == (-1.0, 1.0)
    assert record["max_abs_grad"] == 1.0
    assert "f'(x) = " in record["notes"]
    assert runner.invoke(cli.app, ["eval", "2*x"], input="x\n1.5\n").stdout == "x,2*x\n1.5,3.0\n"
    assert rows(ok("eval", "-x*tanh(x)", "1"))[1][1] == repr(-math.tanh(1))  # leading minus


@pytest.mark.parametrize("formula, words", [
    ("sigmod(x)", "did you mean sigmoid"),
    ("__import__('os')", "unknown name '__import__'"),
    ("x.__class__", "column"),
    ("(lambda: 1)()", "column"),
    ("(" * 5000 + "x" + ")" * 5000, "too long"),
    ("(" * 40 + "x" + ")" * 40, "nest"),
    ("x+" * 2000 + "x", "long"),
])
def test_unsafe_or_bad_formulas_are_refused_in_one_line(formula, words):
    assert words in fails(2, "eval", formula, "1")


def test_an_option_without_its_value_says_so():
    assert "option --num needs a value" in fails(2, "eval", "relu", "-1", "1", "--num")
    assert "option -o needs a value" in fails(2, "plot", "relu", "-o")


def test_no_arguments_shows_the_help_without_an_error_line():
    result = run()
    assert "eval" in result.stdout and "Usage" in result.stdout and result.stderr == ""


def test_table_cells_are_not_rich_markup():
    assert "[tanh:" in ok("info", "gelu", "-f", "table")
    assert "[float32]" in ok("eval", "relu", "1", "--dtype", "float32", "-f", "table")


@pytest.mark.parametrize("token, words", [("1e999", "beyond the largest float"),
                                          ("1_000", "no underscores")])
def test_numbers_are_read_as_in_csv(token, words):
    assert words in fails(2, "eval", "relu", token)


def test_csv_bytes_that_are_not_utf8_pass_through_and_are_shown_escaped():
    result = runner.invoke(cli.app, ["eval", "relu"], input=b"caf\xe9\n1\n")
    assert result.exit_code == 0 and result.stdout_bytes == b"caf\xe9,relu\n1,1.0\n"
    result = runner.invoke(cli.app, ["eval", "relu"], input=b"x\n\xff\n")
    assert result.exit_code == 1 and "'\\xff' is not a number" in result.stderr


# --- issue 17: what a new user tripped over ---------------------------------------------

def test_flags_show_no_type_in_help():
    for command in ("eval", "compare", "depth", "list", "plot", "stats"):
        text = ok(command, "--help")
        assert "<bool>" not in text and "<list[str]>" not in text


def test_help_paragraphs_are_not_broken_where_the_source_breaks_them():
    text = runner.invoke(cli.app, ["--help"], env={"COLUMNS": "200"}).stdout
    assert "shares, output and gradient scale, with a verdict" in text


def test_booleans_are_yes_no_for_people_and_true_false_in_every_machine_format():
    text = ok("info", "gelu", "-f", "table")
    assert re.search(r"│ bounded_below +│ yes +│", text)
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        fields = dict(r for r in rows(ok("info", "gelu", "-f", fmt), delimiter)[1:])
        assert fields["bounded_below"] == "true" and fields["zero_centred"] == "true"
        assert fields["output_range_high_closed"] == "false"
        assert fields["kinks"] == "none"
        summary = rows(ok("compare", "gelu", "--summary", "-f", fmt), delimiter)
        assert dict(zip(*summary))["zero_centred"] == "true"  # one spelling for one value
    assert json.loads(ok("info", "gelu", "-f", "json"))["bounded_below"] is True
    assert json.loads(ok("compare", "gelu", "--summary", "-f", "jsonl"))["zero_centred"] is True
    people = ok("compare", "gelu", "--summary", "-f", "markdown")
    assert "| yes |" in people and "true" not in people and "True" not in people


def test_families_group_functions_of_one_form():
    families = {spec.name: spec.family for spec in actcli.REGISTRY}
    # x * g(x): the input gated by a function of itself.
    self_gated = {"gelu", "silu", "quick_gelu", "mish", "hardswish", "lisht", "serf", "tanhexp",
                  "elish"}
    # act(a) * b on the two halves of a vector: the gated linear units.
    units = {"glu", "swiglu", "geglu", "reglu"}
    assert {families[name] for name in self_gated} == {"self-gated"}
    assert {families[name] for name in units} == {"gated linear unit"}
    assert {name for name, family in families.items() if family in ("self-gated", "gated linear unit")} \
        == self_gated | units
    # Everything in the relu family is 0 (or a constant) on one side, x-like on the other;
    # bent_identity has slopes 1/2 and 3/2 everywhere: an identity, bent.
    assert families["bent_identity"] == families["identity"] == "linear"
    assert {families[name] for name in ("elu", "selu", "celu", "isrlu")} == {"elu"}


def test_parameterised_column_names_are_distinct_identifiers():
    header = rows(ok("compare", "leaky_relu", "leaky_relu:negative_slope=0.2",
                     "leaky_relu:negative_slope=-1e-3", "--grad", "-1", "1", "--num", "3"))[0]
    assert header == ["x", "leaky_relu_grad", "leaky_relu_negative_slope_0p2_grad",
                      "leaky_relu_negative_slope_m0p001_grad"]
    assert all(name.isidentifier() for name in header)


def test_duplicate_output_columns_are_refused():
    assert "more than once" in fails(2, "compare", "relu", "relu")
    assert "more than once" in fails(2, "compare", "relu", "relu", "--summary")
    result = runner.invoke(cli.app, ["eval", "relu"], input="x,relu\n1,5\n")
    assert result.exit_code == 2 and "two columns named 'relu'" in result.stderr
    assert result.stdout == ""
    renamed = runner.invoke(cli.app, ["eval", "relu", "--name", "relu_again"], input="x,relu\n1,5\n")
    assert rows(renamed.stdout) == [["x", "relu", "relu_again"], ["1", "5", "1.0"]]


def test_nan_and_infinities_are_spelt_alike_in_json_and_json_lines():
    from_numbers = json.loads(ok("eval", "exponential", "nan", "-inf", "1000", "-f", "json"))
    assert [r["exponential"] for r in from_numbers] == ["nan", 0.0, "inf"]
    lines = ok("eval", "exponential", "nan", "-inf", "1000", "-f", "jsonl").splitlines()
    streamed = runner.invoke(cli.app, ["eval", "exponential", "--jsonl"],
                             input='{"x": "nan"}\n{"x": "-inf"}\n{"x": 1000}\n')
    assert streamed.exit_code == 0, streamed.stderr
    assert [json.loads(line)["exponential"] for line in streamed.stdout.splitlines()] == \
        [json.loads(line)["exponential"] for line in lines] == ["nan", 0.0, "inf"]


def test_machine_formats_write_every_number_as_a_number_at_full_precision():
    gelu = actcli.get("gelu").properties
    (record,) = json.loads(ok("compare", "gelu", "--summary", "-f", "json"))
    assert record["range_low"] == gelu.output_range.low and record["range_low_closed"] is True
    assert record["range_high"] == "inf" and record["range_high_closed"] is False
    assert record["max_abs_grad_where"] == "x = x1"
    assert record["max_abs_grad_x1"] == gelu.max_abs_grad_x[0]
    assert abs(record["max_abs_grad_x1"] - math.sqrt(2)) < 1e-7  # d/dx gelu peaks at sqrt(2)
    hard = {r[0]: r for r in rows(ok("compare", "hardsigmoid", "relu", "--summary", "-f", "tsv"),
                                  delimiter="\t")}
    assert hard["hardsigmoid"][6:9] == ["x1 < x < x2", "-3.0", "3.0"]
    assert hard["relu"][6:9] == ["x > x1", "0.0", ""]
    info = json.loads(ok("info", "gelu", "-f", "json"))
    assert info["output_range_low"] == gelu.output_range.low
    assert info["max_abs_grad_x"] == [gelu.max_abs_grad_x[0]]
    depth_rows = rows(ok("depth", "sigmoid", "--layers", "30", "--width", "32", "--batch", "32",
                         "--summary", "-f", "csv"))
    fields = dict(zip(depth_rows[0], depth_rows[1]))
    ratio = float(fields["grad_ratio"])
    assert fields["grad_ratio"] == repr(ratio)  # shortest round trip, not 1.9e-15
    assert math.isclose(math.log10(ratio), float(fields["grad_ratio_log10"]), rel_tol=1e-12)


def test_the_largest_slope_is_placed_near_0_and_an_unbounded_one_is_inf():
    (snake,) = json.loads(ok("compare", "snake", "--summary", "-f", "json"))
    assert snake["max_abs_grad"] == 2.0 and snake["max_abs_grad_x1"] == pytest.approx(math.pi / 4)
    fields = dict(rows(ok("info", "gcu", "-f", "csv")))
    assert fields["max_abs_grad"] == "inf" and fields["max_abs_grad_where"] == "|x| -> inf"


def test_csv_input_in_any_output_format():
    data = "x,id\n-1,a\n2.5,b\n"
    as_json = runner.invoke(cli.app, ["eval", "relu", "-f", "json"], input=data)
    assert as_json.exit_code == 0, as_json.stderr
    assert json.loads(as_json.stdout) == [{"x": -1, "id": "a", "relu": 0.0},
                                          {"x": 2.5, "id": "b", "relu": 2.5}]
    as_lines = runner.invoke(cli.app, ["eval", "relu", "-f", "jsonl"], input=data).stdout
    assert [json.loads(line) for line in as_lines.splitlines()] == json.loads(as_json.stdout)
    as_tsv = runner.invoke(cli.app, ["eval", "relu", "-f", "tsv"], input=data).stdout
    assert rows(as_tsv, "\t") == [["x", "id", "relu"], ["-1", "a", "0.0"], ["2.5", "b", "2.5"]]
    for fmt, piece in (("table", "│ 2.5 │ b  │  2.5 │"), ("markdown", "| 2.5 | b | 2.5 |")):
        shown = runner.invoke(cli.app, ["eval", "relu", "-f", fmt], input=data)
        assert shown.exit_code == 0 and piece in shown.stdout, shown.stdout
    headless = runner.invoke(cli.app, ["eval", "relu", "-f", "json"], input="1\n-2\n").stdout
    assert json.loads(headless) == [{"x": 1, "relu": 1.0}, {"x": -2, "relu": 0.0}]


def test_json_lines_input_is_a_flag_and_the_advice_works():
    lines = '{"x": -1, "id": "a"}\n{"x": 2, "id": "b"}\n'
    result = runner.invoke(cli.app, ["eval", "relu", "--jsonl", "-f", "csv"], input=lines)
    assert rows(result.stdout) == [["x", "id", "relu"], ["-1", "a", "0.0"], ["2", "b", "2.0"]]
    advice = runner.invoke(cli.app, ["eval", "relu"], input=lines)
    assert advice.exit_code == 2 and "--jsonl" in advice.stderr
    followed = runner.invoke(cli.app, ["eval", "relu", "--jsonl"], input=lines)
    assert followed.stdout.splitlines()[0] == '{"x": -1, "id": "a","relu":0.0}'
    wrong = runner.invoke(cli.app, ["eval", "relu", "--jsonl"], input="x\n1\n")
    assert wrong.exit_code == 1 and "leave out --jsonl" in wrong.stderr


# --- issue 17: two numbers as two points ------------------------------------------------

def test_points_takes_two_numbers_as_two_points():
    table = rows(ok("eval", "exponential", "709.78", "710", "--points"))
    assert [r[0] for r in table[1:]] == ["709.78", "710.0"]
    assert float(table[2][1]) == math.inf and math.isfinite(float(table[1][1]))
    table = rows(ok("grad", "relu", "-inf", "inf", "--points"))
    assert table[1:] == [["-inf", "0.0", "0.0"], ["inf", "inf", "1.0"]]
    # Any count works, one and three included.
    assert len(rows(ok("eval", "relu", "2", "--points"))) == 2
    assert len(rows(ok("eval", "relu", "3", "1", "2", "--points"))) == 4


def test_the_infinite_range_error_names_points():
    assert "--points" in fails(2, "eval", "relu", "-inf", "inf")
    assert "--num does not apply" in fails(2, "eval", "relu", "1", "2", "--points", "--num", "3")
    result = runner.invoke(cli.app, ["eval", "relu", "--points"], input="x\n1\n")
    assert result.exit_code == 2 and "--points applies to NUMBERS" in result.stderr


# --- issue 17: ranges in chunks ----------------------------------------------------------

@pytest.mark.parametrize("numbers, options", [
    (("-3", "2"), {"num": 1001}), (("-3", "1e-8"), {"num": 999}),
    (("0.1", "0.7"), {"num": 7777}), (("-1", "3.14159265358979"), {"num": 12345}),
    (("-1e6", "1e6"), {"num": 100_003}), (("1e-300", "3e-300"), {"num": 4099}),
    (("5e-324", "1e-323"), {"num": 513}), (("2", "-1"), {"num": 1}),
    (("-1", "1"), {"step": 0.003}), (("2.5", "-1"), {"step": -0.0007}),
    (("0", "1"), {"step": 1 / 3}), (("-1", "1"), {"step": 1e-4, "dtype": "float32"}),
    (("1", "2", "3", "-4", "5"), {}), (("7", "8"), {"exact": True}),
])
@pytest.mark.parametrize("size", [1, 7, 1000, 1 << 16])
def test_a_range_in_chunks_is_the_whole_range_bit_for_bit(numbers, options, size):
    from actcli.data import grid

    whole = grid.points(numbers, **options)
    pieces = list(grid.chunks(numbers, size=size, **options))
    assert all(1 <= len(p) <= size for p in pieces)
    joined = np.concatenate(pieces)
    assert joined.dtype == whole.dtype
    assert joined.tobytes() == whole.tobytes()


@pytest.mark.parametrize("start, stop, num", [(-1, 3.14159265358979, 12345), (0, math.pi, 101),
                                              (1e-300, 3e-300, 4099), (5e-324, 1e-323, 513)])
def test_ranges_that_are_not_short_decimals_are_numpys_linspace(start, stop, num):
    from actcli.data import grid

    x = grid.points([repr(start), repr(stop)], num=num)
    assert x.tobytes() == np.linspace(start, stop, num).tobytes()


def test_a_streamed_range_writes_what_the_whole_table_writes():
    from actcli.present.render import write_table

    for fmt in ("csv", "tsv", "jsonl"):
        for args in (("gelu", "-3", "1e-8", "--num", "7"), ("exponential", "-800", "800")):
            streamed = ok("grad", *args, "--order", "2", "-f", fmt)
            x = np.array([float(json.loads(line)["x"]) if fmt == "jsonl" else
                          float(line.split("," if fmt == "csv" else "\t")[0])
                          for line in streamed.splitlines()[0 if fmt == "jsonl" else 1:]])
            out = io.StringIO()
            write_table(tables.values_table(resolve(args[0]), x, (0, 1, 2)), fmt, out)
            assert streamed == out.getvalue()


def test_ylim_takes_two_values_negative_ones_too(tmp_path):
    assert "option --ylim needs 2 values" in fails(2, "plot", "relu", "-o", "x.png", "--ylim", "1")
    out = tmp_path / "r.png"
    ok("plot", "relu", "5", "-5", "--ylim", "-2", "-1e-3", "-o", str(out))  # reversed range too
    assert out.stat().st_size > 0


def test_a_table_for_people_refuses_a_huge_range():
    message = fails(2, "eval", "relu", "-1", "1", "--num", "200000", "-f", "table")
    assert "use -f csv" in message
    assert len(rows(ok("eval", "relu", "-1", "1", "--num", "200000"))) == 200001


def test_a_table_for_people_of_piped_rows_has_the_same_limit():
    rows = "x\n" + "1\n" * 100_001
    result = runner.invoke(cli.app, ["eval", "relu", "-f", "table"], input=rows)
    assert result.exit_code == 2 and "use -f csv" in result.stderr


def test_json_of_a_long_range_is_written_a_chunk_at_a_time_and_equals_the_whole():
    """Three chunks of the grid give the bytes of one whole JSON list."""
    from actcli.data import grid
    from actcli.present.render import write_table

    streamed = ok("grad", "tanh", "-3", "3", "--num", "150001", "-f", "json")
    whole = io.StringIO()
    x = grid.points(["-3", "3"], num=150001)
    write_table(tables.values_table(actcli.get("tanh"), x, (0, 1)), "json", whole)
    assert streamed == whole.getvalue()
    assert len(json.loads(streamed)) == 150001


def test_minus_zero_read_from_csv_keeps_its_sign_in_json():
    records = json.loads(runner.invoke(cli.app, ["eval", "relu", "-f", "json"],
                                       input="x\n-0\n3\n").stdout)
    assert math.copysign(1, records[0]["x"]) == -1 and records[1]["x"] == 3


@pytest.mark.parametrize("args, for_people, for_programs", [
    (("compare", "relu", "gelu", "--num", "3"), ["| where |", "| x | relu | gelu |"], []),
    (("compare", "relu", "gelu", "--summary"), ["| range |", "| where |"], ["max_abs_grad_x1"]),
    (("depth", "relu", "--layers", "3", "--width", "8", "--batch", "8", "--summary"),
     ["relu: gradient at layer 1 is"], ["grad_ratio_log10", "explanation"]),
    (("info", "tanh"), ["| saturated_at |"], ["saturated_below"]),
])
def test_markdown_is_for_people_as_the_terminal_table_is(args, for_people, for_programs):
    """One decision for every command: markdown shows what a terminal table shows."""
    markdown = ok(*args, "-f", "markdown")
    for text in for_people:
        assert text in markdown, text
    for name in for_programs:  # a column of the CSV, which markdown shows otherwise
        assert f"| {name} |" not in markdown and name in ok(*args, "-f", "csv"), name


def test_stats_in_markdown_shows_the_tables_people_read():
    result = runner.invoke(cli.app, ["stats", "relu", "-f", "markdown"], input="x\n-1\n2\n3\n")
    assert result.exit_code == 0, result.stderr
    markdown = result.stdout
    assert "| E[f'] |" in markdown and "| median |" in markdown and "relu: " in markdown
    assert "mean_grad" not in markdown


def test_eval_and_grad_refuse_tensor_files_and_binary_input_with_a_pointer(tmp_path):
    """`actcli grad relu -i pre.npy` read the .npy as CSV and quoted binary garbage; a
    text file named junk.npy was taken as CSV (issue 24, item 20)."""
    np.save(tmp_path / "pre.npy", np.arange(4.0))
    (tmp_path / "junk.npy").write_text("x\n1\n2\n")
    for name in ("pre.npy", "junk.npy"):
        message = fails(2, "grad", "relu", "-i", str(tmp_path / name))
        assert "eval and grad read CSV" in message and "actcli stats FN -i" in message
    result = runner.invoke(cli.app, ["eval", "relu"], input=(tmp_path / "pre.npy").read_bytes())
    assert result.exit_code == 2 and "the input is binary" in result.stderr
    assert result.stdout == "" and "\\x" not in result.stderr
