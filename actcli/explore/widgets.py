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
    """`x = ...` and every curve's value at the cursor, the selected function's marked
    with ▶ (when there are several); lines break between values only."""

    DEFAULT_CSS = "Readout { height: auto; }"

    def __init__(self, view: View, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view

    def _text(self, width: int) -> Text:
        text, used = Text(), 0
        several, marked = len(self.view.acts) > 1, False
        for i, (label, value, selected) in enumerate(self.view.readout()):
            emphasis = several and selected
            marker = "▶ " if emphasis and not marked else ""
            marked |= emphasis
            size = len(marker) + len(label) + 3 + len(value)
            if i and used + 3 + size > width:
                text.append("\n")
                used = 0
            elif i:
                text.append("   ")
                used += 3
            text.append(marker, "bold")
            text.append(f"{label} = ", "bold" if i == 0 or emphasis else "")
            text.append(value, "bold")
            used += size
        return text

    def render(self) -> Text:
        return self._text(self.content_size.width)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self._text(width).plain.splitlines()) or 1


class KeyBar(Widget):
    """The footer: every entry ("key label") with its long label and two spaces between
    where that fits, else the short labels, two spaces or one apart; below that, the
    entries that fit, whole (? lists every key)."""

    DEFAULT_CSS = "KeyBar { height: 1; }"

    def __init__(self, keys: tuple[tuple[str, str], ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.keys = keys  # (short, long) per entry: ("x del", "x remove")

    def entries(self, width: int) -> tuple[list[str], str]:
        """The entries shown in `width` columns and the gap between them."""
        for labels, gap in ((1, "  "), (0, "  "), (0, " ")):
            chosen = [entry[labels] for entry in self.keys]
            if len(gap.join(chosen)) + 1 <= width:  # + the space in front
                return chosen, gap
        shown: list[str] = []
        for short, _ in self.keys:
            if len(" ".join([*shown, short])) + 1 > width:
                break
            shown.append(short)
        return shown, " "

    def render(self) -> Text:
        text = Text(" ", no_wrap=True, overflow="crop")
        entries, gap = self.entries(self.content_size.width)
        for i, entry in enumerate(entries):
            key, _, label = entry.partition(" ")
            text.append(gap if i else "")
            text.append(key, "bold reverse")
            text.append(f" {label}")
        return text
