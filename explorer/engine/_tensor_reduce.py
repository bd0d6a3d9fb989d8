"""Tensor reductions (``sum``, ``mean``, ``max``, ``var``...), with their gradients.

A mixin of :class:`explorer.engine.tensor.Tensor`, as ``_tensor_math.py`` is: each reduction
builds its result and its backward together, with torch's name for the node. ``dim`` is checked
as torch checks it; ``max``/``min`` along a dimension give torch's ``(values, indices)`` pair.
"""

from __future__ import annotations

from collections import namedtuple
from typing import TYPE_CHECKING, Any

import numpy as np

from explorer.engine._saved import RESULT
from explorer.engine.dtypes import torch_dtype_name

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor


class _ReturnType(tuple):
    """``torch.return_types.max``: a (values, indices) pair that prints as torch's."""

    __slots__ = ()
    _name = ""

    def __repr__(self) -> str:
        return f"torch.return_types.{self._name}(\nvalues={self[0]!r},\nindices={self[1]!r})"


class _Max(_ReturnType, namedtuple("_MaxFields", ["values", "indices"])):
    __slots__ = ()
    _name = "max"


class _Min(_ReturnType, namedtuple("_MinFields", ["values", "indices"])):
    __slots__ = ()
    _name = "min"


class TensorReduce:
    """Reductions of :class:`Tensor`."""

    __slots__ = ()
    _data: np.ndarray
    _requires_grad: bool

    def _dims(self, dim: int | tuple[int, ...] | None) -> int | tuple[int, ...] | None:
        """``dim`` checked against this tensor's dimensions (torch's IndexError if not)."""
        if dim is None:
            return None
        if isinstance(dim, (tuple, list)):
            return tuple(self._dim(d) for d in dim)
        return self._dim(dim)

    def sum(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False,
            **kwargs: Any) -> Tensor:  # fmt: skip
        dim = self._dims(kwargs.pop("axis", dim))
        dtype = kwargs.pop("dtype", None)
        shape = self._data.shape
        data = self._data if dtype is None else self._data.astype(dtype)
        if data.dtype.kind in "biu" and dtype is None:
            data = data.astype(np.int64)  # torch sums integers and bools as int64
        out = np.sum(data, axis=dim, keepdims=keepdim)

        def backward(g):
            if dim is not None and not keepdim:
                g = np.expand_dims(g, dim)
            return (np.broadcast_to(g, shape),)

        op = "SumBackward0" if dim is None else "SumBackward1"
        return self._from_op(np.asarray(out), (self,), backward, op)

    def mean(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False,
             **kwargs: Any) -> Tensor:  # fmt: skip
        dim = self._dims(kwargs.pop("axis", dim))
        if self._data.dtype.kind not in "fc":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {torch_dtype_name(self._data.dtype)}"
            )
        shape = self._data.shape
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.asarray(np.mean(self._data, axis=dim, keepdims=keepdim))
        count = self._data.size / max(out.size, 1) if self._data.size else 1

        def backward(g):
            if dim is not None and not keepdim:
                g = np.expand_dims(g, dim)
            return (np.broadcast_to(g / count, shape),)

        op = "MeanBackward0" if dim is None else "MeanBackward1"
        return self._from_op(out.astype(self._data.dtype, copy=False), (self,), backward, op)

    def max(self, dim: int | None = None, keepdim: bool = False):
        """The maximum; with ``dim``, a ``(values, indices)`` pair, as torch's ``max``.

        The maximum of all elements shares its gradient equally among tied maxima; along a
        dimension, the gradient goes to the index returned (the first maximum).
        """
        return self._extreme(dim, keepdim, np.argmax, "Max", _Max)

    def min(self, dim: int | None = None, keepdim: bool = False):
        """The minimum; with ``dim``, a ``(values, indices)`` pair, as torch's ``min``."""
        return self._extreme(dim, keepdim, np.argmin, "Min", _Min)

    def _extreme(self, dim, keepdim, arg, name, pair):
        x = self._data
        if dim is None:
            out = np.asarray(x.max() if name == "Max" else x.min())
            mask = x == out
            share = mask / mask.sum()

            def backward(g):
                return (g * share,)

            return self._from_op(out, (self,), backward, f"{name}Backward1", (self, RESULT))
        dim = self._dim(dim)
        kept = np.expand_dims(arg(x, axis=dim), dim)  # the indices, keeping the dimension
        values = np.take_along_axis(x, kept, axis=dim)
        shape = x.shape

        def backward_dim(g):
            full = np.zeros(shape, dtype=g.dtype)
            np.put_along_axis(full, kept, g if keepdim else np.expand_dims(g, dim), axis=dim)
            return (full,)

        indices = kept if keepdim else np.squeeze(kept, axis=dim)
        values = values if keepdim else np.squeeze(values, axis=dim)
        out = self._from_op(values, (self,), backward_dim, f"{name}Backward0", ())
        return pair(out, self._wrap(indices.astype(np.int64)))

    def amax(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
        if dim is None:
            return self.max()
        return self.max(dim, keepdim).values

    def _var_parts(self, dim, correction, keepdim):
        x = self._data
        dims = self._dims(dim)
        count = x.size if dims is None else int(np.prod([x.shape[d] for d in np.atleast_1d(dims)]))
        centered = x - x.mean(axis=dims, keepdims=True)
        divisor = max(count - correction, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            var = np.asarray((centered * centered).sum(axis=dims, keepdims=keepdim) / divisor)
        return dims, centered, divisor, var.astype(x.dtype, copy=False)

    def var(self, dim: int | tuple[int, ...] | None = None, unbiased: bool | None = None,
            keepdim: bool = False, *, correction: int | None = None) -> Tensor:  # fmt: skip
        """Variance with Bessel's correction by default (``correction=1``), as torch."""
        correction = _correction(unbiased, correction)
        dims, centered, divisor, out = self._var_parts(dim, correction, keepdim)

        def backward(g):
            if dims is not None and not keepdim:
                g = np.expand_dims(g, dims)
            with np.errstate(divide="ignore", invalid="ignore"):
                return (2 * g * centered / divisor,)

        return self._from_op(out, (self,), backward, "VarBackward0", (self,))

    def std(self, dim: int | tuple[int, ...] | None = None, unbiased: bool | None = None,
            keepdim: bool = False, *, correction: int | None = None) -> Tensor:  # fmt: skip
        """Standard deviation: the square root of :meth:`var`."""
        correction = _correction(unbiased, correction)
        dims, centered, divisor, var = self._var_parts(dim, correction, keepdim)
        out = np.sqrt(var)

        def backward(g):
            std = out
            if dims is not None and not keepdim:
                g, std = np.expand_dims(g, dims), np.expand_dims(std, dims)
            with np.errstate(divide="ignore", invalid="ignore"):
                return (g * centered / (divisor * std),)

        return self._from_op(out, (self,), backward, "StdBackward0", (self, RESULT))

    def logsumexp(self, dim: int, keepdim: bool = False) -> Tensor:
        x = self._data
        dim = self._dim(dim)
        m = np.max(x, axis=dim, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        shifted = np.exp(x - m)
        total = shifted.sum(axis=dim, keepdims=True)
        out = np.log(total) + m
        soft = shifted / total
        result = out if keepdim else np.squeeze(out, axis=dim)

        def backward(g):
            if not keepdim:
                g = np.expand_dims(g, dim)
            return (g * soft,)

        return self._from_op(result, (self,), backward, "LogsumexpBackward0", (self, RESULT))


def _correction(unbiased: bool | None, correction: int | None) -> int:
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0
