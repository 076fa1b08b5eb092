"""Time `actcli.analysis.depth` at the default size against the bare matrix products it must do.

The baseline is the floor: 2 * layers matmuls of (batch x width) @ (width x width), the
forward and backward pass with nothing else. The ratio is what statistics, activation
calls, rescaling and weight generation cost on top. Run: python benchmarks/depth.py
(set OPENBLAS_NUM_THREADS=1 on a shared machine: oversubscribed BLAS threads dominate).
"""

from __future__ import annotations

import time

import actcli
from actcli.analysis.depth import DepthConfig, build_network, explore, profile

REPEATS = 5


def best_of(run) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    for dtype in ("float64", "float32"):
        config = DepthConfig(dtype=dtype)  # the defaults: 50 layers x 256 wide x 256 batch
        network = build_network(config)
        h = network.inputs

        def bare_matmuls() -> None:
            for w in network.weights:
                h @ w
            for w in network.weights[::-1]:
                h @ w.T

        floor = best_of(bare_matmuls)
        build = best_of(lambda: build_network(config))
        print(f"{dtype}: {config.layers} layers x {config.width} wide x {config.batch} batch")
        print(f"  baseline (2L bare matmuls)  {floor * 1e3:7.1f} ms")
        print(f"  build_network               {build * 1e3:7.1f} ms")
        for name in ("identity", "relu", "tanh", "sigmoid", "gelu"):
            act = actcli.get(name)
            seconds = best_of(lambda: profile(act, network))
            print(f"  profile {name:<19} {seconds * 1e3:7.1f} ms  {seconds / floor:5.2f}x baseline")
        acts = [actcli.get(n) for n in ("relu", "tanh", "sigmoid")]
        seconds = best_of(lambda: explore(acts, config))
        print(f"  explore relu,tanh,sigmoid   {seconds * 1e3:7.1f} ms  "
              f"{seconds / floor:5.2f}x baseline")


if __name__ == "__main__":
    main()
