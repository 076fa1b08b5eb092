"""A number as typed on a command line: one rule for values, ranges and parameters."""

from __future__ import annotations

import math

from actcli.errors import InputError


def parse_number(text: str) -> float:
    """A float from command-line text, accepting inf/-inf/nan as Python does; no
    underscores (as in CSV input) and no silent overflow (1e999 is not inf)."""
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{text!r} is not a number") from None
    if "_" in text:
        raise InputError(f"{text!r} is not a number (no underscores)")
    if math.isinf(value) and "inf" not in text.lower():
        raise InputError(f"{text!r} is beyond the largest float; write inf if you mean it")
    return value
