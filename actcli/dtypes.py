"""The two dtypes actcli computes in, and the one check of a dtype's name."""

from __future__ import annotations

from typing import Any

import numpy as np

from actcli.errors import InputError

DTYPES = {"float64": np.dtype(np.float64), "float32": np.dtype(np.float32)}


def float_dtype(name: object) -> np.dtype[Any]:
    """The computing dtype called `name`: float64 or float32 (a NumPy dtype is accepted)."""
    try:
        key = name if isinstance(name, str) else np.dtype(name).name  # type: ignore[call-overload]
    except TypeError:
        key = None
    if key not in DTYPES:
        raise InputError(f"unknown dtype {name!r}: must be float32 or float64")
    return DTYPES[key]
