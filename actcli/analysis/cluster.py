"""`actcli stats` on a Dask cluster: files, and shards of large .npy files, are summarised
on the workers and the summaries merged there (the merge is exact up to rounding, so the
result equals a local run).

The workers read the files by the same paths, so they need the files (a shared file
system, or the same copies). Dask is an optional extra (`pip install 'actcli[dask]'`)
imported only here, inside `summarise`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from actcli.analysis.stats import DEFAULT_SATURATION, Accumulator
from actcli.errors import RunError

SHARD = 1 << 24  # values per task of a large .npy file (128 MiB of float64)


class ClusterError(RunError):
    """The cluster cannot be used (Dask missing, scheduler unreachable); one line."""


def _summarise_piece(functions: tuple[str, ...], saturation: float, path: str,
                     key: str | None, column: str | None, start: int | None,
                     stop: int | None) -> Accumulator:
    from actcli.data import tensors

    summary = Accumulator(functions, saturation)
    pieces = (tensors.npy_range_chunks(path, start, stop) if start is not None and stop is not None
              else tensors.file_chunks(path, key=key, column=column))
    for chunk in pieces:
        summary.add(chunk)
    return summary


def _merge(a: Accumulator, b: Accumulator) -> Accumulator:
    # A copy: Dask may hand the same in-memory result to a retried or second task.
    return a.copy().merge(b)


def pieces(sources: Sequence[str], shard: int = SHARD) -> list[tuple[str, int | None, int | None]]:
    """(path, start, stop) per task: a .npy file in shards of `shard` values, another file whole."""
    from actcli.data import tensors

    tasks: list[tuple[str, int | None, int | None]] = []
    for path in tensors.expand(sources):
        if path == "-":
            raise tensors.TensorInputError("stdin cannot be sent to a cluster: give files with -i")
        if os.path.splitext(path)[1].lower() == ".npy" and os.path.isfile(path):
            count = tensors.npy_count(path)
            tasks.extend((path, start, min(start + shard, count)) for start in range(0, count, shard))
        else:
            tasks.append((path, None, None))
    return tasks


def summarise(address: str, functions: Sequence[str], sources: Sequence[str], *,
              key: str | None = None, column: str | None = None,
              saturation: float = DEFAULT_SATURATION, shard: int = SHARD) -> Accumulator:
    """The summary of `sources` computed on the Dask cluster at `address`."""
    functions = tuple(functions)
    Accumulator(functions, saturation)  # bad specs fail here, not on a worker
    tasks = pieces(sources, shard)
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("--scheduler needs Dask: pip install 'actcli[dask]'") from None
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address!r}: {error}") from None
    with client:
        paths, starts, stops = zip(*tasks) if tasks else ((), (), ())
        futures = client.map(_summarise_piece, [functions] * len(tasks), [saturation] * len(tasks),
                             paths, [key] * len(tasks), [column] * len(tasks), starts, stops,
                             pure=False)
        while len(futures) > 1:  # a tree of merges on the workers
            pairs = [client.submit(_merge, a, b, pure=False)
                     for a, b in zip(futures[::2], futures[1::2])]
            futures = pairs + ([futures[-1]] if len(futures) % 2 else [])
        return futures[0].result() if futures else Accumulator(functions, saturation)
