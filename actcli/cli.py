"""The `actcli` command line: parses arguments and delegates.

argv -> inputs (numbers, ranges, FN:key=value) -> catalog -> tables -> render.
No numerics live here. Every error ends as one line on stderr: exit status 2 for bad
usage or input, 1 for a failure at run time (with `--debug` for the traceback).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Optional

import typer

from actcli import depth, inputs, plot, stream, tables
from actcli.catalog import (
    REGISTRY,
    Activation,
    ParamError,
    ShapeError,
    UnknownFunctionError,
    VectorActivation,
)
from actcli.cli_framework import NumberFriendlyCommand, OneLineErrorGroup
from actcli.inputs import InputError
from actcli.render import DEFAULT_PRECISION, FORMATS, Environment, Table, write_record, write_table


class ActcliGroup(OneLineErrorGroup):
    # Errors that mean "the input was wrong" (exit 2) rather than "something failed" (1).
    usage_errors = (InputError, ParamError, ShapeError, UnknownFunctionError,
                    plot.PlotInputError, depth.DepthError, stream.OptionError)
    runtime_errors = (plot.PlotError, stream.StreamError)


app = typer.Typer(
    name="actcli",
    cls=ActcliGroup,
    help="Explore neural-network activation functions: exact values, honest gradients, "
         "properties and plots.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# --- shared options ---------------------------------------------------------------------

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


def _choices(*values: str) -> Callable[[], list[str]]:
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
ParamOpt = Annotated[Optional[list[str]], typer.Option(
    "--param", "-p", metavar="KEY=VALUE", help="Set a parameter (repeatable).")]
DtypeOpt = Annotated[str, typer.Option(
    "--dtype", autocompletion=_choices(*inputs.DTYPES),
    help="Compute in float64 or float32 (as in a training run).")]
FormatOpt = Annotated[Optional[str], typer.Option(
    "--format", "-f", metavar="FORMAT", autocompletion=_choices(*FORMATS),
    help="table, csv, tsv, json, jsonl or markdown (a table on a terminal, else csv).")]
OutputOpt = Annotated[Optional[str], typer.Option(
    "--output", "-o", metavar="FILE",
    help="Write the plot to FILE (.png, .svg or .pdf; '-' for PNG bytes on stdout).")]


PrecisionOpt = Annotated[int, typer.Option(
    "--precision", help="Significant digits in tables (machine formats are always exact).")]


def _version(value: bool) -> None:
    if value:
        import actcli

        typer.echo(f"actcli {actcli.__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Explore neural-network activation functions: exact values, honest gradients,
    properties and plots."""


def _output_format(fmt: str | None, env: Environment) -> str:
    chosen = (fmt or env.default_format()).lower()
    if chosen not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return chosen


def _check_precision(precision: int) -> int:
    if not 1 <= precision <= 17:
        raise InputError(f"--precision must be between 1 and 17, got {precision}")
    return precision


def _check_dtype(dtype: str) -> str:
    if dtype not in inputs.DTYPES:
        raise InputError(f"unknown dtype {dtype!r}; choose float64 or float32")
    return dtype


def _emit(table_or_tables: Table | Sequence[Table], fmt: str | None, precision: int) -> None:
    env = Environment.detect()
    chosen = _output_format(fmt, env)
    _check_precision(precision)
    for i, table in enumerate([table_or_tables] if isinstance(table_or_tables, Table) else table_or_tables):
        if i:
            sys.stdout.write("\n")
        write_table(table, chosen, sys.stdout, precision=precision)
    sys.stdout.flush()


# --- eval and grad ----------------------------------------------------------------------

def _values(function: str, numbers: list[str] | None, orders: tuple[int, ...], *,
            num: int | None, step: float | None, param: list[str] | None, dtype: str,
            fmt: str | None, precision: int, csv_options: CsvOptions) -> None:
    act = inputs.function(function, param or ())
    _check_dtype(dtype)
    if not numbers:
        _stream(act, orders, dtype=dtype, fmt=fmt, options=csv_options)
        return
    if csv_options.given():
        raise InputError(f"{csv_options.given()} applies to CSV input; NUMBERS were given")
    if isinstance(act, VectorActivation):
        if num is not None or step is not None:
            raise InputError(f"{act.name} takes the NUMBERS as one vector: --num and --step do not apply")
        if 2 in orders:
            raise InputError(f"{act.name} is a vector function: its derivative is the Jacobian (--order 1)")
        x = inputs.vector(numbers, dtype)
        table = tables.jacobian_table(act, x) if 1 in orders else tables.vector_table(act, x)
    else:
        x = inputs.points(numbers, num=num, step=step, dtype=dtype)
        table = tables.values_table(act, x, orders)
    _emit(table, fmt, precision)


# --- CSV in, CSV out --------------------------------------------------------------------

# Show progress for input files above this size (on a terminal, never in CI).
_PROGRESS_BYTES = 16 * 2**20


@dataclass(frozen=True)
class CsvOptions:
    """The options of `eval`/`grad` that only apply when rows come from CSV input."""

    input: str | None
    column: str | None
    header: bool
    only: bool
    name: str | None
    delimiter: str | None
    tsv: bool
    on_error: str

    def given(self) -> str:
        """The first CSV-only option that was set, as typed (or "")."""
        for flag, value in (("-i/--input", self.input), ("-c/--column", self.column),
                            ("--header", self.header), ("--only", self.only),
                            ("--name", self.name), ("--delimiter", self.delimiter),
                            ("--tsv", self.tsv), ("--on-error", self.on_error != "fail")):
            if value:
                return flag
        return ""


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
TsvOpt = Annotated[bool, typer.Option("--tsv", help="Tab-separated input and output.")]
OnErrorOpt = Annotated[str, typer.Option(
    "--on-error", metavar="fail|skip|nan", autocompletion=_choices("fail", "skip", "nan"),
    help="A cell that is not a number: stop with an error, skip the row, or read NaN.")]


def _stream(act: Any, orders: tuple[int, ...], *, dtype: str, fmt: str | None,
            options: CsvOptions) -> None:
    env = Environment.detect()
    if options.input is None and env.stdin_isatty:
        raise InputError("no NUMBERS given and nothing piped in: e.g. `actcli eval relu -3 2`, "
                         "`seq -5 5 | actcli eval relu` or `-i data.csv` (see --help)")
    if isinstance(act, VectorActivation) and 1 in orders:
        raise InputError(f"grad of the vector function {act.name} over CSV rows is not "
                         "available: its Jacobian has a row per output (use NUMBERS)")
    chosen = "tsv" if options.tsv else (fmt or "csv").lower()
    if chosen not in ("csv", "tsv", "jsonl"):
        raise InputError(f"--format {chosen} does not apply to CSV input: use csv, tsv or jsonl")
    if options.on_error not in ("fail", "skip", "nan"):
        raise InputError(f"--on-error must be fail, skip or nan, got {options.on_error!r}")
    compute, names = tables.stream_columns(act, orders)
    if options.name:
        renamed = [n.strip() for n in options.name.split(",")]
        default_names = names

        def names(selected: list[str]) -> list[str]:
            expected = len(default_names(selected))
            if len(renamed) != expected:
                raise InputError(f"--name gives {len(renamed)} name(s) for {expected} result column(s)")
            return renamed

    delimiter = options.delimiter.replace("\\t", "\t") if options.delimiter else None
    source = sys.stdin.buffer if options.input in (None, "-") else _open_input(options.input)
    with source:
        progress = _file_progress(source, env) if options.input not in (None, "-") else None
        summary = stream.run(
            source, sys.stdout.buffer, compute, names, fmt=chosen,  # type: ignore[arg-type]
            columns=options.column.split(",") if options.column else None,
            write_header=True if options.header else None, delimiter=delimiter,
            only=options.only, on_error=options.on_error,  # type: ignore[arg-type]
            dtype=inputs.DTYPES[dtype], progress=progress)
    if summary.skipped:
        sys.stderr.write(f"actcli: warning: skipped {summary.skipped} row(s) with cells that are not numbers\n")
    if summary.nan_cells:
        sys.stderr.write(f"actcli: warning: read {summary.nan_cells} cell(s) that are not numbers as nan\n")


def _open_input(path: str) -> Any:
    try:
        return open(path, "rb")
    except OSError as error:
        raise InputError(f"cannot read {path!r}: {error.strerror}") from None


def _file_progress(source: Any, env: Environment) -> Any:
    size = os.fstat(source.fileno()).st_size
    if not env.stderr_isatty or env.ci or size < _PROGRESS_BYTES:
        return None

    def report(done: int, total: int | None) -> None:
        share = done / total if total else 0
        end = "\n" if total and done >= total else ""
        sys.stderr.write(f"\ractcli: read {share:4.0%} of {total / 2**20:.0f} MiB{end}")
        sys.stderr.flush()

    return report


@app.command("eval", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli eval relu -3 2                  11 points from -3 to 2

  actcli eval sigmoid 2 -3 0.5           exactly these points

  actcli eval leaky_relu:negative_slope=0.2 -5 5 --num 6

  actcli eval gelu -p approximate=tanh -3 3 --step 0.5

  actcli eval softmax 2 1 0.1            a vector function: one vector in

  actcli eval tanh -5 5 | mlr --icsv --opprint cat   (CSV when piped)

  seq -5 5 | actcli eval relu            CSV rows in: results appended

  cat logits.csv | actcli eval softmax -c a,b,c      row-wise over columns

  actcli eval gelu -i acts.csv -c x --only --name y
""")
def eval_command(function: FunctionArg, numbers: NumbersArg = None, num: NumOpt = None,
                 step: StepOpt = None, param: ParamOpt = None, dtype: DtypeOpt = "float64",
                 fmt: FormatOpt = None, precision: PrecisionOpt = DEFAULT_PRECISION,
                 input: InputOpt = None, column: ColumnOpt = None, header: HeaderOpt = False,
                 only: OnlyOpt = False, name: NameOpt = None, delimiter: DelimiterOpt = None,
                 tsv: TsvOpt = False, on_error: OnErrorOpt = "fail") -> None:
    """Evaluate FN at points or over a range, or on CSV rows piped in (or -i FILE)."""
    _values(function, numbers, (0,), num=num, step=step, param=param, dtype=dtype, fmt=fmt,
            precision=precision,
            csv_options=CsvOptions(input, column, header, only, name, delimiter, tsv, on_error))


@app.command("grad", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli grad sigmoid -5 5               x, f(x), f'(x): sigmoid' peaks at 0.25

  actcli grad relu -1 0 1                relu'(0) = 0, as PyTorch

  actcli grad tanh 0 20 --order 2        adds f''(x)

  actcli grad softmax 2 1 0.1            the Jacobian of a vector function

  actcli grad gelu -i acts.csv -c x | mlr --icsv stats1 -a max -f gelu_grad
""")
def grad_command(function: FunctionArg, numbers: NumbersArg = None,
                 order: Annotated[int, typer.Option("--order", help="1: f'(x); 2: also f''(x).")] = 1,
                 num: NumOpt = None, step: StepOpt = None, param: ParamOpt = None,
                 dtype: DtypeOpt = "float64", fmt: FormatOpt = None,
                 precision: PrecisionOpt = DEFAULT_PRECISION,
                 input: InputOpt = None, column: ColumnOpt = None, header: HeaderOpt = False,
                 only: OnlyOpt = False, name: NameOpt = None, delimiter: DelimiterOpt = None,
                 tsv: TsvOpt = False, on_error: OnErrorOpt = "fail") -> None:
    """Evaluate FN with f'(x) (and f''), or the Jacobian of a vector function.

    Takes points, a range, or CSV rows piped in (or -i FILE), like eval."""
    if order not in (1, 2):
        raise InputError(f"--order must be 1 or 2, got {order}")
    _values(function, numbers, (0, 1) if order == 1 else (0, 1, 2), num=num, step=step,
            param=param, dtype=dtype, fmt=fmt, precision=precision,
            csv_options=CsvOptions(input, column, header, only, name, delimiter, tsv, on_error))


# --- compare ----------------------------------------------------------------------------

def _split_functions_and_range(items: Sequence[str]) -> tuple[list[str], list[str]]:
    """`FN FN ... [START STOP]`: trailing numbers are the range."""
    count = 0
    while count < len(items) and inputs.is_number(items[len(items) - 1 - count]):
        count += 1
    functions, numbers = list(items[:len(items) - count]), list(items[len(items) - count:])
    if not functions:
        raise InputError("give at least one function to compare")
    if len(numbers) not in (0, 2):
        raise InputError(f"give the range as START STOP after the functions, got {' '.join(numbers)}")
    return functions, numbers or ["-5", "5"]


@app.command("compare", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli compare relu leaky_relu elu -3 3

  actcli compare sigmoid tanh --grad            (range -5 5 by default)

  actcli compare gelu gelu:approximate=tanh -6 6 --num 25

  actcli compare relu gelu silu --summary -f json
""")
def compare_command(
    items: Annotated[list[str], typer.Argument(
        metavar="FN... [START STOP]", autocompletion=complete_function,
        help="Functions to compare, then an optional range (default -5 5).")],
    grad: Annotated[bool, typer.Option("--grad", help="Compare f'(x) instead of f(x).")] = False,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Print only the summary of properties (range, max |f'|, "
                          "zero-centred, ...), which --grad does not change.")] = False,
    output: OutputOpt = None,
    num: NumOpt = None, step: StepOpt = None, dtype: DtypeOpt = "float64",
    fmt: FormatOpt = None, precision: PrecisionOpt = DEFAULT_PRECISION,
) -> None:
    """Compare functions side by side, with a summary of their properties.

    On a terminal both tables are shown; machine formats get the values (or, with
    --summary, only the summary). -o FILE also draws the functions (and with --grad
    their derivatives) in one plot."""
    names, numbers = _split_functions_and_range(items)
    acts = [inputs.function(name) for name in names]
    for act in acts:
        if not isinstance(act, Activation):
            raise InputError(f"{act.name} is a vector function; compare takes elementwise functions")
    x = inputs.points(numbers, num=num, step=step, dtype=_check_dtype(dtype))
    chosen = _output_format(fmt, Environment.detect())
    if output is not None:
        start, stop = inputs.bounds(numbers)
        _draw(acts, output, start, stop, grad=grad, dtype=dtype)
        if output == "-":
            return
    values = tables.compare_table(acts, x, 1 if grad else 0)
    if summary:
        _emit(tables.summary_table(acts), chosen, precision)
    elif chosen == "table":
        _emit([values, tables.summary_table(acts)], chosen, precision)
    else:
        _emit(values, chosen, precision)


# --- plot -------------------------------------------------------------------------------

def _draw(acts: Sequence[Activation], output: str, start: float, stop: float, *,
          grad: bool = False, grad2: bool = False, num: int | None = None, dtype: str = "float64",
          image_format: str | None = None, options: Any = None) -> None:
    if output == "-":
        if Environment.detect().stdout_isatty:
            raise InputError("refusing to write image bytes to a terminal; redirect stdout or use -o FILE")
        target: Any = sys.stdout.buffer
    else:
        target = output
    plot.plot_functions(acts, target, start, stop, grad=grad, grad2=grad2,
                        num=num or plot.DEFAULT_NUM, dtype=dtype, fmt=image_format,
                        options=options or plot.PlotOptions())
    if output == "-":
        sys.stdout.buffer.flush()


@app.command("plot", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli plot sigmoid --grad                (in the terminal)

  actcli plot sigmoid --grad -o out.png

  actcli plot relu tanh gelu -3 3 -o compare.svg

  actcli plot leaky_relu:negative_slope=0.2 elu --grad --grad2 -o slides.pdf --size 10x6

  actcli plot gelu -o - | display        (PNG bytes on stdout)
""")
def plot_command(
    items: Annotated[list[str], typer.Argument(
        metavar="FN... [START STOP]", autocompletion=complete_function,
        help="Functions to draw, then an optional range (default -5 5).")],
    output: OutputOpt = None,
    grad: Annotated[bool, typer.Option("--grad", help="Also draw f' (dashed).")] = False,
    grad2: Annotated[bool, typer.Option("--grad2", help="Also draw f'' (dotted).")] = False,
    num: Annotated[Optional[int], typer.Option(
        "--num", "-n", help="Points per curve (default 1001, plus the kinks).")] = None,
    dpi: Annotated[float, typer.Option("--dpi", help="Resolution of PNG output.")] = plot.DEFAULT_DPI,
    size: Annotated[str, typer.Option("--size", metavar="WxH", help="Figure size in inches.")] = "8x5",
    title: Annotated[Optional[str], typer.Option("--title", help="Plot title ('' for none).")] = None,
    style: Annotated[Optional[str], typer.Option("--style", help="A matplotlib style name.")] = None,
    image_format: Annotated[Optional[str], typer.Option(
        "--format", "-f", metavar="png|svg|pdf", autocompletion=_choices(*plot.FORMATS),
        help="Image format for -o - (default png).")] = None,
    dtype: DtypeOpt = "float64",
    term: Annotated[bool, typer.Option(
        "--term", help="Draw in characters even when stdout is not a terminal.")] = False,
    width: Annotated[Optional[int], typer.Option(
        "--width", help="Width of the terminal plot in characters (default: the terminal's).")] = None,
    height: Annotated[Optional[int], typer.Option(
        "--height", help="Height of the terminal plot in characters.")] = None,
) -> None:
    """Draw functions and their derivatives in the terminal, or to a PNG, SVG or PDF file."""
    if output is None and not (term or Environment.detect().stdout_isatty):
        raise InputError("plot needs -o FILE (.png, .svg or .pdf), -o - for PNG bytes on stdout, "
                         "or --term for a plot in characters")
    if output is not None and (term or width is not None or height is not None):
        raise InputError("--term, --width and --height draw in the terminal; a file takes --size")
    names, numbers = _split_functions_and_range(items)
    acts = [inputs.function(name) for name in names]
    start, stop = inputs.bounds(numbers)
    if output is None:
        _draw_in_terminal(acts, start, stop, grad=grad, grad2=grad2, num=num,
                          dtype=_check_dtype(dtype), width=width, height=height)
        return
    options = plot.PlotOptions(size=plot.parse_size(size), dpi=dpi, style=style, title=title)
    _draw(acts, output, start, stop, grad=grad, grad2=grad2, num=num, dtype=_check_dtype(dtype),
          image_format=image_format, options=options)


# --- depth ------------------------------------------------------------------------------

# Layer passes (layers x width^2 x batch multiply-adds each) above which a run takes
# seconds and shows its progress on a terminal.
_PROGRESS_WORK = 2e10


def _progress_reporter(config: depth.DepthConfig, functions: int) -> Any:
    env = Environment.detect()
    work = config.layers * config.width**2 * config.batch * (1 + 2 * functions)
    if not env.stderr_isatty or env.ci or work < _PROGRESS_WORK:
        return None

    def report(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\rdepth: {done}/{total} layer passes{end}")
        sys.stderr.flush()

    return report


@app.command("depth", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli depth sigmoid tanh relu                   50 layers, 256 wide, He init

  actcli depth sigmoid --init xavier --summary     watch the gradient vanish

  actcli depth relu --bias -1 --layers 20          dying ReLU: units at 0 grow

  actcli depth selu --init lecun -o selu.png       self-normalising: std stays near 1

  actcli depth relu leaky_relu:negative_slope=0.2 --init normal:0.2 -f csv
""")
def depth_command(
    functions: Annotated[list[str], typer.Argument(
        metavar="FN...", autocompletion=complete_function, help="Activations to push through.")],
    layers: Annotated[int, typer.Option("--layers", "-L", help="Number of layers.")] = 50,
    width: Annotated[int, typer.Option("--width", "-W", help="Units per layer.")] = 256,
    batch: Annotated[int, typer.Option("--batch", "-B", help="Inputs in the batch.")] = 256,
    init: Annotated[str, typer.Option(
        "--init", help="Weights: he, xavier, lecun or normal:STD.")] = "he",
    bias: Annotated[float, typer.Option("--bias", help="Constant bias of every unit.")] = 0.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same numbers).")] = 0,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Print only the summary (verdict per function).")] = False,
    output: OutputOpt = None,
    dtype: DtypeOpt = "float64", fmt: FormatOpt = None,
    precision: PrecisionOpt = DEFAULT_PRECISION,
) -> None:
    """Watch signals and gradients vanish, explode or survive through many layers.

    A random batch goes forward through a deep random network and a random gradient
    comes back. Per layer: pre-activation and activation mean and std, the share of units at 0 and
    saturated (|f'| < 1e-3), and the gradient norm relative to the last layer. The
    summary gives a verdict per function with the numbers behind it. All functions see
    the same weights and inputs."""
    acts = [inputs.function(name) for name in functions]
    config = depth.DepthConfig(layers=layers, width=width, batch=batch, init=init, bias=bias,
                               seed=seed, dtype=_check_dtype(dtype))  # type: ignore[arg-type]
    chosen = _output_format(fmt, Environment.detect())
    if output is not None:
        plot.image_format(output if output != "-" else sys.stdout.buffer)  # fail before the work
    profiles = depth.explore(acts, config, _progress_reporter(config, len(acts)))
    if output is not None:
        target: Any = sys.stdout.buffer if output == "-" else output
        plot.plot_depth(profiles, target)
        if output == "-":
            return
    summary_table = tables.depth_summary_table(profiles, for_people=chosen == "table")
    if summary:
        _emit(summary_table, chosen, precision)
    elif chosen == "table":
        _emit([*(tables.depth_layer_table([p]) for p in profiles), summary_table], chosen, precision)
    else:
        _emit(tables.depth_layer_table(profiles), chosen, precision)


# --- list and info ----------------------------------------------------------------------

@app.command("list")
def list_command(fmt: FormatOpt = None) -> None:
    """List every function with its family and a one-line description."""
    _emit(tables.catalog_table(REGISTRY), fmt, DEFAULT_PRECISION)


@app.command("info", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli info gelu

  actcli info leaky_relu:negative_slope=0.2

  actcli info softplus -f json | jq .max_abs_grad
""")
def info_command(function: FunctionArg, param: ParamOpt = None, fmt: FormatOpt = None) -> None:
    """Formula, parameters, properties, kink convention, framework names and reference."""
    act = inputs.function(function, param or ())
    chosen = _output_format(fmt, Environment.detect())
    record = tables.info_record(act, nested=chosen in ("json", "jsonl"))
    write_record(act.label, record, chosen, sys.stdout)
    sys.stdout.flush()


# --- plots in the terminal and the explorer ----------------------------------------------

def _draw_in_terminal(acts: Sequence[Any], start: float, stop: float, *, grad: bool, grad2: bool,
                      num: int | None, dtype: str, width: int | None, height: int | None) -> None:
    """`actcli plot` without -o: the plot in characters, as wide as the terminal."""
    import shutil

    from rich.console import Console

    from actcli.present import termplot

    columns, lines = shutil.get_terminal_size()
    width = columns if width is None else width
    height = max(termplot.MIN_HEIGHT, min(lines - 1, round(width / 2.5))) if height is None else height
    if width < termplot.MIN_WIDTH or height < termplot.MIN_HEIGHT:
        raise InputError(f"the terminal plot needs at least {termplot.MIN_WIDTH}x"
                         f"{termplot.MIN_HEIGHT} characters, got {width}x{height}")
    drawn = termplot.function_plot(acts, start, stop, grad=grad, grad2=grad2, width=width,
                                   height=height, num=num or plot.DEFAULT_NUM, dtype=dtype)
    # Colour on a terminal (or with FORCE_COLOR), never with NO_COLOR: Rich reads both.
    Console(width=width, highlight=False).print(drawn, crop=True, overflow="crop")
    sys.stdout.flush()


@app.command("explore", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli explore                          relu, sigmoid and tanh on -5 5

  actcli explore gelu silu -3 3 --grad2

  actcli explore leaky_relu:negative_slope=0.2 'x*sigmoid(1.702*x)'
""")
def explore_command(
    items: Annotated[Optional[list[str]], typer.Argument(
        metavar="[FN...] [START STOP]", autocompletion=complete_function,
        help="Functions to start with (default relu sigmoid tanh), then an optional range "
             "(default -5 5).")] = None,
    grad2: Annotated[bool, typer.Option("--grad2", help="Also draw f'' (dotted).")] = False,
    dtype: DtypeOpt = "float64",
) -> None:
    """Explore functions in a full-screen app: a cursor with exact values, parameters,
    derivatives, zoom, and the `actcli plot` command of what you see."""
    from actcli.explore import state

    items = list(items or [])
    count = 0  # trailing numbers are the range
    while count < len(items) and inputs.is_number(items[len(items) - 1 - count]):
        count += 1
    names, numbers = items[:len(items) - count], items[len(items) - count:]
    if len(numbers) not in (0, 2):
        raise InputError(f"give the range as START STOP after the functions, got {' '.join(numbers)}")
    start, stop = inputs.bounds(numbers) if numbers else (plot.DEFAULT_START, plot.DEFAULT_STOP)
    if not start < stop:
        raise InputError(f"START must be below STOP, got {numbers[0]} {numbers[1]}")
    try:
        acts = [state.function(name) for name in names or state.DEFAULT_FUNCTIONS]
    except state.ExploreError as error:
        raise InputError(str(error)) from None
    view = state.View(acts, start, stop, grad=True, grad2=grad2, dtype=_check_dtype(dtype))
    env = Environment.detect()
    if not (env.stdin_isatty and env.stdout_isatty):
        raise InputError("explore is interactive: it needs a terminal on stdin and stdout "
                         "(for a plot in a pipe use `actcli plot FN --term`)")
    from actcli.explore.app import ExploreApp

    ExploreApp(view).run()


def main() -> None:
    """Console entry point."""
    # Like other Unix tools, die quietly (status 141) when the reader of a pipe goes away.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app()
