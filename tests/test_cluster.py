"""`actcli stats --scheduler`: on a real Dask cluster (in this process) the result is a
local run's, whatever the number of pieces; every way of failing is one line, soon:
an address that is not one, a refused port, a peer that is not Dask, a scheduler without
workers, a worker that cannot read a file. Time limits are set small; no test asserts a
duration but "it ended within its limit plus a margin"."""

from __future__ import annotations

import contextlib
import http.server
import math
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from actcli.analysis import cluster
from actcli.analysis.stats import KEYS
from actcli.errors import InputError, RunError
from conftest import subprocess_env
from test_stats import fails, sample, stats_json

distributed = pytest.importorskip("distributed")

FUNCTIONS = ["relu", "gelu", "leaky_relu:negative_slope=0.2"]
# Besides every count and text: the floats a merge gives exactly.
EXACT = ("input_min", "input_max", "dead_fraction", "saturated_fraction")
MARGIN = 10.0  # seconds on top of a time limit that still prove "no hang" on a busy machine
# The scheduler's HTTP server on a free port: with none given it tries 8787 first, and
# tornado leaks the socket of a failed bind (a ResourceWarning, an error here).
DASHBOARD = "127.0.0.1:0"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A cluster of two workers over TCP (so the address is probed as a user's is)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp", dashboard_address=DASHBOARD) as lan:
        yield lan.scheduler_address


@pytest.fixture
def empty_cluster() -> Iterator[distributed.LocalCluster]:
    """A scheduler with no workers (yet)."""
    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp",
                                  dashboard_address=DASHBOARD) as lan:
        yield lan


def assert_equal_to_rounding(local: list[dict], remote: list[dict]) -> None:
    """Counts, fractions, extremes and verdicts exactly; moments and quantiles to rounding."""
    assert len(local) == len(remote) == len(FUNCTIONS)
    for a, b in zip(local, remote):
        assert list(b) == list(KEYS)
        for key in KEYS:
            if key in EXACT or not isinstance(a[key], float):
                assert b[key] == a[key], key
            else:
                assert b[key] == pytest.approx(a[key], rel=1e-12, abs=1e-300), key


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the result ---------------------------------------------------------------------------

@pytest.mark.parametrize("tasks", [1, 2, 3, 5, 7])
def test_a_cluster_run_equals_a_local_run_whatever_the_number_of_pieces(tmp_path, scheduler, tasks):
    x = sample(7000, seed=tasks)
    np.save(tmp_path / "x.npy", x)
    shard = math.ceil(len(x) / tasks)
    assert len(cluster.pieces([str(tmp_path / "x.npy")], shard)) == tasks
    local = stats_json(*FUNCTIONS, "-i", str(tmp_path / "x.npy"))
    remote = cluster.summarise(scheduler, FUNCTIONS, [str(tmp_path / "x.npy")],
                               shard=shard).records()
    assert_equal_to_rounding(local, remote)


def test_several_files_of_every_kind_in_an_odd_number_of_tasks(tmp_path, scheduler):
    parts = [sample(n, seed=n) for n in (2500, 1000, 3500, 800)]
    np.save(tmp_path / "a.npy", parts[0])
    np.save(tmp_path / "b.npy", parts[1].astype(np.float32))
    np.save(tmp_path / "c.npy", parts[2])
    (tmp_path / "d.csv").write_text("x\n" + "".join(f"{v!r}\n" for v in parts[3].tolist()))
    sources = [str(tmp_path / "*.npy"), str(tmp_path / "d.csv")]
    assert len(cluster.pieces(sources, 1200)) == 3 + 1 + 3 + 1
    assert len(cluster.pieces(sources[:1], 1200)) == 7  # pairs, then a carried one
    assert len(cluster.pieces(sources[:1], 900)) == 3 + 2 + 4
    for chosen, shard in ((sources, 1200), (sources[:1], 1200), (sources[:1], 900)):
        local = stats_json(*FUNCTIONS, *(a for source in chosen for a in ("-i", source)))
        remote = cluster.summarise(scheduler, FUNCTIONS, chosen, shard=shard).records()
        assert_equal_to_rounding(local, remote)
    # and through the command line, a task per file
    assert_equal_to_rounding(stats_json(*FUNCTIONS, "-i", sources[0]),
                             stats_json(*FUNCTIONS, "-i", sources[0], "--scheduler", scheduler))


def test_key_and_column_reach_the_workers(tmp_path, scheduler):
    rng = np.random.default_rng(11)
    np.savez(tmp_path / "acts.npz", a=rng.normal(-1.0, 1.0, 900), b=rng.normal(1.0, 2.0, 1300))
    rows = rng.normal(0.0, 1.0, (500, 2)) * [1.0, 3.0] + [-2.0, 1.0]
    (tmp_path / "acts.csv").write_text("x,y\n" + "".join(f"{u!r},{v!r}\n" for u, v in rows.tolist()))
    for source, option, chosen, other in ((tmp_path / "acts.npz", "--key", "b", "a"),
                                          (tmp_path / "acts.csv", "-c", "y", "x")):
        local = stats_json(*FUNCTIONS, "-i", str(source), option, chosen)
        remote = stats_json(*FUNCTIONS, "-i", str(source), option, chosen, "--scheduler", scheduler)
        assert_equal_to_rounding(local, remote)
        wrong = stats_json(*FUNCTIONS, "-i", str(source), option, other)
        assert wrong[0]["dead_fraction"] != local[0]["dead_fraction"]
    # what a local run refuses, the cluster's client refuses, before any task
    np.save(tmp_path / "x.npy", np.arange(3.0))
    assert "--key applies to .npz" in fails(2, "relu", "-i", str(tmp_path / "x.npy"), "--key", "a",
                                            "--scheduler", scheduler)


def test_relative_paths_are_read_by_workers_in_another_directory(tmp_path, monkeypatch,
                                                                 empty_cluster):
    (tmp_path / "acts").mkdir()
    (tmp_path / "elsewhere").mkdir()
    for i in range(3):
        np.save(tmp_path / "acts" / f"{i}.npy", sample(1000, seed=i))
    monkeypatch.chdir(tmp_path)
    local = stats_json(*FUNCTIONS, "-i", "acts/*.npy")

    def start_a_worker_elsewhere(line: str) -> None:
        # The tasks are submitted; the worker that takes them works in another directory.
        assert line.startswith(f"waiting for workers at {empty_cluster.scheduler_address}")
        os.chdir(tmp_path / "elsewhere")
        empty_cluster.scale(1)

    remote = cluster.summarise(empty_cluster.scheduler_address, FUNCTIONS, ["acts/*.npy"],
                               notice_after=0.1, timeout=30, notify=start_a_worker_elsewhere)
    assert_equal_to_rounding(local, remote.records())


def test_a_worker_that_cannot_read_a_file_says_so(tmp_path, empty_cluster):
    path = tmp_path / "x.npz"
    np.savez(path, a=np.arange(5.0))

    def lose_the_file_then_start_a_worker(_: str) -> None:
        path.unlink()  # this machine read it; the worker will not find it
        empty_cluster.scale(1)

    with pytest.raises(cluster.ClusterError) as caught:
        cluster.summarise(empty_cluster.scheduler_address, ["relu"], [str(path)],
                          notice_after=0.1, timeout=30, notify=lose_the_file_then_start_a_worker)
    message = str(caught.value)
    assert message.startswith("the worker at tcp://") and "\n" not in message
    assert f"cannot read {path}: No such file or directory" in message
    assert "shared file system" in message


# --- addresses ----------------------------------------------------------------------------

@pytest.mark.parametrize("text,url", [
    ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
    ("10.0.0.5:8786", "tcp://10.0.0.5:8786"),
    (" localhost:8786 ", "tcp://localhost:8786"),
    ("TLS://sched-1.example.org:08786", "tls://sched-1.example.org:8786"),
    ("tcp://[::1]:8786", "tcp://[::1]:8786"),
    ("inproc://192.0.2.2/9225/1", "inproc://192.0.2.2/9225/1"),
])
def test_addresses_dask_takes(text, url):
    assert cluster.parse_address(text).url == url


@pytest.mark.parametrize("text,says", [
    ("foo", "has no port"),
    ("http://host:8786", "web address"),
    ("https://host:8787/status", "web address"),
    ("udp://host:8786", "unknown protocol udp://"),
    ("tcp://host", "has no port"),
    ("tcp://host:8786/", "port must be a number"),
    ("tcp://host:0", "port must be a number"),
    ("tcp://host:65536", "port must be a number"),
    ("tcp://:8786", "no host"),
    ("tcp://::1:8786", "IPv6 host goes in brackets"),
    ("tcp://my host:8786", "'my host' is not a host name"),
    ("tcp://[::1]", "has no port"),
    ("tcp://host:８７８６", "port must be a number"),
    ("inproc://", "has no port"),
    ("", "has no port"),
])
def test_a_bad_address_is_refused_before_any_connection(monkeypatch, tmp_path, text, says):
    def no_network(*args, **kwargs):
        raise AssertionError("no connection may be tried")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "socket", no_network)
    np.save(tmp_path / "x.npy", np.arange(3.0))
    message = fails(2, "relu", "-i", str(tmp_path / "x.npy"), "--scheduler", text)
    assert f"--scheduler {text!r}" in message and says in message
    assert "tcp://10.0.0.5:8786" in message  # an example of what to give
    assert issubclass(cluster.AddressError, InputError)


def test_without_dask_the_extra_is_named(monkeypatch, tmp_path):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == "distributed" else find_spec(name, *args))
    np.save(tmp_path / "x.npy", np.arange(3.0))
    message = fails(1, "relu", "-i", str(tmp_path / "x.npy"), "--scheduler", "tcp://127.0.0.1:1")
    assert "--scheduler needs Dask: pip install 'dask[distributed]'" in message


def test_stdin_cannot_be_sent_to_a_cluster():
    assert "stdin cannot be sent" in fails(2, "relu", "--scheduler", "tcp://127.0.0.1:1",
                                           stdin="1\n")


def test_timeout_is_checked(tmp_path):
    np.save(tmp_path / "x.npy", np.arange(3.0))
    x = str(tmp_path / "x.npy")
    assert "give --scheduler" in fails(2, "relu", "-i", x, "--timeout", "5")
    for bad in ("0", "-1", "nan", "inf"):
        assert "--timeout must be a positive" in fails(2, "relu", "-i", x, "--timeout", bad,
                                                        "--scheduler", "tcp://127.0.0.1:8786")


# --- what answers, or does not ------------------------------------------------------------

def test_a_refused_connection_is_reported_at_once_as_a_refusal(tmp_path):
    np.save(tmp_path / "x.npy", np.arange(3.0))
    port = closed_port()
    started = time.monotonic()
    message = fails(1, "relu", "-i", str(tmp_path / "x.npy"), "--scheduler",
                    f"127.0.0.1:{port}", "--timeout", "30")
    assert time.monotonic() - started < 30  # the limit is for an answer, not for a refusal
    assert f"connection refused at tcp://127.0.0.1:{port}" in message
    assert issubclass(cluster.ClusterError, RunError)


@contextlib.contextmanager
def serving(handle) -> Iterator[int]:
    """A TCP server on localhost that gives each connection to `handle`; yields its port."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)  # to see `done` soon
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                handle(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        done.set()
        thread.join()
        server.close()


@contextlib.contextmanager
def dashboard() -> Iterator[int]:
    """An HTTP server (as the dashboard is): it says nothing until it has a request."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_the_dashboards_port_is_not_taken_for_the_schedulers(tmp_path):
    np.save(tmp_path / "x.npy", np.arange(3.0))
    with dashboard() as port:
        started = time.monotonic()
        message = fails(1, "relu", "-i", str(tmp_path / "x.npy"), "--scheduler",
                        f"tcp://127.0.0.1:{port}", "--timeout", "1")
        assert time.monotonic() - started < 1 + MARGIN
        assert f"tcp://127.0.0.1:{port} is not a Dask scheduler: it said nothing within 1 s" in message
        assert "dashboard" in message and "8786" in message
        heard: list[str] = []
        with pytest.raises(cluster.ClusterError):
            cluster.summarise(f"tcp://127.0.0.1:{port}", ["relu"], [str(tmp_path / "x.npy")],
                              timeout=1.0, notice_after=0.2, notify=heard.append)
    assert len(heard) == 1 and "says nothing" in heard[0] and "dashboard" in heard[0]
    assert heard[0].endswith("giving up after 1 s (--timeout)")


@pytest.mark.parametrize("peer,says", [
    (lambda conn: conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n"), "another protocol ('HTTP/1.1'"),
    (lambda conn: conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n"), "another protocol ('SSH-2.0-'"),
    (lambda conn: None, "closed the connection without a word"),
])
def test_a_peer_that_speaks_something_else_is_named_at_once(tmp_path, peer, says):
    np.save(tmp_path / "x.npy", np.arange(3.0))
    with serving(peer) as port:
        started = time.monotonic()
        message = fails(1, "relu", "-i", str(tmp_path / "x.npy"), "--scheduler",
                        f"tcp://127.0.0.1:{port}", "--timeout", "30")
        assert time.monotonic() - started < 30
    assert f"tcp://127.0.0.1:{port} is not a Dask scheduler: it" in message and says in message


def test_a_host_that_is_not_found_is_named():
    # .invalid never resolves (RFC 2606): NXDOMAIN, or a resolver failure without DNS
    with pytest.raises(cluster.ClusterError) as caught:
        cluster.probe(cluster.parse_address("tcp://no-such-host.invalid:8786"), timeout=1.0)
    assert str(caught.value).startswith("cannot find the host 'no-such-host.invalid' of the "
                                        "Dask scheduler tcp://no-such-host.invalid:8786: ")


def test_a_host_that_does_not_answer_is_given_up_on(tmp_path):
    # A listening socket with a full backlog drops further connection attempts, as a
    # firewall or a host that is down does.
    with socket.create_server(("127.0.0.1", 0), backlog=0) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):
            heard: list[str] = []
            started = time.monotonic()
            with pytest.raises(cluster.ClusterError) as caught:
                cluster.probe(cluster.parse_address(f"127.0.0.1:{port}"), timeout=1.0,
                              notice_after=0.2, notify=heard.append)
            assert time.monotonic() - started < 1 + MARGIN
    assert str(caught.value).startswith(f"no answer from tcp://127.0.0.1:{port} within 1 s (")
    assert heard == [f"no answer yet from tcp://127.0.0.1:{port}; giving up after 1 s (--timeout)"]


def test_a_scheduler_without_workers_is_given_up_on(tmp_path, empty_cluster):
    np.save(tmp_path / "x.npy", np.arange(3.0))
    address = empty_cluster.scheduler_address
    started = time.monotonic()
    message = fails(1, "relu", "-i", str(tmp_path / "x.npy"), "--scheduler", address,
                    "--timeout", "1")
    assert time.monotonic() - started < 1 + MARGIN
    assert f"no worker joined the Dask scheduler at {address} within 1 s" in message
    assert f"`dask worker {address}`" in message
    heard: list[str] = []
    with pytest.raises(cluster.ClusterError):
        cluster.summarise(address, ["relu"], [str(tmp_path / "x.npy")], timeout=1.0,
                          notice_after=0.2, notify=heard.append)
    assert heard == [f"waiting for workers at {address}: none has joined; "
                     "giving up after 1 s (--timeout)"]


def test_a_scheduler_that_stops_is_reported_in_one_line(tmp_path, caplog):
    np.save(tmp_path / "x.npy", np.arange(3.0))
    lan = distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp",
                                   dashboard_address=DASHBOARD)
    address = lan.scheduler_address
    with pytest.raises(cluster.ClusterError) as caught:
        cluster.summarise(address, ["relu"], [str(tmp_path / "x.npy")], timeout=30,
                          notice_after=0.1, notify=lambda _: lan.close())
    assert str(caught.value).startswith(f"lost the connection to the Dask scheduler at {address}")
    # not Dask's own report, twenty lines on stderr in a process of its own
    assert not [r for r in caplog.records if r.name == "distributed.client"]


def test_as_a_process_each_failure_is_one_line_on_stderr(tmp_path):
    np.save(tmp_path / "x.npy", np.arange(3.0))
    port = closed_port()
    for address, code, says in ((f"tcp://127.0.0.1:{port}", 1, "connection refused"),
                                ("http://127.0.0.1:8786", 2, "web address")):
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "actcli", "stats",
                               "relu", "-i", str(tmp_path / "x.npy"), "--scheduler", address],
                              capture_output=True, text=True, env=subprocess_env(), timeout=120)
        assert done.returncode == code and done.stdout == ""
        said = [line for line in done.stderr.splitlines() if not line.startswith("import time:")]
        assert len(said) == 1 and said[0].startswith("actcli: error: ") and says in said[0], said
        imported = {line.rsplit("|", 1)[1].strip().split(".")[0]
                    for line in done.stderr.splitlines() if line.startswith("import time:")}
        assert "distributed" not in imported  # both are known before Dask is imported
