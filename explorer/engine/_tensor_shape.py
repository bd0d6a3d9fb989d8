"""Tensor reshaping and indexing, with their gradients (a mixin of ``Tensor``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor


class TensorShape:
    """Reshaping, transposition and indexing operations of :class:`Tensor`."""

    __slots__ = ()
    data: np.ndarray
    requires_grad: bool

    # -- shape ----------------------------------------------------------------------------
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        source = self.data.shape
        return self._from_op(
            self.data.reshape(shape), (self,), lambda g: (g.reshape(source),), "Reshape"
        )

    view = reshape

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        shape = self.data.shape
        if not shape:
            return self.reshape(1)
        end = end_dim % len(shape)
        new = shape[:start_dim] + (int(np.prod(shape[start_dim : end + 1])),) + shape[end + 1 :]
        return self.reshape(new)

    def unsqueeze(self, dim: int) -> Tensor:
        return self.reshape(np.expand_dims(self.data, dim).shape)

    def squeeze(self, dim: int | None = None) -> Tensor:
        return self.reshape(np.squeeze(self.data, axis=dim).shape)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        out = np.swapaxes(self.data, dim0, dim1)
        return self._from_op(out, (self,), lambda g: (np.swapaxes(g, dim0, dim1),), "Transpose")

    def t(self) -> Tensor:
        if self.data.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D"
            )
        return self if self.data.ndim < 2 else self.transpose(0, 1)

    @property
    def T(self) -> Tensor:  # noqa: N802 (torch's name)
        return self._from_op(self.data.T, (self,), lambda g: (g.T,), "Permute")

    def __getitem__(self, index: Any) -> Tensor:
        if isinstance(index, TensorShape):
            index = index.data
        elif isinstance(index, tuple):
            index = tuple(i.data if isinstance(i, TensorShape) else i for i in index)
        shape, dtype = self.data.shape, self.data.dtype

        def backward(g):
            full = np.zeros(shape, dtype=dtype)
            np.add.at(full, index, g)
            return (full,)

        return self._from_op(np.asarray(self.data[index]), (self,), backward, "Index")

    def gather(self, dim: int, index: Any) -> Tensor:
        idx = index.data if isinstance(index, TensorShape) else np.asarray(index)
        shape = self.data.shape
        out = np.take_along_axis(self.data, idx, axis=dim)

        def backward(g):
            full = np.zeros(shape, dtype=g.dtype)
            np.add.at(full, _along_axis_index(idx, dim), g)
            return (full,)

        return self._from_op(out, (self,), backward, "Gather")

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        out = np.argmax(self.data, axis=dim, keepdims=keepdim)
        return self._constant(np.asarray(out, dtype=np.int64))


def _along_axis_index(index: np.ndarray, axis: int) -> tuple[np.ndarray, ...]:
    """The fancy index that addresses ``take_along_axis(a, index, axis)``'s sources in ``a``."""
    grids = list(np.indices(index.shape, sparse=True))
    grids[axis] = index
    return tuple(grids)
