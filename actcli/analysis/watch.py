"""What the activation modules of a live PyTorch model receive, summarised as `stats` does.

`Watcher(model, ...)` finds the activation modules (`nn.ReLU`, `nn.GELU`, ...), maps each
to its catalog function with the module's own parameters (`ACTIVATIONS`), and adds a
forward pre-hook that copies the module's input (its pre-activations) for a summary: a
`stats.Accumulator` per module, of its own function and of the what-if functions, which
share those inputs. The copies are summarised in a thread of its own, in the order they
came, so that a training step pays for a copy only (for a CUDA tensor, for starting one);
`rows()` waits for the summaries, and `all_ranks=True` merges every rank's (they merge
exactly) under torch.distributed.

A watched model computes exactly what it computes without the hooks: they read the
input, change nothing and are removed by `close()`. torch is imported by the functions
that use it, never with this module (`actcli eval` must not pay for it).
"""

from __future__ import annotations

import collections
import fnmatch
import math
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from actcli.analysis import stats
from actcli.catalog import REGISTRY, compute
from actcli.catalog.spec import format_param
from actcli.resolve import spelling
from actcli.errors import InputError, RunError

ROW_KEYS = ("layer", "module", *stats.KEYS)
WHAT_IF = "what if"  # the `module` of a what-if row
# Copies waiting for their summary, at most (unless a single one is larger): beyond it a
# training step waits for the summaries to catch up.
PENDING_BYTES = 64 * 2**20
# Values summarised at a time (as `actcli stats` reads files): the float64 temporaries
# of a large input stay a few tens of MB.
CHUNK = 1 << 19


class WatchError(InputError):
    """watch() cannot be used as asked (nothing to watch, a bad option); one line."""


class WatchRunError(RunError):
    """A summary failed while the model ran (reported by rows() or close())."""


def _spec(name: str, **params: Any) -> str:
    """`name:key=value,...` with the parameters that differ from the catalog's defaults."""
    return spelling(REGISTRY.get(name, **params))


# torch.nn class name -> the catalog function of a module of that class, as `actcli
# stats` spells it. PReLU's slope is learned and GLU is a vector function: see below.
ACTIVATIONS: dict[str, Callable[[Any], str]] = {
    "ReLU": lambda m: "relu",
    "ReLU6": lambda m: "relu6",
    "LeakyReLU": lambda m: _spec("leaky_relu", negative_slope=float(m.negative_slope)),
    "ELU": lambda m: _spec("elu", alpha=float(m.alpha)),
    "SELU": lambda m: "selu",
    "CELU": lambda m: _spec("celu", alpha=float(m.alpha)),
    "GELU": lambda m: _spec("gelu", approximate=m.approximate),
    "SiLU": lambda m: "silu",
    "Mish": lambda m: "mish",
    # torch returns x where beta * x > threshold (20 by default); the catalog's default
    # is exact softplus everywhere, so the threshold is always written.
    "Softplus": lambda m: _spec("softplus", beta=float(m.beta), threshold=float(m.threshold)),
    "Tanh": lambda m: "tanh",
    "Sigmoid": lambda m: "sigmoid",
    "Hardtanh": lambda m: _spec("hardtanh", min_val=float(m.min_val), max_val=float(m.max_val)),
    "Hardswish": lambda m: "hardswish",
    "Hardsigmoid": lambda m: "hardsigmoid",
    "Softsign": lambda m: "softsign",
    "LogSigmoid": lambda m: "log_sigmoid",
    "Tanhshrink": lambda m: "tanhshrink",
    "Softshrink": lambda m: _spec("softshrink", lambd=float(m.lambd)),
    "Hardshrink": lambda m: _spec("hardshrink", lambd=float(m.lambd)),
    "Threshold": lambda m: _spec("threshold", threshold=float(m.threshold), value=float(m.value)),
    # The gate half (the second, as torch's glu: a * sigmoid(b)) through sigmoid.
    "GLU": lambda m: "sigmoid",
    "PReLU": lambda m: "prelu",  # the slope is written at report time (`_Layer.records`)
}


def activation_class(module: Any) -> str | None:
    """The torch.nn class of `module` in ACTIVATIONS, if its forward is that class's own
    (a subclass that computes something else is not taken for it)."""
    for cls in type(module).__mro__:
        if cls.__module__.startswith("torch.nn.") and cls.__name__ in ACTIVATIONS:
            return cls.__name__ if type(module).forward is cls.forward else None
    return None


@dataclass
class _Layer:
    """One watched module: where it is, what it computes, and the summary of its inputs."""

    layer: str
    module: Any
    kind: str  # the torch.nn class in ACTIVATIONS, or "" for a module watched with after=
    function: str | None  # the catalog function of its own row (None: it has none)
    summary: stats.Accumulator  # of the own function (unless PReLU's) and the what-ifs
    # PReLU: the moments of its inputs on x > 0 and x <= 0, to apply the slope it has
    # when the report is made (stats.Accumulator.piecewise_linear).
    pieces: tuple[stats.Moments, stats.Moments] | None = None
    skipped: int = 0  # calls whose input was not a floating-point tensor
    note: str = ""

    @property
    def class_name(self) -> str:
        name = type(self.module).__name__
        return f"{name} output" if not self.kind else name

    def add(self, values: np.ndarray) -> None:
        x = np.asarray(values, dtype=np.float64).ravel()
        self.summary.add(x)
        if self.pieces is not None:
            positive, rest = self.pieces
            with np.errstate(over="ignore", invalid="ignore"):  # |x| near the largest float
                positive.add(x[x > 0])
                rest.add(x[x <= 0])

    def merge(self, other: _Layer) -> None:
        self.summary.merge(other.summary)
        self.skipped += other.skipped
        if self.pieces is not None and other.pieces is not None:
            for mine, theirs in zip(self.pieces, other.pieces):
                mine.merge(theirs)

    def records(self) -> list[dict[str, Any]]:
        """The module's own record (if it has one), then those of the what-ifs."""
        records = self.summary.records()
        if self.pieces is not None:  # PReLU: its slope now
            slope = float(self.module.weight.detach().reshape(-1)[0].item())
            spec = f"prelu:weight={format_param(slope)}"
            own = self.summary.piecewise_linear(spec, [(self.pieces[0], 1.0, 1.0),
                                                       (self.pieces[1], slope, -1.0)])
            return own.records() + records
        return records

    def state(self) -> tuple[stats.Accumulator, Any, int]:
        """What another rank needs to merge this layer (picklable)."""
        return self.summary, self.pieces, self.skipped


class _Summariser:
    """A thread that runs the summaries in the order they were handed in, with at most
    PENDING_BYTES of copies waiting; the first failure is kept and raised by `wait`."""

    def __init__(self) -> None:
        self._jobs: collections.deque[tuple[Callable[[], None], int]] = collections.deque()
        self._changed = threading.Condition()
        self._pending = 0  # bytes of the jobs handed in and not finished
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False

    def submit(self, job: Callable[[], None], size: int) -> None:
        with self._changed:
            while self._pending and self._pending + size > PENDING_BYTES:
                self._changed.wait()
            self._jobs.append((job, size))
            self._pending += size
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(target=self._run, name="actcli-watch",
                                                daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._jobs and not self._stopping:
                    self._changed.wait()
                if not self._jobs:
                    return
                job, size = self._jobs.popleft()
            try:
                if self._error is None:
                    job()
            except BaseException as error:  # kept for wait(): the training goes on
                self._error = error
            finally:
                with self._changed:
                    self._pending -= size
                    self._changed.notify_all()

    def wait(self) -> None:
        """Until every job handed in has finished; then raise the first failure."""
        with self._changed:
            while self._pending:
                self._changed.wait()
        if self._error is not None:
            raise WatchRunError(f"a summary failed while the model ran: {self._error}") from self._error

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, type)):
        return [value]
    return list(value)


def _unwrapped(model: Any) -> Any:
    """The model inside a DistributedDataParallel or DataParallel wrapper (its names then
    read as in the plain model: `0`, not `module.0`)."""
    if type(model).__name__ in ("DistributedDataParallel", "DataParallel") and hasattr(model, "module"):
        return model.module
    return model


class Watcher:
    """Hooks on the activation modules of `model`, summarising what each receives.

    what_if: functions (as `actcli stats` takes them) to apply to the same inputs.
    names: glob(s) on qualified names (`"encoder.*"`); types: classes or class names.
    every: summarise one forward pass of the model in `every` (the first, then every Nth).
    after: {qualified name: function} for activations called as functions
      (`F.relu(self.fc1(x))`): the outputs of module `fc1` summarised as the inputs of relu.
    saturation: as `actcli stats --saturation`.
    """

    def __init__(self, model: Any, *, what_if: Iterable[str] = (), names: Any = None,
                 types: Any = None, every: int = 1, after: Mapping[str, str] | None = None,
                 saturation: float = stats.DEFAULT_SATURATION) -> None:
        import torch

        if not isinstance(model, torch.nn.Module):
            raise WatchError(f"watch() takes a torch.nn.Module, got {type(model).__name__}")
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise WatchError(f"every must be a whole number >= 1, got {every!r}")
        if not (math.isfinite(saturation) and 0 < saturation < 1):
            raise WatchError(f"saturation must be between 0 and 1, got {saturation!r}")
        self.what_if = tuple(_as_list(what_if))
        self.saturation = saturation
        self.every = every
        self.model = _unwrapped(model)
        self._prototypes: dict[tuple[str, ...], stats.Accumulator] = {}
        for spec in self.what_if:  # a bad function fails here, before any hook
            self._empty((spec,))
        self.layers = self._find(names, types, dict(after or {}))
        # A training run is a long job: the compiled passes and loops load in the
        # background (where Numba is installed) while the first steps use NumPy.
        compute.expect_long_job()
        self.passes = 0  # forward passes of the model while watched
        self._sampled = True
        self._summariser = _Summariser()
        self._handles = [self.model.register_forward_pre_hook(self._count)]
        for layer in self.layers:
            if layer.kind:
                hook = self._pre_hook(layer)
                self._handles.append(layer.module.register_forward_pre_hook(hook, with_kwargs=True))
            else:
                self._handles.append(layer.module.register_forward_hook(self._output_hook(layer)))

    # --- which modules ---------------------------------------------------------------------

    def _empty(self, functions: tuple[str, ...]) -> stats.Accumulator:
        """An empty summary of `functions` (copied from one made once per tuple)."""
        if functions not in self._prototypes:
            self._prototypes[functions] = stats.Accumulator(functions, self.saturation)
        return self._prototypes[functions].copy()

    def _layer(self, name: str, module: Any, kind: str, function: str | None) -> _Layer:
        own = (function,) if function is not None and kind != "PReLU" else ()
        layer = _Layer(name or "(model)", module, kind, function,
                       self._empty(own + self.what_if))
        if kind == "PReLU":
            if module.weight.numel() == 1:
                layer.pieces = (stats.Moments(), stats.Moments())
                layer.note = "PReLU: its learned slope as it stands at report time"
            else:
                layer.function = None
                layer.note = (f"PReLU with {module.weight.numel()} slopes, one per channel: no "
                              "single catalog function, so no row of its own (what-if rows only)")
        elif kind == "GLU":
            layer.note = (f"GLU: its gate half (the second along dim {module.dim}, as in "
                          "a * sigmoid(b)) through sigmoid")
        return layer

    def _find(self, names: Any, types: Any, after: dict[str, str]) -> list[_Layer]:
        patterns, kinds = _as_list(names), _as_list(types)
        modules = dict(self.model.named_modules())
        unknown = [name for name in after if name not in modules]
        if unknown:
            raise WatchError(f"after= names no module {unknown[0]!r} of the model "
                             f"(qualified names as in named_modules(), e.g. "
                             f"{', '.join(repr(n) for n in list(modules)[1:4])})")
        for name, spec in after.items():
            self._empty((spec,))  # a bad function fails here
        found = []
        for name, module in modules.items():
            kind = activation_class(module)
            if name in after:
                found.append(self._layer(name, module, "", after[name]))
            elif kind is not None:
                found.append(self._layer(name, module, kind, ACTIVATIONS[kind](module)))
        if not found:
            raise WatchError(
                f"{type(self.model).__name__} has no activation module to watch (activations "
                "called as functions, F.relu in forward, have no module to hook): use modules "
                "such as nn.ReLU(), or name the layers whose outputs they take: "
                "actcli.watch(model, after={'fc1': 'relu'})")
        chosen = [layer for layer in found
                  if (not patterns or any(fnmatch.fnmatchcase(layer.layer, p) for p in patterns))
                  and (not kinds or any(_is_kind(layer.module, k) for k in kinds))]
        if not chosen:
            listed = ", ".join(f"{layer.layer} ({layer.class_name})" for layer in found[:6])
            raise WatchError(f"no activation module matches names={names!r} types={types!r}; "
                             f"the model has {len(found)}: {listed}"
                             + (", ..." if len(found) > 6 else ""))
        return chosen

    # --- the hooks -----------------------------------------------------------------------

    def _count(self, module: Any, args: Any) -> None:
        self.passes += 1
        self._sampled = (self.passes - 1) % self.every == 0

    def _pre_hook(self, layer: _Layer) -> Callable[..., None]:
        glu = layer.kind == "GLU"

        def hook(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
            if self._sampled:
                x = args[0] if args else kwargs.get("input")
                if glu and _is_float_tensor(x):
                    x = x.chunk(2, dim=module.dim)[1]
                self._capture(layer, x)

        return hook

    def _output_hook(self, layer: _Layer) -> Callable[..., None]:
        def hook(module: Any, args: Any, output: Any) -> None:
            if self._sampled:
                self._capture(layer, output)

        return hook

    def _capture(self, layer: _Layer, x: Any) -> None:
        """Copy `x` (the module may overwrite it in place: ReLU(inplace=True)) and hand
        the summary to the thread."""
        if not _is_float_tensor(x):
            layer.skipped += 1
            return
        host, ready = _host_copy(x.detach())

        def summarise() -> None:
            if ready is not None:
                ready.synchronize()
            for chunk in _chunks(host):
                layer.add(chunk)

        self._summariser.submit(summarise, host.numel() * host.element_size())

    # --- results -------------------------------------------------------------------------

    def wait(self) -> None:
        """Until every input seen so far is summarised."""
        self._summariser.wait()

    def reset(self) -> None:
        """Forget what was summarised (the hooks stay)."""
        self.wait()
        for layer in self.layers:
            fresh = self._layer(layer.layer, layer.module, layer.kind,
                                layer.function if layer.kind != "PReLU" else "prelu")
            layer.summary, layer.pieces, layer.skipped = fresh.summary, fresh.pieces, 0
        self.passes = 0
        self._sampled = True

    def close(self, quiet: bool = False) -> None:
        """Remove the hooks and finish the summaries; raise what failed in them unless
        `quiet` (another exception is on its way: rows() raises it later)."""
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self._summariser.stop()  # after the jobs handed in
        if not quiet:
            self.wait()

    def rows(self, all_ranks: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
        """One row per watched module (its own function) and per what-if function, with
        ROW_KEYS; and notes on what the rows mean or leave out."""
        self.wait()
        layers = self._gathered() if all_ranks else self.layers
        rows: list[dict[str, Any]] = []
        notes: list[str] = []
        for layer in layers:
            if layer.note:
                notes.append(f"{layer.layer}: {layer.note}")
            if layer.skipped:
                notes.append(f"{layer.layer}: {layer.skipped} call(s) with an input that is not "
                             "a floating-point tensor left out")
            if not layer.summary.n:
                seen = (f"only NaN ({layer.summary.nan_count} values)" if layer.summary.nan_count
                        else "no values (not called while watched)")
                notes.append(f"{layer.layer} ({layer.class_name}): {seen}")
                continue
            records = layer.records()
            own = len(records) - len(self.what_if)
            rows += [{"layer": layer.layer, "module": layer.class_name if i < own else WHAT_IF,
                      **record} for i, record in enumerate(records)]
        if self.every > 1:
            notes.append(f"one forward pass in {self.every} summarised (every={self.every})")
        return rows, notes

    def _gathered(self) -> list[_Layer]:
        """Every rank's layers merged, in rank order (each rank gets the same result)."""
        import torch.distributed as dist

        if not (dist.is_available() and dist.is_initialized()):
            raise WatchError("all_ranks=True merges the ranks of torch.distributed, which is not "
                             "initialised here (call report() without it)")
        states: list[Any] = [None] * dist.get_world_size()
        dist.all_gather_object(states, [(layer.layer, layer.state()) for layer in self.layers])
        if any([name for name, _ in s] != [layer.layer for layer in self.layers] for s in states):
            raise WatchRunError("the ranks watch different layers: give every rank the same "
                                "model and options")
        merged = []
        for i, layer in enumerate(self.layers):
            total = _Layer(layer.layer, layer.module, layer.kind, layer.function,
                           self._empty(layer.summary.functions),
                           None if layer.pieces is None else (stats.Moments(), stats.Moments()),
                           note=layer.note)
            for rank_state in states:
                summary, pieces, skipped = rank_state[i][1]
                total.merge(_Layer(layer.layer, layer.module, layer.kind, layer.function,
                                   summary, pieces, skipped))
            merged.append(total)
        return merged


def _is_kind(module: Any, kind: Any) -> bool:
    if isinstance(kind, str):
        return any(cls.__name__ == kind for cls in type(module).__mro__)
    return isinstance(module, kind)


def _is_float_tensor(x: Any) -> bool:
    import torch

    return isinstance(x, torch.Tensor) and x.is_floating_point()


def _host_copy(x: Any) -> tuple[Any, Any]:
    """A copy of `x` in host memory, contiguous, in its own dtype (the fewest bytes to
    move; widened in the thread), and for a CUDA tensor the event that says when the
    copy, started without waiting, has arrived."""
    import torch

    if x.device.type == "cpu":
        return x.clone(memory_format=torch.contiguous_format), None
    if x.device.type == "cuda":
        host = x.contiguous().to("cpu", non_blocking=True)
        ready = torch.cuda.Event()
        ready.record()
        return host, ready
    return x.contiguous().to("cpu"), None


def _chunks(host: Any) -> Iterator[np.ndarray]:
    """A contiguous host tensor's values for NumPy, CHUNK at a time: bfloat16 (which NumPy
    lacks) widened exactly to float32 by its bits; float16, float32 and float64 as they
    are; other types (float8) through float32."""
    import torch

    flat = host.reshape(-1)
    if host.dtype == torch.bfloat16:
        bits = flat.view(torch.int16).numpy().view(np.uint16)
        for start in range(0, len(bits), CHUNK):
            yield (bits[start:start + CHUNK].astype(np.uint32) << 16).view(np.float32)
        return
    if host.dtype not in (torch.float16, torch.float32, torch.float64):
        flat = flat.float()
    values = flat.numpy()
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]
