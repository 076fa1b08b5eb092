"""What the test files share: the checkout's root, the environment of a real `actcli`
process, the installed console script on PATH, and the curves of an SVG plot.

Test files import the plain names (`from conftest import ROOT, subprocess_env`);
pyproject's `pythonpath = ["tests"]` makes this directory importable, as it does
`mpref`.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

# In CI, hypothesis draws the same examples every run: a red CI is reproducible, and a
# submission never fails on an example no one saw before (run locally to explore).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() not in ("", "0", "false"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
# The console scripts of the environment running the tests (a venv's bin/).
BIN = Path(sys.executable).parent


def subprocess_env(**extra: str) -> dict[str, str]:
    """os.environ for a child process that runs this checkout's actcli: PYTHONPATH starts
    with ROOT (so a copy of the tree tests its own code), and the user's colour and width
    settings are dropped so that output does not depend on who runs the tests."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def interruptible() -> None:
    """preexec_fn of a child process that a test interrupts (SIGINT): SIGINT's default
    disposition. A suite started in the background (`nohup pytest &`) ignores SIGINT,
    every child inherits that, and the signal would never reach the code under test."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def actcli_on_path(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put the `actcli` console script installed beside this interpreter first on PATH
    (subprocess_env copies PATH); fail, rather than skip, when it is not installed."""
    script = BIN / "actcli"
    if not script.is_file():
        pytest.fail(f"no actcli console script beside {sys.executable}: install the package "
                    "into this environment (pip install -e '.[test]')")
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return script


SVG = "{http://www.w3.org/2000/svg}"


def svg_lines(path: Path) -> list[tuple[str, bool, np.ndarray]]:
    """The data lines of a matplotlib SVG (the paths clipped to an axes): stroke colour
    (lower case), dashed or not, and the vertices in SVG units (y grows downwards)."""
    lines = []
    for element in ET.parse(path).iter(f"{SVG}path"):
        style = dict(item.split(": ", 1) for item in element.get("style", "").split("; ") if ": " in item)
        if "clip-path" not in element.attrib or style.get("stroke", "none") == "none":
            continue
        numbers = re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?", element.get("d", ""))
        lines.append((style["stroke"].lower(), "stroke-dasharray" in style,
                      np.array(numbers, dtype=float).reshape(-1, 2)))
    return lines
