"""actcli.present.plot: image files (format, size, determinism, atomic writes) and what the curves show."""

from __future__ import annotations

import io
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from conftest import svg_texts
from PIL import Image

import actcli
from actcli.errors import InputError
from actcli.present.plot import figure, functions
from actcli.present.files import WriteError
from actcli.present.plot.figure import PlotInputError, PlotOptions

SMALL = PlotOptions(size=(6.0, 4.0), dpi=50)  # 300 x 200 pixels: quick to draw


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])


def pixel_near(image: np.ndarray, fig, x: float, y: float, radius: int = 2) -> np.ndarray:
    """The pixels around data point (x, y) of the figure's first axes."""
    px, py = fig.axes[0].transData.transform((x, y))
    row, col = int(image.shape[0] - py), int(px)  # display y grows upwards, rows downwards
    return image[row - radius:row + radius + 1, col - radius:col + radius + 1].reshape(-1, 3)


def shows(image: np.ndarray, fig, x: float, y: float, colour: str) -> bool:
    distances = np.abs(pixel_near(image, fig, x, y).astype(int) - rgb(colour)).sum(axis=1)
    return bool(distances.min() < 60)


def read_png(path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


# --- files -------------------------------------------------------------------------------

def test_png_has_the_requested_pixel_size(tmp_path):
    out = tmp_path / "out.png"
    functions.plot_functions([actcli.get("sigmoid")], out, grad=True,
                        options=PlotOptions(size=(4.0, 2.5), dpi=80))
    with Image.open(out) as image:
        assert image.format == "PNG"
        assert image.size == (320, 200)


def test_sigmoid_passes_through_the_centre_of_the_axes(tmp_path):
    # sigmoid(0) = 1/2 and sigmoid(-x) = 1 - sigmoid(x): on [-5, 5] the curve is
    # symmetric about (0, 1/2), so with symmetric margins that is the axes' centre.
    out = tmp_path / "sigmoid.png"
    fig = functions.plot_functions([actcli.get("sigmoid")], out,
                              options=PlotOptions(size=(6.0, 4.0), dpi=100))
    box = fig.axes[0].get_window_extent()
    centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
    assert np.allclose(fig.axes[0].transData.transform((0.0, 0.5)), centre, atol=1.0)
    image = read_png(out)
    colour = figure.PALETTE[0]
    assert shows(image, fig, 0.0, 0.5, colour)
    assert shows(image, fig, 2.0, 1 / (1 + math.exp(-2.0)), colour)
    assert shows(image, fig, -3.0, 1 / (1 + math.exp(3.0)), colour)
    assert not shows(image, fig, -3.0, 0.7, colour)  # nothing drawn off the curve
    assert (pixel_near(image, fig, -3.0, 0.7) == 255).all()  # white background there


def test_each_function_in_its_own_colour(tmp_path):
    out = tmp_path / "cmp.png"
    fig = functions.plot_functions([actcli.get("relu"), actcli.get("tanh")], out,
                              options=PlotOptions(size=(6.0, 4.0), dpi=100))
    image = read_png(out)
    relu, tanh = figure.PALETTE[0], figure.PALETTE[1]
    assert shows(image, fig, 3.0, 3.0, relu) and not shows(image, fig, 3.0, 3.0, tanh)
    assert shows(image, fig, -3.0, math.tanh(-3.0), tanh)
    assert shows(image, fig, 3.0, math.tanh(3.0), tanh)
    assert not shows(image, fig, 3.0, 2.0, relu)


def test_the_derivative_is_dashed_in_the_same_colour(tmp_path):
    out = tmp_path / "relu.png"
    fig = functions.plot_functions([actcli.get("relu")], out, grad=True,
                              options=PlotOptions(size=(6.0, 4.0), dpi=100))
    image = read_png(out)
    colour = figure.PALETTE[0]
    # relu' = 1 for x > 0; alone on the line y = 1 right of x = 1 (where relu crosses it).
    along = [shows(image, fig, x, 1.0, colour) for x in np.linspace(1.5, 4.5, 200)]
    assert 0.3 < np.mean(along) < 0.95  # dashes and gaps
    along = [shows(image, fig, x, x, colour) for x in np.linspace(1.5, 4.5, 200)]
    assert all(along)  # relu itself is solid


def test_svg_is_xml_and_names_each_curve_with_its_parameters(tmp_path):
    out = tmp_path / "leaky.svg"
    functions.plot_functions([actcli.get("leaky_relu", negative_slope=0.2)], out, grad=True,
                        options=PlotOptions(size=(14.0, 4.0), dpi=50))  # labels on one line
    # Text is drawn as paths; the SVG writer keeps each text as a comment beside them.
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.parse(out, parser=parser).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {" ".join(node.text.split()) for node in root.iter() if node.tag is ET.Comment}
    assert "leaky_relu (negative_slope=0.2)" in texts
    assert "d/dx leaky_relu (negative_slope=0.2)" in texts


def test_pdf_starts_with_the_pdf_header(tmp_path):
    out = tmp_path / "out.pdf"
    functions.plot_functions([actcli.get("tanh")], out, grad=True, options=SMALL)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize("fmt, date_marker", [
    ("png", b"tIME"), ("svg", b"<dc:date>"), ("pdf", b"CreationDate"),
])
def test_reruns_are_byte_identical_and_carry_no_date(tmp_path, fmt, date_marker):
    acts = [actcli.get("hardshrink"), actcli.get("gelu")]
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    functions.plot_functions(acts, first, grad=True, options=SMALL)
    functions.plot_functions(acts, second, grad=True, options=SMALL)
    assert first.read_bytes() == second.read_bytes()
    assert date_marker not in first.read_bytes()


def test_same_image_in_a_fresh_process(tmp_path):
    here = tmp_path / "here.svg"
    functions.plot_functions([actcli.get("elu")], here, grad=True, options=SMALL)
    there = tmp_path / "there.svg"
    code = ("import actcli; from actcli.present.plot import figure, functions; functions.plot_functions([actcli.get('elu')], "
            f"{str(there)!r}, grad=True, options=figure.PlotOptions(size=(6.0, 4.0), dpi=50))")
    subprocess.run([sys.executable, "-c", code], check=True)
    assert here.read_bytes() == there.read_bytes()


@pytest.mark.parametrize("fmt, header", [("png", b"\x89PNG\r\n\x1a\n"), ("svg", b"<?xml"),
                                         ("pdf", b"%PDF-")])
def test_writes_to_a_binary_stream(fmt, header):
    stream = io.BytesIO()
    functions.plot_functions([actcli.get("sigmoid")], stream, grad=True, fmt=fmt, options=SMALL)
    assert stream.getvalue().startswith(header)


def test_a_stream_defaults_to_png():
    assert figure.image_format(io.BytesIO()) == "png"


@pytest.mark.parametrize("name", ["out.jpg", "out.PNG.bak", "out"])
def test_unknown_extension_lists_the_formats(tmp_path, name):
    with pytest.raises(PlotInputError) as info:
        functions.plot_functions([actcli.get("relu")], tmp_path / name)
    message = str(info.value)
    assert all(ext in message for ext in (".png", ".svg", ".pdf"))
    assert "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_extension_is_case_insensitive(tmp_path):
    out = tmp_path / "OUT.PNG"
    functions.plot_functions([actcli.get("relu")], out, options=SMALL)
    assert out.read_bytes().startswith(b"\x89PNG")


# --- atomic writes and errors ------------------------------------------------------------

def test_failed_write_leaves_the_existing_file_and_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "out.png"
    out.write_bytes(b"previous plot")

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(WriteError) as info:
        functions.plot_functions([actcli.get("relu")], out, options=SMALL)
    assert str(info.value) == f"cannot write {str(out)!r}: no space left on device"
    assert out.read_bytes() == b"previous plot"
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]


def test_interrupted_write_leaves_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "out.png"

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        functions.plot_functions([actcli.get("relu")], out, options=SMALL)
    assert list(tmp_path.iterdir()) == []


def test_a_new_file_never_replaces_one_that_appears_under_its_name_meanwhile(tmp_path,
                                                                          monkeypatch):
    # The explorer's export picks an unused name, then another process takes it first.
    from actcli.present import files

    chosen = files.unused_name

    def taken_meanwhile(directory, stem, suffix):
        path = chosen(directory, stem, suffix)
        if path.name == f"{stem}{suffix}":
            path.write_bytes(b"theirs")
        return path

    monkeypatch.setattr(files, "unused_name", taken_meanwhile)
    written = files.write_new(tmp_path, "plot", ".png", b"ours")
    assert (tmp_path / "plot.png").read_bytes() == b"theirs"
    assert written == tmp_path / "plot-2.png" and written.read_bytes() == b"ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plot-2.png", "plot.png"]


def test_an_export_interrupted_while_written_leaves_no_half_file(tmp_path, monkeypatch):
    """Ctrl-C during the explorer's export (write_new) removes the part written, as a
    failed write does: no half-written PNG under the new name."""
    from actcli.present import files

    real_fdopen = os.fdopen

    class InterruptedPartWay:
        def __init__(self, descriptor, mode):
            self.stream = real_fdopen(descriptor, mode)

        def __enter__(self):
            return self

        def __exit__(self, *raised):
            self.stream.close()

        def write(self, data):
            self.stream.write(data[:4])
            self.stream.flush()
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", InterruptedPartWay)
    with pytest.raises(KeyboardInterrupt):
        files.write_new(tmp_path, "plot", ".png", b"the whole picture")
    assert list(tmp_path.iterdir()) == []


def test_bad_input_leaves_the_existing_file(tmp_path):
    out = tmp_path / "out.png"
    out.write_bytes(b"previous plot")
    with pytest.raises(PlotInputError):
        functions.plot_functions([actcli.get("relu")], out, 1.0, 1.0)  # an empty range
    assert out.read_bytes() == b"previous plot"


def test_replaces_an_existing_file(tmp_path):
    out = tmp_path / "out.png"
    out.write_bytes(b"previous plot")
    functions.plot_functions([actcli.get("relu")], out, options=SMALL)
    assert out.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]


def test_missing_directory_is_a_one_line_error(tmp_path):
    out = tmp_path / "no" / "such" / "out.png"
    with pytest.raises(WriteError) as info:
        functions.plot_functions([actcli.get("relu")], out, options=SMALL)
    assert str(info.value) == (f"cannot write {str(out)!r}: "
                               f"directory {str(out.parent)!r} does not exist")
    assert not isinstance(info.value, ValueError)  # a runtime failure, not bad input


def test_parent_that_is_a_file_is_a_one_line_error(tmp_path):
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out.png"
    with pytest.raises(WriteError, match="is not a directory"):
        functions.plot_functions([actcli.get("relu")], out, options=SMALL)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_directory_is_a_one_line_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(WriteError, match="permission denied"):
            functions.plot_functions([actcli.get("relu")], locked / "out.png", options=SMALL)
    finally:
        locked.chmod(0o700)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_new_file_permissions_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        functions.plot_functions([actcli.get("relu")], tmp_path / "out.png", options=SMALL)
    finally:
        os.umask(old)
    assert (tmp_path / "out.png").stat().st_mode & 0o777 == 0o644


def test_vector_functions_have_no_curve(tmp_path):
    from typer.testing import CliRunner

    from actcli import cli
    from actcli.resolve import resolve

    with pytest.raises(InputError, match="softmax is a vector function"):
        resolve("softmax", elementwise="it has no curve to plot")
    result = CliRunner().invoke(cli.app, ["plot", "relu", "softmax", "-o", str(tmp_path / "out.png")])
    assert result.exit_code == 2 and "softmax is a vector function" in result.stderr
    assert not (tmp_path / "out.png").exists()


@pytest.mark.parametrize("start, stop", [(1.0, 1.0), (-math.inf, 0.0), (0.0, math.nan)])
def test_range_must_be_finite_and_not_empty(tmp_path, start, stop):
    with pytest.raises(PlotInputError, match="START != STOP"):
        functions.plot_functions([actcli.get("relu")], tmp_path / "out.png", start, stop)


@pytest.mark.parametrize("dtype", ["int8", "float16", "complex128", "nonsense"])
def test_dtype_must_be_float32_or_float64(tmp_path, dtype):
    with pytest.raises(InputError, match="float32 or float64"):
        functions.plot_functions([actcli.get("relu")], tmp_path / "out.png", dtype=dtype)


def test_num_is_checked(tmp_path):
    with pytest.raises(PlotInputError, match="num"):
        functions.plot_functions([actcli.get("relu")], tmp_path / "out.png", num=1)


# --- options -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, size", [("8x5", (8.0, 5.0)), ("6.4X4.8", (6.4, 4.8)),
                                        (" 10 x 2.5 ", (10.0, 2.5)), ("1e1x5", (10.0, 5.0))])
def test_parse_size(text, size):
    assert figure.parse_size(text) == size


@pytest.mark.parametrize("text", ["8", "8by5", "x5", "8x", "-8x5", "8x5x2", "a.bxc"])
def test_parse_size_rejects(text):
    with pytest.raises(PlotInputError, match="WIDTHxHEIGHT in inches"):
        figure.parse_size(text)


@pytest.mark.parametrize("size, dpi", [((0.0, 5.0), 150), ((1920.0, 1080.0), 150),
                                       ((8.0, 5.0), 0), ((8.0, 5.0), math.inf), ((0.05, 5.0), 150)])
def test_options_reject_impossible_images(size, dpi):
    with pytest.raises(PlotInputError) as info:
        PlotOptions(size=size, dpi=dpi)
    assert "\n" not in str(info.value)


def test_unknown_style_lists_the_styles(tmp_path):
    with pytest.raises(PlotInputError) as info:
        functions.plot_functions([actcli.get("relu")], tmp_path / "out.png",
                            options=PlotOptions(style="no-such-style"))
    assert "ggplot" in str(info.value)


def test_a_style_applies_and_is_undone(tmp_path):
    import matplotlib

    before = dict(matplotlib.rcParams)
    out = tmp_path / "dark.png"
    functions.plot_functions([actcli.get("tanh")], out,
                        options=PlotOptions(size=(6.0, 4.0), dpi=50, style="dark_background"))
    image = read_png(out)
    assert (image[2, 2] == 0).all()  # the corner is the style's black, not white
    assert dict(matplotlib.rcParams) == before


def test_titles(tmp_path):
    def title(acts, **kwargs):
        return functions.plot_functions(acts, tmp_path / "t.png", options=SMALL, **kwargs).get_suptitle()

    assert title([actcli.get("sigmoid")], grad=True) == "sigmoid and its derivative"
    assert title([actcli.get("relu"), actcli.get("elu", alpha=0.5)], grad=True, grad2=True) == (
        "relu and elu (alpha=0.5) and their first two derivatives")
    fig = functions.plot_functions([actcli.get("relu")], tmp_path / "t.png",
                              options=PlotOptions(size=(6.0, 4.0), dpi=50, title=""))
    assert fig.get_suptitle() == ""
    fig = functions.plot_functions([actcli.get("relu")], tmp_path / "t.png",
                              options=PlotOptions(size=(6.0, 4.0), dpi=50, title="ReLU"))
    assert fig.get_suptitle() == "ReLU"


def test_the_module_does_not_import_matplotlib():
    code = "import sys, actcli.present.plot.functions; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# --- what the curves show ----------------------------------------------------------------

def draw(acts, start=-5.0, stop=5.0, **kwargs):
    """The curves of `acts` on a fresh axes, as {legend label: Line2D}, and the axes."""
    with figure.figure(SMALL) as fig:
        ax = fig.add_subplot()
        functions.draw_functions(ax, acts, start, stop, **kwargs)
    lines = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    return lines, ax


def markers(ax):
    """(x, y, filled) of every jump marker on the axes; limits are sampled one ulp away."""
    found = []
    for line in ax.get_lines():
        if line.get_linestyle() == "None" and len(line.get_xdata()):
            filled = line.get_markerfacecolor() == line.get_color()
            found += [(round(float(x), 9), round(float(y), 9), filled)
                      for x, y in zip(line.get_xdata(), line.get_ydata())]
    return sorted(found)


def test_relu_has_an_exact_corner_and_no_break():
    lines, ax = draw([actcli.get("relu")])
    x, y = lines["relu"].get_xdata(), lines["relu"].get_ydata()
    assert 0.0 in x
    assert y[x == 0.0] == 0.0
    assert not np.isnan(y).any()  # relu is continuous: one unbroken line


def test_relu_derivative_breaks_at_zero_and_marks_the_pytorch_value():
    lines, ax = draw([actcli.get("relu")], grad=True)
    x, dy = lines["d/dx relu"].get_xdata(), lines["d/dx relu"].get_ydata()
    assert np.isnan(dy[x == 0.0]).all()  # no vertical segment from 0 to 1
    assert dy[x < 0].max() == 0 and dy[x > 0].min() == 1
    # PyTorch: relu'(0) = 0 (filled: the value), 1 is only the limit from the right (open).
    assert markers(ax) == [(0.0, 0.0, True), (0.0, 1.0, False)]
    assert "value at the jump (PyTorch)" in lines


def test_hardshrink_breaks_at_both_jumps():
    lines, ax = draw([actcli.get("hardshrink")])
    x, y = lines["hardshrink"].get_xdata(), lines["hardshrink"].get_ydata()
    assert np.isnan(y[np.isin(x, [-0.5, 0.5])]).all()
    assert np.isnan(y).sum() == 2
    # f(+-0.5) = 0 (|x| <= lambd); the limits from outside the band are +-0.5.
    assert markers(ax) == [(-0.5, -0.5, False), (-0.5, 0.0, True), (0.5, 0.0, True),
                           (0.5, 0.5, False)]


def test_smooth_functions_get_no_markers():
    lines, ax = draw([actcli.get("gelu"), actcli.get("tanh")], grad=True, grad2=True)
    assert markers(ax) == []
    assert "value at the jump (PyTorch)" not in lines
    assert all(not np.isnan(line.get_ydata()).any() for line in lines.values())


def test_c1_function_breaks_only_its_second_derivative():
    # softsign is C1: f and f' continuous at 0, f'' jumps from +2 to -2 (f''(0) = 0).
    lines, ax = draw([actcli.get("softsign")], grad=True, grad2=True)
    assert not np.isnan(lines["softsign"].get_ydata()).any()
    assert not np.isnan(lines["d/dx softsign"].get_ydata()).any()
    assert np.isnan(lines["d²/dx² softsign"].get_ydata()).sum() == 1
    assert markers(ax) == [(0.0, -2.0, False), (0.0, 0.0, True), (0.0, 2.0, False)]


def test_legend_labels_carry_parameters_and_derivative_order():
    lines, _ = draw([actcli.get("leaky_relu", negative_slope=0.2)], grad=True, grad2=True)
    assert {"leaky_relu (negative_slope=0.2)", "d/dx leaky_relu (negative_slope=0.2)",
            "d²/dx² leaky_relu (negative_slope=0.2)"} <= set(lines)


def test_float32_is_evaluated_in_float32():
    # Near sigmoid(0) = 1/2 float32 values are multiples of 2^-25; float64 ones are not.
    lines32, _ = draw([actcli.get("sigmoid")], -1e-3, 1e-3, dtype="float32")
    lines64, _ = draw([actcli.get("sigmoid")], -1e-3, 1e-3, dtype="float64")
    y32, y64 = lines32["sigmoid"].get_ydata(), lines64["sigmoid"].get_ydata()
    assert (y32.astype(np.float32) == y32).all()
    assert not (y64.astype(np.float32) == y64).all()


def test_a_steep_function_does_not_squash_the_others():
    lines, ax = draw([actcli.get("tanh"), actcli.get("relu"), actcli.get("exponential")])
    low, high = ax.get_ylim()
    assert low <= -1 and 5 <= high < math.exp(5) / 4  # tanh and relu fill the axes
    assert "exponential (clipped)" in lines  # drawn, running off the top, and says so


def test_a_curve_a_few_times_taller_is_shown_whole():
    # snake (about -4 to 6 on [-5, 5]) beside sine (-1 to 1): snake's ripple is its point.
    lines, ax = draw([actcli.get("snake"), actcli.get("sine")])
    low, high = ax.get_ylim()
    snake = lines["snake"].get_ydata()
    assert low <= snake.min() and snake.max() <= high
    assert set(lines) >= {"snake", "sine"}  # neither "(clipped)"
    assert (high - low) <= 1.2 * (snake.max() - snake.min())  # and nothing more


def test_a_steep_function_alone_is_shown_whole():
    _, ax = draw([actcli.get("exponential")], grad=True)
    low, high = ax.get_ylim()
    assert low <= math.exp(-5) and high >= math.exp(5)


def test_a_huge_derivative_runs_off_and_says_so():
    # celu(alpha)'' = exp(x/alpha)/alpha below 0: 1000 at 0- for alpha = 0.001.
    lines, ax = draw([actcli.get("celu", alpha=0.001)], grad=True, grad2=True)
    assert ax.get_ylim()[1] < 10
    assert "d/dx celu (alpha=0.001)" in lines


def test_a_derivative_entirely_off_the_axes_is_labelled():
    # On [-1e-6, 1e-6] sigmoid spans 5e-7 while sigmoid' = 1/4: it would flatten f.
    lines, ax = draw([actcli.get("sigmoid")], -1e-6, 1e-6, grad=True)
    assert "d/dx sigmoid (off the plot)" in lines
    assert ax.get_ylim()[1] < 0.5 + 1e-6


def test_limits_do_not_reach_for_zero():
    _, ax = draw([actcli.get("sigmoid")], 5.0, 10.0)
    low, high = ax.get_ylim()
    assert 1 / (1 + math.exp(-5)) - 0.01 < low < 1 / (1 + math.exp(-5))
    assert high > 1 / (1 + math.exp(-10))


def test_kink_at_the_end_of_the_range_is_plotted():
    lines, ax = draw([actcli.get("relu")], 0.0, 1.0, grad=True)
    x = lines["d/dx relu"].get_xdata()
    assert x[0] == 0.0 and x[-1] == 1.0
    assert markers(ax) == []


# --- pieces for other plots ------------------------------------------------------------

def test_shared_pieces_make_a_two_panel_figure(tmp_path):
    out = tmp_path / "depth.png"
    layers = np.arange(1, 11)
    with figure.figure(PlotOptions(size=(8.0, 4.0), dpi=50)) as fig:
        assert figure.palette() == list(figure.PALETTE)
        grad_ax, std_ax = fig.subplots(1, 2)
        for colour, name, rate in zip(figure.palette(), ["relu", "tanh"], [0.9, 0.5]):
            grad_ax.semilogy(layers, rate ** layers, color=colour, label=name)
            std_ax.plot(layers, rate * np.ones(10), color=colour, label=name)
        fig.legend(*grad_ax.get_legend_handles_labels(), loc="outside lower center")
        fig.suptitle("depth")
        figure.save_figure(fig, out)
    with Image.open(out) as image:
        assert image.size == (400, 200)
    assert len(fig.legends[0].get_texts()) == 2


# --- issue 17: coinciding curves, --ylim, clipping, warnings, styles, reversed ranges -----

def test_coinciding_curves_are_nested_so_each_stays_visible():
    lines, _ = draw([actcli.get("relu"), actcli.get("leaky_relu"), actcli.get("elu")], grad=True)
    width = {label.split(" (")[0]: line.get_linewidth() for label, line in lines.items()}
    # For x > 0 the three functions are x and the three derivatives 1: each curve lying
    # under later ones is wider than they are.
    assert width["relu"] > width["leaky_relu"] > width["elu"]
    assert width["d/dx relu"] > width["d/dx leaky_relu"] > width["d/dx elu"]
    for label, line in lines.items():
        if label.startswith("d/dx"):
            assert line.get_zorder() > lines["relu"].get_zorder()  # over every function
            from matplotlib import patheffects

            # An outline in the background colour under the dashes.
            assert isinstance(line.get_path_effects()[0], patheffects.Stroke)
    # relu' lies on relu for x < 0: relu is wider than relu' with its outline.
    assert width["relu"] > width["d/dx relu"] + functions._HALO


def test_a_lone_curve_keeps_the_usual_widths():
    lines, _ = draw([actcli.get("tanh")], grad=True)
    assert lines["tanh"].get_linewidth() == 2.2
    assert lines["d/dx tanh"].get_linewidth() == functions._DERIVATIVE_WIDTH


def test_ylim_sets_the_y_range_and_clipped_curves_say_so():
    lines, ax = draw([actcli.get("x**3"), actcli.get("tanh")])
    assert "x**3 (clipped)" in lines and "tanh" in lines  # the automatic range fits tanh
    lines, ax = draw([actcli.get("x**3"), actcli.get("tanh")], ylim=(-200.0, 200.0))
    assert ax.get_ylim() == (-200.0, 200.0)
    assert "x**3" in lines and "tanh" in lines
    _, ax = draw([actcli.get("1/x")])
    low, high = ax.get_ylim()
    assert low < -50 and high > 50  # both branches
    for bad in ((1.0, 1.0), (2.0, 1.0), (0.0, math.inf)):
        with pytest.raises(PlotInputError, match="--ylim"):
            draw([actcli.get("relu")], ylim=bad)


def test_ylim_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from actcli import cli

    out = tmp_path / "cube.png"
    result = CliRunner().invoke(cli.app, ["plot", "x**3", "tanh", "--ylim", "-10", "10",
                                          "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0
    result = CliRunner().invoke(cli.app, ["compare", "relu", "gelu", "-1", "1", "--ylim", "-1",
                                          "2", "-o", str(tmp_path / "c.png")])
    assert result.exit_code == 0, result.stderr
    result = CliRunner().invoke(cli.app, ["compare", "relu", "--ylim", "0", "1"])
    assert result.exit_code == 2 and "needs -o FILE" in result.stderr


def test_a_huge_range_of_values_draws_without_warnings():
    # exp(709) is near the largest float: matplotlib's ticks overflowed on such limits.
    # (pytest turns any warning into an error.)
    for start, stop in ((-5.0, 800.0), (-1e300, 1e300)):
        fig = functions.plot_functions([actcli.get("exponential")], io.BytesIO(), start, stop,
                                       grad=True, options=SMALL)
        assert all(math.isfinite(v) and abs(v) <= 1e301 for v in fig.axes[0].get_ylim())


def test_the_jump_key_is_visible_in_every_style():
    import matplotlib.colors

    for style in (None, "ggplot", "dark_background"):
        with figure.figure(PlotOptions(size=(6.0, 4.0), dpi=50, style=style)) as fig:
            ax = fig.add_subplot()
            functions.draw_functions(ax, [actcli.get("relu")], grad=True)
            background = matplotlib.colors.to_rgb(fig.get_facecolor())
        key = {line.get_label(): line for line in ax.get_lines()}
        for label in ("value at the jump (PyTorch)", "one-sided limit"):
            edge = matplotlib.colors.to_rgb(key[label].get_markeredgecolor())
            assert np.abs(np.subtract(edge, background)).sum() > 1, (style, label)


def test_a_reversed_range_draws_the_same_interval():
    lines, ax = draw([actcli.get("relu")], 5.0, -5.0)
    assert ax.get_xlim() == (-5.0, 5.0)
    assert lines["relu"].get_xdata()[0] == -5.0
    with pytest.raises(PlotInputError):
        draw([actcli.get("relu")], 1.0, 1.0)


SIX = [("gelu", {}), ("silu", {}), ("leaky_relu", {"negative_slope": 0.2}), ("elu", {"alpha": 0.2}),
       ("mish", {}), ("quick_gelu", {})]
MORE = [(name, {}) for name in ("relu", "sigmoid", "tanh", "softplus", "hardswish", "selu", "celu")]


def legend_fits(path, fig) -> list[str]:
    """Check that every line of the legend lies inside the SVG figure at `path` and off
    its axes (which keep a good part of the figure); the legend's lines."""
    root = ET.parse(path).getroot()
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert width == 576 and height >= 360  # 8x5 inches (72 units each), or taller for the legend
    x0, y0, x1, y1 = fig.axes[0].get_position().extents  # figure fractions, y upwards
    axes = np.array([x0 * width, (1 - y1) * height, x1 * width, (1 - y0) * height])
    assert axes[2] - axes[0] >= 0.4 * width and axes[3] - axes[1] >= 0.4 * 360  # still a plot
    texts = svg_texts(path, "legend_1")
    for text, (left, top, right, bottom) in texts:
        assert 0 <= left and right <= width and 0 <= top and bottom <= height, text
        assert right <= axes[0] or left >= axes[2] or bottom <= axes[1] or top >= axes[3], text
    return [text for text, _ in texts]


@pytest.mark.parametrize("functions_, grad2", [(SIX[:2], False), (SIX, False), (SIX + MORE[:1], False),
                                              (SIX + MORE, True)])
def test_every_legend_entry_is_inside_the_figure_and_off_the_axes(tmp_path, functions_, grad2):
    acts = [actcli.get(name, **params) for name, params in functions_]
    fig = functions.plot_functions(acts, tmp_path / "many.svg", -3, 3, grad=True, grad2=grad2)
    names = [name + "".join(f" ({k}={v})" for k, v in params.items()) for name, params in functions_]
    prefixes = ["", "d/dx "] + ["d²/dx² "] * grad2
    expected = [prefix + name for name in names for prefix in prefixes]
    if len(functions_) > 2:  # elu's and leaky_relu's f' jump at 0
        expected += ["value at the jump (PyTorch)", "one-sided limit"]
    # All of them, in order (some over two lines).
    assert " ".join(legend_fits(tmp_path / "many.svg", fig)) == " ".join(expected)


def test_the_legend_of_a_data_plot_fits_too(tmp_path):
    from actcli.analysis.stats import Accumulator
    from actcli.present.plot import data

    specs = [name + "".join(f":{k}={v}" for k, v in params.items()) for name, params in SIX + MORE[:2]]
    acts = [actcli.get(name, **params) for name, params in SIX + MORE[:2]]
    summary = Accumulator(specs)
    summary.add(np.random.default_rng(1).normal(0.0, 1.5, 20_000))
    fig = data.plot_with_data(acts, summary, tmp_path / "data.svg", grad=True)
    lines = " ".join(legend_fits(tmp_path / "data.svg", fig))
    assert "d/dx sigmoid" in lines and "density of data (20,000 values)" in lines
    assert "relu: " in lines and "dead" in lines


def test_depth_figure_title_legend_and_panels_do_not_overlap(tmp_path):
    from actcli.analysis.depth import DepthConfig, explore
    from actcli.present.plot.depth import plot_depth

    acts = [actcli.get("sigmoid"), actcli.get("tanh"), actcli.get("relu"),
            actcli.get("leaky_relu", negative_slope=0.2)]
    profiles = explore(acts, DepthConfig(layers=6, width=8, batch=8))
    fig = plot_depth(profiles, tmp_path / "depth.png")
    renderer = fig.canvas.get_renderer()
    title = fig._suptitle.get_window_extent(renderer)
    legend = fig.legends[0].get_window_extent(renderer)
    panels = [ax.get_tightbbox(renderer) for ax in fig.axes]  # titles and tick labels included
    assert not title.overlaps(legend)
    for panel in panels:
        assert not title.overlaps(panel)
        assert not legend.overlaps(panel)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [a.label for a in acts]


def test_depth_curves_that_coincide_are_nested_and_the_others_are_not(tmp_path):
    from actcli.analysis.depth import DepthConfig, explore
    from actcli.present.plot.depth import plot_depth

    acts = [actcli.get("sigmoid"), actcli.get("relu"), actcli.get("leaky_relu")]
    profiles = explore(acts, DepthConfig(layers=8, width=16, batch=16))
    fig = plot_depth(profiles, tmp_path / "depth.png")
    for ax in fig.axes:
        sigmoid, relu, leaky = (line.get_linewidth() for line in ax.get_lines())
        assert relu > leaky == sigmoid  # leaky_relu lies on relu: relu shows at its edges
