"""``Tensor.backward``'s fast start: a chain of exact nodes, run one by one without sorting.

An op may mark its backward function ``exact`` (``backward.exact = True``) to vouch that every
gradient it returns is None (always for a parent that does not require grad) or a new array of
its parent's shape and dtype that shares memory with no other array. The fused MLP and the
batch cross entropy are such ops, and together they are a training step's whole graph:
loss <- logits <- parameters.

While the only non-leaf holding a gradient is an exact node, the graph walked so far is a
chain, so that node has received every contribution and can run at once: no topological order
to build and sort, no broadcasting to undo, no copies for the leaves. Where the chain ends (a
node with two non-leaf parents, or a plain op), the plain walk takes over with the gradients
gathered so far.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor


def run_exact_chain(grads: dict[Tensor, np.ndarray]) -> bool:
    """Run the exact nodes at the head of the graph; True if they were the whole graph.

    ``grads`` holds one entry, the output and its gradient. On True every leaf reached has its
    gradient added to its ``.grad``; on False ``grads`` holds the gradients of the tensors
    reached and not yet run, for the plain walk to finish.
    """
    (node,) = grads
    while getattr(node._backward, "exact", False):
        pending = []  # the non-leaf parents that got a gradient
        # one gradient per parent, as the op vouches (zip's strict check costs ~0.2 us a node)
        for parent, grad in zip(node._parents, node._backward(grads.pop(node)), strict=False):
            if grad is None:
                continue
            assert grad.shape == parent.data.shape, (node._op, grad.shape, parent.data.shape)
            if parent in grads:  # a parent used twice
                grads[parent] = grads[parent] + grad
                continue
            grads[parent] = grad
            if parent._backward is not None:
                pending.append(parent)
        if not pending:  # every gradient reached a leaf
            for leaf, grad in grads.items():
                leaf.grad = grad if leaf.grad is None else leaf.grad + grad
            return True
        if len(pending) > 1:  # the graph branches here: it needs the plain walk's order
            return False
        (node,) = pending
    return False
