"""Tensor arithmetic, comparisons and elementwise functions, with their gradients.

A mixin of :class:`explorer.engine.tensor.Tensor`: each op computes its result with numpy and
hands :meth:`Tensor._from_op` a ``backward(g)`` giving one gradient per input (None where no
input needs one), torch's name for the node, and the tensors the backward reads; broadcasting
is undone centrally, in ``Tensor.backward``. Mixed dtypes combine by torch's rule
(:func:`explorer.engine.dtypes.result_type`), not numpy's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from explorer.engine._saved import RESULT
from explorer.engine.dtypes import result_type, scalar_dtype

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor


def broadcast_error(a: tuple[int, ...], b: tuple[int, ...]) -> RuntimeError:
    """torch's error for shapes ``a`` and ``b`` that do not broadcast together."""
    ndim = max(len(a), len(b))
    for i in range(ndim - 1, -1, -1):
        n = a[i - ndim + len(a)] if i - ndim + len(a) >= 0 else 1
        m = b[i - ndim + len(b)] if i - ndim + len(b) >= 0 else 1
        if n != m and n != 1 and m != 1:
            return RuntimeError(
                f"The size of tensor a ({n}) must match the size of tensor b ({m}) at "
                f"non-singleton dimension {i}"
            )
    return RuntimeError(f"shapes {list(a)} and {list(b)} cannot be broadcast together")


class TensorMath:
    """Arithmetic, elementwise and reduction operations of :class:`Tensor`."""

    __slots__ = ()
    _data: np.ndarray
    _requires_grad: bool

    # -- arithmetic -----------------------------------------------------------------------
    def _coerce(self, other: Any) -> Tensor:
        """``other`` as a Tensor: a Python number takes the dtype torch gives it."""
        if isinstance(other, TensorMath):
            return other
        if isinstance(other, np.ndarray):
            return self._wrap(np.asarray(other, dtype=self._data.dtype))
        return self._wrap(np.asarray(other, dtype=scalar_dtype(other, self._data.dtype)))

    def _operands(self, other: Any) -> tuple[Tensor, np.ndarray, np.ndarray]:
        """``other`` as a Tensor, and both arrays in the dtype torch computes in."""
        other = self._coerce(other)
        a, b = self._data, other._data
        if a.dtype is not b.dtype and a.dtype != b.dtype:
            dtype = result_type(a, b)
            a, b = a.astype(dtype, copy=False), b.astype(dtype, copy=False)
        return other, a, b

    def _elementwise(self, other: Any, fn) -> tuple[Tensor, np.ndarray, np.ndarray, np.ndarray]:
        """``fn(a, b)`` of self's and other's arrays, with torch's error for bad shapes."""
        other, a, b = self._operands(other)
        try:
            return other, a, b, fn(a, b)
        except ValueError:
            if a.shape != b.shape:
                raise broadcast_error(a.shape, b.shape) from None
            raise

    def __add__(self, other: Any) -> Tensor:
        other, a, b, out = self._elementwise(other, np.add)
        return self._from_op(out, (self, other), lambda g: (g, g), "AddBackward0")

    __radd__ = __add__

    def __sub__(self, other: Any) -> Tensor:
        other, a, b, out = self._elementwise(other, np.subtract)
        return self._from_op(out, (self, other), lambda g: (g, -g), "SubBackward0")

    def __rsub__(self, other: Any) -> Tensor:
        other, a, b, out = self._elementwise(other, lambda a, b: b - a)
        return self._from_op(out, (self, other), lambda g: (-g, g), "RsubBackward1")

    def __mul__(self, other: Any) -> Tensor:
        other, a, b, out = self._elementwise(other, np.multiply)
        need_a, need_b = self._requires_grad, other._requires_grad

        def backward(g):
            return (g * b if need_a else None, g * a if need_b else None)

        saved = [t for t, needed in ((other, need_a), (self, need_b)) if needed]
        return self._from_op(out, (self, other), backward, "MulBackward0", saved)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Tensor:
        if self._data.dtype.kind not in "fc":  # true division gives floats, as in torch
            other = self._coerce(other)
            if other._data.dtype.kind not in "fc":
                return self.to(np.float32) / other.to(np.float32)
        other, a, b, out = self._elementwise(other, np.true_divide)
        need_a, need_b = self._requires_grad, other._requires_grad

        def backward(g):
            return (
                g / b if need_a else None,
                -g * a / (b * b) if need_b else None,
            )

        saved = [other, self] if need_b else [other]
        return self._from_op(out, (self, other), backward, "DivBackward0", saved)

    def __rtruediv__(self, other: Any) -> Tensor:
        other, a, b, out = self._elementwise(other, lambda a, b: b / a)

        def backward(g):
            return (-g * b / (a * a), g / a)

        # torch computes other * self.reciprocal(): the last node is a Mul
        return self._from_op(out, (self, other), backward, "MulBackward0", (self,))

    def __neg__(self) -> Tensor:
        return self._from_op(-self._data, (self,), lambda g: (-g,), "NegBackward0")

    def __pow__(self, exponent: float | int) -> Tensor:
        if isinstance(exponent, TensorMath):
            raise TypeError("only a Python number is supported as the exponent")
        x = self._data

        def backward(g):
            return (g * exponent * x ** (exponent - 1),)

        return self._from_op(x**exponent, (self,), backward, "PowBackward0", (self,))

    def pow(self, exponent: float | int) -> Tensor:
        """``self ** exponent``, for a Python number ``exponent``."""
        return self.__pow__(exponent)

    def __rpow__(self, base: float | int) -> Tensor:
        out = np.power(np.asarray(base, dtype=self._data.dtype), self._data)
        log_base = np.log(np.asarray(base, dtype=self._data.dtype))
        return self._from_op(
            out, (self,), lambda g: (g * out * log_base,), "PowBackward2", (RESULT,)
        )

    def __matmul__(self, other: Any) -> Tensor:
        other = self._coerce(other)
        a, b = self._data, other._data
        if a.ndim == 0 or b.ndim == 0:
            raise RuntimeError(
                f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D "
                f"and {b.ndim}D"
            )
        try:
            out = a @ b
        except ValueError:
            raise _matmul_error(a.shape, b.shape) from None
        need_a, need_b = self._requires_grad, other._requires_grad

        def backward(g):
            # with a vector as a row (on the left) or a column (on the right), every case is a
            # product of (batches of) matrices: grad_a = g b^T, grad_b = a^T g
            a2 = a[None, :] if a.ndim == 1 else a
            b2 = b[:, None] if b.ndim == 1 else b
            if a.ndim == 1 and b.ndim == 1:
                g2 = np.reshape(g, (1, 1))
            elif a.ndim == 1:
                g2 = np.expand_dims(g, -2)
            elif b.ndim == 1:
                g2 = np.expand_dims(g, -1)
            else:
                g2 = g
            grad_a = grad_b = None
            if need_a:
                grad_a = _sum_to_ndim(g2 @ np.swapaxes(b2, -1, -2), a2.ndim)
                grad_a = grad_a.reshape(a.shape) if a.ndim == 1 else grad_a
            if need_b:
                grad_b = _sum_to_ndim(np.swapaxes(a2, -1, -2) @ g2, b2.ndim)
                grad_b = grad_b.reshape(b.shape) if b.ndim == 1 else grad_b
            return grad_a, grad_b

        saved = [t for t, needed in ((other, need_a), (self, need_b)) if needed]
        return self._from_op(out, (self, other), backward, _matmul_name(a.ndim, b.ndim), saved)

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._coerce(other) @ self

    # comparisons give boolean tensors outside the graph, as in torch
    def _compare(self, other: Any, fn) -> Tensor:
        if other is None:
            return NotImplemented
        try:
            other = self._coerce(other)
        except (TypeError, ValueError):  # as torch: let the other side compare (pytest.approx)
            return NotImplemented
        return self._wrap(np.asarray(self._elementwise(other, fn)[3]))

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(other, np.greater_equal)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(other, np.not_equal)

    def __invert__(self) -> Tensor:
        if self._data.dtype.kind not in "biu":
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        return self._wrap(~self._data)

    def __and__(self, other: Any) -> Tensor:
        return self._compare(other, np.bitwise_and)

    def __or__(self, other: Any) -> Tensor:
        return self._compare(other, np.bitwise_or)

    # hashed by identity, as torch: a Tensor can key a dict (optimizer state) despite __eq__
    __hash__ = object.__hash__

    # -- elementwise functions ------------------------------------------------------------
    def exp(self) -> Tensor:
        out = np.exp(self._data)
        return self._from_op(out, (self,), lambda g: (g * out,), "ExpBackward0", (RESULT,))

    def log(self) -> Tensor:
        x = self._data
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.log(x)
        return self._from_op(out, (self,), lambda g: (g / x,), "LogBackward0", (self,))

    def abs(self) -> Tensor:
        x = self._data
        return self._from_op(
            np.abs(x), (self,), lambda g: (g * np.sign(x),), "AbsBackward0", (self,)
        )

    def sqrt(self) -> Tensor:
        with np.errstate(invalid="ignore"):
            out = np.sqrt(self._data)
        return self._from_op(out, (self,), lambda g: (g / (2 * out),), "SqrtBackward0", (RESULT,))

    def relu(self) -> Tensor:
        from explorer.engine.nn._functional_layers import relu

        return relu(self)

    def sigmoid(self) -> Tensor:
        out = sigmoid_array(self._data)
        return self._from_op(
            out, (self,), lambda g: (g * out * (1 - out),), "SigmoidBackward0", (RESULT,)
        )

    def tanh(self) -> Tensor:
        out = np.tanh(self._data)
        return self._from_op(
            out, (self,), lambda g: (g * (1 - out * out),), "TanhBackward0", (RESULT,)
        )

    def clamp(self, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
        x = self._data
        out = np.clip(x, min, max)
        return self._from_op(
            out, (self,), lambda g: (g * _inside(x, min, max),), "ClampBackward1", (self,)
        )

    clip = clamp

    def softmax(self, dim: int) -> Tensor:
        from explorer.engine.nn._functional_layers import softmax

        return softmax(self, dim)

    def log_softmax(self, dim: int) -> Tensor:
        from explorer.engine.nn._functional_layers import log_softmax

        return log_softmax(self, dim)

def _inside(x: np.ndarray, low: float | None, high: float | None) -> np.ndarray:
    """Where ``low <= x <= high``: clamp passes the gradient there only."""
    inside = np.ones_like(x, dtype=bool)
    if low is not None:
        inside &= x >= low
    if high is not None:
        inside &= x <= high
    return inside


def _matmul_name(a_ndim: int, b_ndim: int) -> str:
    """torch's last node for ``a @ b`` by the operands' dimensions."""
    if a_ndim == 1 and b_ndim == 1:
        return "DotBackward0"
    if a_ndim == 2 and b_ndim == 2:
        return "MmBackward0"
    if a_ndim == 2 and b_ndim == 1:
        return "MvBackward0"
    if a_ndim == 1 and b_ndim == 2:
        return "SqueezeBackward4"
    return "UnsafeViewBackward0"


def _matmul_error(a: tuple[int, ...], b: tuple[int, ...]) -> RuntimeError:
    """torch's error for ``a @ b`` with shapes that do not fit."""
    if len(a) == 1 and len(b) == 1:
        return RuntimeError(
            f"inconsistent tensor size, expected tensor [{a[0]}] and src [{b[0]}] to have the "
            f"same number of elements, but got {a[0]} and {b[0]} elements respectively"
        )
    if len(a) == 2 and len(b) == 1:
        return RuntimeError(
            f"size mismatch, got input ({a[0]}), mat ({a[0]}x{a[1]}), vec ({b[0]})"
        )
    rows = a if len(a) > 1 else (1, a[0])
    cols = b if len(b) > 1 else (b[0], 1)
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({int(np.prod(rows[:-1]))}x{rows[-1]} and "
        f"{cols[-2]}x{cols[-1]})"
    )


def _sum_to_ndim(grad: np.ndarray, ndim: int) -> np.ndarray:
    """Sum a batched product's gradient over the leading batch axes its operand lacks."""
    extra = grad.ndim - ndim
    return grad.sum(axis=tuple(range(extra))) if extra > 0 else grad


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))`` elementwise, finite for any ``x`` (also used by the fused MLP)."""
    # split by sign so neither branch overflows for large |x|
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    ex = np.exp(x[~pos])
    out[~pos] = ex / (1 + ex)
    return out
