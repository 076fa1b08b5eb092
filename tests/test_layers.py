"""The folders are the architecture: a module imports only its own layer or lower ones.

    errors, dtypes, numbers, version  <  catalog  <  expr, resolve  <  data, analysis  <  present
        <  frontend  <  cli, tui  <  actcli/__init__.py (the public API)

The public API is a facade over every layer: it imports the core at once and reaches
the front ends' jobs (which need matplotlib, torch, ...) only when they are used. Inside
a folder no module leads back to itself through imports (no circle), and inside the
catalog the parts have an order of their own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "actcli"
LAYERS = {
    "errors": 0, "dtypes": 0, "numbers": 0, "version": 0, "catalog": 1, "expr": 2,
    "resolve": 2, "data": 3, "analysis": 3, "present": 4, "frontend": 5, "cli": 6, "tui": 6,
    "__init__": 7, "__main__": 7,
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


# Inside the catalog, the same rule one level down: the numerics know no record, the
# engine (records' shape, evaluation, properties) and the compiled loops' library (Numba
# plumbing, an arithmetic exp and log1p) know no loop, the compiled loops know no record,
# and the registry is the only module that knows them all.
CATALOG_LAYERS = {
    "_stable": 0, "_normal": 0, "interval": 0, "scan": 0,
    "spec": 1, "compute": 1, "properties": 1, "_jitlib": 1,
    "jit": 2,
    "common": 3, "elementwise": 3, "modern": 3, "classic": 3, "gated": 3, "vector": 3,
    "__init__": 4,
}
CATALOG = PACKAGE / "catalog"


def test_every_catalog_module_has_a_place_in_its_order():
    assert {p.stem for p in CATALOG.glob("*.py")} == set(CATALOG_LAYERS)


def _catalog_imports(path: Path) -> list[str]:
    """The catalog modules `path` imports (anywhere in it): `from actcli.catalog import
    _stable` is the module _stable, `from actcli.catalog import REGISTRY` the registry."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module == "actcli.catalog":
            found += [a.name if (CATALOG / f"{a.name}.py").exists() else "__init__"
                      for a in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("actcli.catalog."):
            found.append(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found += [a.name.split(".")[2] for a in node.names
                      if a.name.startswith("actcli.catalog.")]
    return found


@pytest.mark.parametrize("path", sorted(CATALOG.glob("*.py")), ids=lambda p: p.name)
def test_no_catalog_module_imports_a_higher_one(path):
    higher = [name for name in _catalog_imports(path)
              if CATALOG_LAYERS[name] > CATALOG_LAYERS[path.stem]]
    assert higher == [], f"actcli.catalog.{path.stem} imports higher parts of the catalog: {higher}"


# --- no circle, inside a folder either --------------------------------------------------

def _module_name(path: Path) -> str:
    return ".".join(("actcli", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(
        ".__init__")


NAMES = {_module_name(path): path for path in MODULES}


def _run_time_nodes(tree: ast.AST) -> list[ast.AST]:
    """The nodes of `tree` but those under `if TYPE_CHECKING:` (never run: a type checker's
    import is no circle)."""
    nodes, pending = [], [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            pending += node.orelse
        else:
            pending += ast.iter_child_nodes(node)
    return nodes


def _imported_modules(path: Path) -> set[str]:
    """The actcli modules `path` imports when it runs (inside functions too): `from
    actcli.tui import widgets` is the module widgets, `from actcli.tui.widgets import X`
    too, `from actcli.catalog import REGISTRY` the package's __init__."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in _run_time_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            source = ".".join(p for p in (base if node.level else "", node.module or "") if p)
            found |= {f"{source}.{alias.name}" if f"{source}.{alias.name}" in NAMES else source
                      for alias in node.names}
    return found & NAMES.keys() - {name}


def test_no_modules_import_each_other_round_a_circle():
    """Layers order the folders; this orders every module: following imports (inside
    functions too) from any module never leads back to it (the explorer's parameter
    fields and its panel once imported each other)."""
    graph = {name: _imported_modules(path) for name, path in NAMES.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            circle = [*trail[trail.index(name):], name]
            raise AssertionError("import circle: " + " -> ".join(circle))
        if name not in done:
            for imported in sorted(graph[name]):
                visit(imported, [*trail, name])
            done.add(name)

    for name in sorted(graph):
        visit(name, [])
