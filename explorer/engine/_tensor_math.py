"""Tensor arithmetic, comparisons, elementwise functions and reductions, with their gradients.

A mixin of :class:`explorer.engine.tensor.Tensor`: each op computes its result with numpy and
hands :meth:`Tensor._from_op` a ``backward(g)`` giving one gradient per input (None where no
input needs one); broadcasting is undone centrally, in ``Tensor.backward``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor


class TensorMath:
    """Arithmetic, elementwise and reduction operations of :class:`Tensor`."""

    __slots__ = ()
    data: np.ndarray
    requires_grad: bool

    # -- arithmetic -----------------------------------------------------------------------
    def _coerce(self, other: Any) -> Tensor:
        if isinstance(other, TensorMath):
            return other
        return self._constant(np.asarray(other, dtype=self.data.dtype))

    def __add__(self, other: Any) -> Tensor:
        other = self._coerce(other)
        return self._from_op(self.data + other.data, (self, other), lambda g: (g, g), "Add")

    __radd__ = __add__

    def __sub__(self, other: Any) -> Tensor:
        other = self._coerce(other)
        return self._from_op(self.data - other.data, (self, other), lambda g: (g, -g), "Sub")

    def __rsub__(self, other: Any) -> Tensor:
        return self._coerce(other) - self

    def __mul__(self, other: Any) -> Tensor:
        other = self._coerce(other)
        a, b = self, other

        def backward(g):
            return (
                g * b.data if a.requires_grad else None,
                g * a.data if b.requires_grad else None,
            )

        return self._from_op(a.data * b.data, (a, b), backward, "Mul")

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Tensor:
        other = self._coerce(other)
        a, b = self, other

        def backward(g):
            return (
                g / b.data if a.requires_grad else None,
                -g * a.data / (b.data * b.data) if b.requires_grad else None,
            )

        return self._from_op(a.data / b.data, (a, b), backward, "Div")

    def __rtruediv__(self, other: Any) -> Tensor:
        return self._coerce(other) / self

    def __neg__(self) -> Tensor:
        return self._from_op(-self.data, (self,), lambda g: (-g,), "Neg")

    def __pow__(self, exponent: float | int) -> Tensor:
        if isinstance(exponent, TensorMath):
            raise TypeError("only a Python number is supported as the exponent")
        base = self

        def backward(g):
            return (g * exponent * base.data ** (exponent - 1),)

        return self._from_op(self.data**exponent, (self,), backward, "Pow")

    def __matmul__(self, other: Any) -> Tensor:
        other = self._coerce(other)
        a, b = self, other
        if a.data.ndim != 2 or b.data.ndim not in (1, 2):
            raise ValueError(
                f"matmul supports a 2-D tensor times a 1-D or 2-D tensor; "
                f"got shapes {a.shape} and {b.shape}"
            )

        def backward(g):
            if b.data.ndim == 1:
                return (
                    np.outer(g, b.data) if a.requires_grad else None,
                    a.data.T @ g if b.requires_grad else None,
                )
            return (
                g @ b.data.T if a.requires_grad else None,
                a.data.T @ g if b.requires_grad else None,
            )

        return self._from_op(a.data @ b.data, (a, b), backward, "Mm")

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._coerce(other) @ self

    # comparisons give boolean tensors outside the graph, as in torch
    def __lt__(self, other: Any) -> Tensor:
        return self._constant(self.data < self._coerce(other).data)

    def __le__(self, other: Any) -> Tensor:
        return self._constant(self.data <= self._coerce(other).data)

    def __gt__(self, other: Any) -> Tensor:
        return self._constant(self.data > self._coerce(other).data)

    def __ge__(self, other: Any) -> Tensor:
        return self._constant(self.data >= self._coerce(other).data)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        if other is None:
            return NotImplemented
        return self._constant(self.data == self._coerce(other).data)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        if other is None:
            return NotImplemented
        return self._constant(self.data != self._coerce(other).data)

    # hashed by identity, as torch: a Tensor can key a dict (optimizer state) despite __eq__
    __hash__ = object.__hash__

    # -- elementwise functions ------------------------------------------------------------
    def exp(self) -> Tensor:
        out = np.exp(self.data)
        return self._from_op(out, (self,), lambda g: (g * out,), "Exp")

    def log(self) -> Tensor:
        x = self.data
        with np.errstate(divide="ignore"):
            out = np.log(x)
        return self._from_op(out, (self,), lambda g: (g / x,), "Log")

    def abs(self) -> Tensor:
        x = self.data
        return self._from_op(np.abs(x), (self,), lambda g: (g * np.sign(x),), "Abs")

    def sqrt(self) -> Tensor:
        out = np.sqrt(self.data)
        return self._from_op(out, (self,), lambda g: (g / (2 * out),), "Sqrt")

    def relu(self) -> Tensor:
        mask = self.data > 0
        return self._from_op(
            np.where(mask, self.data, 0).astype(self.data.dtype),
            (self,),
            lambda g: (g * mask,),
            "Relu",
        )

    def sigmoid(self) -> Tensor:
        out = sigmoid_array(self.data)
        return self._from_op(out, (self,), lambda g: (g * out * (1 - out),), "Sigmoid")

    def tanh(self) -> Tensor:
        out = np.tanh(self.data)
        return self._from_op(out, (self,), lambda g: (g * (1 - out * out),), "Tanh")

    def clamp(self, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
        x = self.data
        out = np.clip(x, min, max)
        inside = np.ones_like(x, dtype=bool)
        if min is not None:
            inside &= x >= min
        if max is not None:
            inside &= x <= max
        return self._from_op(out, (self,), lambda g: (g * inside,), "Clamp")

    # -- reductions -----------------------------------------------------------------------
    def sum(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
        shape = self.data.shape
        out = np.sum(self.data, axis=dim, keepdims=keepdim)

        def backward(g):
            if dim is not None and not keepdim:
                g = np.expand_dims(g, dim)
            return (np.broadcast_to(g, shape),)

        return self._from_op(np.asarray(out), (self,), backward, "Sum")

    def mean(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
        shape = self.data.shape
        out = np.mean(self.data, axis=dim, keepdims=keepdim)
        count = self.data.size / max(np.asarray(out).size, 1) if self.data.size else 1

        def backward(g):
            if dim is not None and not keepdim:
                g = np.expand_dims(g, dim)
            return (np.broadcast_to(g / count, shape),)

        return self._from_op(np.asarray(out), (self,), backward, "Mean")

    def max(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The maximum; the gradient is shared equally among tied maxima."""
        x = self.data
        out = np.max(x, axis=dim, keepdims=True)
        mask = x == out
        share = mask / mask.sum(axis=dim, keepdims=True)
        if dim is None:
            result = out if keepdim else out.reshape(())
        else:
            result = out if keepdim else np.squeeze(out, axis=dim)

        def backward(g):
            g = np.reshape(g, out.shape)
            return (g * share,)

        return self._from_op(result, (self,), backward, "Max")

    def min(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """The minimum; the gradient is shared equally among tied minima."""
        return -((-self).max(dim, keepdim))

    def var(self, dim: int | tuple[int, ...] | None = None, correction: int = 1,
            keepdim: bool = False) -> Tensor:  # fmt: skip
        """Variance with Bessel's correction by default (``correction=1``), as torch."""
        centered = self - self.mean(dim, keepdim=True)
        count = (
            self.data.size
            if dim is None
            else np.prod([self.data.shape[d] for d in np.atleast_1d(dim)])
        )
        return (centered * centered).sum(dim, keepdim=keepdim) / max(count - correction, 0)

    def std(self, dim: int | tuple[int, ...] | None = None, correction: int = 1,
            keepdim: bool = False) -> Tensor:  # fmt: skip
        """Standard deviation: the square root of :meth:`var`."""
        return self.var(dim, correction=correction, keepdim=keepdim).sqrt()

    def softmax(self, dim: int) -> Tensor:
        from explorer.engine.nn._functional_layers import softmax

        return softmax(self, dim)

    def log_softmax(self, dim: int) -> Tensor:
        from explorer.engine.nn._functional_layers import log_softmax

        return log_softmax(self, dim)

    def logsumexp(self, dim: int, keepdim: bool = False) -> Tensor:
        x = self.data
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

        return self._from_op(result, (self,), backward, "LogSumExp")


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))`` elementwise, finite for any ``x`` (also used by the fused MLP)."""
    # split by sign so neither branch overflows for large |x|
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1 + ex)
    return out
