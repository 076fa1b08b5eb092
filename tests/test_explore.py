"""`actcli explore`: the app driven by Textual's pilot, the command's checks, and a real
terminal (tmux) where the app is typed at and read back from the screen."""

from __future__ import annotations

import asyncio
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, interruptible, subprocess_env
from typer.testing import CliRunner

import actcli
from actcli.cli import app as cli_app

textual = pytest.importorskip("textual")

from actcli.tui.app import KEYS, ExploreApp  # noqa: E402
from actcli.tui.params import ParamInput  # noqa: E402
from actcli.tui.screens import AddScreen, HelpScreen  # noqa: E402
from actcli.tui.state import View, function  # noqa: E402
from actcli.tui.widgets import KeyBar  # noqa: E402



def explore(*names: str, size: tuple[int, int] = (120, 40), directory: Path | None = None,
            start: float = -5.0, stop: float = 5.0, **options: Any
            ) -> Callable[[Callable[[Any, ExploreApp], Awaitable[None]]], None]:
    """Run the decorated coroutine against the app under the pilot."""
    def run(body: Callable[[Any, ExploreApp], Awaitable[None]]) -> None:
        async def main() -> None:
            app = ExploreApp(View([function(n) for n in names], start, stop, **options),
                             directory=directory)
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                await body(pilot, app)
        asyncio.run(main())
    return run


def readout(app: ExploreApp) -> str:
    return " ".join(str(app.query_one("#readout").render()).split())


def message(app: ExploreApp) -> str:
    return str(app.query_one("#message").render())


def cli_error(*args: str) -> str:
    """The one-line message the command line gives for ARGS."""
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 2
    return result.stderr.strip().removeprefix("actcli: error: ")


def g(value: Any) -> str:
    return format(float(value), ".6g")


# --- cursor and readout --------------------------------------------------------------------

def test_the_cursor_starts_at_zero_and_the_readout_follows_the_keys():
    @explore("sigmoid", "relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        sigmoid, relu = actcli.get("sigmoid"), actcli.get("relu")
        assert app.view.cursor == 0.0
        # relu'(0) = 0: the catalog's convention at the kink, as `actcli grad` gives it.
        assert readout(app) == "x = 0 ▶ sigmoid(x) = 0.5 sigmoid'(x) = 0.25 relu(x) = 0 relu'(x) = 0"
        await pilot.press("right", "right", "right")
        assert app.view.cursor == 0.3
        assert readout(app) == (f"x = 0.3 ▶ sigmoid(x) = {g(sigmoid.f(0.3))} "
                                f"sigmoid'(x) = {g(sigmoid.df(0.3))} relu(x) = 0.3 relu'(x) = 1")
        await pilot.press("shift+left", "shift+left")
        assert app.view.cursor == -1.7
        assert f"sigmoid(x) = {g(sigmoid.f(-1.7))}" in readout(app)
        assert f"relu(x) = {g(relu.f(-1.7))}" in readout(app)


def test_the_readout_has_six_significant_digits():
    @explore("tanh")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press(*["right"] * 7)
        value = readout(app).split("tanh(x) = ")[1].split()[0]
        assert value == "0.604368" and abs(float(value) - float(actcli.get("tanh").f(0.7))) < 1e-6


def test_the_cursor_starts_in_the_middle_when_zero_is_not_in_range():
    @explore("relu", start=2.0, stop=4.0)
    async def _(pilot: Any, app: ExploreApp) -> None:
        assert app.view.cursor == 3.0
        await pilot.press(*["shift+right"] * 20)  # stops at the end of the range
        assert app.view.cursor == 4.0


def test_f_double_prime_and_f_prime_toggle():
    @explore("tanh")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("2")
        # -2 tanh(0) sech(0)^2 is -0.0; tables for people show it as 0, as `actcli grad` does
        assert readout(app).endswith("tanh''(x) = 0")
        await pilot.press("1")  # the readout follows the curves shown: f and f''
        assert readout(app) == "x = 0 tanh(x) = 0 tanh''(x) = 0"
        await pilot.press("2")
        assert readout(app) == "x = 0 tanh(x) = 0"


# --- parameters ----------------------------------------------------------------------------

def test_a_valid_parameter_changes_curves_and_readout_at_once():
    @explore("relu", "leaky_relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("n", "e")
        assert isinstance(app.focused, ParamInput) and app.focused.param.name == "negative_slope"
        await pilot.press(*"0.13")  # the old value is selected: typing replaces it
        await pilot.press(*["left"] * 0)
        assert app.view.acts[1].label == "leaky_relu(negative_slope=0.13)"
        await pilot.press("enter")  # back to the plot
        await pilot.press(*["shift+left"] * 2)
        expected = g(actcli.get("leaky_relu", negative_slope=0.13).f(-2.0))
        assert f"leaky_relu(x) = {expected}" in readout(app)
        assert "leaky_relu(negative_slope=0.13)" in str(app.query_one("#functions").render())


def test_an_invalid_parameter_shows_the_command_lines_message_in_place():
    @explore("elu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", *"abc")
        field = app.focused
        assert isinstance(field, ParamInput)
        assert str(field.error.render()) == cli_error("eval", "elu:alpha=abc", "1")
        assert app.view.acts[0].label == "elu"  # the curves keep the last valid value
        await pilot.press("ctrl+a", "ctrl+k", *"0.5")
        await pilot.pause()
        assert str(field.error.render()) == ""
        assert app.view.acts[0].label == "elu(alpha=0.5)"


def test_leaving_a_refused_value_puts_back_the_one_in_effect():
    @explore("elu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e")
        field = app.focused
        assert isinstance(field, ParamInput)
        await pilot.press("ctrl+a", "ctrl+k", *"0.5", *"x", "escape")
        await pilot.pause()
        assert field.value == "0.5" and str(field.error.render()) == ""
        assert app.view.acts[0].label == "elu(alpha=0.5)"


def test_a_parameter_out_of_range_and_a_choice():
    @explore("softplus", "gelu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", *"-2")
        assert str(app.focused.error.render()) == cli_error("eval", "softplus:beta=-2", "1")
        await pilot.press("escape", "n", "e")
        assert app.focused.param.name == "approximate"
        await pilot.press("down")  # choices cycle
        assert app.view.acts[1].label == "gelu(approximate=tanh)"


def test_arrow_keys_step_a_number():
    @explore("leaky_relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", "up")
        assert app.view.acts[0].params["negative_slope"] == 0.011
        await pilot.press("shift+down")
        assert app.view.acts[0].params["negative_slope"] == 0.001
        await pilot.press("ctrl+a", "ctrl+k", *"250", "shift+up")  # typed: steps of 10
        assert app.view.acts[0].params["negative_slope"] == 350


def steps(pilot: Any, app: ExploreApp, keys: list[str]) -> Awaitable[list[str]]:
    """The field's text after each key."""
    async def run() -> list[str]:
        seen = []
        for key in keys:
            await pilot.press(key)
            seen.append(app.focused.value)
        return seen
    return run()


def test_steps_are_on_a_decimal_grid_and_go_back_exactly():
    @explore("elu")  # alpha = 1, a number >= 0
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e")
        assert await steps(pilot, app, ["down"] * 3 + ["up"] * 4) == [
            "0.9", "0.8", "0.7", "0.8", "0.9", "1", "1.1"]
        assert app.view.acts[0].params["alpha"] == 1.1
        assert await steps(pilot, app, ["shift+down", "shift+up"]) == ["0.1", "1.1"]
        await pilot.press(*["down"] * 11)
        assert app.focused.value == "0" and str(app.focused.error.render()) == ""
        await pilot.press("down")  # 0 is the end of the range
        assert app.focused.value == "0" and app.view.acts[0].params["alpha"] == 0.0
        assert str(app.focused.error.render()) == cli_error("eval", "elu:alpha=-0.1", "1")
        await pilot.press("up", *"0.5")  # a stepped value is selected: typing replaces it
        assert app.focused.value == "0.5" and app.view.acts[0].params["alpha"] == 0.5

    @explore("star_relu")  # scale 0.8944 and bias -0.4472: off the grid of their steps
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e")
        assert await steps(pilot, app, ["up", "up", "down", "down", "down"]) == [
            "0.9", "0.91", "0.9", "0.8944", "0.89"]
        await pilot.press("tab")
        assert await steps(pilot, app, ["down", "up", "up"]) == ["-0.45", "-0.4472", "-0.44"]
        assert app.view.acts[0].params == {"scale": 0.89, "bias": -0.44}


def test_small_values_and_zero_step_sensibly():
    @explore("leaky_relu")  # 0.01, a finite number: steps of 0.001 through 0
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", "shift+down")
        assert app.focused.value == "0"
        assert await steps(pilot, app, ["down", "up", "up"]) == ["-0.001", "0", "0.001"]

    @explore("threshold")  # threshold 0: steps of 0.1
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e")
        assert await steps(pilot, app, ["up", "down", "down"]) == ["0.1", "0", "-0.1"]
        await pilot.press("enter", "e", "ctrl+a", "ctrl+k", *"0.03", "up")  # typed: its scale
        assert app.focused.value == "0.031"


def test_a_step_stops_at_the_end_of_the_range_with_the_command_lines_message():
    @explore("celu")  # alpha > 0
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", "shift+down")
        assert app.focused.value == "0.1"  # from 1 by 0.1: 0 is out of range, 0.1 is the last
        await pilot.press("down")
        assert app.focused.value == "0.1" and app.view.acts[0].params["alpha"] == 0.1
        assert str(app.focused.error.render()) == cli_error("eval", "celu:alpha=0", "1")
        await pilot.press("up")
        assert app.focused.value == "0.2" and str(app.focused.error.render()) == ""
        await pilot.press("escape", "e", "down")  # a new visit steps at the scale of 0.2
        assert app.focused.value == "0.19"

    @explore("hardtanh")  # min_val < max_val: the catalog's cross-parameter check
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", "tab", *["shift+down"] * 3)
        assert app.focused.value == "-0.9"  # max_val = -1 would not be above min_val
        assert str(app.focused.error.render()) == cli_error(
            "eval", "hardtanh:min_val=-1,max_val=-1", "1")


def test_stepping_a_refused_value_starts_from_the_one_in_effect():
    @explore("elu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", "ctrl+a", "ctrl+k", *"inf")
        assert app.view.acts[0].params["alpha"] == 1.0
        assert await steps(pilot, app, ["up", "down"]) == ["1.1", "1"]
        assert str(app.focused.error.render()) == ""


def test_a_function_without_parameters_says_so():
    @explore("tanh")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e")
        assert "no parameters" in message(app)


# --- the selected function, the parameter bar and the footer at every size ---------------

def plot_text(app: ExploreApp) -> str:
    return app.query_one("#plot").render().plain()


def test_the_selected_function_is_marked_in_readout_legend_and_message_at_80_columns():
    @explore("relu", "sigmoid", "leaky_relu:negative_slope=0.2", size=(80, 24))
    async def _(pilot: Any, app: ExploreApp) -> None:
        assert app.query_one("#sidebar").has_class("hidden")  # no list of functions there
        assert readout(app).startswith("x = 0 ▶ relu(x) = 0") and "▶ ── relu" in plot_text(app)
        await pilot.press("n")
        assert message(app) == "selected sigmoid (2 of 3)"
        assert "▶ sigmoid(x) = 0.5" in readout(app) and readout(app).count("▶") == 1
        assert "▶ ── sigmoid" in plot_text(app) and plot_text(app).count("▶") == 1
        await pilot.press("N", "N")
        assert message(app) == ("selected leaky_relu(negative_slope=0.2) (3 of 3): "
                                "e edits negative_slope")
        assert "▶ ── leaky_relu (negative_slope=0.2)" in plot_text(app)
        await pilot.press("x")
        assert message(app) == "removed leaky_relu(negative_slope=0.2); selected sigmoid"
        assert "▶ sigmoid(x)" in readout(app)


def test_one_function_needs_no_mark():
    @explore("relu", size=(80, 24))
    async def _(pilot: Any, app: ExploreApp) -> None:
        assert "▶" not in readout(app) and "▶" not in plot_text(app)


def test_e_at_80_columns_edits_in_a_bar_under_the_plot_which_keeps_its_width():
    @explore("relu", "elu", size=(80, 24))
    async def _(pilot: Any, app: ExploreApp) -> None:
        plot, bar = app.query_one("#plot"), app.query_one("#param-bar")
        assert plot.size.width == 80
        await pilot.press("e")
        assert message(app) == "relu has no parameters"
        assert app.query_one("#sidebar").has_class("hidden") and bar.has_class("hidden")
        await pilot.press("n", "e")
        await pilot.pause()
        field = app.focused
        assert isinstance(field, ParamInput) and field.param.name == "alpha"
        assert not bar.has_class("hidden") and bar in field.ancestors
        assert plot.size.width == 80 and plot.size.height >= 16
        texts = [str(w.render()) for w in bar.query("Static")]
        assert field.value == "1" and "alpha " in texts and " a number >= 0" in texts
        await pilot.press("down")
        assert app.view.acts[1].label == "elu(alpha=0.9)"
        assert "elu (alpha=0.9)" in plot_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert bar.has_class("hidden") and app.focused is plot


def test_the_fields_move_between_the_side_panel_and_the_bar():
    @explore("elu", size=(120, 40))
    async def _(pilot: Any, app: ExploreApp) -> None:
        sidebar, bar = app.query_one("#sidebar"), app.query_one("#param-bar")
        await pilot.press("e")
        assert sidebar in app.focused.ancestors and bar.has_class("hidden")
        await pilot.resize_terminal(80, 24)  # while editing: the field moves, focused
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.focused, ParamInput) and bar in app.focused.ancestors
        assert not bar.has_class("hidden")
        await pilot.press("escape", "p")  # the panel asked for: the fields go back into it
        await pilot.pause()
        assert not sidebar.has_class("hidden")
        assert [sidebar in f.ancestors for f in app.query(ParamInput)] == [True]


def footer(app: ExploreApp) -> str:
    return str(app.query_one("#keys").render())


SHORT_KEYS = [short for short, _ in KEYS]
LONG_KEYS = [long for _, long in KEYS]


@pytest.mark.parametrize("size, expected", [
    ((80, 24), " " + " ".join(SHORT_KEYS)),
    ((120, 40), " " + "  ".join(LONG_KEYS)),
])
def test_the_footer_shows_every_key_whole(size, expected):
    @explore("relu", size=size)
    async def _(pilot: Any, app: ExploreApp) -> None:
        assert footer(app) == expected and len(expected) <= size[0]


def test_a_narrow_footer_leaves_out_whole_entries_from_the_end():
    bar = KeyBar(KEYS)
    for width in range(40, 80):
        entries, gap = bar.entries(width)
        assert entries == SHORT_KEYS[:len(entries)] and gap == " "
        assert len(" " + " ".join(entries)) <= width < len(" " + " ".join(SHORT_KEYS[:len(entries) + 1]))


# --- functions -----------------------------------------------------------------------------

def test_switching_the_selected_function_shows_its_parameters_and_properties():
    @explore("relu", "elu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        assert not app.query(ParamInput)
        await pilot.press("n")
        await pilot.pause()
        assert [p.param.name for p in app.query(ParamInput)] == ["alpha"]
        properties = str(app.query_one("#properties").render())
        assert "exp" in properties and "kink" in properties
        await pilot.press("N")
        assert app.view.selected == 0


def test_adding_from_the_list_typing_a_name_and_a_formula():
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a", *"swi")
        assert isinstance(app.screen, AddScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("a", *"gelu", "enter")
        await pilot.pause()
        await pilot.press("a", *"x*sigmoid(1.702*x)", "enter")
        await pilot.pause()
        assert [a.label for a in app.view.acts] == ["relu", "silu", "gelu", "x*sigmoid(1.702*x)"]
        assert app.view.selected == 3
        value = g(1.0 / (1.0 + 2.718281828459045 ** -1.702) * 1.0)
        await pilot.press(*["shift+right"] * 1)
        assert f"x*sigmoid(1.702*x) = {value}" in readout(app)


@pytest.mark.parametrize("typed, cli_args", [
    ("x*tanh(x", ("eval", "x*tanh(x", "1")),
    ("leaky_relu:slop=2", ("eval", "leaky_relu:slop=2", "1")),
])
def test_a_bad_name_or_formula_is_reported_in_place(typed, cli_args):
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a", *typed, "enter")
        await pilot.pause()
        assert isinstance(app.screen, AddScreen)
        assert str(app.screen.query_one("#add-error").render()) == cli_error(*cli_args)
        await pilot.press("escape")
        assert not isinstance(app.screen, AddScreen)
        assert [a.label for a in app.view.acts] == ["relu"]


def test_a_name_the_catalog_does_not_know_takes_the_only_match_or_the_highlighted_one():
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a", *"leaky", "enter")  # leaky_relu is the only match listed
        await pilot.press("a", *"mis:", "enter")  # with nothing after the colon
        await pilot.press("a", *"softpl:beta=2", "enter")  # the parameters are kept
        await pilot.press("a", *"sig")
        burst(app, ["down", "enter"])  # ↓ highlights sigmoid, Enter arrives in the field
        await settle(pilot, lambda: not isinstance(app.screen, AddScreen))
        assert [a.label for a in app.view.acts] == [
            "relu", "leaky_relu", "mish", "softplus(beta=2)", "sigmoid"]
        assert message(app) == "added sigmoid"


@pytest.mark.parametrize("typed, expected", [
    # several listed: none is taken; the app points to its own list, not to the shell
    ("sigmod", "unknown function 'sigmod'; ↓ picks one of the 3 below"),
    ("zzz", "unknown function 'zzz'"),  # nothing listed
    ("x*sigmod(x)", "unknown name 'sigmod' at column 3; did you mean sigmoid?"),  # a formula's
])
def test_an_unknown_name_is_reported_in_place_without_sending_people_to_the_shell(typed, expected):
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a", *typed, "enter")
        assert isinstance(app.screen, AddScreen)
        assert str(app.screen.query_one("#add-error").render()) == expected
        assert [a.label for a in app.view.acts] == ["relu"]


def test_a_function_shown_already_is_refused_in_place():
    @explore("relu", "leaky_relu:negative_slope=0.2")
    async def _(pilot: Any, app: ExploreApp) -> None:
        for typed in ("relu", "ReLU", "leaky_relu:negative_slope=0.2"):
            await pilot.press("a", *typed, "enter")
            assert isinstance(app.screen, AddScreen)
            assert str(app.screen.query_one("#add-error").render()).endswith(" is shown already")
            await pilot.press("escape")
        await pilot.press("a", *"leaky_relu", "enter")  # another slope: another curve
        assert [a.label for a in app.view.acts] == [
            "relu", "leaky_relu(negative_slope=0.2)", "leaky_relu"]


def test_the_command_line_refuses_a_function_given_twice():
    result = CliRunner().invoke(cli_app, ["explore", "relu", "tanh", "relu"])
    assert result.exit_code == 2
    assert result.stderr == "actcli: error: relu given more than once; explore each function once\n"


def test_a_message_belongs_to_the_action_that_made_it():
    @explore("relu", "elu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a", *"leaky_relu", "enter")
        assert message(app) == "added leaky_relu"
        await pilot.press("e", *"0.2")  # an edit says nothing: the message goes
        assert app.view.act.label == "leaky_relu(negative_slope=0.2)" and message(app) == ""
        await pilot.press("enter", "l")
        assert message(app) == "x from 0 to 10"
        said = {"right": "", "1": "", "n": "selected relu (1 of 3)", "p": "", "N":
                "selected leaky_relu(negative_slope=0.2) (3 of 3): e edits negative_slope",
                "e": ""}
        for key, expected in said.items():  # each action says what it did, or nothing
            await pilot.press(key)
            assert message(app) == expected, key


def test_a_typo_still_lists_the_function_meant():
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a", *"sigmod")
        options = app.screen.query_one("#add-list")
        assert "sigmoid" in [options.get_option_at_index(i).id for i in range(options.option_count)]


def test_a_vector_function_cannot_be_added():
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a", *"softmax", "enter")
        await pilot.pause()
        assert "vector function" in str(app.screen.query_one("#add-error").render())


def test_removing_every_function_leaves_a_hint():
    @explore("relu", "tanh")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("x")
        assert [a.label for a in app.view.acts] == ["tanh"]
        await pilot.press("x")
        await pilot.pause()
        assert app.view.acts == [] and readout(app) == "x = 0"
        await pilot.press("c")
        assert message(app) == "nothing to reproduce: add a function first (a)"
        await pilot.press("s")
        assert message(app) == "nothing to export: add a function first"
        await pilot.press("right", "+", "e", "n", "1")  # nothing breaks
        assert readout(app) == "x = 0.1"
        await pilot.press("x")
        assert message(app) == "no function: press a to add one"
        assert "press a to add one" in str(app.query_one("#plot").render())


# --- a burst of keys -----------------------------------------------------------------------

KEY_NAMES = {"\x7f": "backspace", "\r": "enter", ".": "full_stop", ":": "colon"}


def burst(app: ExploreApp, keys: str | list[str]) -> None:
    """Send `keys` (characters, or names of keys without one: "down") as a terminal
    delivers a burst (a fast typist, keys over SSH): all of them before the app handles
    the first (pilot.press lets the app settle after each)."""
    from textual import events

    for key in keys:
        character = key if len(key) == 1 else "\r" if key == "enter" else None
        app.post_message(events.Key(KEY_NAMES.get(key, key), character))


async def settle(pilot: Any, done: Callable[[], bool]) -> None:
    """Let the app handle what was sent: until `done()`, or a hundred pauses."""
    for _ in range(100):
        if done():
            return
        await pilot.pause()


def test_a_burst_of_keys_in_the_add_dialog_is_applied_in_order():
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a")
        burst(app, "tanh\x7f\x7f\x7f\x7fgelu\r")
        await settle(pilot, lambda: not isinstance(app.screen, AddScreen))
        assert [a.label for a in app.view.acts] == ["relu", "gelu"]


def test_a_burst_of_keys_in_a_parameter_field_is_applied_in_order():
    @explore("leaky_relu", size=(80, 24))  # the field in the bar under the plot
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e")
        burst(app, "\x7f\x7f\x7f\x7f0.2")
        await settle(pilot, lambda: getattr(app.focused, "value", "") == "0.2")
        assert app.focused.value == "0.2" and app.view.acts[0].params["negative_slope"] == 0.2
        burst(app, "5\x7f\x7f3\r")  # 0.25, 0.2, 0., 0.3, back to the plot
        await settle(pilot, lambda: app.focused is app.query_one("#plot"))
        assert app.view.acts[0].params["negative_slope"] == 0.3


# --- view ----------------------------------------------------------------------------------

def test_zoom_pan_and_reset():
    @explore("sigmoid")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("+")
        assert (app.view.start, app.view.stop) == (-2.5, 2.5)
        await pilot.press("-", "-")
        assert (app.view.start, app.view.stop) == (-10.0, 10.0)
        await pilot.press("l")
        assert (app.view.start, app.view.stop) == (-5.0, 15.0)
        assert "x from -5 to 15" in message(app)
        await pilot.press("h", "h")
        assert (app.view.start, app.view.stop) == (-15.0, 5.0)
        await pilot.press("r")
        assert (app.view.start, app.view.stop, app.view.cursor) == (-5.0, 5.0, 0.0)


def test_zoom_around_the_cursor_keeps_it_in_place():
    @explore("sigmoid")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("shift+right", "shift+right", "+")
        assert (app.view.start, app.view.stop, app.view.cursor) == (-1.5, 3.5, 2.0)
        assert app.view.cursor_step() == 0.05


def test_the_range_message_reads_back_as_the_range_zoomed_in_far():
    """Zoomed in around x = 2 the range is 1.99999... to 2.00000...: the message keeps
    the digits that tell its ends apart (six would say "x from 2 to 2")."""
    @explore("sigmoid")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("shift+right", "shift+right", *["+"] * 22)
        said = re.fullmatch(r"x from (\S+) to (\S+)", message(app))
        assert said, message(app)
        assert (float(said[1]), float(said[2])) == (app.view.start, app.view.stop)
        assert app.view.start < 2 < app.view.stop and app.view.stop - app.view.start < 1e-5


def test_the_plot_fills_the_widget_and_follows_resizes():
    @explore("relu", "tanh", size=(120, 40))
    async def _(pilot: Any, app: ExploreApp) -> None:
        plot = app.query_one("#plot")
        for size in ((120, 40), (80, 24), (60, 16)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            lines = plot.render().plain().splitlines()
            assert len(lines) == plot.size.height
            assert max(map(len, lines)) <= plot.size.width
        assert plot.size.width >= 55  # the side panel is hidden when narrow


def test_a_tiny_terminal_gets_a_clear_message():
    @explore("relu", size=(30, 8))
    async def _(pilot: Any, app: ExploreApp) -> None:
        # relu's legend at 40 columns: the curves on one line, the marks' note on two
        assert str(app.query_one("#too-small").render()).startswith(
            "The terminal is 30x8; these curves, their legend and their values need at least "
            "40x13.")
        assert app.screen.has_class("too-small")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.screen.has_class("too-small")


def test_the_size_needed_follows_the_curves_shown_and_the_legend_is_always_whole():
    @explore("relu", "sigmoid", "tanh", size=(40, 12))
    async def _(pilot: Any, app: ExploreApp) -> None:
        # 3 functions and their f': 7 values, one a line at 40 columns, and 5 legend lines
        # (the curves on three, the marks' note on two)
        assert app.screen.has_class("too-small")
        assert "need at least 40x18" in str(app.query_one("#too-small").render())
        await pilot.press("1")  # f' hidden: 4 values, a legend line
        assert not app.screen.has_class("too-small")
        assert "▶ ── relu   ── sigmoid   ── tanh" in plot_text(app)
        await pilot.press("a", *"gelu", "enter")
        assert app.screen.has_class("too-small")
        await pilot.resize_terminal(40, 16)
        await pilot.pause()
        assert not app.screen.has_class("too-small") and "── gelu" in plot_text(app)


@pytest.mark.parametrize("size", [(40, 18), (60, 16), (80, 24)])
def test_the_plot_keeps_its_height_and_legend_as_the_readout_changes(size):
    @explore("sigmoid", "gelu", size=size)
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press(*["shift+left"] * 10)  # the cursor at -5
        plot, heights, readouts = app.query_one("#plot"), set(), set()
        for _ in range(40):  # values of every length: 0.00669285, -1.43337e-06, 0.5, 0 ...
            await pilot.press("shift+right" if app.view.cursor < 0 else "right")
            heights.add(plot.size.height)
            readouts.add(readout(app))
            legend = " ".join(plot_text(app).split())
            assert "▶ ── sigmoid" in legend and "╌╌ d/dx gelu" in legend
        assert len(readouts) == 40 and len(heights) == 1


def test_the_add_dialog_keeps_its_field_in_sight_in_a_small_terminal():
    @explore("relu", size=(40, 12))
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a")
        box, field = app.screen.query_one("#add-box"), app.screen.query_one("#add-input")
        assert field.region.height == 3 and box.content_region.contains_region(field.region)
        await pilot.press(*"sigmod", "enter")  # the list, and a message, fit too
        listed = app.screen.query_one("#add-list")
        error = app.screen.query_one("#add-error")
        assert box.content_region.contains_region(error.region) and listed.region.height >= 2


# --- reproducing the view ------------------------------------------------------------------

def test_the_export_is_the_png_of_actcli_plot_byte_for_byte(tmp_path, monkeypatch):
    @explore("leaky_relu", "gelu", directory=tmp_path)
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", *"0.13", "enter", "+", "2", "c")
        command = message(app)
        assert command == ("actcli plot leaky_relu:negative_slope=0.13 gelu -2.5 2.5 --grad --grad2 "
                           "-o actcli-explore.png")
        await pilot.press("s")
        assert message(app) == f"saved {tmp_path / 'actcli-explore.png'}"
        await pilot.press("s")  # never overwrites
        assert message(app) == f"saved {tmp_path / 'actcli-explore-2.png'}"
        args = shlex.split(command)[1:]
        args[-1] = str(tmp_path / "cli.png")
        monkeypatch.chdir(tmp_path)
        result = CliRunner().invoke(cli_app, args)
        assert result.exit_code == 0, result.stderr
    exported = (tmp_path / "actcli-explore.png").read_bytes()
    assert exported[:8] == b"\x89PNG\r\n\x1a\n"
    assert exported == (tmp_path / "cli.png").read_bytes()
    assert exported == (tmp_path / "actcli-explore-2.png").read_bytes()


def test_the_command_shown_after_a_save_writes_a_new_file(tmp_path, monkeypatch):
    @explore("relu", directory=tmp_path)
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("s", "c")  # actcli-explore.png is taken now
        assert message(app) == "actcli plot relu -5 5 --grad -o actcli-explore-2.png"
        monkeypatch.chdir(tmp_path)
        result = CliRunner().invoke(cli_app, shlex.split(message(app))[1:])
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "actcli-explore.png").read_bytes() == (
        tmp_path / "actcli-explore-2.png").read_bytes()


def test_a_formula_command_line_is_quoted_for_the_shell(tmp_path):
    @explore("x*sigmoid(1.702*x)", directory=tmp_path)
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("c")
        assert message(app) == "actcli plot 'x*sigmoid(1.702*x)' -5 5 --grad -o actcli-explore.png"


def test_help_opens_and_closes():
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("?")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert app.return_code == 0


def test_ctrl_c_quits_with_the_status_of_an_interrupt():
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("ctrl+c")
        assert app.return_code == 130


def test_ctrl_c_quits_from_a_parameter_field_and_the_add_dialog():
    # (their fields bind Ctrl+C to copy, and a parameter's value is selected on entry)
    @explore("elu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e")
        assert isinstance(app.focused, ParamInput) and app.focused.selected_text == "1"
        await pilot.press("ctrl+c")
        assert app.return_code == 130

    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a", *"gelu", "shift+home")  # what was typed, selected
        assert isinstance(app.screen, AddScreen)
        await pilot.press("ctrl+c")
        assert app.return_code == 130


# --- the command ---------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("explore",), "needs a terminal"),
    (("explore", "relu", "-3"), "give the range as START STOP"),
])
def test_explore_without_a_terminal_is_a_one_line_error(args, message):
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_command_collects_no_garbage_before_the_first_frame(monkeypatch):
    import gc

    from actcli.frontend.context import Environment

    seen = {}

    def run(self: ExploreApp) -> None:
        seen["start-up"] = gc.isenabled()
        self.on_first_frame()
        seen["after the first frame"] = gc.isenabled()

    monkeypatch.setattr(ExploreApp, "run", run)
    terminal = Environment(stdout_isatty=True, stdin_isatty=True, stderr_isatty=True, ci=False)
    try:
        result = CliRunner().invoke(cli_app, ["explore", "relu"], obj=terminal)
    finally:
        gc.unfreeze()  # (what the command froze: this process goes on)
        gc.enable()
    assert result.exit_code == 0, result.stderr
    assert seen == {"start-up": False, "after the first frame": True}


def test_on_first_frame_comes_once_the_plot_is_laid_out():
    sizes = []

    async def main() -> None:
        app = ExploreApp(View([function("relu")]),
                         on_first_frame=lambda: sizes.append(app.query_one("#plot").size.width))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("right")
            await pilot.pause()
    asyncio.run(main())
    assert sizes == [80]


def test_explore_piped_in_a_real_process_exits_2():
    result = subprocess.run([sys.executable, "-m", "actcli", "explore"], capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=60,
                            env=subprocess_env())
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("actcli: error: explore is interactive")


# --- a real terminal -----------------------------------------------------------------------

@pytest.fixture
def tmux(tmp_path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (apt-get install tmux; .ci/run installs it)")
    socket = f"actcli-test-{os.getpid()}-{tmp_path.name}"  # a server per test
    # The server's environment becomes the panes'. GNU readline (imported under pytest)
    # puts LINES=24 and COLUMNS=80 into the process's environment behind os.environ's back,
    # and Textual in the pane would believe them: hand tmux os.environ without them.
    env = {k: v for k, v in os.environ.items() if k not in ("LINES", "COLUMNS")}

    def run(*args: str) -> str:
        return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                              check=True, timeout=30, env=env).stdout

    yield run
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=30)


def wait_for(read: Callable[[], str], text: str, timeout: float = 60, gone: bool = False) -> str:
    """The screen once `text` is on it (or, `gone`, is no longer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = read()
        if (text in screen) != gone:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never {'left' if gone else 'appeared on'} the screen:\n{screen}")


@pytest.mark.parametrize("columns, rows", [(80, 24), (120, 40)])
def test_explore_in_tmux(tmux, tmp_path, columns, rows):
    command = (f"cd {shlex.quote(str(tmp_path))} && PYTHONPATH={shlex.quote(str(ROOT))} "
               f"{shlex.quote(sys.executable)} -m actcli explore sigmoid relu; echo EXIT=$?; sleep 30")
    tmux("new-session", "-d", "-s", "t", "-x", str(columns), "-y", str(rows), command)

    def screen() -> str:
        return tmux("capture-pane", "-p", "-t", "t")

    # Every key of the footer, none cut: the short form at 80 columns, the long one at 120.
    keys = " ".join(SHORT_KEYS) if columns < 100 else "  ".join(LONG_KEYS)
    shown = wait_for(screen, keys)  # the footer: the whole screen has been drawn
    assert shown.splitlines()[-1].strip() == keys
    if columns >= 100:
        shown = wait_for(screen, "Properties")  # the side panel, filled after the first frame
    assert "sigmoid'(x) = 0.25" in shown and "▶ ── sigmoid" in shown
    assert any("\u2800" < c <= "\u28ff" for c in shown)  # braille curves
    assert columns - 10 < max(len(line) for line in shown.splitlines()) <= columns  # fills it
    tmux("send-keys", "-t", "t", "n")
    shown = wait_for(screen, "selected relu (2 of 2)")
    assert "▶ relu(x) = 0" in shown and "▶ ── relu" in shown
    def axis(shown: str) -> int:
        """The length of the x axis: the plot's width but its y tick labels."""
        line = next(line for line in shown.splitlines() if "└" in line)
        return len(re.match("└[─┬]*", line[line.index("└"):]).group())

    width = axis(shown)
    # e edits in the side panel at 120 columns, under the plot at 80: never a narrower plot.
    tmux("send-keys", "-t", "t", "a")
    wait_for(screen, "Add a function")
    tmux("send-keys", "-t", "t", "elu")
    wait_for(screen, "▊  elu ")
    tmux("send-keys", "-t", "t", "Enter")
    wait_for(screen, "added elu")
    tmux("send-keys", "-t", "t", "e")
    time.sleep(0.5)  # (the field takes the focus after the key)
    tmux("send-keys", "-t", "t", "Down")
    shown = wait_for(screen, "elu (alpha=0.9)")
    assert axis(shown) >= width - 2  # (the tick labels of elu's y range may be wider)
    assert ("back to the plot" in shown) == (columns < 100)  # the bar's line of keys
    tmux("send-keys", "-t", "t", "Escape")
    wait_for(screen, "back to the plot", gone=True)
    time.sleep(0.5)  # (an Escape followed at once by a key reads as Alt+key)
    tmux("send-keys", "-t", "t", "Right")
    wait_for(screen, "x = 0.1")
    tmux("send-keys", "-t", "t", "?")
    wait_for(screen, "Cursor and view")
    tmux("send-keys", "-t", "t", "Escape")
    time.sleep(0.5)  # (an Escape followed at once by a key reads as Alt+key)
    tmux("send-keys", "-t", "t", "s")
    wait_for(screen, "saved")
    tmux("send-keys", "-t", "t", "q")
    wait_for(screen, "EXIT=0")
    assert (tmp_path / "actcli-explore.png").exists()


def start_in_tmux(tmux: Callable[..., str], tmp_path: Path, size: tuple[int, int], *args: str
                  ) -> Callable[[], str]:
    """`actcli explore ARGS` in a tmux session "t" (then `echo EXIT=$?`); what reads the screen."""
    command = (f"cd {shlex.quote(str(tmp_path))} && PYTHONPATH={shlex.quote(str(ROOT))} "
               f"{shlex.quote(sys.executable)} -m actcli explore {shlex.join(args)}; "
               "echo EXIT=$?; sleep 90")
    tmux("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]), command)
    return lambda: tmux("capture-pane", "-p", "-t", "t")


def test_a_burst_of_keys_in_one_write_is_applied_in_order_in_tmux(tmux, tmp_path):
    screen = start_in_tmux(tmux, tmp_path, (80, 24), "leaky_relu")
    wait_for(screen, "q quit")
    tmux("send-keys", "-t", "t", "a")
    wait_for(screen, "Add a function")
    tmux("send-keys", "-t", "t", "-l", "tanh\x7f\x7f\x7f\x7fgelu\r")  # one write
    wait_for(screen, "added gelu")
    tmux("send-keys", "-t", "t", "N", "e")  # leaky_relu's negative_slope, 0.01 selected
    wait_for(screen, "back to the plot")
    tmux("send-keys", "-t", "t", "-l", "\x7f\x7f\x7f\x7f0.2\r")
    shown = wait_for(screen, "back to the plot", gone=True)
    assert "leaky_relu (negative_slope=0.2)" in shown


def test_what_is_due_after_the_first_frame_does_nothing_once_the_app_closes():
    from actcli.tui.widgets import ParamFields, SidePanel

    @explore("elu", size=(80, 24))
    async def _(pilot: Any, app: ExploreApp) -> None:
        # Ctrl-C just after the first frame: the panel's filling and the fields' making
        # come when their widgets are no longer in the app (they raised MountError).
        fields, panel = ParamFields(app.view, compact=True), SidePanel(app.view)
        await fields.sync()
        await panel.fill()
        assert not fields.children and not panel.children


def test_ctrl_c_in_a_terminal_exits_130(tmux, tmp_path):
    screen = start_in_tmux(tmux, tmp_path, (80, 24), "relu")
    wait_for(screen, "q quit")
    tmux("send-keys", "-t", "t", "C-c")  # a key in the app's raw terminal, not a signal
    wait_for(screen, "EXIT=130")


def test_sigint_exits_130(tmp_path):
    """SIGINT from outside the terminal (kill -INT) quits as Ctrl-C does."""
    import fcntl
    import pty
    import select
    import signal
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "actcli", "explore", "relu"], cwd=tmp_path,
                               stdin=follower, stdout=follower, stderr=follower,
                               env=subprocess_env(TERM="xterm-256color"), start_new_session=True,
                               preexec_fn=interruptible)
    os.close(follower)
    screen, interrupted, deadline = b"", False, time.monotonic() + 60
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.1)[0]:  # (read: a full terminal would block it)
                try:
                    screen += os.read(leader, 1 << 16)
                except OSError:  # (the child has closed the terminal)
                    pass
            if not interrupted and b"quit" in screen:  # the footer: the app is running
                process.send_signal(signal.SIGINT)
                interrupted = True
        assert interrupted and process.wait(timeout=10) == 130
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)


def test_float32_is_computed_and_reproduced_in_float32(tmp_path):
    @explore("gelu", dtype="float32", directory=tmp_path)
    async def _(pilot: Any, app: ExploreApp) -> None:
        import numpy as np

        await pilot.press(*["right"] * 3)
        expected = actcli.get("gelu").f(np.float32(0.3))
        assert expected.dtype == np.float32
        assert f"gelu(x) = {g(expected)}" in readout(app)
        await pilot.press("c")
        assert message(app).endswith("--grad --dtype float32 -o actcli-explore.png")


def test_the_list_puts_the_exact_name_first():
    @explore("relu")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("a", *"elu")
        options = app.screen.query_one("#add-list")
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[0] == "elu" and "relu" in ids and "selu" in ids
        await pilot.press("down", "enter")
        assert [a.label for a in app.view.acts] == ["relu", "elu"]


def test_panning_off_the_float_range_and_stepping_inf_are_refused_in_place():
    @explore("relu", start=-8e307, stop=8e307)
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("l", "l", "l")
        assert "cannot pan further" in message(app)
        assert math.isfinite(app.view.stop)

    @explore("softplus")
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", "tab")  # threshold, inf by default: it has no next value
        field = app.focused
        assert isinstance(field, ParamInput) and field.param.name == "threshold"
        await pilot.press("up", "down")
        assert field.value == "inf" and app.view.acts[0].params["threshold"] == math.inf


def test_the_explorers_range_is_limited_on_the_command_line():
    result = CliRunner().invoke(cli_app, ["explore", "relu", "-1e13", "1e13"])
    assert result.exit_code == 2 and "at most 1e+12 wide" in result.stderr


def test_a_reversed_range_is_the_same_range_as_for_plot():
    result = CliRunner().invoke(cli_app, ["explore", "relu", "3", "-3"])
    assert result.exit_code == 2 and "needs a terminal" in result.stderr  # the range was fine
    result = CliRunner().invoke(cli_app, ["explore", "relu", "1", "1"])
    assert result.exit_code == 2 and "range is empty" in result.stderr


def test_a_reversed_range_is_explored_in_order_in_the_app_and_on_the_page(monkeypatch):
    import gc

    from actcli.frontend.context import Environment

    seen = []
    monkeypatch.setattr(ExploreApp, "run", lambda self: seen.append(
        (self.view.start, self.view.stop, self.view.cursor)))
    terminal = Environment(stdout_isatty=True, stdin_isatty=True, stderr_isatty=True, ci=False)
    try:
        result = CliRunner().invoke(cli_app, ["explore", "relu", "3", "-3"], obj=terminal)
    finally:
        gc.enable()  # (the command collects from the first frame, which never came)
    assert result.exit_code == 0, result.stderr
    assert seen == [(-3.0, 3.0, 0.0)]
    pages = [CliRunner().invoke(cli_app, ["explore", "relu", *bounds, "--html", "-"])
             for bounds in (("3", "-3"), ("-3", "3"))]
    assert all(page.exit_code == 0 for page in pages)
    assert pages[0].stdout == pages[1].stdout


def test_a_step_is_a_tenth_of_the_start_values_order_of_magnitude():
    from actcli.tui.state import stepped

    assert [stepped(1.0, k) for k in (-2, -1, 0, 1)] == [0.8, 0.9, 1.0, 1.1]
    assert [stepped(250.0, k) for k in (-1, 1)] == [240.0, 260.0]
    assert [stepped(0.0, k) for k in (-1, 1)] == [-0.1, 0.1]
    assert stepped(0.2, 10) == 0.3  # the float "0.3" reads as: 0.2 + 0.1 is not
    assert stepped(1e-7, 3) == 1.3e-7


def test_parameters_keep_every_digit_in_the_fields_and_the_command(tmp_path):
    @explore("rrelu:upper=0.987654321", directory=tmp_path)  # `info` would show 0.987654
    async def _(pilot: Any, app: ExploreApp) -> None:
        await pilot.press("e", "tab")
        assert app.focused.param.name == "upper" and app.focused.value == "0.987654321"
        await pilot.press("shift+tab", *"0.1", "enter", "c")  # lower: upper is kept whole
        assert app.view.acts[0].params == {"lower": 0.1, "upper": 0.987654321}
        assert message(app).startswith("actcli plot rrelu:lower=0.1,upper=0.987654321 -5 5")
