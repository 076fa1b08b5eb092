"""The installed version of actcli, read from the package metadata when asked for."""

from __future__ import annotations


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("actcli")
    except PackageNotFoundError:  # a checkout on sys.path, not installed
        return "0+unknown"
