"""A numpy array that records the operations applied to it, and differentiates them backwards.

Start reading the engine here. In order:

1. This file: a :class:`Tensor` holds a numpy array, ``data``. An operation on tensors that
   require grad makes its result with :meth:`Tensor._from_op`, which records the inputs
   (``_parents``) and a ``backward`` function that maps the result's gradient to one gradient
   per input. :meth:`Tensor.backward` visits the graph from the output back to the leaves, each
   node after every node that uses it (:func:`topological_order`), calls each node's backward,
   sums a broadcast edge's gradient back to its source's shape (:func:`unbroadcast`), and adds
   up the gradients that reach a tensor along several paths. Leaves keep theirs in ``.grad``.
2. ``_tensor_math.py`` and ``_tensor_shape.py``: the operations (``+``, ``*``, ``@``, ``exp``,
   ``sum``, indexing, ...), each building its result and its backward together.
3. ``nn/_functional_layers.py`` (``linear``, activations), ``nn/_functional_losses.py`` and
   ``nn/_functional_class_losses.py``: the same pattern for bigger pieces. ``nn/module.py`` and
   ``nn/mlp.py`` build models of them, and ``optim/`` updates parameters from their ``.grad``.
4. Last, ``fast/``: tricks that give the same numbers with less Python per training step
   (a whole MLP as one node, a lean cross entropy, ...), all behind one switch.

As in micrograd, each operation builds its output and its backward side by side; unlike
micrograd's, a backward here returns its inputs' gradients instead of adding into their
``.grad``, so that summing, unbroadcasting and checking them happens in one place, the walk.

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from explorer.engine import fast
from explorer.engine._tensor_format import format_values
from explorer.engine._tensor_math import TensorMath
from explorer.engine._tensor_shape import TensorShape
from explorer.engine.fast.backward import run_exact_chain

BackwardFn = Callable[[np.ndarray], Sequence[np.ndarray | None]]


class _GradMode(threading.local):
    grad_enabled = True  # class default: every new thread starts with grad enabled


_state = _GradMode()
# Creation order: an op's output is always newer than its inputs (see topological_order).
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


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` back to ``shape``: a broadcast edge's gradient is summed back to its
    source's shape (a broadcast copies the source; each copy's gradient flows back to it)."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:  # leading axes the broadcast added
        grad = grad.sum(axis=tuple(range(extra)))
    # axes of length 1 that the broadcast stretched (a gradient with too few axes is no
    # broadcast's: it is left as it is, for the walk's shape check to report)
    sizes = zip(shape, grad.shape, strict=False)
    stretched = tuple(axis for axis, (n, m) in enumerate(sizes) if n == 1 and m != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def topological_order(roots: Iterable[Tensor]) -> list[Tensor]:
    """The non-leaf tensors among ``roots`` and among the tensors they were made from, each one
    before the tensors it was made from.

    Found by a depth-first search with a stack (recursion would stop at Python's depth limit of
    about 1000 ops), then sorted newest first: an op's output is always newer than its inputs.
    """
    order = [tensor for tensor in roots if tensor._backward is not None]
    seen = set(order)  # tensors hash by identity
    stack = list(order)
    while stack:
        for parent in stack.pop()._parents:
            if parent._backward is not None and parent not in seen:
                seen.add(parent)
                order.append(parent)
                stack.append(parent)
    order.sort(key=_creation_index, reverse=True)
    return order


def _creation_index(tensor: Tensor) -> int:
    return tensor._seq


def _own(grad: np.ndarray, taken: set[int]) -> np.ndarray:
    """``grad`` as a leaf's own array: itself when nothing else can hold it, else a copy.

    A gradient may be a view (of another gradient), the caller's ``gradient`` argument, or one
    array handed to two tensors (``a + b`` gives its gradient to both); ``taken`` holds the ids
    of the seed and of the arrays already kept.
    """
    if type(grad) is np.ndarray and grad.base is None and id(grad) not in taken:
        taken.add(id(grad))
        return grad
    return np.array(grad)


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
        """The result ``data`` of operation ``op`` on ``parents``, as a graph node when a
        parent requires grad.

        ``backward(g)``, given the gradient of the result, returns one gradient per parent (or
        None for one that needs none), without changing ``g``. A gradient may keep the shape
        the operation broadcast its parent to: :meth:`backward` sums it back.
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
        """Add d(self)/d(leaf) to the ``.grad`` of every leaf that requires grad.

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
            # a one of self's shape and dtype (np.ones, cheaper): size 1, so every axis is 1 long
            seed = np.array(1, self.data.dtype, ndmin=self.data.ndim)
        else:
            seed = np.asarray(gradient.data if isinstance(gradient, Tensor) else gradient)
            seed = seed.astype(self.data.dtype, copy=False)
            if seed.shape != self.data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {seed.shape} and "
                    f"output[0] has a shape of {self.data.shape}."
                )
        grads = {self: seed}  # d(self)/d(t) for each tensor t reached and not yet visited
        if fast.enabled() and run_exact_chain(grads):
            return  # a training step's graph of fused nodes (explorer/engine/fast/backward.py)
        for node in topological_order(grads):
            grad = grads.pop(node, None)
            if grad is None:
                continue  # no path from self carries a gradient here
            for parent, parent_grad in zip(node._parents, node._backward(grad), strict=True):
                if parent_grad is None or not parent.requires_grad:
                    continue
                data = parent.data
                parent_grad = unbroadcast(parent_grad, data.shape)
                if parent_grad.dtype != data.dtype:
                    parent_grad = parent_grad.astype(data.dtype)
                assert parent_grad.shape == data.shape, (node._op, parent_grad.shape, data.shape)
                if parent in grads:
                    # another path to parent: add up, into a new array (the first may be shared)
                    grads[parent] = grads[parent] + parent_grad
                else:
                    grads[parent] = parent_grad
        taken = {id(seed)}  # arrays no leaf may keep as they are (see _own)
        for leaf, grad in grads.items():  # what is left: the leaves, each with its whole gradient
            leaf.grad = _own(grad, taken) if leaf.grad is None else leaf.grad + grad

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
