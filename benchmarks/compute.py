"""Speed of f and f' together on large arrays: actcli's value_and_grad against PyTorch.

    python benchmarks/compute.py                    # 10M values, float64 and float32
    python benchmarks/compute.py --size 1e6 --only silu --only gelu
    python benchmarks/compute.py --first-call       # a fresh process's calls, automatic
    python benchmarks/compute.py --cpu              # CPU time: steadier on a shared machine
    python benchmarks/compute.py --tune             # the chunk size and threshold sweeps

actcli runs three ways: with NumPy (ACTCLI_JIT=0), with the compiled loops of
actcli.catalog.jit (ACTCLI_JIT=1; when Numba is installed: pip install 'actcli[fast]'),
and automatically (ACTCLI_JIT unset: NumPy until the loops have loaded in the
background; timed here once they have, `auto / compiled` being the ratio to the forced
loops). --first-call runs fresh processes instead: the first call on NumPy alone
against the automatic mode's first call (which must not be slower: the loading starts
after it), and the times of the automatic mode's next calls as the loops arrive.
The baseline, measured in the same run, is PyTorch on the CPU when it is importable
(forward, then autograd's backward of the sum, with torch.set_num_threads equal to
actcli's thread count), else the plain one-pass NumPy formula (f, then f' from it).
Every time is the best of --repeat rounds; in each round the contenders run in a new
random order, so that neither machine load nor PyTorch's threads, which spin for a
while after each call, favour one of them. `ratio` is baseline time / actcli time:
above 1 actcli is faster. `f, df` is actcli's two separate NumPy calls, for what the
fusion saves. The compiled loops' one-time cost per process (importing Numba, loading
or compiling the loops) is printed apart: the rounds are timed after it.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import actcli  # noqa: E402
from actcli.catalog import compute  # noqa: E402

FUNCTIONS = ("sigmoid", "tanh", "softplus", "silu", "gelu", "relu", "elu", "mish")


def _numpy_baselines() -> dict[str, Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]]:
    """The textbook formulas, one pass each, no care for the tails."""
    from scipy.special import ndtr

    def sigmoid(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = 1 / (1 + np.exp(-x))
        return s, s * (1 - s)

    def tanh(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t = np.tanh(x)
        return t, 1 - t * t

    def softplus(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.logaddexp(x, 0), 1 / (1 + np.exp(-x))

    def silu(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = 1 / (1 + np.exp(-x))
        return x * s, s * (1 + x * (1 - s))

    def gelu(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = ndtr(x)
        return x * p, p + x * np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi)

    def relu(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.maximum(x, 0), (x > 0).astype(x.dtype)

    def elu(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        e = np.exp(np.minimum(x, 0))
        return np.where(x > 0, x, e - 1), np.where(x > 0, 1, e)

    def mish(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        t = np.tanh(np.logaddexp(x, 0))
        s = 1 / (1 + np.exp(-x))
        return x * t, t + x * (1 - t * t) * s

    return {f.__name__: f for f in (sigmoid, tanh, softplus, silu, gelu, relu, elu, mish)}


def _torch_baselines(threads: int) -> dict[str, Callable[[np.ndarray], Any]] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    functional = torch.nn.functional
    ops = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "softplus": functional.softplus,
           "silu": functional.silu, "gelu": functional.gelu, "relu": torch.relu,
           "elu": functional.elu, "mish": functional.mish}

    def run(op: Callable[[Any], Any]) -> Callable[[np.ndarray], Any]:
        def forward_backward(x: np.ndarray) -> Any:
            leaf = torch.from_numpy(x).requires_grad_(True)
            y = op(leaf)
            y.sum().backward()
            return y, leaf.grad

        return forward_backward

    return {name: run(op) for name, op in ops.items()}


# Wall-clock time; --cpu: the process's CPU time, all threads together, which a shared
# machine disturbs far less (for comparing two ways of doing the same work).
CLOCK = time.perf_counter


def best_of(contenders: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """The best time of each, the contenders taking turns in a new random order each round."""
    best = dict.fromkeys(contenders, float("inf"))
    order = list(contenders)
    shuffle = random.Random(0).shuffle
    for _ in range(repeat):
        shuffle(order)
        for label in order:
            start = CLOCK()
            contenders[label]()
            best[label] = min(best[label], CLOCK() - start)
    return best


def engine(setting: str, run: Callable[[], Any]) -> Callable[[], Any]:
    """`run` with ACTCLI_JIT set to `setting`: "1" (compiled loops), "0" (NumPy) or ""
    (automatic)."""
    def switched() -> Any:
        os.environ[compute.JIT_SETTING] = setting
        try:
            return run()
        finally:
            os.environ.pop(compute.JIT_SETTING)

    return switched


def jit_start_up() -> float | None:
    """Seconds to import Numba and load (or compile) every benchmarked loop, or None
    without Numba."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return None
    start = time.perf_counter()
    x = np.zeros(compute.JIT_FROM)
    for name in FUNCTIONS:
        for dtype in (np.float64, np.float32):
            engine("1", lambda: actcli.get(name).value_and_grad(x.astype(dtype)))()
    return time.perf_counter() - start


def compare(size: int, repeat: int, only: list[str]) -> None:
    threads = compute.threads()
    torch_runs = _torch_baselines(threads)
    baseline = torch_runs or _numpy_baselines()
    base_name = "torch" if torch_runs else "numpy"
    if torch_runs:
        import torch

        print(f"baseline: PyTorch {torch.__version__} CPU, forward + backward of the sum")
    else:
        print("baseline: the one-pass NumPy formula (PyTorch is not installed)")
    started = jit_start_up()
    if started is None:
        print("compiled loops: Numba is not installed (pip install 'actcli[fast]')")
    else:
        print(f"compiled loops: {started:.2f} s to import Numba and load or compile them, once")
    clock = "CPU seconds" if CLOCK is time.process_time else "seconds"
    print(f"{size:,} values, {threads} thread(s), best of {repeat}, {clock}; "
          f"ratio = {base_name} / actcli\n")
    print(f"{'function':<10}{'dtype':>8}{'numpy':>10}{'f, df':>10}{'compiled':>10}{'auto':>10}"
          f"{base_name:>10}{'ratio':>8}{'ratio':>10}{'auto /':>10}")
    print(f"{'':<18}{'':>40}{'':>10}{'numpy':>8}{'compiled':>10}{'compiled':>10}")
    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        x = (rng.standard_normal(size) * 4).astype(dtype)
        for name in only or FUNCTIONS:
            act = actcli.get(name)
            contenders = {
                "numpy": engine("0", lambda: act.value_and_grad(x)),
                "separate": engine("0", lambda: (act.f(x), act.df(x))),
                "base": lambda: baseline[name](x),
            }
            if started is not None:
                contenders["compiled"] = engine("1", lambda: act.value_and_grad(x))
                contenders["auto"] = engine("", lambda: act.value_and_grad(x))
                contenders["auto"]()  # its first call asks for the loop ...
                compute.BACKGROUND.wait()  # ... which the calls timed then use
            times = best_of(contenders, repeat)
            compiled, auto = times.get("compiled"), times.get("auto")
            print(f"{name:<10}{np.dtype(dtype).name:>8}{times['numpy']:>9.4f}s"
                  f"{times['separate']:>9.4f}s"
                  + (f"{compiled:>9.4f}s{auto:>9.4f}s" if compiled and auto else f"{'-':>10}" * 2)
                  + f"{times['base']:>9.4f}s{times['base'] / times['numpy']:>7.2f}x"
                  + (f"{times['base'] / compiled:>9.2f}x{auto / compiled:>9.2f}x"
                     if compiled and auto else f"{'-':>10}" * 2), flush=True)


FIRST_CALLS = """
import sys, time
import numpy as np
import actcli
name, size, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
x = np.random.default_rng(0).standard_normal(size) * 4
act = actcli.get(name)
act.value_and_grad(x[:1000])  # the record's import and first small call, apart
times = []
for _ in range(calls):
    start = time.perf_counter()
    act.value_and_grad(x)
    times.append(time.perf_counter() - start)
print(" ".join(map(str, times)))
"""


def first_calls(size: int, repeat: int, only: list[str], calls: int = 6) -> None:
    """Fresh processes, NumPy alone and automatic in turn: the first call of each, and the
    automatic mode's next calls (NumPy while the loops load, then compiled)."""
    import statistics
    import subprocess

    root = str(Path(__file__).resolve().parents[1])
    if jit_start_up() is None:  # (compiles the loops if Numba's cache has none)
        print("Numba is not installed (pip install 'actcli[fast]'): nothing to compare")
        return
    print(f"{size:,} values, float64, {compute.threads()} thread(s); fresh processes, "
          f"{repeat} of each, in turn; seconds")
    print(f"{'function':<10}{'first call: numpy':>19}{'auto':>16}{'auto/numpy':>12}"
          f"   auto, calls 2-{calls} (median)")
    print(f"{'':<10}{'best   median':>19}{'best   median':>16}{'medians':>12}")
    for name in only or FUNCTIONS:
        runs: dict[str, list[list[float]]] = {"0": [], "": []}
        for _ in range(repeat):
            for setting in runs:
                env = {**os.environ, compute.JIT_SETTING: setting, "PYTHONPATH": root}
                done = subprocess.run([sys.executable, "-c", FIRST_CALLS, name, str(size),
                                       str(calls if setting == "" else 1)],
                                      capture_output=True, text=True, env=env, check=True)
                runs[setting].append([float(t) for t in done.stdout.split()])
        firsts = {setting: [r[0] for r in rs] for setting, rs in runs.items()}
        numpy_median, auto_median = (statistics.median(firsts[s]) for s in ("0", ""))
        later = [statistics.median(r[k] for r in runs[""]) for k in range(1, calls)]
        print(f"{name:<10}{min(firsts['0']):>10.3f}{numpy_median:>9.3f}"
              f"{min(firsts['']):>7.3f}{auto_median:>9.3f}{auto_median / numpy_median:>11.2f}x"
              f"   {' '.join(f'{t:.3f}' for t in later)}", flush=True)


def tune(repeat: int) -> None:
    """Sweep the two constants of actcli.catalog.compute on sigmoid's value_and_grad."""
    act = actcli.get("sigmoid")
    rng = np.random.default_rng(0)
    print("chunk size (10M values, threads as configured): float64, float32")
    x64 = rng.standard_normal(10_000_000) * 4
    x32 = x64.astype(np.float32)
    saved = compute.CHUNK_BYTES, compute.PARALLEL_FROM
    try:
        for chunk_bytes in (1 << 14, 1 << 15, 1 << 16, 1 << 17, 1 << 18, 1 << 20, 1 << 23):
            compute.CHUNK_BYTES = chunk_bytes
            t = best_of({"64": lambda: act.value_and_grad(x64),
                         "32": lambda: act.value_and_grad(x32)}, repeat)
            print(f"  {chunk_bytes >> 10:>6} KiB  {t['64']:.4f} s  {t['32']:.4f} s", flush=True)
        compute.CHUNK_BYTES = saved[0]
        print("threshold: whole array at once vs chunked on the pool (us per call):")
        for dtype in (np.float64, np.float32):
            for size in (1 << 14, 1 << 15, 1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 20):
                x = (rng.standard_normal(size) * 4).astype(dtype)
                run = {"run": lambda: act.value_and_grad(x)}
                compute.PARALLEL_FROM = size + 1
                whole = best_of(run, repeat * 4)["run"]
                compute.PARALLEL_FROM = 1
                chunked = best_of(run, repeat * 4)["run"]
                print(f"  {np.dtype(dtype).name} {size:>8}  whole {whole * 1e6:>7.0f}"
                      f"  chunked {chunked * 1e6:>7.0f}", flush=True)
    finally:
        compute.CHUNK_BYTES, compute.PARALLEL_FROM = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1e7, help="values per array (10M)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per contender (best of)")
    parser.add_argument("--only", action="append", default=[], choices=FUNCTIONS)
    parser.add_argument("--tune", action="store_true", help="sweep chunk size and threshold")
    parser.add_argument("--first-call", action="store_true",
                        help="fresh processes: NumPy alone against the automatic mode")
    parser.add_argument("--cpu", action="store_true",
                        help="time CPU seconds (all threads) instead of wall-clock seconds")
    args = parser.parse_args()
    if args.cpu:
        global CLOCK
        CLOCK = time.process_time
    if args.tune:
        tune(args.repeat)
    elif args.first_call:
        first_calls(int(args.size), args.repeat, args.only)
    else:
        compare(int(args.size), args.repeat, args.only)


if __name__ == "__main__":
    main()
