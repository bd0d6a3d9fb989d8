"""A tensor's shape, its values as Python numbers or numpy, and its dtype and device.

A mixin of :class:`explorer.engine.tensor.Tensor`: what reads a tensor or converts it
(``shape``, ``size()``, ``item()``, ``numpy()``, ``to()``, ``len()``, ``np.asarray``) rather than
computing with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from explorer.engine import dtypes
from explorer.engine._size import Size
from explorer.engine.device import CPU, check_device, is_device, no_gpu
from explorer.engine.dtypes import torch_dtype_name

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor


class TensorConvert:
    """Shape, conversions, dtype, device and Python protocols of :class:`Tensor`."""

    __slots__ = ()
    _data: np.ndarray
    _requires_grad: bool

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def dtype(self) -> dtypes.dtype:
        """The element type, as torch prints it (``torch.float32``; numpy takes it too)."""
        return dtypes.of(self._data.dtype)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def device(self):
        """Always the CPU."""
        return CPU

    is_cuda = False

    def dim(self) -> int:
        return self._data.ndim

    def size(self, dim: int | None = None) -> Size | int:
        """The shape as a ``torch.Size``, or the length of dimension ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[self._dim(dim)]

    def _dim(self, dim: int) -> int:
        """``dim`` as a non-negative axis, with torch's IndexError when out of range."""
        ndim = max(self._data.ndim, 1)
        if not -ndim <= dim < ndim:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], "
                f"but got {dim})"
            )
        return dim % ndim

    def numel(self) -> int:
        return int(self._data.size)

    def item(self) -> float | int | bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.reshape(()).item()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def all(self, dim: int | None = None, keepdim: bool = False, **kwargs: Any) -> Tensor:
        """Whether every element (along ``dim``) is true; numpy's ``np.all`` calls it too."""
        dim = kwargs.get("axis", dim)
        return self._wrap(np.asarray(self._data.all(axis=dim, keepdims=keepdim)))

    def any(self, dim: int | None = None, keepdim: bool = False, **kwargs: Any) -> Tensor:
        """Whether some element (along ``dim``) is true; numpy's ``np.any`` calls it too."""
        dim = kwargs.get("axis", dim)
        return self._wrap(np.asarray(self._data.any(axis=dim, keepdims=keepdim)))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self.item(), spec)
        return format(str(self), spec)

    def numpy(self) -> np.ndarray:
        """The values as a numpy array sharing memory (torch's rule: not while requiring grad)."""
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self._data

    def tolist(self):
        return self._data.tolist()

    # -- dtype and device -----------------------------------------------------------------
    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def bool(self) -> Tensor:
        return self.to(np.bool_)

    def cpu(self) -> Tensor:
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        raise no_gpu(".cuda()")

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This tensor cast to a dtype (differentiable); the CPU device changes nothing.

        As torch: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)`` (other's
        dtype), or ``dtype=``/``device=`` keywords. A GPU raises a clear error.
        """
        dtype = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        copy = kwargs.pop("copy", False)
        if kwargs:
            raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
        for arg in args:
            if isinstance(arg, TensorConvert):
                dtype = arg._data.dtype
            elif is_device(arg):
                device = arg
            else:
                dtype = arg
        check_device(device, f".to({str(device)!r})")
        if dtype is None:
            return self.clone() if copy else self
        dtype = np.dtype(dtype)
        if dtype == self._data.dtype and not copy:
            return self
        source = self._data.dtype

        def backward(grad):
            return (grad.astype(source),)

        out = self._data.astype(dtype)
        if dtype.kind not in "fc":
            return self._wrap(out)  # an integer result is outside the graph, as in torch
        return self._from_op(out, (self,), backward, "ToCopyBackward0")

    def type(self, dtype: Any = None):
        """The type name (``'torch.FloatTensor'``), or this tensor cast to ``dtype``."""
        if dtype is None:
            return f"torch.{torch_dtype_name(self._data.dtype)}Tensor"
        return self.to(dtype)

    # -- Python protocols -----------------------------------------------------------------
    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __array__(self, dtype=None, copy=None):
        # numpy code reads a tensor's values (torch refuses while it requires grad; the app
        # and learners' numpy calls read parameters this way)
        data = self._data if dtype is None else self._data.astype(dtype, copy=False)
        return data.copy() if copy else data
