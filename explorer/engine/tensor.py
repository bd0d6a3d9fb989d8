"""A numpy array that records the operations applied to it, and differentiates them backwards.

Start reading the engine here. In order:

1. This file: a :class:`Tensor` holds a numpy array, ``_data`` (``.data`` shows it as a
   Tensor and ``.numpy()`` as the array, as in torch). An operation on tensors that require
   grad makes its result with :meth:`Tensor._from_op`, which records the inputs (``_parents``),
   a ``backward`` function that maps the result's gradient to one gradient per input, and the
   tensors that backward will read (``_saved``). :meth:`Tensor.backward` visits the graph from
   the output back to the leaves, each node after every node that uses it
   (:func:`topological_order`), calls each node's backward, sums a broadcast edge's gradient
   back to its source's shape (:func:`unbroadcast`), and adds up the gradients that reach a
   tensor along several paths. Leaves keep theirs in ``.grad``.
2. ``_tensor_math.py``, ``_tensor_reduce.py`` and ``_tensor_shape.py``: the operations (``+``,
   ``*``, ``@``, ``exp``, ``sum``, indexing, ...), each building its result and its backward
   together; ``_tensor_convert.py``: shape, ``item()``, ``numpy()``, ``to()``;
   ``_tensor_inplace.py``: the in-place ones (``add_``, ``x -= ...``, ``x[i] = ...``), which
   keep the tensor and change its values; ``_saved.py``: torch's rules about what a backward
   reads (an in-place change to it is an error; a second backward needs ``retain_graph``).
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
tensor([2., 4., 6.])
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from explorer.engine import fast
from explorer.engine._grad_fn import Node, node_of
from explorer.engine._grad_mode import (  # noqa: F401 (re-exported)
    creation_counter,
    enable_grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
    state,
)
from explorer.engine._saved import check_saved, history_at, new_counter, release, version
from explorer.engine._size import Size
from explorer.engine._tensor_convert import TensorConvert
from explorer.engine._tensor_format import format_values
from explorer.engine._tensor_inplace import TensorInPlace
from explorer.engine._tensor_math import TensorMath
from explorer.engine._tensor_reduce import TensorReduce
from explorer.engine._tensor_shape import TensorShape
from explorer.engine.dtypes import torch_dtype_name
from explorer.engine.fast import constants as fast_constants
from explorer.engine.fast.backward import run_exact_chain

BackwardFn = Callable[[np.ndarray], Sequence[np.ndarray | None]]

_NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)
_NOT_LEAF_FLAG = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
    "variable in a subgraph that doesn't require differentiation use var_no_grad = "
    "var.detach()."
)
_GRAD_DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def as_array(data: Any, dtype: Any = None) -> np.ndarray:
    """Convert ``data`` the way ``torch.tensor`` does: Python floats become float32."""
    if isinstance(data, Tensor):
        data = data._data
    if dtype is not None:
        return np.array(data, dtype=dtype)
    if isinstance(data, np.ndarray):
        if data.dtype.kind == "f" and data.dtype.itemsize < 4:
            return data.astype(np.float32)
        return data
    if isinstance(data, np.generic):
        return np.asarray(data)
    if isinstance(data, (list, tuple)) and any(isinstance(item, Tensor) for item in data):
        data = [as_array(item) if isinstance(item, Tensor) else item for item in data]
    array = np.array(data)
    if array.dtype == np.float64:
        array = array.astype(np.float32)
    elif array.dtype.kind in "iu":
        array = array.astype(np.int64)
    return array


_NDARRAY = np.ndarray  # one global lookup, for the check every op's result goes through


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
        node = stack.pop()
        for parent in node._parents:
            if parent._seq > node._seq:  # changed in place since: the edge leads to before
                parent = history_at(parent, node)
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


def accumulate_grad(tensor: Tensor, grad: np.ndarray, taken: set[int]) -> None:
    """Add ``grad`` to ``tensor.grad``: in place if it has one (as torch), else keep it."""
    existing = tensor._grad
    if existing is None:
        tensor._grad = _own(grad, taken)
        return
    array = existing if type(existing) is np.ndarray else existing._data
    if array.flags.writeable:
        array += grad
    else:
        tensor._grad = array + grad


class Tensor(TensorMath, TensorReduce, TensorShape, TensorInPlace, TensorConvert):
    """An n-dimensional array that can record the operations applied to it.

    Parameters
    ----------
    data : array_like
        The values. Python floats become float32 (torch's default), Python ints int64;
        a numpy array keeps its dtype (float64 stays float64) and is shared, not copied.
    requires_grad : bool
        Whether :meth:`backward` should compute a gradient for this tensor.
    dtype : numpy dtype, optional
        Convert to this dtype.
    """

    __slots__ = (
        "_data", "_grad", "_requires_grad", "_parents", "_backward", "_op", "_seq", "_vc",
        "_saved", "_base", "_retains_grad", "__weakref__",
    )  # fmt: skip
    __array_priority__ = 1000  # numpy defers to Tensor's reflected operators

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None):
        self._data = as_array(data, dtype)
        self._grad: np.ndarray | Tensor | None = None
        self._requires_grad = False
        self._parents: tuple[Tensor, ...] = ()
        self._backward: BackwardFn | None = None
        self._op = ""
        self._seq = next(creation_counter)
        self._vc = new_counter()  # the version counter (shared with views): see _saved.py
        self._saved = self._base = None
        self._retains_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # -- graph construction ---------------------------------------------------------------
    @classmethod
    def _from_op(
        cls,
        data: np.ndarray,
        parents: Sequence[Tensor],
        backward: BackwardFn,
        op: str,
        saved: Sequence[Any] | None = None,
        view_of: Tensor | None = None,
    ) -> Tensor:
        """The result ``data`` of operation ``op`` on ``parents``, as a graph node when a
        parent requires grad.

        ``backward(g)``, given the gradient of the result, returns one gradient per parent (or
        None for one that needs none), without changing ``g``. A gradient may keep the shape
        the operation broadcast its parent to: :meth:`backward` sums it back. ``op`` is the
        node's name as torch prints it (``AddBackward0``).

        ``saved`` lists the tensors ``backward`` reads (``RESULT`` for the output itself), for
        the in-place check; ``()`` when it reads only arrays of its own; None when it reads no
        values at all, so it can run again after the graph is freed (see ``_saved.py``).
        ``view_of``: the result shares that tensor's memory (a reshape, a slice), and so its
        version counter.
        """
        out = Tensor.__new__(Tensor)
        # a ufunc of 0-d arrays gives a numpy scalar: every tensor holds an array
        out._data = data if data.__class__ is _NDARRAY else np.asarray(data)
        out._grad = out._vc = out._base = None  # a counter is made when first needed (_counter)
        out._op = op
        out._seq = next(creation_counter)
        out._retains_grad = False
        if view_of is not None:
            out._vc = view_of._counter()
            out._base = view_of if view_of._base is None else view_of._base
        if state.grad_enabled:  # is_grad_enabled(), inlined: this runs for every op
            for parent in parents:
                if parent._requires_grad:
                    out._requires_grad = True
                    out._parents = tuple(parents)
                    out._backward = backward
                    out._saved = saved  # a tuple, or any iterable the check can go over
                    return out
        out._requires_grad = False
        out._parents = ()
        out._backward = None
        out._saved = None
        return out

    @staticmethod
    def _wrap(data: np.ndarray, version_counter: list[int] | None = None) -> Tensor:
        """A tensor outside the graph around ``data`` (shared, not copied)."""
        out = Tensor.__new__(Tensor)
        out._data = data if type(data) is np.ndarray else np.asarray(data)
        out._grad = None
        out._requires_grad = False
        out._parents = ()
        out._backward = None
        out._op = ""
        out._seq = next(creation_counter)
        out._vc = new_counter() if version_counter is None else version_counter
        out._saved = out._base = None
        out._retains_grad = False
        return out

    @property
    def is_leaf(self) -> bool:
        return self._backward is None

    @property
    def grad_fn(self) -> Node | None:
        """The operation that made this tensor (``<AddBackward0 object at ...>``), or None."""
        return node_of(self) if self._backward is not None else None

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set whether a leaf records operations for a gradient (in place; returns self)."""
        if self._backward is not None and not requires_grad:
            raise RuntimeError(_NOT_LEAF_FLAG)
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        self._counter()  # an optimizer may change it: it counts on a counter being there
        return self

    def retain_grad(self) -> None:
        """Keep this non-leaf's gradient in ``.grad`` at the next backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._backward is not None:
            self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    # -- gradients ------------------------------------------------------------------------
    @property
    def grad(self) -> Tensor | None:
        """The gradient :meth:`backward` accumulated, as a Tensor (None before the first).

        The walk stores a plain array; it becomes a Tensor, kept, when first read.
        """
        grad = self._grad
        if grad is None:
            if self._backward is not None and not self._retains_grad:
                warnings.warn(_NON_LEAF_GRAD, UserWarning, stacklevel=2)
            return None
        if type(grad) is np.ndarray:
            grad = self._grad = Tensor._wrap(grad)
        return grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    "assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value._data.shape)}' to a "
                    f"tensor of size '{list(self._data.shape)}'. Please ensure that the "
                    "gradient and the tensor are the same size"
                )
            self._counter()  # an optimizer may change it: it counts on a counter being there
            if value._data.dtype != self._data.dtype:
                name = value._data.dtype.name
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype "
                    f"'{_GRAD_DTYPE_NAMES.get(name, name)}' to a tensor with grad_dtype "
                    f"'{torch_dtype_name(self._data.dtype)}'. The gradient must match the "
                    "tensor's grad_dtype (defaults to the tensor's dtype)."
                )
        self._grad = value

    def _grad_array(self) -> np.ndarray | None:
        """``.grad`` as a numpy array (None if there is none), for the optimizers."""
        grad = self._grad
        return grad if grad is None or type(grad) is np.ndarray else grad._data

    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
    ) -> None:
        """Add d(self)/d(leaf) to the ``.grad`` of every leaf that requires grad.

        ``gradient`` is d(loss)/d(self), needed when self is not a scalar. Afterwards the
        graph's saved values are freed, so a second backward through it raises, unless
        ``retain_graph=True``; higher-order gradients (``create_graph=True``) are not
        supported.
        """
        if create_graph:
            raise NotImplementedError("the numpy engine does not build graphs of gradients")
        if not self._requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        data = self._data
        fast_paths = fast.enabled()
        if gradient is None:
            if data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            # a one of self's shape and dtype (np.ones, cheaper): size 1, so every axis is 1 long
            if fast_paths:  # made once, read-only: backward functions never change g
                seed = fast_constants.SEEDS[data.dtype, data.ndim]
            else:
                seed = np.array(1, data.dtype, ndmin=data.ndim)
        else:
            seed = np.asarray(gradient._data if isinstance(gradient, Tensor) else gradient)
            seed = seed.astype(data.dtype, copy=False)
            if seed.shape != data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {Size(seed.shape)} and "
                    f"output[0] has a shape of {Size(data.shape)}."
                )
        grads = {self: seed}  # d(self)/d(t) for each tensor t reached and not yet visited
        if fast_paths and run_exact_chain(grads, retain_graph):
            return  # a training step's graph of fused nodes (explorer/engine/fast/backward.py)
        taken = {id(seed)}  # arrays no tensor may keep as they are (see _own)
        for node in topological_order(grads):
            grad = grads.pop(node, None)
            if grad is None:
                continue  # no path from self carries a gradient here
            if node._retains_grad:
                accumulate_grad(node, grad, taken)
            if node._saved:
                check_saved(node)
            parent_grads = node._backward(grad)
            if not retain_graph:
                release(node)
            for parent, parent_grad in zip(node._parents, parent_grads, strict=True):
                if parent_grad is None:
                    continue
                if parent._seq > node._seq:  # changed in place since: the edge leads to before
                    parent = history_at(parent, node)
                if not parent._requires_grad:
                    continue
                data = parent._data
                parent_grad = unbroadcast(parent_grad, data.shape)
                if parent_grad.dtype != data.dtype:
                    parent_grad = parent_grad.astype(data.dtype)
                assert parent_grad.shape == data.shape, (node._op, parent_grad.shape, data.shape)
                if parent in grads:
                    # another path to parent: add up, into a new array (the first may be shared)
                    grads[parent] = grads[parent] + parent_grad
                else:
                    grads[parent] = parent_grad
        for leaf, grad in grads.items():  # what is left: the leaves, each with its whole gradient
            accumulate_grad(leaf, grad, taken)

    # -- values ---------------------------------------------------------------------------
    @property
    def data(self) -> Tensor:
        """The values as a Tensor outside the graph, sharing memory (changes to it are not
        tracked by autograd, as in torch); assigning a Tensor replaces the values."""
        return Tensor._wrap(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        self._data = value._data

    @property
    def _version(self) -> int:
        """How many in-place changes this tensor's memory has had (torch's ``_version``)."""
        return 0 if self._vc is None else version(self._vc)

    def _counter(self) -> list[int]:
        """This tensor's version counter, made now if it has none yet."""
        if self._vc is None:
            self._vc = new_counter()
        return self._vc

    def detach(self) -> Tensor:
        """The same values outside the graph, sharing memory and the version counter."""
        return Tensor._wrap(self._data, self._counter())

    def clone(self) -> Tensor:
        """A copy of the values that stays in the graph (its gradient flows back to self)."""
        return Tensor._from_op(self._data.copy(), (self,), lambda g: (g,), "CloneBackward0")

    def __repr__(self) -> str:
        body = format_values(self._data)
        extras = []
        if self._data.dtype not in (np.float32, np.int64, np.bool_):
            extras.append(f"dtype=torch.{self._data.dtype.name}")
        if self._backward is not None:
            extras.append(f"grad_fn=<{self._op}>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"
