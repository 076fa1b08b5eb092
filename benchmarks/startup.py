"""Start-up time of the actcli command line against the framework it is built on.

    python benchmarks/startup.py [--runs 20]

Runs, interleaved round by round so that machine noise hits every case alike, and
reports the minimum (the least disturbed run) and the median of:

- `actcli eval relu -3 2` with stdout on a pipe (as in `| cat`);
- `actcli --help`;
- a minimal Typer app (one file: numpy and typer imported, two commands, one taking a
  string and a float): what any Typer CLI built on NumPy costs;
- `python -c "import numpy, typer"`: the import floor;
- one TAB, `actcli eval si<TAB>`, answered by actcli (Typer's dynamic protocol, what
  `--install-completion` installs; fish's script asks twice per TAB) and by the shipped
  static actcli/completions/actcli.bash (bash started, script sourced, completion run).

Every case shares a private bytecode cache (PYTHONPYCACHEPREFIX), warmed up first, so
that no case pays for compiling while another reads cached bytecode. The bar for
issue 7: eval <= 1.15 x the minimal Typer app.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAR = 1.15
HEAVY = ("pydantic", "rich", "scipy", "matplotlib", "polars", "pyarrow", "orjson")

MINIMAL_APP = '''\
import numpy
import typer

app = typer.Typer()


@app.command()
def scale(name: str, factor: float) -> None:
    print(name, float(numpy.float64(factor) * 2))


@app.command()
def version() -> None:
    print(numpy.__version__)


if __name__ == "__main__":
    app()
'''


def actcli_command() -> list[str]:
    script = Path(sys.executable).parent / "actcli"
    if script.exists():
        return [str(script)]
    found = shutil.which("actcli")
    return [found] if found else [sys.executable, "-m", "actcli"]


def run_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(argv)}\n{result.stderr.decode()}")
    return elapsed


def imported_modules(actcli: list[str], args: list[str], env: dict[str, str]) -> set[str]:
    # A console script is a Python file: run it under -X importtime as it is.
    interpreter_args = actcli[1:] if actcli[0] == sys.executable else actcli
    result = subprocess.run([sys.executable, "-X", "importtime", *interpreter_args, *args],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="rounds (at least 15) [20]")
    args = parser.parse_args()
    if args.runs < 15:
        parser.error("--runs must be at least 15")

    actcli = actcli_command()
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal_app.py"
        minimal.write_text(MINIMAL_APP)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        tab_env = dict(env, _ACTCLI_COMPLETE="complete_bash", COMP_WORDS="actcli eval si",
                       COMP_CWORD="2")
        bash_tab = ("source actcli/completions/actcli.bash; COMP_LINE='actcli eval si'; "
                    "COMP_POINT=${#COMP_LINE}; COMP_WORDS=(actcli eval si); COMP_CWORD=2; "
                    "_actcli actcli si eval; [[ ${#COMPREPLY[@]} -gt 1 ]]")
        cases: dict[str, tuple[list[str], dict[str, str]]] = {
            "actcli eval relu -3 2 | cat": ([*actcli, "eval", "relu", "-3", "2"], env),
            "actcli --help": ([*actcli, "--help"], env),
            "minimal Typer app": ([sys.executable, str(minimal), "scale", "x", "1.5"], env),
            'python -c "import numpy, typer"': ([sys.executable, "-c", "import numpy, typer"], env),
            "TAB, dynamic (actcli answers)": (actcli, tab_env),
        }
        bash = shutil.which("bash")
        if bash and (ROOT / "actcli" / "completions" / "actcli.bash").exists():
            cases["TAB, static actcli/completions/actcli.bash"] = (
                [bash, "--norc", "--noprofile", "-c", f"cd {ROOT} && {bash_tab}"], env)

        for argv, case_env in cases.values():  # warm up: fill the bytecode cache
            run_once(argv, case_env)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (argv, case_env) in cases.items():
                times[name].append(run_once(argv, case_env))

        modules = imported_modules(actcli, ["eval", "relu", "-3", "2"], env)

    best = {name: min(t) for name, t in times.items()}
    app_time = best["minimal Typer app"]
    floor = best['python -c "import numpy, typer"']
    print(f"start-up, {args.runs} interleaved runs each ({' '.join(actcli)}; "
          f"python {sys.version.split()[0]})\n")
    print(f"{'case':40} {'min s':>7} {'median s':>9} {'/ app':>7} {'/ floor':>8}")
    for name, values in times.items():
        print(f"{name:40} {best[name]:7.3f} {statistics.median(values):9.3f} "
              f"{best[name] / app_time:7.2f} {best[name] / floor:8.2f}")
    ratio = best["actcli eval relu -3 2 | cat"] / app_time
    print(f"\nbar: eval <= {BAR} x minimal Typer app: {ratio:.2f} x, "
          f"{'met' if ratio <= BAR else 'NOT met'}")
    heavy = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    print(f"eval imports {len(modules)} modules; heavy ones: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
