"""Evaluate elementwise kernels on large arrays: cache-sized chunks on a thread pool.

A kernel maps a float32/float64 array to a tuple of arrays of the same shape (f, or f
and f' together). Below `PARALLEL_FROM` elements it runs once on the whole array, as it
always did. Above, the input is cut into chunks of `CHUNK_BYTES`, small enough that a
kernel's temporaries stay in the L2 cache, and the chunks are shared out among
`threads()` workers that write into preallocated outputs; NumPy's ufuncs release the
GIL, so the workers run in parallel. Kernels must be elementwise, which every catalog
record is: a chunk's results never depend on the other chunks.

NaN inputs are propagated here (the result is the input NaN) so kernels need no care.

Arrays of `JIT_FROM` values or more can instead run compiled loops (`catalog.jit`,
Numba) when `ACTCLI_JIT=1`: a caller that names its record and the derivatives it wants
(`Compiled`) gets them from the record's loop, on the same thread pool, if it has one.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from actcli.errors import RunError

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

Array = NDArray[np.floating]
Kernel = Callable[[Array], tuple[Array, ...]]

# Measured with `benchmarks/compute.py --tune` on 2 shared cores (AMD EPYC, 1 MiB of L2
# per core), sigmoid's value_and_grad, float64 and float32 alike: below about 2**17
# values the pool gains nothing over one call on the whole array, at 2**20 it is 2-4x
# faster; on 10M values 32-128 KiB chunks are fastest, 1 MiB spills out of L2. When both
# cores are free, 128 KiB beats 64 KiB in every row of `benchmarks/compute.py` (the two
# sizes alternating in one session, twice each: 1.2-1.5x): every NumPy call is a hand-over
# of the GIL between the two workers, and longer calls mean fewer of them. 256 KiB spills
# out of L2 for the kernels with most temporaries (mish, gelu in float32: 2-3x slower).
PARALLEL_FROM = 1 << 17
CHUNK_BYTES = 1 << 17


MAX_THREADS = 256  # a larger $ACTCLI_THREADS is taken as this

# Measured on 2 cores, sigmoid and gelu's value_and_grad: the compiled loops are faster
# than NumPy from about 2^10 values, 2.5x at 2^14; below 2^14 (a plot's curve, a table)
# the few microseconds gained would not be worth importing Numba in a process that has
# no larger array. (That import, with loading the loops, costs about a second once per
# process: why the compiled path is asked for, not automatic.)
JIT_FROM = 1 << 14
# Values per chunk of a compiled loop: it keeps no temporaries, so chunks need not fit
# a cache; they only have to be many enough to keep every thread busy to the end.
JIT_CHUNK = 1 << 16
JIT_SETTING = "ACTCLI_JIT"


@dataclass(frozen=True)
class Compiled:
    """A record's compiled loop, wanted for f (order 0) and/or f' (1), in that order."""

    make: Callable[..., Callable[..., None]]  # the record's `compiled` field
    params: Mapping[str, Any]
    orders: tuple[int, ...]


class JitUnavailableError(RunError, ImportError):
    """ACTCLI_JIT=1, but Numba cannot be imported; the message says what to do."""


def jit_requested() -> bool:
    """$ACTCLI_JIT is 1: large arrays go through the compiled loops (anything else: NumPy)."""
    return os.environ.get(JIT_SETTING, "").strip() == "1"


def threads() -> int:
    """Workers for large arrays: $ACTCLI_THREADS if it is a whole number >= 1, else the
    CPUs this process may use (an unusable setting is ignored, as OMP_NUM_THREADS is)."""
    setting = os.environ.get("ACTCLI_THREADS", "").strip()
    if setting.isascii() and setting.isdigit() and int(setting) >= 1:
        return min(int(setting), MAX_THREADS)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


# One pool of helper threads per thread count (the count changes only with the setting);
# the caller's thread is always one of the workers.
_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()
# Set in a pool's threads: a kernel that evaluates a large array there (a formula calling
# a catalog function on its chunk) runs it in that thread rather than waiting on the pool.
_IN_WORKER = threading.local()


def _pool(helpers: int) -> ThreadPoolExecutor:
    with _POOLS_LOCK:
        if helpers not in _POOLS:
            from concurrent.futures import ThreadPoolExecutor  # only large arrays need it

            _POOLS[helpers] = ThreadPoolExecutor(helpers, thread_name_prefix="actcli")
        return _POOLS[helpers]


def evaluate(kernel: Kernel, x: Array, compiled: Compiled | None = None) -> tuple[Array, ...]:
    """`kernel(x)` with NaN propagated and every result of x's shape and dtype; for a
    large array with ACTCLI_JIT=1, the same results from the `compiled` loop if any."""
    if compiled is not None and x.size >= JIT_FROM and jit_requested():
        return _run_compiled(_compiled_loop(compiled), compiled.orders, x)
    if x.size >= PARALLEL_FROM:
        return _chunked(kernel, x)
    array = x.reshape(1) if x.ndim == 0 else x  # ufuncs make 0-d into scalars, which out= rejects
    return tuple(np.where(np.isnan(array), array, r).astype(x.dtype, copy=False).reshape(x.shape)
                 for r in kernel(array))


def _chunked(kernel: Kernel, x: Array) -> tuple[Array, ...]:
    flat = np.ascontiguousarray(x).reshape(-1)
    step = max(1, CHUNK_BYTES // x.itemsize)
    chunks = range(0, flat.size, step)
    outputs: list[Array] = []

    def run(chunk: slice) -> None:
        part = flat[chunk]
        results = kernel(part)
        if not outputs:  # the first chunk tells how many results the kernel gives
            outputs.extend(np.empty(flat.size, x.dtype) for _ in results)
        nan = np.isnan(part)
        propagate = bool(nan.any())
        for out, result in zip(outputs, results):
            out[chunk] = result
            if propagate:
                np.copyto(out[chunk], part, where=nan)

    run(slice(0, step))
    workers = 1 if getattr(_IN_WORKER, "active", False) else min(threads(), len(chunks) - 1)
    if workers > 0:
        _share(run, [slice(start, start + step) for start in chunks[1:]], workers)
    return tuple(out.reshape(x.shape) for out in outputs)


def _compiled_loop(compiled: Compiled) -> Callable[..., None]:
    try:
        return compiled.make(**compiled.params)
    except ImportError as error:  # the loops import Numba
        raise JitUnavailableError(
            f"{JIT_SETTING}=1 asks for compiled kernels, which need Numba ({error}): "
            f"pip install 'actcli[fast]', or unset {JIT_SETTING}") from None


def _run_compiled(loop: Callable[..., None], orders: tuple[int, ...], x: Array) -> tuple[Array, ...]:
    """The loop over x in chunks on the pool, writing f and/or f' straight into the results."""
    flat = np.ascontiguousarray(x).reshape(-1)
    unused = np.empty(0, x.dtype)
    value = np.empty(flat.size, x.dtype) if 0 in orders else unused
    slope = np.empty(flat.size, x.dtype) if 1 in orders else unused
    want = 2 if len(orders) == 2 else orders[0]  # the loops' code: f 0, f' 1, both 2

    def run(chunk: slice) -> None:
        loop(flat[chunk], value[chunk], slope[chunk], want)

    chunks = [slice(start, start + JIT_CHUNK) for start in range(0, flat.size, JIT_CHUNK)]
    if getattr(_IN_WORKER, "active", False):
        run(slice(0, flat.size))
    else:
        _share(run, chunks, min(threads(), len(chunks)))
    results = {0: value, 1: slope}
    return tuple(results[order].reshape(x.shape) for order in orders)


def _share(run: Callable[[slice], None], chunks: list[slice], workers: int) -> None:
    """Run every chunk once on `workers` threads, the caller's thread being one of them.

    Each worker takes the next chunk as it finishes one, so a worker the OS delays holds
    no one up. Workers inherit the caller's floating-point error settings."""
    claim = itertools.count()  # next() on a count is atomic under the GIL
    errors = np.geterr()
    stop = False

    def worker() -> None:
        nonlocal stop
        outer, _IN_WORKER.active = getattr(_IN_WORKER, "active", False), True
        try:
            with np.errstate(**errors):
                while not stop and (i := next(claim)) < len(chunks):
                    run(chunks[i])
        except BaseException:
            stop = True  # the others take no further chunk
            raise
        finally:
            _IN_WORKER.active = outer

    pool = _pool(threads() - 1) if workers > 1 else None
    helpers = [pool.submit(contextvars.copy_context().run, worker)  # type: ignore[union-attr]
               for _ in range(workers - 1)]
    try:
        worker()
    finally:
        stop = True
        for future in helpers:
            future.exception()  # wait, so no worker outlives the call
    for future in helpers:
        future.result()  # re-raise a worker's exception
