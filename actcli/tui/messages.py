"""What a parameter field tells the app (handled there with `@on`). Apart from the
widgets, so that the fields (tui/params.py, imported when a function has parameters) and
the panel that mounts them (tui/widgets.py) both import them without a circle."""

from __future__ import annotations

from textual.message import Message


class ParamSet(Message):
    """A parameter field gave the selected function a new value (the View has it)."""


class EditDone(Message):
    """Enter or Esc in a parameter field: back to the plot."""
