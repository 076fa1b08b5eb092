"""The Textual app of `actcli explore`: a plot with a cursor, a readout, and a side panel
with the functions, the selected function's parameters and its properties. Without the
panel (below SIDEBAR_FROM columns, or hidden with p), `e` edits the parameters in a bar
under the plot, which keeps its width.

All numbers and texts come from `actcli.tui.state.View` (the command line's code);
this module lays out the widgets (actcli.tui.widgets) and maps keys to View calls.
After each change of the View it bumps `revision`, the one refresh path: the plot, the
readout and the side panel are bound to it and redraw what changed. Nothing here raises
past a key press: an error is a message in place.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from actcli.catalog.spec import format_param
from actcli.errors import InputError, RunError
from actcli.tui.messages import EditDone, ParamSet
from actcli.tui.state import View
from actcli.tui.widgets import KeyBar, ParamFields, PlotView, Readout, SidePanel

# Below 40 columns, or a height without room for the plot's whole legend and the readout
# (_full_height), the app says so instead of drawing a squashed plot.
MIN_WIDTH = 40
# The footer, most useful first, short and long: all of it fits in 80 columns (? lists
# every key). Our own, as Textual's Footer cost the first frame dearly (benchmarks/README.md).
KEYS = (("q quit", "q quit"), ("? help", "? help"), ("←→ cursor", "←/→ cursor"),
        ("a add", "a add"), ("x del", "x remove"), ("e edit", "e edit"), ("n next", "n next"),
        ("+- zoom", "+/- zoom"), ("12 f'/f''", "1/2 f'/f''"), ("s png", "s save png"),
        ("c cmd", "c command"))
SIDEBAR_FROM = 100  # columns from which the side panel is shown (p toggles it)
SIDEBAR_WIDTH = 38


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
    #sidebar { width: %d; border-left: solid $panel-lighten-2; padding: 0 1; }
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
    """ % SIDEBAR_WIDTH
    BINDINGS = [
        Binding("q", "quit", "quit"),
        Binding("ctrl+c", "interrupt", "quit", priority=True),
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

    # (repaint=False: an App's reactive would repaint the whole screen; the widgets bound
    # to these redraw what they show.)
    revision: reactive[int] = reactive(0, repaint=False)  # bumped after each change of the View
    sidebar: reactive[bool] = reactive(False, repaint=False)  # the side panel is shown

    def __init__(self, view: View, directory: Path | None = None,
                 on_first_frame: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.view = view
        self.directory = directory or Path.cwd()
        self.on_first_frame = on_first_frame  # called once the first frame is drawn

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield PlotView(self.view, id="plot").data_bind(ExploreApp.revision)
                yield ParamFields(self.view, compact=True, id="param-bar", classes="hidden"
                                  ).data_bind(ExploreApp.revision, ExploreApp.sidebar)
            yield SidePanel(self.view, id="sidebar").data_bind(ExploreApp.revision,
                                                               ExploreApp.sidebar)
        yield Readout(self.view, id="readout").data_bind(ExploreApp.revision)
        yield Static(id="message")
        yield KeyBar(KEYS, id="keys")

    def on_mount(self) -> None:
        self.sidebar = self.size.width >= SIDEBAR_FROM
        self.query_one("#plot").focus()
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        self._fit(self.size.width, self.size.height)
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # (nohup ... & ignores it)
            asyncio.get_running_loop().add_signal_handler(signal.SIGINT, self.action_interrupt)
        if self.on_first_frame is not None:
            self.call_after_refresh(self.on_first_frame)

    def on_resize(self, event: Any) -> None:
        self._set_sidebar(event.size.width >= SIDEBAR_FROM)
        self._fit(event.size.width, event.size.height)

    def _set_sidebar(self, shown: bool) -> None:
        """Show or hide the side panel; the parameter fields move with it (to the bar)."""
        if shown == self.sidebar:
            return
        editing = self._editing()
        self.sidebar = shown
        if editing:
            self.call_after_refresh(self.action_edit)

    def _editing(self) -> bool:
        return any(field is self.focused for field in self.query("ParamInput"))

    def _focus_moved(self, focused: Widget | None) -> None:
        """The bar is there while one of its fields has the focus."""
        bar = self.query_one("#param-bar")
        bar.set_class(focused is None or bar not in focused.ancestors, "hidden")

    def _fit(self, width: int, height: int) -> None:
        """Say so when the terminal is too small for the curves, their legend and values."""
        needed = self._full_height(max(width, MIN_WIDTH))
        small = width < MIN_WIDTH or height < needed
        self.screen.set_class(small, "too-small")
        if small:
            text = (f"The terminal is {width}x{height}; these curves, their legend and their "
                    f"values need at least {max(width, MIN_WIDTH)}x{needed}. Enlarge it, show "
                    "fewer curves (1 and 2 hide f' and f''; x removes the selected function), "
                    "or press q to quit.")
            found = self.query("#too-small")
            if found:
                found.first(Static).update(text)
            else:  # made when first needed: one widget less before the first frame
                self.mount(Static(text, id="too-small"), before="#keys")

    def _full_height(self, width: int) -> int:
        """The height at which the plot has its whole legend and three rows of curves
        above the readout, the message line and the keys, at `width` columns."""
        labels = [label for label, _, _ in self.view.readout()]
        readout = len(Readout.lines(labels, width - 2))  # (the readout's padding)
        plot = self.view.plot(width - SIDEBAR_WIDTH * self.sidebar, 0)
        return (plot.full_height() if plot is not None else 1) + readout + 2

    def watch_revision(self) -> None:
        self._fit(self.size.width, self.size.height)  # (the curves shown may have changed)

    def watch_sidebar(self) -> None:
        self._fit(self.size.width, self.size.height)  # (the plot's width has changed)

    def _say(self, message: str, *, error: bool = False) -> None:
        widget = self.query_one("#message", Static)
        if str(widget.content) != message:  # (an update lays out the screen again)
            widget.update(Text(message))
        widget.set_class(error, "error")

    def _changed(self, message: str = "") -> None:
        """After a change of the View: everything redraws, and the status line says what
        this change did, or nothing (a message belongs to the action that made it)."""
        self.revision += 1
        self._say(message)

    @on(ParamSet)
    def _param_set(self) -> None:
        self._changed()

    @on(EditDone)
    def _edit_done(self) -> None:
        self.action_focus_plot()

    # --- actions --------------------------------------------------------------------------

    def action_move(self, steps: int, large: bool = False) -> None:
        self.view.move_cursor(steps, large=large)
        self._changed()

    def action_zoom(self, factor: float) -> None:
        self._move_view(lambda: self.view.zoom(factor))

    def action_pan(self, direction: int) -> None:
        self._move_view(lambda: self.view.pan(direction))

    def _move_view(self, move: Callable[[], None]) -> None:
        try:
            move()
        except InputError as error:
            self._say(str(error), error=True)
            return
        self._changed(self._range())

    def _range(self) -> str:
        """The view's range with every digit it needs: zoomed in far, 1.9999983 to
        2.0000007 (six digits would say "from 2 to 2")."""
        return f"x from {format_param(self.view.start)} to {format_param(self.view.stop)}"

    def action_reset(self) -> None:
        self.view.reset()
        self._changed(f"view reset: {self._range()}")

    def action_toggle(self, order: int) -> None:
        self.view.toggle(order)
        self._changed()

    def action_add(self) -> None:
        def added(text: str | None) -> None:
            if text:
                try:
                    self.view.add(text)
                except InputError as error:  # (the screen checked it already)
                    self._say(str(error), error=True)
                    return
                self._changed(f"added {self.view.act.label}")

        from actcli.tui.screens import AddScreen

        self.push_screen(AddScreen(self.view), added)

    def action_remove(self) -> None:
        if self.view.act is None:
            self._say("no function: press a to add one")
            return
        label = self.view.act.label
        self.view.remove()
        left = f"; selected {self.view.act.label}" if len(self.view.acts) > 1 else ""
        self._changed(f"removed {label}{left}")

    def action_select(self, offset: int) -> None:
        if not self.view.acts:
            self._say("no function: press a to add one")
            return
        self.view.select(offset)
        act = self.view.act
        names = ", ".join(p.name for p in act.spec.params)
        self._changed(f"selected {act.label} ({self.view.selected + 1} of {len(self.view.acts)})"
                      + (f": e edits {names}" if names else ""))

    async def action_edit(self) -> None:
        act = self.view.act
        if act is None:
            self._say("no function: press a to add one")
            return
        if not act.spec.params:
            self._say(f"{act.label} has no parameters")
            return
        fields = self.query_one("#param-bar", ParamFields)
        if self.sidebar:
            panel = self.query_one(SidePanel)
            await panel.fill()  # (e before the first frame)
            fields = panel.query_one(ParamFields)
        await fields.sync()  # (e before the first frame)
        if not self.sidebar:
            fields.remove_class("hidden")
        fields.query("ParamInput").first().focus()
        self._say("")  # (the fields say what they need)

    def action_interrupt(self) -> None:
        """Ctrl-C (a key in the app's raw terminal) or SIGINT: quit with the shell's
        status for an interrupted command, 130 (q quits with 0)."""
        self.exit(return_code=128 + signal.SIGINT)

    def action_sidebar(self) -> None:
        self._set_sidebar(not self.sidebar)
        self._say("")

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
        from actcli.tui.screens import HelpScreen

        self.push_screen(HelpScreen())
