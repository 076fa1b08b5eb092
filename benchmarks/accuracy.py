"""Accuracy report: actcli's f, f', f'' against the mpmath references of tests/mpref.py.

    python benchmarks/accuracy.py                 # float64, every function
    python benchmarks/accuracy.py --float32       # add a float32 column
    python benchmarks/accuracy.py --only gelu --only silu --cond 100
    python benchmarks/accuracy.py --jit --float32  # the compiled loops (ACTCLI_JIT=1), f and f'

For each function (and non-default parameter set) and order it prints, over the grid of
tests/mpref.py (extremes, tiny values, kinks and roots with their float neighbours, a dense
sweep of [-10, 10]):

  * max ulp  - the worst error in float64 ulps (of the exact value) over the points where
               the problem is well conditioned: cond = |x g'(x) / g(x)| <= --cond (default
               10) for g = f^(order), excluding points near an irrational root r of g
               (within mpref.ROOT_WINDOW * max(1,|r|)) and points where g = 0. The
               condition number is a central difference of the 60-digit reference with
               relative step 1e-25 (so a kink inside the step shows up as ill-conditioned);
  * at x     - where it occurs;
  * max rel  - the worst relative error over all other points, conditioning regardless:
               |err| / max(|exact|, floor) with floor = 1e-300 (float64) or 2^-126
               (float32), the absolute floors of tests/test_accuracy.py (so results that
               underflow do not count as 100 % errors); exact results that overflow count
               0 when the result is that infinity, else inf; with the x where it occurs;
  * root abs - near irrational roots of g (where relative error is meaningless): the worst
               |err| / max(1, |x|), to compare with the tests' 1e-15 allowance ("-": g has
               no such root);
  * n, wc    - points in the grid, and how many are well conditioned.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings
from pathlib import Path

import mpmath
import numpy as np
from mpmath import mp, mpf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import mpref  # noqa: E402

ORDER_NAMES = ("f", "df", "d2f")
STEP = mpf("1e-25")


def condition(name: str, order: int, x: float, params: dict) -> float:
    """|x g'(x)/g(x)| for g = f^(order), by a central difference of the reference."""
    g = mpref.reference(name, order, x, **params)
    if x == 0:
        return 0.0 if g != 0 else math.inf
    if g == 0 or not mpmath.isfinite(g):
        return math.inf
    with mp.workdps(mpref.DEFAULT_DPS + 15):
        xm = mpf(x)
        up = mpref.reference(name, order, xm * (1 + STEP), **params)
        down = mpref.reference(name, order, xm * (1 - STEP), **params)
        return float(abs((up - down) / (2 * STEP * g)))


def evaluate(act, order: int, xs: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray((act.f, act.df, act.d2f)[order](xs))


FLOORS = {"float64": mpf("1e-300"), "float32": mpf(2) ** -126}


def measure(name, params, order, act, dtype, cond_bound):
    grid = mpref.float64_grid if dtype == "float64" else mpref.float32_grid
    floor = FLOORS[dtype]
    root_abs = None
    xs = grid(name, **params)
    out = evaluate(act, order, xs)
    worst_ulp, worst_ulp_x = 0.0, None
    worst_rel, worst_rel_x = 0.0, None
    n_wc = 0
    for x, c in zip(xs.tolist(), out.tolist()):
        exact = mpref.reference(name, order, x, **params)
        ulps = mpref.ulp_error(c, exact, dtype)
        rounded = mpref.round_to(exact, dtype)
        if mpref.near_root(name, order, x, dtype, **params):
            scaled = float(mpref.abs_error(c, exact)) / max(1.0, abs(x))
            root_abs = scaled if root_abs is None else max(root_abs, scaled)
            continue
        if math.isinf(rounded):
            rel = 0.0 if c == rounded else math.inf
        else:
            rel = float(mpref.abs_error(c, exact) / max(abs(exact), floor))
        if rel > worst_rel or worst_rel_x is None:
            worst_rel, worst_rel_x = rel, x
        if condition(name, order, x, params) > cond_bound:
            continue
        n_wc += 1
        if ulps > worst_ulp or worst_ulp_x is None:
            worst_ulp, worst_ulp_x = ulps, x
    return len(xs), n_wc, worst_ulp, worst_ulp_x, worst_rel, worst_rel_x, root_abs


def fmt_x(x) -> str:
    return "-" if x is None else f"{x:.6g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--float32", action="store_true", help="also measure float32")
    parser.add_argument("--cond", type=float, default=10.0, help="condition-number bound")
    parser.add_argument("--only", action="append", default=[], help="function name (repeat)")
    parser.add_argument("--jit", action="store_true",
                        help="the compiled loops of ACTCLI_JIT=1 (needs Numba), on every array")
    args = parser.parse_args(argv)

    import os

    import actcli

    orders = (0, 1, 2)
    configs = [(n, p) for n, p in mpref.CONFIGS if not args.only or n in args.only]
    if args.jit:
        from actcli.catalog import compute, jit

        os.environ[compute.JIT_SETTING] = "1"
        compute.JIT_FROM = 1
        orders = (0, 1)  # (f'' is NumPy's)
        configs = [(n, p) for n, p in configs if n in jit.NAMES]
    dtypes = ["float64"] + (["float32"] if args.float32 else [])
    header = f"{'function':<33} {'ord':<3} {'dtype':<7} {'n':>4} {'wc':>4} " \
             f"{'max ulp':>9} {'at x':>13} {'max rel':>9} {'at x':>13} {'root abs':>9}"  # fmt: skip
    print(f"actcli accuracy vs mpmath ({mpref.DEFAULT_DPS} digits); "
          f"max ulp over points with cond <= {args.cond:g}, away from roots")  # fmt: skip
    print(header)
    print("-" * len(header))
    start = time.time()
    summary: dict[str, float] = {}
    for name, params in configs:
        act = actcli.get(name, **params)
        label = mpref.label(name, params)
        for order in orders:
            for dtype in dtypes:
                n, n_wc, ulp, ulp_x, rel, rel_x, root_abs = measure(
                    name, params, order, act, dtype, args.cond)  # fmt: skip
                root = "-" if root_abs is None else f"{root_abs:.2g}"
                print(f"{label:<33} {ORDER_NAMES[order]:<3} {dtype:<7} {n:>4} {n_wc:>4} "
                      f"{ulp:>9.3g} {fmt_x(ulp_x):>13} {rel:>9.2g} {fmt_x(rel_x):>13} {root:>9}")  # fmt: skip
                key = f"{dtype} {ORDER_NAMES[order]}"
                old = summary.get(key, (0.0, 0.0, ""))
                summary[key] = (max(old[0], ulp), max(old[1], rel), old[2])
                if ulp >= old[0]:
                    summary[key] = (ulp, summary[key][1], label)
    print("-" * len(header))
    for key, (ulp, rel, label) in summary.items():
        print(f"{key:<11}: worst well-conditioned {ulp:.3g} ulp ({label}); "
              f"worst relative (floored) {rel:.2g}")
    print(f"({time.time() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
