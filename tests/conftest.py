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

# No example has a time limit (Hypothesis' default is 200 ms): on a shared machine a slow
# example is load, not a bug, and the suite asserts no timings. In CI, hypothesis also
# draws the same examples every run: a red CI is reproducible, and a submission never
# fails on an example no one saw before (run locally to explore).
settings.register_profile("untimed", deadline=None)
settings.register_profile("ci", parent=settings.get_profile("untimed"), derandomize=True,
                          print_blob=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() not in ("", "0", "false")
                      else "untimed")

# The engine is pinned: NumPy, unless the tests run with ACTCLI_JIT=1 (every large array
# through the compiled loops) or a test asks for a mode itself. Left automatic, a process
# running many tests would load the loops part way through, and bit-for-bit comparisons
# would depend on when (the tests of the automatic mode are in tests/test_jit.py).
if os.environ.get("ACTCLI_JIT", "").strip() not in ("0", "1"):
    os.environ["ACTCLI_JIT"] = "0"

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


def page_data(page: str) -> dict:
    """The data an explorer web page embeds (`actcli explore --html`), with its arrays
    decoded: `data["arrays"][i]` is the NumPy array the page draws and reads out."""
    import base64
    import json

    match = re.search(r'<script type="application/json" id="actcli-data">(.*?)</script>', page, re.S)
    assert match, "no data in the page"
    data = json.loads(match[1])
    dtype = np.dtype(data["dtype"]).newbyteorder("<")
    data["arrays"] = [np.frombuffer(base64.b64decode(text), dtype=dtype) for text in data["arrays"]]
    return data


def svg_texts(path: Path, group: str | None = None) -> list[tuple[str, np.ndarray]]:
    """Each line of text in a matplotlib SVG (inside the element with id `group`, if
    given) and a box that holds it, (left, top, right, bottom) in SVG units: text is
    drawn as glyphs after a comment with the line, from the baseline at translate(x y)
    at a scale of font size / 100 units; a glyph is at most 100 units wide, ascends 76
    and descends 24 (DejaVu Sans)."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.parse(path, parser).getroot()
    if group is not None:
        root = next(e for e in root.iter() if e.get("id") == group)
    found = []
    for element in root.iter(f"{SVG}g"):
        children = list(element)
        for comment, glyphs in zip(children, children[1:]):
            if comment.tag is not ET.Comment or glyphs.tag != f"{SVG}g":
                continue
            match = re.fullmatch(r"translate\(([-\d.e]+) ([-\d.e]+)\) scale\(([-\d.e]+) [-\d.e]+\)",
                                 glyphs.get("transform", ""))
            if match is None:
                continue
            x, y, scale = map(float, match.groups())
            advances = [float(m[1]) for use in glyphs.iter(f"{SVG}use")
                        if (m := re.match(r"translate\(([-\d.e]+)", use.get("transform", "")))]
            right = x + (max(advances, default=0.0) + 100) * scale
            found.append((comment.text.strip(), np.array([x, y - 76 * scale, right, y + 24 * scale])))
    return found
