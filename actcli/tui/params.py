"""Parameter fields of the explorer (imported when a function has parameters)."""

from __future__ import annotations

import math
from typing import Any

from textual.binding import Binding
from textual.widgets import Input, Static

from actcli.catalog.spec import format_param
from actcli.errors import InputError
from actcli.tui.inputs import InOrderInput
from actcli.tui.messages import EditDone, ParamSet
from actcli.tui.state import View, stepped


class ParamInput(InOrderInput):
    """A parameter of the selected function: typed, or stepped with ↑/↓ (Shift: 10x);
    choices cycle. Each valid value is set on the View at once (then `ParamSet` is
    posted); Enter or Esc posts `EditDone`.

    Steps are a tenth of the order of magnitude of the value that stepping began from
    (when the field was entered or last typed in), on that step's grid, and reversible:
    ↑ then ↓ gives back exactly the value before. A step that would leave the
    parameter's range goes as far as the range allows; none left, the field keeps its
    value and the line below says why, in the command line's words.
    """

    BINDINGS = [
        Binding("up", "step(1)", "step up", show=False),
        Binding("down", "step(-1)", "step down", show=False),
        Binding("shift+up", "step(10)", "step up 10x", show=False),
        Binding("shift+down", "step(-10)", "step down 10x", show=False),
        Binding("escape", "done", "back to the plot"),
    ]

    def __init__(self, view: View, param: Any, value: str, **kwargs: Any) -> None:
        super().__init__(value=value, **kwargs)
        self.view, self.param = view, param
        self.act = view.act  # the function as this field last left it
        self.error = Static("", classes="param-error")  # the catalog's message, in place
        self.error.display = False
        self.in_effect = value  # the last valid value: the one the curves show
        self._start: tuple[str, float] | None = None  # (text, value) stepping began from
        self._steps = 0  # taken since, net

    def _apply(self, value: str) -> str | None:
        """Set the parameter to `value`; the command line's message if it is not valid."""
        try:
            self.view.set_param(self.param.name, value)
        except InputError as problem:
            return str(problem)
        self.act = self.view.act
        self.post_message(ParamSet())
        return None

    def on_focus(self) -> None:
        self._start = None  # a new visit steps at the scale of the value found

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self.in_effect:  # set by a step (applied already), or unchanged
            self._say("")
            return
        self._start = None  # typed: the next step starts from what was typed
        problem = self._apply(event.value)
        if problem is None:
            self.in_effect = event.value
        self._say(problem or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_done()

    def action_done(self) -> None:
        """Back to the plot; a value that was refused gives way to the one in effect."""
        if self.value != self.in_effect and self._apply(self.value) is not None:
            self.value = self.in_effect
        self.post_message(EditDone())

    def action_step(self, steps: int) -> None:
        if self.param.choices:
            choices = self.param.choices
            index = choices.index(self.value) if self.value in choices else -1
            self.value = choices[(index + (1 if steps > 0 else -1)) % len(choices)]
            self.select_all()  # as on entering the field: what is typed next replaces it
            return
        if self._start is None:  # from the value in effect, even if a refused one is shown
            value = float(self.in_effect)
            if not math.isfinite(value):
                return  # inf (softplus's threshold) has no next value
            self._start, self._steps = (self.in_effect, value), 0
        text, start = self._start
        # The farthest step first: Shift+↓ from 0.05 to a parameter >= 0 stops at 0.
        direction = 1 if steps > 0 else -1
        problem = None
        for count in range(self._steps + steps, self._steps, -direction):
            value = stepped(start, count)
            candidate = text if count == 0 else format_param(float(value))
            if not math.isfinite(value) or candidate == self.in_effect:
                continue
            problem = self._apply(candidate)
            if problem is None:
                self._steps, self.in_effect, self.value = count, candidate, candidate
                self.select_all()
                return
        self._say(problem or f"{self.param.name} cannot be stepped further that way")

    def _say(self, problem: str) -> None:
        if str(self.error.content) != problem:  # (an update lays out the screen again)
            self.error.update(problem)
            self.error.display = bool(problem)
