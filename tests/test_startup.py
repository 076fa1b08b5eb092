"""Start-up is a feature: what each kind of run imports, checked in a real process with
`python -X importtime` so that a heavy import at module level cannot creep back in (the
time itself is measured by benchmarks/startup.py, never asserted). And how actcli is
packaged: every package and py.typed go into the wheel.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys

import pytest
from conftest import ROOT, subprocess_env

# Never needed to print numbers: plotting, SciPy (only exact GELU needs it), Rich (only a
# drawn table), CSV engines, the JSON engine of CSV streams, pydantic (Typer's converters),
# torch (only actcli.watch).
HEAVY = {"matplotlib", "scipy", "rich", "polars", "pyarrow", "pandas", "orjson", "pydantic",
         "textual", "torch"}


def imported(*args: str, stdin: str | None = None, **env: str) -> set[str]:
    """Top-level packages `python -m actcli ARGS` imports, with stdout on a pipe."""
    return {name.split(".")[0] for name in imported_modules(*args, stdin=stdin, **env)}


def imported_modules(*args: str, stdin: str | None = None, **env: str) -> set[str]:
    """Every module `python -m actcli ARGS` imports (dotted names), with stdout on a pipe."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "actcli", *args],
                            input=stdin if stdin is not None else "", capture_output=True, text=True,
                            env=subprocess_env(**env), timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def test_eval_piped_imports_nothing_it_does_not_use():
    modules = imported("eval", "relu", "-3", "2")
    assert "numpy" in modules and "typer" in modules  # the measurement sees imports at all
    assert modules.isdisjoint(HEAVY), sorted(modules & HEAVY)


def test_eval_imports_neither_the_explorer_nor_the_terminal_plot():
    for args in (("eval", "relu", "-3", "2"), ("eval", "relu", "-3", "2", "-f", "table")):
        modules = imported_modules(*args)
        assert "actcli.cli" in modules  # the measurement sees actcli's own modules
        drawing = {m for m in modules if m.split(".")[0] == "textual"
                   or m.startswith(("actcli.present.termplot", "actcli.tui"))}
        assert not drawing, sorted(drawing)


def test_a_plot_in_characters_leaves_numpy_ma_alone():
    # np.unique (np.union1d) imports numpy.ma on first use: 30 ms of explore's first frame.
    modules = imported_modules("plot", "relu", "gelu", "--grad", "--term")
    assert "actcli.present.termplot" in modules and "numpy.ma" not in modules


def test_depth_runs_and_data_files_are_imported_by_their_commands_only():
    # Not by eval, nor by explore (which imports the same command line): only their
    # commands import them, and present.tables imports depth when it draws one.
    modules = imported_modules("eval", "relu", "-3", "2", "-f", "table")
    assert "actcli.present.tables" in modules
    lazy = {"actcli.analysis.depth", "actcli.analysis.cluster", "actcli.data.tensors"}
    assert not modules & lazy, sorted(modules & lazy)


@pytest.mark.parametrize("args", [
    ("grad", "sigmoid", "-1", "1", "-f", "json"),
    ("compare", "relu", "tanh", "-3", "3", "-f", "csv"),
    ("list", "-f", "csv"),
    ("info", "leaky_relu", "-f", "json"),
    ("depth", "relu", "--layers", "2", "--width", "4", "--batch", "4", "-f", "csv"),
])
def test_machine_formats_draw_no_table(args):
    modules = imported(*args)
    assert modules.isdisjoint(HEAVY), sorted(modules & HEAVY)


def test_a_drawn_table_brings_rich_and_only_rich():
    modules = imported("eval", "relu", "-3", "2", "-f", "table")
    assert "rich" in modules
    assert modules.isdisjoint(HEAVY - {"rich"}), sorted(modules & (HEAVY - {"rich"}))


def test_exact_gelu_brings_no_scipy_even_for_its_far_left_tail_or_its_properties():
    for args in (("eval", "gelu", "-3", "2"), ("eval", "gelu", "-40"), ("info", "gelu")):
        modules = imported(*args)
        assert modules.isdisjoint(HEAVY), (args, sorted(modules & HEAVY))
    assert "numpy.ma" not in imported("info", "gelu")  # (np.unique would bring it)


def test_csv_rows_piped_in_bring_no_table_plot_or_dataframe():
    modules = imported("eval", "relu", stdin="x\n-1\n2\n")
    assert modules.isdisjoint(HEAVY - {"orjson"}), sorted(modules & (HEAVY - {"orjson"}))


# Run a command (or the explorer's start), let any loading of the compiled loops it
# started finish, and print what of Numba is imported.
AFTER_THE_RUN = """
from actcli.catalog import compute
compute.BACKGROUND.wait()
print("loaded:", sorted(m for m in sys.modules if m.split(".")[0] in ("numba", "llvmlite")),
      file=sys.stderr)
"""
COMMAND = """
import sys
from actcli.cli import main
sys.argv[0] = "actcli"
try:
    main()
except SystemExit:
    pass
""" + AFTER_THE_RUN
EXPLORE_START = """
import asyncio, sys
from actcli.tui.app import ExploreApp
from actcli.tui.state import View, function

async def main():
    app = ExploreApp(View([function(n) for n in ("relu", "gelu", "silu")], -5.0, 5.0))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("right", "p")
        await pilot.pause()

asyncio.run(main())
""" + AFTER_THE_RUN


def _loaded(code: str, *args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True,
                          text=True, env=subprocess_env(ACTCLI_JIT=""), timeout=120)
    assert "loaded:" in done.stderr, done.stderr[-3000:]
    return done.stderr.rsplit("loaded:", 1)[1].strip()


def test_short_commands_never_import_numba_in_the_automatic_mode():
    """With Numba installed (the test extra has it), the compiled loops load themselves
    only for a long job: not for a table, a plot, a short pipe, or the explorer's start."""
    pytest.importorskip("numba")
    rows = "x\n" + "\n".join(map(str, range(20000))) + "\n"
    for args, stdin in ((("eval", "relu", "-3", "2"), ""),
                        (("grad", "gelu", "-5", "5", "--num", "20000"), ""),
                        (("plot", "relu", "gelu", "--grad", "--term"), ""),
                        (("grad", "gelu"), rows)):
        assert _loaded(COMMAND, *args, stdin=stdin) == "[]", args
    assert _loaded(EXPLORE_START) == "[]"
    # The check sees a loading when there is one (here with a job's threshold lowered).
    lowered = "from actcli.catalog import compute; compute.AUTO_FROM = 1 << 14\n" + COMMAND
    assert "numba" in _loaded(lowered, "grad", "gelu", "-5", "5", "--num", "20000")


def test_printing_a_completion_script_imports_nothing_heavy():
    modules = imported("completion", "bash")
    assert modules.isdisjoint(HEAVY), sorted(modules & HEAVY)


def test_a_tab_asking_actcli_imports_nothing_heavy():
    modules = imported(_ACTCLI_COMPLETE="complete_bash", COMP_WORDS="actcli eval si", COMP_CWORD="2")
    assert modules.isdisjoint(HEAVY), sorted(modules & HEAVY)


# --- packaging ------------------------------------------------------------------------------

def test_every_package_and_py_typed_go_into_the_wheel():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the test extra installs tomli there
        import tomli as tomllib
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(init.parent.relative_to(ROOT).parts)
               for init in (ROOT / "actcli").rglob("__init__.py")}
    declared = setuptools["packages"]
    if isinstance(declared, dict):  # packages.find: what its include patterns match
        patterns = declared["find"].get("include", ["*"])
        declared = [p for p in on_disk if any(fnmatch.fnmatchcase(p, pattern) for pattern in patterns)]
    assert on_disk <= set(declared), f"not in the wheel: {sorted(on_disk - set(declared))}"
    assert (ROOT / "actcli" / "py.typed").exists()
    assert "py.typed" in setuptools["package-data"]["actcli"]


def test_the_completion_scripts_go_into_the_wheel():
    """`actcli completion SHELL` reads them as package data: each matches a pattern."""
    tomllib = pytest.importorskip("tomllib")
    from actcli.cli import COMPLETION_SCRIPTS

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["actcli.completions"]
    for name in COMPLETION_SCRIPTS.values():
        assert (ROOT / "actcli" / "completions" / name).is_file()
        assert any(fnmatch.fnmatchcase(name, p) for p in patterns), name


def test_import_actcli_leaves_the_formula_parser_for_formulas():
    code = ("import sys, actcli; assert 'actcli.expr' not in sys.modules; "
            "actcli.get('relu'); assert 'actcli.expr' not in sys.modules; "
            "actcli.get('x*sigmoid(x)'); assert 'actcli.expr' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_the_web_pages_files_go_into_the_wheel():
    """`actcli explore --html` inlines them from the installed package."""
    tomllib = pytest.importorskip("tomllib")
    from actcli.frontend.page import ASSETS

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["actcli.frontend"]
    for name in ASSETS:
        assert (ROOT / "actcli" / "frontend" / name).is_file()
        assert any(fnmatch.fnmatchcase(name, p) for p in patterns), name
