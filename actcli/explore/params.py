"""Parameter fields of the explorer's side panel (imported when a function has parameters)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from textual.binding import Binding
from textual.widgets import Input, Static

from actcli.catalog.spec import format_param
from actcli.explore.state import tidy


class ParamInput(Input):
    """A parameter's value: typed, or stepped with ↑/↓ (Shift: 10x); choices cycle."""

    BINDINGS = [
        Binding("up", "step(1)", "step up", show=False),
        Binding("down", "step(-1)", "step down", show=False),
        Binding("shift+up", "step(10)", "step up 10x", show=False),
        Binding("shift+down", "step(-10)", "step down 10x", show=False),
        Binding("escape", "done", "back to the plot"),
    ]

    def __init__(self, param: Any, value: str, apply: Callable[[str, str], str | None],
                 done: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(value=value, **kwargs)
        self.param = param
        self.apply, self.done = apply, done  # apply: the error message, or None when valid
        self.error = Static("", classes="param-error")  # the catalog's message, in place
        self.in_effect = value  # the last valid value: the one the curves show

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        problem = self.apply(self.param.name, event.value)
        if problem is None:
            self.in_effect = event.value
        self.error.update(problem or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_done()

    def action_done(self) -> None:
        """Back to the plot; a value that was refused gives way to the one in effect."""
        if self.value != self.in_effect and self.apply(self.param.name, self.value) is not None:
            self.value = self.in_effect
        self.done()

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
        if not math.isfinite(current):
            return  # inf and nan have no next value; the field says whether they are valid
        # A step in the second significant digit: 0.01 -> 0.011, 1 -> 1.1, 250 -> 260.
        unit = 10.0 ** (math.floor(math.log10(abs(current))) - 1) if current else 0.1
        stepped = tidy(current + steps * unit)
        if math.isfinite(stepped):
            self.value = format_param(stepped)
