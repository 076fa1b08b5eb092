"""Throughput and memory of `actcli stats relu gelu` on a large .npy, against NumPy/SciPy.

    python benchmarks/stats.py [--values 50000000] [--repeat 1]

Writes a float32 .npy of --values standard normal values (200 MB at 50M) into a temporary
directory, then runs in turn, in separate processes, --repeat times each (best time):

- baseline: a NumPy/SciPy script that loads the whole array and computes the same figures
  (np.quantile, exact; relu and gelu from their formulas with scipy.special.ndtr),
- actcli: `python -m actcli stats relu gelu -i FILE -f json`.

Prints values/s of each, the throughput ratio (actcli / baseline; the bar is >= 1.0),
the peak RSS of each process (the bar for actcli is <= 150 MB), and checks that the
two agree (moments to 1e-9 relative, quantiles to actcli's stated accuracy).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASELINE = r"""
import json, sys
import numpy as np
from scipy import special

x = np.load(sys.argv[1]).astype(np.float64)
nan = np.isnan(x)
nan_count = int(nan.sum())
if nan_count:
    x = x[~nan]
shared = {"n": len(x), "nan_count": nan_count, "input_mean": float(np.mean(x)),
          "input_std": float(np.std(x)), "input_min": float(x.min()), "input_max": float(x.max())}
q = np.quantile(x, [0.01, 0.5, 0.99])
shared.update(input_p01=float(q[0]), input_p50=float(q[1]), input_p99=float(q[2]))
top_gelu = special.ndtr(2**0.5) + 2**0.5 * np.exp(-1) / np.sqrt(2 * np.pi)
out = []
for name in ("relu", "gelu"):
    if name == "relu":
        y, g, top = np.maximum(x, 0), (x > 0).astype(np.float64), 1.0
    else:
        cdf = special.ndtr(x)
        y, g, top = x * cdf, cdf + x * np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi), top_gelu
    a = np.abs(g)
    out.append({"function": name, **shared, "mean": float(y.mean()), "std": float(y.std()),
                "mean_grad": float(g.mean()), "mean_grad_sq": float(np.mean(g * g)),
                "dead_fraction": float(np.mean(g == 0)),
                "saturated_fraction": float(np.mean((a > 0) & (a < 0.05 * top)))})
    del y, g, a
print(json.dumps(out))
"""


def run(command: list[str]) -> tuple[float, int, str]:
    """Wall time, peak RSS (bytes) and stdout of one process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, cwd=ROOT,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode()
    if status:
        raise SystemExit(f"{command[:4]} failed with status {status}")
    return elapsed, usage.ru_maxrss * 1024, text


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

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "preacts.npy"
        write_sample(path, args.values)
        print(f"{args.values:,} float32 values, {path.stat().st_size / 1e6:.0f} MB")
        contenders = {
            "numpy/scipy (whole array)": [sys.executable, "-c", BASELINE, str(path)],
            "actcli stats relu gelu": [sys.executable, "-m", "actcli", "stats", "relu", "gelu",
                                       "-i", str(path), "-f", "json"],
        }
        best: dict[str, tuple[float, int, str]] = {}
        for _ in range(args.repeat):
            for name, command in contenders.items():  # in turn: load hits both alike
                result = run(command)
                if name not in best or result[0] < best[name][0]:
                    best[name] = (result[0], max(result[1], best.get(name, result)[1]), result[2])
    for name, (seconds, rss, _) in best.items():
        print(f"{name:28s} {seconds:7.2f} s  {args.values / seconds / 1e6:6.1f} M values/s  "
              f"peak RSS {rss / 2**20:7.0f} MiB")
    (base_s, _, base_out), (ours_s, ours_rss, ours_out) = best.values()
    ratio = base_s / ours_s
    print(f"throughput ratio actcli/baseline: {ratio:.2f}x (bar >= 1.0); "
          f"actcli peak RSS {ours_rss / 2**20:.0f} MiB (bar <= 150 MB = 143 MiB)")

    worst_moment = worst_quantile = 0.0
    for a, b in zip(json.loads(base_out), json.loads(ours_out)):
        for key, value in a.items():
            if key.startswith("input_p"):
                worst_quantile = max(worst_quantile, abs(b[key] - value) / abs(value))
            elif isinstance(value, float) and value:
                worst_moment = max(worst_moment, abs(b[key] - value) / abs(value))
            else:
                assert b[key] == value, key
    print(f"agreement: moments and fractions within {worst_moment:.1e} relative, "
          f"quantiles within {worst_quantile:.1e} (stated bound {QUANTILE_RELATIVE_ERROR:.1e})")
    assert worst_moment <= 1e-9 and worst_quantile <= QUANTILE_RELATIVE_ERROR


if __name__ == "__main__":
    main()
