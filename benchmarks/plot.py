"""Time `actcli plot sigmoid --grad -o out.png` against a bare matplotlib script.

Both are fresh processes, because start-up is what a user waits for, run interleaved so
that load from other work hits both alike; the minimum over the runs is the least
disturbed figure. The bar: actcli takes at most 1.2x the bare script.

The bare script is what one would type by hand: pyplot, the two curves, savefig to PNG
at matplotlib's defaults. While `python -m actcli plot` is not available, the module's
part is timed with a stand-in that imports actcli.present.plot.functions and calls it directly.

    python benchmarks/plot.py [--runs 9]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BAR = 1.2
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

BARE_SCRIPT = """
import sys
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
x = np.linspace(-5, 5, 1001)
s = 1 / (1 + np.exp(-x))
fig, ax = plt.subplots()
ax.plot(x, s, label="sigmoid")
ax.plot(x, s * (1 - s), "--", label="d/dx sigmoid")
ax.legend()
fig.savefig(sys.argv[1])
"""

STAND_IN = """
import sys
import actcli
import actcli.present.plot.functions
actcli.present.plot.functions.plot_functions([actcli.get("sigmoid")], sys.argv[1], grad=True)
"""


def run_once(command: list[str], out: Path) -> float:
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or not out.read_bytes().startswith(PNG_SIGNATURE):
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise SystemExit(f"{' '.join(command)} failed: {detail[-1] if detail else done.returncode}")
    return elapsed


def cli_problem() -> str | None:
    """Why `python -m actcli plot` cannot be timed, or None if it can."""
    done = subprocess.run([sys.executable, "-m", "actcli", "plot", "--help"], capture_output=True)
    if done.returncode == 0:
        return None
    lines = done.stderr.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else f"exit status {done.returncode}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (>= 7)")
    args = parser.parse_args()
    if args.runs < 7:
        parser.error("--runs must be at least 7")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.png"
        commands = {
            "bare matplotlib": [sys.executable, "-c", BARE_SCRIPT, str(out)],
            "plot_functions stand-in": [sys.executable, "-c", STAND_IN, str(out)],
        }
        problem = cli_problem()
        if problem is None:
            commands["actcli plot"] = [sys.executable, "-m", "actcli", "plot", "sigmoid",
                                       "--grad", "-o", str(out)]
        else:
            print(f"note: `{sys.executable} -m actcli plot` is not available ({problem}); "
                  "timing the module stand-in only", flush=True)

        times: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the OS caches, untimed
            run_once(command, out)
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(run_once(command, out))

    base = min(times["bare matplotlib"])
    print(f"minimum of {args.runs} runs each (seconds)")
    for name, values in times.items():
        best = min(values)
        ratio = "" if name == "bare matplotlib" else f"   {best / base:.2f}x"
        print(f"  {name:22} {best:.3f}{ratio}")
    if "actcli plot" in times:
        ratio = min(times["actcli plot"]) / base
        print(f"actcli plot / bare matplotlib = {ratio:.2f}x "
              f"({'within' if ratio <= BAR else 'OVER'} the {BAR}x bar)")


if __name__ == "__main__":
    main()
