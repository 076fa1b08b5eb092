"""The CLI as a real process: exit codes, terminal vs pipe output, broken pipes, Ctrl-C."""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import select
import shlex
import signal
import subprocess
import sys
import time

import pytest
from conftest import interruptible, subprocess_env

ACTCLI = [sys.executable, "-m", "actcli"]


def actcli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ACTCLI, *args], capture_output=True, text=True, env=subprocess_env(**env),
                          stdin=subprocess.DEVNULL, timeout=60)


def in_terminal(*args: str, **env: str) -> str:
    """Run with stdout on a pseudo-terminal and return what it printed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([*ACTCLI, *args], stdout=follower, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, env=subprocess_env(COLUMNS="100", **env))
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closes when the child exits
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert process.wait(timeout=30) == 0, process.stderr.read()
    process.stderr.close()
    return b"".join(chunks).decode()


def test_python_dash_m_runs_the_main_job():
    result = actcli("eval", "relu", "-3", "2")
    assert result.returncode == 0 and result.stderr == ""
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == ["x", "relu"] and len(table) == 12
    assert all(float(y) == max(0.0, float(x)) for x, y in table[1:])


def test_console_script_is_installed_and_works(actcli_on_path):
    result = subprocess.run(["actcli", "eval", "sigmoid", "2"], capture_output=True, text=True,
                            env=subprocess_env(), timeout=60)
    assert result.returncode == 0 and round(float(result.stdout.splitlines()[1].split(",")[1]), 4) == 0.8808


@pytest.mark.parametrize("args, code", [
    (("eval", "sigmod", "1"), 2), (("eval", "relu", "x1"), 2), (("frobnicate",), 2),
    (("eval", "relu", "--nope"), 2), (("info", "gelu"), 0), (("list",), 0),
])
def test_exit_codes_and_one_line_errors(args, code):
    result = actcli(*args)
    assert result.returncode == code
    if code:
        assert result.stdout == "" and result.stderr.count("\n") == 1
        assert result.stderr.startswith("actcli: error: ") and "Traceback" not in result.stderr


def test_terminal_gets_a_table_and_a_pipe_gets_csv():
    shown = in_terminal("eval", "sigmoid", "-1", "1", "--num", "3")
    assert "sigmoid(x)" in shown and "━" in shown and "0.731059" in shown
    piped = actcli("eval", "sigmoid", "-1", "1", "--num", "3").stdout
    assert piped.splitlines() == ["x,sigmoid", "-1.0,0.2689414213699951", "0.0,0.5",
                                  "1.0,0.7310585786300049"]


def test_format_overrides_the_terminal_default():
    assert in_terminal("eval", "relu", "1", "-f", "csv").replace("\r\n", "\n") == "x,relu\n1.0,1.0\n"


COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7])m")  # a foreground colour, not bold/italic


def test_colour_follows_the_terminal_no_color_and_force_color():
    assert COLOUR.search(in_terminal("eval", "relu", "1"))
    assert not COLOUR.search(in_terminal("eval", "relu", "1", NO_COLOR="1"))
    assert COLOUR.search(actcli("eval", "relu", "1", "-f", "table", FORCE_COLOR="1").stdout)
    assert "\x1b[" not in actcli("eval", "relu", "1", "-f", "table").stdout
    assert "\x1b[" not in actcli("eval", "relu", "1", FORCE_COLOR="1").stdout  # csv


def test_closed_pipe_is_quiet():
    script = f"{' '.join(ACTCLI)} eval relu -1000 1000 --num 2000000 | head -1; " \
             "echo \"status=${PIPESTATUS[0]}\" >&2"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                            env=subprocess_env(), timeout=120)
    assert result.stdout == "x,relu\n"
    status = result.stderr.strip().splitlines()[-1]
    assert status in ("status=0", "status=141")
    assert result.stderr.strip().splitlines()[:-1] == []  # no traceback, no "Exception ignored"


def test_ctrl_c_exits_130_without_a_traceback():
    process = subprocess.Popen([*ACTCLI, "eval", "sigmoid", "-1", "1", "--num", "5000000"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=subprocess_env(), preexec_fn=interruptible)
    time.sleep(3)  # start-up, then it blocks writing to the pipe nobody reads yet
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Traceback" not in stderr


def test_plot_sigmoid_grad_as_typed(tmp_path):
    result = subprocess.run([*ACTCLI, "plot", "sigmoid", "--grad", "-o", "out.png"], cwd=tmp_path,
                            capture_output=True, env=subprocess_env(), timeout=120)
    assert result.returncode == 0 and result.stderr == b""
    assert (tmp_path / "out.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


# --- issue 17: a long range is written as it is computed ----------------------------------

def test_a_long_range_streams_into_head_with_bounded_memory():
    """`actcli eval relu -1e6 1e6 --num 10000000 | head -2`: the range is generated and
    written a chunk at a time, so the process fits in 512 MiB of address space (the whole
    table took 2.2 GB) and ends at the broken pipe once the reader has its two lines."""
    import resource

    limit = 512 * 2**20

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    process = subprocess.Popen(
        [*ACTCLI, "eval", "relu", "-1e6", "1e6", "--num", "10000000"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, preexec_fn=cap,
        env=subprocess_env(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1"))
    lines = [process.stdout.readline() for _ in range(2)]
    process.stdout.close()  # what head does after its two lines
    assert process.wait(timeout=600) == -signal.SIGPIPE, process.stderr.read()
    process.stderr.close()
    assert lines == [b"x,relu\n", b"-1000000.0,0.0\n"]


def test_a_range_piped_into_head_ends_quietly():
    result = subprocess.run(f"{shlex.join(ACTCLI)} grad tanh -1e6 1e6 --num 10000000 | head -3",
                            shell=True, capture_output=True, text=True, env=subprocess_env(),
                            timeout=600)
    assert result.stdout.splitlines() == ["x,tanh,tanh_grad", "-1000000.0,-1.0,0.0",
                                          "-999999.79999998,-1.0,0.0"]
    assert result.stderr == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("eval", "relu", "-3", "2"), ("eval", "relu", "-3", "2", "-f", "json"),
                                  ("plot", "relu", "-o", "-")])
def test_output_that_cannot_be_written_is_a_one_line_failure(args):
    with open("/dev/full", "w") as full:
        result = subprocess.run([*ACTCLI, *args], stdout=full, stderr=subprocess.PIPE, text=True,
                                stdin=subprocess.DEVNULL, env=subprocess_env(), timeout=120)
    assert result.returncode == 1
    assert result.stderr == "actcli: error: cannot write: no space left on device\n"
