"""Speed of `actcli explore` and of the character plot it draws.

    python benchmarks/explore.py [--runs 7] [--changes 40]

1. Time to the first complete frame of `actcli explore sigmoid` in a pseudo-terminal
   (120x40), against a minimal Textual app that shows one line, interleaved round by
   round so machine noise hits both alike. A frame is complete when the footer and the
   readout (for the minimal app: its line) have been written. Bar: <= 1.5x the minimal app.
   A third case, the minimal app after importing what explore imports (NumPy, Typer, the
   catalog, actcli's CLI), tells how much of the difference is imports.
2. From a parameter change to the updated frame, with Textual's pilot: three curves of
   1001 points (exact gelu, elu, leaky_relu), elu's alpha typed in. Bar: median <= 50 ms.
3. For the choice of renderer: import times of the renderer and Textual, and the time to
   draw a plot of six curves (3 functions with f') at 120x40 characters.

Every subprocess shares a private bytecode cache, warmed up first.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FRAME_BAR, CHANGE_BAR_MS = 1.5, 50.0
ANSI = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")

MINIMAL_APP = '''\
from textual.app import App
from textual.widgets import Static


class One(App):
    BINDINGS = [("q", "quit", "quit")]

    def compose(self):
        yield Static("ready: one line")


One().run()
'''


def first_frame(command: list[str], markers: list[bytes], env: dict[str, str]) -> float:
    """Seconds from start until every marker has appeared on the pseudo-terminal."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env,
                               start_new_session=True)
    os.close(follower)
    screen = b""
    elapsed = None
    deadline = started + 60
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if not ready:
            continue
        try:
            screen += ANSI.sub(b"", os.read(leader, 1 << 16))
        except OSError:
            break
        if all(m in screen for m in markers):
            elapsed = time.perf_counter() - started
            break
    os.write(leader, b"q")
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    while select.select([leader], [], [], 0.1)[0]:
        try:
            if not os.read(leader, 1 << 16):
                break
        except OSError:
            break
    os.close(leader)
    if elapsed is None:
        raise SystemExit(f"no complete frame from {command}: {screen[-2000:]!r}")
    return elapsed


def frames(runs: int) -> tuple[list[float], list[float], list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "one_line.py"
        script.write_text(MINIMAL_APP)
        imports = Path(tmp) / "one_line_after_imports.py"
        imports.write_text("import actcli.cli, actcli.tui.app, actcli.present.termplot\n"
                           + MINIMAL_APP)
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(Path(tmp) / "pycache"),
                   TERM="xterm-256color")
        env.pop("NO_COLOR", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # else the cache above is never written
        explore = ([sys.executable, "-m", "actcli", "explore", "sigmoid"], [b"quit", b"sigmoid'(x)"])
        minimal = ([sys.executable, str(script)], [b"ready: one line"])
        imported = ([sys.executable, str(imports)], [b"ready: one line"])
        cases = (explore, minimal, imported)
        for command, markers in cases:  # warm the bytecode cache
            first_frame(command, markers, env)
        times: tuple[list[float], list[float], list[float]] = ([], [], [])
        for _ in range(runs):
            for i, (command, markers) in enumerate(cases):
                times[i].append(first_frame(command, markers, env))
    return times


async def parameter_changes(count: int) -> list[float]:
    from actcli.tui.app import ExploreApp
    from actcli.tui.params import ParamInput
    from actcli.tui.widgets import PlotView
    from actcli.tui.state import View, function

    drawn: list[float] = []
    render = PlotView.render

    def timed_render(self: PlotView) -> object:
        result = render(self)
        drawn.append(time.perf_counter())
        return result

    PlotView.render = timed_render  # type: ignore[method-assign]
    view = View([function("gelu"), function("elu"), function("leaky_relu")], grad=False)
    app = ExploreApp(view)
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "e")  # elu's alpha
        field = app.focused
        assert isinstance(field, ParamInput) and field.param.name == "alpha"
        await pilot.pause()
        for i in range(count):
            value = f"{0.5 + (i % 10) / 10:g}"
            drawn.clear()
            started = time.perf_counter()
            field.value = value
            await pilot.pause()  # the message is handled, the screen refreshed
            assert drawn and app.view.acts[1].params["alpha"] == float(value)
            latencies.append(drawn[-1] - started)
    return latencies


def renderer_figures() -> dict[str, float]:
    def import_time(module: str) -> float:
        best = []
        for _ in range(5):
            out = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                                 capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                 check=True).stderr
            # The self times of every module imported (the first column), in microseconds.
            best.append(sum(int(line.split("|")[0].split(":")[1]) for line in out.splitlines()
                            if line.startswith("import time:") and "|" in line
                            and line.split("|")[0].split(":")[1].strip().isdigit()) / 1e6)
        return min(best)

    import actcli
    from actcli.present import termplot

    acts = [actcli.get("relu"), actcli.get("gelu"), actcli.get("tanh")]
    termplot.function_plot(acts, grad=True, width=120, height=40).lines()
    draws = []
    for _ in range(20):
        started = time.perf_counter()
        termplot.function_plot(acts, grad=True, width=120, height=40).lines()
        draws.append(time.perf_counter() - started)
    return {
        "import actcli.present.termplot (with numpy, present.plot)": import_time("actcli.present.termplot"),
        "import rich.text": import_time("rich.text"),
        "import textual.app": import_time("textual.app"),
        "draw 6 curves at 120x40 (evaluate + raster + Rich text)": statistics.median(draws),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--changes", type=int, default=40)
    args = parser.parse_args()

    explore, minimal, imported = frames(args.runs)
    ratio = statistics.median(explore) / statistics.median(minimal)
    print(f"first frame, {args.runs} interleaved runs (min / median):")
    print(f"  actcli explore sigmoid   {min(explore):.3f} s / {statistics.median(explore):.3f} s")
    print(f"  minimal Textual app      {min(minimal):.3f} s / {statistics.median(minimal):.3f} s")
    print(f"  the same after explore's imports "
          f"{min(imported):.3f} s / {statistics.median(imported):.3f} s")
    print(f"  ratio of medians {ratio:.2f} (bar <= {FRAME_BAR}): {'ok' if ratio <= FRAME_BAR else 'OVER'}")

    latencies = asyncio.run(parameter_changes(args.changes))
    median_ms = statistics.median(latencies) * 1e3
    print(f"parameter change -> plot redrawn, {args.changes} changes: median {median_ms:.1f} ms, "
          f"max {max(latencies) * 1e3:.1f} ms (bar <= {CHANGE_BAR_MS:.0f} ms): "
          f"{'ok' if median_ms <= CHANGE_BAR_MS else 'OVER'}")

    print("renderer:")
    for name, seconds in renderer_figures().items():
        print(f"  {name:58} {seconds * 1e3:7.1f} ms")


if __name__ == "__main__":
    main()
