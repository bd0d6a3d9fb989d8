"""A numpy-backed Tensor with reverse-mode automatic differentiation.

Each operation builds its result with :func:`Tensor._from_op`, giving the parents and a
``backward`` function that maps the result's gradient to one gradient per parent (``None``
for a parent that needs none). :meth:`Tensor.backward` walks the graph in reverse
topological order (iteratively, so deep graphs do not hit Python's recursion limit) and
accumulates. The broadcasting rule lives in one place, :func:`unbroadcast`: a broadcast
edge's gradient is summed back to its source's shape.

Examples
--------
>>> from explorer.engine import Tensor
>>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> (x * x).sum().backward()
>>> x.grad
array([2., 4., 6.], dtype=float32)
"""

from __future__ import annotations

import contextlib
import itertools
import operator
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

BackwardFn = Callable[[np.ndarray], Sequence[np.ndarray | None]]


class _GradMode(threading.local):
    grad_enabled = True  # class default: every new thread starts with grad enabled


_state = _GradMode()
# Creation order: an op's output is always newer than its inputs, so sorting a graph's nodes
# newest first is a valid reverse topological order.
_creation_counter = itertools.count()
_creation_order = operator.attrgetter("_seq")


def is_grad_enabled() -> bool:
    """Whether operations record the graph (False inside :func:`no_grad`)."""
    return _state.grad_enabled


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Context manager under which operations build no graph, as ``torch.no_grad``."""
    previous = is_grad_enabled()
    _state.grad_enabled = False
    try:
        yield
    finally:
        _state.grad_enabled = previous


def _as_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Convert ``data`` the way ``torch.tensor`` does: Python floats become float32."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.array(data, dtype=dtype)
    if isinstance(data, np.ndarray):
        if data.dtype.kind == "f" and data.dtype.itemsize < 4:
            return data.astype(np.float32)
        return data
    if isinstance(data, np.generic):
        return np.asarray(data)
    array = np.array(data)
    if array.dtype == np.float64:
        array = array.astype(np.float32)
    elif array.dtype.kind in "iu":
        array = array.astype(np.int64)
    return array


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` back to ``shape``: the gradient of a broadcast is the sum over its copies."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


class Tensor:
    """An n-dimensional array that can record the operations applied to it.

    Parameters
    ----------
    data : array_like
        The values. Python floats become float32 (torch's default), Python ints int64;
        a numpy array keeps its dtype (float64 stays float64).
    requires_grad : bool
        Whether :meth:`backward` should compute a gradient for this tensor.
    dtype : numpy dtype, optional
        Convert to this dtype.
    """

    __slots__ = (
        "data", "grad", "requires_grad", "_parents", "_backward", "_op", "_seq", "__weakref__",
    )  # fmt: skip
    __array_priority__ = 1000  # numpy defers to Tensor's reflected operators

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None):
        self.data = _as_array(data, dtype)
        if requires_grad and self.data.dtype.kind not in "fc":
            raise RuntimeError(
                "only Tensors of floating point dtype can require gradients; "
                f"got dtype {self.data.dtype}"
            )
        self.grad: np.ndarray | None = None
        self.requires_grad = bool(requires_grad)
        self._parents: tuple[Tensor, ...] = ()
        self._backward: BackwardFn | None = None
        self._op = ""
        self._seq = next(_creation_counter)

    # -- graph construction ---------------------------------------------------------------
    @classmethod
    def _from_op(
        cls, data: np.ndarray, parents: Sequence[Tensor], backward: BackwardFn, op: str
    ) -> Tensor:
        """The result of an operation; it joins the graph when a parent requires grad."""
        out = Tensor.__new__(Tensor)
        out.data = data
        out.grad = None
        out._op = op
        out._seq = next(_creation_counter)
        out.requires_grad = False
        out._parents = ()
        out._backward = None
        if _state.grad_enabled:  # is_grad_enabled(), inlined: this runs for every op
            for parent in parents:
                if parent.requires_grad:
                    out.requires_grad = True
                    out._parents = tuple(parents)
                    out._backward = backward
                    break
        return out

    @property
    def is_leaf(self) -> bool:
        return self._backward is None

    @property
    def grad_fn(self) -> str | None:
        """The name of the operation that made this tensor (torch gives an object)."""
        return f"{self._op}Backward" if self._backward is not None else None

    def backward(self, gradient: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into the ``.grad`` of every leaf that requires grad."""
        if not self.requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            seed = np.ones(self.data.shape, dtype=self.data.dtype)
        else:
            seed = np.asarray(gradient.data if isinstance(gradient, Tensor) else gradient)
            seed = seed.astype(self.data.dtype, copy=False)
            if seed.shape != self.data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {seed.shape} and "
                    f"output[0] has a shape of {self.data.shape}."
                )
        grads: dict[int, np.ndarray] = {id(self): seed}
        # A leaf adopts a freshly computed gradient as its .grad; it copies one that may alias
        # another array: the seed, a view, a pass-through (Add hands on its own input), or an
        # array another leaf already adopted.
        shared = {id(self)}
        adopted: set[int] = set()
        for node in self._topological_order():
            key = id(node)
            grad = grads.pop(key, None)
            if grad is None:
                continue
            backward = node._backward
            if backward is None:
                if node.grad is not None:
                    node.grad = node.grad + grad
                elif key in shared or id(grad) in adopted or type(grad) is not np.ndarray:
                    node.grad = np.array(grad, dtype=node.data.dtype)
                else:
                    node.grad = grad
                    adopted.add(id(grad))
                continue
            for parent, parent_grad in zip(node._parents, backward(grad), strict=True):
                if parent_grad is None or not parent.requires_grad:
                    continue
                data = parent.data
                if parent_grad.shape != data.shape:
                    parent_grad = unbroadcast(np.asarray(parent_grad), data.shape)
                    assert parent_grad.shape == data.shape, (parent._op, parent_grad.shape)
                if parent_grad.dtype is not data.dtype and parent_grad.dtype != data.dtype:
                    parent_grad = parent_grad.astype(data.dtype)
                key = id(parent)
                pending = grads.get(key)
                if pending is None:
                    grads[key] = parent_grad
                    if parent_grad is grad or parent_grad.base is not None:
                        shared.add(key)
                else:
                    grads[key] = pending + parent_grad
                    shared.discard(key)

    def _topological_order(self) -> list[Tensor]:
        """The nodes that need a gradient, each after every node that uses it (newest first)."""
        nodes = [self]
        seen = {id(self)}
        stack = [self]
        while stack:
            for parent in stack.pop()._parents:
                if parent.requires_grad and id(parent) not in seen:
                    seen.add(id(parent))
                    nodes.append(parent)
                    stack.append(parent)
        nodes.sort(key=_creation_order, reverse=True)
        return nodes

    # -- plain accessors ------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def dim(self) -> int:
        return self.data.ndim

    def size(self, dim: int | None = None):
        return self.data.shape if dim is None else self.data.shape[dim]

    def numel(self) -> int:
        return int(self.data.size)

    def item(self) -> float | int | bool:
        if self.data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.data.size} elements cannot be converted to Scalar"
            )
        return self.data.reshape(()).item()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.data.reshape(()))

    def numpy(self) -> np.ndarray:
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self.data

    def tolist(self):
        return self.data.tolist()

    def detach(self) -> Tensor:
        return Tensor(self.data)

    def clone(self) -> Tensor:
        """A copy of the values that stays in the graph (its gradient flows back to self)."""
        return Tensor._from_op(self.data.copy(), (self,), lambda g: (g,), "Clone")

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if not self.is_leaf:
            raise RuntimeError("you can only change requires_grad flags of leaf variables.")
        self.requires_grad = bool(requires_grad)
        return self

    def zero_(self) -> Tensor:
        self.data[...] = 0
        return self

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return Tensor(self.data.astype(np.int64))

    def to(self, dtype: Any) -> Tensor:
        """This tensor cast to ``dtype`` (differentiable); ``"cpu"`` returns it unchanged."""
        if isinstance(dtype, str) and dtype == "cpu":
            return self
        dtype = np.dtype(dtype)
        if dtype == self.data.dtype:
            return self
        source = self.data.dtype

        def backward(grad):
            return (grad.astype(source),)

        return Tensor._from_op(self.data.astype(dtype), (self,), backward, "ToCopy")

    def __len__(self) -> int:
        return len(self.data)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def __repr__(self) -> str:
        body = _format_values(self.data)
        extras = []
        if self.data.dtype not in (np.float32, np.int64, np.bool_):
            extras.append(f"dtype=torch.{self.data.dtype.name}")
        if self._backward is not None:
            extras.append(f"grad_fn=<{self.grad_fn}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # -- arithmetic -----------------------------------------------------------------------
    def _coerce(self, other: Any) -> Tensor:
        if isinstance(other, Tensor):
            return other
        return Tensor(np.asarray(other, dtype=self.data.dtype))

    def __add__(self, other: Any) -> Tensor:
        other = self._coerce(other)
        return Tensor._from_op(self.data + other.data, (self, other), lambda g: (g, g), "Add")

    __radd__ = __add__

    def __sub__(self, other: Any) -> Tensor:
        other = self._coerce(other)
        return Tensor._from_op(self.data - other.data, (self, other), lambda g: (g, -g), "Sub")

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

        return Tensor._from_op(a.data * b.data, (a, b), backward, "Mul")

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Tensor:
        other = self._coerce(other)
        a, b = self, other

        def backward(g):
            return (
                g / b.data if a.requires_grad else None,
                -g * a.data / (b.data * b.data) if b.requires_grad else None,
            )

        return Tensor._from_op(a.data / b.data, (a, b), backward, "Div")

    def __rtruediv__(self, other: Any) -> Tensor:
        return self._coerce(other) / self

    def __neg__(self) -> Tensor:
        return Tensor._from_op(-self.data, (self,), lambda g: (-g,), "Neg")

    def __pow__(self, exponent: float | int) -> Tensor:
        if isinstance(exponent, Tensor):
            raise TypeError("only a Python number is supported as the exponent")
        base = self

        def backward(g):
            return (g * exponent * base.data ** (exponent - 1),)

        return Tensor._from_op(self.data**exponent, (self,), backward, "Pow")

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

        return Tensor._from_op(a.data @ b.data, (a, b), backward, "Mm")

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._coerce(other) @ self

    # comparisons give boolean tensors outside the graph, as in torch
    def __lt__(self, other: Any) -> Tensor:
        return Tensor(self.data < self._coerce(other).data)

    def __le__(self, other: Any) -> Tensor:
        return Tensor(self.data <= self._coerce(other).data)

    def __gt__(self, other: Any) -> Tensor:
        return Tensor(self.data > self._coerce(other).data)

    def __ge__(self, other: Any) -> Tensor:
        return Tensor(self.data >= self._coerce(other).data)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        if other is None:
            return NotImplemented
        return Tensor(self.data == self._coerce(other).data)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        if other is None:
            return NotImplemented
        return Tensor(self.data != self._coerce(other).data)

    # hashed by identity, as torch: a Tensor can key a dict (optimizer state) despite __eq__
    __hash__ = object.__hash__

    # -- elementwise functions ------------------------------------------------------------
    def exp(self) -> Tensor:
        out = np.exp(self.data)
        return Tensor._from_op(out, (self,), lambda g: (g * out,), "Exp")

    def log(self) -> Tensor:
        x = self.data
        with np.errstate(divide="ignore"):
            out = np.log(x)
        return Tensor._from_op(out, (self,), lambda g: (g / x,), "Log")

    def abs(self) -> Tensor:
        x = self.data
        return Tensor._from_op(np.abs(x), (self,), lambda g: (g * np.sign(x),), "Abs")

    def sqrt(self) -> Tensor:
        out = np.sqrt(self.data)
        return Tensor._from_op(out, (self,), lambda g: (g / (2 * out),), "Sqrt")

    def relu(self) -> Tensor:
        mask = self.data > 0
        return Tensor._from_op(
            np.where(mask, self.data, 0).astype(self.data.dtype),
            (self,),
            lambda g: (g * mask,),
            "Relu",
        )

    def sigmoid(self) -> Tensor:
        x = self.data
        # split by sign so neither branch overflows for large |x|
        out = np.empty_like(x)
        pos = x >= 0
        out[pos] = 1 / (1 + np.exp(-x[pos]))
        ex = np.exp(x[~pos])
        out[~pos] = ex / (1 + ex)
        return Tensor._from_op(out, (self,), lambda g: (g * out * (1 - out),), "Sigmoid")

    def tanh(self) -> Tensor:
        out = np.tanh(self.data)
        return Tensor._from_op(out, (self,), lambda g: (g * (1 - out * out),), "Tanh")

    def clamp(self, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
        x = self.data
        out = np.clip(x, min, max)
        inside = np.ones_like(x, dtype=bool)
        if min is not None:
            inside &= x >= min
        if max is not None:
            inside &= x <= max
        return Tensor._from_op(out, (self,), lambda g: (g * inside,), "Clamp")

    # -- reductions -----------------------------------------------------------------------
    def sum(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
        shape = self.data.shape
        out = np.sum(self.data, axis=dim, keepdims=keepdim)

        def backward(g):
            if dim is not None and not keepdim:
                g = np.expand_dims(g, dim)
            return (np.broadcast_to(g, shape),)

        return Tensor._from_op(np.asarray(out), (self,), backward, "Sum")

    def mean(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
        shape = self.data.shape
        out = np.mean(self.data, axis=dim, keepdims=keepdim)
        count = self.data.size / max(np.asarray(out).size, 1) if self.data.size else 1

        def backward(g):
            if dim is not None and not keepdim:
                g = np.expand_dims(g, dim)
            return (np.broadcast_to(g / count, shape),)

        return Tensor._from_op(np.asarray(out), (self,), backward, "Mean")

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

        return Tensor._from_op(result, (self,), backward, "Max")

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

        return Tensor._from_op(result, (self,), backward, "LogSumExp")

    # -- shape ----------------------------------------------------------------------------
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        source = self.data.shape
        return Tensor._from_op(
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
        return Tensor._from_op(out, (self,), lambda g: (np.swapaxes(g, dim0, dim1),), "Transpose")

    def t(self) -> Tensor:
        if self.data.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D"
            )
        return self if self.data.ndim < 2 else self.transpose(0, 1)

    @property
    def T(self) -> Tensor:  # noqa: N802 (torch's name)
        return Tensor._from_op(self.data.T, (self,), lambda g: (g.T,), "Permute")

    def __getitem__(self, index: Any) -> Tensor:
        if isinstance(index, Tensor):
            index = index.data
        elif isinstance(index, tuple):
            index = tuple(i.data if isinstance(i, Tensor) else i for i in index)
        shape, dtype = self.data.shape, self.data.dtype

        def backward(g):
            full = np.zeros(shape, dtype=dtype)
            np.add.at(full, index, g)
            return (full,)

        return Tensor._from_op(np.asarray(self.data[index]), (self,), backward, "Index")

    def gather(self, dim: int, index: Any) -> Tensor:
        idx = index.data if isinstance(index, Tensor) else np.asarray(index)
        shape = self.data.shape
        out = np.take_along_axis(self.data, idx, axis=dim)

        def backward(g):
            full = np.zeros(shape, dtype=g.dtype)
            np.add.at(full, _along_axis_index(idx, dim), g)
            return (full,)

        return Tensor._from_op(out, (self,), backward, "Gather")

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        out = np.argmax(self.data, axis=dim, keepdims=keepdim)
        return Tensor(np.asarray(out, dtype=np.int64))


def _format_values(data: np.ndarray) -> str:
    """Values as torch prints them: ``1., 2.`` for whole numbers, else 4 decimals, padded;
    scientific notation when the finite magnitudes span more than 1000x or exceed 1e8."""
    options: dict[str, Any] = {"separator": ", ", "prefix": "tensor("}
    if data.dtype.kind == "f" and data.size:
        finite = np.abs(data[np.isfinite(data)])
        nonzero = finite[finite != 0]
        if nonzero.size and (nonzero.max() / nonzero.min() > 1000 or nonzero.max() > 1e8):
            width = max(len(f"{v:.4e}") for v in data.ravel())
            options["formatter"] = {"float_kind": lambda v: f"{v:.4e}".rjust(width)}
        elif np.all(finite == np.round(finite)):
            options.update(precision=0, floatmode="fixed")
        else:
            options.update(precision=4, floatmode="fixed")
    return np.array2string(data, **options)


def _along_axis_index(index: np.ndarray, axis: int) -> tuple[np.ndarray, ...]:
    """The fancy index that addresses ``take_along_axis(a, index, axis)``'s sources in ``a``."""
    grids = list(np.indices(index.shape, sparse=True))
    grids[axis] = index
    return tuple(grids)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Build a Tensor, as ``torch.tensor``."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)
