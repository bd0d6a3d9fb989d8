"""Dtypes by torch's names (``engine.float32``), torch's promotion rule, and the ``dtype=`` rule.

Tensors keep numpy arrays, so the engine works with numpy dtypes; ``tensor.dtype`` shows one
as a :class:`dtype` that prints as torch's (``torch.float32``). :func:`result_type` and
:func:`can_cast` are torch's rules for combining dtypes, which differ from numpy's (int64 with
float32 is float32, not float64; a tensor with dimensions beats a 0-d one of the same kind).
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np


class dtype:  # noqa: N801 (torch's name)
    """A tensor's element type as torch names it: prints ``torch.float32``.

    It stands for a numpy dtype (its ``dtype`` attribute, which numpy reads wherever a dtype
    is expected: ``np.zeros(3, dtype=torch.float32)``), compares equal to it, and answers
    numpy's attributes (``kind``, ``itemsize``, ``name``).
    """

    __slots__ = ("_name", "dtype")

    def __init__(self, numpy_dtype: Any, name: str) -> None:
        self.dtype = np.dtype(numpy_dtype)
        self._name = name

    def __repr__(self) -> str:
        return f"torch.{self._name}"

    __str__ = __repr__

    def __eq__(self, other: object) -> builtins.bool:
        if isinstance(other, dtype):
            return self.dtype == other.dtype
        try:
            return self.dtype == np.dtype(other)
        except TypeError:
            return NotImplemented

    def __hash__(self) -> builtins.int:
        return hash(self.dtype)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.dtype, name)

    def __reduce__(self):
        return (of, (self.dtype,))

    @property
    def is_floating_point(self) -> builtins.bool:
        return self.dtype.kind == "f"


float32 = dtype(np.float32, "float32")
float64 = dtype(np.float64, "float64")
float16 = dtype(np.float16, "float16")
int64 = dtype(np.int64, "int64")
int32 = dtype(np.int32, "int32")
int16 = dtype(np.int16, "int16")
int8 = dtype(np.int8, "int8")
uint8 = dtype(np.uint8, "uint8")
bool = dtype(np.bool_, "bool")  # noqa: A001 (torch.bool)
float = float32  # noqa: A001 (torch.float is float32)
double = float64
half = float16
long = int64
int = int32  # noqa: A001 (torch.int is int32)
short = int16
_BY_NUMPY = {
    d.dtype: d for d in (float32, float64, float16, int64, int32, int16, int8, uint8, bool)
}


def of(numpy_dtype: np.dtype) -> dtype | np.dtype:
    """The torch dtype of a numpy dtype (the numpy dtype itself if torch has none)."""
    return _BY_NUMPY.get(numpy_dtype, numpy_dtype)


_TORCH_NAMES = {
    "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
    "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double",
}  # fmt: skip


def torch_dtype_name(dtype: np.dtype) -> str:
    """``dtype`` as torch names it in messages: 'Float', 'Long', 'Byte', 'Bool'..."""
    return _TORCH_NAMES.get(np.dtype(dtype).name, np.dtype(dtype).name)


def _category(dtype: np.dtype) -> int:
    return 0 if dtype.kind == "b" else 2 if dtype.kind in "fc" else 1


def result_type(x: np.ndarray, y: np.ndarray) -> np.dtype:
    """``torch.result_type`` of two tensors' arrays.

    The higher category wins (bool < integer < floating point: int64 with float32 is
    float32, where numpy says float64); within one category a tensor with dimensions beats a
    0-d one, and otherwise the wider type wins.
    """
    a, b = x.dtype, y.dtype
    if a == b:
        return a
    ca, cb = _category(a), _category(b)
    if ca != cb:
        return a if ca > cb else b
    if (x.ndim == 0) != (y.ndim == 0):
        return b if x.ndim == 0 else a
    return np.promote_types(a, b)


def scalar_dtype(value: Any, dtype: np.dtype) -> np.dtype:
    """The dtype a Python number takes next to a tensor of ``dtype``, as in torch.

    It keeps the tensor's dtype unless it is of a higher kind: a float next to an integer
    tensor is float32 (torch's default), an int next to a bool tensor int64.
    """
    if isinstance(value, (np.ndarray, np.generic)):
        return result_type(np.asarray(value), np.empty((1,), dtype))
    if isinstance(value, builtins.bool) or dtype.kind in "fc":
        return dtype
    if isinstance(value, builtins.float):
        return float32.dtype
    if isinstance(value, builtins.int):
        return int64.dtype if dtype.kind == "b" else dtype
    return dtype


def can_cast(source: np.dtype, target: np.dtype) -> bool:
    """``torch.can_cast``: never floating point to integer, nor anything else to bool."""
    if source.kind in "fc" and target.kind in "biu":
        return False
    return not (source.kind != "b" and target.kind == "b")


def check_cast(result: np.dtype, out: np.dtype) -> None:
    """torch's RuntimeError when a ``result`` dtype cannot be stored in an ``out`` dtype."""
    if not can_cast(result, out):
        raise RuntimeError(
            f"result type {torch_dtype_name(result)} can't be cast to the desired output type "
            f"{torch_dtype_name(out)}"
        )


def resolve_float_dtype(dtype: Any) -> np.dtype:
    """``dtype`` as a numpy float dtype; None means float32, torch's default."""
    if dtype is None:
        return float32.dtype
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64; got {dtype!r}") from None
    if resolved != float32.dtype and resolved != float64.dtype:
        raise TypeError(f"dtype must be float32 or float64; got {dtype!r}")
    return resolved
