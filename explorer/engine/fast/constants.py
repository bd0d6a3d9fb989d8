"""Cached read-only constant arrays for the fast paths.

On a small network every numpy call costs more in overhead than in arithmetic, and numpy
handles a 0-d array of the operand's dtype faster than a Python number (which it must first
convert, with the same result). These helpers hand out such constants once made; they are
read-only, so no caller can change what the next one gets.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_CACHE: dict[tuple[Any, ...], np.ndarray] = {}
_LIMIT = 512  # a learning-rate schedule or changing batch sizes make many; start over then


def _frozen(key: tuple[Any, ...], make) -> np.ndarray:
    value = _CACHE.get(key)
    if value is None:
        if len(_CACHE) >= _LIMIT:
            _CACHE.clear()
        value = _CACHE[key] = make()
        value.flags.writeable = False
    return value


def scalar(value: float | int, dtype: np.dtype) -> np.ndarray:
    """``value`` as a 0-d array of ``dtype``: ``scalar(v, a.dtype) * a`` equals ``v * a``."""
    key = ("scalar", type(value), value, dtype)
    found = _CACHE.get(key)  # inlined fast path: this runs for every parameter of every step
    return found if found is not None else _frozen(key, lambda: np.asarray(value, dtype=dtype))


def ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A vector of ``n`` ones: ``ones(N, g.dtype).dot(g)`` sums ``g`` over its rows."""
    found = _CACHE.get(("ones", n, dtype))
    return found if found is not None else _frozen(("ones", n, dtype), lambda: np.ones(n, dtype))


def arange(n: int, step: int = 1) -> np.ndarray:
    """``np.arange(0, n * step, step)``: the row index of a batch, or each row's first flat index
    in an ``(n, step)`` array."""
    key = ("arange", n, step)
    found = _CACHE.get(key)
    return found if found is not None else _frozen(key, lambda: np.arange(0, n * step, step))


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


class Table(dict):
    """Constants made on first use by ``make(key)``, for the hottest paths: a hit is a plain
    dict lookup, where a call to :func:`scalar` or :func:`ones` costs about 0.3 us (mostly the
    call and its key). It starts over at the same size as the other constants.
    """

    __slots__ = ("_make",)

    def __init__(self, make) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key):
        if len(self) >= _LIMIT:
            self.clear()
        value = self[key] = self._make(key)
        return value


# (dtype, ndim) -> a read-only one with ndim axes of length 1: the seed of loss.backward()
SEEDS = Table(lambda key: _read_only(np.array(1, key[0], ndmin=key[1])))
