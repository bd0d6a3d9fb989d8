"""A numpy-backed Tensor with reverse-mode automatic differentiation.

Each operation builds its result with :func:`Tensor._from_op`, giving the parents and a
``backward`` function that maps the result's gradient to one gradient per parent (``None``
for a parent that needs none). :meth:`Tensor.backward` (in its own module,
:mod:`explorer.engine._tensor_backward`) walks the graph in reverse topological order
(iteratively, so deep graphs do not hit Python's recursion limit) and accumulates; a chain
of ops that vouch for their gradients (``backward.exact``, such as the fused MLP and cross
entropy of a training step) is run node by node without sorting. The broadcasting rule lives
in one place, :func:`unbroadcast`: a broadcast edge's gradient is summed back to its
source's shape.

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
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from explorer.engine import _tensor_backward
from explorer.engine._tensor_backward import unbroadcast as unbroadcast  # re-exported
from explorer.engine._tensor_format import format_values
from explorer.engine._tensor_math import TensorMath
from explorer.engine._tensor_shape import TensorShape

BackwardFn = Callable[[np.ndarray], Sequence[np.ndarray | None]]


class _GradMode(threading.local):
    grad_enabled = True  # class default: every new thread starts with grad enabled


_state = _GradMode()
# Creation order: an op's output is always newer than its inputs, so sorting a graph's nodes
# newest first is a valid reverse topological order (see _tensor_backward).
_creation_counter = itertools.count()


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


class Tensor(TensorMath, TensorShape):
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
        """The result of an operation; it joins the graph when a parent requires grad.

        ``backward.exact = True`` vouches that every gradient it returns is None (always for a
        parent that does not require grad) or a new array of its parent's shape and dtype that
        shares memory with no other array; :meth:`backward` then skips its checks and copies.
        """
        out = Tensor.__new__(Tensor)
        out.data = data
        out.grad = None
        out._op = op
        out._seq = next(_creation_counter)
        if _state.grad_enabled:  # is_grad_enabled(), inlined: this runs for every op
            for parent in parents:
                if parent.requires_grad:
                    out.requires_grad = True
                    out._parents = tuple(parents)
                    out._backward = backward
                    return out
        out.requires_grad = False
        out._parents = ()
        out._backward = None
        return out

    @property
    def is_leaf(self) -> bool:
        return self._backward is None

    @property
    def grad_fn(self) -> str | None:
        """The name of the operation that made this tensor (torch gives an object)."""
        return f"{self._op}Backward" if self._backward is not None else None

    # the graph walk lives in its own module; assigned, not wrapped, so a call costs nothing more
    backward = _tensor_backward.backward
    _topological_order = staticmethod(_tensor_backward.topological_order)

    @staticmethod
    def _constant(data: Any) -> Tensor:
        """A tensor outside the graph (comparison results, coerced Python numbers)."""
        return Tensor(data)

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
        body = format_values(self.data)
        extras = []
        if self.data.dtype not in (np.float32, np.int64, np.bool_):
            extras.append(f"dtype=torch.{self.data.dtype.name}")
        if self._backward is not None:
            extras.append(f"grad_fn=<{self.grad_fn}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Build a Tensor, as ``torch.tensor``."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)
