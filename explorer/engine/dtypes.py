"""Floating point dtypes by torch's names (``engine.float32``) and the ``dtype=`` rule."""

from __future__ import annotations

from typing import Any

import numpy as np

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
float = float32  # noqa: A001 (torch.float is float32)
double = float64


def resolve_float_dtype(dtype: Any) -> np.dtype:
    """``dtype`` as a numpy float dtype; None means float32, torch's default."""
    if dtype is None:
        return float32
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64; got {dtype!r}") from None
    if resolved not in (float32, float64):
        raise TypeError(f"dtype must be float32 or float64; got {dtype!r}")
    return resolved
