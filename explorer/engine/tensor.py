"""A numpy-backed Tensor with reverse-mode automatic differentiation.

Each operation builds its result with :func:`Tensor._from_op`, giving the parents and a
``backward`` function that maps the result's gradient to one gradient per parent (``None``
for a parent that needs none). :meth:`Tensor.backward` walks the graph in reverse
topological order (iteratively, so deep graphs do not hit Python's recursion limit) and
accumulates; a chain of ops that vouch for their gradients (``backward.exact``, such as the
fused MLP and cross entropy of a training step) is run node by node without sorting. The
broadcasting rule lives in one place, :func:`unbroadcast`: a broadcast edge's gradient is
summed back to its source's shape.

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

from explorer.engine._constants import ONE
from explorer.engine._tensor_format import format_values
from explorer.engine._tensor_math import TensorMath
from explorer.engine._tensor_shape import TensorShape

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

    def backward(
        self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False
    ) -> None:
        """Accumulate d(self)/d(leaf) into the ``.grad`` of every leaf that requires grad.

        ``gradient`` is d(loss)/d(self), needed when self is not a scalar. The graph is always
        kept (``retain_graph`` is accepted for torch's signature); higher-order gradients
        (``create_graph=True``) are not supported.
        """
        if create_graph:
            raise NotImplementedError("the numpy engine does not build graphs of gradients")
        if not self.requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            # a one of self's shape and dtype: cached (read-only) for a scalar, and np.ones is a
            # slower Python-level wrapper
            data = self.data
            if data.ndim == 0:
                seed = ONE[data.dtype]
            else:
                seed = np.array(1, dtype=data.dtype).reshape(data.shape)
        else:
            seed = np.asarray(gradient.data if isinstance(gradient, Tensor) else gradient)
            seed = seed.astype(self.data.dtype, copy=False)
            if seed.shape != self.data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {seed.shape} and "
                    f"output[0] has a shape of {self.data.shape}."
                )
        # Keyed by the tensors themselves (hashed by identity, see TensorMath.__hash__).
        grads: dict[Tensor, np.ndarray] = {self: seed}
        # A leaf without a .grad takes an exact op's gradient (see _from_op) as soon as it comes;
        # a later contribution replaces it with the sum. The other leaves (``deferred``) are
        # given theirs at the end, once every contribution is summed: a leaf that has a .grad
        # gets that sum added (as torch does), and one reached first by a plain op is in
        # ``leaves``: it adopts the array, or copies one that may alias another (``shared``):
        # the seed, a view, a pass-through (Add hands on its own input) or an adopted array.
        deferred: set[Tensor] = set()
        leaves: list[Tensor] = []
        fresh_leaves: list[Tensor] = []  # deferred leaves whose first gradient was exact
        shared = {self}
        if self._backward is None:
            leaves.append(self)
            deferred.add(self)
        # Non-leaf nodes holding a gradient not yet passed on. While there is one and its op is
        # exact, the graph so far is a chain (each node handed a gradient to at most one
        # non-leaf parent), so that node has every contribution: run it, no sort needed.
        pending: list[Tensor] = [] if self._backward is None else [self]
        while len(pending) == 1 and getattr(pending[0]._backward, "exact", False):
            node = pending.pop()
            parent_grads = node._backward(grads.pop(node))
            # the op vouches for its gradients: one per parent (zip(strict=True) costs ~0.2 us a
            # node here), no checks, no copies
            for parent, parent_grad in zip(node._parents, parent_grads, strict=False):
                if parent_grad is None:
                    continue
                if parent in grads:
                    grads[parent] = total = grads[parent] + parent_grad
                    shared.discard(parent)
                    if parent._backward is None and parent not in deferred:
                        parent.grad = total
                    continue
                grads[parent] = parent_grad
                if parent._backward is not None:
                    pending.append(parent)
                elif parent.grad is None:
                    parent.grad = parent_grad
                else:
                    fresh_leaves.append(parent)
                    deferred.add(parent)
        for node in self._topological_order(pending) if pending else ():
            grad = grads.pop(node, None)
            if grad is None:
                continue
            parent_grads = node._backward(grad)
            if getattr(node._backward, "exact", False):
                for parent, parent_grad in zip(node._parents, parent_grads, strict=False):
                    if parent_grad is None:
                        continue
                    if parent in grads:
                        grads[parent] = total = grads[parent] + parent_grad
                        shared.discard(parent)
                        if parent._backward is None and parent not in deferred:
                            parent.grad = total
                        continue
                    grads[parent] = parent_grad
                    if parent._backward is None:
                        if parent.grad is None:
                            parent.grad = parent_grad
                        else:
                            fresh_leaves.append(parent)
                            deferred.add(parent)
                continue
            for parent, parent_grad in zip(node._parents, parent_grads, strict=True):
                if parent_grad is None or not parent.requires_grad:
                    continue
                data = parent.data
                if parent_grad.shape != data.shape:
                    parent_grad = unbroadcast(np.asarray(parent_grad), data.shape)
                    assert parent_grad.shape == data.shape, (parent._op, parent_grad.shape)
                if parent_grad.dtype is not data.dtype and parent_grad.dtype != data.dtype:
                    parent_grad = parent_grad.astype(data.dtype)
                if parent in grads:
                    grads[parent] = total = grads[parent] + parent_grad
                    shared.discard(parent)
                    if parent._backward is None and parent not in deferred:
                        parent.grad = total
                    continue
                grads[parent] = parent_grad
                if parent_grad is grad or parent_grad.base is not None:
                    shared.add(parent)
                if parent._backward is None:
                    leaves.append(parent)
                    deferred.add(parent)
        for leaf in fresh_leaves:
            leaf.grad = leaf.grad + grads[leaf]
        adopted: set[int] = set()
        for leaf in leaves:
            grad = grads[leaf]
            if leaf.grad is not None:
                leaf.grad = leaf.grad + grad
            elif leaf in shared or id(grad) in adopted or type(grad) is not np.ndarray:
                leaf.grad = np.array(grad, dtype=leaf.data.dtype)
            else:
                leaf.grad = grad
                adopted.add(id(grad))

    @staticmethod
    def _topological_order(roots: list[Tensor]) -> list[Tensor]:
        """``roots`` and the non-leaf nodes above them that need a gradient, each after every
        node that uses it.

        Newest first: an op's output is always newer than its inputs.
        """
        if not roots:
            return []
        nodes = list(roots)
        seen = {id(node) for node in roots}
        stack = list(roots)
        while stack:
            for parent in stack.pop()._parents:
                if parent._backward is not None and parent.requires_grad and id(parent) not in seen:
                    seen.add(id(parent))
                    nodes.append(parent)
                    stack.append(parent)
        nodes.sort(key=_creation_order, reverse=True)
        return nodes

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
