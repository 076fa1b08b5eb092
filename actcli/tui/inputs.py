"""The explorer's text field: Textual's Input, applying every key in the order typed
(imported with the first field)."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class InOrderInput(Input):
    """An Input that applies a burst of keys in order.

    Textual's Input inserts a printable key as soon as it gets it, but its editing keys
    (Backspace, arrows, Enter, Ctrl+K...) are bindings that run only once the key has
    bubbled up to the app; in a burst (a fast typist, keys over SSH) the next characters
    are inserted first: `tanh⌫⌫⌫⌫gelu⏎` submitted "tanh" (Textual issue 6605, fixed
    there by PR 6631 in the same way). Here the field's own bindings, the ones the app
    would find first for the focused field, run when the field gets the key. Priority
    bindings (the app's Ctrl+C) ran before the key reached the field, as in Textual.
    """

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()  # (not again in the app)
                event.prevent_default()  # (not Input's own handler: it is not printable)
                return
