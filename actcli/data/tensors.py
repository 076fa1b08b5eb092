"""Values from tensor files and CSV streams, a bounded chunk at a time.

`chunks(sources, key=..., column=...)` yields float64 1-d arrays from each named file
(or glob) in turn: .npy, .npz (one member), .safetensors (one tensor), and anything else
as CSV/TSV/JSON Lines through the pipeline reader (`-` is stdin). Never unpickles:
.npy headers are parsed and object arrays refused, .npz members are read as .npy, and
.pt/.pth/.pkl/.ckpt files are refused with a hint. Memory per chunk is bounded, whatever
the file size: .npy is read at its data offset with np.fromfile (not memory-mapped: the
touched pages of a map count in RSS).

safetensors and ml_dtypes (bfloat16 for NumPy) are imported only for .safetensors files.
"""

from __future__ import annotations

import glob
import io
import math
import os
import sys
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

import numpy as np
from actcli.errors import InputError, RunError, cannot_read

CHUNK = 1 << 19  # values per chunk: ~4 MB of float64, a few such temporaries per function
PICKLE_SUFFIXES = (".pt", ".pth", ".pkl", ".pickle", ".ckpt")
TENSOR_SUFFIXES = (".npy", ".npz", ".safetensors")
_SAFETENSORS_FLOATS = {"F16": "float16", "BF16": "bfloat16", "F32": "float32", "F64": "float64"}
_SAVE_HINT = 'save the tensor as .npy instead: np.save("x.npy", tensor.float().numpy())'


class TensorError(RunError):
    """A file whose contents cannot be read as values (exit 1); one-line message."""


class TensorInputError(InputError):
    """A file, key or option the command should not have named (exit 2)."""


def expand(sources: Sequence[str]) -> list[str]:
    """The files named, each glob replaced by its matches (sorted); '-' is stdin. A file
    named twice (`-i a.npy -i '*.npy'`) is read once."""
    files: dict[str, str] = {}  # the file itself -> the name it was first given by
    for source in sources:
        if source != "-" and glob.has_magic(source):
            matches = sorted(glob.glob(source))
            if not matches:
                raise TensorInputError(f"no file matches {source!r}")
        else:
            matches = [source]
        for name in matches:
            files.setdefault(name if name == "-" else os.path.realpath(name), name)
    return list(files.values())


def chunks(sources: Sequence[str], *, key: str | None = None, column: str | None = None,
           chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """Float64 chunks of every value in `sources` (files, globs, '-' for stdin), in order."""
    for path in expand(sources):
        yield from file_chunks(path, key=key, column=column, chunk=chunk)


def file_chunks(path: str, *, key: str | None = None, column: str | None = None,
                chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """Float64 chunks of the values in one file ('-': CSV on stdin)."""
    check_source(path, key=key, column=column)
    if path == "-":
        yield from _csv_chunks(sys.stdin.buffer, "-", column)
        return
    suffix = os.path.splitext(path)[1].lower()
    try:
        if suffix == ".npy":
            with open(path, "rb") as handle:
                yield from _npy_chunks(handle, path, os.fstat(handle.fileno()).st_size, chunk)
        elif suffix == ".npz":
            yield from _npz_chunks(path, key, chunk)
        elif suffix == ".safetensors":
            yield from _safetensors_chunks(path, key, chunk)
        else:
            with open(path, "rb") as handle:
                yield from _csv_chunks(handle, path, column)
    except OSError as error:
        raise TensorError(cannot_read(path, error)) from None


def check_source(path: str, *, key: str | None = None, column: str | None = None) -> None:
    """Refuse, before reading a value, what `file_chunks` refuses: a pickle, an option
    that does not apply to the file's kind, a file that is not there."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in PICKLE_SUFFIXES:
        raise TensorInputError(f"{path}: {suffix} files are pickles, which actcli never "
                               f"loads (they can run code); {_SAVE_HINT}")
    if column is not None and suffix in TENSOR_SUFFIXES:
        raise TensorInputError(f"{path}: -c/--column applies to CSV input, not {suffix} files")
    if key is not None and suffix not in (".npz", ".safetensors"):
        raise TensorInputError(f"{path}: --key applies to .npz and .safetensors files")
    if path == "-":
        return
    try:  # a path that cannot be opened is bad input: say so before any work
        with open(path, "rb"):
            pass
    except OSError as error:
        raise TensorInputError(cannot_read(path, error)) from None


def _npy_header(handle: BinaryIO, path: str) -> tuple[tuple[int, ...], np.dtype[Any]]:
    """Shape and dtype from a .npy header, leaving `handle` at the data; refuses
    everything but floating-point data."""
    fmt = np.lib.format
    try:
        version = fmt.read_magic(handle)
        shape, _, dtype = (fmt.read_array_header_1_0(handle) if version == (1, 0)
                           else fmt.read_array_header_2_0(handle))
    except (ValueError, OSError, EOFError, SyntaxError) as error:
        raise TensorError(f"{path}: not a valid .npy file ({str(error).splitlines()[0]})") from None
    if dtype.hasobject:
        raise TensorError(f"{path}: holds Python objects, which would need unpickling; "
                          "actcli reads float arrays only")
    if dtype.kind != "f" or dtype.itemsize > 8:
        raise TensorError(f"{path}: dtype {dtype} is not float16, float32 or float64")
    return shape, dtype


def npy_count(path: str) -> int:
    """The number of values in a .npy file (checked as `file_chunks` checks it)."""
    with open(path, "rb") as handle:
        shape, dtype = _npy_header(handle, path)
        count = math.prod(shape)
        _check_size(path, count, dtype, os.fstat(handle.fileno()).st_size - handle.tell())
    return count


def npy_values(sources: Sequence[str]) -> int:
    """How many values the .npy files among `sources` (files, globs) hold, as their
    headers say; files that cannot be read count 0 (reading them says why)."""
    total = 0
    for path in expand(sources):
        if path.lower().endswith(".npy"):
            try:
                total += npy_count(path)
            except (OSError, RunError):
                pass
    return total


def npy_range_chunks(path: str, start: int, stop: int, chunk: int = CHUNK) -> Iterator[np.ndarray]:
    """Float64 chunks of values start:stop of a .npy file (in storage order): a shard."""
    try:
        with open(path, "rb") as handle:
            yield from _npy_chunks(handle, path, os.fstat(handle.fileno()).st_size, chunk,
                                   start, stop)
    except OSError as error:
        raise TensorError(cannot_read(path, error)) from None


def _check_size(path: str, count: int, dtype: np.dtype[Any], data: int) -> None:
    if data < count * dtype.itemsize:
        raise TensorError(f"{path}: truncated: the header promises {count} values "
                          f"({count * dtype.itemsize} bytes), the file has {data} bytes of data")


def _npy_chunks(handle: BinaryIO, path: str, size: int | None, chunk: int,
                start: int = 0, stop: int | None = None) -> Iterator[np.ndarray]:
    shape, dtype = _npy_header(handle, path)
    count = math.prod(shape)
    if size is not None:
        _check_size(path, count, dtype, size - handle.tell())
    if start:
        handle.seek(start * dtype.itemsize, os.SEEK_CUR)
    end = count if stop is None else min(stop, count)
    left = end - start
    while left:
        want = min(chunk, left)
        if size is not None:
            values = np.fromfile(handle, dtype, want)
        else:  # a zip member: a stream without a file descriptor
            values = np.frombuffer(handle.read(want * dtype.itemsize), dtype)
        if len(values) < want:
            raise TensorError(f"{path}: truncated after {end - left + len(values)} of {count} "
                              "values")
        left -= want
        yield values.astype(np.float64)


def _npz_chunks(path: str, key: str | None, chunk: int) -> Iterator[np.ndarray]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise TensorError(f"{path}: not a valid .npz file (not a zip archive)") from None
    with archive:
        names = [n.removesuffix(".npy") for n in archive.namelist() if n.endswith(".npy")]
        name = _pick(path, names, key, "array")
        try:
            with archive.open(name + ".npy") as member:
                yield from _npy_chunks(member, f"{path}[{name}]", None, chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
            raise TensorError(f"{path}: corrupt .npz member {name!r} ({error})") from None
        except Exception as error:  # zlib.error and friends from a damaged member
            if type(error).__module__ == "zlib":
                raise TensorError(f"{path}: corrupt .npz member {name!r} ({error})") from None
            raise


def _pick(path: str, names: Sequence[str], key: str | None, what: str) -> str:
    listing = ", ".join(map(repr, names)) or "none"
    if key is None:
        if len(names) != 1:
            if not names:
                raise TensorError(f"{path}: holds no {what}")
            raise TensorInputError(f"{path}: holds {len(names)} {what}s; pick one with "
                                   f"--key: {listing}")
        return names[0]
    if key not in names:
        raise TensorInputError(f"{path}: no {what} {key!r}; it has {listing}")
    return key


def _safetensors_chunks(path: str, key: str | None, chunk: int) -> Iterator[np.ndarray]:
    import ml_dtypes  # noqa: F401  (registers bfloat16 with NumPy before safetensors needs it)
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(path, framework="np") as tensors:
            name = _pick(path, list(tensors.keys()), key, "tensor")
            piece = tensors.get_slice(name)
            dtype = piece.get_dtype()
            if dtype not in _SAFETENSORS_FLOATS:
                raise TensorError(f"{path}[{name}]: dtype {dtype} is not F16, BF16, F32 or F64")
            shape = tuple(piece.get_shape())
            for index in _slices(shape, chunk):
                yield np.asarray(piece[index]).astype(np.float64).ravel()
    except SafetensorError as error:
        raise TensorError(f"{path}: not a valid .safetensors file ({error})") from None


def _slices(shape: tuple[int, ...], chunk: int) -> Iterator[tuple[slice, ...]]:
    """Index tuples that cover an array of `shape` in C order, at most ~`chunk` values each."""
    if not shape:
        yield ()
        return
    if math.prod(shape) == 0:
        return
    axis = 0  # the first axis whose trailing block fits in a chunk
    while math.prod(shape[axis + 1:]) > chunk:
        axis += 1
    step = max(1, chunk // math.prod(shape[axis + 1:]))
    for outer in np.ndindex(*shape[:axis]):
        for start in range(0, shape[axis], step):
            yield (*(slice(i, i + 1) for i in outer), slice(start, min(start + step, shape[axis])))


def _csv_chunks(source: BinaryIO, path: str, column: str | None) -> Iterator[np.ndarray]:
    from actcli.data import stream

    where = "stdin" if path == "-" else path
    if not hasattr(source, "peek"):  # a test runner's stdin
        source = io.BufferedReader(source)  # type: ignore[arg-type]
    start = source.peek(8)[:8]  # type: ignore[attr-defined]
    if start.startswith(b"\x93NUMPY"):
        raise TensorInputError(f"{where} holds a .npy file, which is read from a file: "
                               "-i FILE.npy")
    json_lines = path.lower().endswith((".jsonl", ".ndjson")) or start.lstrip()[:1] == b"{"
    try:
        yield from stream.read_values(source, columns=column.split(",") if column else None,
                                      fmt="jsonl" if json_lines
                                      else "tsv" if path.lower().endswith(".tsv") else "csv")
    except stream.OptionError as error:
        raise TensorInputError(f"{where}: {error}") from None
    except stream.DataError as error:
        raise TensorError(f"{where}: {error}") from None
