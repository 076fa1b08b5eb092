"""pyproject promises Python >= 3.10; the suite usually runs on something newer.

So every source file (package, tests, scripts, benchmarks) is checked here against
3.10: its grammar (ast's 3.10 feature version; f-strings that reuse their quotes, which
3.12 allows and ast does not flag, by their tokens), and the standard-library names it
uses that appeared in 3.11 or later, unless guarded (try/except ImportError, a
`sys.version_info` test, TYPE_CHECKING). Where a Python 3.10 interpreter is installed,
it compiles every file too.
"""

from __future__ import annotations

import ast
import glob
import io
import os
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest
from conftest import ROOT

SOURCES = sorted(p for folder in ("actcli", "tests", "scripts", "benchmarks")
                 for p in (ROOT / folder).rglob("*.py"))

# Standard-library modules and names new in 3.11 or 3.12 (What's New in Python 3.11, 3.12).
NEW_MODULES = {"tomllib", "wsgiref.types"}
NEW_NAMES = {
    "typing": {"Self", "LiteralString", "Never", "assert_never", "assert_type", "reveal_type",
               "Required", "NotRequired", "TypeVarTuple", "Unpack", "dataclass_transform",
               "get_overloads", "clear_overloads", "override", "TypeAliasType"},
    "enum": {"StrEnum", "ReprEnum", "EnumCheck", "FlagBoundary", "verify", "member", "nonmember",
             "global_enum", "property"},
    "datetime": {"UTC"},
    "asyncio": {"TaskGroup", "timeout", "timeout_at", "Timeout", "Runner"},
    "contextlib": {"chdir"},
    "hashlib": {"file_digest"},
    "operator": {"call"},
    "math": {"cbrt", "exp2", "sumprod"},
    "itertools": {"batched"},
    "logging": {"getLevelNamesMapping"},
    "inspect": {"markcoroutinefunction"},
}
NEW_BUILTINS = {"ExceptionGroup", "BaseExceptionGroup"}
GUARD_ERRORS = {"ImportError", "ModuleNotFoundError", "AttributeError", "Exception"}


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", SOURCES, ids=_relative)
def test_grammar_is_python_3_10(path):
    source = path.read_text()
    ast.parse(source, filename=str(path), feature_version=(3, 10))
    assert not _fstrings_reusing_their_quotes(source), "an f-string reuses its quote (3.12+)"


def _fstrings_reusing_their_quotes(source: str) -> list[int]:
    """Lines of f-strings with a string inside in the same quotes (PEP 701, 3.12+). Before
    3.12 the tokenizer reads such an f-string as a STRING and ast.parse would have failed."""
    if not hasattr(tokenize, "FSTRING_START"):
        return []
    open_quotes: list[str] = []
    lines = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.FSTRING_START, tokenize.STRING):
            quote = token.string.lstrip("rRbBfFuU")[:3]
            quote = quote if quote in ('"""', "'''") else quote[0]
            if open_quotes and quote == open_quotes[-1]:
                lines.append(token.start[0])
            if token.type == tokenize.FSTRING_START:
                open_quotes.append(quote)
        elif token.type == tokenize.FSTRING_END:
            open_quotes.pop()
    return lines


def _guarded(parents: list[ast.AST]) -> bool:
    for node in parents:
        if isinstance(node, ast.Try):
            caught = {ast.unparse(h.type) for h in node.handlers if h.type is not None}
            names = {n.strip("() ") for c in caught for n in c.split(",")}
            if names & GUARD_ERRORS or any(h.type is None for h in node.handlers):
                return True
        if isinstance(node, ast.If) and ("version_info" in ast.unparse(node.test)
                                         or "TYPE_CHECKING" in ast.unparse(node.test)):
            return True
    return False


def newer_stdlib_uses(source: str) -> list[str]:
    """`line: name` for each unguarded use of a 3.11+ standard-library module or name."""
    found = []

    def visit(node: ast.AST, parents: list[ast.AST]) -> None:
        used = []
        if isinstance(node, ast.Import):
            used = [a.name for a in node.names if a.name in NEW_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in NEW_MODULES:
                used = [node.module]
            used += [f"{node.module}.{a.name}" for a in node.names
                     if a.name in NEW_NAMES.get(node.module, ())]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in NEW_NAMES.get(node.value.id, ()):
                used = [f"{node.value.id}.{node.attr}"]
        elif isinstance(node, ast.Name) and node.id in NEW_BUILTINS:
            used = [node.id]
        if used and not _guarded(parents):
            found.extend(f"{node.lineno}: {name}" for name in used)
        for child in ast.iter_child_nodes(node):
            visit(child, [*parents, node])

    visit(ast.parse(source), [])
    return found


@pytest.mark.parametrize("path", SOURCES, ids=_relative)
def test_no_standard_library_names_newer_than_3_10(path):
    assert newer_stdlib_uses(path.read_text()) == []


def test_the_stdlib_check_sees_new_names_and_respects_guards():
    assert newer_stdlib_uses("import tomllib\nfrom typing import Self\nenum.StrEnum\n") == [
        "1: tomllib", "2: typing.Self", "3: enum.StrEnum"]
    assert newer_stdlib_uses("try:\n    import tomllib\nexcept ImportError:\n    pass\n"
                             "if sys.version_info >= (3, 11):\n    from typing import Self\n") == []
    assert newer_stdlib_uses("tomllib = pytest.importorskip('tomllib')\n") == []


@pytest.mark.skipif(not hasattr(tokenize, "FSTRING_START"), reason="3.12+ tokenizer only")
def test_the_fstring_check_sees_reused_quotes():
    assert _fstrings_reusing_their_quotes('f"{d["k"]}"\n') == [1]
    assert _fstrings_reusing_their_quotes("f\"{d['k']}\"\n") == []


def python_3_10() -> str | None:
    """A Python 3.10 interpreter on PATH or under pyenv, if there is one."""
    pyenv = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = [*sorted(glob.glob(f"{pyenv}/versions/3.10*/bin/python3.10")), shutil.which("python3.10")]
    for candidate in filter(None, candidates):  # a pyenv shim may exist and refuse to run
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                               capture_output=True, text=True, timeout=60)
        if probe.returncode == 0 and probe.stdout.strip() == "(3, 10)":
            return candidate
    return None


@pytest.mark.skipif(sys.version_info[:2] == (3, 10), reason="the whole suite runs on 3.10 here")
def test_python_3_10_compiles_every_file():
    interpreter = python_3_10()
    if interpreter is None:
        pytest.skip("no Python 3.10 installed (the checks above still apply its grammar)")
    script = ("import sys\nfailed = []\nfor path in sys.argv[1:]:\n"
              "    try:\n        compile(open(path, encoding='utf-8').read(), path, 'exec')\n"
              "    except SyntaxError as error:\n        failed.append(f'{path}:{error.lineno}: {error.msg}')\n"
              "print('\\n'.join(failed))\n")
    result = subprocess.run([interpreter, "-I", "-c", script, *map(str, SOURCES)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr
