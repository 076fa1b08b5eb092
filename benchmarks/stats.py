"""Throughput and memory of `actcli stats relu gelu silu` on a large .npy, against NumPy/SciPy.

    python benchmarks/stats.py [--values 50000000] [--repeat 1]

Writes a float32 .npy of --values standard normal values (200 MB at 50M) into a temporary
directory, then runs in turn, in separate processes, --repeat times each (best time):

- baseline: a NumPy/SciPy script that loads the whole array and computes the same figures
  (np.quantile, exact; relu, gelu and silu from their formulas with scipy.special's ndtr
  and expit; the saturated tails found on its own, with scipy.optimize, from the
  definition actcli uses: past the outermost x where |f'| >= 5% of max |f'|),
- actcli: `python -m actcli stats relu gelu silu -i FILE -f json`, automatic (the compiled
  loops load themselves when Numba is installed) and with ACTCLI_JIT=0 (NumPy alone),
- the floor: reading the file as actcli does (np.fromfile in chunks, to float64), nothing else.

Prints values/s of each, the throughput ratio (baseline time / actcli time), the peak
RSS of each process and the peak of its anonymous memory (RSS less the pages mapped from
files, such as Numba's LLVM library), and checks that actcli and the baseline agree
(moments and fractions to 1e-9 relative, quantiles to actcli's stated accuracy).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import processes  # noqa: E402  (beside this script)

BASELINE = r"""
import json, math, sys
import numpy as np
from scipy import optimize, special

x = np.load(sys.argv[1]).astype(np.float64)
nan = np.isnan(x)
nan_count = int(nan.sum())
if nan_count:
    x = x[~nan]
shared = {"n": len(x), "nan_count": nan_count, "input_mean": float(np.mean(x)),
          "input_std": float(np.std(x)), "input_min": float(x.min()), "input_max": float(x.max())}
q = np.quantile(x, [0.01, 0.5, 0.99])
shared.update(input_p01=float(q[0]), input_p50=float(q[1]), input_p99=float(q[2]))
SHARE = 0.05  # saturated: past the outermost x where |f'| >= SHARE * max |f'|, f' != 0


def gelu_prime(t):
    return special.ndtr(t) + t * np.exp(-0.5 * t * t) / np.sqrt(2 * np.pi)


def silu_prime(t):
    s = special.expit(t)
    return s * (1 + t * (1 - s))


def left_tail(prime):
    # max |f'| (on the right, f' -> 1), then the outermost crossing of SHARE * max on
    # the left, beyond the dip of f' below 0 (the extremum of f' there).
    top = -optimize.minimize_scalar(lambda t: -prime(t), bounds=(0, 10), method="bounded",
                                    options={"xatol": 1e-12}).fun
    dip = optimize.minimize_scalar(lambda t: -abs(prime(t)), bounds=(-10, -0.5),
                                   method="bounded", options={"xatol": 1e-12}).x
    return optimize.brentq(lambda t: abs(prime(t)) - SHARE * top, -60, dip, xtol=1e-14)


out = []
for name in ("relu", "gelu", "silu"):
    if name == "relu":  # f' = 0 on the whole left: dead, no saturated tail
        y, g, low = np.maximum(x, 0), (x > 0).astype(np.float64), -math.inf
    elif name == "gelu":
        cdf = special.ndtr(x)
        y, g, low = x * cdf, cdf + x * np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi), left_tail(gelu_prime)
    else:
        s = special.expit(x)
        y, g, low = x * s, s * (1 + x * (1 - s)), left_tail(silu_prime)
    out.append({"function": name, **shared, "mean": float(y.mean()), "std": float(y.std()),
                "mean_grad": float(g.mean()), "mean_grad_sq": float(np.mean(g * g)),
                "dead_fraction": float(np.mean(g == 0)),
                "saturated_fraction": float(np.mean((x < low) & (g != 0)))})
    del y, g
print(json.dumps(out))
"""


def run(command: list[str], **env: str) -> tuple[float, int, int, str]:
    """Wall time, peak RSS, peak anonymous memory (bytes) and stdout of one process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, cwd=ROOT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT), **env})
        ended = processes.wait(process)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode()
    if ended.status:
        raise SystemExit(f"{command[:4]} failed with status {ended.status}")
    return elapsed, ended.peak, ended.anonymous, text


FLOOR = r"""
import sys
from actcli.data import tensors
print(sum(len(chunk) for chunk in tensors.chunks([sys.argv[1]])))
"""
# Numba compiles the loops once per machine (then loads them from its cache): done here
# first, so that the runs timed load them as a user's would.
WARM_LOOPS = r"""
import os
os.environ["ACTCLI_JIT"] = "1"
import numpy as np
import actcli
for name in ("relu", "gelu", "silu"):
    actcli.get(name).value_and_grad(np.zeros(1 << 14))
"""
FUNCTIONS = ("relu", "gelu", "silu")


WRITE_SAMPLE = r"""
import sys
import numpy as np
path, count = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
array = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(count,))
step = 1 << 22
for start in range(0, count, step):
    array[start:start + step] = rng.standard_normal(min(step, count - start), np.float32) * 1.5
array[::1_000_003] = np.nan
array.flush()
"""


def write_sample(path: Path, count: int) -> None:
    # In a process of its own: a child's peak RSS includes what it inherits at fork, so
    # this process stays small.
    subprocess.run([sys.executable, "-c", WRITE_SAMPLE, str(path), str(count)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--values", type=int, default=50_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    from actcli.analysis.stats import QUANTILE_RELATIVE_ERROR

    if importlib.util.find_spec("numba"):
        subprocess.run([sys.executable, "-c", WARM_LOOPS], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        jit = "automatic, with Numba"
    else:
        jit = "Numba is not installed: NumPy"
    stats = [sys.executable, "-m", "actcli", "stats", *FUNCTIONS, "-f", "json", "-i"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "preacts.npy"
        write_sample(path, args.values)
        print(f"{args.values:,} float32 values, {path.stat().st_size / 1e6:.0f} MB; "
              f"stats {' '.join(FUNCTIONS)}; best of {args.repeat}, run in turn")
        contenders = {
            "numpy/scipy (whole array)": ([sys.executable, "-c", BASELINE, str(path)], {}),
            f"actcli ({jit})": ([*stats, str(path)], {"ACTCLI_JIT": ""}),
            "actcli (ACTCLI_JIT=0)": ([*stats, str(path)], {"ACTCLI_JIT": "0"}),
            **({"actcli (ACTCLI_JIT=1)": ([*stats, str(path)], {"ACTCLI_JIT": "1"})}
               if jit.startswith("automatic") else {}),
            "floor: reading the file": ([sys.executable, "-c", FLOOR, str(path)], {}),
        }
        best: dict[str, tuple[float, int, int, str]] = {}
        for _ in range(args.repeat):
            for name, (command, env) in contenders.items():  # in turn: load hits all alike
                result = run(command, **env)
                if name not in best or result[0] < best[name][0]:
                    best[name] = result[:1] + tuple(  # type: ignore[assignment]
                        max(r, b) for r, b in zip(result[1:3], best.get(name, result)[1:3])
                    ) + result[3:]
    base_s, _, _, base_out = best["numpy/scipy (whole array)"]
    print(f"{'':34s}{'wall s':>8}{'M values/s':>12}{'baseline /':>12}{'peak RSS':>10}"
          f"{'anonymous':>11}")
    print(f"{'':34s}{'':>8}{'':>12}{'this':>12}{'MiB':>10}{'MiB':>11}")
    for name, (seconds, rss, anonymous, _) in best.items():
        print(f"{name:34s}{seconds:8.2f}{args.values / seconds / 1e6:12.1f}"
              f"{base_s / seconds:11.2f}x{rss / 2**20:10.0f}{anonymous / 2**20:11.0f}")

    for name in (n for n in best if n.startswith("actcli")):
        worst_moment = worst_quantile = 0.0
        for a, b in zip(json.loads(base_out), json.loads(best[name][3])):
            for key, value in a.items():
                if key.startswith("input_p"):
                    worst_quantile = max(worst_quantile, abs(b[key] - value) / abs(value))
                elif isinstance(value, float) and value:
                    worst_moment = max(worst_moment, abs(b[key] - value) / abs(value))
                else:
                    assert b[key] == value, (name, a["function"], key, b[key], value)
        print(f"{name}: moments and fractions within {worst_moment:.1e} relative of the "
              f"baseline's, quantiles within {worst_quantile:.1e} (stated bound "
              f"{QUANTILE_RELATIVE_ERROR:.1e})")
        assert worst_moment <= 1e-9 and worst_quantile <= QUANTILE_RELATIVE_ERROR


if __name__ == "__main__":
    main()
