"""The Textual app of `actcli explore`: a plot with a cursor, a readout, and a side panel
with the functions, the selected function's parameters and its properties. Without the
panel (below SIDEBAR_FROM columns, or hidden with p), `e` edits the parameters in a bar
under the plot, which keeps its width.

All numbers and texts come from `actcli.explore.state.View` (the command line's code);
this module lays them out and maps keys to View calls. Nothing here raises past a key
press: an error is a message in place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalGroup, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from actcli.catalog.spec import format_param
from actcli.errors import InputError, RunError
from actcli.explore.state import View
from actcli.explore.widgets import KeyBar, PlotView, Readout
from actcli.present.plot.figure import PALETTE

MIN_WIDTH, MIN_HEIGHT = 40, 12  # below this the app says so instead of a squashed plot
# The footer, most useful first, short and long: all of it fits in 80 columns (? lists
# every key). Textual's Footer recomposes on every focus change: a third of the time to
# the first frame.
KEYS = (("q quit", "q quit"), ("? help", "? help"), ("←→ cursor", "←/→ cursor"),
        ("a add", "a add"), ("x del", "x remove"), ("e edit", "e edit"), ("n next", "n next"),
        ("+- zoom", "+/- zoom"), ("12 f'/f''", "1/2 f'/f''"), ("s png", "s save png"),
        ("c cmd", "c command"))
SIDEBAR_FROM = 100  # columns from which the side panel is shown (p toggles it)


class ExploreApp(App[None]):
    TITLE = "actcli explore"
    ENABLE_COMMAND_PALETTE = False  # every action has its key, listed by ?
    CSS = """
    Screen { layout: vertical; }
    #main { height: 1fr; }
    #left { width: 1fr; }
    #readout { height: auto; padding: 0 1; background: $boost; }
    #message { height: auto; padding: 0 1; }
    #message.error { color: $error; }
    #sidebar { width: 38; border-left: solid $panel-lighten-2; padding: 0 1; }
    #sidebar.hidden { display: none; }
    .heading { text-style: bold; margin-top: 1; }
    #params { height: auto; }
    .param-error { color: $error; height: auto; }
    #param-bar { height: auto; padding: 0 1; background: $boost; }
    #param-bar.hidden { display: none; }
    #param-bar ParamInput { width: 24; }
    #param-bar HorizontalGroup Static { width: auto; }
    #keys { height: 1; background: $panel; }
    #too-small { display: none; height: 1fr; content-align: center middle; }
    Screen.too-small #too-small { display: block; }
    Screen.too-small #main, Screen.too-small #readout, Screen.too-small #message,
    Screen.too-small #keys { display: none; }
    """
    BINDINGS = [
        Binding("q", "quit", "quit"),
        Binding("ctrl+c", "quit", "quit", priority=True),
        Binding("question_mark", "help", "help"),
        Binding("left", "move(-1)", "cursor"),
        Binding("right", "move(1)", "cursor"),
        Binding("shift+left", "move(-1, True)"),
        Binding("shift+right", "move(1, True)"),
        Binding("plus,equals_sign", "zoom(0.5)", "zoom"),
        Binding("minus", "zoom(2)", "out"),
        Binding("h", "pan(-1)", "pan"),
        Binding("l", "pan(1)", "pan"),
        Binding("r", "reset", "reset"),
        Binding("1", "toggle(1)", "f'"),
        Binding("2", "toggle(2)", "f''"),
        Binding("a", "add", "add"),
        Binding("x", "remove", "remove"),
        Binding("n", "select(1)", "next"),
        Binding("N", "select(-1)", "previous"),
        Binding("e", "edit", "params"),
        Binding("p", "sidebar", "panel"),
        Binding("c", "command", "command"),
        Binding("s", "save", "save png"),
        Binding("escape", "focus_plot"),
    ]

    def __init__(self, view: View, directory: Path | None = None,
                 on_first_frame: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.view = view
        self.directory = directory or Path.cwd()
        self.on_first_frame = on_first_frame  # called once the first frame is drawn
        self._panel_filled = False  # the side panel's contents and the parameter fields

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield PlotView(self.view, id="plot")
                yield Vertical(id="param-bar", classes="hidden")
            yield VerticalScroll(id="sidebar")  # filled after the first frame (_fill_panel)
        yield Readout(self.view, id="readout")
        yield Static(id="message")
        yield KeyBar(KEYS, id="keys")

    def on_mount(self) -> None:
        self.query_one("#sidebar").set_class(self.size.width < SIDEBAR_FROM, "hidden")
        self.query_one("#plot").focus()
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        self._fit(self.size.width, self.size.height)
        # The panel's widgets (and their styles and layout) are a third of the time from
        # here to the first frame, whose plot and readout they do not change.
        self.call_after_refresh(self._fill_panel)
        if self.on_first_frame is not None:
            self.call_after_refresh(self.on_first_frame)

    def _fill_panel(self) -> None:
        """The side panel's headings, functions, parameters and properties; the fields."""
        if self._panel_filled:
            return
        self._panel_filled = True
        self.query_one("#sidebar").mount(
            Static("Functions", classes="heading"), Static(id="functions"),
            Static("Parameters (e edits, Esc back)", classes="heading"), Vertical(id="params"),
            Static("Properties", classes="heading"), Static(id="properties"))
        self._show_functions()
        self._show_params()
        self.call_after_refresh(self._show_properties)  # after the plot is on screen

    def on_resize(self, event: Any) -> None:
        self._set_sidebar(event.size.width >= SIDEBAR_FROM)
        self._fit(event.size.width, event.size.height)

    def _sidebar_shown(self) -> bool:
        return not self.query_one("#sidebar").has_class("hidden")

    def _set_sidebar(self, shown: bool) -> None:
        """Show or hide the side panel; the parameter fields move with it (to the bar)."""
        if shown == self._sidebar_shown():
            return
        editing = self._editing()
        self.query_one("#sidebar").set_class(not shown, "hidden")
        self._show_params()
        if editing:
            self.call_after_refresh(self.action_edit)

    def _editing(self) -> bool:
        return any(field is self.focused for field in self.query("ParamInput"))

    def _focus_moved(self, focused: Widget | None) -> None:
        """The bar is there while one of its fields has the focus."""
        bar = self.query_one("#param-bar")
        bar.set_class(focused is None or bar not in focused.ancestors, "hidden")

    def _fit(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.screen.set_class(small, "too-small")
        if small:
            text = (f"The terminal is {width}x{height}; actcli explore needs at least "
                    f"{MIN_WIDTH}x{MIN_HEIGHT}. Enlarge it, or press q to quit.")
            found = self.query("#too-small")
            if found:
                found.first(Static).update(text)
            else:  # made when first needed: one widget less before the first frame
                self.mount(Static(text, id="too-small"), before="#keys")

    # --- what is shown --------------------------------------------------------------------

    def _redraw(self) -> None:
        """The plot and the readout after any change of view, cursor or functions."""
        self.query_one("#plot", PlotView).refresh()
        self.query_one("#readout", Readout).refresh(layout=True)

    def _functions_changed(self) -> None:
        """Plot, readout, the functions list, parameters and properties."""
        self._redraw()
        self._show_functions()
        self._show_params()
        self.call_after_refresh(self._show_properties)  # after the plot is on screen

    def _show_functions(self) -> None:
        if not self._panel_filled:
            return  # (_fill_panel shows them)
        listing = Text(no_wrap=True, overflow="ellipsis")  # a long label is cut, not broken
        for i, act in enumerate(self.view.acts):
            if i:
                listing.append("\n")
            marker = "▶ " if i == self.view.selected else "  "
            listing.append(marker, "bold")
            listing.append("── ", PALETTE[i % len(PALETTE)])
            listing.append(act.label, "bold" if i == self.view.selected else "")
        self.query_one("#functions", Static).update(listing or Text("none: press a"))

    def _show_params(self) -> None:
        """The selected function's parameter fields, in the side panel or else the bar."""
        if not self._panel_filled:
            return
        compact = not self._sidebar_shown()
        for box in self.query("#params, #param-bar"):
            box.remove_children()
        self.query_one("#param-bar" if compact else "#params").mount(
            *self._param_widgets(compact))

    def _param_widgets(self, compact: bool = False) -> list[Widget]:
        """Per parameter of the selected function: its name and range, a field and the
        field's error line; in the bar, one line each under a line of keys."""
        act = self.view.act
        if act is None or not act.spec.params:
            return [] if compact else [Static("none")]
        from actcli.explore.params import ParamInput  # (Textual's Input: only when needed)

        widgets: list[Widget] = [Static(f"{act.name}: ↑/↓ step (Shift: 10x), Enter or Esc: "
                                        "back to the plot")] if compact else []
        for p in act.spec.params:
            field = ParamInput(p, format_param(act.params[p.name]), self._apply_param,
                               self.action_focus_plot, compact=compact)
            if compact:
                widgets += [HorizontalGroup(Static(f"{p.name} "), field,
                                            Static(f" {p.describe()}")), field.error]
            else:
                widgets += [Static(f"{p.name}  ({p.describe()})"), field, field.error]
        return widgets

    def _show_properties(self) -> None:
        if not self._panel_filled:
            return
        text = Text()
        for i, (key, value) in enumerate(self.view.properties()):
            if i:
                text.append("\n")
            text.append(f"{key}: ", "bold")
            text.append(value)
        self.query_one("#properties", Static).update(text)

    def _say(self, message: str, *, error: bool = False) -> None:
        widget = self.query_one("#message", Static)
        widget.update(Text(message))
        widget.set_class(error, "error")

    # --- actions --------------------------------------------------------------------------

    def action_move(self, steps: int, large: bool = False) -> None:
        self.view.move_cursor(steps, large=large)
        self._redraw()

    def action_zoom(self, factor: float) -> None:
        try:
            self.view.zoom(factor)
        except InputError as error:
            self._say(str(error), error=True)
            return
        self._say(f"x from {self.view.start:g} to {self.view.stop:g}")
        self._redraw()

    def action_pan(self, direction: int) -> None:
        try:
            self.view.pan(direction)
        except InputError as error:
            self._say(str(error), error=True)
            return
        self._say(f"x from {self.view.start:g} to {self.view.stop:g}")
        self._redraw()

    def action_reset(self) -> None:
        self.view.reset()
        self._say(f"view reset: x from {self.view.start:g} to {self.view.stop:g}")
        self._redraw()

    def action_toggle(self, order: int) -> None:
        self.view.toggle(order)
        self._redraw()

    def action_add(self) -> None:
        def added(text: str | None) -> None:
            if text:
                try:
                    self.view.add(text)
                except InputError as error:  # (the screen checked it already)
                    self._say(str(error), error=True)
                    return
                self._say(f"added {self.view.act.label}")
                self._functions_changed()

        from actcli.explore.screens import AddScreen

        self.push_screen(AddScreen(), added)

    def action_remove(self) -> None:
        if self.view.act is None:
            self._say("no function: press a to add one")
            return
        label = self.view.act.label
        self.view.remove()
        left = f"; selected {self.view.act.label}" if len(self.view.acts) > 1 else ""
        self._say(f"removed {label}{left}")
        self._functions_changed()

    def action_select(self, offset: int) -> None:
        if not self.view.acts:
            self._say("no function: press a to add one")
            return
        self.view.select(offset)
        act = self.view.act
        names = ", ".join(p.name for p in act.spec.params)
        self._say(f"selected {act.label} ({self.view.selected + 1} of {len(self.view.acts)})"
                  + (f": e edits {names}" if names else ""))
        self._redraw()  # the legend and the readout mark it
        self._show_functions()
        self._show_params()
        self._show_properties()

    def action_edit(self) -> None:
        act = self.view.act
        if act is None:
            self._say("no function: press a to add one")
            return
        if not act.spec.params:
            self._say(f"{act.label} has no parameters")
            return
        if not self._panel_filled:  # e before the first frame
            self._fill_panel()
            self.call_after_refresh(self.action_edit)  # once the fields are mounted
            return
        if not self._sidebar_shown():
            self.query_one("#param-bar").remove_class("hidden")
        self.query("ParamInput").first().focus()

    def action_sidebar(self) -> None:
        self._set_sidebar(not self._sidebar_shown())

    def action_focus_plot(self) -> None:
        self.query_one("#plot").focus()

    def action_command(self) -> None:
        if not self.view.acts:
            self._say("nothing to reproduce: add a function first (a)", error=True)
            return
        self._say(self.view.command(self.view.export_name(self.directory).name))

    def action_save(self) -> None:
        try:
            path = self.view.export(self.directory)
        except (InputError, RunError, OSError) as error:
            self._say(str(error), error=True)
            return
        self._say(f"saved {path}")

    def action_help(self) -> None:
        from actcli.explore.screens import HelpScreen

        self.push_screen(HelpScreen())

    def _apply_param(self, name: str, value: str) -> str | None:
        """Set a parameter of the selected function; the error message if it is not valid."""
        try:
            self.view.set_param(name, value)
        except InputError as problem:
            return str(problem)
        self._redraw()
        self._show_functions()
        self.call_after_refresh(self._show_properties)
        return None
