"""The Textual app of `actcli explore`: a plot with a cursor, a readout, and a side panel
with the functions, the selected function's parameters and its properties.

All numbers and texts come from `actcli.explore.state.View` (the command line's code);
this module lays them out and maps keys to View calls. Nothing here raises past a key
press: an error is a message in place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from actcli.catalog import REGISTRY
from actcli.catalog.spec import format_param
from actcli.explore.state import ExploreError, View, _tidy, function
from actcli.plot import PALETTE

MIN_WIDTH, MIN_HEIGHT = 40, 12  # below this the app says so instead of a squashed plot
SIDEBAR_FROM = 100  # columns from which the side panel is shown at start

HELP = """\
[b]actcli explore[/b] — move a cursor over activations and their derivatives

[b]Cursor and view[/b]
  ←/→          move the cursor (Shift: 10x larger steps)
  + / -        zoom in / out around the cursor
  h / l        pan left / right
  r            reset the view
  1 / 2        show or hide f' / f''

[b]Functions[/b]
  a            add a function: search the catalog or type a formula in x
  x            remove the selected function
  n / N        select the next / previous function
  e            edit the selected function's parameters: type a value,
               or ↑/↓ to step it (Shift: 10x); Enter or Esc: back
  p            show or hide the side panel (parameters, properties)

[b]Reproduce[/b]
  c            show the `actcli plot` command line of this view
  s            save the view as a PNG here (a new file each time)

  ?  this help      q or Ctrl-C  quit

The readout shows values as `actcli eval/grad` computes them (at a kink,
PyTorch's convention). Esc, q or ? closes this help."""


class PlotView(Widget, can_focus=True):
    """The plot, drawn for the widget's size on every refresh."""

    DEFAULT_CSS = "PlotView { height: 1fr; width: 1fr; }"

    def __init__(self, view: View, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view

    def render(self) -> Any:
        drawn = self.view.plot(self.size.width, self.size.height)
        if drawn is None:
            return Text("No function: press a to add one.", style="bold")
        return drawn


class Readout(Widget):
    """`x = ...` and every curve's value at the cursor; lines break between values only."""

    DEFAULT_CSS = "Readout { height: auto; }"

    def __init__(self, view: View, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view

    def _text(self, width: int) -> Text:
        text, used = Text(), 0
        for i, (label, value) in enumerate(self.view.readout()):
            size = len(label) + 3 + len(value)
            if i and used + 3 + size > width:
                text.append("\n")
                used = 0
            elif i:
                text.append("   ")
                used += 3
            text.append(f"{label} = ", "bold" if i == 0 else "")
            text.append(value, "bold")
            used += size
        return text

    def render(self) -> Text:
        return self._text(self.content_size.width)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self._text(width).plain.splitlines()) or 1


class ParamInput(Input):
    """A parameter's value: typed, or stepped with ↑/↓ (Shift: 10x); choices cycle."""

    BINDINGS = [
        Binding("up", "step(1)", "step up", show=False),
        Binding("down", "step(-1)", "step down", show=False),
        Binding("shift+up", "step(10)", "step up 10x", show=False),
        Binding("shift+down", "step(-10)", "step down 10x", show=False),
    ]

    def __init__(self, param: Any, value: str, **kwargs: Any) -> None:
        super().__init__(value=value, **kwargs)
        self.param = param
        self.error = Static("", classes="param-error")  # the catalog's message, in place

    def action_step(self, steps: int) -> None:
        if self.param.choices:
            choices = self.param.choices
            index = choices.index(self.value) if self.value in choices else -1
            self.value = choices[(index + (1 if steps > 0 else -1)) % len(choices)]
            return
        try:
            current = float(self.value)
        except ValueError:
            return
        import math

        # A step in the second significant digit: 0.01 -> 0.011, 1 -> 1.1, 250 -> 260.
        unit = 10.0 ** (math.floor(math.log10(abs(current))) - 1) if current else 0.1
        self.value = format_param(_tidy(current + steps * unit))


class AddScreen(ModalScreen[str]):
    """Pick a catalog function (names and aliases, filtered as you type) or type a formula."""

    BINDINGS = [Binding("escape", "dismiss_none", "close")]
    DEFAULT_CSS = """
    AddScreen { align: center middle; }
    #add-box { width: 80%; max-width: 90; height: 80%; border: round $accent; padding: 0 1;
               background: $surface; }
    #add-error { color: $error; height: auto; }
    #add-list { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="add-box"):
            yield Static("Add a function: a name, an alias, FN:key=value, or a formula in x "
                         "(e.g. x*sigmoid(1.702*x)). Enter adds, ↓ picks from the list, "
                         "Esc closes.")
            yield Input(placeholder="gelu, leaky_relu:negative_slope=0.2, x*tanh(x) ...",
                        id="add-input")
            yield Static("", id="add-error")
            yield OptionList(*self._options(""), id="add-list")

    @staticmethod
    def _options(typed: str) -> list[Option]:
        wanted = typed.strip().lower().partition(":")[0]
        close = set(REGISTRY.suggest(wanted)) if wanted else set()  # typos too: sigmod
        found = []
        for spec in REGISTRY:
            if spec.kind != "elementwise":
                continue
            names = (spec.name, *spec.aliases)
            if not wanted or spec.name in close or any(wanted in n.lower() for n in names):
                also = f" ({', '.join(spec.aliases)})" if spec.aliases else ""
                found.append(Option(f"{spec.name}{also} — {spec.summary}", id=spec.name))
        return found

    @on(Input.Changed, "#add-input")
    def _filter(self, event: Input.Changed) -> None:
        options = self.query_one("#add-list", OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        self.query_one("#add-error", Static).update("")

    @on(Input.Submitted, "#add-input")
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        try:
            function(text)
        except ExploreError as error:
            self.query_one("#add-error", Static).update(str(error))
            return
        self.dismiss(text)

    @on(OptionList.OptionSelected, "#add-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: Any) -> None:
        options = self.query_one("#add-list", OptionList)
        if event.key == "down" and self.focused is self.query_one("#add-input") \
                and options.option_count:
            options.focus()
            options.highlighted = 0
            event.stop()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss_help", "close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help-box { width: 84; max-width: 100%; height: auto; max-height: 100%;
                border: round $accent; padding: 0 1; background: $surface; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(HELP, markup=True)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


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
    ParamInput { height: 3; }
    #too-small { display: none; height: 1fr; content-align: center middle; }
    Screen.too-small #too-small { display: block; }
    Screen.too-small #main, Screen.too-small #readout, Screen.too-small #message,
    Screen.too-small Footer { display: none; }
    """
    BINDINGS = [
        Binding("q", "quit", "quit"),
        Binding("ctrl+c", "quit", "quit", show=False, priority=True),
        Binding("question_mark", "help", "help"),
        Binding("left", "move(-1)", "cursor", show=False),
        Binding("right", "move(1)", "cursor", show=False),
        Binding("shift+left", "move(-10)", show=False),
        Binding("shift+right", "move(10)", show=False),
        Binding("plus,equals_sign", "zoom(0.5)", "zoom"),
        Binding("minus", "zoom(2)", "out", show=False),
        Binding("h", "pan(-1)", "pan", show=False),
        Binding("l", "pan(1)", "pan", show=False),
        Binding("r", "reset", "reset", show=False),
        Binding("1", "toggle(1)", "f'"),
        Binding("2", "toggle(2)", "f''"),
        Binding("a", "add", "add"),
        Binding("x", "remove", "remove", show=False),
        Binding("n", "select(1)", "next"),
        Binding("N", "select(-1)", "previous", show=False),
        Binding("e", "edit", "params"),
        Binding("p", "sidebar", "panel", show=False),
        Binding("c", "command", "command"),
        Binding("s", "save", "save png"),
        Binding("escape", "focus_plot", show=False),
    ]

    def __init__(self, view: View, directory: Path | None = None) -> None:
        super().__init__()
        self.view = view
        self.directory = directory or Path.cwd()

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield PlotView(self.view, id="plot")
            with VerticalScroll(id="sidebar"):
                yield Static("Functions", classes="heading")
                yield Static(id="functions")
                yield Static("Parameters", classes="heading", id="params-heading")
                yield Vertical(id="params")
                yield Static("Properties", classes="heading")
                yield Static(id="properties")
        yield Readout(self.view, id="readout")
        yield Static(id="message")
        yield Static(id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sidebar").set_class(self.size.width < SIDEBAR_FROM, "hidden")
        self.query_one("#plot").focus()
        self._fit(self.size.width, self.size.height)
        self._functions_changed()

    def on_resize(self, event: Any) -> None:
        self.query_one("#sidebar").set_class(event.size.width < SIDEBAR_FROM, "hidden")
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.screen.set_class(small, "too-small")
        if small:
            self.query_one("#too-small", Static).update(
                f"The terminal is {width}x{height}; actcli explore needs at least "
                f"{MIN_WIDTH}x{MIN_HEIGHT}. Enlarge it, or press q to quit.")

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
        listing = Text()
        for i, act in enumerate(self.view.acts):
            if i:
                listing.append("\n")
            marker = "▶ " if i == self.view.selected else "  "
            listing.append(marker, "bold")
            listing.append("── ", PALETTE[i % len(PALETTE)])
            listing.append(act.label, "bold" if i == self.view.selected else "")
        self.query_one("#functions", Static).update(listing or Text("none: press a"))

    def _show_params(self) -> None:
        box = self.query_one("#params", Vertical)
        box.remove_children()
        act = self.view.act
        if act is None or not act.spec.params:
            box.mount(Static("none"))
            return
        for p in act.spec.params:
            field = ParamInput(p, format_param(act.params[p.name]))
            box.mount(Label(f"{p.name}  ({p.describe()})"), field, field.error)

    def _show_properties(self) -> None:
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

    def action_move(self, steps: int) -> None:
        self.view.move_cursor(steps if abs(steps) == 1 else steps // 10, large=abs(steps) > 1)
        self._redraw()

    def action_zoom(self, factor: float) -> None:
        try:
            self.view.zoom(factor)
        except ExploreError as error:
            self._say(str(error), error=True)
            return
        self._say(f"x from {self.view.start:g} to {self.view.stop:g}")
        self._redraw()

    def action_pan(self, direction: int) -> None:
        self.view.pan(direction)
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
                except ExploreError as error:  # (the screen checked it already)
                    self._say(str(error), error=True)
                    return
                self._say(f"added {self.view.act.label}")
                self._functions_changed()

        self.push_screen(AddScreen(), added)

    def action_remove(self) -> None:
        if self.view.act is not None:
            label = self.view.act.label
            self.view.remove()
            self._say(f"removed {label}")
            self._functions_changed()

    def action_select(self, offset: int) -> None:
        self.view.select(offset)
        self._show_functions()
        self._show_params()
        self._show_properties()

    def action_edit(self) -> None:
        self.query_one("#sidebar").remove_class("hidden")
        inputs = self.query(ParamInput)
        if inputs:
            inputs.first().focus()
        else:
            self._say("the selected function has no parameters")

    def action_sidebar(self) -> None:
        self.query_one("#sidebar").toggle_class("hidden")

    def action_focus_plot(self) -> None:
        self.query_one("#plot").focus()

    def action_command(self) -> None:
        self._say(self.view.command(self.view.export_name(self.directory).name))

    def action_save(self) -> None:
        try:
            path = self.view.export(self.directory)
        except (ExploreError, OSError) as error:
            self._say(str(error), error=True)
            return
        self._say(f"saved {path}")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    @on(Input.Changed, "ParamInput")
    def _param_changed(self, event: Input.Changed) -> None:
        widget = event.input
        assert isinstance(widget, ParamInput)
        try:
            self.view.set_param(widget.param.name, event.value)
        except ExploreError as problem:
            widget.error.update(str(problem))
            return
        widget.error.update("")
        self._redraw()
        self._show_functions()
        self.call_after_refresh(self._show_properties)

    @on(Input.Submitted, "ParamInput")
    def _param_done(self, event: Input.Submitted) -> None:
        self.action_focus_plot()
