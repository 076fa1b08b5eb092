"""The `actcli` command line: parses arguments and delegates.

argv -> data.grid (numbers, ranges) and resolve (FN:key=value, formulas) ->
catalog -> present (tables, render, plot) or frontend.tasks (CSV streams, drawing,
depth runs). No numerics live here. The Environment is detected once per invocation
(or given by a test as `obj`). Every error ends as one line on stderr: exit status 2
for bad usage or input, 1 for a failure at run time (`--debug` shows the traceback).

No `from __future__ import annotations` here: Typer reads every command's signature
five times per run, and evaluates string annotations anew each time (10-20 ms of every
invocation: two thirds of the time it takes to build the ten commands).
"""

import gc
import inspect
import signal
from collections.abc import Sequence
from typing import Annotated, Optional

import typer

from actcli.analysis import stats
from actcli.catalog import REGISTRY, Activation
from actcli.catalog.spec import elementwise
from actcli.cli.framework import NumberFriendlyCommand, OneLineErrorGroup
from actcli.cli.options import (
    ColumnOpt,
    KeyOpt,
    DtypeOpt,
    FormatOpt,
    FunctionArg,
    NumbersArg,
    NumOpt,
    OutputOpt,
    ParamOpt,
    PointsOpt,
    PrecisionOpt,
    StepOpt,
    YlimOpt,
    choices,
    complete_function,
    csv_input_options,
)
from actcli.data import grid, stream
from actcli.errors import InputError
from actcli.frontend import tasks
from actcli.frontend.context import Environment
from actcli.resolve import resolve
from actcli.frontend.tasks import CsvOptions
from actcli.present import tables
from actcli.present.plot.figure import FORMATS as IMAGE_FORMATS
from actcli.present.plot.figure import DEFAULT_DPI, PlotOptions, parse_size
from actcli.present.render import (
    DEFAULT_PRECISION,
    Table,
    check_format,
    check_precision,
    check_rows_for_people,
    write_record,
    write_table,
)


app = typer.Typer(
    name="actcli",
    cls=OneLineErrorGroup,
    help="Explore neural-network activation functions: exact values, honest gradients, "
         "properties and plots.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from actcli.version import version

        typer.echo(f"actcli {version()}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Explore neural-network activation functions: exact values, honest gradients,
    properties and plots."""
    if ctx.obj is None:
        ctx.obj = Environment.detect()


def _output_format(fmt: str | None, env: Environment) -> str:
    return check_format(fmt or env.default_format())


def _emit(env: Environment, table_or_tables: Table | Sequence[Table], fmt: str | None,
          precision: int) -> None:
    chosen = _output_format(fmt, env)
    check_precision(precision)
    for i, table in enumerate([table_or_tables] if isinstance(table_or_tables, Table) else table_or_tables):
        if i:
            env.out.write("\n")
        write_table(table, chosen, env.out, precision=precision)
    env.out.flush()


# --- eval and grad ----------------------------------------------------------------------

def _values(env: Environment, function: str, numbers: list[str] | None,
            orders: tuple[int, ...], *, num: int | None, step: float | None,
            exact: bool, param: list[str] | None, dtype: str, fmt: str | None, precision: int,
            csv: CsvOptions) -> None:
    act = resolve(function, param or ())
    grid.float_dtype(dtype)
    if not numbers:
        if exact:
            raise InputError("--points applies to NUMBERS, and none were given")
        report = tasks.stream_values(act, orders, env, dtype=dtype, fmt=fmt, options=csv,
                                      precision=check_precision(precision))
        if report.skipped:
            env.err.write(f"actcli: warning: skipped {report.skipped} row(s) with a cell that "
                          "is not a number or the wrong number of fields\n")
        if report.nan_cells:
            env.err.write(f"actcli: warning: read {report.nan_cells} cell(s) that are not "
                          "numbers (or in a row with the wrong number of fields) as nan\n")
        return
    if csv.given():
        raise InputError(f"{csv.given()} applies to CSV input; NUMBERS were given")
    if isinstance(act, Activation):
        chosen = _output_format(fmt, env)
        if chosen in (*stream.FORMATS, "json"):  # machine formats: a chunk at a time
            check_precision(precision)
            tasks.write_values(act, grid.chunks(numbers, num=num, step=step, dtype=dtype,
                                                exact=exact), orders, chosen, env)
            return
        x = grid.points(numbers, num=num, step=step, dtype=dtype, exact=exact)
        check_rows_for_people(len(x), chosen)
        table = tables.values_table(act, x, orders)
    else:
        if num is not None or step is not None:
            raise InputError(f"{act.name} takes the NUMBERS as one vector: --num and --step do not apply")
        if 2 in orders:
            raise InputError(f"{act.name} is a vector function: its derivative is the Jacobian (--order 1)")
        x = grid.vector(numbers, dtype)
        table = tables.jacobian_table(act, x) if 1 in orders else tables.vector_table(act, x)
    _emit(env, table, fmt, precision)


@app.command("eval", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli eval relu -3 2                  11 points from -3 to 2

  actcli eval sigmoid 2 -3 0.5           exactly these points

  actcli eval exponential 709.78 710 --points    two points, not a range

  actcli eval leaky_relu:negative_slope=0.2 -5 5 --num 6

  actcli eval gelu -p approximate=tanh -3 3 --step 0.5

  actcli eval softmax 2 1 0.1            a vector function: one vector in

  actcli eval tanh -5 5 | mlr --icsv --opprint cat   (CSV when piped)

  seq -5 5 | actcli eval relu            CSV rows in: results appended

  cat logits.csv | actcli eval softmax -c a,b,c      row-wise over columns

  actcli eval gelu -i acts.csv -c x --only --name y
""")
@csv_input_options
def eval_command(ctx: typer.Context, function: FunctionArg, numbers: NumbersArg = None,
                 num: NumOpt = None, step: StepOpt = None, points: PointsOpt = False,
                 param: ParamOpt = None,
                 dtype: DtypeOpt = "float64", fmt: FormatOpt = None,
                 precision: PrecisionOpt = DEFAULT_PRECISION, *, csv: CsvOptions) -> None:
    """Evaluate FN at points or over a range, or on CSV rows piped in (or -i FILE)."""
    _values(ctx.obj, function, numbers, (0,), num=num, step=step, exact=points, param=param,
            dtype=dtype, fmt=fmt, precision=precision, csv=csv)


@app.command("grad", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli grad sigmoid -5 5               x, f(x), f'(x): sigmoid' peaks at 0.25

  actcli grad relu -1 0 1                relu'(0) = 0, as PyTorch

  actcli grad tanh 0 20 --order 2        adds f''(x)

  actcli grad softmax 2 1 0.1            the Jacobian of a vector function

  actcli grad gelu -i acts.csv -c x | mlr --icsv stats1 -a max -f gelu_grad
""")
@csv_input_options
def grad_command(ctx: typer.Context, function: FunctionArg, numbers: NumbersArg = None,
                 order: Annotated[int, typer.Option("--order", help="1: f'(x); 2: also f''(x).")] = 1,
                 num: NumOpt = None, step: StepOpt = None, points: PointsOpt = False,
                 param: ParamOpt = None,
                 dtype: DtypeOpt = "float64", fmt: FormatOpt = None,
                 precision: PrecisionOpt = DEFAULT_PRECISION, *, csv: CsvOptions) -> None:
    """Evaluate FN with f'(x) (and f''), or the Jacobian of a vector function.

    Takes points, a range, or CSV rows piped in (or -i FILE), like eval."""
    if order not in (1, 2):
        raise InputError(f"--order must be 1 or 2, got {order}")
    _values(ctx.obj, function, numbers, (0, 1) if order == 1 else (0, 1, 2), num=num,
            step=step, exact=points, param=param, dtype=dtype, fmt=fmt, precision=precision,
            csv=csv)


# --- compare ----------------------------------------------------------------------------

def _split_functions_and_range(items: Sequence[str], *,
                               functions_needed: bool = True) -> tuple[list[str], list[str]]:
    """`FN FN ... [START STOP]`: trailing numbers are the range (default -5 5)."""
    count = 0
    while count < len(items) and grid.is_number(items[len(items) - 1 - count]):
        count += 1
    functions, numbers = list(items[:len(items) - count]), list(items[len(items) - count:])
    if functions_needed and not functions:
        raise InputError("give at least one function")
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
    ctx: typer.Context,
    items: Annotated[list[str], typer.Argument(
        metavar="FN... [START STOP]", autocompletion=complete_function,
        help="Functions to compare, then an optional range (default -5 5).")],
    grad: Annotated[bool, typer.Option("--grad", help="Compare f'(x) instead of f(x).")] = False,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Print only the summary of properties (range, max |f'|, "
                          "zero-centred, ...), which --grad does not change.")] = False,
    output: OutputOpt = None, ylim: YlimOpt = None,
    num: NumOpt = None, step: StepOpt = None, dtype: DtypeOpt = "float64",
    fmt: FormatOpt = None, precision: PrecisionOpt = DEFAULT_PRECISION,
) -> None:
    """Compare functions side by side, with a summary of their properties.

    On a terminal both tables are shown; machine formats get the values (or, with
    --summary, only the summary). -o FILE also draws the functions (and with --grad
    their derivatives) in one plot."""
    env: Environment = ctx.obj
    names, numbers = _split_functions_and_range(items)
    acts = [elementwise(resolve(name), "compare takes elementwise functions") for name in names]
    x = grid.points(numbers, num=num, step=step, dtype=dtype)
    chosen = _output_format(fmt, env)
    if ylim is not None and output is None:
        raise InputError("--ylim sets the y range of the plot: it needs -o FILE")
    if output is not None:
        start, stop = grid.bounds(numbers)
        tasks.draw(acts, output, start, stop, env, grad=grad, dtype=dtype, ylim=ylim)
        if output == "-":
            return
    values = tables.compare_table(acts, x, 1 if grad else 0)
    properties = tables.properties_table(acts, for_people=chosen in ("table", "markdown"))
    if summary:
        _emit(env, properties, chosen, precision)
    elif chosen == "table":
        _emit(env, [values, properties], chosen, precision)
    else:
        _emit(env, values, chosen, precision)


# --- plot -------------------------------------------------------------------------------

@app.command("plot", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli plot sigmoid --grad                (in the terminal)

  actcli plot sigmoid --grad -o out.png

  actcli plot relu tanh gelu -3 3 -o compare.svg

  actcli plot leaky_relu:negative_slope=0.2 elu --grad --grad2 -o slides.pdf --size 10x6

  actcli plot gelu -o - | display        (PNG bytes on stdout)

  actcli plot "x**3" tanh -o cube.png --ylim -10 10
""")
def plot_command(
    ctx: typer.Context,
    items: Annotated[list[str], typer.Argument(
        metavar="FN... [START STOP]", autocompletion=complete_function,
        help="Functions to draw, then an optional range (default -5 5).")],
    output: OutputOpt = None,
    ylim: YlimOpt = None,
    grad: Annotated[bool, typer.Option("--grad", help="Also draw f' (dashed).")] = False,
    grad2: Annotated[bool, typer.Option("--grad2", help="Also draw f'' (dotted).")] = False,
    num: Annotated[Optional[int], typer.Option(
        "--num", "-n", help="Points per curve (default 1001, plus the kinks).")] = None,
    dpi: Annotated[float, typer.Option("--dpi", help="Resolution of PNG output.")] = DEFAULT_DPI,
    size: Annotated[str, typer.Option("--size", metavar="WxH", help="Figure size in inches.")] = "8x5",
    title: Annotated[Optional[str], typer.Option("--title", help="Plot title ('' for none).")] = None,
    style: Annotated[Optional[str], typer.Option("--style", help="A matplotlib style name.")] = None,
    image_format: Annotated[Optional[str], typer.Option(
        "--format", "-f", metavar="png|svg|pdf", autocompletion=choices(*IMAGE_FORMATS),
        help="Image format for -o - (default png).")] = None,
    dtype: DtypeOpt = "float64",
    data: Annotated[Optional[str], typer.Option(
        "--data", metavar="FILE|GLOB",
        help="Draw the histogram of these values (e.g. pre-activations: .npy, .npz, "
             ".safetensors, CSV) behind the curves, with the dead and saturated regions; "
             "the range defaults to the data's 0.5-99.5 percentiles, widened to include 0.")] = None,
    column: ColumnOpt = None,
    key: KeyOpt = None,
    term: Annotated[bool, typer.Option(
        "--term", help="Draw in characters even when stdout is not a terminal.")] = False,
    width: Annotated[Optional[int], typer.Option(
        "--width", help="Width of the terminal plot in characters (default: the terminal's).")] = None,
    height: Annotated[Optional[int], typer.Option(
        "--height", help="Height of the terminal plot in characters.")] = None,
) -> None:
    """Draw functions and their derivatives in the terminal, or to a PNG, SVG or PDF file."""
    env: Environment = ctx.obj
    in_terminal = output is None
    if in_terminal and not (term or env.stdout_isatty):
        raise InputError("plot needs -o FILE (.png, .svg or .pdf), -o - for PNG bytes on stdout, "
                         "or --term for a plot in characters")
    if not in_terminal and (term or width is not None or height is not None):
        raise InputError("--term, --width and --height draw in the terminal; a file takes --size")
    if data is None and (column is not None or key is not None):
        raise InputError("-c/--column and --key apply to --data")
    names, numbers = _split_functions_and_range(items)
    acts = [resolve(name) for name in names]
    start, stop = grid.bounds(numbers)
    grid.float_dtype(dtype)
    # With --data and no START STOP, the range is the data's.
    given = data is None or grid.is_number(items[-1])
    if output is None:
        tasks.draw_in_terminal(acts, start if given else None, stop if given else None, env,
                               grad=grad, grad2=grad2, num=num, dtype=dtype, width=width,
                               height=height, ylim=ylim, data=data, names=names, column=column,
                               key=key)
        return
    options = PlotOptions(size=parse_size(size), dpi=dpi, style=style, title=title)
    if data is not None:
        tasks.draw_with_data(names, acts, data, output, start if given else None,
                             stop if given else None, env, column=column, key=key, grad=grad,
                             grad2=grad2, num=num, dtype=dtype, image_format=image_format,
                             options=options, ylim=ylim)
        return
    tasks.draw(acts, output, start, stop, ctx.obj, grad=grad, grad2=grad2, num=num, dtype=dtype,
               image_format=image_format, options=options, ylim=ylim)


# --- depth ------------------------------------------------------------------------------

@app.command("depth", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli depth sigmoid tanh relu                   50 layers, 256 wide, He init

  actcli depth sigmoid --init xavier --summary     watch the gradient vanish

  actcli depth relu --bias -1 --layers 20          dying ReLU: units at 0 grow

  actcli depth selu --init lecun -o selu.png       self-normalising: std stays near 1

  actcli depth relu leaky_relu:negative_slope=0.2 --init normal:0.2 -f csv
""")
def depth_command(
    ctx: typer.Context,
    functions: Annotated[list[str], typer.Argument(
        metavar="FN...", autocompletion=complete_function, help="Activations to push through.")],
    layers: Annotated[int, typer.Option("--layers", "-L", help="Number of layers.")] = 50,
    width: Annotated[int, typer.Option("--width", "-W", help="Units per layer.")] = 256,
    batch: Annotated[int, typer.Option("--batch", "-B", help="Inputs in the batch.")] = 256,
    init: Annotated[str, typer.Option(
        "--init", autocompletion=choices("he", "xavier", "lecun", "normal:"),
        help="Weights: he, xavier, lecun or normal:STD.")] = "he",
    bias: Annotated[float, typer.Option("--bias", help="Constant bias of every unit.")] = 0.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same numbers).")] = 0,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Print only the summary (a verdict per function, from the "
                          "gradient at layer 1 over the last).")] = False,
    output: OutputOpt = None,
    dtype: DtypeOpt = "float64", fmt: FormatOpt = None,
    precision: PrecisionOpt = DEFAULT_PRECISION,
) -> None:
    """Watch signals and gradients vanish, explode or survive through many layers.

    A random batch goes forward through a deep random network and a random
    gradient comes back. Per layer: pre-activation and activation mean and
    std, the shares of activations at 0 and of inputs in a saturated tail (as
    `actcli stats` counts them), of dead units (f' = 0 for the whole batch),
    and the gradient norm relative to the last layer. All functions see the
    same weights and inputs. The summary gives a verdict per function with the numbers behind
    it, from the gradient at layer 1 over the gradient at the last layer:
    below 0.1 vanishing, above 10 exploding, from 0.1 to 10 stable."""
    from actcli.analysis import depth

    env: Environment = ctx.obj
    acts = [resolve(name) for name in functions]
    grid.float_dtype(dtype)
    config = depth.DepthConfig(layers=layers, width=width, batch=batch, init=init, bias=bias,
                               seed=seed, dtype=dtype)  # type: ignore[arg-type]
    chosen = _output_format(fmt, env)
    profiles = tasks.run_depth(acts, config, env, output)
    if output == "-":
        return
    summary_table = tables.depth_summary_table(profiles, for_people=chosen == "table")
    if summary:
        _emit(env, summary_table, chosen, precision)
    elif chosen == "table":
        _emit(env, [*(tables.depth_layer_table([p]) for p in profiles), summary_table], chosen,
              precision)
    else:
        _emit(env, tables.depth_layer_table(profiles), chosen, precision)


# --- list and info ----------------------------------------------------------------------

@app.command("list")
def list_command(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List every function with its family and a one-line description."""
    _emit(ctx.obj, tables.catalog_table(REGISTRY), fmt, DEFAULT_PRECISION)


@app.command("info", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli info gelu

  actcli info leaky_relu:negative_slope=0.2

  actcli info softplus -f json | jq .max_abs_grad
""")
def info_command(ctx: typer.Context, function: FunctionArg, param: ParamOpt = None,
                 fmt: FormatOpt = None) -> None:
    """Formula, parameters, properties, kink convention, framework names and reference."""
    env: Environment = ctx.obj
    act = resolve(function, param or ())
    chosen = _output_format(fmt, env)
    record = tables.info_record(act, nested=chosen in ("json", "jsonl"),
                                exact=chosen not in ("table", "markdown"))
    write_record(act.label, record, chosen, env.out)
    env.out.flush()


# --- stats ------------------------------------------------------------------------------

@app.command("stats", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli stats relu gelu -i preacts.npy          dead, saturated, gradient scale

  actcli stats relu leaky_relu elu -i 'acts/layer*.npy'    pooled over files

  actcli stats silu -i model.safetensors --key layers.3.mlp.pre -f json

  python dump.py | actcli stats relu tanh -c x   CSV on stdin

  actcli stats relu -i 'shards/*.npy' --scheduler tcp://10.0.0.5:8786
""")
def stats_command(
    ctx: typer.Context,
    functions: Annotated[list[str], typer.Argument(
        metavar="FN...", autocompletion=complete_function, help="Activations to apply to the data.")],
    input: Annotated[Optional[list[str]], typer.Option(
        "--input", "-i", metavar="FILE|GLOB",
        help="Values to read (repeatable; a quoted glob pools its files): .npy, .npz, "
             ".safetensors, or CSV/TSV/JSON Lines ('-' or none: stdin).")] = None,
    column: ColumnOpt = None,
    key: KeyOpt = None,
    saturation: Annotated[float, typer.Option(
        "--saturation", metavar="S",
        help="Saturated: in a tail of f past the last |f'(x)| >= S * max|f'|.",
    )] = stats.DEFAULT_SATURATION,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", metavar="ADDRESS",
        help="Summarise the files on the workers of the Dask cluster at ADDRESS (needs "
             "actcli's dask extra).")] = None,
    fmt: FormatOpt = None, precision: PrecisionOpt = DEFAULT_PRECISION,
) -> None:
    """What each function does to your data: dead and saturated shares, output and
    gradient scale, with a verdict.

    The values (e.g. a layer's pre-activations dumped from training) are streamed in
    bounded memory and computed in float64; NaN values are counted and left out."""
    from actcli.present import stats_tables

    env: Environment = ctx.obj
    chosen = _output_format(fmt, env)
    check_precision(precision)
    records = tasks.summarise_data(functions, input or ["-"], env, key=key, column=column,
                                   saturation=saturation, scheduler=scheduler).records()
    if chosen == "table":
        _emit(env, stats_tables.stats_tables_for_people(records, saturation), chosen, precision)
    else:
        _emit(env, stats_tables.stats_table(records), chosen, precision)


# --- explore ----------------------------------------------------------------------------

@app.command("explore", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli explore                          relu, sigmoid and tanh on -5 5

  actcli explore gelu silu -3 3 --grad2

  actcli explore leaky_relu:negative_slope=0.2 'x*sigmoid(1.702*x)'
""")
def explore_command(
    ctx: typer.Context,
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

    env: Environment = ctx.obj
    names, numbers = _split_functions_and_range(items or [], functions_needed=False)
    start, stop = sorted(grid.bounds(numbers))  # 3 -3 is the range -3 3, as for plot
    if start == stop:
        raise InputError(f"the range is empty: START and STOP are both {numbers[0]}")
    if stop - start > state.MAX_WIDTH:
        raise InputError(f"the explorer's range is at most {state.MAX_WIDTH:g} wide, "
                         f"got {numbers[0]} {numbers[1]}")
    grid.float_dtype(dtype)
    acts = [state.function(name) for name in names or state.DEFAULT_FUNCTIONS]
    view = state.View(acts, start, stop, grad=True, grad2=grad2, dtype=dtype)
    if not (env.stdin_isatty and env.stdout_isatty):
        raise InputError("explore is interactive: it needs a terminal on stdin and stdout "
                         "(for a plot in a pipe use `actcli plot FN --term`)")
    # Up to the first frame, imports and Textual make some 70,000 objects that live as
    # long as the app, and the collector's passes over them (a full one took 20-30 ms)
    # were a tenth of the time to that frame: no collection until it is drawn, and none
    # of those objects after (gc.freeze).
    gc.disable()
    from actcli.explore.app import ExploreApp

    explorer = ExploreApp(view, on_first_frame=_collect_from_now_on)
    explorer.run()
    if explorer.return_code:  # 130 after Ctrl-C
        raise typer.Exit(explorer.return_code)


def _collect_from_now_on() -> None:
    gc.freeze()
    gc.enable()


# --- completion -------------------------------------------------------------------------

# The static scripts shipped as package data (made by scripts/generate_completions.py).
COMPLETION_SCRIPTS = {"bash": "actcli.bash", "zsh": "_actcli", "fish": "actcli.fish"}


@app.command("completion", epilog="""Examples:

  actcli completion bash > ~/.local/share/bash-completion/completions/actcli

  actcli completion zsh > ~/.zfunc/_actcli

  actcli completion fish > ~/.config/fish/completions/actcli.fish
""")
def completion_command(ctx: typer.Context, shell: Annotated[str, typer.Argument(
        metavar="SHELL", autocompletion=choices(*COMPLETION_SCRIPTS),
        help="bash, zsh or fish.")]) -> None:
    """Print the completion script for bash, zsh or fish (no Python start-up per TAB).

    The script completes subcommands, options and their values, function names and
    aliases, and parameter names (FN:<TAB>, -p <TAB>); see the README for where it goes."""
    if shell not in COMPLETION_SCRIPTS:
        raise InputError(f"unknown shell {shell!r}: expected bash, zsh or fish")
    from importlib.resources import files

    env: Environment = ctx.obj
    script = files("actcli.completions").joinpath(COMPLETION_SCRIPTS[shell])
    env.out.write(script.read_text(encoding="utf-8"))
    env.out.flush()


def _one_line_paragraphs(text: str) -> str:
    """A docstring's paragraphs as single lines: Rich wraps them to the terminal, and the
    line breaks of the source would otherwise stay (mid-sentence on a wide terminal)."""
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in text.split("\n\n"))


for _command in app.registered_commands:
    if _command.help is None and _command.callback is not None:
        _command.help = _one_line_paragraphs(inspect.getdoc(_command.callback) or "")


def main() -> None:
    """Console entry point."""
    # Like other Unix tools, die quietly (status 141) when the reader of a pipe goes away.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app()
