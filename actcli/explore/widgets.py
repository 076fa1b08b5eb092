"""The explorer's plot and readout: drawn from the View for the widget's size."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widget import Widget

from actcli.explore.state import View


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


class KeyBar(Widget):
    """The footer: key and action pairs, as many as fit the width."""

    DEFAULT_CSS = "KeyBar { height: 1; }"

    def __init__(self, keys: tuple[tuple[str, str], ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys = keys

    def render(self) -> Text:
        text = Text(no_wrap=True)
        for key, action in self.keys:
            if len(text) + len(key) + len(action) + 3 > self.content_size.width:
                break
            text.append(f" {key}", "bold")
            text.append(f" {action} ")
        return text
