"""Write the shell completion scripts from their templates and the actcli command line.

    python scripts/generate_completions.py           rewrite the scripts
    python scripts/generate_completions.py --check   exit 1 if a script is stale

The shell code lives in actcli/completions/templates/ (bash.sh, zsh.zsh, fish.fish, each
a plain script that shellcheck or the shell itself can check); this generator only
writes the lists at the template's `# @lists@` line: subcommands, options, option and
argument values, function names and aliases, parameter names per function, read from
the Typer app and its completion callbacks. So a TAB costs a shell function call
instead of a Python start-up (0.3-0.5 s here, twice per TAB with Typer's fish script;
see benchmarks/startup.py). A subcommand a script does not know (an actcli newer than
the script) is completed by asking actcli, as Typer's own scripts always do.

The scripts are written into actcli/completions/, the package data that `actcli
completion SHELL` prints (a checkout uses them from there too).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperArgument, TyperOption

from actcli.catalog import normalise
from actcli.cli import COMPLETION_SCRIPTS, app

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "actcli" / "completions"
TEMPLATES = ROOT / "actcli" / "completions" / "templates"
FILES = COMPLETION_SCRIPTS  # shell -> script name, as `actcli completion` reads them
TEMPLATE_FILES = {"bash": "bash.sh", "zsh": "zsh.zsh", "fish": "fish.fish"}
LISTS_MARKER = "# @lists@\n"
GENERATOR = "scripts/generate_completions.py"

# Parameters with these metavars complete file names, like Path parameters.
PATH_METAVARS = ("FILE", "PATH", "DIR")
# Options with this metavar complete `KEY=` for the parameters of the function on the line.
PARAMETER_METAVAR = "KEY=VALUE"

# Argument kinds, as the scripts spell them.
FUNCTION, FILE, VALUE, CHOICE = "function", "file", "value", "choice"


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]
    help: str
    takes_value: bool
    repeatable: bool
    values: tuple[str, ...]  # offered for the option's value
    file_value: bool  # the value is a path: the shell completes file names
    parameter_value: bool  # the value is KEY=VALUE: the function's parameter names

    @property
    def spec(self) -> str:
        """One word: aliases joined by '|', then '=' if it takes a value ('=/' for a
        path, '=@' for a parameter of the function on the line), then '*' if it may be
        repeated."""
        value = ""
        if self.takes_value:
            value = "=/" if self.file_value else "=@" if self.parameter_value else "="
        return "|".join(self.names) + value + ("*" if self.repeatable else "")


@dataclass(frozen=True)
class Command:
    name: str  # "" for actcli itself
    help: str
    options: tuple[Option, ...]
    arguments: tuple[str, ...]  # FUNCTION, FILE, VALUE or CHOICE per positional; "..." if variadic
    choices: tuple[tuple[int, tuple[str, ...]], ...]  # (position, values) of CHOICE arguments


@dataclass(frozen=True)
class Model:
    commands: tuple[Command, ...]  # the root first
    functions: tuple[str, ...]  # names and aliases
    parameters: dict[str, tuple[str, ...]]  # normalised function name -> parameter names


def _one_line(text: str | None, limit: int = 72) -> str:
    text = " ".join((text or "").split())
    sentence = re.split(r"(?<=\.)\s", text, maxsplit=1)[0]
    if len(sentence) > limit:
        sentence = sentence[:limit - 3].rsplit(" ", 1)[0] + "..."
    return sentence


def _values(param: Any, ctx: Any, incomplete: str = "") -> tuple[str, ...]:
    return tuple(item.value for item in param.shell_complete(ctx, incomplete))


def _is_path(param: Any) -> bool:
    """A Path or file parameter, or one whose metavar says it names a file (FILE, or a
    choice such as FILE|GLOB)."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and (descriptor.is_path or descriptor.is_file):
        return True
    return any(kind in PATH_METAVARS for kind in (param.metavar or "").split("|"))


def _command(name: str, command: Any, ctx: Any, functions: tuple[str, ...]) -> Command:
    options, arguments, choices = [], [], []
    for param in command.get_params(ctx):
        if isinstance(param, TyperOption) and not param.hidden:
            takes_value = not (param.is_flag or param.count)
            # Long names first; sorted because Click builds the help option's from a set.
            names = sorted((*param.opts, *param.secondary_opts),
                           key=lambda n: (not n.startswith("--"), n))
            options.append(Option(
                names=tuple(names), help=_one_line(param.help),
                takes_value=takes_value, repeatable=param.multiple,
                values=_values(param, ctx) if takes_value else (),
                file_value=takes_value and _is_path(param),
                parameter_value=takes_value and param.metavar == PARAMETER_METAVAR))
        elif isinstance(param, TyperArgument):
            values = _values(param, ctx)
            if values and values != functions:
                choices.append((len(arguments), values))
                kind = CHOICE
            else:
                kind = FUNCTION if values else FILE if _is_path(param) else VALUE
            arguments.append(kind + ("..." if param.nargs == -1 else ""))
    help_text = command.get_short_help_str(limit=72) if name else ""
    return Command(name, help_text, tuple(options), tuple(arguments), tuple(choices))


def describe(root_app: typer.Typer = app) -> Model:
    """Everything the scripts offer, read from the app as its completion would."""
    root = typer.main.get_command(root_app)
    root_ctx = root.make_context("actcli", [], resilient_parsing=True)
    contexts = {"": (root, root_ctx)}
    for name in root.list_commands(root_ctx):
        command = root.get_command(root_ctx, name)
        if command is not None and not command.hidden:
            contexts[name] = (command, command.make_context(name, [], parent=root_ctx,
                                                            resilient_parsing=True))

    # The FN argument: the first argument with completions (every one uses complete_function).
    found = next(((param, ctx) for command, ctx in contexts.values() for param in command.get_params(ctx)
                  if isinstance(param, TyperArgument) and _values(param, ctx)), None)
    if found is None:
        raise SystemExit(f"{GENERATOR}: no argument completes function names")
    param, ctx = found
    functions = _values(param, ctx)
    parameters: dict[str, tuple[str, ...]] = {}
    for function in functions:
        names = tuple(value.rsplit(":", 1)[1].rstrip("=")
                      for value in _values(param, ctx, f"{function}:"))
        if names:
            parameters[normalise(function)] = names

    commands = tuple(_command(name, command, ctx, functions)
                     for name, (command, ctx) in contexts.items())
    return Model(commands, functions, parameters)


# --- quoting and shared pieces ------------------------------------------------------------

def _single_quoted(text: str) -> str:
    """A single-quoted word for bash and zsh."""
    return "'" + text.replace("'", "'\\''") + "'"


def _fish_quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _parameter_groups(model: Model) -> list[tuple[list[str], tuple[str, ...]]]:
    """Function keys grouped by identical parameter lists, for compact case statements."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for key, names in model.parameters.items():
        groups.setdefault(names, []).append(key)
    return [(keys, names) for names, keys in groups.items()]


def _values_offered(model: Model) -> list[tuple[str, str, tuple[str, ...]]]:
    """(command, key, values): key is an option's spec, or #N for argument N."""
    return ([(command.name, option.spec, option.values)
             for command in model.commands for option in command.options if option.values]
            + [(command.name, f"#{position}", values)
               for command in model.commands for position, values in command.choices])


def _fill(shell: str, lists: list[str]) -> str:
    """The shell's template with the lists at its `# @lists@` line."""
    template = (TEMPLATES / TEMPLATE_FILES[shell]).read_text()
    if template.count(LISTS_MARKER) != 1:
        raise SystemExit(f"{GENERATOR}: {TEMPLATE_FILES[shell]} needs one line {LISTS_MARKER!r}")
    return template.replace(LISTS_MARKER, "\n\n".join(lists) + "\n")


# --- bash -------------------------------------------------------------------------------

def _bash_case(function: str, doc: str, key: str,
               entries: list[tuple[str, str]]) -> str:
    lines = [f"# {doc}", f"{function}() {{", f"    case {key} in"]
    lines += [f"        {pattern}) _actcli_reply={_single_quoted(value)} ;;" for pattern, value in entries]
    lines += ["        *) _actcli_reply='' ;;", "    esac", "}"]
    return "\n".join(lines)


def render_bash(model: Model) -> str:
    commands = " ".join(c.name for c in model.commands[1:])
    return _fill("bash", [
        f"_actcli_commands={_single_quoted(commands)}",
        f"_actcli_functions={_single_quoted(' '.join(model.functions))}",
        _bash_case("_actcli_options", "Options of command $1 ('' for actcli itself): "
                   "aliases|joined, '=' takes a value ('=/' a path, '=@' KEY=VALUE), "
                   "'*' repeatable.", '"$1"',
                   [(_single_quoted(c.name), " ".join(o.spec for o in c.options)) for c in model.commands]),
        _bash_case("_actcli_arguments", "Positional arguments of command $1: function, file, "
                   "value or choice, '...' for any number.", '"$1"',
                   [(_single_quoted(c.name), " ".join(c.arguments)) for c in model.commands if c.arguments]),
        _bash_case("_actcli_values", "Values offered for option spec (or argument #N) $2 of "
                   "command $1.", '"$1 $2"',
                   [(_single_quoted(f"{name} {key}"), " ".join(values))
                    for name, key, values in _values_offered(model)]),
        _bash_case("_actcli_parameters", "Parameter names of function $1 (normalised).", '"$1"',
                   [("|".join(keys), " ".join(names)) for keys, names in _parameter_groups(model)]),
    ])


# --- zsh --------------------------------------------------------------------------------

def _zsh_case(function: str, doc: str, key: str, entries: list[tuple[str, list[str]]]) -> str:
    lines = [f"# {doc}", f"{function}() {{", f"    case {key} in"]
    for pattern, values in entries:
        lines.append(f"        ({pattern}) reply=(" + " ".join(map(_single_quoted, values)) + ") ;;")
    lines += ["        (*) reply=() ;;", "    esac", "}"]
    return "\n".join(lines)


def render_zsh(model: Model) -> str:
    commands = " ".join(_single_quoted(f"{c.name}:{c.help}") for c in model.commands[1:])
    return _fill("zsh", [
        f"_actcli_commands=({commands})",
        f"_actcli_functions=({' '.join(model.functions)})",
        _zsh_case("_actcli_options", "Sets reply to the options of command $1 ('' for actcli "
                  "itself) as spec:help; spec: aliases|joined, '=' takes a value ('=/' a path, "
                  "'=@' KEY=VALUE), '*' repeatable.", '"$1"',
                  [(_single_quoted(c.name), [f"{o.spec}:{o.help}" for o in c.options])
                   for c in model.commands]),
        _zsh_case("_actcli_arguments", "Sets reply to the positional arguments of command $1: "
                  "function, file, value or choice, '...' for any number.", '"$1"',
                  [(_single_quoted(c.name), list(c.arguments)) for c in model.commands if c.arguments]),
        _zsh_case("_actcli_values", "Sets reply to the values offered for '$command $spec' "
                  "(or '$command #N' for argument N).", '"$1"',
                  [(_single_quoted(f"{name} {key}"), list(values))
                   for name, key, values in _values_offered(model)]),
        _zsh_case("_actcli_parameters", "Sets reply to the parameter names of function $1 "
                  "(normalised).", '"$1"',
                  [("|".join(keys), list(names)) for keys, names in _parameter_groups(model)]),
    ])


# --- fish -------------------------------------------------------------------------------

def _fish_switch(function: str, doc: str, entries: list[tuple[str, list[str]]]) -> str:
    lines = [f"# {doc}", f"function {function}", "    switch $argv[1]"]
    for pattern, values in entries:
        lines.append(f"        case {pattern}")
        lines += [f"            echo {_fish_quoted(value)}" for value in values]
    lines += ["    end", "end"]
    return "\n".join(lines)


def render_fish(model: Model) -> str:
    return _fill("fish", [
        "function __actcli_commands\n" + "\n".join(
            f"    echo {_fish_quoted(c.name + chr(9) + c.help)}" for c in model.commands[1:]) + "\nend",
        "function __actcli_functions\n    printf '%s\\n' " + " ".join(model.functions) + "\nend",
        _fish_switch("__actcli_options", "Options of command $argv[1] ('' for actcli itself) as "
                     "spec<TAB>help; spec: aliases|joined, '=' takes a value ('=/' a path, "
                     "'=@' KEY=VALUE), '*' repeatable.",
                     [(_fish_quoted(c.name), [f"{o.spec}\t{o.help}" for o in c.options])
                      for c in model.commands]),
        _fish_switch("__actcli_arguments", "Positional arguments of command $argv[1]: function, "
                     "file, value or choice, '...' for any number.",
                     [(_fish_quoted(c.name), list(c.arguments)) for c in model.commands if c.arguments]),
        _fish_switch("__actcli_values", "Values offered for '$command $spec' (or '$command #N' "
                     "for argument N).",
                     [(_fish_quoted(f"{name} {key}"), list(values))
                      for name, key, values in _values_offered(model)]),
        _fish_switch("__actcli_parameters", "Parameter names of function $argv[1] (normalised).",
                     [(" ".join(keys), list(names)) for keys, names in _parameter_groups(model)]),
    ])


RENDERERS = {"bash": render_bash, "zsh": render_zsh, "fish": render_fish}


def render_all(model: Model | None = None) -> dict[str, str]:
    """Script name -> content."""
    model = model or describe()
    return {FILES[shell]: render(model) for shell, render in RENDERERS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="report stale scripts and exit 1 instead of writing")
    args = parser.parse_args(argv)
    stale = 0
    for name, text in render_all().items():
        path = OUTPUT / name
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        old = path.read_text() if path.exists() else ""
        if old == text:
            continue
        if args.check:
            stale += 1
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(keepends=True), text.splitlines(keepends=True),
                f"a/{shown}", f"b/{shown}"))
        else:
            path.write_text(text)
            print(f"wrote {shown}")
    if stale:
        print(f"{stale} completion script(s) stale: run python {GENERATOR}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
