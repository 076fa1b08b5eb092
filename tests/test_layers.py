"""The folders are the architecture: a module imports only its own layer or lower ones.

    errors, dtypes, version  <  catalog  <  expr, resolve  <  data, analysis  <  present
        <  frontend  <  cli, explore  <  actcli/__init__.py (the public API)

The public API is a facade over every layer: it imports the core at once and reaches
the front ends' jobs (which need matplotlib, torch, ...) only when they are used.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "actcli"
LAYERS = {
    "errors": 0, "dtypes": 0, "version": 0, "catalog": 1, "expr": 2, "resolve": 2, "data": 3,
    "analysis": 3, "present": 4, "frontend": 5, "cli": 6, "explore": 6, "__init__": 7,
    "__main__": 7,
    "completions": 0,  # data: the shell scripts `actcli completion` prints
}


def _room(module: str) -> str:
    """`actcli.present.plot.figure` -> `present`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, module: str) -> list[str]:
    package = module.split(".")[:-1]  # actcli.present.tables and actcli.present.__init__
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            # A relative import resolved against the module's package: from ..cli import x
            base = ".".join(package[:len(package) - node.level + 1]) if node.level else ""
            target = ".".join(part for part in (base, node.module or "") if part)
            found += [target] if target != "actcli" else [
                f"actcli.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [name for name in found if name.split(".")[0] == "actcli"]


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_higher_layer(path):
    module = ".".join(("actcli", *path.relative_to(PACKAGE).with_suffix("").parts))
    own = _room(module.removesuffix(".__init__") if module != "actcli.__init__" else module)
    assert own in LAYERS, f"{module} is in no layer: add its folder to LAYERS"
    higher = [name for name in _imports(path, module)
              if name != "actcli" and LAYERS[_room(name)] > LAYERS[own]]
    assert higher == [], f"{module} imports higher layers: {higher}"


def test_every_folder_is_a_layer():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders <= set(LAYERS)
