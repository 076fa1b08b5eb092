"""The `actcli` command line: parses arguments and delegates.

Each command declares its arguments and options and calls one job in frontend/ (values,
compare, drawing, depth, describe, stats, page), which parses the numbers and functions,
computes through the catalog and renders. No numerics live here. The Environment is detected once per invocation
(or given by a test as `obj`). Every error ends as one line on stderr: exit status 2
for bad usage or input, 1 for a failure at run time (`--debug` shows the traceback).

No `from __future__ import annotations` here: Typer reads every command's signature
several times per run and would evaluate string annotations anew each time (the cost is
in benchmarks/README.md; benchmarks/startup.py measures it).
"""

import gc
import inspect
import signal
from typing import Annotated, Optional

import typer

from actcli.catalog.properties import DEFAULT_SATURATION
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
from actcli.data import grid
from actcli.errors import InputError
from actcli.frontend import compare, describe, drawing, stats, values, view
from actcli.frontend.arguments import functions_and_range
from actcli.frontend.context import Environment
from actcli.frontend.values import CsvOptions
from actcli.resolve import distinct
from actcli.present.plot.figure import FORMATS as IMAGE_FORMATS
from actcli.present.plot.figure import DEFAULT_DPI, PlotOptions, parse_size
from actcli.present.render import DEFAULT_PRECISION


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


# --- eval and grad ----------------------------------------------------------------------


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
    values.evaluate(ctx.obj, function, numbers, (0,), num=num, step=step, exact=points,
                    param=param or (), dtype=dtype, fmt=fmt, precision=precision, csv=csv)


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
    values.evaluate(ctx.obj, function, numbers, (0, 1) if order == 1 else (0, 1, 2), num=num,
                    step=step, exact=points, param=param or (), dtype=dtype, fmt=fmt,
                    precision=precision, csv=csv)


# --- compare ----------------------------------------------------------------------------


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
    compare.compare(ctx.obj, items, grad=grad, summary=summary, output=output, ylim=ylim,
                    num=num, step=step, dtype=dtype, fmt=fmt, precision=precision)


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
    drawing.plot(ctx.obj, items, output=output, ylim=ylim, grad=grad, grad2=grad2, num=num,
                 options=PlotOptions(size=parse_size(size), dpi=dpi, style=style, title=title),
                 image_format=image_format, dtype=dtype, data=data, column=column, key=key,
                 term=term, width=width, height=height)


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
    from actcli.analysis.depth import DepthConfig
    from actcli.frontend.depth import depth

    config = DepthConfig(layers=layers, width=width, batch=batch, init=init, bias=bias,
                         seed=seed, dtype=dtype)  # type: ignore[arg-type]
    depth(ctx.obj, functions, config, summary=summary, output=output, fmt=fmt,
          precision=precision)


# --- list and info ----------------------------------------------------------------------

@app.command("list")
def list_command(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """List every function with its family and a one-line description."""
    describe.listing(ctx.obj, fmt)


@app.command("info", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli info gelu

  actcli info leaky_relu:negative_slope=0.2

  actcli info softplus -f json | jq .max_abs_grad
""")
def info_command(ctx: typer.Context, function: FunctionArg, param: ParamOpt = None,
                 fmt: FormatOpt = None) -> None:
    """Formula, parameters, properties, kink convention, framework names and reference."""
    describe.info(ctx.obj, function, param or (), fmt)


# --- stats ------------------------------------------------------------------------------

@app.command("stats", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli stats relu gelu -i preacts.npy          dead, saturated, gradient scale

  actcli stats relu leaky_relu elu -i 'acts/layer*.npy'    pooled over files

  actcli stats silu -i model.safetensors --key layers.3.mlp.pre -f json

  python dump.py | actcli stats relu tanh -c x   CSV on stdin

  actcli stats relu -i 'shards/*.npy' --scheduler tcp://10.0.0.5:8786

  actcli stats --report run.json -f csv         a report saved by actcli.watch(model)
""")
def stats_command(
    ctx: typer.Context,
    functions: Annotated[Optional[list[str]], typer.Argument(
        metavar="FN...", autocompletion=complete_function,
        help="Activations to apply to the data.", show_default=False)] = None,
    input: Annotated[Optional[list[str]], typer.Option(
        "--input", "-i", metavar="FILE|GLOB",
        help="Values to read (repeatable; a quoted glob pools its files): .npy, .npz, "
             ".safetensors, or CSV/TSV/JSON Lines ('-' or none: stdin).")] = None,
    column: ColumnOpt = None,
    key: KeyOpt = None,
    saturation: Annotated[float, typer.Option(
        "--saturation", metavar="S",
        help="Saturated: in a tail of f past the last |f'(x)| >= S * max|f'|.",
    )] = DEFAULT_SATURATION,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", metavar="ADDRESS",
        help="Summarise the files on the workers of the Dask cluster at ADDRESS, "
             "tcp://HOST:PORT as `dask scheduler` prints it (needs actcli's dask extra).")] = None,
    timeout: Annotated[Optional[float], typer.Option(
        "--timeout", metavar="SECONDS",
        help="With --scheduler: how long to wait for the scheduler to answer, and for a "
             "worker while it has none (default 60).")] = None,
    report: Annotated[Optional[str], typer.Option(
        "--report", metavar="FILE",
        help="Print a report saved by actcli.watch(model) (report.save(FILE)) instead: "
             "a row per layer and function.")] = None,
    fmt: FormatOpt = None, precision: PrecisionOpt = DEFAULT_PRECISION,
) -> None:
    """What each function does to your data: dead and saturated shares, output and
    gradient scale, with a verdict.

    The values (e.g. a layer's pre-activations dumped from training) are streamed in
    bounded memory and computed in float64; NaN values are counted and left out."""
    stats.stats(ctx.obj, functions or (), input or (), column=column, key=key,
                saturation=saturation, scheduler=scheduler, timeout=timeout, report=report,
                fmt=fmt, precision=precision)


# --- explore ----------------------------------------------------------------------------

@app.command("explore", cls=NumberFriendlyCommand, epilog="""Examples:

  actcli explore                          relu, sigmoid and tanh on -5 5

  actcli explore gelu silu -3 3 --grad2

  actcli explore leaky_relu:negative_slope=0.2 'x*sigmoid(1.702*x)'

  actcli explore leaky_relu gelu elu -3 3 --html page.html    a web page
""")
def explore_command(
    ctx: typer.Context,
    items: Annotated[Optional[list[str]], typer.Argument(
        metavar="[FN...] [START STOP]", autocompletion=complete_function,
        help="Functions to start with (default relu sigmoid tanh), then an optional range "
             "(default -5 5).")] = None,
    grad2: Annotated[bool, typer.Option("--grad2", help="Also draw f'' (dotted).")] = False,
    dtype: DtypeOpt = "float64",
    html: Annotated[Optional[str], typer.Option(
        "--html", metavar="FILE",
        help="Write the explorer as one self-contained web page to FILE ('-': stdout) "
             "instead of starting the app.")] = None,
) -> None:
    """Explore functions in a full-screen app: a cursor with exact values, parameters,
    derivatives, zoom, and the `actcli plot` command of what you see.

    With --html FILE, the same as a web page that needs no network (sliders for the
    parameters, values computed by actcli when the page is written)."""
    env: Environment = ctx.obj
    names, numbers = functions_and_range(items or [], functions_needed=False)
    start, stop = view.check_range(*grid.bounds(numbers))
    grid.float_dtype(dtype)
    if html is not None:
        from actcli.frontend import page

        page.write_page(page.explorer_page(names or view.DEFAULT_FUNCTIONS, start, stop,
                                           grad2=grad2, dtype=dtype), html, env)
        return
    acts = [view.plottable(name) for name in names or view.DEFAULT_FUNCTIONS]
    distinct(acts, "explore")
    if not (env.stdin_isatty and env.stdout_isatty):
        raise InputError("explore is interactive: it needs a terminal on stdin and stdout "
                         "(for a plot in a pipe use `actcli plot FN --term`, for a web page "
                         "--html FILE)")
    from actcli.tui import state

    shown = state.View(acts, start, stop, grad=True, grad2=grad2, dtype=dtype)
    # The objects made up to the first frame live as long as the app: no collection
    # until it is drawn, and none of them after (gc.freeze). Why, measured:
    # benchmarks/README.md (benchmarks/explore.py).
    gc.disable()
    from actcli.tui.app import ExploreApp

    explorer = ExploreApp(shown, on_first_frame=_collect_from_now_on)
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
