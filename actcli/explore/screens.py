"""The explorer's pop-ups: adding a function, and the help (imported when opened)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from actcli.catalog import REGISTRY
from actcli.errors import InputError
from actcli.explore.inputs import InOrderInput
from actcli.explore.state import function

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
            yield InOrderInput(placeholder="gelu, leaky_relu:negative_slope=0.2, x*tanh(x) ...",
                        id="add-input")
            yield Static("", id="add-error")
            yield OptionList(*self._options(""), id="add-list")

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
        self.query_one("#add-error", Static).update("")

    @on(Input.Submitted, "#add-input")
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        try:
            function(text)
        except InputError as error:
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
