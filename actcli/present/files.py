"""Files that actcli writes: replaced atomically (all or nothing), or made under a new
name that no file has (never replacing one); never left half written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from actcli.errors import RunError, os_reason


class WriteError(RunError):
    """A file that could not be written; str() is a one-line message."""


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` through a temporary file beside it: all or nothing. A
    failure raises WriteError with one line that says why."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        # O_EXCL: never follow or reuse a planted name; 0o666 lets the umask decide, as
        # for any new file (tempfile would make it private).
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as failure:
        raise _write_error(path, failure) from None
    _fill(descriptor, data, temporary, path, then=lambda: os.replace(temporary, path))


def _fill(descriptor: int, data: bytes, written: Path, path: Path,
          then: Callable[[], None] = lambda: None) -> None:
    """Write `data` to the open file `written` (for `path`), then `then()`; on any failure,
    an interrupt too, remove `written`: no file is left half written."""
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        then()
    except BaseException as failure:
        written.unlink(missing_ok=True)
        if isinstance(failure, OSError):
            raise _write_error(path, failure) from None
        raise


def _write_error(path: Path, failure: OSError) -> WriteError:
    directory = path.parent
    if not directory.exists():
        return WriteError(f"cannot write {str(path)!r}: directory {str(directory)!r} does not exist")
    if not directory.is_dir():
        return WriteError(f"cannot write {str(path)!r}: {str(directory)!r} is not a directory")
    return WriteError(f"cannot write {str(path)!r}: {os_reason(failure)}")


def unused_name(directory: Path, stem: str, suffix: str) -> Path:
    """A name in `directory` that no file has: stem.suffix, stem-2.suffix, stem-3..."""
    number = 1
    while True:
        path = directory / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
        if not path.exists():
            return path
        number += 1


def write_new(directory: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write `data` under `unused_name`, never replacing a file, even one that appears
    meanwhile; a failure (a full disk) leaves nothing behind. Returns the path."""
    while True:
        path = unused_name(directory, stem, suffix)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as failure:
            raise _write_error(path, failure) from None
        _fill(descriptor, data, path, path)
        return path
