"""Parameters stored back to back in one array, so an optimizer can update them in one go.

On a small network an update costs more in per-parameter numpy calls than in arithmetic.
When a group's parameters are views that tile one contiguous array in order (``nn.MLP`` lays
its parameters out that way), ``p -= lr * grad`` for all of them is one operation on that
array with the gradients concatenated: the same elementwise numbers. :func:`flat_base`
finds that array; it is checked again whenever a parameter's ``.data`` is replaced.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def flat_base(arrays: Sequence[np.ndarray]) -> np.ndarray | None:
    """The 1-D array the ``arrays`` tile exactly, in order, or None if there is none."""
    if not arrays:
        return None
    base = arrays[0].base
    if (
        not isinstance(base, np.ndarray) or base.ndim != 1 or not base.flags.c_contiguous
        or not base.flags.writeable or base.size != sum(a.size for a in arrays)
    ):  # fmt: skip
        return None
    address = base.__array_interface__["data"][0]
    for array in arrays:
        if (
            array.base is not base or array.dtype != base.dtype
            or not array.flags.c_contiguous or not array.flags.writeable
            or array.__array_interface__["data"][0] != address
        ):  # fmt: skip
            return None
        address += array.nbytes
    return base


def lay_out_flat(tensors: Sequence) -> None:
    """Move the tensors' values into one new array and make each ``.data`` a view of it."""
    arrays = [t.data for t in tensors]
    if not arrays or len({a.dtype for a in arrays}) != 1:
        return
    flat = np.empty(sum(a.size for a in arrays), dtype=arrays[0].dtype)
    start = 0
    for tensor, array in zip(tensors, arrays, strict=True):
        view = flat[start : start + array.size].reshape(array.shape)
        view[...] = array
        tensor.data = view
        start += array.size
