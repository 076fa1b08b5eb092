"""What the front ends read from `FN... [START STOP]`: the functions, and the range
(trailing numbers; by default the plots' range, -5 5).
"""

from __future__ import annotations

from collections.abc import Sequence

from actcli.catalog.spec import format_param
from actcli.data import grid
from actcli.errors import InputError
from actcli.present.plot.functions import DEFAULT_START, DEFAULT_STOP

DEFAULT_RANGE = (format_param(DEFAULT_START), format_param(DEFAULT_STOP))


def functions_and_range(items: Sequence[str], *,
                        functions_needed: bool = True) -> tuple[list[str], list[str]]:
    """`FN FN ... [START STOP]` as (functions, [START, STOP]) as typed."""
    count = 0
    while count < len(items) and grid.is_number(items[len(items) - 1 - count]):
        count += 1
    functions, numbers = list(items[:len(items) - count]), list(items[len(items) - count:])
    if functions_needed and not functions:
        raise InputError("give at least one function")
    if len(numbers) not in (0, 2):
        raise InputError(f"give the range as START STOP after the functions, got {' '.join(numbers)}")
    return functions, numbers or list(DEFAULT_RANGE)
