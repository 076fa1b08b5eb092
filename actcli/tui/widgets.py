"""The explorer's widgets: the plot, the readout and the side panel, drawn from the View.

Each listens to the app's `revision` (bound with `data_bind`), which the app bumps after
every change of the View, and redraws what it shows from the View. Parameter fields say
what they did with messages (tui/messages.py) that the app handles with `@on`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import HorizontalGroup, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from actcli.catalog.spec import format_param
from actcli.tui.state import View
from actcli.present.plot.figure import PALETTE
from actcli.present.render import DEFAULT_PRECISION

_NOTHING = object()  # what a widget showed before it showed anything


class PlotView(Widget, can_focus=True):
    """The plot, drawn for the widget's size on every refresh."""

    DEFAULT_CSS = "PlotView { height: 1fr; width: 1fr; }"
    revision: reactive[int] = reactive(0)  # a change repaints

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
    with ▶ (when there are several). Each value has a place as wide as the widest number
    it can be, so that what is on each line, and the readout's height (the plot's), do
    not change as the cursor moves; lines break between values only."""

    DEFAULT_CSS = "Readout { height: auto; }"
    revision: reactive[int] = reactive(0, layout=True)  # the functions may take more lines
    VALUE_WIDTH = DEFAULT_PRECISION + len("-.e-100")  # the widest value: -1.23457e-100
    MARK = "▶ "  # before each function's first value: the selected function's, or blank

    def __init__(self, view: View, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view

    @classmethod
    def lines(cls, labels: list[str], width: int) -> list[list[int]]:
        """The entries (indices of `labels`) on each line: each takes the mark's width,
        its label, " = " and VALUE_WIDTH, one space apart."""
        lines: list[list[int]] = []
        used = width
        for i, label in enumerate(labels):
            size = len(cls.MARK) + len(label) + 3 + cls.VALUE_WIDTH
            if lines and used + 1 + size <= width:
                lines[-1].append(i)
                used += 1 + size
            else:
                lines.append([i])
                used = size
        return lines

    def _text(self, width: int) -> Text:
        items = self.view.readout()
        text, marked = Text(), False
        for number, line in enumerate(self.lines([label for label, _, _ in items], width)):
            text.append("\n" if number else "")
            for i in line:
                label, value, selected = items[i]
                emphasis = len(self.view.acts) > 1 and selected
                text.append(" " if i != line[0] else "")
                text.append(self.MARK if emphasis and not marked else " " * len(self.MARK), "bold")
                marked |= emphasis
                text.append(f"{label} = ", "bold" if i == 0 or emphasis else "")
                text.append(value if i == line[-1] else value.ljust(self.VALUE_WIDTH), "bold")
        return text

    def render(self) -> Text:
        return self._text(self.content_size.width)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self.lines([label for label, _, _ in self.view.readout()], width))


class ParamFields(Vertical):
    """The selected function's parameters: per parameter its name and range, a field and
    the field's error line; `compact`, in the bar under the plot: one line each under a
    line of keys. The fields are in the side panel while it is shown (`sidebar`), else in
    the bar; they are made after the first frame (Textual's Input is imported then)."""

    revision: reactive[int] = reactive(0, repaint=False)  # (what changes is redrawn)
    sidebar: reactive[bool] = reactive(False, repaint=False)

    def __init__(self, view: View, compact: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view, self.compact = view, compact
        self._live = False  # made after the first frame, or when asked for (sync)
        self._act: Any = _NOTHING  # the function the fields are for (None: no fields)

    def on_mount(self) -> None:
        self.call_after_refresh(self.sync)

    async def watch_revision(self) -> None:
        if self._live:
            await self.sync()

    async def watch_sidebar(self) -> None:
        if self._live:
            await self.sync()

    async def sync(self) -> None:
        """Fields for the function selected now; from now on they follow the View."""
        if not self.is_attached:  # (due after the app began to close: Ctrl-C at once)
            return
        self._live = True
        act = self.view.act if self.sidebar != self.compact else None
        # A field that set its parameter made the selected function anew: the fields are
        # still for it (rebuilding them would take the focus from the one typed in).
        if act is self._act or any(field.act is act for field in self.query("ParamInput")):
            self._act = act
            return
        self._act = act
        await self.remove_children()
        await self.mount(*self._fields(act))

    def _fields(self, act: Any) -> list[Widget]:
        if act is None:
            return []
        if not act.spec.params:
            return [] if self.compact else [Static("none")]
        from actcli.tui.params import ParamInput  # (Textual's Input: only when needed)

        widgets: list[Widget] = [Static(f"{act.name}: ↑/↓ step (Shift: 10x), Enter or Esc: "
                                        "back to the plot")] if self.compact else []
        for p in act.spec.params:
            field = ParamInput(self.view, p, format_param(act.params[p.name]),
                               compact=self.compact)
            if self.compact:
                widgets += [HorizontalGroup(Static(f"{p.name} "), field,
                                            Static(f" {p.describe()}")), field.error]
            else:
                widgets += [Static(f"{p.name}  ({p.describe()})"), field, field.error]
        return widgets


class SidePanel(VerticalScroll):
    """The functions, the selected function's parameters and its properties. Filled
    after the first frame: its widgets (and their styles and layout) were a third of the
    time to that frame, whose plot and readout they do not change."""

    revision: reactive[int] = reactive(0, repaint=False)  # (what changes is redrawn)
    sidebar: reactive[bool] = reactive(False, repaint=False)

    def __init__(self, view: View, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view = view
        self._filled = False
        self._shown: tuple[Any, Any] = (_NOTHING, _NOTHING)  # (functions, properties) drawn

    def on_mount(self) -> None:
        self.call_after_refresh(self.fill)

    async def fill(self) -> None:
        if self._filled or not self.is_attached:  # (not attached: the app is closing)
            return
        self._filled = True
        await self.mount(
            Static("Functions", classes="heading"), Static(id="functions"),
            Static("Parameters (e edits, Esc back)", classes="heading"),
            ParamFields(self.view, id="params").data_bind(SidePanel.revision,
                                                          SidePanel.sidebar),
            Static("Properties", classes="heading"), Static(id="properties"))
        await self.query_one(ParamFields).sync()
        self.watch_revision()

    def watch_sidebar(self, shown: bool) -> None:
        self.set_class(not shown, "hidden")

    def watch_revision(self) -> None:
        if not self._filled:
            return
        functions = (tuple(a.label for a in self.view.acts), self.view.selected)
        if functions != self._shown[0]:
            self._show_functions()
        if self.view.act is not self._shown[1]:  # (with the rest: one layout, not two)
            self._show_properties()
        self._shown = (functions, self.view.act)

    def _show_functions(self) -> None:
        listing = Text(no_wrap=True, overflow="ellipsis")  # a long label is cut, not broken
        for i, act in enumerate(self.view.acts):
            if i:
                listing.append("\n")
            marker = "▶ " if i == self.view.selected else "  "
            listing.append(marker, "bold")
            listing.append("── ", PALETTE[i % len(PALETTE)])
            listing.append(act.label, "bold" if i == self.view.selected else "")
        self.query_one("#functions", Static).update(listing or Text("none: press a"))

    def _show_properties(self) -> None:
        text = Text()
        for i, (key, value) in enumerate(self.view.properties()):
            if i:
                text.append("\n")
            text.append(f"{key}: ", "bold")
            text.append(value)
        self.query_one("#properties", Static).update(text)


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
