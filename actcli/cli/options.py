"""The options that several commands share, declared once: functions, numbers, the
output format, and the CSV input options as one group (`csv_input_options`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, Optional, TypeVar, get_type_hints

import typer

from actcli.catalog import REGISTRY
from actcli.data.stream import ON_ERROR
from actcli.dtypes import DTYPES
from actcli.frontend.values import CsvOptions
from actcli.present.render import FORMATS

Command = TypeVar("Command", bound=Callable[..., Any])


def complete_function(incomplete: str) -> list[str]:
    """Function names and aliases, or parameter names after `FN:`."""
    name, colon, rest = incomplete.partition(":")
    if not colon:
        return sorted(n for n in REGISTRY.spellings() if n.lower().startswith(incomplete.lower()))
    if name not in REGISTRY:
        return []
    done, _, current = rest.rpartition(",")
    prefix = f"{name}:{done + ',' if done else ''}"
    return [f"{prefix}{p.name}=" for p in REGISTRY.lookup(name).params if p.name.startswith(current)]


def complete_parameter(ctx: typer.Context, incomplete: str) -> list[str]:
    """`KEY=` for the parameters of the function already on the line (`-p KEY=VALUE`)."""
    name = str(ctx.params.get("function") or "").partition(":")[0]
    if name not in REGISTRY:
        return []
    return [f"{p.name}=" for p in REGISTRY.lookup(name).params if p.name.startswith(incomplete)]


def choices(*values: str) -> Callable[[], list[str]]:
    """Completion of an option's value (scripts/generate_completions.py embeds these)."""
    return lambda: list(values)


FunctionArg = Annotated[str, typer.Argument(
    metavar="FN", autocompletion=complete_function,
    help="Function name or alias, with parameters as FN:key=value[,key=value] "
         "(e.g. leaky_relu:negative_slope=0.2), or a formula in x such as "
         "'x*sigmoid(1.702*x)'. See `actcli list`.")]
NumbersArg = Annotated[Optional[list[str]], typer.Argument(
    metavar="NUMBERS",
    help="One number: that point. Two: START STOP (inclusive). Three or more: those points. "
         "Negative numbers need no quoting: -3, -1e3, -inf.")]
NumOpt = Annotated[Optional[int], typer.Option(
    "--num", "-n", help="Number of evenly spaced points between START and STOP (default 11).")]
StepOpt = Annotated[Optional[float], typer.Option(
    "--step", help="Spacing between START and STOP instead of --num.")]
PointsOpt = Annotated[bool, typer.Option(
    "--points", help="Take the NUMBERS as exactly these points, even two (never a range).")]
ParamOpt = Annotated[Optional[list[str]], typer.Option(
    "--param", "-p", metavar="KEY=VALUE", autocompletion=complete_parameter,
    help="Set a parameter (repeatable).")]
DtypeOpt = Annotated[str, typer.Option(
    "--dtype", autocompletion=choices(*DTYPES),
    help="Compute in float64 or float32 (as in a training run).")]
FormatOpt = Annotated[Optional[str], typer.Option(
    "--format", "-f", metavar="FORMAT", autocompletion=choices(*FORMATS),
    help="table, csv, tsv, json, jsonl or markdown (a table on a terminal, else csv).")]
YlimOpt = Annotated[Optional[tuple[float, float]], typer.Option(
    "--ylim", metavar="LOW HIGH",
    help="The y range of the plot (default: every curve that does not squash the others; "
         "the legend says which are clipped).")]
OutputOpt = Annotated[Optional[str], typer.Option(
    "--output", "-o", metavar="FILE",
    help="Write the plot to FILE (.png, .svg or .pdf; '-' for PNG bytes on stdout).")]


PrecisionOpt = Annotated[int, typer.Option(
    "--precision", help="Significant digits in tables (machine formats are always exact).")]


# --- CSV input: one group of options, handed to a command as `csv: CsvOptions` ---------

InputOpt = Annotated[Optional[str], typer.Option(
    "--input", "-i", metavar="FILE", help="Read CSV rows from FILE ('-': stdin) instead of NUMBERS.")]
ColumnOpt = Annotated[Optional[str], typer.Option(
    "--column", "-c", metavar="NAME|INDEX[,...]",
    help="Input column(s) to use (default the only column, else the one named x).")]
HeaderOpt = Annotated[bool, typer.Option(
    "--header", help="Write a header even when the input had none.")]
OnlyOpt = Annotated[bool, typer.Option("--only", help="Write only the result columns.")]
NameOpt = Annotated[Optional[str], typer.Option(
    "--name", metavar="NAME[,...]", help="Names for the result columns.")]
DelimiterOpt = Annotated[Optional[str], typer.Option(
    "--delimiter", "-d", metavar="CHAR", help="Field delimiter (default follows the input).")]
TsvOpt = Annotated[bool, typer.Option(
    "--tsv", help="Tab-separated input (and output, unless -f says otherwise).")]
JsonlOpt = Annotated[bool, typer.Option(
    "--jsonl", help="JSON Lines input: one object per line (output too, unless -f).")]
OnErrorOpt = Annotated[str, typer.Option(
    "--on-error", metavar="fail|skip|nan", autocompletion=choices(*ON_ERROR),
    help="A bad cell or ragged row: stop with an error, skip the row, or read NaN.")]

# Parameter name, type and default of each CSV option, in the order --help lists them.
_CSV_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    ("input", InputOpt, None), ("column", ColumnOpt, None), ("header", HeaderOpt, False),
    ("only", OnlyOpt, False), ("name", NameOpt, None), ("delimiter", DelimiterOpt, None),
    ("tsv", TsvOpt, False), ("jsonl", JsonlOpt, False), ("on_error", OnErrorOpt, "fail"),
)


def csv_input_options(command: Command) -> Command:
    """Give `command` the CSV input options and pass them on as one `csv: CsvOptions`
    (the command declares `*, csv: CsvOptions` last)."""
    hints = get_type_hints(command, include_extras=True)
    signature = inspect.signature(command)
    kept = [p.replace(annotation=hints[p.name]) for p in signature.parameters.values()
            if p.name != "csv"]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                               annotation=annotation) for name, annotation, default in _CSV_OPTIONS]

    @functools.wraps(command)
    def with_csv(*args: Any, **kwargs: Any) -> Any:
        csv = CsvOptions(**{name: kwargs.pop(name) for name, _, _ in _CSV_OPTIONS})
        return command(*args, csv=csv, **kwargs)

    parameters = [*kept, *added]
    with_csv.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    with_csv.__annotations__ = {p.name: p.annotation for p in parameters}
    del with_csv.__wrapped__  # Typer must read the new signature, not the command's
    return with_csv  # type: ignore[return-value]


KeyOpt = Annotated[Optional[str], typer.Option(
    "--key", metavar="NAME", help="The array of an .npz or tensor of a .safetensors file "
                                  "(default: its only one).")]
