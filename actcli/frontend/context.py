"""The Environment of one invocation: streams, whether each is a terminal, CI, colour.

Detected once per invocation and passed down (httpie's model); tests build one.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, BinaryIO, TextIO


def _isatty(stream: Any) -> bool:
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() not in ("", "0", "false")


@dataclass(frozen=True)
class Environment:
    """Facts about the process's streams and settings that output decisions read.

    The streams default to the process's current sys.stdin/stdout/stderr, looked up
    when used (so a test runner that swaps them is followed)."""

    stdout_isatty: bool
    stdin_isatty: bool
    stderr_isatty: bool
    ci: bool
    no_color: bool = False
    stdin: TextIO | None = None
    stdout: TextIO | None = None
    stderr: TextIO | None = None

    @classmethod
    def detect(cls) -> Environment:
        return cls(stdout_isatty=_isatty(sys.stdout), stdin_isatty=_isatty(sys.stdin),
                   stderr_isatty=_isatty(sys.stderr), ci=_flag("CI"),
                   no_color="NO_COLOR" in os.environ)

    @property
    def out(self) -> TextIO:
        return self.stdout or sys.stdout

    @property
    def err(self) -> TextIO:
        return self.stderr or sys.stderr

    @property
    def inp(self) -> TextIO:
        return self.stdin or sys.stdin

    @property
    def out_bytes(self) -> BinaryIO:
        return self.out.buffer

    def default_format(self) -> str:
        return "table" if self.stdout_isatty else "csv"

    def shows_progress(self) -> bool:
        """Progress lines go to a terminal on stderr, never to CI logs."""
        return self.stderr_isatty and not self.ci
