"""Shell completion: the scripts in actcli/completions/ (package data, printed by `actcli
completion SHELL`) are what scripts/generate_completions.py makes of the templates and the
app today; the bash template and script pass shellcheck;
and bash, zsh and fish, each driven for real with the shipped script, offer what actcli
itself offers (Typer's dynamic protocol), plus the issues' examples.

bash: the script is sourced and its completion function called as readline would
(COMP_LINE, COMP_POINT, COMP_WORDS split at ':' and '='). zsh: an interactive zsh on a
pseudo-terminal loads the script from $fpath with compinit, a TAB is typed, and every
candidate handed to compadd is recorded. fish: `complete -C` with the script on
$fish_complete_path. A shell that is not installed is skipped (.ci/run installs them).
"""

from __future__ import annotations

import importlib.util
import os
import pty
import re
import select
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from actcli import cli

# The shipped scripts, which the shells below load as a user's would.
SCRIPTS = PACKAGED = ROOT / "actcli" / "completions"
SHELLS = ("bash", "zsh", "fish")


def load_generator():
    """scripts/generate_completions.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "generate_completions", ROOT / "scripts" / "generate_completions.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through it
    spec.loader.exec_module(module)
    return module


def offered_by_actcli(line: str) -> set[str]:
    """What actcli itself offers at the end of `line` (Typer's protocol, as fish asks)."""
    result = CliRunner().invoke(cli.app, [], prog_name="actcli", env={
        "_ACTCLI_COMPLETE": "complete_fish", "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "_TYPER_COMPLETE_ARGS": line})
    assert result.exit_code == 0, result.output
    return {row.split("\t")[0] for row in result.stdout.splitlines() if row}


# --- the scripts are current ----------------------------------------------------------------

def test_scripts_are_what_the_generator_makes_of_the_app_today():
    stale = [name for name, text in load_generator().render_all().items()
             if not (PACKAGED / name).exists() or (PACKAGED / name).read_text() != text]
    assert not stale, f"stale: {stale}; run python scripts/generate_completions.py"


def test_zsh_script_can_live_on_fpath():
    assert (SCRIPTS / "_actcli").read_text().startswith("#compdef actcli\n")


def test_generator_check_mode_reports_a_stale_script(tmp_path, monkeypatch, capsys):
    generator = load_generator()
    for name in generator.FILES.values():
        (tmp_path / name).write_text((PACKAGED / name).read_text())
    monkeypatch.setattr(generator, "OUTPUT", tmp_path)
    assert generator.main(["--check"]) == 0
    (tmp_path / "actcli.fish").write_text("# edited by hand\n")
    assert generator.main(["--check"]) == 1
    assert f"+++ b/{tmp_path / 'actcli.fish'}" in capsys.readouterr().out


def test_the_shell_code_lives_in_the_templates():
    """The generator writes only lists: no shell function is defined in it."""
    generator = (ROOT / "scripts" / "generate_completions.py").read_text()
    assert not re.search(r"^\s*(function \w+|\w+\(\) \{)\s*$", generator, re.MULTILINE)
    for shell, script in load_generator().FILES.items():
        template = (PACKAGED / "templates" / load_generator().TEMPLATE_FILES[shell]).read_text()
        head, _, _ = template.partition("# @lists@")
        assert (PACKAGED / script).read_text().startswith(head)


@pytest.mark.parametrize("path", [PACKAGED / "templates" / "bash.sh", PACKAGED / "actcli.bash"],
                         ids=["template", "script"])
def test_bash_passes_shellcheck(path):
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck); "
                    "it lints the bash template and script (zsh and fish it cannot)")
    # The template alone uses the lists it is completed with (SC2154: not assigned).
    exclude = ["--exclude=SC2154"] if path.parent.name == "templates" else []
    result = subprocess.run([shellcheck, "--shell=bash", *exclude, str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_parse(shell):
    """What shellcheck cannot lint, the shell itself at least parses (-n)."""
    path = PACKAGED / load_generator().FILES[shell]
    result = subprocess.run([require(shell), "-n", str(path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and not result.stderr, result.stderr


# --- `actcli completion SHELL` prints the packaged script -----------------------------------

@pytest.mark.parametrize("shell", SHELLS)
def test_completion_command_prints_the_packaged_script(shell):
    result = CliRunner().invoke(cli.app, ["completion", shell])
    assert result.exit_code == 0, result.output
    assert result.stdout == (PACKAGED / cli.COMPLETION_SCRIPTS[shell]).read_text()


def test_completion_command_refuses_an_unknown_shell_in_one_line():
    result = subprocess.run([sys.executable, "-m", "actcli", "completion", "tcsh"],
                            capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "actcli: error: unknown shell 'tcsh': expected bash, zsh or fish\n"


# --- driving the shells ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """An empty HOME and current directory with two plot files, and an `actcli` on PATH
    (fish loads a command's completions only if the command exists; the scripts' dynamic
    fallback runs it)."""
    base = tmp_path_factory.mktemp("completion")
    (base / "bin").mkdir()
    launcher = base / "bin" / "actcli"
    launcher.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}${{PYTHONPATH:+:$PYTHONPATH}}" '
                        f'exec "{sys.executable}" -m actcli "$@"\n')
    launcher.chmod(launcher.stat().st_mode | stat.S_IEXEC)
    for name in ("plot_a.png", "plot_b.svg"):
        (base / name).write_text("")
    return base


def shell_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BASH_", "ZDOTDIR", "XDG_"))}
    env.update(HOME=str(workdir), TERM="dumb", PATH=f"{workdir / 'bin'}{os.pathsep}{env['PATH']}",
               XDG_CONFIG_HOME=str(workdir / ".config"), XDG_DATA_HOME=str(workdir / ".data"))
    return env


def require(shell: str) -> str:
    path = shutil.which(shell)
    if path is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs bash, zsh and fish with apt)")
    return path


def current_word(line: str) -> str:
    return "" if line.endswith(" ") else line.split(" ")[-1]


def bash_complete(workdir: Path, line: str, prelude: str = "") -> set[str]:
    # readline's words: split at blanks, with runs of ':' and '=' as words of their own.
    words = re.findall(r"[^\s:=]+|[:=]+", line) + ([""] if line.endswith(" ") else [])
    script = (f'source "{SCRIPTS / "actcli.bash"}"\n{prelude}\n'
              'COMP_LINE=$1; COMP_POINT=${#COMP_LINE}; shift\n'
              'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))\n'
              '_actcli actcli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"\n'
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    result = subprocess.run([require("bash"), "--norc", "--noprofile", "-c", script, "bash", line,
                             *words], capture_output=True, text=True, cwd=workdir,
                            env=shell_env(workdir), timeout=60)
    assert result.returncode == 0 and not result.stderr, result.stderr
    # Replies replace the text after the current word's last ':' or '=', as readline does.
    cur = current_word(line)
    head = cur[:max(cur.rfind(":"), cur.rfind("=")) + 1]
    return {head + reply for reply in result.stdout.splitlines() if reply}


def fish_complete(workdir: Path, line: str, prelude: str = "") -> set[str]:
    script = (f'set -p fish_complete_path "{SCRIPTS}"\n{prelude}\n'
              'complete -C $argv[1]\n')
    result = subprocess.run([require("fish"), "--no-config", "-c", script, line], capture_output=True,
                            text=True, cwd=workdir, env=shell_env(workdir), timeout=60)
    assert result.returncode == 0 and not result.stderr, result.stderr
    return {row.split("\t")[0] for row in result.stdout.splitlines() if row}


ZSH_HARNESS = r'''
PS1= PROMPT= RPROMPT=
unsetopt auto_list beep
LISTMAX=100000
autoload -Uz compinit && compinit -u -D
# Record every candidate the completion system is handed (not compadd's own look-ups).
compadd() {
    if [[ ${@[1,(i)(-|--)]} == *-[OAD]\ * ]]; then
        builtin compadd "$@"
        return
    fi
    local -a found
    builtin compadd -O found "$@"
    (( $#found )) && print -rl -- "${found[@]/#/$IPREFIX}" >> $HARNESS_OUT
    builtin compadd "$@"
}
# _main_complete empties comppostfuncs before calling them.
_harness_end() {
    print -r -- '<<end>>' >> $HARNESS_OUT
    comppostfuncs+=(_harness_end)
}
comppostfuncs=(_harness_end)
print -r -- ${(U):-harness ready}
'''


class ZshSession:
    """An interactive zsh on a pseudo-terminal; each completion types a line and a TAB."""

    def __init__(self, workdir: Path, setup: str) -> None:
        self.out = workdir / f"zsh-{time.monotonic_ns()}.out"
        harness = workdir / f"harness-{time.monotonic_ns()}.zsh"
        harness.write_text(setup + ZSH_HARNESS)
        self.leader, follower = pty.openpty()
        env = dict(shell_env(workdir), HARNESS_OUT=str(self.out))
        self.process = subprocess.Popen([require("zsh"), "-f", "-i"], stdin=follower, stdout=follower,
                                        stderr=follower, cwd=workdir, env=env, start_new_session=True)
        os.close(follower)
        self.screen = b""
        os.write(self.leader, f"source {harness}\n".encode())
        self._until(lambda: b"HARNESS READY" in self.screen)

    def _until(self, done: Callable[[], bool], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"zsh did not answer: {self.screen[-2000:]!r}")
            ready, _, _ = select.select([self.leader], [], [], 0.05)
            if ready:
                self.screen += os.read(self.leader, 65536)

    def _records(self) -> list[str]:
        return self.out.read_text().splitlines() if self.out.exists() else []

    def complete(self, line: str) -> set[str]:
        done = self._records().count("<<end>>")
        os.write(self.leader, b"\x15" + line.encode() + b"\t")  # ^U empties the line first
        self._until(lambda: self._records().count("<<end>>") > done)
        records = self._records()
        start = max((i for i, r in enumerate(records[:-1]) if r == "<<end>>"), default=-1) + 1
        return set(records[start:-1])

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.leader)


@pytest.fixture(scope="module")
def zsh_session(workdir) -> Iterator[ZshSession]:
    require("zsh")
    session = ZshSession(workdir, f'fpath=("{SCRIPTS}" $fpath)\n')
    yield session
    session.close()


@pytest.fixture(params=SHELLS)
def complete(request, workdir) -> Callable[[str], set[str]]:
    """`complete(line)`: the candidates the shell offers at the end of line, as full words."""
    if request.param == "bash":
        return lambda line: bash_complete(workdir, line)
    if request.param == "fish":
        return lambda line: fish_complete(workdir, line)
    session = request.getfixturevalue("zsh_session")
    return session.complete


# --- what the shells offer ------------------------------------------------------------------

def test_function_names_and_aliases(complete):
    offered = complete("actcli eval si")
    assert {"sigmoid", "silu"} <= offered
    assert all(word.startswith("si") for word in offered)  # not SiLU: matched as typed
    assert "gelu" in complete("actcli info ge")
    assert {"leaky_relu", "lrelu"} <= complete("actcli compare relu l")
    assert "LeakyReLU" in complete("actcli plot Le")


def test_parameter_names_after_fn_colon(complete):
    assert complete("actcli eval leaky_relu:") == {"leaky_relu:negative_slope="}
    assert complete("actcli grad LeakyReLU:neg") == {"LeakyReLU:negative_slope="}
    assert complete("actcli info hardtanh:min_val=-2,") == {
        "hardtanh:min_val=-2,min_val=", "hardtanh:min_val=-2,max_val="}
    assert complete("actcli eval relu:") == set()
    assert complete("actcli eval leaky_relu:negative_slope=") == set()  # a value now


def test_subcommands_and_options(complete):
    assert {"eval", "grad", "compare", "plot", "depth", "list", "info"} <= complete("actcli ")
    assert complete("actcli --ver") == {"--version"}
    assert {"--num", "--step", "--format", "--help"} <= complete("actcli eval relu --")


def test_negative_numbers_are_values_and_given_options_are_not_offered_again(complete):
    assert complete("actcli eval relu -3 2 --nu") == {"--num"}
    assert "--num" not in complete("actcli eval relu -3 2 --num 3 --nu")
    assert complete("actcli eval --step -1 si") >= {"sigmoid", "silu"}
    assert complete("actcli eval relu -p negative_slope=1 --par") == {"--param"}  # repeatable



def test_completion_goes_on_after_an_option_given_twice():
    # Running, `-f csv -f json` is refused; completing, the line is still being typed.
    assert offered_by_actcli("actcli eval relu -f csv -f j") == {"json", "jsonl"}


def test_output_files(complete):
    assert complete("actcli plot relu -o plot_") == {"plot_a.png", "plot_b.svg"}


def test_data_files_of_stats_and_plot(complete):
    assert complete("actcli stats relu -i plot_") == {"plot_a.png", "plot_b.svg"}
    assert complete("actcli plot relu --data plot_") == {"plot_a.png", "plot_b.svg"}


def test_init_schemes(complete):
    assert complete("actcli depth relu --init ") == {"he", "xavier", "lecun", "normal:"}
    assert complete("actcli depth relu --init n") == {"normal:"}
    assert complete("actcli depth relu --init=x") == {"--init=xavier"}


def test_parameter_names_of_the_function_on_the_line_after_p(complete):
    assert complete("actcli eval leaky_relu -p ") == {"negative_slope="}
    assert complete("actcli grad LEAKY-RELU -3 3 --param neg") == {"negative_slope="}
    assert complete("actcli info hardtanh -p min_val=-2 -p m") == {"min_val=", "max_val="}
    assert complete("actcli eval hardtanh --param=ma") == {"--param=max_val="}
    assert complete("actcli eval elu:alpha=2 -p ") == {"alpha="}
    assert complete("actcli eval relu -p ") == set()  # no parameters
    assert complete("actcli eval -p ") == set()  # no function yet
    assert complete("actcli eval leaky_relu -p negative_slope=") == set()  # a value now


def test_completion_shells(complete):
    assert complete("actcli completion ") == {"bash", "zsh", "fish"}
    assert complete("actcli comp") == {"compare", "completion"}
    assert complete("actcli completion bash ") == set()


LINES = [
    "actcli ", "actcli e", "actcli -", "actcli --d", "actcli eval ", "actcli eval si",
    "actcli eval Leaky", "actcli eval leaky_relu:", "actcli eval LEAKY-RELU:neg",
    "actcli eval hardtanh:min_val=1,", "actcli eval relu -3 2 --", "actcli eval --num 3 --",
    "actcli eval -p a=1 --p", "actcli eval --step -1 si", "actcli eval --format ",
    "actcli eval --dtype ", "actcli grad ", "actcli compare relu el",
    "actcli compare relu tanh -3 3 --g", "actcli info ge", "actcli list --", "actcli depth relu --in",
    "actcli depth --init ", "actcli plot --format ", "actcli plot si",
    "actcli depth relu --init n", "actcli eval leaky_relu -p ", "actcli info hardtanh -p m",
    "actcli grad elu:alpha=2 -1 1 --param ", "actcli eval -p ", "actcli completion ",
    "actcli completion z", "actcli eval leaky_relu:negative_slope=",
]


@pytest.mark.parametrize("line", LINES)
def test_the_scripts_offer_what_actcli_offers(complete, line):
    assert complete(line) == offered_by_actcli(line)


@pytest.mark.parametrize("line", ["actcli eval --format=", "actcli plot -o x --format=",
                                  "actcli depth relu --init=", "actcli eval hardtanh --param="])
def test_option_values_after_equals(complete, line):
    name = line.rsplit(" ", 1)[1]
    expected = {name + value for value in offered_by_actcli(line[:-1] + " ")}
    assert complete(line) == expected


# --- a subcommand the script does not know is completed by actcli ---------------------------

def test_bash_asks_actcli_about_an_unknown_subcommand(workdir):
    forget = '_actcli_commands=${_actcli_commands/ list/}'
    assert bash_complete(workdir, "actcli list --f", forget) == {"--format"}


def test_fish_asks_actcli_about_an_unknown_subcommand(workdir):
    forget = ('complete -C "actcli " > /dev/null\n'  # loads the script
              'functions -c __actcli_commands __known\n'
              'function __actcli_commands; __known | string match -v "list*"; end')
    assert fish_complete(workdir, "actcli list --f", forget) == {"--format"}


def test_zsh_sourced_after_compinit_asks_actcli_about_an_unknown_subcommand(workdir):
    require("zsh")
    session = ZshSession(workdir, "")
    try:
        os.write(session.leader, (f'source "{SCRIPTS / "_actcli"}"; '
                                  '_actcli_commands=(${_actcli_commands:#list:*})\n').encode())
        assert session.complete("actcli eval si") >= {"sigmoid", "silu"}
        assert session.complete("actcli list --f") == {"--format"}
    finally:
        session.close()


# --- Typer's own completion keeps working ---------------------------------------------------

@pytest.mark.parametrize("shell", SHELLS)
def test_typer_show_completion_still_works(shell, workdir):
    env = dict(shell_env(workdir), _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    result = subprocess.run([str(workdir / "bin" / "actcli"), "--show-completion", shell],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "_ACTCLI_COMPLETE=complete_" + shell in result.stdout
