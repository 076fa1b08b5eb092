"""Throughput of `actcli eval sigmoid` over a CSV pipe, against mawk and a Python loop.

    python benchmarks/pipeline.py [--rows 2000000] [--repeat 3] [--rss-rows 20000000]

Generates a one-column CSV of random normal floats (header `x`), appends sigmoid with
each contender, and prints rows/s and the throughput ratio to mawk, all measured in the
same run (best of --repeat, run in turn so that load on the machine hits all alike):

- mawk printing %.17g (not shortest, so it does less than actcli),
- a plain Python loop (float, math.exp, repr),
- the actcli stream engine driven by a tiny script,
- `python -m actcli eval sigmoid` reading stdin, when the CLI can do that.

Then checks actcli's output: the input column is passed through byte for byte, every
result reads back as exactly the value actcli.get('sigmoid') computes, and its digits are
as few as Python's repr needs (shortest round trip). Finally streams --rss-rows rows
through a pipe and reports the peak memory (RSS) of the actcli process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import processes

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

MAWK = ['mawk', '-F,', 'NR==1 {print $0 ",sigmoid"; next} '
        '{printf "%s,%.17g\\n", $0, 1/(1+exp(-$1))}']

PYTHON_LOOP = [PYTHON, "-c", """
import math, sys
lines = iter(sys.stdin)
write = sys.stdout.write
write(next(lines).rstrip("\\n") + ",sigmoid\\n")
for line in lines:
    line = line.rstrip("\\n")
    x = float(line)
    y = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
    write(f"{line},{y!r}\\n")
"""]

ENGINE = [PYTHON, "-c", """
import sys, actcli
from actcli.data import stream
sigmoid = actcli.get("sigmoid")
stream.run(sys.stdin.buffer, sys.stdout.buffer, lambda v: [sigmoid.f(v[:, 0])], ["sigmoid"])
"""]

CLI = [PYTHON, "-m", "actcli", "eval", "sigmoid"]


def generate(path: Path, rows: int, header: bool = True) -> None:
    rng = np.random.default_rng(20240605)
    with path.open("w") as out:
        if header:
            out.write("x\n")
        for start in range(0, rows, 1_000_000):
            block = rng.standard_normal(min(1_000_000, rows - start))
            out.write("\n".join(map(repr, block.tolist())) + "\n")


def cli_available(tmp: Path) -> str | None:
    """None if `python -m actcli eval sigmoid` streams stdin, else why not."""
    probe = tmp / "probe.csv"
    probe.write_text("x\n0\n1\n")
    with probe.open("rb") as stdin:
        done = subprocess.run(CLI, stdin=stdin, capture_output=True, cwd=ROOT, timeout=60)
    lines = done.stdout.decode(errors="replace").splitlines()
    if done.returncode != 0 or lines[:2] != ["x,sigmoid", "0,0.5"]:
        error = done.stderr.decode(errors="replace").strip().splitlines()
        return f"exit {done.returncode}, output {lines[:3]}, {error[-1:] or 'no error text'}"
    return None


def measure(command: list[str], stdin_path: Path | None, stdout_path: Path | None,
            feeder: list[str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of `command` alone."""
    sink = stdout_path.open("wb") if stdout_path else open(os.devnull, "wb")
    source = stdin_path.open("rb") if stdin_path else None
    feed = subprocess.Popen(feeder, stdout=subprocess.PIPE) if feeder else None
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdin=feed.stdout if feed else source, stdout=sink, cwd=ROOT)
    if feed:
        feed.stdout.close()
    ended = processes.wait(proc)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(ended.status)
    if feed:
        feed.wait()
    sink.close()
    if source:
        source.close()
    if proc.returncode != 0:
        raise SystemExit(f"{command[0]} failed with exit code {proc.returncode}")
    return wall, ended.cpu, ended.peak / 2**20


def significant_digits(text: str) -> int:
    mantissa = text.lstrip("-").split("e")[0].replace(".", "")
    return len(mantissa.strip("0")) or 1


def check(data: Path, output: Path, sample: int = 200_000) -> str:
    """Passthrough, exact round trip of every result, shortest digits on a sample."""
    import actcli

    inputs = data.read_bytes().split(b"\n")[1:-1]
    lines = output.read_bytes().split(b"\n")
    if lines[0] != b"x,sigmoid" or lines[-1] != b"" or len(lines) != len(inputs) + 2:
        return "FAILED: header or row count differs"
    passed, results = zip(*(line.rsplit(b",", 1) for line in lines[1:-1]))
    if list(passed) != inputs:
        return "FAILED: the input column was not passed through byte for byte"
    x = np.array(list(map(float, inputs)))
    expected = actcli.get("sigmoid").f(x)
    got = np.array(list(map(float, results)))
    if not np.array_equal(got.view(np.int64), expected.view(np.int64)):
        return f"FAILED: {np.count_nonzero(got != expected)} results differ from the computed values"
    picks = np.random.default_rng(1).choice(len(results), min(sample, len(results)), replace=False)
    longer = sum(significant_digits(results[i].decode()) > significant_digits(repr(got[i]))
                 for i in picks.tolist())
    if longer:
        return f"FAILED: {longer} of {len(picks)} sampled results have more digits than needed"
    return (f"ok: {len(x)} rows passed through byte for byte, every result reads back exactly, "
            f"{len(picks)} sampled results are shortest")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rss-rows", type=int, default=20_000_000,
                        help="rows streamed through a pipe for the memory check (0: skip)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="actcli-bench-") as tmpdir:
        tmp = Path(tmpdir)
        data = tmp / "x.csv"
        generate(data, args.rows)
        contenders: dict[str, list[str]] = {}
        if shutil.which("mawk"):
            contenders["mawk %.17g"] = MAWK
        else:
            print("mawk is not installed (apt-get install -y mawk): no mawk baseline")
        contenders["python loop"] = PYTHON_LOOP
        contenders["actcli engine"] = ENGINE
        why_not = cli_available(tmp)
        if why_not is None:
            contenders["actcli CLI"] = CLI
        else:
            print(f"python -m actcli eval sigmoid not measured: {why_not}")

        best: dict[str, tuple[float, float, float]] = {}
        for _ in range(args.repeat):
            for name, command in contenders.items():
                result = measure(command, data, tmp / f"{name.split()[0]}-{name.split()[-1]}.out")
                if name not in best or result[0] < best[name][0]:
                    best[name] = result

        print(f"\n{args.rows:,} rows, one column, sigmoid appended; best of {args.repeat}")
        reference = best.get("mawk %.17g")
        print(f"{'':16}{'wall s':>8}{'rows/s':>14}{'vs mawk':>9}{'CPU s':>8}{'RSS MB':>8}")
        for name, (wall, cpu, rss) in best.items():
            ratio = f"{reference[0] / wall:.2f}x" if reference else "-"
            print(f"{name:16}{wall:8.2f}{args.rows / wall:14,.0f}{ratio:>9}{cpu:8.2f}{rss:8.0f}")

        for name in ("actcli engine", "actcli CLI"):
            if name in best:
                print(f"{name} output: {check(data, tmp / f'actcli-{name.split()[-1]}.out')}")

        if args.rss_rows:
            body = tmp / "body.csv"
            generate(body, min(args.rss_rows, args.rows), header=False)
            copies = -(-args.rss_rows // min(args.rss_rows, args.rows))
            feeder = ["cat", str(tmp / "head.csv"), *[str(body)] * copies]
            (tmp / "head.csv").write_text("x\n")
            total = copies * min(args.rss_rows, args.rows)
            for name in ("actcli engine", "actcli CLI"):
                if name in contenders:
                    wall, _, rss = measure(contenders[name], None, None, feeder)
                    print(f"{name}: {total:,} rows through a pipe in {wall:.1f} s "
                          f"({total / wall:,.0f} rows/s), peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
