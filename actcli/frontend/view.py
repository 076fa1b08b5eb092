"""What the explorers show, shared by the terminal explorer and the web page: their
functions (a FN spec as the command line reads it, elementwise only), their x range,
and the `actcli plot` command line that reproduces a view.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from actcli.catalog import Activation
from actcli.catalog.spec import format_param
from actcli.errors import InputError
from actcli.resolve import resolve, spelling

DEFAULT_FUNCTIONS = ("relu", "sigmoid", "tanh")
MAX_WIDTH = 1e12  # of the x range: beyond it the cursor's steps lose their meaning


def plottable(text: str) -> Activation:
    """A plottable activation from a spec as the CLI reads it (`FN:key=value`, a formula);
    a vector function is refused (a ShapeError: bad input)."""
    return resolve(text.strip(), elementwise="it has no curve to plot; choose an elementwise "
                                             "function")


def check_range(start: float, stop: float) -> tuple[float, float]:
    """[start, stop] in order (3 -3 is the range -3 3, as for plot), neither empty nor
    wider than MAX_WIDTH."""
    low, high = sorted((start, stop))
    if low == high:
        raise InputError(f"the range is empty: START and STOP are both {format_param(low)}")
    if high - low > MAX_WIDTH:
        raise InputError(f"the explorer's range is at most {MAX_WIDTH:g} wide, "
                         f"got {format_param(start)} {format_param(stop)}")
    return low, high


def plot_command_parts(start: float, stop: float, *, grad: bool, grad2: bool, dtype: str,
                       output: str) -> tuple[str, str]:
    """The `actcli plot` command line around its functions: the words before them and
    the words after them (range, derivatives, dtype, output), quoted for the shell."""
    after = [format_param(float(start)), format_param(float(stop))]
    after += ["--grad"] * grad + ["--grad2"] * grad2
    if dtype != "float64":
        after += ["--dtype", dtype]
    after += ["-o", output]
    return "actcli plot", shlex.join(after)


def plot_command(acts: Sequence[Activation], start: float, stop: float, *, grad: bool,
                 grad2: bool, dtype: str, output: str) -> str:
    """The `actcli plot` command line that draws `acts` on [start, stop] to `output`."""
    before, after = plot_command_parts(start, stop, grad=grad, grad2=grad2, dtype=dtype,
                                       output=output)
    return " ".join([before, *(shlex.quote(spelling(a)) for a in acts), after])
