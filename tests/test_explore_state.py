"""The explorer's state (`actcli.explore.state.View`) without Textual: what each key does
to the view, the cursor and the functions, and the texts made from them."""

from __future__ import annotations

import math

import pytest

import actcli
from actcli.errors import InputError
from actcli.explore.state import View, function
from actcli.present import tables


def view(*names: str, start: float = -5.0, stop: float = 5.0, **options: object) -> View:
    return View([function(n) for n in names], start, stop, **options)


def test_the_cursor_moves_by_a_hundredth_of_the_view_and_stays_in_it():
    v = view("relu")
    v.move_cursor(3)
    assert v.cursor == 0.3  # 1/100 of 10, and 0.1 + 0.1 + 0.1 reads as 0.3
    v.move_cursor(-2, large=True)
    assert v.cursor == -1.7  # Shift: 1/10
    v.move_cursor(100, large=True)
    assert v.cursor == 5.0
    v.move_cursor(-1000)
    assert v.cursor == -5.0


def test_zoom_narrows_and_widens_around_the_cursor():
    v = view("relu")
    v.move_cursor(20)
    v.zoom(0.5)
    assert (v.start, v.stop, v.cursor) == (-1.5, 3.5, 2.0)
    v.zoom(2)
    assert (v.start, v.stop, v.cursor) == (-5.0, 5.0, 2.0)


def test_pan_moves_the_view_and_the_cursor_with_it():
    v = view("relu")
    v.pan(-1)
    assert (v.start, v.stop, v.cursor) == (-10.0, 0.0, -5.0)
    v.pan(1)
    v.pan(1)
    assert (v.start, v.stop, v.cursor) == (0.0, 10.0, 5.0)
    v.reset()
    assert (v.start, v.stop, v.cursor) == (-5.0, 5.0, 0.0)


def test_refused_zoom_and_pan_leave_the_view_as_it_was():
    v = view("relu", start=-8e307, stop=8e307)
    with pytest.raises(InputError, match="cannot pan further"):
        for _ in range(3):
            v.pan(1)
    assert math.isfinite(v.stop) and v.start < v.cursor < v.stop
    tiny = view("relu", start=1.0, stop=1.0000000015)
    with pytest.raises(InputError, match="cannot zoom further"):
        tiny.zoom(0.5)
    assert (tiny.start, tiny.stop) == (1.0, 1.0000000015)


def test_the_readout_has_a_value_per_curve_shown_and_marks_the_selected_function():
    v = view("relu", "tanh")
    v.move_cursor(7)
    tanh = format(math.tanh(0.7), ".6g")
    tanh_grad = format(1 - math.tanh(0.7) ** 2, ".6g")
    assert v.readout() == [("x", "0.7", False), ("relu(x)", "0.7", True), ("relu'(x)", "1", True),
                           ("tanh(x)", tanh, False), ("tanh'(x)", tanh_grad, False)]
    v.select(1)
    v.toggle(1)
    assert v.readout() == [("x", "0.7", False), ("relu(x)", "0.7", False), ("tanh(x)", tanh, True)]


def test_functions_are_added_selected_and_removed():
    v = view("relu", "tanh")
    assert v.act.label == "relu"
    v.select(-1)  # wraps around
    assert v.act.label == "tanh"
    v.add("elu:alpha=0.5")
    assert [a.label for a in v.acts] == ["relu", "tanh", "elu(alpha=0.5)"] and v.selected == 2
    v.remove()
    assert v.act.label == "tanh" and v.selected == 1
    v.remove()
    v.remove()
    assert v.act is None and v.plot(80, 24) is None and v.properties() == []
    v.remove()  # nothing left: nothing happens
    assert v.acts == []


def test_a_change_makes_a_new_plot_and_a_cursor_move_does_not():
    v = view("relu", "tanh")
    first = v.plot(80, 20)
    assert (first.width, first.height, first.cursor, first.selected) == (80, 20, 0.0, 0)
    v.move_cursor(1)
    v.select(1)
    moved = v.plot(60, 10)
    assert moved.curves is first.curves  # the curves are not computed again
    assert (moved.width, moved.height, moved.cursor, moved.selected) == (60, 10, 0.1, 1)
    v.zoom(0.5)
    assert v.plot(60, 10).x_range == (-2.45, 2.55)
    assert v.plot(60, 10).curves is not first.curves


def test_properties_are_the_records_of_actcli_info():
    v = view("elu")
    record = tables.info_record(v.act, nested=False)
    keys = [key for key, _ in v.properties()]
    assert keys[:2] == ["aliases", "family"] and "name" not in keys and "latex" not in keys
    assert ("family", record["family"]) in v.properties()


def test_the_readout_follows_the_curves_shown():
    v = view("tanh")
    v.toggle(2)
    assert [label for label, _, _ in v.readout()] == ["x", "tanh(x)", "tanh'(x)", "tanh''(x)"]
    v.toggle(1)  # f' hidden, f'' shown
    assert [label for label, _, _ in v.readout()] == ["x", "tanh(x)", "tanh''(x)"]


def test_a_function_is_shown_once():
    v = view("relu", "leaky_relu:negative_slope=0.2")
    for text in ("relu", "RELU", " leaky_relu:negative_slope=0.20"):
        with pytest.raises(InputError, match=" is shown already$"):
            v.new_function(text)
        with pytest.raises(InputError, match=" is shown already$"):
            v.add(text)
    assert [a.label for a in v.acts] == ["relu", "leaky_relu(negative_slope=0.2)"]
    v.add("leaky_relu")  # another slope: another function
    assert v.act.label == "leaky_relu"
    with pytest.raises(InputError, match="^relu given more than once; explore each function once$"):
        view("relu", "tanh", "relu")
