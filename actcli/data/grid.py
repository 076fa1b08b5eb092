"""Input specs as NumPy arrays: numbers as typed, ranges (START STOP with --num or
--step) and vectors, raising InputError (one line, for the user) on anything malformed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from actcli.dtypes import float_dtype
from actcli.errors import InputError
from actcli.numbers import parse_number

DEFAULT_POINTS = 11
# More points than anyone reads, and ~80 MB per float64 column: beyond this is a typo.
MAX_POINTS = 10_000_000

# What the shell passes for a negative number: -3, -3.5, -.5, -1e3, -1E-3, -inf, -nan.
NEGATIVE_NUMBER = re.compile(r"-(\d+\.?\d*(e[-+]?\d+)?|\.\d+(e[-+]?\d+)?|inf(inity)?|nan)", re.I)


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def vector(numbers: Sequence[str], dtype: str = "float64") -> NDArray[np.floating]:
    """The numbers exactly as given, as one vector (for softmax and other vector functions)."""
    if not numbers:
        raise InputError("a vector function needs at least one number")
    return np.array([parse_number(t) for t in numbers], dtype=float_dtype(dtype))


# Points per chunk when a range is written as it is computed (`chunks`).
CHUNK = 1 << 16

Piece = Callable[[int, int], NDArray[np.floating]]


def points(numbers: Sequence[str], *, num: int | None = None, step: float | None = None,
           dtype: str = "float64", exact: bool = False) -> NDArray[np.floating]:
    """The x values a user asked for.

    One number is that point; two are START STOP (inclusive, `num` evenly spaced points,
    11 by default, or every `step`); three or more are exactly those points. With
    `exact` (--points) any count of numbers is exactly those points.
    """
    count, piece = _plan(numbers, num, step, dtype, exact)
    return piece(0, count)


def chunks(numbers: Sequence[str], *, num: int | None = None, step: float | None = None,
           dtype: str = "float64", exact: bool = False,
           size: int = CHUNK) -> Iterator[NDArray[np.floating]]:
    """`points(...)` a chunk of at most `size` points at a time, bit for bit the same
    values, so that a long range is written with bounded memory. Input errors are raised
    at the call, before the first chunk."""
    count, piece = _plan(numbers, num, step, dtype, exact)
    return (piece(lo, min(lo + size, count)) for lo in range(0, count, size))


def _plan(numbers: Sequence[str], num: int | None, step: float | None, dtype: str,
          exact: bool) -> tuple[int, Piece]:
    """The number of points and a function giving points lo..hi-1 of them."""
    values = [parse_number(t) for t in numbers]
    if num is not None and step is not None:
        raise InputError("--num and --step cannot be used together")
    if exact or len(values) != 2:
        if num is not None or step is not None:
            option = "--num" if num is not None else "--step"
            if exact:
                raise InputError(f"--points takes the NUMBERS as they are: {option} does not apply")
            raise InputError(f"{option} needs exactly two numbers, START and STOP")
        array = np.array(values, dtype=float_dtype(dtype))
        return len(array), lambda lo, hi: array[lo:hi]
    try:
        start, stop = bounds(numbers)
    except InputError as error:
        raise InputError(f"{error} (for exactly these two points, add --points)") from None
    cast = float_dtype(dtype)
    if step is not None:
        count, stepped = _stepped(start, stop, step)
        return count, lambda lo, hi: stepped(lo, hi).astype(cast)
    count = DEFAULT_POINTS if num is None else num
    _check_count(count, "--num")
    spaced = _evenly_spaced(start, stop, count)
    return count, lambda lo, hi: spaced(lo, hi).astype(cast)


def _evenly_spaced(start: float, stop: float, count: int) -> Piece:
    """`count` points from START to STOP, each rounded once where possible: -2..2 gives
    -0.8 and 0.4, where start + i*step (np.linspace) gives -0.7999999999999998."""
    gaps = count - 1
    scale = _decimal_scale(start, stop)
    if count == 1:
        def points_of(i: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.full(i.shape, start)
    elif scale and (abs(start) + abs(stop)) * scale * gaps < 2**53:
        # With integer numerators, (start (n - i) + stop i) / n is exact until one
        # division: each point is the decimal it should be, correctly rounded.
        first, last = round(start * scale), round(stop * scale)

        def points_of(i: NDArray[np.float64]) -> NDArray[np.float64]:
            return (first * (gaps - i) + last * i) / (gaps * scale)
    else:
        # np.linspace's arithmetic, point by point.
        delta = stop - start
        spacing = delta / gaps

        def points_of(i: NDArray[np.float64]) -> NDArray[np.float64]:
            return (i / gaps * delta if spacing == 0 else i * spacing) + start

    def piece(lo: int, hi: int) -> NDArray[np.float64]:
        x = points_of(np.arange(lo, hi, dtype=np.float64))
        if lo == 0 and hi > 0:
            x[0] = start
        if hi == count and count > 1:
            x[-1] = stop
        return x

    return piece


def bounds(numbers: Sequence[str]) -> tuple[float, float]:
    """START and STOP of a range: finite, and not so far apart that STOP - START overflows."""
    start, stop = (parse_number(t) for t in numbers)
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise InputError(f"START and STOP must be finite, got {numbers[0]} and {numbers[1]}")
    if not math.isfinite(stop - start):
        raise InputError(f"the range {numbers[0]} to {numbers[1]} is wider than the largest float")
    return start, stop


def _stepped(start: float, stop: float, step: float) -> tuple[int, Piece]:
    if not math.isfinite(step) or step == 0:
        raise InputError(f"--step must be a non-zero finite number, got {step:g}")
    if (stop - start) * step < 0:
        raise InputError(f"--step {step:g} moves away from STOP; use --step {-step:g}")
    steps = (stop - start) / step
    if not steps < MAX_POINTS:
        raise InputError(f"--step {step:g} would give more than {MAX_POINTS:,} points")
    # The tolerance lets STOP itself in when (stop - start) / step is an integer in
    # exact arithmetic but lands a rounding error away from it; that point is STOP.
    count = math.floor(steps * (1 + 1e-12)) + 1
    _check_count(count, "--step")
    scale = _decimal_scale(start, step)
    decimal = scale and abs(start * scale) + count * abs(step * scale) < 2**53

    def piece(lo: int, hi: int) -> NDArray[np.float64]:
        i = np.arange(lo, hi, dtype=np.float64)
        if decimal:
            # Short decimals: integer numerators divided once, so 0 + 3 * 0.1 is 0.3.
            x = (round(start * scale) + i * round(step * scale)) / scale
        else:
            x = start + step * i
        if hi == count and hi > lo and abs(x[-1] - stop) <= 1e-9 * abs(step):
            x[-1] = stop
        return x

    return count, piece


def _decimal_scale(*values: float) -> int | None:
    """10**d when every value is a decimal with at most d <= 12 digits after the point
    (written out, so 1e-08 has 8 and 2.5e+20 none)."""
    digits = 0
    for value in values:
        if not math.isfinite(value):
            return None
        mantissa, _, exponent = repr(value).partition("e")
        fraction = mantissa.partition(".")[2].rstrip("0")
        digits = max(digits, len(fraction) - int(exponent or 0))
    return 10**digits if digits <= 12 else None


def _check_count(count: int, option: str) -> None:
    if count < 1:
        raise InputError(f"{option} must give at least 1 point, got {count}")
    if count > MAX_POINTS:
        raise InputError(f"{option} would give {count:,} points; the limit is {MAX_POINTS:,}")
