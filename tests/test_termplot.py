"""The plot in characters (actcli.present.termplot) and `actcli plot` without -o: on a
pseudo-terminal, piped with --term, and piped without it."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import subprocess_env
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import actcli
from actcli.present.plot import figure, functions
from actcli.cli import app
from actcli.present import termplot

BRAILLE = re.compile("[\u2801-\u28ff]")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def dots(drawn: termplot.TermPlot) -> set[tuple[int, int]]:
    """Every braille dot of the plot as (dot row, dot column) over the whole text."""
    found = set()
    for row, line in enumerate(drawn.plain().splitlines()):
        for column, char in enumerate(line):
            bits = ord(char) - 0x2800
            if 0 < bits <= 0xFF:
                for (r, c), bit in np.ndenumerate(termplot._DOT_BITS):
                    if bits & int(bit):
                        found.add((4 * row + r, 2 * column + c))
    return found


# --- the renderer --------------------------------------------------------------------------

def test_a_line_goes_from_corner_to_corner():
    x = np.array([1.0, 2.0])  # a range without 0: no zero lines
    drawn = termplot.TermPlot([termplot.Curve(x, x, "#0072B2")], (1.0, 2.0), (1.0, 2.0),
                              width=40, height=12)
    lines = drawn.plain().splitlines()
    assert len(lines) == 12 and max(map(len, lines)) <= 40
    found = dots(drawn)
    top, bottom = min(r for r, _ in found), max(r for r, _ in found)
    gutter = re.search("[│┤]", lines[0]).end()  # tick labels and the y axis
    plot_rows = 12 - 2  # under them: the x axis and its labels
    right = 40 - 1  # one column is left free for the last x label
    assert (top, max(c for r, c in found if r == top)) == (0, 2 * right - 1)
    assert (bottom, min(c for r, c in found if r == bottom)) == (4 * plot_rows - 1, 2 * gutter)


def test_dashed_and_dotted_lines_have_gaps_and_solid_has_none():
    x = np.linspace(1, 2, 50)  # a range without 0: no zero lines
    counts = {}
    for style in termplot.STYLES:
        drawn = termplot.TermPlot([termplot.Curve(x, np.full_like(x, 1.5), "#000000", style)],
                                  (1.0, 2.0), (1.0, 2.0), width=60, height=10)
        counts[style] = len(dots(drawn))
    assert counts["solid"] > counts["dashed"] > counts["dotted"] > 0


def test_nan_breaks_the_line():
    x = np.linspace(1, 2, 101)
    y = np.where((x > 1.4) & (x < 1.6), np.nan, 1.5)
    drawn = termplot.TermPlot([termplot.Curve(x, y, "#000000")], (1.0, 2.0), (1.0, 2.0),
                              width=44, height=8)
    columns = sorted(c for _, c in dots(drawn))
    gaps = [b - a for a, b in zip(columns, columns[1:])]
    assert max(gaps) > 10  # a fifth of the 80 dots across is left empty


def test_ticks_are_round_numbers_inside_the_range():
    assert termplot.nice_ticks(-5, 5, 5) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert termplot.nice_ticks(0, 1, 4) == [0.0, 0.5, 1.0]
    assert termplot.nice_ticks(0.1, 0.3, 2) == [0.1, 0.2, 0.3]
    assert termplot.nice_ticks(1, 1, 3) == []


# --- the numbers on the axes, read back from the text ---------------------------------------

def y_labels(text: str) -> list[tuple[int, str]]:
    """(row, label) of each y tick label, rows counted from the top."""
    found = []
    for row, line in enumerate(text.splitlines()):
        if "└" in line:
            break
        if (match := re.match(r" *(\S+)┤", line)) is not None:
            found.append((row, match[1]))
    return found


def x_labels(text: str) -> list[tuple[int, int, str]]:
    """(column of its ┬, start, label) of each x tick label: the label over each tick."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "└" in line)
    ticks = [m.start() for m in re.finditer("┬", lines[at])]
    labels = [(m.start(), m[0]) for m in re.finditer(r"\S+", lines[at + 1])]
    assert len(ticks) == len(labels), lines[at:at + 2]  # each tick labelled, one label a tick
    for tick, (start, label) in zip(ticks, labels):
        assert start <= tick < start + len(label), (tick, start, label)  # the label covers it
    return [(tick, start, label) for tick, (start, label) in zip(ticks, labels)]


def drawn_row(plot: termplot.TermPlot, y: float) -> set[int]:
    """The text rows where a flat curve at y draws dots (without a label: the legend and
    so the rows stay as they are)."""
    x0, x1 = plot.x_range
    line = termplot.Curve(np.array([x0, x1]), np.array([y, y]), "#000000")
    before, after = dots(plot), dots(dataclasses.replace(plot, curves=[line]))
    return {row // 4 for row, _ in after - before}


def drawn_column(plot: termplot.TermPlot, x: float) -> set[int]:
    """The text columns where a vertical line at x draws dots."""
    y0, y1 = plot.y_range
    line = termplot.Curve(np.array([x, x]), np.array([y0, y1]), "#000000")
    before, after = dots(plot), dots(dataclasses.replace(plot, curves=[line]))
    return {column // 2 for _, column in after - before}


def inside(value: float, bounds: tuple[float, float]) -> bool:
    """In the range, or at an end but for rounding."""
    low, high = bounds
    return low - 1e-9 * (high - low) <= value <= high + 1e-9 * (high - low)


@settings(max_examples=100, deadline=None)
# (no round value of the first steps inside -0.045 to -0.005 on 11 columns: one finer tick)
@example(scale=-2, low=-4.5, span=4.0, y_scale=-1, y_low=-1.09375, y_span=0.01, width=20,
         height=6)
@given(scale=st.integers(-8, 12), low=st.floats(-10, 10), span=st.floats(0.01, 20),
       y_scale=st.integers(-8, 12), y_low=st.floats(-10, 10), y_span=st.floats(0.01, 20),
       width=st.integers(termplot.MIN_WIDTH, 160), height=st.integers(termplot.MIN_HEIGHT, 50))
def test_tick_labels_sit_at_their_values_and_tell_neighbours_apart(
        scale, low, span, y_scale, y_low, y_span, width, height):
    x_range = (low * 10.0**scale, (low + span) * 10.0**scale)
    y_range = (y_low * 10.0**y_scale, (y_low + y_span) * 10.0**y_scale)
    plot = termplot.TermPlot([], x_range, y_range, width, height)
    text = plot.plain()
    assert max(map(len, text.splitlines())) <= width

    rows = y_labels(text)
    plot_rows = next(i for i, line in enumerate(text.splitlines()) if "└" in line)
    assert len(rows) >= 2 or plot_rows < 16  # a scale: two labels at least, where there is room
    values = [float(label) for _, label in rows]
    assert all(a > b for a, b in zip(values, values[1:]))  # distinct, falling down the axis
    assert all(abs(a - b) >= 2 for (a, _), (b, _) in zip(rows, rows[1:]))  # a row between
    for (row, label), value in zip(rows, values):
        assert inside(value, y_range), label
        assert drawn_row(plot, value) == {row}, label  # a curve at that value is on its row

    columns = x_labels(text)
    assert columns, text.splitlines()[-2:]
    values = [float(label) for _, _, label in columns]
    assert all(a < b for a, b in zip(values, values[1:]))
    for (tick, _, label), value in zip(columns, values):
        assert inside(value, x_range), label
        assert drawn_column(plot, value) == {tick}, label


@pytest.mark.parametrize("low, high, y, x", [
    (-20, 20, ["-20", "-10", "0", "10", "20"], None),  # not 2e+01
    (0, 100, ["0", "50", "100"], ["0", "20", "40", "60", "80", "100"]),  # not 50 beside 1e+02
    (0, 0.003, ["0", "0.001", "0.002", "0.003"], None),
    (-1, 1, ["-1", "-0.5", "0", "0.5", "1"], None),
    (0, 3e7, ["0", "1e7", "2e7", "3e7"], None),
    (-2e-5, 2e-5, ["-2e-5", "-1e-5", "0", "1e-5", "2e-5"], None),
    (1e6, 1.003e6, ["1e6", "1.001e6", "1.002e6", "1.003e6"], None),
])
def test_ordinary_ranges_are_labelled_as_written(low, high, y, x):
    plot = termplot.TermPlot([], (-1.0, 1.0), (low, high), 60, 14)
    assert [label for _, label in y_labels(plot.plain())][::-1] == y
    plot = termplot.TermPlot([], (low, high), (-1.0, 1.0), 70, 10)
    assert [label for _, _, label in x_labels(plot.plain())] == (x or y)


def test_a_side_of_zero_with_room_for_a_label_gets_one():
    # The explorer's relu, sigmoid and tanh: y from about -1.2 to 5.4; ticks 0, 2, 4
    # would leave the negative side, a fifth of the axis, without a number.
    drawn = termplot.function_plot([actcli.get(n) for n in ("relu", "sigmoid", "tanh")],
                                   width=90, height=20)
    assert drawn.y_range[0] < -1
    assert "-1" in [label for _, label in y_labels(drawn.plain())]
    # A margin below 0 (relu alone) is no side worth a label.
    drawn = termplot.function_plot([actcli.get("relu")], width=90, height=24)
    assert min(float(label) for _, label in y_labels(drawn.plain())) == 0


# --- the legend ----------------------------------------------------------------------------

def legend_of(drawn: termplot.TermPlot) -> list[str]:
    lines = drawn.plain().splitlines()
    at = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[at + 2:]




@pytest.mark.parametrize("width, height", [(20, 6), (20, 12), (30, 9), (40, 14), (40, 24),
                                           (60, 10), (80, 24)])
def test_every_legend_entry_is_shown_or_counted_and_no_word_is_cut(width, height):
    acts = [actcli.get("gelu"), actcli.get("leaky_relu", negative_slope=0.2), actcli.get("relu")]
    drawn = termplot.function_plot(acts, -3, 3, grad=True, width=width, height=height)
    legend = legend_of(drawn)
    assert max(map(len, legend)) <= width and len(drawn.plain().splitlines()) == height
    words = " ".join(legend).split()
    more = 0
    if words[-1] == "more":  # "+N more": the N entries that did not fit
        more, words = int(words[-2].lstrip("+")), words[:-2]
    entries = [[{"solid": "──", "dashed": "╌╌"}[c.style], *c.label.split()] for c in drawn.curves]
    entries += [["●", "value", "at", "the", "jump", "(PyTorch)"], ["○", "one-sided", "limit"]]
    shown = sum(word in ("──", "╌╌", "●", "○") for word in words)  # each entry starts with one
    assert shown + more == len(entries), legend
    expected = [word for entry in entries[:shown] for word in entry]
    assert len(words) == len(expected), legend
    for word, whole in zip(words, expected):  # in order, each word whole or with an ellipsis
        assert word == whole or (word.endswith("…") and whole.startswith(word[:-1])), (word, whole)
    if width >= 40:
        assert "…" not in " ".join(words)


def test_the_smallest_plot_says_how_many_entries_it_leaves_out():
    result = CliRunner().invoke(app, ["plot", "relu", "leaky_relu:negative_slope=0.2", "--grad",
                                      "--term", "--width", "20", "--height", "6"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "── relu   +5 more"


def test_the_plot_is_exactly_the_size_asked_for():
    for width, height in ((20, 6), (80, 24), (157, 50)):
        drawn = termplot.function_plot([actcli.get("relu"), actcli.get("gelu")], grad=True,
                                       width=width, height=height)
        lines = drawn.plain().splitlines()
        assert len(lines) == height
        assert max(len(line) for line in lines) <= width


def test_full_height_is_the_height_that_keeps_the_whole_legend():
    acts = [actcli.get(name) for name in ("relu", "sigmoid", "tanh")]
    drawn = termplot.function_plot(acts, grad=True, width=60, height=0)
    labels = ["d/dx relu", "sigmoid", "d/dx sigmoid", "tanh", "d/dx tanh", "one-sided limit"]
    # 3 legend lines at 60 columns: relu's and sigmoid's, tanh's, the key of the jump marks
    assert drawn.full_height() == 3 + 2 + 3  # + the x axis and its labels, 3 rows of curves
    whole = dataclasses.replace(drawn, height=drawn.full_height()).plain()
    assert all(label in whole for label in labels) and whole.count("\n") + 1 == 8
    cut = dataclasses.replace(drawn, height=drawn.full_height() - 1).plain()
    assert not all(label in cut for label in labels)


def test_function_plot_uses_the_png_plots_colours_labels_and_limits():
    acts = [actcli.get("leaky_relu", negative_slope=0.2), actcli.get("tanh")]
    drawn = termplot.function_plot(acts, -3, 3, grad=True, width=100, height=30)
    assert [c.colour for c in drawn.curves] == [figure.PALETTE[0]] * 2 + [figure.PALETTE[1]] * 2
    assert [c.style for c in drawn.curves] == ["solid", "dashed"] * 2
    assert [c.label for c in drawn.curves] == [
        "leaky_relu (negative_slope=0.2)", "d/dx leaky_relu (negative_slope=0.2)",
        "tanh", "d/dx tanh"]
    _, limits = functions.function_curves(acts, -3, 3, grad=True)
    assert drawn.y_range == limits
    text = drawn.plain()
    assert "── leaky_relu (negative_slope=0.2)" in text and "╌╌ d/dx tanh" in text


def test_a_jump_is_marked_with_the_value_and_the_limit():
    # relu'(0) = 0 (PyTorch) between the one-sided limits 0 and 1.
    drawn = termplot.function_plot([actcli.get("relu")], -1, 1, grad=True, width=60, height=20)
    assert [(m.x, m.y, m.filled) for m in drawn.marks] == [(0.0, 0.0, True), (0.0, 1.0, False)]
    text = drawn.plain()
    assert "●" in text and "○" in text and "value at the jump (PyTorch)" in text


def test_the_cursor_is_a_vertical_line():
    drawn = termplot.function_plot([actcli.get("sigmoid")], -5, 5, width=60, height=20,
                                   cursor=-2.5)
    lines = drawn.plain().splitlines()[:16]
    columns = {m.start() for line in lines
               for m in re.finditer("│", line[re.search("[│┤]", line).end():])}
    # -2.5 is a quarter of the way from -5 to 5 across the 55 columns of curves.
    (column,) = columns
    assert abs(column - 55 / 4) <= 1


@settings(max_examples=60, deadline=None)
@given(low=st.floats(0.5, 100), span=st.floats(0.1, 100), share=st.sampled_from([0.0, 0.37, 1.0]),
       width=st.integers(termplot.MIN_WIDTH, 120), height=st.integers(termplot.MIN_HEIGHT, 30))
def test_the_cursor_is_drawn_at_either_end_of_the_range_too(low, span, share, width, height):
    # The explorer's cursor stops on the ends (x = 0 on a range from 0): it must show there.
    x_range = (low, low + span)  # ranges without 0: no zero lines
    cursor = x_range[1] if share == 1.0 else low + share * span
    plot = termplot.TermPlot([], x_range, (1.0, 2.0), width, height, cursor=cursor)
    text = plot.plain()
    body = text.splitlines()[:next(i for i, line in enumerate(text.splitlines()) if "└" in line)]
    cells = [line[re.search("[│┤]", line).end():] for line in body]
    columns = {i for line in cells for i, char in enumerate(line) if char == "│"}
    assert len(columns) == 1, text  # one line, the whole height of the plot
    (column,) = columns
    assert all(line[column] == "│" for line in cells), text
    assert drawn_column(plot, cursor) == {column + len(body[0]) - len(cells[0])}


def coloured_cells(drawn: termplot.TermPlot, colour: str) -> int:
    """How many characters of the plot are drawn in `colour`."""
    return sum(span.end - span.start for line in drawn.lines() for span in line.spans
               if str(span.style) == colour)


def test_the_selected_function_is_marked_in_the_legend_and_drawn_on_top():
    # relu and leaky_relu share the line x > 0: the cells there show one colour.
    acts = [actcli.get("relu"), actcli.get("leaky_relu", negative_slope=0.2)]
    drawn = termplot.function_plot(acts, -1, 1, grad=True, width=60, height=20)
    assert "▶" not in drawn.plain()
    second = dataclasses.replace(drawn, selected=1)
    legend = second.plain().splitlines()[-3:]
    assert "▶ ── leaky_relu (negative_slope=0.2)" in "\n".join(legend)
    assert second.plain().count("▶") == 1
    assert coloured_cells(second, figure.PALETTE[1]) > coloured_cells(drawn, figure.PALETTE[1])
    assert coloured_cells(second, figure.PALETTE[0]) < coloured_cells(drawn, figure.PALETTE[0])


def plot_area(text: str) -> list[str]:
    """The lines of the plot area, right of the y axis and above the x axis."""
    lines = text.splitlines()
    rows = next(i for i, line in enumerate(lines) if "└" in line)
    return [line[re.search("[│┤]", line).end():] for line in lines[:rows]]


def test_the_histogram_of_data_stands_behind_the_curves():
    from actcli.analysis.stats import Accumulator

    summary = Accumulator(["relu"])
    rng = np.random.default_rng(3)  # three times as dense on [-1.5, -0.5] as on [1, 2]
    summary.add(np.concatenate([rng.uniform(-1.5, -0.5, 30_000), rng.uniform(1.0, 2.0, 10_000)]))
    drawn = termplot.data_plot([actcli.get("relu")], summary, -2.0, 3.0, data_name="pre.npy",
                               width=60, height=20)
    text = drawn.plain()  # without colour the columns are ░
    legend = "\n".join(text.splitlines()[-3:])
    assert "density of pre.npy (40,000 values)" in legend and "relu: 75.0% dead (f′ = 0)" in legend
    assert dots(drawn)  # the curve over the columns
    area = plot_area(text)
    x = -2.0 + (np.arange(len(area[0])) + 0.5) / len(area[0]) * 5.0  # each column's middle
    heights = np.array([sum(line[c] == "░" for line in area) for c in range(len(area[0]))])
    assert not heights[(x < -1.6) | ((x > -0.4) & (x < 0.9)) | (x > 2.1)].any()  # no data there
    # The denser block reaches the top but for the headroom (1/1.08); the other, a third.
    dense, sparse = np.median(heights[(x > -1.4) & (x < -0.6)]), np.median(heights[(x > 1.1) & (x < 1.9)])
    assert 0.8 * len(area) / 1.08 <= dense <= len(area) / 1.08  # (summary.density is within ±15%)
    assert abs(sparse - dense / 3) <= 1.5

    # In colour: a background under the braille and the blank cells, eighths at the top.
    coloured = drawn.lines(shade=False)
    assert "░" not in "".join(line.plain for line in coloured)
    assert any("on grey30" in str(span.style) for line in coloured for span in line.spans)
    assert any(c in line.plain for line in coloured for c in "▁▂▃▄▅▆▇")


def test_the_range_of_a_data_plot_defaults_to_the_datas():
    from actcli.analysis.stats import Accumulator

    summary = Accumulator(["tanh"])
    summary.add(np.linspace(-4.0, -1.0, 10_001))
    drawn = termplot.data_plot([actcli.get("tanh")], summary, width=60, height=20)
    low, high = drawn.x_range
    assert low == pytest.approx(-3.985, abs=0.02) and high == 0.0  # 0.5% percentile, and 0
    assert "tanh: " in drawn.plain() and "saturated" in drawn.plain()


# --- `actcli plot` without -o -------------------------------------------------------------

def run_in_terminal(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """COMMAND in a 100x30 pseudo-terminal made by script(1)."""
    if shutil.which("script") is None:
        pytest.skip("script (util-linux) is not installed")
    return subprocess.run(["script", "-qec", f"stty cols 100 rows 30; {command}", "/dev/null"],
                          capture_output=True, text=True, cwd=cwd, env=subprocess_env(**env),
                          timeout=120, stdin=subprocess.DEVNULL)


def test_plot_on_a_terminal_draws_in_characters_and_writes_no_file(tmp_path):
    result = run_in_terminal(f"{sys.executable} -m actcli plot sigmoid tanh --grad", tmp_path)
    assert result.returncode == 0, result.stdout
    text = ANSI.sub("", result.stdout).replace("\r", "")
    lines = [line for line in text.splitlines() if line]
    assert len(BRAILLE.findall(text)) > 200
    assert "── sigmoid" in text and "╌╌ d/dx tanh" in text
    assert max(len(line) for line in lines) <= 100
    assert max(len(line) for line in lines) >= 90  # fitted to the terminal's width
    assert "\x1b[" in result.stdout  # colour on a terminal
    assert list(tmp_path.iterdir()) == []


def test_no_color_on_a_terminal(tmp_path):
    result = run_in_terminal(f"{sys.executable} -m actcli plot relu", tmp_path, NO_COLOR="1")
    assert result.returncode == 0
    assert not re.search(r"\x1b\[[0-9;]*3[0-9;]*m", result.stdout)  # no foreground colour
    assert BRAILLE.search(result.stdout)


def test_piped_plot_with_term_is_plain_text_of_the_given_size(tmp_path):
    result = subprocess.run([sys.executable, "-m", "actcli", "plot", "relu", "-2", "2", "--term",
                             "--width", "64", "--height", "18"], capture_output=True, text=True,
                            env=subprocess_env(), cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 18 and max(map(len, lines)) <= 64
    assert "\x1b" not in result.stdout and BRAILLE.search(result.stdout)
    assert list(tmp_path.iterdir()) == []


def test_piped_plot_with_term_and_force_color_is_coloured(tmp_path):
    result = subprocess.run([sys.executable, "-m", "actcli", "plot", "relu", "--term"],
                            capture_output=True, text=True, env=subprocess_env(FORCE_COLOR="1"),
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 0 and "\x1b[" in result.stdout


def test_plot_with_data_in_characters(tmp_path):
    np.save(tmp_path / "pre.npy", np.random.default_rng(5).normal(0.5, 1.0, 20_000))
    args = ["plot", "relu", "--data", str(tmp_path / "pre.npy"), "--term", "--width", "64",
            "--height", "18"]
    result = subprocess.run([sys.executable, "-m", "actcli", *args], capture_output=True,
                            text=True, env=subprocess_env(), cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 18 and max(map(len, lines)) <= 64
    assert BRAILLE.search(result.stdout) and "░" in result.stdout
    assert "density of pre.npy (20,000 values)" in result.stdout
    assert "relu: " in result.stdout and "dead (f′ = 0)" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pre.npy"]
    ranged = CliRunner().invoke(app, [*args, "-1", "1", "--ylim", "-2", "2"])
    assert ranged.exit_code == 0 and "-1" in ranged.stdout and " 2┤" in ranged.stdout


def test_plot_with_data_on_a_terminal_has_a_coloured_histogram(tmp_path):
    np.save(tmp_path / "pre.npy", np.random.default_rng(5).normal(0.5, 1.0, 20_000))
    result = run_in_terminal(f"{sys.executable} -m actcli plot relu --data pre.npy", tmp_path)
    assert result.returncode == 0, result.stdout
    assert "density of pre.npy" in ANSI.sub("", result.stdout)
    assert re.search(r"\x1b\[[0-9;]*(48;[25];|10[0-7]m)", result.stdout)  # a background
    assert "░" not in result.stdout


def test_a_reversed_range_is_the_same_plot():
    def plot(*bounds: str) -> str:
        result = CliRunner().invoke(app, ["plot", "relu", *bounds, "--grad", "--term"])
        assert result.exit_code == 0
        return result.stdout

    assert plot("3", "-3") == plot("-3", "3")


@pytest.mark.parametrize("args, message", [
    (("plot", "relu"), "needs -o FILE"),
    (("plot", "relu", "-c", "x", "--term"), "-c/--column and --key apply to --data"),
    (("plot", "relu", "--data", "none.npy", "--term"), "no such file"),
    (("plot", "relu", "--term", "-o", "x.png"), "--term, --width and --height draw in the terminal"),
    (("plot", "relu", "--term", "--width", "5"), "at least 20x6"),
    (("plot", "softmax", "--term"), "vector function"),
])
def test_piped_plot_errors_are_one_line(args, message, tmp_path):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
