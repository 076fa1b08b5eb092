"""`actcli stats` on a Dask cluster: files, and shards of large .npy files, are summarised
on the workers and the summaries merged there, in a fixed tree over the files' order.
Merging is exact for counts and fractions and exact up to rounding for moments and
quantiles, so the result equals a local run to rounding (the last bits may differ).

The workers read the files by the absolute paths this machine sees, so they need the
same files there (a shared file system, or the same copies).

Every failure is one line, soon, never a hang: an address that is not one is refused
before any connection (`AddressError`); a refused connection is reported at once, a peer
that is not a Dask scheduler (the dashboard's HTTP port, say) or a scheduler without
workers within `timeout` seconds, with a notice after `notice_after` seconds of waiting
(through `notify`: this module prints nothing). Dask is an optional extra imported only
inside `summarise`.
"""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import math
import os
import re
import select
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError
from dataclasses import dataclass
from typing import TYPE_CHECKING

from actcli.analysis.stats import DEFAULT_SATURATION, Accumulator
from actcli.errors import InputError, RunError

if TYPE_CHECKING:
    from distributed import Client, Future

SHARD = 1 << 24  # values per task of a large .npy file (128 MiB of float64)
DEFAULT_TIMEOUT = 60.0  # seconds for the scheduler to answer, and for a worker to join
NOTICE_AFTER = 3.0  # seconds of waiting before saying what is awaited
POLL = 0.5  # seconds between looks at the cluster while its result is awaited
# Dask's transports (distributed.comm.registry); http:// is the dashboard's. Those over
# TCP are probed before Dask connects.
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
OVER_TCP = ("tcp", "tls", "ws", "wss")
# Dask's TCP messages start with their length (a little-endian uint64); the scheduler's
# first, its handshake, is a few hundred bytes: text read as a length is exabytes.
_HANDSHAKE_BYTES = 1 << 26
_HOST = re.compile(r"[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+(%[\w.-]+)?\]")

Notify = Callable[[str], None]


class ClusterError(RunError):
    """The cluster cannot do the work (Dask missing, nothing or something else at the
    address, no workers, a worker that cannot read a file); one line."""


class AddressError(InputError):
    """A --scheduler value that is not a Dask scheduler's address."""


@dataclass(frozen=True)
class Address:
    """A scheduler's address: `url` as Dask takes it (tcp:// added when none is given)."""

    url: str
    scheme: str
    host: str = ""
    port: int = 0


def parse_address(text: str) -> Address:
    """The address in `text` (`tcp://HOST:PORT`, `HOST:PORT`, ...), or AddressError."""
    where = f"--scheduler {text!r}"
    example = "give the address `dask scheduler` prints, e.g. tcp://10.0.0.5:8786"
    scheme, separator, rest = text.strip().partition("://")
    if not separator:
        scheme, rest = "tcp", text.strip()
    scheme = scheme.lower()
    if scheme in ("http", "https"):
        raise AddressError(f"{where} is a web address (the dashboard's?): a Dask scheduler "
                           f"speaks tcp://; {example}")
    if scheme not in SCHEMES:
        raise AddressError(f"{where}: unknown protocol {scheme}:// (Dask speaks "
                           f"{', '.join(s + '://' for s in SCHEMES)}); {example}")
    if scheme == "inproc" and rest:  # a scheduler in this process
        return Address(f"inproc://{rest}", scheme)
    host, colon, port = rest.rpartition(":")
    if not colon or rest.endswith("]"):
        raise AddressError(f"{where} has no port; {example}")
    if not _HOST.fullmatch(host):
        what = "no host" if not host else "an IPv6 host goes in brackets" if ":" in host \
            else f"{host!r} is not a host name"
        raise AddressError(f"{where}: {what}; {example}")
    if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise AddressError(f"{where}: the port must be a number from 1 to 65535; {example}")
    return Address(f"{scheme}://{host}:{int(port)}", scheme, host.strip("[]"), int(port))


class _Patience:
    """A time limit for one wait, with one notice once `notice_after` seconds have passed."""

    def __init__(self, limit: float, notice_after: float, notify: Notify | None) -> None:
        self.start, self.limit = time.monotonic(), limit
        self.notice_after, self.notify, self.noticed = notice_after, notify, False

    def step(self, longest: float = math.inf) -> float:
        """How long to block before the next `check`."""
        elapsed = time.monotonic() - self.start
        next_event = self.limit if self.noticed else min(self.limit, self.notice_after)
        return max(0.0, min(next_event - elapsed, longest))

    def check(self, notice: str, failure: str) -> None:
        """Give up with `failure` past the limit; say `notice` once past `notice_after`."""
        elapsed = time.monotonic() - self.start
        if elapsed >= self.limit:
            raise ClusterError(failure)
        if not self.noticed and elapsed >= self.notice_after:
            self.noticed = True
            if self.notify is not None:
                self.notify(f"{notice}; giving up after {self.limit:g} s (--timeout)")


def _wait_for(sock: socket.socket, readable: bool, patience: _Patience, notice: str,
              failure: str) -> None:
    while True:
        ready = select.select([sock] if readable else [], [] if readable else [sock], [],
                              patience.step())
        if ready[0] or ready[1]:
            return
        patience.check(notice, failure)


def probe(address: Address, timeout: float = DEFAULT_TIMEOUT,
          notice_after: float = NOTICE_AFTER, notify: Notify | None = None) -> None:
    """Fail in one line where Dask would retry until its timeout or wait forever: a host
    that is not found, a refused connection (at once), no answer within `timeout`, and
    (tcp://, where the scheduler speaks first) a peer that says nothing or not Dask."""
    try:
        candidates = socket.getaddrinfo(address.host, address.port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ClusterError(f"cannot find the host {address.host!r} of the Dask scheduler "
                           f"{address.url}: {error.strerror}") from None
    patience = _Patience(timeout, notice_after, notify)
    no_answer = (f"no answer from {address.url} within {timeout:g} s (a host that is down, "
                 "or a firewall between)")
    failures = []
    for family, kind, protocol, _, peer in candidates:  # localhost: ::1, then 127.0.0.1
        with socket.socket(family, kind, protocol) as sock:
            sock.setblocking(False)
            code = sock.connect_ex(peer)
            if code in (errno.EINPROGRESS, errno.EWOULDBLOCK):
                _wait_for(sock, False, patience, f"no answer yet from {address.url}", no_answer)
                code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                failures.append(code)
                continue
            if address.scheme == "tcp":
                _check_speaks_dask(sock, address, patience)
            return
    if all(code == errno.ECONNREFUSED for code in failures):
        raise ClusterError(f"connection refused at {address.url}: no Dask scheduler listens "
                           "there (is it running, and is that its port? `dask scheduler` "
                           "prints its address)")
    raise ClusterError(f"cannot reach the Dask scheduler at {address.url}: "
                       f"{os.strerror(failures[-1])}")


def _check_speaks_dask(sock: socket.socket, address: Address, patience: _Patience) -> None:
    not_dask = f"{address.url} is not a Dask scheduler"
    _wait_for(sock, True, patience,
              f"{address.url} accepted the connection but says nothing, where a Dask "
              "scheduler answers at once: is it the dashboard's port (8787 by default)?",
              f"{not_dask}: it said nothing within {patience.limit:g} s (an HTTP server, "
              "such as the dashboard, waits for a request; the scheduler's port is 8786 "
              "by default)")
    try:
        first = sock.recv(8)
    except OSError as error:
        raise ClusterError(f"{not_dask}: {error.strerror or error}") from None
    if not first:
        raise ClusterError(f"{not_dask}: it closed the connection without a word")
    if len(first) == 8 and int.from_bytes(first, "little") > _HANDSHAKE_BYTES:
        raise ClusterError(f"{not_dask}: it answers in another protocol "
                           f"({first.decode('ascii', 'replace')!r}...)")


def _worker_name() -> str:
    from distributed import get_worker

    try:
        return f"the worker at {get_worker().address}"
    except ValueError:  # not running on a worker
        return "the worker"


def _summarise_piece(functions: tuple[str, ...], saturation: float, path: str,
                     key: str | None, column: str | None, start: int | None,
                     stop: int | None) -> Accumulator:
    from actcli.data import tensors

    try:
        with open(path, "rb"):
            pass
    except OSError as error:
        # This machine read it (the client checked): the worker sees another file system.
        raise ClusterError(f"{_worker_name()} cannot read {path}: {error.strerror} (the "
                           "workers read the files by this machine's paths: they need the "
                           "same files, e.g. on a shared file system)") from None
    summary = Accumulator(functions, saturation)
    pieces = (tensors.npy_range_chunks(path, start, stop) if start is not None and stop is not None
              else tensors.file_chunks(path, key=key, column=column))
    for chunk in pieces:
        summary.add(chunk)
    return summary


def _merge(a: Accumulator, b: Accumulator) -> Accumulator:
    # A copy: Dask may hand the same in-memory result to a retried or second task.
    return a.copy().merge(b)


def pieces(sources: Sequence[str], shard: int = SHARD, *, key: str | None = None,
           column: str | None = None) -> list[tuple[str, int | None, int | None]]:
    """(absolute path, start, stop) per task: a .npy file in shards of `shard` values,
    another file whole. What a local run would refuse is refused here, before any work."""
    from actcli.data import tensors

    tasks: list[tuple[str, int | None, int | None]] = []
    for name in tensors.expand(sources):
        if name == "-":
            raise tensors.TensorInputError("stdin cannot be sent to a cluster: give files with -i")
        tensors.check_source(name, key=key, column=column)
        path = os.path.abspath(name)  # the workers' current directories are not ours
        if os.path.splitext(path)[1].lower() == ".npy":
            count = tensors.npy_count(path)
            tasks.extend((path, start, min(start + shard, count)) for start in range(0, count, shard))
        else:
            tasks.append((path, None, None))
    return tasks


def summarise(address: str, functions: Sequence[str], sources: Sequence[str], *,
              key: str | None = None, column: str | None = None,
              saturation: float = DEFAULT_SATURATION, shard: int = SHARD,
              timeout: float = DEFAULT_TIMEOUT, notice_after: float = NOTICE_AFTER,
              notify: Notify | None = None) -> Accumulator:
    """The summary of `sources` computed on the Dask cluster at `address`. Waits at most
    `timeout` seconds for the scheduler to answer and, whenever it has none, for a
    worker; `notify` hears, once `notice_after` seconds have passed, what is awaited."""
    where = parse_address(address)
    functions = tuple(functions)
    Accumulator(functions, saturation)  # bad specs fail here, not on a worker
    tasks = pieces(sources, shard, key=key, column=column)
    if importlib.util.find_spec("distributed") is None:
        raise ClusterError("--scheduler needs Dask: pip install 'dask[distributed]'")
    if where.scheme in OVER_TCP:  # before importing Dask (seconds): a refusal is known at once
        probe(where, timeout, notice_after, notify)
    from distributed import Client

    with _quiet_client():
        try:
            client = Client(where.url, timeout=timeout, set_as_default=False)
        except Exception as error:  # anything a peer that is not Dask provokes (MemoryError, ...)
            raise ClusterError(f"{where.url} does not answer as a Dask scheduler: "
                               f"{type(error).__name__}: {_first_line(error)}") from None
        with client:
            paths, starts, stops = zip(*tasks) if tasks else ((), (), ())
            futures = client.map(_summarise_piece, [functions] * len(tasks),
                                 [saturation] * len(tasks), paths, [key] * len(tasks),
                                 [column] * len(tasks), starts, stops, pure=False)
            while len(futures) > 1:  # a tree of merges on the workers, in the files' order
                pairs = [client.submit(_merge, a, b, pure=False)
                         for a, b in zip(futures[::2], futures[1::2])]
                futures = pairs + ([futures[-1]] if len(futures) % 2 else [])
            if not futures:
                return Accumulator(functions, saturation)
            return _result(client, futures[0], where.url, timeout, notice_after, notify)


@contextlib.contextmanager
def _quiet_client() -> Iterator[None]:
    """Dask's client logs its failures on stderr, with tracebacks (a lost scheduler:
    twenty lines); they are reported here, in one line each, as ClusterError."""
    import logging

    logger = logging.getLogger("distributed.client")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0]


def _result(client: Client, future: Future, url: str, timeout: float, notice_after: float,
            notify: Notify | None) -> Accumulator:
    """The future's result, giving up once the cluster has had no worker for `timeout`
    seconds (workers may come and go: an adaptive cluster starts them for the tasks)."""
    lost = f"lost the connection to the Dask scheduler at {url} (has it stopped?)"
    # Waited for apart from its result: a result(timeout=...) that ends while the summary
    # (24 MiB) is on its way cancels the transfer, to start again on the next call.
    finished = threading.Event()
    future.add_done_callback(lambda _: finished.set())
    idle: _Patience | None = None
    while not finished.wait(POLL if idle is None else idle.step(POLL)):
        try:
            working = bool(client.nthreads())
        except OSError:
            raise ClusterError(lost) from None
        if working:
            idle = None
            continue
        idle = idle or _Patience(timeout, notice_after, notify)
        idle.check(f"waiting for workers at {url}: none has joined",
                   f"no worker joined the Dask scheduler at {url} within {timeout:g} s "
                   f"(start one: `dask worker {url}`)")
    try:
        return future.result()
    except CancelledError:  # by the client, when it lost the scheduler
        raise ClusterError(lost) from None
