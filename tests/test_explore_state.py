"""The explorer's state (`actcli.tui.state.View`) without Textual: what each key does
to the view, the cursor and the functions, and the texts made from them."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from actcli.errors import InputError
from actcli.tui.state import View, function
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


# --- properties: what the keys promise for any view -----------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
widths = st.floats(1e-3, 1e6, allow_nan=False, allow_infinity=False)
# Ranges as typed on the command line: a few decimals.
typed = st.tuples(st.decimals("-10000", "10000", places=2),
                  st.decimals("0.01", "10000", places=2)).map(
    lambda pair: (float(pair[0]), float(pair[0] + pair[1])))
there_and_back = st.sampled_from([("pan", -1, 1), ("pan", 1, -1), ("zoom", 0.5, 2.0),
                                  ("zoom", 2.0, 0.5)])


def a_view(start: float, width: float, steps: int = 0) -> View:
    v = view("relu", start=start, stop=start + width)
    v.move_cursor(steps)
    return v


def close(a: float, b: float, scale: float) -> bool:
    """Equal but for rounding: a few units in the last place at the view's scale (the
    ends of a zoom are rounded from exact decimals; zooming out doubles that)."""
    return abs(a - b) <= 4 * math.ulp(scale)


def test_the_cursor_starts_at_zero_when_zero_is_in_range_even_at_an_end():
    assert view("relu", start=0.0, stop=5.0).cursor == 0.0
    assert view("relu", start=-5.0, stop=0.0).cursor == 0.0
    assert view("relu", start=2.0, stop=4.0).cursor == 3.0


@given(start=finite, width=widths)
def test_the_cursor_starts_at_zero_when_zero_is_in_range_else_in_the_middle(start, width):
    v = a_view(start, width)
    stop = start + width
    if start <= 0 <= stop:
        assert v.cursor == 0.0
    else:
        assert close(v.cursor, (start + stop) / 2, max(abs(start), abs(stop)))
    assert v.start <= v.cursor <= v.stop


@given(start=finite, width=widths, steps=st.integers(-200, 200), direction=st.sampled_from([-1, 1]))
def test_pan_moves_the_way_asked_and_back(start, width, steps, direction):
    v = a_view(start, width, steps)
    before = (v.start, v.stop, v.cursor)
    v.pan(direction)
    moved = (v.start, v.stop, v.cursor)
    # The way asked: the whole view, by the same step; the cursor with it, as far as it can go.
    assert all(m < b for m, b in zip(moved[:2], before[:2])) if direction < 0 else \
        all(m > b for m, b in zip(moved[:2], before[:2]))
    assert (moved[2] - before[2]) * direction >= 0
    assert v.start <= v.cursor <= v.stop
    v.pan(-direction)
    scale = max(abs(before[0]), abs(before[1]), width)
    assert all(close(a, b, scale) for a, b in zip((v.start, v.stop, v.cursor), before))


# (Rounded to 12 significant digits, the start of this zoom went past the cursor.)
@example(start=10000.58984375, width=1.0, steps=-200, factor=0.5)
@given(start=finite, width=widths, steps=st.integers(-200, 200), factor=st.sampled_from([0.5, 2.0]))
def test_zoom_in_and_out_are_inverse_and_keep_the_cursor(start, width, steps, factor):
    v = a_view(start, width, steps)
    before = (v.start, v.stop, v.cursor)
    try:
        v.zoom(factor)
        assert v.cursor == before[2] and v.start <= v.cursor <= v.stop
        v.zoom(1 / factor)
    except InputError:  # too narrow or too wide: refused
        assume(False)
    assert v.cursor == before[2] and v.start <= v.cursor <= v.stop
    scale = max(abs(before[0]), abs(before[1]), width)
    assert close(v.start, before[0], scale) and close(v.stop, before[1], scale)


@example(bounds=(0.01, 404.06), steps=0, keys=("pan", -1, 1))  # (came back as 0.0100000000000051)
@given(bounds=typed, steps=st.integers(-200, 200), keys=there_and_back)
def test_there_and_back_is_exact_on_a_typed_range(bounds, steps, keys):
    v = view("relu", start=bounds[0], stop=bounds[1])
    v.move_cursor(steps)
    before = (v.start, v.stop, v.cursor)
    name, there, back = keys
    getattr(v, name)(there)
    getattr(v, name)(back)
    assert (v.start, v.stop, v.cursor) == before


KEYS = st.sampled_from([("move_cursor", 1), ("move_cursor", -1), ("move_cursor", 37),
                        ("move_cursor", -250), ("zoom", 0.5), ("zoom", 2.0), ("pan", 1),
                        ("pan", -1), ("reset",)])


@given(start=finite, width=widths, keys=st.lists(KEYS, max_size=30))
def test_the_cursor_stays_in_the_view_whatever_the_keys(start, width, keys):
    v = a_view(start, width)
    for name, *args in keys:
        before = (v.start, v.stop, v.cursor)
        try:
            getattr(v, name)(*args)
        except InputError:  # a refused zoom or pan changes nothing
            assert (v.start, v.stop, v.cursor) == before
        assert math.isfinite(v.start) and v.start < v.stop and v.start <= v.cursor <= v.stop
