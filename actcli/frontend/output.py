"""What a command prints, in the format chosen: the one place that decides the tables
per format. For people (a terminal table, Markdown) every table that helps, rounded,
with notes; for programs (CSV, TSV, JSON, JSON Lines) one table of exact numbers
(`render.for_people`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from actcli.frontend.context import Environment
from actcli.present.render import Table, check_format, check_precision, for_people, write_table


def output_format(fmt: str | None, env: Environment) -> str:
    """The format asked for, or the default: a table on a terminal, else CSV."""
    return check_format(fmt or env.default_format())


def emit(env: Environment, tables: Table | Sequence[Table], fmt: str, precision: int) -> None:
    """Write `tables` in `fmt` (a blank line between them) to the output."""
    check_precision(precision)
    for i, table in enumerate([tables] if isinstance(tables, Table) else tables):
        if i:
            env.out.write("\n")
        write_table(table, fmt, env.out, precision=precision)
    env.out.flush()


def emit_chosen(env: Environment, fmt: str, precision: int, *,
                people: Callable[[], Sequence[Table]], programs: Callable[[], Table]) -> None:
    """`people()` in a format people read, else `programs()`."""
    emit(env, people() if for_people(fmt) else programs(), fmt, precision)


def emit_with_summary(env: Environment, fmt: str, precision: int, summary: Table, *,
                      summary_only: bool, people: Callable[[], Sequence[Table]],
                      programs: Callable[[], Table]) -> None:
    """The details and below them `summary` for people, the details alone for programs;
    `summary` alone in either with `summary_only` (compare's and depth's --summary)."""
    if summary_only:
        emit_chosen(env, fmt, precision, people=lambda: [summary], programs=lambda: summary)
    else:
        emit_chosen(env, fmt, precision, people=lambda: [*people(), summary], programs=programs)
