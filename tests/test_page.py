"""The explorer's web page without a browser: `actcli explore ... --html FILE` as a
command (arguments, messages, atomic writes, bad input), the data it embeds (every
number is actcli's, on grids that hold the kinks, 0 and the sliders' exact stops), its
size, and `actcli.explore(...)` / `actcli.get(...)` as notebooks display them.
The page in a real browser: tests/test_page_browser.py.
"""

from __future__ import annotations

import html
import itertools
import math
import os
import re
import shlex
import subprocess
import sys
from decimal import Decimal

import numpy as np
import pytest
from conftest import page_data, subprocess_env
from typer.testing import CliRunner

import actcli
from actcli import cli
from actcli.catalog import REGISTRY, Activation
from actcli.catalog.properties import describe_tails, saturation_bounds
from actcli.catalog.spec import format_param
from actcli.errors import InputError
from actcli.frontend import page as page_module
from actcli.frontend.notebook import activation_html
from actcli.present.plot.figure import PALETTE

runner = CliRunner()
EXAMPLE = ("leaky_relu", "gelu", "elu", "-3", "3")  # the issue's example


def write(tmp_path, *args: str, name: str = "p.html") -> tuple[str, dict]:
    target = tmp_path / name
    result = runner.invoke(cli.app, ["explore", *args, "--html", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"actcli: wrote the page to {target} " \
        f"({target.stat().st_size / 1e6:.2f} MB); open it in a browser\n"
    text = target.read_text(encoding="utf-8")
    return text, page_data(text)


def combos(function: dict) -> list[tuple[dict, dict]]:
    """(parameters, combo) for every combination of a function's slider stops, in the
    page's order (the last slider varies fastest)."""
    sliders = function["sliders"]
    found = []
    for chosen, combo in zip(itertools.product(*(s["values"] for s in sliders)), function["combos"]):
        params = {s["name"]: value if s["choice"] else float(value) for s, value in zip(sliders, chosen)}
        found.append((params, combo))
    assert len(found) == len(function["combos"])
    return found


# --- the command ---------------------------------------------------------------------------

def test_the_issues_example_is_one_small_file_that_asks_for_nothing(tmp_path):
    text, data = write(tmp_path, *EXAMPLE)
    size = len(text.encode())
    assert size < 1_000_000, size  # "well under 2 MB"
    assert [f["name"] for f in data["functions"]] == ["leaky_relu", "gelu", "elu"]
    # No address to fetch: no src or href but fragments and data:, no url(), no import.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?!#|data:)""", text, re.I)
    assert not re.search(r"url\((?!#)|@import|fetch\(|XMLHttpRequest|<link\b", text)
    assert "default-src 'none'" in text  # and the browser is told to refuse any request


def test_the_page_goes_to_stdout_with_a_dash():
    result = runner.invoke(cli.app, ["explore", "relu", "--html", "-"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
    assert re.fullmatch(r"actcli: wrote the page to stdout \(0\.\d\d MB\)\n", result.stderr)
    assert [f["name"] for f in page_data(result.stdout)["functions"]] == ["relu"]


def test_a_real_process_needs_no_terminal_for_the_page(tmp_path):
    command = [sys.executable, "-m", "actcli", "explore", "gelu", "-2", "2", "--html"]
    piped = subprocess.run([*command, "-"], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                           env=subprocess_env(), timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == actcli.explore("gelu", start=-2, stop=2).html
    assert piped.stderr.startswith("actcli: wrote the page to stdout") and piped.stderr.count("\n") == 1
    refused = subprocess.run([*command, str(tmp_path / "no" / "p.html")], capture_output=True,
                             text=True, stdin=subprocess.DEVNULL, env=subprocess_env(), timeout=120)
    assert refused.returncode == 1 and refused.stdout == "" and refused.stderr.count("\n") == 1
    assert "Traceback" not in refused.stderr and not (tmp_path / "no").exists()


def test_the_page_takes_the_arguments_of_explore(tmp_path):
    _, data = write(tmp_path, "LeakyReLU:negative_slope=0.137", "x*sigmoid(1.702*x)",
                    "gelu:approximate=tanh", "2", "-1", "--grad2", "--dtype", "float32")
    assert (data["start"], data["stop"], data["grad2"], data["dtype"]) == (-1, 2, True, "float32")
    leaky, formula, gelu = data["functions"]
    slider = leaky["sliders"][0]
    assert slider["values"][slider["start"]] == "0.137"  # the value asked for is a stop
    assert formula["name"] == "x*sigmoid(1.702*x)" and formula["sliders"] == []
    assert gelu["sliders"][0]["values"][gelu["sliders"][0]["start"]] == "tanh"
    x = data["arrays"][data["x"]]
    assert x.dtype == np.float32
    combo = leaky["combos"][slider["start"]]
    assert combo["word"] == "leaky_relu:negative_slope=0.137"
    expected = actcli.get("leaky_relu", negative_slope=0.137).d2f(x)
    assert expected.dtype == np.float32
    np.testing.assert_array_equal(data["arrays"][combo["curves"][2]], expected)


def test_the_default_functions_are_those_of_the_terminal_explorer(tmp_path):
    _, data = write(tmp_path)
    assert [f["name"] for f in data["functions"]] == ["relu", "sigmoid", "tanh"]
    assert (data["start"], data["stop"]) == (-5, 5)


@pytest.mark.parametrize("args, message", [
    (("softmax",), "softmax is a vector function"),
    (("relu", "relu"), "relu given more than once"),
    (("relu", "1", "1"), "the range is empty"),
    (("sigmod",), "did you mean sigmoid"),
    (("leaky_relu:negative_slope=x",), "negative_slope='x' is not a number"),
])
def test_bad_input_is_one_line_exit_2_and_no_file(tmp_path, args, message):
    target = tmp_path / "p.html"
    result = runner.invoke(cli.app, ["explore", *args, "--html", str(target)])
    assert result.exit_code == 2, result.stderr
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith("actcli: error: ") and message in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("where, message", [
    ("missing/p.html", "does not exist"),
    ("file.txt/p.html", "is not a directory"),
    ("folder", "is a directory"),
])
def test_an_unwritable_path_is_one_line_exit_1_and_nothing_half_written(tmp_path, where, message):
    (tmp_path / "file.txt").write_text("keep")
    (tmp_path / "folder").mkdir()
    result = runner.invoke(cli.app, ["explore", "relu", "--html", str(tmp_path / where)])
    assert result.exit_code == 1, result.stderr
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith("actcli: error: cannot write") and message in result.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["file.txt", "folder"]
    assert (tmp_path / "file.txt").read_text() == "keep"


def test_a_write_that_fails_leaves_the_old_page_whole(tmp_path, monkeypatch):
    target = tmp_path / "p.html"
    target.write_text("the old page")

    def disk_full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    result = runner.invoke(cli.app, ["explore", "relu", "--html", str(target)])
    assert result.exit_code == 1 and "no space left on device" in result.stderr
    assert target.read_text() == "the old page"
    assert [p.name for p in tmp_path.iterdir()] == ["p.html"]  # no temporary file either


# --- one source for every number --------------------------------------------------------------

def test_every_value_is_actclis_at_every_cursor_and_slider_position(tmp_path):
    _, data = write(tmp_path, *EXAMPLE, "--grad2")
    x = data["arrays"][data["x"]]
    checked = 0
    for function in data["functions"]:
        for params, combo in combos(function):
            act = actcli.get(function["name"], **params)
            f, df = act.value_and_grad(x)  # what `actcli grad` prints
            for order, expected in enumerate((f, df, act.d2f(x))):
                np.testing.assert_array_equal(data["arrays"][combo["curves"][order]], expected)
                checked += 1
    assert checked == 3 * (31 + 2 + 21)


def test_the_x_grid_is_exact_decimals_with_zero_the_ends_and_every_kink(tmp_path):
    _, data = write(tmp_path, "hardshrink", "relu6", "smelu", "hardtanh:min_val=-0.137",
                    "-1.05", "7")
    x = data["arrays"][data["x"]].tolist()
    assert x == sorted(set(x)) and x[0] == -1.05 and x[-1] == 7 and 0.0 in x
    assert 160 <= len(x) <= 460
    step = 0.02  # the 1-2-5 step that gives at most 400 intervals on 8.05
    assert all(len(repr(v)) <= 6 for v in x), [v for v in x if len(repr(v)) > 6]
    on_step = [v for v in x if abs(v / step - round(v / step)) < 1e-9]
    assert len(on_step) == len(range(-52, 351))  # -1.04, -1.02, ..., 7
    kinks = {k for f in data["functions"] for _, c in combos(f) for k in c.get("kinks", [])}
    assert {-0.5, 0.5, 6.0, 2.0, 3.8} <= kinks  # smelu's at +beta for every stop of beta
    assert -0.137 in kinks  # off the step's multiples: the cursor can stand on it too
    assert all(-1.05 <= k <= 7 for k in kinks)
    assert kinks <= set(x)
    assert max(abs(a - b) for a, b in zip(x, x[1:])) <= step + 1e-12
    # The cursor starts at 0; Shift steps between multiples of ten steps.
    assert x[data["cursor"]] == 0.0
    majors = [x[i] for i in data["major"]]
    assert majors[0] == -1.05 and majors[-1] == 7 and -1.0 in majors and 0.2 in majors
    assert all(Decimal(repr(v)) % Decimal("0.2") == 0 for v in majors[1:-1])


def test_the_cursor_starts_in_the_middle_when_zero_is_out_of_range(tmp_path):
    _, data = write(tmp_path, "relu", "1", "2")
    x = data["arrays"][data["x"]]
    assert x[data["cursor"]] == 1.5 and 0.0 not in x


def test_at_kinks_the_page_holds_the_catalogs_convention(tmp_path):
    _, data = write(tmp_path, "relu", "leaky_relu", "binary_step", "-2", "2")
    x = data["arrays"][data["x"]].tolist()
    at = x.index(0.0)
    relu, leaky, step = data["functions"]
    relu_combo = relu["combos"][0]
    assert data["arrays"][relu_combo["curves"][1]][at] == 0.0  # relu'(0) = 0, as PyTorch
    assert data["arrays"][relu_combo["curves"][1]][at + 1] == 1.0
    leaky_combo = leaky["combos"][leaky["sliders"][0]["start"]]
    assert data["arrays"][leaky_combo["curves"][1]][at] == 0.01  # the negative branch
    # Jumps: [order, x, value at the kink, left limit, right limit, circled limits].
    assert relu_combo["jumps"] == [[1, 0.0, 0.0, 0.0, 1.0, [1.0]]]
    assert leaky_combo["jumps"] == [[1, 0.0, 0.01, 0.01, 1.0, [1.0]]]
    default_step = step["combos"][step["sliders"][0]["start"]]
    assert [0, 0.0, 1.0, 0.0, 1.0, [0.0]] in default_step["jumps"]  # heaviside(0) = 1
    assert relu["kinkRule"] == actcli.spec("relu").kink_rule
    assert relu["headings"] == ["relu(x)", "relu'(x)", "relu''(x)"]


def test_dead_and_saturated_regions_are_the_catalogs(tmp_path):
    _, data = write(tmp_path, "relu", "leaky_relu", "hardtanh", "tanh", "gelu", "-5", "5")
    relu, leaky, hardtanh, tanh, gelu = data["functions"]
    assert relu["combos"][0]["dead"] == [[-5.0, 0.0]]  # relu'(0) = 0: 0 is dead too
    assert relu["combos"][0]["saturated"] == []  # a flat tail at 0 is dead, not saturated
    for params, combo in combos(leaky):  # a small slope is neither
        assert combo["dead"] == ([[-5.0, 0.0]] if params["negative_slope"] == 0 else [])
        assert combo["saturated"] == []
    default = hardtanh["combos"][[c.get("word") for c in hardtanh["combos"]].index("hardtanh")]
    assert default["dead"] == [[-5.0, -1.0], [1.0, 5.0]] and default["saturated"] == []
    low, high = saturation_bounds(actcli.get("tanh"))
    assert 2 < high < 2.5 and low == -high  # |tanh'| < 5% of its largest beyond +-2.18...
    (only,) = tanh["combos"]
    assert only["dead"] == [] and only["saturated"] == [[-5.0, low], [high, 5.0]]
    assert only["tails"] == describe_tails((low, high))
    (exact, _) = gelu["combos"]  # gelu's dip near -0.75 (f' = 0 there) is no tail
    assert exact["saturated"] == [[-5.0, saturation_bounds(actcli.get("gelu"))[0]]]
    assert exact["saturated"][0][1] < -2


# --- the sliders -------------------------------------------------------------------------------

ELEMENTWISE_WITH_PARAMETERS = [s.name for s in REGISTRY if s.kind == "elementwise" and s.params]


def test_every_numeric_parameter_of_the_catalog_has_a_chosen_span():
    wanted = {f"{s.name}.{p.name}" for s in REGISTRY if s.kind == "elementwise" for p in s.params
              if not p.choices}
    assert wanted == set(page_module.SPANS)


@pytest.mark.parametrize("name", ELEMENTWISE_WITH_PARAMETERS)
def test_every_parameter_has_a_sensible_grid_within_budget(name):
    act = actcli.get(name)
    sliders, bound = page_module._combinations(act)
    assert len(bound) <= 64, len(bound)
    for param, slider in zip(act.spec.params, sliders):
        values = slider["values"]
        assert values[slider["start"]] == format_param(param.default)
        if param.choices:
            assert values == list(param.choices)
            continue
        numbers = [float(v) for v in values]
        assert numbers == sorted(set(numbers)) and len(numbers) >= 3
        for value, text in zip(numbers, values):
            param.coerce(value)  # in the catalog's range
            # exact decimals: short, except the catalog's own default (1/3, 0.8944)
            assert len(text) <= 5 or value == param.default, text
    refused = [b for b in bound if not isinstance(b, Activation)]  # (hardtanh's min_val = max_val)
    assert len(refused) <= 0.1 * len(bound), refused


@pytest.mark.parametrize("name, param, wanted", [
    ("leaky_relu", "negative_slope", {"0.01", "0.15", "0.2", "0.3"}),  # PyTorch, Keras 3 and its layer
    ("prelu", "weight", {"0", "0.25"}),  # Keras' and PyTorch's initial slopes
    ("softplus", "threshold", {"20", "inf"}),  # PyTorch's, and none
    ("sine", "w0", {"1", "30"}),  # SIREN's
    ("silu", "beta", {"1", "1.702"}),  # quick_gelu's
    ("squareplus", "b", {"4"}),  # JAX's
    ("softshrink", "lambd", {"0.5"}),
    ("hardtanh", "max_val", {"1", "6"}),  # relu6
])
def test_the_common_framework_values_are_stops(name, param, wanted):
    sliders, _ = page_module._combinations(actcli.get(name))
    values = next(s["values"] for s in sliders if s["name"] == param)
    assert wanted <= set(values), values


def test_a_combination_the_catalog_refuses_holds_its_message(tmp_path):
    _, data = write(tmp_path, "hardtanh")
    (function,) = data["functions"]
    refused = [(params, c) for params, c in combos(function) if "error" in c]
    assert [params for params, _ in refused] == [{"min_val": 0.0, "max_val": 0.0}]
    with pytest.raises(InputError) as error:
        actcli.get("hardtanh", min_val=0, max_val=0)
    assert refused[0][1]["error"] == str(error.value)


def test_pages_of_two_parameter_functions_stay_small(tmp_path):
    for name in ("hardtanh", "threshold", "rrelu", "star_relu", "softplus"):
        text = actcli.explore(name).html
        assert len(text.encode()) < 800_000, (name, len(text))


# --- what the page shows besides the curves -----------------------------------------------------

def test_legend_properties_and_command_follow_the_sliders(tmp_path):
    _, data = write(tmp_path, *EXAMPLE)
    leaky = data["functions"][0]
    stops = leaky["sliders"][0]["values"]
    combo = leaky["combos"][stops.index("0.15")]
    assert combo["label"] == "leaky_relu (negative_slope=0.15)"
    assert combo["word"] == "leaky_relu:negative_slope=0.15"
    info = "\n".join(data["lines"][i] for i in combo["info"])
    assert "<caption>leaky_relu(negative_slope=0.15)</caption>" in info
    assert "<tr><td>parameter negative_slope</td><td>0.15 (default 0.01;" in info
    assert leaky["colour"] == PALETTE[0] and data["functions"][2]["colour"] == PALETTE[2]


def test_the_command_box_is_a_command_that_draws_the_plot(tmp_path, monkeypatch):
    _, data = write(tmp_path, *EXAMPLE)
    words = [data["command"]["before"]]
    words += [f["combos"][f["sliders"][0]["start"]]["word"] for f in data["functions"]]
    words.append(data["command"]["after"][3])  # f' and f'' shown
    command = " ".join(words)
    assert command == "actcli plot leaky_relu gelu elu -3 3 --grad --grad2 -o actcli-explore.png"
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.app, shlex.split(command)[1:])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "actcli-explore.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_y_range_holds_every_stop_and_its_ticks_are_round(tmp_path):
    _, data = write(tmp_path, "elu", "-3", "3")
    (elu,) = data["functions"]
    lowest = min(float(data["arrays"][c["curves"][0]].min()) for _, c in combos(elu))
    assert lowest == pytest.approx(2 * math.expm1(-3))  # alpha = 2 at x = -3
    for view in data["views"]:
        assert view["low"] < lowest
        for ticks in view["ticks"]:
            assert all(view["low"] <= v <= view["high"] and text == format_param(v) for v, text in ticks)


# --- in notebooks -------------------------------------------------------------------------------

def test_actcli_explore_is_the_page_of_the_command(tmp_path):
    page = actcli.explore("relu", "gelu", start=-3, stop=3)
    result = runner.invoke(cli.app, ["explore", "relu", "gelu", "-3", "3", "--html", "-"])
    assert page.html == result.stdout
    assert repr(page).startswith("<actcli explore: relu, gelu (0.")
    frame = page._repr_html_()
    srcdoc = re.fullmatch(r'<iframe srcdoc="([^"]*)" title="actcli explore: relu, gelu" '
                          r'style="[^"]*"></iframe>', frame)
    assert srcdoc and html.unescape(srcdoc[1]) == page.html
    page.save(tmp_path / "page.html")
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == page.html


def test_actcli_explore_checks_its_input_as_the_command_does():
    with pytest.raises(InputError, match="vector function"):
        actcli.explore("softmax")
    with pytest.raises(InputError, match="range is empty"):
        actcli.explore("relu", start=1, stop=1)
    assert [f["name"] for f in page_data(actcli.explore().html)["functions"]] == \
        ["relu", "sigmoid", "tanh"]


def test_actcli_explore_stays_the_function_when_the_terminal_explorer_is_imported():
    import actcli.tui.app  # the terminal explorer's package has a name of its own

    assert actcli.tui.app.ExploreApp
    assert callable(actcli.explore) and actcli.explore.__module__ == "actcli"
    assert isinstance(actcli.explore("relu"), page_module.Page)


def test_an_activation_in_a_notebook_is_its_plot_formula_and_info_table():
    shown = activation_html(actcli.get("gelu"))
    svg = shown[shown.index("<svg"):shown.index("</svg>")]
    assert PALETTE[0].lower() in svg.lower()  # the PNG's colours
    assert "stroke-dasharray" in svg  # f' dashed
    assert "$$" + html.escape(actcli.spec("gelu").latex) + "$$" in shown
    assert "<caption>gelu</caption>" in shown and "<td>max_abs_grad</td>" in shown
    vector = activation_html(actcli.get("softmax"))
    assert "<svg" not in vector and "<caption>softmax</caption>" in vector


def test_import_actcli_outside_ipython_loads_no_front_end():
    code = ("import sys, actcli; "
            "assert not [m for m in sys.modules if m.startswith(('actcli.frontend', 'IPython'))]")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, env=subprocess_env())
