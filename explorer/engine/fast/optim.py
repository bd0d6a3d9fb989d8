"""The optimizers' fast paths: plain SGD's loop, and step scalars as 0-d arrays.

numpy multiplies an array by a 0-d array of its own dtype faster than by a Python float, which
it must first convert to that dtype: the same number, so the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from explorer.engine._grad_mode import creation_counter
from explorer.engine._saved import CHANGES, LOG_LIMIT, forget
from explorer.engine.fast.constants import Table, scalar

_RATES = Table(lambda key: scalar(*key))  # (lr, dtype) -> lr as a 0-d array of the dtype
_NDARRAY = np.ndarray


def sgd_step(params: Sequence[Any], lr: float) -> None:
    """``p -= lr * grad`` for each parameter with a gradient: SGD without momentum, weight
    decay or maximize, and without the branches for them."""
    dtype = rate = counter = None
    when = CHANGES.last = next(creation_counter)  # the change, in each parameter's counter
    for param in params:
        grad = param._grad
        if grad is None:
            continue
        if grad.__class__ is not _NDARRAY:  # a .grad read or assigned as a Tensor
            grad = grad._data
        if grad.dtype is not dtype:
            dtype = grad.dtype
            rate = _RATES[lr, dtype] if type(lr) is float else lr
        p = param._data
        p -= rate * grad  # in place, so the module's Parameter keeps its array
        counter = param._vc  # a change in place, as torch counts it (_saved.py)
        counter.append(when)
    if counter is not None and len(counter) > LOG_LIMIT:  # their logs grow alike: trim them
        for param in params:  # together (_saved.count_change trims one after each change)
            if param._vc is not None:
                forget(param._vc)


def as_arrays(values: tuple[float, ...], p: np.ndarray, grad: np.ndarray) -> tuple:
    """``values`` as 0-d arrays of the dtype of ``p`` and ``grad``, when they share a float one;
    else the Python floats themselves (a 0-d array of another dtype would change the result)."""
    if grad.dtype != p.dtype or grad.dtype.kind != "f":
        return values
    return tuple(np.asarray(v, dtype=p.dtype) for v in values)
