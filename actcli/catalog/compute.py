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
Numba): a caller that names its record and the derivatives it wants (`Compiled`) gets
them from the record's loop, on the same thread pool, if it has one. `ACTCLI_JIT=1`
asks for the loops at once, `ACTCLI_JIT=0` never. Otherwise, with Numba installed,
they come by themselves once a job shows it is long (`Background`): `AUTO_AFTER`
seconds spent in NumPy kernels that have a loop, an array of `AUTO_FROM` values, or the
job saying so (`expect_long_job`). A background thread then imports Numba and loads
the loops while NumPy goes on, and each chunk after that runs compiled. Short commands
never import Numba.
"""

from __future__ import annotations

import contextvars
import functools
import importlib.util
import itertools
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

import numpy as np
from numpy.typing import NDArray
from actcli.errors import RunError

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

Array = NDArray[np.floating]
Kernel = Callable[[Array], tuple[Array, ...]]

# Below this the pool gains nothing over one call on the whole array; chunks of this
# many bytes keep a kernel's temporaries in L2 while each call is long enough to make
# the GIL's hand-overs rare (`benchmarks/compute.py --tune`; figures: benchmarks/README.md).
PARALLEL_FROM = 1 << 17
CHUNK_BYTES = 1 << 17


MAX_THREADS = 256  # a larger $ACTCLI_THREADS is taken as this

# Below this (a plot's curve, a table) the microseconds a compiled loop gains are not
# worth a call into Numba (benchmarks/README.md).
JIT_FROM = 1 << 14
# Values per chunk of a compiled loop: it keeps no temporaries, so chunks need not fit
# a cache; they only have to be many enough to keep every thread busy to the end.
JIT_CHUNK = 1 << 16
JIT_SETTING = "ACTCLI_JIT"
# When the loops load by themselves. Loading them costs a job about as long as a second
# of NumPy kernels, and they are 2-5x faster (benchmarks/README.md): a job that has
# spent AUTO_AFTER seconds in NumPy kernels that have a loop will likely spend as long
# again, and win back the cost. Sooner for one array of AUTO_FROM values (a user of
# arrays that large repeats them), and for a job that says it is long
# (`expect_long_job`: stats over a large .npy).
AUTO_FROM = 1 << 22
AUTO_AFTER = 1.0


@dataclass(frozen=True)
class Compiled:
    """A record's compiled loop, wanted for f (order 0) and/or f' (1), in that order."""

    make: Callable[..., Callable[..., None]]  # the record's `compiled` field
    params: Mapping[str, Any]
    orders: tuple[int, ...]


class JitUnavailableError(RunError, ImportError):
    """ACTCLI_JIT=1, but Numba cannot be imported; the message says what to do."""


def jit_setting() -> str:
    """$ACTCLI_JIT: "1" (the compiled loops for every large array), "0" (NumPy only), or
    "" (anything else: automatic)."""
    setting = os.environ.get(JIT_SETTING, "").strip()
    return setting if setting in ("0", "1") else ""


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


@functools.cache
def reuse_large_buffers() -> None:
    """Once per process, free a 16 MB array. glibc's malloc maps blocks above a threshold
    and unmaps them on free, and raises the threshold (to at most 32 MB) when such a
    block is freed; from then on, the results and temporaries of large arrays (a few MB
    each) are reused from the heap instead of being mapped and faulted in again: 25
    times fewer page faults and 0.2 s instead of 1.7 s of system time over 50M values
    (benchmarks/stats.py); a compiled loop over 262,144 values 0.12 ms of CPU instead of
    2 ms. Elsewhere it costs one allocation."""
    np.ones(1 << 21)


def evaluate(kernel: Kernel, x: Array, compiled: Compiled | None = None) -> tuple[Array, ...]:
    """`kernel(x)` with NaN propagated and every result of x's shape and dtype; for a
    large array, the same results from the `compiled` loop if any, when ACTCLI_JIT=1 or
    (automatically) once it is loaded."""
    if x.size >= PARALLEL_FROM:
        reuse_large_buffers()
    if compiled is not None and x.size >= JIT_FROM:
        setting = jit_setting()
        if setting == "1":
            return _run_compiled(_compiled_loop(compiled), compiled.orders, x)
        if setting == "":
            return BACKGROUND.evaluate(kernel, x, compiled)
    return _numpy(kernel, x)


# Asked before each chunk: a function that computes the chunk instead (with a compiled
# loop), or None.
Switch = Callable[[], Union[Callable[[Array, list[Array], slice], None], None]]


def _numpy(kernel: Kernel, x: Array, switch: Switch | None = None) -> tuple[Array, ...]:
    """`kernel(x)` with NumPy, in chunks on the pool if x is large; `switch`, if given,
    is asked before each chunk whether a compiled loop computes it instead."""
    if x.size >= PARALLEL_FROM:
        return _chunked(kernel, x, switch)
    array = x.reshape(1) if x.ndim == 0 else x  # ufuncs make 0-d into scalars, which out= rejects
    return tuple(np.where(np.isnan(array), array, r).astype(x.dtype, copy=False).reshape(x.shape)
                 for r in kernel(array))


def _chunked(kernel: Kernel, x: Array, switch: Switch | None = None) -> tuple[Array, ...]:
    flat = np.ascontiguousarray(x).reshape(-1)
    step = max(1, CHUNK_BYTES // x.itemsize)
    chunks = range(0, flat.size, step)
    outputs: list[Array] = []

    def run(chunk: slice) -> None:
        part = flat[chunk]
        compiled = switch() if switch is not None and outputs else None
        if compiled is not None:  # (once the first chunk has made the outputs)
            compiled(part, outputs, chunk)
            return
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
        raise _unavailable(error) from None


def _unavailable(error: ImportError) -> JitUnavailableError:
    return JitUnavailableError(
        f"{JIT_SETTING}=1 asks for compiled kernels, which need Numba ({error}): "
        f"pip install 'actcli[fast]', or unset {JIT_SETTING}")


def compiled_kernels(load: Callable[[], Any]) -> Any | None:
    """Compiled kernels other than a record's loop (the passes of a statistics summary),
    on the loops' terms: what `load()` returns with ACTCLI_JIT=1 (an error without
    Numba), None with ACTCLI_JIT=0, and in the automatic mode what `load()` returned in
    the background once a long job asked for it, None until then: the caller computes
    with NumPy meanwhile."""
    setting = jit_setting()
    if setting == "1":
        try:
            return BACKGROUND.kernels_now(load)
        except ImportError as error:
            raise _unavailable(error) from None
    return BACKGROUND.kernels(load) if setting == "" else None


class Background:
    """The compiled loops of the automatic mode, loaded by a background thread once a job
    shows it is long, while NumPy computes; each loop is used as soon as it is ready.

    A loop is ready for one record, its parameters and a dtype, once it has run on a few
    values (which loads it from Numba's cache, or compiles it on a machine's first run).
    Without Numba, or if loading fails, NumPy computes, as before. While the thread
    imports Numba it holds the GIL most of the time, which NumPy's chunks need between
    operations; a lower priority for it, or a shorter switch interval, made jobs no
    faster (benchmarks/README.md).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready: dict[Any, Any] = {}  # a record's loop, or other kernels, when loaded
        self._asked: set[Any] = set()
        self._queue: list[tuple[Any, Callable[[], Any]]] = []  # key, what loads it
        self._thread: threading.Thread | None = None
        self._available: bool | None = None  # Numba importable: looked up once, by the thread
        self.numpy_seconds = 0.0  # spent in NumPy kernels that have a loop
        self.long_job = False  # said by the job: ask for each loop after its first call

    @staticmethod
    def _key(compiled: Compiled, dtype: np.dtype[Any]) -> Any:
        return compiled.make, tuple(sorted(compiled.params.items())), dtype

    def evaluate(self, kernel: Kernel, x: Array, compiled: Compiled) -> tuple[Array, ...]:
        """`kernel(x)` with the compiled loop if it is ready, else with NumPy (switching
        to the loop between chunks if it becomes ready meanwhile). A call that shows a
        long job asks for the loop when it ends, so that it runs as fast as NumPy alone
        (the loading competes for the CPU): only a call that runs past AUTO_AFTER seconds
        of NumPy asks at once, and gains within itself."""
        key = self._key(compiled, x.dtype)
        # A read-only array (a copy is not: x is copied unless C-contiguous) would need a
        # loop of its own, Numba typing it apart: NumPy.
        if x.flags.c_contiguous and not x.flags.writeable:
            return _numpy(kernel, x)
        if key in self._ready:
            return _run_compiled(self._ready[key], compiled.orders, x)
        start = time.perf_counter()

        def switch() -> Callable[[Array, list[Array], slice], None] | None:
            loop = self._ready.get(key)
            if loop is None:
                if self.numpy_seconds + time.perf_counter() - start >= AUTO_AFTER:
                    self._ask(key, compiled, x.dtype)
                return None
            return lambda part, outputs, chunk: _run_loop(loop, compiled.orders, part, outputs,
                                                         chunk)

        results = _numpy(kernel, x, switch)
        self.numpy_seconds += time.perf_counter() - start
        if self.long_job or x.size >= AUTO_FROM or self.numpy_seconds >= AUTO_AFTER:
            self._ask(key, compiled, x.dtype)
        return results

    def kernels(self, load: Callable[[], Any]) -> Any | None:
        """What `load()` returns, once loaded; asked for when the job is long."""
        if load in self._ready:
            return self._ready[load]
        if self.long_job or self.numpy_seconds >= AUTO_AFTER:
            self._enqueue(load, load)
        return None

    def kernels_now(self, load: Callable[[], Any]) -> Any:
        """What `load()` returns, loaded in this thread if it is not yet (ACTCLI_JIT=1)."""
        if load not in self._ready:
            self._ready[load] = load()
        return self._ready[load]

    def _ask(self, key: Any, compiled: Compiled, dtype: np.dtype[Any]) -> None:
        def load() -> Callable[..., None]:
            loop = compiled.make(**compiled.params)  # (the first imports Numba)
            probe = np.zeros(2, dtype)
            loop(probe, np.empty(2, dtype), np.empty(2, dtype), 2)
            return loop

        self._enqueue(key, load)

    def _enqueue(self, key: Any, load: Callable[[], Any]) -> None:
        with self._lock:
            if key in self._asked or self._available is False:
                return
            self._asked.add(key)
            self._queue.append((key, load))
            if self._thread is None:
                self._thread = threading.Thread(target=self._load, name="actcli-load-loops",
                                                daemon=True)
                self._thread.start()

    def _load(self) -> None:
        """Load the loops asked for, one after the other, then end."""
        if self._available is None:
            self._available = importlib.util.find_spec("numba") is not None
        while True:
            with self._lock:
                if not self._queue or not self._available:
                    self._queue.clear()
                    self._thread = None
                    return
                key, load = self._queue.pop(0)
            try:
                ready = load()
            except Exception:  # a broken Numba install: the job goes on with NumPy
                with self._lock:
                    self._available = False
                continue
            self._ready[key] = ready

    def wait(self) -> None:
        """Until every loop asked for is loaded (for benchmarks and tests)."""
        while (thread := self._thread) is not None:
            thread.join()


BACKGROUND = Background()


def expect_long_job() -> None:
    """Tell the automatic mode that this process has a long job to do (stats over a
    large file): each record's loop is asked for after its first NumPy call."""
    BACKGROUND.long_job = True


def _run_compiled(loop: Callable[..., None], orders: tuple[int, ...], x: Array) -> tuple[Array, ...]:
    """The loop over x in chunks on the pool, writing f and/or f' straight into the results."""
    flat = np.ascontiguousarray(x).reshape(-1)
    outputs = [np.empty(flat.size, x.dtype) for _ in orders]

    def run(chunk: slice) -> None:
        _run_loop(loop, orders, flat[chunk], outputs, chunk)

    chunks = [slice(start, start + JIT_CHUNK) for start in range(0, flat.size, JIT_CHUNK)]
    if getattr(_IN_WORKER, "active", False):
        run(slice(0, flat.size))
    else:
        _share(run, chunks, min(threads(), len(chunks)))
    return tuple(out.reshape(x.shape) for out in outputs)


def _run_loop(loop: Callable[..., None], orders: tuple[int, ...], part: Array,
              outputs: list[Array], chunk: slice) -> None:
    """A record's loop over `part`, writing its f and/or f' (`orders`) into `chunk` of
    `outputs`, which are in those orders."""
    want = 2 if len(orders) == 2 else orders[0]  # the loops' code: f 0, f' 1, both 2
    slots = {order: out[chunk] for order, out in zip(orders, outputs)}
    unused = outputs[0][:0]
    loop(part, slots.get(0, unused), slots.get(1, unused), want)


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
