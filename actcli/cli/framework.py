"""How actcli bends Typer: one-line errors, negative numbers as values, and parameter
conversion without pydantic. Nothing here knows the activation catalog.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, get_args, get_origin

import typer
from typer.core import TyperCommand, TyperGroup

from actcli.data.grid import NEGATIVE_NUMBER
from actcli.errors import InputError, RunError, os_reason

# Typer vendors Click in recent releases and uses the click package in older ones; its
# BadParameter derives from ClickException either way.
ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")

EXIT_RUNTIME, EXIT_INTERRUPTED = RunError.exit_status, 130


def _error(message: str) -> None:
    sys.stderr.write(f"actcli: error: {message}\n")
    sys.stderr.flush()


class OneLineErrorGroup(TyperGroup):
    """A root command with the same one-line error reporting for every way it runs
    (console script, `python -m`, Typer's CliRunner in tests): actcli's errors exit with
    their class's status (InputError 2, RunError 1), anything else is a bug reported in
    one line (exit 1) with the traceback after `--debug`."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_types(_convert_without_pydantic(super().get_params(ctx)))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            # The subcommand's context inherits this context's help option names.
            _without_flag_types(_convert_without_pydantic(command.get_params(ctx)))
        return name, command, rest

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        try:
            result = super().main(args=argv, prog_name=prog_name or "actcli",
                                  complete_var=complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except ClickException as error:
            message = error.format_message()
            if type(error).__name__ == "NoArgsIsHelpError":
                # No arguments: the help is the answer (Rich has already printed it).
                sys.stdout.write(f"{message}\n" if message else "")
            else:
                _error(message.replace("\n", " "))
            code = error.exit_code
        except (InputError, RunError) as error:
            _error(str(error))
            code = error.exit_status
        except typer.Abort:
            code = EXIT_INTERRUPTED
        except OSError as error:  # output that cannot be written: /dev/full, a full disk
            if isinstance(error, BrokenPipeError):
                raise
            _discard_pending_output()
            where = f" ({error.filename})" if error.filename else ""
            _error(f"cannot write: {os_reason(error)}{where}")
            code = EXIT_RUNTIME
        except Exception as error:  # an actcli bug: one line, and the traceback on request
            if _debug_requested(argv):
                traceback.print_exc()
            _error(f"internal error: {type(error).__name__}: {error} "
                   "(rerun as `actcli --debug ...` for the traceback)")
            code = EXIT_RUNTIME
        if standalone_mode:
            sys.exit(code)
        return code


def _discard_pending_output() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of what could not
    be written fails no second time (the recipe of Python's signal documentation)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real stdout (a test runner's)
        pass


def _convert_without_pydantic(params: list[Any]) -> list[Any]:
    """Convert plain bool, str, int and float parameters (and lists of them) ourselves.

    Typer >= 0.26 converts every value through a pydantic TypeAdapter built on first use;
    importing pydantic and building the adapters costs ~150 ms on every run, as much as
    the rest of `actcli eval`. The hook is Typer's per-parameter converter cache
    (`_runtime_param`): a Typer without it keeps its own conversion, and
    tests/test_startup.py fails if pydantic comes back.
    """
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue
        info = descriptor.parameter_info
        convert = _CONVERTERS.get(descriptor.annotation) or _tuple_converter(descriptor.annotation)
        if convert and info.parser is None and info.min is None and info.max is None \
                and not descriptor.is_path:
            param._runtime_param = _PlainConversion(convert)
    return params


def _without_flag_types(params: list[Any]) -> list[Any]:
    """A flag takes no value, so its help line shows no type (Typer writes `<bool>`); an
    argument's metavar (FN..., NUMBERS) says what it takes better than `<list[str]>`."""
    for param in params:
        named = getattr(param, "param_type_name", "") == "argument" and param.metavar
        if getattr(param, "is_flag", False) or named:
            param.display_type_rich = lambda ctx: None
    return params


def _tuple_converter(annotation: Any) -> Callable[[Any], Any] | None:
    """For an option of several values (`tuple[float, float]`, nargs=2): each converted."""
    items = get_args(annotation)
    if get_origin(annotation) is not tuple or not all(i in _CONVERTERS for i in items):
        return None

    def convert(values: Any) -> tuple[Any, ...]:
        return tuple(_CONVERTERS[kind](value) for kind, value in zip(items, values))

    return convert


class _PlainConversion:
    """Typer's runtime-parameter contract (`coerce`) for one plain type."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        try:
            return [self.convert(item) for item in value] if many else self.convert(value)
        except ValueError as error:
            raise typer.BadParameter(str(error), ctx=ctx, param=param) from None


def _number(kind: type[Any], noun: str) -> Callable[[str], Any]:
    def convert(value: str) -> Any:
        try:
            return kind(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a valid {noun}.") from None
    return convert


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in ("1", "true", "t", "yes", "y", "on"):
        return True
    if word in ("", "0", "false", "f", "no", "n", "off"):
        return False
    raise ValueError(f"{value!r} is not a valid boolean.")


_CONVERTERS: dict[Any, Callable[[Any], Any]] = {
    bool: _bool, str: str, int: _number(int, "integer"), float: _number(float, "number")}
_CONVERTERS.update({list[kind]: convert for kind, convert in list(_CONVERTERS.items())})


def _debug_requested(argv: Sequence[str]) -> bool:
    # Global options come before the command name.
    for token in argv:
        if token == "--debug":
            return True
        if not token.startswith("-"):
            return False
    return False


class NumberFriendlyCommand(TyperCommand):
    """Lets negative numbers be positional values: `actcli eval relu -3 2`.

    Before Click parses, every positional token (negative numbers, and formulas that
    start with a minus such as `-x*tanh(x)`) is moved behind a `--` in its original
    order, while options stay in front with their values: `-3` is never taken for an
    option, and `--step -0.5` (or `--ylim -1 2`) still reads its value(s).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        options_ = [p for p in self.get_params(ctx) if isinstance(p, typer.core.TyperOption)]
        known = {name for p in options_ for name in (*p.opts, *p.secondary_opts)}
        takes_value = {name: max(p.nargs, 1) for p in options_ if not p.is_flag
                       for name in (*p.opts, *p.secondary_opts)}  # how many values

        once = {name: p for p in options_ if not p.is_flag and not p.multiple
                for name in (*p.opts, *p.secondary_opts)}
        given: set[Any] = set()

        def given_once(token: str) -> None:
            """An option that takes one value, given again, would silently drop the first
            (`-c a -c b` reading b alone): refused instead."""
            param = once.get(token.split("=", 1)[0])
            if param is not None and param in given and not ctx.resilient_parsing:
                ctx.fail(f"option {token.split('=', 1)[0]} given more than once; give it "
                         f"once ({param.opts[-1]} {param.metavar or 'VALUE'})")
            given.add(param)

        def is_value(token: str) -> bool:
            return bool(NEGATIVE_NUMBER.fullmatch(token)) or (
                token[:2] not in known and not token.startswith("--")
                and any(c in token for c in "x(*/"))

        options: list[str] = []
        positionals: list[str] = []
        tokens = iter(args)
        for token in tokens:
            if token == "--":
                positionals.extend(tokens)
            elif token.startswith("-") and token != "-" and not is_value(token):
                given_once(token)
                start = len(options)
                options.append(token)
                for _ in range(takes_value.get(token, 0)):
                    value = next(tokens, None)
                    if value is not None:
                        options.append(value)
                    elif ctx.resilient_parsing:
                        # Completion asks for that very value: parse the rest without the
                        # option (before `--` it would take `--` as its value).
                        del options[start:]
                        break
                    else:
                        count = takes_value[token]
                        ctx.fail(f"option {token} needs {'a value' if count == 1 else f'{count} values'}")
            else:
                positionals.append(token)
        return super().parse_args(ctx, options + (["--", *positionals] if positionals else []))
