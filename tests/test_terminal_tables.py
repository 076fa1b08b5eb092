"""Terminal tables at 60, 80 and 120 columns: no number or word is ever split."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from actcli import cli
from actcli.frontend.context import Environment

COMMANDS = [
    ("depth", "sigmoid", "relu", "--layers", "4", "--width", "32", "--batch", "32"),
    ("compare", "relu", "leaky_relu:negative_slope=0.2", "elu", "gelu", "silu", "mish",
     "--grad", "--num", "5"),
    ("compare", "relu", "leaky_relu:negative_slope=0.2", "elu", "gelu", "silu", "mish",
     "--summary"),
    ("info", "gelu"),
    ("info", "leaky_relu:negative_slope=0.2"),
    ("list",),
]
NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)(e[-+]\d+)?$|^-?inf$|^nan$")
TERMINAL = Environment(stdout_isatty=True, stdin_isatty=True, stderr_isatty=False, ci=False)


def show(args: tuple[str, ...], columns: int) -> str:
    result = CliRunner().invoke(cli.app, list(args), obj=TERMINAL, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def cells(text: str) -> list[str]:
    """Table cells, one per box cell per line (header and body)."""
    return [c.strip() for line in text.splitlines() if line[:1] in "│┃"
            for c in re.split(r"[│┃]", line)[1:-1]]


def numbers(text: str) -> list[str]:
    """The numbers in table cells, also inside text ("[-0.169971, inf)", "x = 1.41")."""
    return [token for cell in cells(text)
            for token in re.split(r"[\s,\[\]()=<>]+", cell)
            if NUMBER.match(token) and token not in ("inf", "-inf", "nan")]


def digits(token: str) -> int:
    return len(re.sub(r"e.*", "", token).lstrip("-").replace(".", "").lstrip("0")) or 1


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:40])
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_no_line_is_wider_than_the_terminal(args, columns):
    for line in show(args, columns).splitlines():
        assert len(line) <= columns, line


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:40])
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_numbers_are_whole(args, columns):
    """Every number shown equals a number of the wide table rounded to as many digits:
    a fragment of a split number (0.00 / 5019) would not."""
    exact = (*args, "--precision", "17") if args[0] in ("depth", "compare") else args
    wide = [float(token) for token in numbers(show(exact, 400))]
    for token in numbers(show(args, columns)):
        rounded = {float(format(w, f".{digits(token)}g")) for w in wide}
        assert float(token) in rounded, token


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:40])
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_words_are_whole(args, columns):
    """Every word of a narrow table is a word of the wide one (or cut with an ellipsis);
    numbers are checked above."""
    wide = set(" ".join(cells(show(args, 200))).split())
    for cell in cells(show(args, columns)):
        for word in cell.split():
            if not NUMBER.match(word.strip("[](),")):
                assert word in wide or word.endswith("…"), (word, cell)


def test_list_is_one_line_per_function_at_80_columns():
    text = show(("list",), 80)
    body = [line for line in text.splitlines() if line.startswith("│")]
    names = [line.split("│")[1].strip() for line in body]
    assert all(names), "a description wrapped onto a second line"
    assert "relu" in names and "softmax" in names
    assert any(line.rstrip("│ ").endswith("…") for line in body)


def test_list_gives_the_descriptions_the_room_the_kind_took():
    """The kind, the same for 48 functions, heads a table of its own instead of filling a
    column; the description gets what is left of 80 columns after name and family."""
    text = show(("list",), 80)
    titles = [line.strip() for line in text.splitlines() if line.strip().startswith("Activation")]
    assert titles == ["Activation functions (elementwise)", "Activation functions (vector)"]
    assert "elementwise │" not in text and "kind" not in text
    header = next(line for line in text.splitlines() if line.startswith("┃"))
    assert [h.strip() for h in header.split("┃")[1:-1]] == ["name", "family", "description"]
    assert len(header.split("┃")[3]) >= 40
    (descriptions,) = {len(line.split("│")[3]) for line in text.splitlines()
                       if line.startswith("│") and "normalising" not in line
                       and "gated linear unit" not in line}
    assert descriptions >= 40  # 24 when a kind column took 13
    machine = CliRunner().invoke(cli.app, ["list", "-f", "csv"]).stdout.splitlines()
    assert machine[0] == "name,family,kind,description"  # programs keep the kind


@pytest.mark.parametrize("args, columns", [
    (("compare", "relu", "gelu", "silu", "mish", "--summary"), 80),
    (("compare", "relu", "leaky_relu", "elu", "--summary"), 60),
    (("compare", "gelu", "gaussian", "snake", "--summary"), 60),
])
def test_ranges_and_places_are_rounded_as_the_numbers_are_and_stay_on_one_line(args, columns):
    text = show(args, columns)
    body = [line for line in text.splitlines() if line.startswith("│")]
    assert len(body) == len(args) - 2  # a line per function: no range or place broken
    note = re.search(r"rounded to (\d+) significant digits", text)
    shown = int(note[1]) if note else 6
    assert all(digits(token) <= shown for token in numbers(text)), numbers(text)


def test_minus_zero_is_zero_in_tables_and_keeps_its_sign_in_csv():
    table = show(("grad", "tanh", "0", "--order", "2"), 80)
    assert "-0" not in table
    csv_text = CliRunner().invoke(cli.app, ["grad", "tanh", "0", "--order", "2"]).stdout
    assert csv_text.splitlines()[1].split(",")[3] == "-0.0"


@pytest.mark.parametrize("columns", [40, 60])
def test_info_keeps_its_values_on_a_narrow_terminal(columns):
    """The values of `info` wrap between words rather than being left out."""
    text = show(("info", "leaky_relu"), columns)
    assert "not shown" not in text
    words = " ".join(cells(text)).split()
    assert {"gradient", "negative", "inputs."} <= set(words)
    assert all(len(line) <= columns for line in text.splitlines())


def test_html_tables_escape_their_cells_and_align_numbers():
    import io
    from html.parser import HTMLParser

    import numpy as np

    from actcli.present.render import Column, Table, write_table

    table = Table("x<1 & y", [Column("name", ["<b>", "a&b"]), Column("v", np.array([0.5, -0.0]))],
                  caption="c<aption", notes=["n&ote"])
    out = io.StringIO()
    write_table(table, "html", out, precision=3)

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[tuple[str, str, dict]] = []
            self.open: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs):
            self.open.append((tag, dict(attrs)))

        def handle_endtag(self, tag):
            self.open.pop()

        def handle_data(self, data):
            if self.open and data.strip():
                self.found.append((self.open[-1][0], data, self.open[-1][1]))

    parser = Cells()
    parser.feed(out.getvalue())
    texts = [(tag, data) for tag, data, _ in parser.found]
    # Markup in cells arrives as text, numbers as a terminal table shows them (-0 as 0).
    assert texts == [("caption", "x<1 & y"), ("th", "name"), ("th", "v"), ("td", "<b>"),
                     ("td", "0.5"), ("td", "a&b"), ("td", "0"), ("p", "c<aption"),
                     ("p", "n&ote")]
    aligned = {data: attrs.get("style", "") for tag, data, attrs in parser.found if tag == "td"}
    assert "right" in aligned["0.5"] and "right" not in aligned["<b>"]
