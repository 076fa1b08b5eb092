"""The job behind `actcli depth`: a random batch through a deep random network and a
gradient back, for every function, with progress on a terminal for long runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from actcli.catalog import Activation
from actcli.frontend.context import Environment
from actcli.frontend.drawing import image_target
from actcli.frontend.output import emit_with_summary, output_format
from actcli.present import tables
from actcli.present.render import for_people
from actcli.resolve import resolve

if TYPE_CHECKING:  # (imported by the runs themselves)
    from actcli.analysis import depth as analysis

# Layer passes (layers x width^2 x batch multiply-adds each) above which a depth run
# takes seconds and shows its progress on a terminal.
PROGRESS_WORK = 2e10


def depth(env: Environment, functions: Sequence[str], config: analysis.DepthConfig, *,
          summary: bool, output: str | None, fmt: str | None, precision: int) -> None:
    """`actcli depth FN...`: every function through one deep random network (`config`),
    a table per function and layer and the summary for people, one table of layers (or
    with `summary` the summary) for programs; `output` draws the run."""
    acts = [resolve(name, elementwise="depth takes elementwise functions only (a layer needs "
                                      "one f'(z) per unit)") for name in functions]
    chosen = output_format(fmt, env)
    profiles = run_depth(acts, config, env, output)
    if output == "-":
        return
    summary_table = tables.depth_summary_table(profiles, for_people=for_people(chosen))
    emit_with_summary(env, chosen, precision, summary_table, summary_only=summary,
                      people=lambda: [tables.depth_layer_table([p]) for p in profiles],
                      programs=lambda: tables.depth_layer_table(profiles))


def run_depth(acts: Sequence[Activation], config: analysis.DepthConfig, env: Environment,
              output: str | None = None) -> list[analysis.DepthProfile]:
    """Profiles of every function through one network; drawn to `output` if given."""
    from actcli.analysis import depth as analysis

    if output is not None:
        from actcli.present.plot import depth as depth_plot
        from actcli.present.plot.figure import image_format

        target = image_target(output, env)
        image_format(target)  # fail before the work
    profiles = analysis.explore(acts, config, _depth_progress(config, len(acts), env))
    if output is not None:
        depth_plot.plot_depth(profiles, target)
    return profiles


def _depth_progress(config: analysis.DepthConfig, functions: int,
                    env: Environment) -> Callable[[int, int], None] | None:
    work = config.layers * config.width**2 * config.batch * (1 + 2 * functions)
    if not env.shows_progress() or work < PROGRESS_WORK:
        return None

    def report(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        env.err.write(f"\rdepth: {done}/{total} layer passes{end}")
        env.err.flush()

    return report
