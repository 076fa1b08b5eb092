"""What `actcli.watch(model)` costs a training step, and what its summaries hold in memory.

    python benchmarks/watch.py [--steps 10] [--rounds 5] [--threads N]
    ACTCLI_JIT=0 python benchmarks/watch.py     # the summaries with NumPy alone

A training step (forward, backward, SGD step) of an MLP 784-1024-1024-1024-10 (ReLU,
GELU, ReLU) on a batch of 256, timed in rounds that interleave, in the same process:

- plain: the model alone (the baseline),
- watch: inside `actcli.watch(model)` (the summaries of each step waited for),
- watch + 2 what-ifs: `actcli.watch(model, what_if=["silu", "gelu:approximate=tanh"])`.

watch is a long job: with Numba installed, its summaries load their compiled passes and
loops in the background during the first steps; the timing starts once they are loaded
(a training run takes a second or so to get there), and says which engine summarised.

Prints each one's time per step, of the clock and of the process's CPU (which other
jobs on a shared machine disturb less), min and median over the rounds, and its ratio
to the baseline of the same round (the bar: <= 1.2 for watch without what-ifs); then
where the time goes (the copy in the hook, the summary in the background thread, per
module and step), and the memory of the summaries: of this model, and of a model with
48 activation modules (the bars: 2 MB per module, 150 MB for 48).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WHAT_IF = ["silu", "gelu:approximate=tanh"]


def build(seed: int = 0):
    import torch
    from torch import nn

    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.GELU(),
                         nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))


def run_steps(model, optimiser, data, steps: int) -> None:
    import torch

    xb, yb = data
    for _ in range(steps):
        optimiser.zero_grad()
        torch.nn.functional.cross_entropy(model(xb), yb).backward()
        optimiser.step()


def timed(config: str, model, optimiser, data, steps: int) -> tuple[float, float]:
    """Seconds per step, of the clock and of this process's CPU time (all its threads),
    the summaries included (the block waits for them at its end)."""
    import actcli

    start, cpu = time.perf_counter(), time.process_time()
    if config == "plain":
        run_steps(model, optimiser, data, steps)
    else:
        with actcli.watch(model, what_if=WHAT_IF if "what-if" in config else ()):
            run_steps(model, optimiser, data, steps)
    return (time.perf_counter() - start) / steps, (time.process_time() - cpu) / steps


def where_time_goes(model, data, what_if: list[str]) -> list[tuple[str, float, float]]:
    """Per watched module: ms of one step's input copy, and of its summary (run here, in
    this thread, as the background thread runs it)."""
    from actcli.analysis.watch import Watcher, _chunks, _host_copy

    watcher = Watcher(model, what_if=what_if)
    watcher.close()
    inputs = {}
    hooks = [layer.module.register_forward_pre_hook(
        lambda m, args, name=layer.layer: inputs.__setitem__(name, args[0].detach()))
        for layer in watcher.layers]
    model(data[0])
    for hook in hooks:
        hook.remove()
    out = []
    for layer in watcher.layers:
        best_copy = best_summary = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            host, _ = _host_copy(inputs[layer.layer])
            copied = time.perf_counter()
            for chunk in _chunks(host):
                layer.add(chunk)
            done = time.perf_counter()
            best_copy, best_summary = min(best_copy, copied - start), min(best_summary, done - copied)
        out.append((f"{layer.layer} ({layer.class_name})", best_copy * 1e3, best_summary * 1e3))
    return out


def summary_bytes(watch) -> int:
    layers = watch._watcher.layers
    return sum(layer.summary.histogram.nbytes for layer in layers)


def memory_of_many(modules: int, width: int, batch: int, passes: int) -> tuple[int, int]:
    """(bytes held by the summaries, as tracemalloc counts NumPy's allocations; bytes of
    their histograms) for a model of `modules` activation modules after `passes` passes."""
    import torch
    from torch import nn

    import actcli

    torch.manual_seed(0)
    layers: list[nn.Module] = []
    for i in range(modules):
        layers += [nn.Linear(width, width), (nn.ReLU, nn.GELU, nn.SiLU, nn.Tanh)[i % 4]()]
    model = nn.Sequential(*layers)
    x = torch.randn(batch, width)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    with torch.no_grad(), actcli.watch(model) as watch:
        for _ in range(passes):
            model(x)
    report = watch.report()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len({row["layer"] for row in report.rows}) == modules
    return held, summary_bytes(watch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=10, help="steps per timing")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    model = build()
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    generator = torch.Generator().manual_seed(1)
    data = (torch.randn(256, 784, generator=generator), torch.randint(0, 10, (256,), generator=generator))
    configs = ("plain", "watch", "watch + 2 what-ifs")
    run_steps(model, optimiser, data, 3)  # warm up: allocations, kernels
    timed("watch + 2 what-ifs", model, optimiser, data, 1)  # binds the functions once
    from actcli.catalog import compute

    compute.BACKGROUND.wait()  # the compiled passes and loops asked for, if Numba is there
    timed("watch + 2 what-ifs", model, optimiser, data, 1)
    from actcli.analysis.stats import _compiled_passes

    compiled = compute.jit_setting() != "0" and _compiled_passes in compute.BACKGROUND._ready
    times: dict[str, list[tuple[float, float]]] = {c: [] for c in configs}
    for _ in range(args.rounds):
        for config in configs:  # interleaved: load on the machine hits all alike
            times[config].append(timed(config, model, optimiser, data, args.steps))
    print(f"MLP 784-1024-1024-1024-10 (ReLU, GELU, ReLU), batch 256, SGD; torch "
          f"{torch.__version__}, {torch.get_num_threads()} threads; {args.rounds} rounds of "
          f"{args.steps} steps; summaries "
          f"{'compiled (Numba)' if compiled or compute.jit_setting() == '1' else 'NumPy'}")
    for kind, title in ((0, "clock"), (1, "CPU time of the process")):
        print(f"{title}, per step (ratio: to plain in the same round):")
        base = [t[kind] for t in times["plain"]]
        for config in configs:
            mine = [t[kind] for t in times[config]]
            ratios = [t / b for t, b in zip(mine, base)]
            print(f"  {config:20s} min {min(mine) * 1e3:7.1f} ms  median "
                  f"{statistics.median(mine) * 1e3:7.1f} ms   ratio: min {min(ratios):.2f}x "
                  f"median {statistics.median(ratios):.2f}x")
    for what_if, title in (([], "watch"), (WHAT_IF, "watch + 2 what-ifs")):
        print(f"where the time goes ({title}), per step, best of 5:")
        total = 0.0
        for name, copy_ms, summary_ms in where_time_goes(model, data, what_if):
            total += summary_ms
            print(f"  {name:12s} copy in the hook {copy_ms:6.2f} ms   summary (background "
                  f"thread) {summary_ms:6.2f} ms")
        print(f"  summaries: {total:.1f} ms of CPU per step")
    import actcli

    with actcli.watch(model) as watch:
        run_steps(model, optimiser, data, 5)
    per_module = summary_bytes(watch) / len(watch.layers)
    print(f"memory: histograms {per_module / 1e3:.0f} KB per module of this model after 5 steps "
          "(bar: 2 MB)")
    held, histograms = memory_of_many(48, 1024, 256, 5)
    print(f"memory: a model of 48 activation modules (width 1024, batch 256, 5 passes): "
          f"summaries hold {held / 1e6:.1f} MB ({histograms / 1e6:.1f} MB of histograms; "
          "bar: 150 MB)")


if __name__ == "__main__":
    main()
