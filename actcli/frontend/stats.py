"""The job behind `actcli stats`: the statistics of a user's data (files read chunk by
chunk, or summarised on a Dask cluster) through each function, and saved reports of
actcli.watch printed as stats prints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from actcli.analysis import stats as summary
from actcli.catalog import compute
from actcli.errors import InputError
from actcli.frontend.context import Environment
from actcli.frontend.output import emit_chosen, output_format
from actcli.present import stats_tables
from actcli.present.render import check_precision

# Values x functions above which `stats` loads the compiled loops after each function's
# first chunk (when Numba is installed): about a second of NumPy kernels, what loading
# them costs (see catalog.compute.AUTO_AFTER).
LONG_STATS = 1 << 25


def stats(env: Environment, functions: Sequence[str], inputs: Sequence[str], *,
          column: str | None, key: str | None, saturation: float, scheduler: str | None,
          timeout: float | None, report: str | None, fmt: str | None, precision: int) -> None:
    """`actcli stats FN... -i FILE...`: what each function does to the values of the
    files (stdin when none), or `--report FILE`: a report saved by actcli.watch."""
    chosen = output_format(fmt, env)
    check_precision(precision)
    if report is not None:
        if functions or inputs or column or key or scheduler or timeout is not None:
            raise InputError("--report prints a saved report as it is: give no FN, -i, -c, "
                             "--key, --scheduler or --timeout with it")
        from actcli.frontend.watch import Report

        Report.load(report).render(chosen, env.out, precision=precision)
        env.out.flush()
        return
    if not functions:
        raise InputError("give the functions to apply to the data (e.g. `actcli stats relu gelu "
                         "-i preacts.npy`), or --report FILE (see --help)")
    records = summarise_data(functions, inputs or ["-"], env, key=key, column=column,
                             saturation=saturation, scheduler=scheduler,
                             timeout=timeout).records()
    emit_chosen(env, chosen, precision,
                people=lambda: stats_tables.stats_tables_for_people(records, saturation),
                programs=lambda: stats_tables.stats_table(records))


def summarise_data(functions: Sequence[str], sources: Sequence[str], env: Environment, *,
                   key: str | None = None, column: str | None = None,
                   saturation: float = summary.DEFAULT_SATURATION,
                   scheduler: str | None = None,
                   timeout: float | None = None) -> summary.Accumulator:
    """The statistics of every function on the values of `sources` (files, globs, '-'
    for stdin), read chunk by chunk, or summarised on a Dask cluster's workers (waiting
    at most `timeout` seconds, default cluster.DEFAULT_TIMEOUT, for the scheduler to
    answer and for a worker; what it waits for is said on stderr after a few seconds)."""
    if not (0 < saturation < 1):
        raise InputError(f"--saturation must be between 0 and 1, got {saturation:g}")
    if timeout is not None and scheduler is None:
        raise InputError("--timeout applies to a cluster: give --scheduler ADDRESS too")
    if timeout is not None and not (0 < timeout < math.inf):
        raise InputError(f"--timeout must be a positive number of seconds, got {timeout:g}")
    if "-" in sources and env.stdin_isatty:
        raise InputError("no -i FILE given and nothing piped in: e.g. "
                         "`actcli stats relu -i preacts.npy` (see --help)")
    if scheduler is not None:
        from actcli.analysis import cluster

        def notify(line: str) -> None:
            env.err.write(f"actcli: {line}\n")
            env.err.flush()

        return cluster.summarise(scheduler, functions, sources, key=key, column=column,
                                 saturation=saturation, notify=notify,
                                 timeout=cluster.DEFAULT_TIMEOUT if timeout is None else timeout)
    from actcli.data import tensors

    accumulator = summary.Accumulator(functions, saturation)
    if tensors.npy_values(sources) * len(functions) >= LONG_STATS:
        compute.expect_long_job()
    for chunk in tensors.chunks(sources, key=key, column=column):
        accumulator.add(chunk)
    return accumulator
