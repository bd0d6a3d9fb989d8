"""Making tensors, as torch's factory functions: ``zeros``, ``randn``, ``arange``, ``*_like``...

Floats are float32 (torch's default) unless ``dtype=`` says otherwise; random values come from
the engine's generator (:func:`explorer.engine.manual_seed`), so a seed repeats them, though
they are not torch's numbers.

Examples
--------
>>> from explorer.engine import arange, zeros
>>> zeros(2, 3).shape
torch.Size([2, 3])
>>> arange(0, 1, 0.25)
tensor([0.0000, 0.2500, 0.5000, 0.7500])
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from explorer.engine import random as _random
from explorer.engine.device import check_device
from explorer.engine.tensor import Tensor, as_array

_FLOAT = np.dtype(np.float32)
_REQUIRES_GRAD = "Only Tensors of floating point and complex dtype can require gradients"


def _shape(size: tuple) -> tuple[int, ...]:
    """``(2, 3)``, ``((2, 3),)`` or ``([2, 3],)`` as ``(2, 3)``."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    return tuple(int(n) for n in size)


def _made(array: np.ndarray, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    check_device(device)
    if dtype is not None:
        array = array.astype(dtype, copy=False)
    if requires_grad and array.dtype.kind not in "fc":
        raise RuntimeError(_REQUIRES_GRAD)
    return Tensor(array, requires_grad=requires_grad)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False):
    """A tensor of zeros of shape ``size``."""
    return _made(np.zeros(_shape(size), dtype or _FLOAT), None, device, requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False):
    """A tensor of ones of shape ``size``."""
    return _made(np.ones(_shape(size), dtype or _FLOAT), None, device, requires_grad)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False):
    """A tensor of shape ``size`` (its values are zeros here; torch leaves them undefined)."""
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def full(size: Any, fill_value: float, *, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """A tensor of shape ``size`` filled with ``fill_value`` (its dtype follows the value)."""
    if dtype is None:
        kind = type(fill_value)
        dtype = np.bool_ if kind is bool else np.int64 if kind is int else _FLOAT
    return _made(np.full(_shape((size,)), fill_value, dtype), None, device, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The identity matrix, ``n`` by ``m`` (default ``n``)."""
    return _made(np.eye(n, m, dtype=dtype or _FLOAT), None, device, requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, *, dtype: Any = None,
           device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``start, start + step, ...`` below ``end`` (one argument: ``0 .. start - 1``).

    Integers give int64, any float float32, as in torch.
    """
    if end is None:
        start, end = 0, start
    floats = any(isinstance(v, float) or (isinstance(v, Tensor) and v.dtype.kind == "f")
                 for v in (start, end, step))  # fmt: skip
    default = _FLOAT if floats else np.int64
    values = np.arange(start, end, step, dtype=np.float64 if floats else np.int64)
    return _made(values.astype(dtype or default), None, device, requires_grad)


def linspace(start: float, end: float, steps: int, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    values = np.linspace(start, end, steps).astype(dtype or _FLOAT)
    return _made(values, None, device, requires_grad)


def rand(*size: Any, generator=None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Values drawn from U(0, 1)."""
    values = _random.resolve(generator).random(_shape(size))
    return _made(values.astype(dtype or _FLOAT), None, device, requires_grad)


def randn(*size: Any, generator=None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Values drawn from N(0, 1)."""
    values = _random.resolve(generator).standard_normal(_shape(size))
    return _made(values.astype(dtype or _FLOAT), None, device, requires_grad)


def randint(low: int, high: int | None = None, size: Any = None, *, generator=None,
            dtype: Any = None, device: Any = None,
            requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Integers drawn uniformly from ``[low, high)`` (``randint(high, size)`` starts at 0)."""
    if size is None:
        low, high, size = 0, low, high
    values = _random.resolve(generator).integers(low, high, _shape((size,)))
    return _made(values.astype(dtype or np.int64), None, device, requires_grad)


def _like(tensor: Tensor, dtype: Any) -> tuple[tuple[int, ...], np.dtype]:
    return tensor._data.shape, np.dtype(dtype) if dtype is not None else tensor._data.dtype


def zeros_like(input: Tensor, *, dtype: Any = None, device: Any = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Zeros of ``input``'s shape and dtype."""
    shape, kind = _like(input, dtype)
    return _made(np.zeros(shape, kind), None, device, requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, device: Any = None,  # noqa: A002
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Ones of ``input``'s shape and dtype."""
    shape, kind = _like(input, dtype)
    return _made(np.ones(shape, kind), None, device, requires_grad)


def full_like(input: Tensor, fill_value: float, *, dtype: Any = None,  # noqa: A002
              device: Any = None, requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``fill_value`` in ``input``'s shape and dtype."""
    shape, kind = _like(input, dtype)
    return _made(np.full(shape, fill_value, kind), None, device, requires_grad)


def rand_like(input: Tensor, *, dtype: Any = None, device: Any = None,  # noqa: A002
              requires_grad: bool = False) -> Tensor:  # fmt: skip
    """U(0, 1) values of ``input``'s shape and dtype."""
    shape, kind = _like(input, dtype)
    return _made(_random.resolve(None).random(shape).astype(kind), None, device, requires_grad)


def randn_like(input: Tensor, *, dtype: Any = None, device: Any = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:  # fmt: skip
    """N(0, 1) values of ``input``'s shape and dtype."""
    shape, kind = _like(input, dtype)
    values = _random.resolve(None).standard_normal(shape).astype(kind)
    return _made(values, None, device, requires_grad)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing ``array``'s memory and dtype."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return Tensor._wrap(array)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """``data`` as a tensor, sharing memory where it can (a Tensor or a numpy array)."""
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or np.dtype(dtype) == data.dtype):
        return Tensor._wrap(data)
    return Tensor(data, dtype=dtype)


def tensor(
    data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A new tensor holding a copy of ``data``, as ``torch.tensor``."""
    check_device(device)
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
            "rather than torch.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
    array = as_array(data, dtype)
    if array is data or (isinstance(data, Tensor) and array is data._data):
        array = array.copy()
    if requires_grad and array.dtype.kind not in "fc":
        raise RuntimeError(_REQUIRES_GRAD)
    return Tensor(array, requires_grad=requires_grad)
