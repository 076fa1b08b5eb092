"""Write the shell completion scripts in completions/ from the actcli command line.

    python scripts/generate_completions.py           rewrite completions/
    python scripts/generate_completions.py --check   exit 1 if completions/ is stale

The scripts embed what actcli itself would offer at TAB time (subcommands, options,
option values, function names and aliases, parameter names after `FN:`), read from the
Typer app and its completion callbacks, so a TAB costs a shell function call instead
of a Python start-up (0.3-0.5 s here, twice per TAB with Typer's fish script; see
benchmarks/startup.py). A subcommand a script does not know (an actcli newer than the
script) is completed by asking actcli, as Typer's own scripts always do.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperArgument, TyperOption

from actcli.catalog import normalise
from actcli.cli import app

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "completions"
FILES = {"bash": "actcli.bash", "zsh": "_actcli", "fish": "actcli.fish"}
GENERATOR = "scripts/generate_completions.py"

# Parameters with these metavars complete file names, like Path parameters.
PATH_METAVARS = ("FILE", "PATH", "DIR")

# Argument kinds, as the scripts spell them.
FUNCTION, FILE, VALUE = "function", "file", "value"


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]
    help: str
    takes_value: bool
    repeatable: bool
    values: tuple[str, ...]  # offered for the option's value
    file_value: bool  # the value is a path: the shell completes file names

    @property
    def spec(self) -> str:
        """One word: aliases joined by '|', then '=' if it takes a value ('=/' for a
        path), then '*' if it may be repeated."""
        value = ("=/" if self.file_value else "=") if self.takes_value else ""
        return "|".join(self.names) + value + ("*" if self.repeatable else "")


@dataclass(frozen=True)
class Command:
    name: str  # "" for actcli itself
    help: str
    options: tuple[Option, ...]
    arguments: tuple[str, ...]  # FUNCTION, FILE or VALUE per positional; "..." if variadic


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
    """A Path or file parameter, or one whose metavar says it names a file."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None and (descriptor.is_path or descriptor.is_file):
        return True
    return param.metavar in PATH_METAVARS


def _command(name: str, command: Any, ctx: Any, functions: tuple[str, ...]) -> Command:
    options, arguments = [], []
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
                file_value=takes_value and _is_path(param)))
        elif isinstance(param, TyperArgument):
            values = _values(param, ctx)
            if values and values != functions:
                raise SystemExit(f"{GENERATOR}: argument {param.name!r} of {name!r} completes "
                                 "values other than function names; teach the generator")
            kind = FUNCTION if values else FILE if _is_path(param) else VALUE
            arguments.append(kind + ("..." if param.nargs == -1 else ""))
    help_text = command.get_short_help_str(limit=72) if name else ""
    return Command(name, help_text, tuple(options), tuple(arguments))


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


def _header(shell: str, install: str) -> str:
    return (f"# {shell} completion for actcli. Generated by {GENERATOR} from the actcli\n"
            f"# command line: do not edit (tests/test_completions.py fails when it is stale).\n"
            + textwrap.fill(install, 88, initial_indent="# ", subsequent_indent="# ") + "\n")


def _parameter_groups(model: Model) -> list[tuple[list[str], tuple[str, ...]]]:
    """Function keys grouped by identical parameter lists, for compact case statements."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for key, names in model.parameters.items():
        groups.setdefault(names, []).append(key)
    return [(keys, names) for names, keys in groups.items()]


def _option_values(model: Model) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(command.name, option.spec, option.values)
            for command in model.commands for option in command.options if option.values]


# --- bash -------------------------------------------------------------------------------

BASH_LOGIC = r'''
# Word splitting is done here from COMP_LINE, not with COMP_WORDS, because readline
# splits words at ':' and '=' (leaky_relu:negative_slope=0.2 would be three words).
_actcli() {
    local IFS=$' \t\n' line=${COMP_LINE:0:COMP_POINT} cur='' word command='' pending='' used=' '
    local spec slot
    local -i positionals=0 dashdash=0
    local -a words slots
    COMPREPLY=()
    read -ra words <<< "$line"
    if [[ $line != *[[:space:]] ]]; then
        cur=${words[${#words[@]}-1]}
        unset 'words[${#words[@]}-1]'
    fi
    for word in "${words[@]:1}"; do
        if [[ -n $pending ]]; then
            pending=''
        elif (( !dashdash )) && [[ $word == -?* ]]; then
            if [[ $word == -- ]]; then
                dashdash=1
            else
                used+="${word%%=*} "
                _actcli_find_option "$command" "$word"
                [[ $word != *=* && $_actcli_reply == *=* ]] && pending=$_actcli_reply
            fi
        elif [[ -z $command ]]; then
            command=$word
            if [[ " $_actcli_commands " != *" $command "* ]]; then
                _actcli_dynamic "$1"
                return 0
            fi
        else
            positionals+=1
        fi
    done

    if [[ -n $pending ]]; then
        _actcli_option_value "$command" "$pending" '' "$cur"
    elif (( !dashdash )) && [[ $cur == -* ]]; then
        if [[ $cur == --*=* ]]; then
            _actcli_find_option "$command" "$cur"
            if [[ $_actcli_reply == *=* ]]; then
                _actcli_option_value "$command" "$_actcli_reply" "${cur%%=*}=" "${cur#*=}"
            fi
        else
            _actcli_option_names "$command" "$used" "$cur"
        fi
    elif [[ -z $command ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$_actcli_commands" -- "$cur")
    else
        _actcli_arguments "$command"
        read -ra slots <<< "$_actcli_reply"
        for spec in "${slots[@]}"; do
            slot=$spec
            [[ $spec == *... ]] && break
            (( positionals-- == 0 )) && break
            slot=''
        done
        case ${slot%...} in
            function) _actcli_function "$cur" ;;
            file) _actcli_files "$cur" ;;
        esac
    fi

    # readline replaces only the text after the last ':' or '=' (COMP_WORDBREAKS).
    local tail=$cur
    [[ $COMP_WORDBREAKS == *=* ]] && tail=${tail##*=}
    [[ $COMP_WORDBREAKS == *:* ]] && tail=${tail##*:}
    if [[ $tail != "$cur" ]]; then
        COMPREPLY=("${COMPREPLY[@]#"${cur%"$tail"}"}")
    fi
    if (( ${#COMPREPLY[@]} == 1 )) && [[ ${COMPREPLY[0]} == *= ]]; then
        compopt -o nospace 2> /dev/null
    fi
    return 0
}

# Sets _actcli_reply to the spec of option $2 (--name or --name=value) of command $1.
_actcli_find_option() {
    local spec name=${2%%=*}
    _actcli_options "$1"
    for spec in $_actcli_reply; do
        if [[ "|${spec%%[=*]*}|" == *"|$name|"* ]]; then
            _actcli_reply=$spec
            return 0
        fi
    done
    _actcli_reply=''
}

# Option names of command $1 starting with $3, except those in $2 that cannot repeat.
_actcli_option_names() {
    local spec names name
    _actcli_options "$1"
    for spec in $_actcli_reply; do
        names=${spec%%[=*]*}
        if [[ $spec != *'*' ]]; then
            for name in ${names//|/ }; do
                [[ $2 == *" $name "* ]] && continue 2
            done
        fi
        for name in ${names//|/ }; do
            [[ $name == "$3"* ]] && COMPREPLY+=("$name")
        done
    done
}

# Values of option spec $2 of command $1 starting with $4, each after prefix $3.
_actcli_option_value() {
    if [[ $2 == *=/* ]]; then
        _actcli_files "$4"
        return 0
    fi
    local value
    _actcli_values "$1" "$2"
    for value in $_actcli_reply; do
        [[ $value == "$4"* ]] && COMPREPLY+=("$3$value")
    done
}

_actcli_files() {
    compopt -o filenames 2> /dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$1")
}

# Function names, or after FN: the parameter names (FN:key=value,key=value).
_actcli_function() {
    if [[ $1 != *:* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$_actcli_functions" -- "$1")
        return 0
    fi
    local name=${1%%:*} rest=${1#*:} key param
    local current=${rest##*,}
    key=${name,,}
    _actcli_parameters "${key//[-_]/}"  # the catalog ignores case, '-' and '_'
    for param in $_actcli_reply; do
        [[ $param == "$current"* ]] && COMPREPLY+=("${1%"$current"}$param=")
    done
}

# A subcommand this script does not know: ask actcli (an actcli newer than the script).
_actcli_dynamic() {
    local IFS=$'\n'
    COMPREPLY=($(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" \
                 _ACTCLI_COMPLETE=complete_bash "$1" 2> /dev/null))
}

complete -F _actcli actcli
'''


def _bash_case(function: str, doc: str, key: str,
               entries: list[tuple[str, str]]) -> str:
    lines = [f"# {doc}", f"{function}() {{", f"    case {key} in"]
    lines += [f"        {pattern}) _actcli_reply={_single_quoted(value)} ;;" for pattern, value in entries]
    lines += ["        *) _actcli_reply='' ;;", "    esac", "}"]
    return "\n".join(lines)


def render_bash(model: Model) -> str:
    header = _header("bash", "Install: copy to ~/.local/share/bash-completion/completions/actcli, "
                     "or source it from ~/.bashrc (bash 4 or later).")
    commands = " ".join(c.name for c in model.commands[1:])
    data = [
        f"_actcli_commands={_single_quoted(commands)}",
        f"_actcli_functions={_single_quoted(' '.join(model.functions))}",
        _bash_case("_actcli_options", "Options of command $1 ('' for actcli itself): "
                   "aliases|joined, '=' takes a value ('=/' a path), '*' repeatable.", '"$1"',
                   [(_single_quoted(c.name), " ".join(o.spec for o in c.options)) for c in model.commands]),
        _bash_case("_actcli_arguments", "Positional arguments of command $1: function, file or "
                   "value, '...' for any number.", '"$1"',
                   [(_single_quoted(c.name), " ".join(c.arguments)) for c in model.commands if c.arguments]),
        _bash_case("_actcli_values", "Values offered for option spec $2 of command $1.", '"$1 $2"',
                   [(_single_quoted(f"{name} {spec}"), " ".join(values))
                    for name, spec, values in _option_values(model)]),
        _bash_case("_actcli_parameters", "Parameter names of function $1 (normalised).", '"$1"',
                   [("|".join(keys), " ".join(names)) for keys, names in _parameter_groups(model)]),
    ]
    return header + BASH_LOGIC + "\n" + "\n\n".join(data) + "\n"


# --- zsh --------------------------------------------------------------------------------

ZSH_LOGIC = r'''
_actcli() {
    local word command= pending= spec slot REPLY
    local -i positionals=0 dashdash=0
    local -a used reply slots candidates expl
    for word in "${(@Q)words[2,CURRENT-1]}"; do
        if [[ -n $pending ]]; then
            pending=
        elif (( !dashdash )) && [[ $word == -?* ]]; then
            if [[ $word == -- ]]; then
                dashdash=1
            else
                used+=(${word%%=*})
                _actcli_find_option "$command" $word
                [[ $word != *=* && $REPLY == *=* ]] && pending=$REPLY
            fi
        elif [[ -z $command ]]; then
            command=$word
            if (( ! ${_actcli_commands[(I)${(b)command}:*]} )); then
                _actcli_dynamic
                return
            fi
        else
            positionals+=1
        fi
    done

    if [[ -n $pending ]]; then
        _actcli_option_value "$command" $pending
    elif (( !dashdash )) && [[ $PREFIX == -* ]]; then
        if [[ $PREFIX == --*=* ]]; then
            _actcli_find_option "$command" $PREFIX
            if [[ $REPLY == *=* ]]; then
                compset -P '*='
                _actcli_option_value "$command" $REPLY
            fi
        else
            _actcli_options "$command"
            for spec in $reply; do
                if [[ ${spec%%:*} != *'*' ]]; then
                    for word in ${(s:|:)${spec%%[=*:]*}}; do
                        (( ${used[(Ie)$word]} )) && continue 2
                    done
                fi
                for word in ${(s:|:)${spec%%[=*:]*}}; do
                    candidates+=("$word:${spec#*:}")
                done
            done
            _describe -t options option candidates
        fi
    elif [[ -z $command ]]; then
        _describe -t commands 'actcli command' _actcli_commands
    else
        _actcli_arguments $command
        for spec in $reply; do
            slot=$spec
            [[ $spec == *... ]] && break
            (( positionals-- == 0 )) && break
            slot=
        done
        case ${slot%...} in
            (function) _actcli_function ;;
            (file) _files ;;
            (*) _message -e values 'a value' ;;
        esac
    fi
}

# Sets REPLY to the spec of option $2 (--name or --name=value) of command $1.
_actcli_find_option() {
    local spec
    _actcli_options "$1"
    for spec in $reply; do
        spec=${spec%%:*}
        if (( ${${(s:|:)${spec%%[=*]*}}[(Ie)${2%%=*}]} )); then
            REPLY=$spec
            return
        fi
    done
    REPLY=
}

_actcli_option_value() {
    if [[ $2 == *=/* ]]; then
        _files
        return
    fi
    _actcli_values "$1 $2"
    if (( $#reply )); then
        _wanted values expl value compadd -a reply
    else
        _message -e values 'a value'
    fi
}

# Function names, or after FN: the parameter names (FN:key=value,key=value).
_actcli_function() {
    if [[ $PREFIX != *:* ]]; then
        _wanted functions expl function compadd -a _actcli_functions
        return
    fi
    _actcli_parameters ${${(L)PREFIX%%:*}//[-_]/}  # the catalog ignores case, '-' and '_'
    compset -P '*[:,]'
    _wanted parameters expl parameter compadd -S '' - ${^reply}=
}

# A subcommand this script does not know: ask actcli (an actcli newer than the script).
_actcli_dynamic() {
    eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _ACTCLI_COMPLETE=complete_zsh \
               $words[1] 2> /dev/null)
}
'''

ZSH_FOOTER = r'''
# From a directory on $fpath this file is the body of _actcli; sourced, it registers.
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
    _actcli "$@"
else
    compdef _actcli actcli
fi
'''


def _zsh_case(function: str, doc: str, key: str, entries: list[tuple[str, list[str]]],
              variable: str = "reply") -> str:
    lines = [f"# {doc}", f"{function}() {{", f"    case {key} in"]
    for pattern, values in entries:
        lines.append(f"        ({pattern}) {variable}=(" + " ".join(map(_single_quoted, values)) + ") ;;")
    lines += [f"        (*) {variable}=() ;;", "    esac", "}"]
    return "\n".join(lines)


def render_zsh(model: Model) -> str:
    header = _header("zsh", "Install: put this file, named _actcli, in a directory on $fpath "
                     "before compinit runs, or source it after compinit.")
    commands = " ".join(_single_quoted(f"{c.name}:{c.help}") for c in model.commands[1:])
    functions = " ".join(model.functions)
    data = [
        f"_actcli_commands=({commands})",
        f"_actcli_functions=({functions})",
        _zsh_case("_actcli_options", "Sets reply to the options of command $1 ('' for actcli "
                  "itself) as spec:help; spec: aliases|joined, '=' takes a value ('=/' a path), "
                  "'*' repeatable.", '"$1"',
                  [(_single_quoted(c.name), [f"{o.spec}:{o.help}" for o in c.options])
                   for c in model.commands]),
        _zsh_case("_actcli_arguments", "Sets reply to the positional arguments of command $1: "
                  "function, file or value, '...' for any number.", '"$1"',
                  [(_single_quoted(c.name), list(c.arguments)) for c in model.commands if c.arguments]),
        _zsh_case("_actcli_values", "Sets reply to the values offered for '$command $spec'.", '"$1"',
                  [(_single_quoted(f"{name} {spec}"), list(values))
                   for name, spec, values in _option_values(model)]),
        _zsh_case("_actcli_parameters", "Sets reply to the parameter names of function $1 "
                  "(normalised).", '"$1"',
                  [("|".join(keys), list(names)) for keys, names in _parameter_groups(model)]),
    ]
    return "#compdef actcli\n" + header + ZSH_LOGIC + "\n" + "\n\n".join(data) + "\n" + ZSH_FOOTER


# --- fish -------------------------------------------------------------------------------

FISH_LOGIC = r'''
complete --command actcli --erase

function __actcli_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -e tokens[1]
    set -l command
    set -l pending
    set -l used
    set -l positionals 0
    set -l dashdash 0
    for word in $tokens
        if test -n "$pending"
            set pending
        else if test $dashdash = 0; and string match -q -- '-?*' $word
            if test $word = --
                set dashdash 1
            else
                set -a used (string split -m1 = -- $word)[1]
                set -l spec (__actcli_find_option "$command" $word)
                if not string match -q -- '*=*' $word; and string match -q -- '*=*' "$spec"
                    set pending $spec
                end
            end
        else if test -z "$command"
            set command $word
            if not contains -- $command (__actcli_commands | string replace -r '\t.*' '')
                __actcli_dynamic
                return
            end
        else
            set positionals (math $positionals + 1)
        end
    end

    if test -n "$pending"
        __actcli_option_value "$command" $pending '' "$cur"
    else if test $dashdash = 0; and string match -q -- '-*' "$cur"
        if string match -q -- '--*=*' $cur
            set -l spec (__actcli_find_option "$command" $cur)
            if string match -q -- '*=*' "$spec"
                set -l parts (string split -m1 = -- $cur)
                __actcli_option_value "$command" $spec $parts[1]= $parts[2]
            end
        else
            for entry in (__actcli_options "$command")
                set -l parts (string split -m1 \t -- $entry)
                set -l names (string split '|' -- (string replace -r '[=*].*' '' -- $parts[1]))
                if not string match -q -- '*\*' $parts[1]
                    set -l given 0
                    for name in $names
                        contains -- $name $used; and set given 1
                    end
                    test $given = 1; and continue
                end
                for name in $names
                    printf '%s\t%s\n' $name $parts[2]
                end
            end
        end
    else if test -z "$command"
        __actcli_commands
    else
        set -l slot
        for spec in (__actcli_arguments $command)
            set slot $spec
            if string match -q -- '*...' $spec; or test $positionals = 0
                break
            end
            set positionals (math $positionals - 1)
            set slot
        end
        switch (string replace -- ... '' "$slot")
            case function
                __actcli_function "$cur"
            case file
                __fish_complete_path "$cur"
        end
    end
end

# The spec of option $argv[2] (--name or --name=value) of command $argv[1].
function __actcli_find_option
    set -l name (string split -m1 = -- $argv[2])[1]
    for entry in (__actcli_options $argv[1])
        set -l spec (string split -m1 \t -- $entry)[1]
        if contains -- $name (string split '|' -- (string replace -r '[=*].*' '' -- $spec))
            echo $spec
            return
        end
    end
end

function __actcli_option_value --argument-names command spec prefix current
    if string match -q -- '*=/*' $spec
        __fish_complete_path $current | string replace -r '^' -- $prefix
        return
    end
    for value in (__actcli_values "$command $spec")
        echo $prefix$value
    end
end

# Function names, or after FN: the parameter names (FN:key=value,key=value). Names
# are matched case-sensitively, as actcli does: fish would add SiLU to silu for "si".
function __actcli_function --argument-names current
    if not string match -q -- '*:*' $current
        __actcli_functions | string match -r -- '^'(string escape --style=regex -- $current)'.*'
        return
    end
    set -l name (string split -m1 : -- $current)[1]
    # The catalog ignores case, '-' and '_'.
    set -l key (string lower -- $name | string replace -a -r '[-_]' '')
    set -l head (string replace -r '[^:,]*$' '' -- $current)
    for param in (__actcli_parameters $key)
        echo $head$param=
    end
end

# A subcommand this script does not know: ask actcli (an actcli newer than the script).
function __actcli_dynamic
    env _ACTCLI_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args \
        _TYPER_COMPLETE_ARGS=(commandline -cp) actcli 2> /dev/null
end

complete --command actcli --no-files --arguments '(__actcli_complete)'
'''


def _fish_switch(function: str, doc: str, entries: list[tuple[str, list[str]]]) -> str:
    lines = [f"# {doc}", f"function {function}", "    switch $argv[1]"]
    for pattern, values in entries:
        lines.append(f"        case {pattern}")
        lines += [f"            echo {_fish_quoted(value)}" for value in values]
    lines += ["    end", "end"]
    return "\n".join(lines)


def render_fish(model: Model) -> str:
    header = _header("fish", "Install: copy to ~/.config/fish/completions/actcli.fish.")
    data = [
        "function __actcli_commands\n" + "\n".join(
            f"    echo {_fish_quoted(c.name + chr(9) + c.help)}" for c in model.commands[1:]) + "\nend",
        "function __actcli_functions\n    printf '%s\\n' " + " ".join(model.functions) + "\nend",
        _fish_switch("__actcli_options", "Options of command $argv[1] ('' for actcli itself) as "
                     "spec<TAB>help; spec: aliases|joined, '=' takes a value ('=/' a path), "
                     "'*' repeatable.",
                     [(_fish_quoted(c.name), [f"{o.spec}\t{o.help}" for o in c.options])
                      for c in model.commands]),
        _fish_switch("__actcli_arguments", "Positional arguments of command $argv[1]: function, "
                     "file or value, '...' for any number.",
                     [(_fish_quoted(c.name), list(c.arguments)) for c in model.commands if c.arguments]),
        _fish_switch("__actcli_values", "Values offered for '$command $spec'.",
                     [(_fish_quoted(f"{name} {spec}"), list(values))
                      for name, spec, values in _option_values(model)]),
        _fish_switch("__actcli_parameters", "Parameter names of function $argv[1] (normalised).",
                     [(" ".join(keys), list(names)) for keys, names in _parameter_groups(model)]),
    ]
    return header + FISH_LOGIC + "\n" + "\n\n".join(data) + "\n"


RENDERERS = {"bash": render_bash, "zsh": render_zsh, "fish": render_fish}


def render_all(model: Model | None = None) -> dict[str, str]:
    """File name in completions/ -> content."""
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
        old = path.read_text() if path.exists() else ""
        if old == text:
            continue
        if args.check:
            stale += 1
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(keepends=True), text.splitlines(keepends=True),
                f"a/completions/{name}", f"b/completions/{name}"))
        else:
            OUTPUT.mkdir(exist_ok=True)
            path.write_text(text)
            print(f"wrote completions/{name}")
    if stale:
        print(f"{stale} completion script(s) stale: run python {GENERATOR}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
