"""Tensor reshaping and indexing, with their gradients (a mixin of ``Tensor``).

A reshape, a transpose or a basic index (ints, slices, None) gives a view: the result shares
the tensor's memory and its version counter, as in torch. Indexing with lists, arrays or
tensors (advanced indexing) copies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor


def _is_advanced(item: Any) -> bool:
    """Whether an index item selects by list, array or tensor (numpy's advanced indexing)."""
    return not (item is None or item is Ellipsis or isinstance(item, (int, np.integer, slice)))


def index_op(index: tuple) -> str:
    """torch's last node for ``x[index]``: an advanced index is one ``Index``; otherwise the
    items apply in order and the last that does something names the node."""
    if any(_is_advanced(item) for item in index):
        return "IndexBackward0"
    op = "AliasBackward0"
    for item in index:
        if item is None:
            op = "UnsqueezeBackward0"
        elif isinstance(item, slice):
            op = "SliceBackward0"
        elif item is not Ellipsis:
            op = "SelectBackward0"
    return op


def as_index(index: Any) -> tuple:
    """``index`` as a tuple of numpy index items (tensors become their arrays)."""
    items = index if isinstance(index, tuple) else (index,)
    return tuple(item._data if isinstance(item, TensorShape) else item for item in items)


class TensorShape:
    """Reshaping, transposition and indexing operations of :class:`Tensor`."""

    __slots__ = ()
    _data: np.ndarray
    _requires_grad: bool

    def _view(self, out: np.ndarray, backward, op: str) -> Tensor:
        """``out`` (a numpy view of this tensor's memory, or a copy) as a graph node."""
        view_of = self if np.may_share_memory(out, self._data) else None
        return self._from_op(out, (self,), backward, op, view_of=view_of)

    # -- shape ----------------------------------------------------------------------------
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        source = self._data.shape
        try:
            out = self._data.reshape(shape)
        except ValueError:
            raise RuntimeError(
                f"shape '{list(shape)}' is invalid for input of size {self._data.size}"
            ) from None
        return self._view(out, lambda g: (g.reshape(source),), "ViewBackward0")

    view = reshape

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        shape = self._data.shape
        if not shape:
            return self.reshape(1)
        start, end = self._dim(start_dim), self._dim(end_dim)
        new = shape[:start] + (math.prod(shape[start : end + 1]),) + shape[end + 1 :]
        return self.reshape(new)

    def unsqueeze(self, dim: int) -> Tensor:
        source = self._data.shape
        out = np.expand_dims(self._data, dim)
        return self._view(out, lambda g: (g.reshape(source),), "UnsqueezeBackward0")

    def squeeze(self, dim: int | None = None) -> Tensor:
        source = self._data.shape
        if dim is None:
            out = np.squeeze(self._data)
        else:
            dim = self._dim(dim)
            out = np.squeeze(self._data, axis=dim) if source[dim] == 1 else self._data.view()
        op = "SqueezeBackward0" if dim is None else "SqueezeBackward1"
        return self._view(out, lambda g: (g.reshape(source),), op)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        dim0, dim1 = self._dim(dim0), self._dim(dim1)
        out = np.swapaxes(self._data, dim0, dim1)
        return self._view(out, lambda g: (np.swapaxes(g, dim0, dim1),), "TransposeBackward0")

    def permute(self, *dims: int | Sequence[int]) -> Tensor:
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        order = tuple(self._dim(d) for d in dims)
        inverse = tuple(np.argsort(order))
        out = np.transpose(self._data, order)
        return self._view(out, lambda g: (np.transpose(g, inverse),), "PermuteBackward0")

    def t(self) -> Tensor:
        if self._data.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self._data.ndim}D"
            )
        out = self._data.T
        return self._view(out, lambda g: (g.T,), "TBackward0")

    @property
    def T(self) -> Tensor:  # noqa: N802 (torch's name)
        return self._view(self._data.T, lambda g: (g.T,), "PermuteBackward0")

    def contiguous(self) -> Tensor:
        return self

    def __getitem__(self, index: Any) -> Tensor:
        items = as_index(index)
        op = index_op(items)
        if op == "IndexBackward0":
            key = items if isinstance(index, tuple) else items[0]
        else:  # with a trailing ..., numpy gives a view even of a single element
            key = items if any(item is Ellipsis for item in items) else (*items, Ellipsis)
        shape, dtype = self._data.shape, self._data.dtype
        try:
            out = np.asarray(self._data[key])
        except IndexError as error:
            raise IndexError(str(error).replace(" axis ", " dimension ")) from None

        if op == "IndexBackward0":

            def backward(g):
                full = np.zeros(shape, dtype=dtype)
                np.add.at(full, key, g)
                return (full,)

            return self._from_op(out, (self,), backward, op)

        def backward_basic(g):  # a basic index picks each element once
            full = np.zeros(shape, dtype=dtype)
            full[key] = g
            return (full,)

        return self._view(out, backward_basic, op)

    def gather(self, dim: int, index: Any) -> Tensor:
        idx = index._data if isinstance(index, TensorShape) else np.asarray(index)
        dim = self._dim(dim)
        shape = self._data.shape
        out = np.take_along_axis(self._data, idx, axis=dim)

        def backward(g):
            full = np.zeros(shape, dtype=g.dtype)
            np.add.at(full, _along_axis_index(idx, dim), g)
            return (full,)

        return self._from_op(out, (self,), backward, "GatherBackward0", ())

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        out = np.argmax(self._data, axis=None if dim is None else self._dim(dim), keepdims=keepdim)
        return self._wrap(np.asarray(out, dtype=np.int64))

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        out = np.argmin(self._data, axis=None if dim is None else self._dim(dim), keepdims=keepdim)
        return self._wrap(np.asarray(out, dtype=np.int64))


def _along_axis_index(index: np.ndarray, axis: int) -> tuple[np.ndarray, ...]:
    """The fancy index that addresses ``take_along_axis(a, index, axis)``'s sources in ``a``."""
    grids = list(np.indices(index.shape, sparse=True))
    grids[axis] = index
    return tuple(grids)
