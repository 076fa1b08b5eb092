"""actcli in Jupyter, run by a real kernel (nbclient): the example notebook executes
and its outputs hold actcli's pictures, and a notebook displays `actcli.get(...)` as
its plot, formula and info table and `actcli.explore(...)` as the page itself.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, page_data

import actcli
from actcli.frontend.notebook import activation_html

EXAMPLE = ROOT / "examples" / "activations.ipynb"


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A function that runs a notebook in a kernel of this interpreter, importing this
    checkout's actcli (a kernel spec of its own: an installed one may name another
    Python), in `tmp_path`."""
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (the test extra)")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed (the test extra)")
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "actcli tests", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # (and no warning that it will be)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("MPLBACKEND", "agg")

    def run(notebook: Any) -> Any:
        nbclient.NotebookClient(notebook, kernel_name="python3", timeout=300,
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
        return notebook

    yield run


def html_of(cell: Any) -> str:
    (shown,) = [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]
    return str(shown)


def errors(notebook: Any) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for cell in notebook.cells
            for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def test_the_example_notebook_runs_and_shows_actclis_pictures(kernel):
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(EXAMPLE, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "commit the example without outputs: CI makes them"
    kernel(notebook)
    assert errors(notebook) == []
    cells = {cell.source: cell for cell in notebook.cells if cell.cell_type == "code"}
    for name in ("sigmoid", "tanh", "relu", "softmax"):
        assert html_of(cells[f'actcli.get("{name}")']) == activation_html(actcli.get(name)), name
    page = actcli.explore("sigmoid", "tanh", "relu", "leaky_relu", start=-5, stop=5)
    assert html_of(cells['actcli.explore("sigmoid", "tanh", "relu", "leaky_relu", start=-5, stop=5)']) \
        == page._repr_html_()
    printed = "".join(o.get("text", "") for cell in notebook.cells for o in cell.get("outputs", []))
    assert "relu'(-1), relu'(0), relu'(1): [0. 0. 1.]" in printed  # the convention at the kink
    assert "= diag(p) - p p^T: True" in printed


def test_a_notebook_shows_an_activation_and_an_explorer_page_and_saves_it(kernel, tmp_path):
    pytest.importorskip("nbformat")
    from nbformat.v4 import new_code_cell, new_notebook

    notebook = new_notebook(cells=[
        new_code_cell("import actcli"),
        new_code_cell('actcli.get("gelu")'),
        new_code_cell('actcli.get("leaky_relu", negative_slope=0.2)'),
        new_code_cell('page = actcli.explore("relu", "gelu", start=-3, stop=3)\npage'),
        new_code_cell('page.save("page.html")'),
    ])
    kernel(notebook)
    assert errors(notebook) == []
    gelu = html_of(notebook.cells[1])
    assert "<svg" in gelu and "$$" in gelu and "<caption>gelu</caption>" in gelu
    assert gelu == activation_html(actcli.get("gelu"))
    leaky = html_of(notebook.cells[2])
    assert "<caption>leaky_relu(negative_slope=0.2)</caption>" in leaky
    frame = html_of(notebook.cells[3])
    expected = actcli.explore("relu", "gelu", start=-3, stop=3)
    assert frame == expected._repr_html_() and frame.startswith("<iframe srcdoc=")
    saved = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert saved == expected.html
    assert [f["name"] for f in page_data(saved)["functions"]] == ["relu", "gelu"]
    plain = [o["data"]["text/plain"] for o in notebook.cells[3].outputs]
    assert plain == [repr(expected)]  # a short text form, not the whole page
