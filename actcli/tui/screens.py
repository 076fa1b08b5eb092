"""The explorer's pop-ups: adding a function, and the help (imported when opened)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from actcli.catalog import REGISTRY, UnknownFunctionError
from actcli.errors import InputError
from actcli.tui.inputs import InOrderInput
from actcli.tui.state import View

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
  n / N        select the next / previous function (▶ in the legend
               and the readout)
  e            edit the selected function's parameters (in the side
               panel, or under the plot without it): type a value, or
               ↑/↓ to step it by a tenth of its order of magnitude
               (Shift: 10x); Enter or Esc: back to the plot
  p            show or hide the side panel (parameters, properties)

[b]Reproduce[/b]
  c            show the `actcli plot` command line of this view
  s            save the view as a PNG here (a new file each time)

  ?  this help      q or Ctrl-C  quit

The readout shows values as `actcli eval/grad` computes them (at a kink,
PyTorch's convention). Esc, q or ? closes this help."""


class AddInput(InOrderInput):
    """The add dialog's field: ↓ goes to the list (in order with the keys typed)."""

    BINDINGS = [Binding("down", "screen.to_list", "pick from the list", show=False)]


class AddScreen(ModalScreen[str]):
    """Pick a catalog function (names and aliases, filtered as you type) or type a formula.

    Enter adds what is typed; a name the catalog does not know gives way to the function
    highlighted in the list (↓), or to the only one listed: `leaky` adds leaky_relu.
    """

    BINDINGS = [Binding("escape", "dismiss_none", "close")]
    # The field first, then the list, then the help, which a short terminal goes without.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]
    DEFAULT_CSS = """
    AddScreen { align: center middle; }
    #add-box { width: 80%; max-width: 90; height: 80%; border: round $accent; padding: 0 1;
               background: $surface; border-subtitle-color: $text-muted; }
    AddScreen.-short #add-box { width: 100%; height: 100%; }
    #add-error { color: $error; height: auto; display: none; }
    #add-list { height: 1fr; min-height: 2; }
    #add-help { height: auto; color: $text-muted; }
    AddScreen.-short #add-help { display: none; }
    """

    def __init__(self, view: View) -> None:
        super().__init__()
        self.view = view  # to check a function before the dialog closes

    def compose(self) -> ComposeResult:
        with Vertical(id="add-box") as box:
            box.border_title = "Add a function"
            box.border_subtitle = "Enter adds · ↓ list · Esc closes"
            yield AddInput(placeholder="gelu, leaky_relu:negative_slope=0.2, x*tanh(x) ...",
                           id="add-input")
            yield Static("", id="add-error")
            yield OptionList(*self._options(""), id="add-list")
            yield Static("A name, an alias, FN:key=value, or a formula in x (e.g. "
                         "x*sigmoid(1.702*x)). Enter adds what is typed (or the only function "
                         "listed), ↓ picks from the list, Esc closes.", id="add-help")

    @staticmethod
    def _options(typed: str) -> list[Option]:
        """Elementwise functions matching what is typed: exact names first, then names that
        start with it, contain it, or are close to it (a typo)."""
        wanted = typed.strip().lower().partition(":")[0]
        close = set(REGISTRY.suggest(wanted)) if wanted else set()
        ranked = []
        for order, spec in enumerate(REGISTRY):
            if spec.kind != "elementwise":
                continue
            names = [n.lower() for n in (spec.name, *spec.aliases)]
            rank = (0 if not wanted or wanted in names
                    else 1 if any(n.startswith(wanted) for n in names)
                    else 2 if any(wanted in n for n in names)
                    else 3 if spec.name in close else None)
            if rank is not None:
                also = f" ({', '.join(spec.aliases)})" if spec.aliases else ""
                ranked.append((rank, order, Option(f"{spec.name}{also} — {spec.summary}",
                                                   id=spec.name)))
        return [option for _, _, option in sorted(ranked, key=lambda item: item[:2])]

    @on(Input.Changed, "#add-input")
    def _filter(self, event: Input.Changed) -> None:
        options = self.query_one("#add-list", OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        self._say("")

    @on(Input.Submitted, "#add-input")
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self._add(text)

    @on(OptionList.OptionSelected, "#add-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        _, colon, params = self.query_one("#add-input", Input).value.strip().partition(":")
        self._add(str(event.option.id) + colon + params)

    def _add(self, text: str) -> None:
        """Close with `text` if the View can add it, else say why in place."""
        try:
            self.view.new_function(text)
        except UnknownFunctionError as error:  # (the list shows what it may have meant)
            listed = self.query_one("#add-list", OptionList)
            pick = (listed.highlighted if listed.highlighted is not None
                    else 0 if listed.option_count == 1 else None)
            if pick is not None:
                _, colon, params = text.partition(":")
                self._add(str(listed.get_option_at_index(pick).id) + colon + params)
                return
            more = f"; ↓ picks one of the {listed.option_count} below" if listed.option_count else ""
            self._say(f"unknown function {error.name!r}{more}")
        except InputError as error:
            self._say(str(error))
        else:
            self.dismiss(text)

    def _say(self, problem: str) -> None:
        error = self.query_one("#add-error", Static)
        error.update(problem)
        error.display = bool(problem)

    def action_to_list(self) -> None:
        options = self.query_one("#add-list", OptionList)
        if options.option_count:
            options.focus()
            options.highlighted = 0

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
