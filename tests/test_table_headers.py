"""Every table header names the value under it: for each command that prints a table for
people and JSON for programs, the value under each heading is the JSON value of the key
that heading stands for, rounded as a table rounds (the stats table's E[f'] column holds
mean_grad, not mean_grad_sq). The headings' meanings are written down here, from what
they say, and every heading of every table must have one."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from actcli import cli
from actcli.frontend.context import Environment

TERMINAL = Environment(stdout_isatty=True, stdin_isatty=True, stderr_isatty=False, ci=False)
Table = tuple[str, list[str], list[list[str]]]  # title, headings, rows of cells


def for_people(*args: str) -> list[Table]:
    """The tables a wide terminal shows for `args`."""
    result = CliRunner().invoke(cli.app, list(args), obj=TERMINAL, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return tables(result.stdout)


def for_programs(*args: str) -> Any:
    result = CliRunner().invoke(cli.app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def tables(text: str) -> list[Table]:
    """The Rich tables in `text`: title, headings (a heading over two lines joined) and
    rows (a cell wrapped over lines joined; a continued row has an empty first cell)."""
    lines, found = text.splitlines(), []
    for at, line in enumerate(lines):
        if not line.startswith("┏"):
            continue
        title = lines[at - 1].strip() if at else ""
        end = at + 1
        heads = []
        while lines[end].startswith("┃"):
            heads.append(_cells(lines[end], "┃"))
            end += 1
        rows: list[list[str]] = []
        for body in lines[end + 1:]:
            if body.startswith("└"):
                break
            cells = _cells(body, "│")
            if rows and not cells[0]:
                rows[-1] = [" ".join(filter(None, pair)) for pair in zip(rows[-1], cells)]
            else:
                rows.append(cells)
        found.append((title, [" ".join(filter(None, parts)) for parts in zip(*heads)], rows))
    return found


def _cells(line: str, border: str) -> list[str]:
    return [cell.strip() for cell in line.split(border)[1:-1]]


def number(value: Any, digits: int = 6) -> str:
    """A JSON value as a table for people shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(value + 0.0, f".{digits}g")
    return str(value)  # an int, a text, or "inf"/"nan" (JSON's spelling of them)


Shown = Callable[[dict[str, Any]], str]


def key(name: str, digits: int = 6) -> Shown:
    """The heading stands for the JSON key `name`."""
    return lambda record: number(record[name], digits)


def check(table: Table, records: list[dict[str, Any]], meanings: dict[str, Shown]) -> None:
    """Every heading has a meaning, and each cell is what that meaning makes of its row's
    record."""
    title, headings, rows = table
    assert set(headings) <= set(meanings), f"{title}: headings without a meaning here: " \
        f"{set(headings) - set(meanings)}"
    assert len(rows) == len(records), title
    for row, record in zip(rows, records):
        for heading, cell in zip(headings, row):
            assert cell == meanings[heading](record), (title, heading, record)


def interval(record: dict[str, Any], prefix: str) -> str:
    """[low, high) from the four keys of a range."""
    low, high = record[f"{prefix}_low"], record[f"{prefix}_high"]
    return ("[" if record[f"{prefix}_low_closed"] else "(") + f"{number(low)}, {number(high)}" \
        + ("]" if record[f"{prefix}_high_closed"] else ")")


def place(record: dict[str, Any], where: str, numbered: Callable[[int], str]) -> str:
    """"x = x1" with x1 (the number under the key `numbered(1)`) written out."""
    return re.sub(r"\bx(\d+)\b", lambda m: number(record[numbered(int(m[1]))]), record[where])


# --- the commands -----------------------------------------------------------------------

@pytest.mark.parametrize("command, order", [("eval", 0), ("grad", 1), ("grad", 2)])
def test_eval_and_grad(command, order):
    args = (command, "gelu", "-3", "2", "--num", "6") + (("--order", "2") if order == 2 else ())
    (table,) = for_people(*args)
    meanings = {"x": key("x"), "gelu(x)": key("gelu"), "gelu'(x)": key("gelu_grad"),
                "gelu''(x)": key("gelu_grad2")}
    check(table, for_programs(*args), meanings)
    assert len(table[1]) == 2 + min(order, 2)


@pytest.mark.parametrize("grad", [False, True])
def test_compare_values(grad):
    args = ("compare", "relu", "tanh", "leaky_relu:negative_slope=0.2", "-2", "2", "--num", "5") \
        + (("--grad",) if grad else ())
    values, _ = for_people(*args)
    suffix, prime = ("_grad", "'") if grad else ("", "")
    meanings = {"x": key("x"), f"relu{prime}": key("relu" + suffix),
                f"tanh{prime}": key("tanh" + suffix),
                f"leaky_relu (negative_slope=0.2){prime}": key("leaky_relu_negative_slope_0p2" + suffix)}
    check(values, for_programs(*args), meanings)


def test_compare_summary():
    args = ("compare", "relu", "gelu", "hardsigmoid", "gaussian", "--summary")
    (summary,) = for_people(*args)
    meanings = {
        "function": key("function"),
        "range": lambda r: interval(r, "range"),
        "max |f'|": key("max_abs_grad"),
        "where": lambda r: place(r, "max_abs_grad_where", lambda k: f"max_abs_grad_x{k}"),
        "zero-centred": key("zero_centred"), "monotonic": key("monotonic"),
        "saturates": key("saturates"),
    }
    records = for_programs(*args)
    check(summary, records, meanings)
    assert {r["function"]: r["max_abs_grad_where"] for r in records}["gaussian"] == "x = x1 or x = x2"


def test_stats(tmp_path):
    x = np.random.default_rng(4).normal(0.2, 1.3, 5_000)
    x[:3] = [np.nan, np.inf, -np.inf]
    np.save(tmp_path / "x.npy", x)
    args = ("stats", "gelu", "tanh", "-i", str(tmp_path / "x.npy"))
    records = for_programs(*args)
    inputs, quantiles, functions = for_people(*args)
    check(inputs, records[:1], {"n": key("n"), "NaN": key("nan_count"), "inf": key("inf_count"),
                                "mean": key("input_mean"), "std": key("input_std")})
    check(quantiles, records[:1], {"min": key("input_min"), "p01": key("input_p01", 3),
                                   "median": key("input_p50", 3), "p99": key("input_p99", 3),
                                   "max": key("input_max")})
    check(functions, records, {
        "function": key("function"), "mean f": key("mean"), "std f": key("std"),
        "E[f']": key("mean_grad"), "E[f'²]": key("mean_grad_sq"), "dead": key("dead_fraction"),
        "saturated": key("saturated_fraction")})
    # The check tells the two gradient columns apart: they differ for these functions.
    assert all(number(r["mean_grad"]) != number(r["mean_grad_sq"]) for r in records)


def test_depth():
    args = ("depth", "sigmoid", "tanh", "--layers", "3", "--width", "8", "--batch", "8")
    *layers, summary = for_people(*args)
    records = for_programs(*args)
    meanings = {"function": key("function"), "layer": key("layer"), "pre mean": key("pre_mean"),
                "pre std": key("pre_std"), "act mean": key("act_mean"), "act std": key("act_std"),
                "at 0": key("zero_frac"), "saturated": key("saturated_frac"),
                "dead units": key("dead_frac"), "grad / last": key("grad_rel"),
                "log10 grad": key("grad_log10")}
    for table, name in zip(layers, ("sigmoid", "tanh")):
        check(table, [r for r in records if r["function"] == name], meanings)
    summaries = for_programs(*args, "--summary")
    check(summary, summaries, {
        "function": key("function"), "verdict": key("verdict"),
        "grad layer 1 / last": lambda r: format(r["grad_ratio"], ".1e"),
        "x per layer": key("factor_per_layer"), "signal last / first": key("signal_ratio"),
        "dead at last": key("dead_frac")})


@pytest.mark.parametrize("function", ["gelu", "leaky_relu:negative_slope=0.2", "hardswish"])
def test_info(function):
    """A record: each row's field names its value; the fields for people that put
    numbers into words are checked against the numbers of JSON."""
    (table,) = for_people("info", function)
    record = for_programs("info", function)
    fields = {row[0]: row[1] for row in table[2]}
    assert table[1] == ["field", "value"]

    def words(value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(map(words, value)) if value else "none"
        if isinstance(value, dict):
            return "; ".join(f"{k}: {words(v)}" for k, v in value.items())
        return number(value) if isinstance(value, bool) else repr(value) \
            if isinstance(value, float) else str(value)

    in_words = {  # numbers put into words for people
        "output_range": interval(record, "output_range"),
        "max_abs_grad_at": re.sub(r"\bx(\d+)\b",
                                  lambda m: number(record["max_abs_grad_x"][int(m[1]) - 1]),
                                  record["max_abs_grad_where"]),
    }
    for field, value in fields.items():
        if field in in_words:
            assert value == in_words[field], field
        elif field.startswith("parameter "):
            given = record["parameters"][field.removeprefix("parameter ")]["value"]
            assert value.startswith(f"{given if isinstance(given, str) else format(given, 'g')} "
                                    "(default "), field
        elif field == "saturated_at":
            low, high = record["saturated_below"], record["saturated_above"]
            for bound in (low, high):
                if bound not in ("inf", "-inf"):
                    assert format(bound, ".3g") in value, field
        else:
            assert value == words(record[field]), field
    assert math.isfinite(record["max_abs_grad"])
