"""``Tensor.backward``: the reverse walk of the graph that accumulates gradients into leaves.

The walk is the engine's hottest code after the ops themselves and its longest function, so it
has a file of its own; :class:`explorer.engine.tensor.Tensor` takes :func:`backward` as its
method (a class attribute, not a wrapper: no extra call). Here too are the two rules the walk
relies on: :func:`topological_order` (newest first: an op's output is always newer than its
inputs) and :func:`unbroadcast` (a broadcast edge's gradient is summed back to its source's
shape), the one place broadcasting is undone.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

import numpy as np

from explorer.engine._constants import ONE
from explorer.engine._tensor_math import TensorMath

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor

# Sorting a graph's nodes by creation order (Tensor._seq), newest first, is a valid reverse
# topological order.
_creation_order = operator.attrgetter("_seq")


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


def backward(
    self: Tensor, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False
) -> None:
    """Accumulate d(self)/d(leaf) into the ``.grad`` of every leaf that requires grad.

    ``gradient`` is d(loss)/d(self), needed when self is not a scalar. The graph is always
    kept (``retain_graph`` is accepted for torch's signature); higher-order gradients
    (``create_graph=True``) are not supported.
    """
    if create_graph:
        raise NotImplementedError("the numpy engine does not build graphs of gradients")
    if not self.requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
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
        # TensorMath: Tensor's base class, which this module can import without a cycle
        seed = np.asarray(gradient.data if isinstance(gradient, TensorMath) else gradient)
        seed = seed.astype(self.data.dtype, copy=False)
        if seed.shape != self.data.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[0] has a shape of {seed.shape} and "
                f"output[0] has a shape of {self.data.shape}."
            )
    # Keyed by the tensors themselves (hashed by identity, see TensorMath.__hash__).
    grads: dict[Tensor, np.ndarray] = {self: seed}
    # A leaf without a .grad takes an exact op's gradient (see Tensor._from_op) as soon as it
    # comes; a later contribution replaces it with the sum. The other leaves (``deferred``) are
    # given theirs at the end, once every contribution is summed: a leaf that has a .grad gets
    # that sum added (as torch does), and one reached first by a plain op is in ``leaves``: it
    # adopts the array, or copies one that may alias another (``shared``): the seed, a view, a
    # pass-through (Add hands on its own input) or an adopted array.
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
        # node here), no checks, no copies. The summing of a repeated parent is written out
        # here and in the two loops below rather than called: a call per edge is ~2% of a
        # small network's step.
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
    for node in topological_order(pending) if pending else ():
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


def topological_order(roots: list[Tensor]) -> list[Tensor]:
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
