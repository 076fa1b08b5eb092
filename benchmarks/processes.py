"""What the benchmarks measure of a child process: its end, and its peak memory polled
from /proc while it runs (not ru_maxrss: a child's counts this process's memory at the
fork)."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Ended:
    status: int  # os.wait4's
    cpu: float  # user + system seconds
    peak: int  # VmHWM, the kernel's high-water mark of RSS (bytes)
    anonymous: int  # the largest RssAnon seen: RSS less pages mapped from files (bytes)


def wait(process: subprocess.Popen) -> Ended:  # type: ignore[type-arg]
    """Wait for `process`, sampling its memory every 10 ms."""
    peak = anonymous = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return Ended(status, usage.ru_utime + usage.ru_stime, peak, anonymous)
        try:
            with open(f"/proc/{process.pid}/status") as info:
                fields = dict(line.split(":", 1) for line in info)
            peak = max(peak, int(fields["VmHWM"].split()[0]) * 1024)
            anonymous = max(anonymous, int(fields["RssAnon"].split()[0]) * 1024)
        except (OSError, KeyError, ValueError):  # no /proc, or the process just ended
            pass
        time.sleep(0.01)
