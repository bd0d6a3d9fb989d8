"""How the autograd views read the engine's graph: the one module that looks inside it.

A tensor made by an operation knows the tensors it was made from and the function that maps
its gradient to theirs; :meth:`Tensor.backward` walks those from the output back to the
leaves (``explorer/engine/tensor.py``). Everything the autograd graph shows comes through the
few functions here, so a change in how the engine keeps its graph is a change to this file:

- :func:`op_name`: the node's name as torch prints it (``type(t.grad_fn).__name__``).
- :func:`inputs_of`: the tensors an operation was made from (torch's ``next_functions``).
- :func:`values`, :func:`leaf_grad`: a tensor's values and a leaf's ``.grad`` as arrays.
- :func:`record_backward`: run ``backward()`` and keep, for every node the walk visits, in
  the walk's order, the gradient it received and what it sent to each input.

Examples
--------
>>> from explorer.engine import Tensor
>>> x = Tensor([1.0, 2.0], requires_grad=True)
>>> y = (x * x).sum()
>>> op_name(y).startswith("SumBackward"), [op_name(t) for t in inputs_of(y)][0][:3]
(True, 'Mul')
>>> steps = record_backward(y)
>>> [op_name(step.node)[:3] for step in steps]
['Sum', 'Mul']
>>> leaf_grad(x).tolist()
[2.0, 4.0]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from explorer.engine import Tensor, plain_path
from explorer.engine.tensor import topological_order, unbroadcast


def op_name(tensor: Tensor) -> str | None:
    """The name of the operation that made ``tensor`` (``AddmmBackward0``), None for a leaf.

    torch's ``grad_fn`` is an object whose class carries the name; a name given as text is
    taken as it is.
    """
    function = tensor.grad_fn
    if function is None:
        return None
    return function if isinstance(function, str) else type(function).__name__


def inputs_of(tensor: Tensor) -> tuple[Tensor, ...]:
    """The tensors the operation that made ``tensor`` took, in its argument order."""
    return tuple(tensor._parents) if tensor.grad_fn is not None else ()


def values(tensor: Tensor) -> np.ndarray:
    """A copy of ``tensor``'s values."""
    return np.array(np.asarray(tensor))


def leaf_grad(tensor: Tensor) -> np.ndarray | None:
    """A copy of a leaf's ``.grad`` (None when backward gave it none)."""
    grad = tensor.grad
    return None if grad is None else np.array(np.asarray(grad))


def graph_tensors(root: Tensor) -> list[Tensor]:
    """Every tensor ``root`` was made from, itself included, each after all it was made from
    (leaves first, ``root`` last)."""
    seen = {id(root): root}
    stack = [root]
    while stack:
        for parent in inputs_of(stack.pop()):
            if id(parent) not in seen:
                seen[id(parent)] = parent
                stack.append(parent)
    # An operation's output is newer than its inputs; the engine numbers tensors as it makes them.
    return sorted(seen.values(), key=lambda tensor: tensor._seq)


@dataclass(frozen=True)
class BackwardStep:
    """One node the backward walk visited: the gradient of the loss with respect to its
    output (``grad``), and what it sent to each input (``sent``: None where an input needs
    no gradient), each summed back to its input's shape as the walk sums it."""

    node: Tensor
    grad: np.ndarray
    sent: tuple[np.ndarray | None, ...]


def record_backward(root: Tensor) -> list[BackwardStep]:
    """Run ``root.backward()`` on the plain path and record every node it visits, in order.

    Each node's backward is wrapped for the length of the call (and given back afterwards),
    so what is recorded is what the engine's own walk computed, in the order it ran.
    """
    nodes = topological_order([root])
    recorded: list[BackwardStep] = []
    originals = {id(node): node._backward for node in nodes}

    def recorder(node: Tensor, backward):
        def run(grad: np.ndarray):
            out = backward(grad)
            sent = []
            for parent, parent_grad in zip(inputs_of(node), out, strict=True):
                if parent_grad is None or not parent.requires_grad:
                    sent.append(None)
                    continue
                fitted = unbroadcast(np.asarray(parent_grad), tuple(parent.shape))
                sent.append(np.array(fitted, dtype=np.asarray(parent).dtype))
            recorded.append(BackwardStep(node, np.array(grad), tuple(sent)))
            return out

        return run

    try:
        for node in nodes:
            node._backward = recorder(node, node._backward)
        with plain_path():
            root.backward(retain_graph=True)
    finally:
        for node in nodes:
            node._backward = originals[id(node)]
    return recorded


def requires_grad_leaves(tensors: Iterable[Tensor]) -> list[Tensor]:
    """The leaves among ``tensors`` that ask for a gradient."""
    return [t for t in tensors if t.grad_fn is None and t.requires_grad]
