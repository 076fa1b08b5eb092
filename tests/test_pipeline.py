"""actcli inside real shell pipelines: stdin/stdout pipes, head, slow producers, Ctrl-C."""

from __future__ import annotations

import csv
import io
import math
import os
import select
import signal
import subprocess
import sys
import time

import mpref
import numpy as np
from conftest import interruptible, subprocess_env

import actcli

ACTCLI = f"{sys.executable} -m actcli"


def shell(script: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                          env=subprocess_env(), timeout=120, **kwargs)


def test_seq_into_relu_without_a_header():
    result = shell(f"seq -5 5 | {ACTCLI} eval relu")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "-5,0.0" and lines[-1] == "5,5.0" and len(lines) == 11
    with_header = shell(f"seq -1 1 | {ACTCLI} eval relu --header").stdout.splitlines()
    assert with_header[0] == "x,relu"


def test_tutorial_pipeline_with_a_header():
    result = shell(f"printf 'x\\n-2\\n0\\n3\\n' | {ACTCLI} eval sigmoid")
    assert result.stdout.splitlines() == [
        "x,sigmoid", f"-2,{1 / (1 + math.exp(2))!r}", "0,0.5", f"3,{1 / (1 + math.exp(-3))!r}"]


def test_other_columns_pass_through_byte_for_byte_and_results_round_trip(tmp_path):
    rng = np.random.default_rng(3)
    xs = rng.normal(scale=4, size=500)
    source = tmp_path / "acts.csv"
    with source.open("w", newline="") as out:
        out.write('id,"note, quoted",x\n')
        for i, x in enumerate(xs):
            out.write(f'{i:05d}," a, ""b"" ",{float(x)!r}\n')
    result = shell(f"cat {source} | {ACTCLI} grad gelu -c x")
    assert result.returncode == 0
    out_lines = result.stdout.splitlines()
    in_lines = source.read_text().splitlines()
    assert all(o.startswith(i + ",") for i, o in zip(in_lines, out_lines))
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0][-2:] == ["gelu", "gelu_grad"]
    # The results round-trip: the stream writes exactly the library's floats ...
    gelu = actcli.get("gelu")
    values = np.array([[float(r[-2]), float(r[-1])] for r in table[1:]])
    assert np.array_equal(values[:, 0], gelu.f(xs)) and np.array_equal(values[:, 1], gelu.df(xs))
    # ... and they are gelu and gelu' (mpmath references), within test_accuracy's bar.
    for x, (f, df) in list(zip(xs, values))[::25]:
        for order, value in ((0, f), (1, df)):
            exact = mpref.reference("gelu", order, x)
            assert mpref.rel_error(value, exact) <= 1e-12 or mpref.near_root("gelu", order, x), (x, order)


def test_softmax_row_wise_sums_to_one():
    logits = "a,b,c\n2,1,0.1\n-1000,0,1000\n5,5,5\n"
    result = shell(f"{ACTCLI} eval softmax -c a,b,c --only", input=logits)
    rows = [[float(v) for v in line.split(",")] for line in result.stdout.splitlines()[1:]]
    assert [round(v, 4) for v in rows[0]] == [0.6590, 0.2424, 0.0986]
    assert all(math.isclose(sum(r), 1.0, rel_tol=1e-15) for r in rows)


def test_bad_cell_names_line_and_column_after_writing_the_rows_before():
    result = shell(f"printf 'x\\n1\\n2\\nabc\\n4\\n' | {ACTCLI} eval relu; echo status=$? >&2")
    assert result.stdout == "x,relu\n1,1.0\n2,2.0\n"
    message, status = result.stderr.splitlines()
    assert message == "actcli: error: line 4: column 'x': 'abc' is not a number"
    assert status == "status=1"


def test_head_closes_the_pipe_quietly():
    result = shell(f"seq 1 3000000 | {ACTCLI} eval sigmoid | head -1; "
                   "echo \"status=${PIPESTATUS[1]}\" >&2")
    assert result.stdout == f"1,{1 / (1 + math.exp(-1))!r}\n"
    assert result.stderr.splitlines() in (["status=0"], ["status=141"])


def _read_until(stream, wanted: bytes, seconds: float) -> bytes:
    data, deadline = b"", time.monotonic() + seconds
    while wanted not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            data += os.read(stream.fileno(), 1000)
    return data


def test_results_flow_while_the_producer_is_still_writing():
    with subprocess.Popen([sys.executable, "-m", "actcli", "eval", "relu"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(),
                          preexec_fn=interruptible) as process:
        process.stdin.write(b"x\n-1\n2\n")
        process.stdin.flush()
        first = _read_until(process.stdout, b"2,2.0\n", 30)
        assert first == b"x,relu\n-1,0.0\n2,2.0\n", "rows must come out while stdin is still open"
        process.stdin.write(b"3\n")
        process.stdin.close()
        assert process.stdout.read() == b"3,3.0\n" and process.wait(timeout=30) == 0


def test_ctrl_c_while_streaming_exits_130():
    with subprocess.Popen([sys.executable, "-m", "actcli", "eval", "relu"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env(),
                          preexec_fn=interruptible) as process:
        process.stdin.write(b"1\n")
        process.stdin.flush()
        assert _read_until(process.stdout, b"1,1.0\n", 30)  # running, waiting for more input
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and b"Traceback" not in stderr


def test_tsv_and_jsonl_pipelines(tmp_path):
    tsv = shell(f"printf 'x\\tname\\n-1\\tneg\\n' | {ACTCLI} eval elu --tsv").stdout
    assert tsv == f"x\tname\telu\n-1\tneg\t{math.expm1(-1)!r}\n"
    jsonl = shell(f"printf '{{\"x\": 0.5}}\\n' | {ACTCLI} eval tanh --jsonl").stdout
    # The input object's own bytes are kept; the result is appended as a new key.
    assert jsonl == f'{{"x": 0.5,"tanh":{math.tanh(0.5)!r}}}\n'


def test_csv_to_json_streams_through_a_pipe():
    """CSV in, a JSON list out, through real pipes: the list is complete and parseable."""
    result = shell(f"seq -3 3 | {ACTCLI} eval relu -f json | python3 -c "
                   "'import json,sys; print(sum(r[\"relu\"] for r in json.load(sys.stdin)))'")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "6.0"
