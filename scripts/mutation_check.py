"""Does the test suite catch realistic bugs? Plant them one at a time and see.

    python scripts/mutation_check.py              every mutation; exit 1 if one survives
    python scripts/mutation_check.py --only 5,7   just these (numbers from the table)
    python scripts/mutation_check.py --list       the mutations, without running them
    python scripts/mutation_check.py --audit F    a blind audit's candidates (see below)

Each mutation is a small bug of a kind that has happened or easily could: a derivative
formula, a kink convention, an unstable branch, the bytes a CSV row passes through, a
flag the command line parses and drops, a grid off by one... It is written down as WHAT
IT BREAKS plus (file, exact original snippet, replacement), and names the test files
that must catch it. The checkout (without .git and .venv) is copied to a temporary
directory once; for each mutation a copy of that is made, the snippet replaced there,
and those test files run with this interpreter (pytest -x), PYTHONPATH and the working
directory pointing at the copy (checked first: the copy's actcli is the one imported;
and, unless --no-baseline, the test files pass unmutated). A mutation is killed when a
test fails (the table names the first one); it survives when they all pass.

When code moves, update the entries (file and snippet), never delete them: a snippet
that is not found exactly once is an error before anything runs, so a reshape cannot
silently turn a mutation off.

A blind audit finds the bugs the authors did not imagine: for a module that is new or
much changed, someone who has not read its tests writes realistic mutations from what
the code promises (its docstring, the README, the issue) into a file of their own, as
`MUTATIONS = (Mutation(...), ...)` with `tests=()`, and runs `--audit FILE`: each runs
against the whole suite. The killed ones join the list below, with the test file that
killed them; a survivor is a blind spot, to be closed with a test of the behaviour (not
of the edit) before it joins.

A curated list rather than mutmut or cosmic-ray: those generate thousands of mechanical
mutants (operator swaps everywhere) and rerun the suite for each, which takes hours on
this suite and CI's two cores, and their survivors are mostly equivalent mutants to
triage by hand. These entries are the bugs that matter for this tool, each checked
against the few test files that own it: a few minutes in all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", ".pytest_cache",
                                ".hypothesis", "*.egg-info", "build", "dist")


@dataclass(frozen=True)
class Mutation:
    breaks: str  # what goes wrong for a user, in words
    file: str  # relative to the checkout
    original: str  # must occur exactly once in `file`
    replacement: str
    tests: tuple[str, ...]  # test files that must catch it, quickest first (pytest -x)


MUTATIONS = (
    # --- numerics: derivative formulas, kinks, stable branches ---------------------------
    Mutation("sigmoid' = e/(1+e)^3 instead of e/(1+e)^2: a wrong derivative formula",
             "actcli/catalog/_stable.py",
             "    return e / (1 + e) ** 2\n", "    return e / (1 + e) ** 3\n",
             ("tests/test_properties.py", "tests/test_accuracy.py")),
    Mutation("sigmoid'' with the wrong sign",
             "actcli/catalog/_stable.py",
             "return -np.sign(z) * e * -np.expm1(-np.abs(z))",
             "return np.sign(z) * e * -np.expm1(-np.abs(z))",
             ("tests/test_properties.py", "tests/test_accuracy.py")),
    Mutation("relu'(0) = 1 instead of PyTorch's 0: the kink convention (relu, reglu)",
             "actcli/catalog/common.py",
             "    return x > 0\n",
             "    return x >= 0\n",
             ("tests/test_cli.py", "tests/test_accuracy.py")),
    Mutation("leaky_relu'(0) = 1 instead of the slope: the kink convention",
             "actcli/catalog/elementwise.py",
             "    return np.where(x > 0, 1, slope).astype(x.dtype)",
             "    return np.where(x >= 0, 1, slope).astype(x.dtype)",
             ("tests/test_accuracy.py",)),
    Mutation("softplus through log1p(exp(z)): overflows for large z (unstable branch)",
             "actcli/catalog/_stable.py",
             "    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))",
             "    return np.log1p(np.exp(z))",
             ("tests/test_properties.py", "tests/test_accuracy.py")),
    Mutation("sigmoid through 1/(1+exp(-z)) alone: overflows for z << 0 (unstable branch)",
             "actcli/catalog/_stable.py",
             "    return _one_or(z, e) / (1 + e)",
             "    return 1 / (1 + np.exp(-z))",
             ("tests/test_properties.py", "tests/test_accuracy.py")),
    Mutation("softmax's Jacobian with the wrong sign: diag(s) + s s^T",
             "actcli/catalog/vector.py",
             "    return np.diag(s) - np.outer(s, s)", "    return np.diag(s) + np.outer(s, s)",
             ("tests/test_properties.py", "tests/test_cli.py")),
    Mutation("f'(0) of the properties (info, compare --summary) is f(0)",
             "actcli/catalog/properties.py",
             "f0, df0 = float(act.f(0.0)), float(act.df(0.0))",
             "f0, df0 = float(act.f(0.0)), float(act.f(0.0))",
             ("tests/test_properties.py",)),
    Mutation("zero-centred ignores f(0): only the range is looked at",
             "actcli/catalog/properties.py",
             "zero_centred=f0 == 0 and rng.low < 0 < rng.high,",
             "zero_centred=rng.low < 0 < rng.high,",
             ("tests/test_properties.py",)),
    # --- CSV stream ------------------------------------------------------------------------
    Mutation("CSV rows with quotes lose their surrounding spaces: passthrough bytes changed",
             "actcli/data/stream.py",
             "                row = self.read_row(line, chosen)\n                if row is not None:\n"
             "                    good.append(raw)\n                    values.extend(row)",
             "                row = self.read_row(line, chosen)\n                if row is not None:\n"
             "                    good.append(raw.strip())\n                    values.extend(row)",
             ("tests/test_stream.py", "tests/test_cli.py")),
    Mutation("CRLF input written back with LF: passthrough bytes changed",
             "actcli/data/stream.py",
             'self.newline = b"\\r\\n" if first.endswith(b"\\r") else b"\\n"',
             'self.newline = b"\\n"',
             ("tests/test_stream.py", "tests/test_pipeline.py")),
    Mutation("CSV output starts with a line break and lacks the last one (the rows are joined rotated)",
             "actcli/data/stream.py",
             "self.write(memoryview(_interleave(streams))[len(newline):], newline)",
             "self.write(memoryview(_interleave(streams)), b\"\")",
             ("tests/test_stream.py", "tests/test_pipeline.py")),
    # --- command-line wiring ---------------------------------------------------------------
    Mutation("plot --grad ignored: no derivative curve in the image",
             "actcli/frontend/drawing.py",
             "    draw(acts, output, start, stop, env, grad=grad, grad2=grad2, num=num, dtype=dtype,",
             "    draw(acts, output, start, stop, env, grad=False, grad2=grad2, num=num, dtype=dtype,",
             ("tests/test_wiring.py", "tests/test_cli.py")),
    Mutation("compare --grad -o FILE ignored: the image has no derivatives",
             "actcli/frontend/compare.py",
             "draw(acts, output, start, stop, env, grad=grad, dtype=dtype, ylim=ylim)",
             "draw(acts, output, start, stop, env, grad=False, dtype=dtype, ylim=ylim)",
             ("tests/test_wiring.py", "tests/test_cli.py")),
    Mutation("compare --grad prints f instead of f'",
             "actcli/frontend/compare.py",
             "values = partial(tables.compare_table, acts, x, 1 if grad else 0)",
             "values = partial(tables.compare_table, acts, x, 0)",
             ("tests/test_cli.py",)),
    Mutation("--dtype float32 ignored on the CSV path",
             "actcli/frontend/values.py",
             "dtype=dtype, progress=None if from_stdin else _file_progress(source, env),",
             'dtype="float64", progress=None if from_stdin else _file_progress(source, env),',
             ("tests/test_wiring.py", "tests/test_cli.py")),
    Mutation("--dtype float32 ignored for NUMBERS",
             "actcli/frontend/values.py",
             "grid.chunks(numbers, num=num, step=step, dtype=dtype,",
             'grid.chunks(numbers, num=num, step=step, dtype="float64",',
             ("tests/test_wiring.py", "tests/test_cli.py")),
    Mutation("grad --order 2 drops the f'' column",
             "actcli/cli/app.py",
             "(0, 1) if order == 1 else (0, 1, 2)", "(0, 1) if order == 1 else (0, 1)",
             ("tests/test_cli.py",)),
    Mutation("grad --order 2 writes f' into the f'' column, for NUMBERS",
             "actcli/present/tables.py",
             "for o, y in zip(orders, act.derivatives(x, orders))]",
             "for o, y in zip(orders, act.derivatives(x, [min(o, 1) for o in orders]))]",
             ("tests/test_wiring.py", "tests/test_cli.py")),
    Mutation("grad --order 2 writes f' into the f'' column, for CSV rows",
             "actcli/present/tables.py",
             "for y in act.derivatives(values[:, j], orders)]",
             "for y in act.derivatives(values[:, j], [min(o, 1) for o in orders])]",
             ("tests/test_wiring.py", "tests/test_cli.py")),
    Mutation("the f'' column is named like the f' column",
             "actcli/present/tables.py",
             'ORDER_SUFFIX = {0: "", 1: "_grad", 2: "_grad2"}',
             'ORDER_SUFFIX = {0: "", 1: "_grad", 2: "_grad"}',
             ("tests/test_cli.py",)),
    # --- grids -----------------------------------------------------------------------------
    Mutation("evenly spaced points off by one: divided into count instead of count-1 gaps",
             "actcli/data/grid.py",
             "/ (gaps * scale)", "/ ((gaps + 1) * scale)",
             ("tests/test_cli.py",)),
    Mutation("--step misses STOP when (stop-start)/step rounds just below an integer",
             "actcli/data/grid.py",
             "count = math.floor(steps * (1 + 1e-12)) + 1", "count = math.floor(steps) + 1",
             ("tests/test_cli.py",)),
    Mutation("11 points by default becomes 10",
             "actcli/data/grid.py",
             "DEFAULT_POINTS = 11", "DEFAULT_POINTS = 10",
             ("tests/test_cli.py",)),
    # --- plots -----------------------------------------------------------------------------
    Mutation("f' drawn solid, indistinguishable from f",
             "actcli/present/plot/functions.py",
             '(1, (0, (5, 2.5)), "d/dx ")', '(1, "-", "d/dx ")',
             ("tests/test_plot.py", "tests/test_wiring.py")),
    Mutation("the depth plot's right panel shows the pre-activation std, not the activation's",
             "actcli/present/plot/depth.py",
             "stds = [np.asarray(p.act_std, dtype=float) for p in profiles]",
             "stds = [np.asarray(p.pre_std, dtype=float) for p in profiles]",
             ("tests/test_cli.py",)),
    # --- depth verdicts --------------------------------------------------------------------
    Mutation("the depth 'stable' band widened from a factor of 10 to 1e4 upwards",
             "actcli/analysis/depth.py",
             "EXPLODING_ABOVE = 10.0", "EXPLODING_ABOVE = 1e4",
             ("tests/test_wiring.py", "tests/test_depth.py")),
    Mutation("the depth 'stable' band narrowed from 1/10 to 1/2 downwards",
             "actcli/analysis/depth.py",
             "VANISHING_BELOW = 0.1", "VANISHING_BELOW = 0.5",
             ("tests/test_wiring.py", "tests/test_depth.py")),
    Mutation("an exploding gradient called stable: the upper edge compared the wrong way",
             "actcli/analysis/depth.py",
             "ratio > math.log10(EXPLODING_ABOVE)", "ratio < -math.log10(EXPLODING_ABOVE)",
             ("tests/test_wiring.py", "tests/test_depth.py")),
    # --- records added since: the activations of current models --------------------------
    Mutation("relu_squared' = relu(x) instead of 2 relu(x): a wrong derivative formula",
             "actcli/catalog/modern.py",
             "        return 2 * relu(x)", "        return relu(x)",
             ("tests/test_properties.py", "tests/test_accuracy.py")),
    Mutation("swiglu gates the other way round (a * silu(b), torch's glu direction)",
             "actcli/catalog/gated.py",
             "        return _product(act(a, **params), b)", "        return _product(a, act(b, **params))",
             ("tests/test_properties.py", "tests/test_catalog.py")),
    Mutation("the fused sigmoid' of value_and_grad (grad, pipelines, stats) is e/(1+e)",
             "actcli/catalog/_stable.py",
             "    np.multiply(d, d, out=d)\n    return s, np.divide(e, d, out=d)",
             "    return s, np.divide(e, d, out=d)",
             ("tests/test_compute.py",)),
    # --- compute: chunks and threads ----------------------------------------------------------
    Mutation("the chunks after the first skip one value each: an off-by-one at a boundary",
             "actcli/catalog/compute.py",
             "[slice(start, start + step) for start in chunks[1:]]",
             "[slice(start + 1, start + step) for start in chunks[1:]]",
             ("tests/test_compute.py",)),
    Mutation("the compiled loops (ACTCLI_JIT=1) skip the last chunk: values left unwritten",
             "actcli/catalog/compute.py",
             "for start in range(0, flat.size, JIT_CHUNK)]",
             "for start in range(0, flat.size - JIT_CHUNK, JIT_CHUNK)]",
             ("tests/test_jit.py",)),
    Mutation("the compiled exp reads the neighbouring 2^(j/32): every exp off by 2%",
             "actcli/catalog/_jitlib.py",
             "    t = _EXP_HI[j]\n", "    t = _EXP_HI[(j + 1) & 31]\n",
             ("tests/test_jit.py",)),
    Mutation("the compiled mish' for x > 0 with sech^2 = 4m(1+m)^2/D^2 (one m short)",
             "actcli/catalog/jit.py",
             "4.0 * (e * (1.0 + e)) * (e * (1.0 + e)) / (above * above)",
             "4.0 * (1.0 + e) * (e * (1.0 + e)) / (above * above)",
             ("tests/test_jit.py",)),
    Mutation("the compiled loops (one factory for ten records) swap f and f'",
             "actcli/catalog/jit.py",
             "value, slope = pointwise(v, x[i], params)",
             "slope, value = pointwise(v, x[i], params)",
             ("tests/test_jit.py",)),
    Mutation("a long call that switches to the compiled loop leaves the chunks after the switch unwritten",
             "actcli/catalog/compute.py",
             "            compiled(part, outputs, chunk)\n            return",
             "            return",
             ("tests/test_jit.py",)),
    Mutation("stats over a large .npy counts its values but not its functions: the loops load late",
             "actcli/frontend/stats.py",
             "if tensors.npy_values(sources) * len(functions) >= LONG_STATS:",
             "if tensors.npy_values(sources) >= LONG_STATS:",
             ("tests/test_jit.py",)),
    # --- stats -----------------------------------------------------------------------------
    Mutation("stats counts no value as dead",
             "actcli/analysis/stats.py",
             "dead = int(np.count_nonzero(g == 0))", "dead = 0",
             ("tests/test_stats.py",)),
    Mutation("the saturated tails ignore the function's max |f'| (stats, plot --data, depth)",
             "actcli/catalog/properties.py",
             "limit = share * act.properties.max_abs_grad",
             "limit = share",
             ("tests/test_stats.py", "tests/test_properties.py")),
    Mutation("saturated counts inputs anywhere with a small |f'|, gelu's dip included",
             "actcli/catalog/properties.py",
             "    return ((x < low) | (x > high)) & (slope != 0)",
             "    return (np.abs(slope) < 0.05) & (slope != 0)",
             ("tests/test_stats.py", "tests/test_properties.py")),
    # --- more wiring ---------------------------------------------------------------------------
    Mutation("--on-error skip stops at a ragged row instead of skipping it",
             "actcli/data/stream.py",
             '                    if self.on_error == "fail":\n'
             '                        raise DataError(line, f"{len(fields)} fields where the "',
             '                    if self.on_error != "nan":\n'
             '                        raise DataError(line, f"{len(fields)} fields where the "',
             ("tests/test_stream.py", "tests/test_cli.py")),
    Mutation("plot --ylim ignored",
             "actcli/frontend/drawing.py",
             "functions.plot_functions(acts, target, start, stop, grad=grad, grad2=grad2,\n"
             "                             num=num or functions.DEFAULT_NUM, dtype=dtype, fmt=image_format,\n"
             "                             options=options or PlotOptions(), ylim=ylim)",
             "functions.plot_functions(acts, target, start, stop, grad=grad, grad2=grad2,\n"
             "                             num=num or functions.DEFAULT_NUM, dtype=dtype, fmt=image_format,\n"
             "                             options=options or PlotOptions(), ylim=None)",
             ("tests/test_wiring.py", "tests/test_plot.py")),
    Mutation("exponent-form decimals (1e-08) are not decimals: -3 1e-8 gives -0.8999999929999998",
             "actcli/data/grid.py",
             'digits = max(digits, len(fraction) - int(exponent or 0))',
             'digits = max(digits, len(fraction) + (99 if exponent else 0))',
             ("tests/test_cli.py",)),
    Mutation("an option of one value given twice silently keeps the last: grad relu -c a -c b "
             "reads b alone",
             "actcli/cli/framework.py",
             "if param is not None and param in given and not ctx.resilient_parsing:",
             "if False:",
             ("tests/test_cli.py",)),
    Mutation("completion stops after an option given twice (the refusal meant for a run)",
             "actcli/cli/framework.py",
             "if param is not None and param in given and not ctx.resilient_parsing:",
             "if param is not None and param in given:",
             ("tests/test_completions.py",)),

    # --- presentation: what tables and plots say (issues 24 and 27) ---------------------
    Mutation("the stats table labels E[f'] and E[f'²] swapped: the table says one thing, JSON the other",
             "actcli/present/stats_tables.py",
             """"mean_grad": "E[f']", "mean_grad_sq": "E[f'²]",""",
             """"mean_grad": "E[f'²]", "mean_grad_sq": "E[f']",""",
             ("tests/test_table_headers.py",)),
    Mutation("the stats tables print the quantiles to 6 digits where 3 are known",
             "actcli/present/stats_tables.py",
             "accurate_digits=QUANTILE_DIGITS if key in _ESTIMATES else None)",
             "accurate_digits=None)",
             ("tests/test_stats.py", "tests/test_table_headers.py")),
    Mutation("compare --summary rounds its numbers but not the range and place around them",
             "actcli/present/render.py",
             'format(n + 0.0, f".{precision}g") for n in self.numbers',
             'format(n + 0.0, ".6g") for n in self.numbers',
             ("tests/test_terminal_tables.py",)),
    Mutation("CSV and TSV write booleans as True/False where JSON says true/false",
             "actcli/present/render.py",
             'else _boolean(v) if isinstance(v, (bool, np.bool_)) else str(v)',
             'else str(v)',
             ("tests/test_cli.py",)),
    Mutation("the terminal plot's y labels one row below the values they name",
             "actcli/present/termplot.py",
             "tick_rows = {min(canvas.row(v), rows - 1): label",
             "tick_rows = {min(canvas.row(v) + 1, rows - 1): label",
             ("tests/test_termplot.py",)),
    Mutation("the terminal plot's tick labels one digit short: neighbours read alike (0.2, 0.2)",
             "actcli/present/termplot.py",
             'return [_trim(format(v, f".{max(0, -power)}f")) for v in ticks]',
             'return [_trim(format(v, f".{max(0, -power - 1)}f")) for v in ticks]',
             ("tests/test_termplot.py",)),
    Mutation("the terminal plot's legend drops the entries that do not fit, silently",
             "actcli/present/termplot.py",
             "    if lines is None or len(packed) <= lines:",
             "    if True:\n        return packed[:lines]\n    if lines is None or len(packed) <= lines:",
             ("tests/test_termplot.py",)),
    Mutation("an image's legend stays beside the axes however tall: entries run off the figure",
             "actcli/present/plot/figure.py",
             "    beside = legend_height <= height - top - pad",
             "    beside = True",
             ("tests/test_plot.py",)),
    Mutation("a curve 4 times taller than the others is clipped: snake beside sine on a sliver",
             "actcli/present/plot/functions.py",
             "_SQUASH_FACTOR = 10.0", "_SQUASH_FACTOR = 4.0",
             ("tests/test_plot.py",)),
    Mutation("max |f'| of a periodic slope placed at the peak farthest from 0 (snake at 25 pi/4)",
             "actcli/catalog/properties.py",
             "    closest = min(distance for distance, _ in reached)",
             "    closest = max(distance for distance, _ in reached)",
             ("tests/test_properties.py",)),
    Mutation("an unbounded slope without a limit (gcu) given a finite max |f'|",
             "actcli/catalog/properties.py",
             "    if np.nanmax(far) > _GROWTH * np.nanmax(near, initial=0.0):",
             "    if False:",
             ("tests/test_properties.py", "tests/test_cli.py")),

    # --- explore ---------------------------------------------------------------------------
    Mutation("explore's readout shows f' where f'' belongs",
             "actcli/tui/state.py",
             "orders = (0,) + (1,) * self.grad + (2,) * self.grad2",
             "orders = (0,) + (1,) * self.grad + (1,) * self.grad2",
             ("tests/test_explore.py",)),
    Mutation("explore's Right key moves the cursor a large step",
             "actcli/tui/state.py",
             "return nice_step(self.stop - self.start, CURSOR_STEPS // 10 if large else CURSOR_STEPS)",
             "return nice_step(self.stop - self.start, CURSOR_STEPS // 10)",
             ("tests/test_explore.py",)),
    Mutation("explore's command line leaves out --grad2",
             "actcli/frontend/view.py",
             'after += ["--grad"] * grad + ["--grad2"] * grad2',
             'after += ["--grad"] * grad',
             ("tests/test_explore.py", "tests/test_page.py")),
    Mutation("explore's export overwrites an existing file",
             "actcli/present/files.py",
             "        path = unused_name(directory, stem, suffix)\n        try:\n"
             "            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)",
             "        path = directory / f\"{stem}{suffix}\"\n        try:\n"
             "            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)",
             ("tests/test_explore.py",)),
    Mutation("explore's first step from a parameter off the grid skips a grid value",
             "actcli/tui/state.py",
             "to_integral_value(ROUND_FLOOR if steps > 0 else ROUND_CEILING)",
             "to_integral_value(ROUND_CEILING if steps > 0 else ROUND_FLOOR)",
             ("tests/test_explore.py",)),
    Mutation("explore's legend does not mark the selected function",
             "actcli/tui/state.py",
             "selected=self.selected if len(self.acts) > 1 else None)",
             "selected=None)",
             ("tests/test_explore.py",)),
    Mutation("the web page's readout rounds to 6 significant digits",
             "actcli/frontend/page.js",
             "if (!single) return v.toExponential();",
             "if (!single) return v.toExponential(5);",
             ("tests/test_page_browser.py",)),
    Mutation("the web page's Shift+arrow moves the cursor one grid step",
             "actcli/frontend/page.js",
             "if (!large) return moveTo(state.cursor + direction);",
             "if (true) return moveTo(state.cursor + direction);",
             ("tests/test_page_browser.py",)),
    Mutation("the web page's x grid leaves out the kinks: the cursor cannot stand on them",
             "actcli/frontend/page.py",
             "*(k for k in (0.0, *kinks) if start <= k <= stop)",
             "*(k for k in (0.0,) if start <= k <= stop)",
             ("tests/test_page.py",)),
    Mutation("the web page draws a jump's one-sided limits swapped",
             "actcli/frontend/page.py",
             "left, right = float(y[0]), float(y[2])",
             "left, right = float(y[2]), float(y[0])",
             ("tests/test_page.py",)),
    Mutation("an activation in a notebook shows no plot",
             "actcli/frontend/notebook.py",
             "    if isinstance(act, Activation):\n        parts.append(",
             "    if False:\n        parts.append(",
             ("tests/test_page.py",)),
    Mutation("explore pans right when asked to pan left",
             "actcli/tui/state.py",
             "shift = decimal(nice_step(self.stop - self.start, 4)) * (1 if share > 0 else -1)",
             "shift = decimal(nice_step(self.stop - self.start, 4)) * (1 if share > 0 else 1)",
             ("tests/test_explore_state.py",)),
    Mutation("explore's cursor starts in the middle when 0 is an end of the range",
             "actcli/tui/state.py",
             "return 0.0 if self.start <= 0 <= self.stop else",
             "return 0.0 if self.start < 0 < self.stop else",
             ("tests/test_explore_state.py",)),
    Mutation("explore zooms around the middle of the view, not the cursor (which can leave it)",
             "actcli/tui/state.py",
             "cursor, scale = decimal(self.cursor), decimal(factor)",
             "cursor, scale = (decimal(self.start) + decimal(self.stop)) / 2, decimal(factor)",
             ("tests/test_explore_state.py",)),
    Mutation("explore's view steps in floats: pan there and back leaves noise (0.0100000000000051)",
             "actcli/tui/state.py",
             "start, stop = nearest(decimal(self.start) + shift), nearest(decimal(self.stop) + shift)",
             "start, stop = self.start + float(shift), self.stop + float(shift)",
             ("tests/test_explore_state.py",)),
    Mutation("explore's add dialog adds a function that is shown already",
             "actcli/tui/state.py",
             "if any(shown.label == act.label for shown in self.acts):",
             "if False:",
             ("tests/test_explore_state.py", "tests/test_explore.py")),
    Mutation("explore's parameter field runs Backspace after the keys typed after it",
             "actcli/tui/inputs.py",
             "            if not binding.priority and await self.app.run_action(binding.action, self):",
             "            if False:",
             ("tests/test_explore.py",)),
    Mutation("plot --data in the terminal leaves out the histogram",
             "actcli/present/termplot.py",
             "        if self.histogram is not None:\n"
             "            _draw_histogram(self.histogram, canvas, cells, styles, shade)",
             "        if False:\n"
             "            _draw_histogram(self.histogram, canvas, cells, styles, shade)",
             ("tests/test_termplot.py",)),
    # --- the cluster (stats --scheduler) -------------------------------------------------
    Mutation("the cluster's merge tree drops the last summary when their number is odd",
             "actcli/analysis/cluster.py",
             "futures = pairs + ([futures[-1]] if len(futures) % 2 else [])",
             "futures = pairs",
             ("tests/test_cluster.py",)),
    Mutation("the cluster sends relative paths: workers open them in their own directory",
             "actcli/analysis/cluster.py",
             "path = os.path.abspath(name)", "path = name",
             ("tests/test_cluster.py",)),
    Mutation("the cluster's workers read the archive's first member, not --key",
             "actcli/analysis/cluster.py",
             "[saturation] * len(tasks), paths, [key] * len(tasks),",
             "[saturation] * len(tasks), paths, [None] * len(tasks),",
             ("tests/test_cluster.py",)),
    Mutation("the cluster's workers read the only or x column, not -c/--column",
             "actcli/analysis/cluster.py",
             "[column] * len(tasks), starts, stops, pure=False)",
             "[None] * len(tasks), starts, stops, pure=False)",
             ("tests/test_cluster.py",)),
    # --- the sparse histogram and actcli.watch ----------------------------------------------
    Mutation("the histogram's merge replaces a bin's sum instead of adding to it",
             "actcli/analysis/stats.py",
             "self.sums[mine] += sums[found]", "self.sums[mine] = sums[found]",
             ("tests/test_stats.py",)),
    Mutation("the histogram's bins of negative values count up, not down",
             "actcli/analysis/stats.py",
             "return (keys ^ ((keys >> 63) & (BINS // 2 - 1))) + BINS // 2",
             "return keys + BINS // 2",
             ("tests/test_stats.py",)),
    Mutation("watch reads GLU's first half instead of its gate",
             "actcli/analysis/watch.py",
             "x = x.chunk(2, dim=module.dim)[1]", "x = x.chunk(2, dim=module.dim)[0]",
             ("tests/test_watch.py",)),
    Mutation("watch's PReLU row keeps the slope the module started with",
             "actcli/analysis/watch.py",
             "(self.pieces[1], slope, -1.0)]", "(self.pieces[1], 0.25, -1.0)]",
             ("tests/test_watch.py",)),
    Mutation("watch's every=N skips the first pass",
             "actcli/analysis/watch.py",
             "self._sampled = (self.passes - 1) % self.every == 0",
             "self._sampled = self.passes % self.every == 0",
             ("tests/test_watch.py",)),
    Mutation("watch widens bfloat16 from the wrong bits",
             "actcli/analysis/watch.py",
             "astype(np.uint32) << 16)", "astype(np.uint32) << 15)",
             ("tests/test_watch.py",)),
    # --- a blind audit of the catalog and resolve.py (issue 27): written from the code, the
    # README and issues 24, 25, by someone who had not read the tests ----------------------
    # --- catalog/common.py ----------------------------------------------------------------
    Mutation("relu's fused value_and_grad takes relu'(0) = 1 while df gives PyTorch's 0: "
             "`actcli grad relu` and `stats` (f and f' together) disagree with `df` at the "
             "kink",
             "actcli/catalog/common.py",
             "    passes = _passes(x)\n",
             "    passes = x >= 0\n",
             ("tests/test_compute.py", "tests/test_cli.py")),
    Mutation("glu/swiglu of an odd-length vector raises a plain ValueError: an internal "
             "error (a traceback, exit 1) instead of a one-line bad-input error with exit "
             "status 2",
             "actcli/catalog/common.py",
             '        raise ShapeError(f"{name} needs an even number',
             '        raise ValueError(f"{name} needs an even number',
             ("tests/test_cli.py",)),
    # --- catalog/properties.py ------------------------------------------------------------
    Mutation("inputs where f' has underflowed to exactly 0 in a flat tail (sigmoid below x = "
             "-745, gelu below -38) count as dead AND saturated: the fractions add up to "
             "more than the inputs",
             "actcli/catalog/properties.py",
             "    return ((x < low) | (x > high)) & (slope != 0)\n",
             "    return (x < low) | (x > high)\n",
             ("tests/test_stats.py",)),
    Mutation("the largest |f'| of a symmetric pair of peaks (gaussian's +-0.707) is reported "
             "at one of the two only: the search is not symmetric and the tie is lost",
             "actcli/catalog/properties.py",
             "if distance <= closest * (1 + _MIRROR)},",
             "if distance <= closest},",
             ("tests/test_properties.py",)),
    Mutation("a largest |f'| that is a one-sided limit at a kink is put on the wrong side: "
             "penalized_tanh's sup 1 is said to be approached as x -> 0- (where f' is a)",
             "actcli/catalog/properties.py",
             '            side = "-" if x < near[0] else "+"\n',
             '            side = "+" if x < near[0] else "-"\n',
             ("tests/test_properties.py",)),
    Mutation("two-sided tails of different sizes are described with the bounds swapped: "
             "penalized_tanh's 'x < -1.44 or x > 2.18' reads 'x < 2.18 or x > -1.44'",
             "actcli/catalog/properties.py",
             'f"x < {low:.3g} or x > {high:.3g}"',
             'f"x < {high:.3g} or x > {low:.3g}"',
             ("tests/test_properties.py", "tests/test_cli.py")),
    Mutation("a side where f' is exactly 0 (relu's x < 0, hardtanh's beyond the clip) is "
             "reported as a saturated tail up to the kink: dead is not saturated",
             "actcli/catalog/properties.py",
             "    if first and not np.any(act.df(grid[:first])):\n"
             "        return side * math.inf\n",
             "",
             ("tests/test_properties.py", "tests/test_cli.py")),
    # --- catalog/spec.py ------------------------------------------------------------------
    Mutation("a parameter value of NaN is accepted (`leaky_relu:negative_slope=nan`): every "
             "output NaN instead of a one-line error",
             "actcli/catalog/spec.py",
             "        not_allowed = math.isnan(number) or (math.isinf(number) and not "
             "self.allow_inf)\n",
             "        not_allowed = math.isinf(number) and not self.allow_inf\n",
             ("tests/test_catalog.py",)),
    Mutation("a boolean parameter is taken as a number: actcli.get('elu', alpha=True) is elu "
             "with alpha = 1 instead of an error",
             "actcli/catalog/spec.py",
             '        if isinstance(value, bool):\n'
             '            raise ParamError(f"{self.name}={value!r} is not valid: expected {self.describe()}")\n',
             "",
             ("tests/test_catalog.py",)),
    Mutation("a choice is case-sensitive: `gelu:approximate=TANH` (or 'Tanh') is refused",
             "actcli/catalog/spec.py",
             "            text = str(value).strip().lower()\n",
             "            text = str(value).strip()\n",
             ("tests/test_catalog.py",)),
    Mutation("a parameter given by its name and by an alias (`sine:w0=2,omega=3`) is not "
             "refused: the later silently wins",
             "actcli/catalog/spec.py",
             "            if p.name in seen:\n",
             "            if key in seen:\n",
             ("tests/test_catalog.py", "tests/test_cli.py")),
    Mutation("a single number to a vector function: softmax(1.0) fails with numpy's AxisError "
             "instead of 1.0 (torch.softmax takes a 0-d tensor)",
             "actcli/catalog/spec.py",
             "shaped = array.reshape(1) if array.ndim == 0 else array",
             "shaped = array",
             ("tests/test_catalog.py",)),
    Mutation("threshold:value=-0.0 (which returns -0.0) is labelled as the default threshold",
             "actcli/catalog/spec.py",
             "        return math.copysign(1.0, value) != math.copysign(1.0, default)\n",
             "        return False\n",
             ("tests/test_catalog.py",)),
    Mutation("sparsemax's jvp and Jacobian of a NaN vector warn of 0/0 (an error under "
             "-W error) instead of giving NaN quietly",
             "actcli/catalog/vector.py",
             "np.where(size > 0, total / np.maximum(size, 1), np.nan)",
             "total / size",
             ("tests/test_catalog.py",)),
    # --- resolve.py -----------------------------------------------------------------------
    Mutation("the same parameter given twice (`-p alpha=1 -p alpha=2`, or `elu:alpha=1 -p "
             "alpha=2`) is not refused: the last silently wins",
             "actcli/resolve.py",
             '        if key.strip() in found:\n'
             '            raise InputError(f"parameter {key.strip()!r} is given twice")\n',
             "",
             ("tests/test_cli.py",)),
    Mutation("an edited parameter does not replace one already changed: the explorer's edit "
             "of leaky_relu:negative_slope=0.2 to 0.3 keeps 0.2",
             "actcli/resolve.py",
             "    values = {name: format_param(value) for name, value in act.changed_params.items()} "
             "| changes\n",
             "    values = changes | {name: format_param(value) for name, value in "
             "act.changed_params.items()}\n",
             ("tests/test_explore.py",)),
    Mutation("an unquoted glob's second file (`relu_layer2.npy`) gets the formula parser's "
             "error instead of 'is a file, not a function ... quote it'",
             "actcli/resolve.py",
             "    except InputError:\n        if os.path.exists(text):",
             "    except LookupError:\n        if os.path.exists(text):",
             ("tests/test_stats.py",)),
    # --- catalog/gated.py -----------------------------------------------------------------
    Mutation("the gated units' Jacobian-vector product pairs the tangent halves with the "
             "wrong partials (act'(a) b with vb, act(a) with va)",
             "actcli/catalog/gated.py",
             "        return act_df(a, **params) * b * va + act(a, **params) * vb\n",
             "        return act_df(a, **params) * b * vb + act(a, **params) * va\n",
             ("tests/test_properties.py",)),
    # --- catalog/vector.py ----------------------------------------------------------------
    Mutation("softmin ignores its axis: along axis 0 of a matrix it normalises the rows",
             "actcli/catalog/vector.py",
             "    f=lambda x, axis=-1: _softmax(-x, axis),\n",
             "    f=lambda x, axis=-1: _softmax(-x),\n",
             ("tests/test_properties.py",)),
    # --- catalog/modern.py ----------------------------------------------------------------
    Mutation("sparse_sigmoid'(+-1) = 0.5 instead of 0 (the stated clipping convention, as "
             "hardtanh)",
             "actcli/catalog/modern.py",
             "    df=lambda x: st.where_inside(x, -1, 1, 0.5),\n",
             "    df=lambda x: np.where(np.abs(x) <= 1, 0.5, 0).astype(x.dtype),\n",
             ("tests/test_accuracy.py",)),
    Mutation("sine'' misses a factor w0 (the chain rule): right for the default w0 = 1, 30x "
             "too small for SIREN's w0 = 30",
             "actcli/catalog/modern.py",
             "    return -w0 * w0 * _sin_cos(x, w0)[0]\n",
             "    return -w0 * _sin_cos(x, w0)[0]\n",
             ("tests/test_properties.py", "tests/test_accuracy.py")),
    # --- catalog/classic.py ---------------------------------------------------------------
    Mutation("penalized_tanh'(0) = 1 (the positive branch) instead of the stated a",
             "actcli/catalog/classic.py",
             "    return np.where(x > 0, 1, a).astype(x.dtype)\n",
             "    return np.where(x >= 0, 1, a).astype(x.dtype)\n",
             ("tests/test_accuracy.py",)),
    Mutation("gcu' at +-inf is 1 instead of NaN (no limit): its unbounded largest |f'| is "
             "reported as a finite number near 50",
             "actcli/catalog/classic.py",
             "    return st.no_limit(x, np.cos(xf) - xf * np.sin(xf))\n",
             "    return np.cos(xf) - xf * np.sin(xf)\n",
             ("tests/test_properties.py", "tests/test_accuracy.py")),
    # --- a blind audit of the statistics of a user's data (issue 27): stats.py, cluster.py,
    # tensors.py, watch.py, stats_tables.py and the stats command, written from the code,
    # the README and issue 24 by someone who had not read the tests ------------------------
    # --- analysis/stats.py ----------------------------------------------------------------
    Mutation("watch's PReLU row (any piecewise_linear summary) has a wrong std f: the "
             "squared deviations scaled by |slope| instead of slope²",
             "actcli/analysis/stats.py",
             "self.m2 * factor * factor", "self.m2 * abs(factor)",
             ("tests/test_watch.py",)),
    Mutation("merged summaries forget the share of inputs on a small slope: a cluster's or "
             "all_ranks report of leaky_relu loses its '…% of inputs on the 0.01 slope' "
             "verdict",
             "actcli/analysis/stats.py",
             "            mine.weak += theirs.weak\n", "",
             ("tests/test_stats.py",)),
    Mutation("a quantile whose order statistic is the last value of a bin is taken from the "
             "next bin: the median of 0 1 is 0, not 0.5 (exact on repeated values no more)",
             "actcli/analysis/stats.py",
             'i = int(np.searchsorted(cumulative, k, side="right"))',
             'i = int(np.searchsorted(cumulative, k, side="left"))',
             ("tests/test_stats.py",)),
    Mutation("the saturation verdict's advice for a one-sided tail names the wrong side: "
             "gelu's left tail is 'inputs too large'",
             "actcli/analysis/stats.py",
             "    elif math.isfinite(low):\n", "    elif math.isfinite(high):\n",
             ("tests/test_stats.py",)),
    Mutation("a copied summary shares its histogram with the original: merging into the "
             "copy (the cluster's merge tree) changes the original's counts and quantiles",
             "actcli/analysis/stats.py",
             "twin._fold(self.bins, self.counts, self.sums, self.squares)",
             "twin.bins, twin.counts, twin.sums, twin.squares = "
             "self.bins, self.counts, self.sums, self.squares",
             ("tests/test_stats.py",)),
    # --- analysis/cluster.py --------------------------------------------------------------
    Mutation("a large .npy file cut into shards loses the last value of every full shard on "
             "a cluster (an exclusive end taken as inclusive)",
             "actcli/analysis/cluster.py",
             "(path, start, min(start + shard, count))",
             "(path, start, min(start + shard - 1, count))",
             ("tests/test_cluster.py",)),
    Mutation("a peer that accepts the connection and says nothing (the dashboard's port) "
             "gets no 'says nothing ... giving up after N s' notice before the time limit",
             "actcli/analysis/cluster.py",
             "next_event = self.limit if self.noticed else min(self.limit, self.notice_after)",
             "next_event = self.limit",
             ("tests/test_cluster.py",)),
    # --- data/tensors.py ------------------------------------------------------------------
    Mutation("a .npy shard cut short names its position counted from the shard's end as if it "
             "were the file's (10:20 cut at 15 says 'after 95')",
             "actcli/data/tensors.py",
             "truncated after {end - left + len(values)} of",
             "truncated after {count - left + len(values)} of",
             ("tests/test_stats.py",)),
    Mutation("a shard of a .npy file is read from an offset counted from the start of the "
             "file, not of the data: its values include the header's bytes",
             "actcli/data/tensors.py",
             "handle.seek(start * dtype.itemsize, os.SEEK_CUR)",
             "handle.seek(start * dtype.itemsize, os.SEEK_SET)",
             ("tests/test_cluster.py", "tests/test_stats.py")),
    Mutation("a file named twice under two spellings (-i a.npy -i ./a.npy, a link, or a glob "
             "that matches it again) is read twice: every count doubled",
             "actcli/data/tensors.py",
             'files.setdefault(name if name == "-" else os.path.realpath(name), name)',
             "files.setdefault(name, name)",
             ("tests/test_stats.py",)),
    Mutation("-c/--column with a .npy file is silently ignored instead of refused (exit 2)",
             "actcli/data/tensors.py",
             "if column is not None and suffix in TENSOR_SUFFIXES:",
             'if column is not None and suffix in (".npz", ".safetensors"):',
             ("tests/test_stats.py",)),
    # --- analysis/watch.py ----------------------------------------------------------------
    Mutation("nn.Softplus is read as exact softplus, without torch's threshold (linear past "
             "beta*x > threshold): the wrong function and spelling in its row",
             "actcli/analysis/watch.py",
             '_spec("softplus", beta=float(m.beta), threshold=float(m.threshold))',
             '_spec("softplus", beta=float(m.beta))',
             ("tests/test_watch.py",)),
    Mutation("a CPU input is not copied: nn.ReLU(inplace=True) overwrites it before the "
             "thread summarises it (the inputs reported are relu's outputs)",
             "actcli/analysis/watch.py",
             "return x.clone(memory_format=torch.contiguous_format), None",
             "return x.contiguous(), None",
             ("tests/test_watch.py",)),
    Mutation("nn.PReLU's own row loses the inputs equal to 0 (neither piece holds them): its "
             "mean f, E[f'] and dead share are taken over fewer values than n",
             "actcli/analysis/watch.py",
             "rest.add(x[x <= 0])", "rest.add(x[x < 0])",
             ("tests/test_watch.py",)),
    # --- frontend/watch.py ----------------------------------------------------------------
    Mutation("a saved report loaded back forgets its saturation threshold: `stats --report` "
             "prints the caption with 0.05 whatever watch(saturation=) was",
             "actcli/frontend/watch.py",
             'return cls(rows, [str(n) for n in document["notes"]], float(document["saturation"]))',
             'return cls(rows, [str(n) for n in document["notes"]])',
             ("tests/test_watch.py",)),
    # --- frontend/stats.py ----------------------------------------------------------------
    Mutation("`actcli stats --key NAME` (a local run) ignores --key: a .npz or .safetensors "
             "with several arrays is refused, or its only one read whatever was named",
             "actcli/frontend/stats.py",
             "for chunk in tensors.chunks(sources, key=key, column=column):",
             "for chunk in tensors.chunks(sources, column=column):",
             ("tests/test_cluster.py", "tests/test_stats.py")),
    Mutation("`actcli stats --saturation S`: the table's caption says 0.05 whatever S was",
             "actcli/frontend/stats.py",
             "stats_tables.stats_tables_for_people(records, saturation)",
             "stats_tables.stats_tables_for_people(records, summary.DEFAULT_SATURATION)",
             ("tests/test_stats.py",)),
    # --- a blind audit of the explorer (issue 27): actcli/tui and frontend/view.py, written
    # from the code and the README by someone who had not read the tests ----------------
    Mutation("explore 3 -3 keeps the range backwards: the app's view runs from 3 to -3 and "
             "the --html page fails with a traceback, where plot reads it as -3 3",
             "actcli/frontend/view.py",
             "    low, high = sorted((start, stop))\n",
             "    low, high = start, stop\n",
             ("tests/test_page.py", "tests/test_explore.py")),
    Mutation("explore's `c` shows an `actcli plot` command without the parameters: "
             "leaky_relu:negative_slope=0.13 is reproduced as plain leaky_relu",
             "actcli/frontend/view.py",
             "*(shlex.quote(spelling(a)) for a in acts)",
             "*(shlex.quote(a.name) for a in acts)",
             ("tests/test_explore.py",)),
    Mutation("explore's h/l pan the view but leave the cursor behind (clamped to the range)",
             "actcli/tui/state.py",
             "self.cursor = min(max(nearest(decimal(self.cursor) + shift), self.start), self.stop)",
             "self.cursor = min(max(self.cursor, self.start), self.stop)",
             ("tests/test_explore_state.py",)),
    Mutation("explore's readout lists f'(x) after `1` hid the f' curves",
             "actcli/tui/state.py",
             "orders = (0,) + (1,) * self.grad + (2,) * self.grad2",
             "orders = (0, 1) + (2,) * self.grad2",
             ("tests/test_explore_state.py",)),
    Mutation("removing the last function of explore's list leaves the selection one past "
             "the end (the next draw fails)",
             "actcli/tui/state.py",
             "self.selected = max(0, min(self.selected, len(self.acts) - 1))",
             "self.selected = max(0, min(self.selected, len(self.acts)))",
             ("tests/test_explore_state.py",)),
    Mutation("editing a parameter in explore does not redraw the curves: the legend and the "
             "plot keep the old value while the readout has the new one",
             "actcli/tui/state.py",
             "        self.acts[self.selected] = function(spelling(self.act, **{name: value.strip()}))\n"
             "        self.changed()\n",
             "        self.acts[self.selected] = function(spelling(self.act, **{name: value.strip()}))\n",
             ("tests/test_explore.py",)),
    Mutation("explore steps a parameter at 0 by 1 instead of 0.1 (threshold's 0, up: 1)",
             "actcli/tui/state.py",
             "decimal(start).adjusted() - 1 if start else -1)",
             "decimal(start).adjusted() - 1 if start else 0)",
             ("tests/test_explore.py",)),
    Mutation("Enter or Esc after a refused parameter value leaves it in the field, while the "
             "curves keep the value in effect",
             "actcli/tui/params.py",
             "        if self.value != self.in_effect and self._apply(self.value) is not None:\n"
             "            self.value = self.in_effect\n",
             "        if self.value != self.in_effect:\n"
             "            self._apply(self.value)\n",
             ("tests/test_explore.py",)),
    Mutation("explore's add dialog silently adds the first of several matches for a name it "
             "does not know (sigmod adds the first of the three it lists)",
             "actcli/tui/screens.py",
             "else 0 if listed.option_count == 1 else None)",
             "else 0 if listed.option_count >= 1 else None)",
             ("tests/test_explore.py",)),
    Mutation("explore's parameter fields show each parameter's default, not the value in "
             "effect (rrelu:upper=0.987654321 shows the default, 1/3)",
             "actcli/tui/widgets.py",
             "ParamInput(self.view, p, format_param(act.params[p.name]),",
             "ParamInput(self.view, p, format_param(p.default),",
             ("tests/test_explore.py",)),
    Mutation("explore's + zooms out and - zooms in",
             "actcli/tui/app.py",
             '        Binding("plus,equals_sign", "zoom(0.5)", "zoom"),\n'
             '        Binding("minus", "zoom(2)", "out"),\n',
             '        Binding("plus,equals_sign", "zoom(2)", "zoom"),\n'
             '        Binding("minus", "zoom(0.5)", "out"),\n',
             ("tests/test_explore.py",)),
    Mutation("Ctrl-C in explore's parameter field or add dialog copies the selected text "
             "(the field's binding) instead of quitting with 130",
             "actcli/tui/app.py",
             'Binding("ctrl+c", "interrupt", "quit", priority=True),',
             'Binding("ctrl+c", "interrupt", "quit"),',
             ("tests/test_explore.py",)),
    Mutation("explore's `c` after an `s` names actcli-explore.png, which exists: the command "
             "shown overwrites the earlier export",
             "actcli/tui/app.py",
             "self._say(self.view.command(self.view.export_name(self.directory).name))",
             'self._say(self.view.command("actcli-explore.png"))',
             ("tests/test_explore.py",)),
    Mutation("the explorer's range message with six digits: zoomed in around 2 it says 'x from "
             "2 to 2'",
             "actcli/tui/app.py",
             'return f"x from {format_param(self.view.start)} to {format_param(self.view.stop)}"',
             'return f"x from {self.view.start:g} to {self.view.stop:g}"',
             ("tests/test_explore.py",)),
    # --- a blind audit of actcli/present (issue 27): written from the modules, the README and
    # issues 24, 27 by someone who had not read the tests; 3 survivors closed by new tests --
    # --- present/termplot.py --------------------------------------------------------------
    Mutation("terminal tick labels switch to exponent form on ordinary ranges: 0 to 100 "
             "labels 5e1 and 1e2 (issue 24, item 13)",
             "actcli/present/termplot.py",
             "if 1e-3 <= max(abs(t) for t in ticks) < 1e6:",
             "if 1e-3 <= max(abs(t) for t in ticks) < 100:",
             ("tests/test_termplot.py",)),
    Mutation("a y axis from -1.2 to 5 gets no tick below 0 (the side of zero test has the "
             "wrong sign: issue 24, item 21)",
             "actcli/present/termplot.py",
             "return (len(ticks) < 2 or (-low >= side and not any(t < 0 for t in ticks))",
             "return (len(ticks) < 2 or (low >= side and not any(t < 0 for t in ticks))",
             ("tests/test_termplot.py",)),
    Mutation("the explorer's cursor is not drawn when it sits on the left end of the range "
             "(x = 0 on a range from 0)",
             "actcli/present/termplot.py",
             "if self.cursor is not None and self.x_range[0] <= self.cursor <= self.x_range[1]:",
             "if self.cursor is not None and self.x_range[0] < self.cursor <= self.x_range[1]:",
             ("tests/test_termplot.py",)),
    Mutation('a cut legend says "+2 more" where three entries are missing',
             "actcli/present/termplot.py",
             'packed = _pack([*entries[:shown], [(f"+{len(entries) - shown} more", _AXIS_STYLE)]], width)',
             'packed = _pack([*entries[:shown], [(f"+{len(entries) - shown - 1} more", _AXIS_STYLE)]], width)',
             ("tests/test_termplot.py",)),
    Mutation("at a jump the terminal plot fills the one-sided limits and leaves the value "
             "at the point open: the reverse of the PNG and of its own legend",
             "actcli/present/termplot.py",
             "                marks.append(Mark(at_x, at, colour, filled=True))\n"
             "                marks += [Mark(at_x, limit, colour, filled=False) for limit in limits]",
             "                marks.append(Mark(at_x, at, colour, filled=False))\n"
             "                marks += [Mark(at_x, limit, colour, filled=True) for limit in limits]",
             ("tests/test_termplot.py",)),
    Mutation('with --grad the terminal legend names f\' as the function itself ("relu" '
             'twice, no "d/dx relu")',
             "actcli/present/termplot.py",
             "label = plot.ORDERS[order][2] + plot.legend_name(act)",
             "label = plot.legend_name(act)",
             ("tests/test_termplot.py", "tests/test_explore.py")),
    # --- present/render.py ----------------------------------------------------------------
    Mutation("JSON writes NaN and Infinity bare (invalid JSON) instead of the strings "
             '"nan", "inf", "-inf"',
             "actcli/present/render.py",
             "            return number if isinstance(value, float) or value.dtype == np.float64 else float(str(value))\n"
             "        return repr(number)",
             "            return number if isinstance(value, float) or value.dtype == np.float64 else float(str(value))\n"
             "        return number",
             ("tests/test_cli.py",)),
    Mutation("tables show -0 (README: machine formats keep the sign, tables show 0)",
             "actcli/present/render.py",
             'return format(float(value) + 0.0, f".{precision}g")',
             'return format(float(value), f".{precision}g")',
             ("tests/test_terminal_tables.py", "tests/test_explore.py")),
    Mutation("the CSV/TSV header has the people's headings (relu'(x)) instead of the "
             "machine names (relu_grad)",
             "actcli/present/render.py",
             "writer.writerow([c.name for c in table.columns])",
             "writer.writerow([c.title for c in table.columns])",
             ("tests/test_cli.py",)),
    Mutation('a range or a place in a table ("[-0.17, inf)", "x = 1.41") wraps over two '
             "lines at 60-80 columns (issue 24, item 16)",
             "actcli/present/render.py",
             "whole = [[n or isinstance(v, NumberText) for v in c.values]",
             "whole = [[n for v in c.values]",
             ("tests/test_terminal_tables.py",)),
    Mutation("`info -f tsv` writes booleans yes/no (CSV writes true/false)",
             "actcli/present/render.py",
             'machine = fmt in ("csv", "tsv")',
             'machine = fmt == "csv"',
             ("tests/test_cli.py",)),
    # --- present/tables.py ----------------------------------------------------------------
    Mutation("compare leaky_relu:negative_slope=-1 and negative_slope=1: both columns "
             "named leaky_relu_negative_slope_1 (JSON keeps one series, drops the other)",
             "actcli/present/tables.py",
             '_VALUE_SPELLING = str.maketrans({".": "p", "-": "m", "+": ""})',
             '_VALUE_SPELLING = str.maketrans({".": "p", "-": "", "+": ""})',
             ("tests/test_cli.py",)),
    Mutation("grad on several CSV columns: result names in the wrong order (relu_a, "
             "relu_b, relu_grad_a... over values relu_a, relu_grad_a, relu_b...)",
             "actcli/present/tables.py",
             'return [f"{column_name(act, o)}_{c}" for c in selected for o in orders]',
             'return [f"{column_name(act, o)}_{c}" for o in orders for c in selected]',
             ("tests/test_cli.py",)),
    # --- present/plot/ --------------------------------------------------------------------
    Mutation("a legend under the axes gets no room reserved: it overlaps the x axis label "
             "and the tick labels (many curves)",
             "actcli/present/plot/figure.py",
             'bottom += make_legend(columns, "lower center")[1] + pad',
             'make_legend(columns, "lower center")',
             ("tests/test_plot.py",)),
    Mutation("depth -o: the gradient panel plots log10 of the ratio on a log axis (the "
             "values below 1, all negative logs, vanish)",
             "actcli/present/plot/depth.py",
             "values = 10.0 ** y[shown] if log else y[shown]",
             "values = y[shown]",
             ("tests/test_cli.py",)),
    Mutation("plot --data on all-positive data: the default range is not widened to 0 (the "
             "kink of relu and the dead region are off the plot)",
             "actcli/present/plot/data.py",
             "low, high = min(low, 0.0), max(high, 0.0)",
             "low, high = low, high",
             ("tests/test_termplot.py", "tests/test_stats.py")),
    Mutation("plot --data legend: the dead share and the saturated share swapped",
             "actcli/present/plot/data.py",
             "for index, (act, tails, (dead, flat)) in enumerate(zip(activations, summary.tails,",
             "for index, (act, tails, (flat, dead)) in enumerate(zip(activations, summary.tails,",
             ("tests/test_stats.py",)),
    Mutation("plot relu 5 -5 -o x.png: a reversed range draws a reversed x axis without "
             "jump marks",
             "actcli/present/plot/functions.py",
             "    start, stop = min(start, stop), max(start, stop)\n"
             "    orders = [order for order in ORDERS if order[0] == 0 or (grad, grad2)[order[0] - 1]]\n"
             "    colours = palette()",
             "    orders = [order for order in ORDERS if order[0] == 0 or (grad, grad2)[order[0] - 1]]\n"
             "    colours = palette()",
             ("tests/test_plot.py",)),
    # --- present/files.py -----------------------------------------------------------------
    Mutation("an export interrupted while written (Ctrl-C) leaves a half-written file",
             "actcli/present/files.py",
             "        written.unlink(missing_ok=True)\n        if isinstance",
             "        if isinstance(failure, KeyboardInterrupt):\n            raise\n"
             "        written.unlink(missing_ok=True)\n        if isinstance",
             ("tests/test_plot.py",)),
    Mutation("a failed write (the target is a directory, a full disk, an interrupt) leaves "
             "its .NAME.PID.tmp file or a half-written export behind",
             "actcli/present/files.py",
             "    except BaseException as failure:\n"
             "        written.unlink(missing_ok=True)\n",
             "    except BaseException as failure:\n",
             ("tests/test_plot.py", "tests/test_page.py")),
    Mutation("the explorer's export overwrites a file that appeared under the chosen name "
             "meanwhile (O_TRUNC for O_EXCL)",
             "actcli/present/files.py",
             "            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)\n"
             "        except FileExistsError:",
             "            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)\n"
             "        except FileExistsError:",
             ("tests/test_plot.py",)),
)


def check_snippets(mutations: tuple[Mutation, ...]) -> list[str]:
    """Problems with the entries (missing file, snippet not found exactly once)."""
    problems = []
    for number, m in enumerate(mutations, 1):
        path = ROOT / m.file
        if not path.is_file():
            problems.append(f"#{number} ({m.breaks}): {m.file} does not exist")
            continue
        count = path.read_text().count(m.original)
        if count != 1:
            problems.append(f"#{number} ({m.breaks}): the snippet {m.original!r} occurs "
                            f"{count} times in {m.file} (expected once)")
        for test in m.tests:
            if not (ROOT / test).exists():
                problems.append(f"#{number} ({m.breaks}): test file {test} does not exist")
    return problems


def candidates(path: str) -> tuple[Mutation, ...]:
    """The MUTATIONS of a blind audit's file; () as tests means the whole suite."""
    import runpy

    found = runpy.run_path(path, init_globals={"Mutation": Mutation})["MUTATIONS"]
    return tuple(Mutation(m.breaks, m.file, m.original, m.replacement, m.tests or ("tests",))
                 for m in found)


def environment(copy: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(copy))
    env.pop("PYTHONSAFEPATH", None)
    return env


def copy_tree(base: Path, name: str) -> Path:
    """A copy of the snapshot taken at the start (edits made meanwhile do not leak in)."""
    copy = base / name
    shutil.copytree(base / "snapshot", copy, symlinks=True)
    return copy


def check_imports_the_copy(base: Path) -> None:
    """Fail unless a process set up like the test runs imports actcli from the copy."""
    copy = copy_tree(base, "probe")
    probe = subprocess.run([sys.executable, "-c", "import actcli; print(actcli.__file__)"],
                           cwd=copy, env=environment(copy), capture_output=True, text=True)
    found = Path(probe.stdout.strip()).resolve() if probe.returncode == 0 else None
    if found is None or not found.is_relative_to(copy.resolve()):
        sys.exit(f"mutation_check: the copy's actcli is not the one imported ({found or probe.stderr})")


# A mutation that makes the tests hang (an endless loop) is a broken entry, not a catch:
# the suite would hang in CI too.
TIMEOUT = 600


def run_tests(copy: Path, tests: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    # (test_mutation_entries checks this list's snippets: a mutation that edits one of
    # them would fail it without any behaviour having been caught)
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               "--no-header", "-o", "addopts=", "--ignore=tests/test_mutation_entries.py",
               *tests]
    try:
        return subprocess.run(command, cwd=copy, env=environment(copy), capture_output=True,
                              text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, -1, "", f"the tests hung ({TIMEOUT} s): "
                                           "rewrite the mutation so that it fails, not loops")


def check_baseline(base: Path, mutations: list[tuple[int, Mutation]]) -> None:
    """Fail unless the chosen test files pass on the unmutated copy: a test that fails
    anyway would 'kill' every mutation given to it."""
    tests = tuple(dict.fromkeys(t for _, m in mutations for t in m.tests))
    result = run_tests(copy_tree(base, "baseline"), tests)
    if result.returncode != 0:
        sys.exit("mutation_check: the tests fail without any mutation:\n"
                 + (result.stdout + result.stderr)[-3000:])


@dataclass
class Outcome:
    number: int
    mutation: Mutation
    status: str  # killed, SURVIVED or ERROR
    seconds: float
    detail: str


def run_one(base: Path, number: int, m: Mutation) -> Outcome:
    started = time.monotonic()
    copy = copy_tree(base, f"m{number}")
    path = copy / m.file
    path.write_text(path.read_text().replace(m.original, m.replacement))
    result = run_tests(copy, m.tests)
    shutil.rmtree(copy, ignore_errors=True)
    output = result.stdout + result.stderr
    if result.returncode == 1:
        failed = [line for line in output.splitlines() if line.startswith("FAILED ")]
        status, detail = "killed", failed[0][7:] if failed else ""
    elif result.returncode == 0:
        status, detail = "SURVIVED", ""
    else:  # a collection error or no tests: the entry is broken, not the suite
        status, detail = "ERROR", output[-2000:]
    return Outcome(number, m, status, time.monotonic() - started, detail)


def print_table(outcomes: list[Outcome]) -> None:
    """One block per mutation, 80 columns wide: what it breaks, where, what caught it."""
    indent = " " * 22
    print(f"{'#':>3}  {'result':8}  {'time':>5}  what it breaks / file / the test that failed")
    for o in outcomes:
        lines = textwrap.wrap(o.mutation.breaks, 80 - len(indent))
        print(f"{o.number:>3}  {o.status:8}  {o.seconds:4.0f}s  {lines[0]}")
        for line in [*lines[1:], o.mutation.file]:
            print(indent + line)
        if o.status == "killed":
            test, bracket, case = o.detail.split(" - ")[0].removeprefix("tests/").partition("[")
            print(f"{indent}{test}")
            if bracket:
                print(textwrap.fill(bracket + case, 80, initial_indent=indent,
                                    subsequent_indent=indent, break_on_hyphens=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated mutation numbers")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="mutations run at once (default 2)")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip running the tests unmutated first (CI: they just passed)")
    parser.add_argument("--audit", metavar="FILE",
                        help="run the candidates of a blind audit, MUTATIONS in FILE, each "
                             "against the whole suite where its tests are ()")
    args = parser.parse_args(argv)

    mutations = candidates(args.audit) if args.audit else MUTATIONS
    problems = check_snippets(mutations)
    if problems:
        print("mutation_check: entries to update (has the code moved?):", *problems,
              sep="\n  ", file=sys.stderr)
        return 2
    chosen = list(enumerate(mutations, 1))
    if args.only:
        wanted = {int(n) for n in args.only.split(",")}
        chosen = [(n, m) for n, m in chosen if n in wanted]
    if args.list:
        for number, m in chosen:
            print(f"{number:>3}  {m.breaks}\n     {m.file}: {m.original!r} -> {m.replacement!r}\n"
                  f"     caught by {', '.join(m.tests)}")
        return 0

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="actcli-mutants-") as tmp:
        base = Path(tmp)
        shutil.copytree(ROOT, base / "snapshot", ignore=IGNORE, symlinks=True)
        check_imports_the_copy(base)
        if not args.no_baseline:
            check_baseline(base, chosen)
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            outcomes = list(pool.map(lambda item: run_one(base, *item), chosen))
    print_table(outcomes)
    for o in outcomes:
        if o.status == "ERROR":
            print(f"\n#{o.number} could not be tested:\n{o.detail}", file=sys.stderr)
    killed = sum(o.status == "killed" for o in outcomes)
    print(f"\n{killed} of {len(outcomes)} mutations killed in {time.monotonic() - started:.0f} s")
    return 0 if killed == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
