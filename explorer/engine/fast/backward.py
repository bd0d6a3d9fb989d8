"""``Tensor.backward``'s fast start: a chain of exact nodes, run one by one without sorting.

An op may mark its backward function ``exact`` (``backward.exact = True``) to vouch that every
gradient it returns is None (always for a parent that does not require grad) or a new array of
its parent's shape and dtype that shares memory with no other array, and that it reads values
(so a backward without ``retain_graph`` releases it). The fused MLP and the
batch cross entropy are such ops, and together they are a training step's whole graph:
loss <- logits <- parameters.

While the only non-leaf holding a gradient is an exact node, the graph walked so far is a
chain, so that node has received every contribution and can run at once: no topological order
to build and sort, no broadcasting to undo, no copies for the leaves. Where the chain ends (a
node with two non-leaf parents, or a plain op), the plain walk takes over with the gradients
gathered so far.

The shapes the op vouches for go unchecked: comparing each gradient's shape with its parent's
costs about 2% of a training step. :data:`CHECK_SHAPES` turns the check on (the test suite
does, in ``tests/conftest.py``), and then a wrong one raises an AssertionError naming the op.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from explorer.engine._saved import CHANGES, check_saved, history_at, released_backward

if TYPE_CHECKING:
    from explorer.engine.tensor import Tensor

CHECK_SHAPES = False  # compare each gradient's shape with its parent's (see above)


def run_exact_chain(grads: dict[Tensor, np.ndarray], retain_graph: bool | None) -> bool:
    """Run the exact nodes at the head of the graph; True if they were the whole graph.

    ``grads`` holds one entry, the output and its gradient. On True every leaf reached has its
    gradient added to its ``.grad``; on False ``grads`` holds the gradients of the tensors
    reached and not yet run, for the plain walk to finish. Each node is checked and released
    as the plain walk does (``explorer/engine/_saved.py``).
    """
    (node,) = grads
    last_change, check_shapes = CHANGES.last, CHECK_SHAPES
    while getattr(node._backward, "exact", False) and not node._retains_grad:
        parents = node._parents
        if last_change > node._seq:  # a tensor was changed in place since node was made
            check_saved(node)
            parents = [history_at(parent, node) for parent in parents]
        parent_grads = node._backward(grads.pop(node))
        if not retain_graph:  # _saved.release, inlined
            node._backward = released_backward
            node._saved = ()
        pending = []  # the non-leaf parents that got a gradient
        # one gradient per parent, as the op vouches (zip's strict check costs ~0.2 us a node)
        for parent, grad in zip(parents, parent_grads, strict=False):
            if grad is None:
                continue
            if check_shapes:
                assert grad.shape == parent._data.shape, (node._op, grad.shape, parent._data.shape)
            if parent in grads:  # a parent used twice
                grads[parent] = grads[parent] + grad
                continue
            grads[parent] = grad
            if parent._backward is not None:
                pending.append(parent)
        if not pending:  # every gradient reached a leaf: add it to .grad (in place, as torch)
            for leaf, grad in grads.items():
                existing = leaf._grad
                if existing is None:
                    leaf._grad = grad
                elif type(existing) is np.ndarray:
                    existing += grad
                else:
                    existing._data += grad
            return True
        if len(pending) > 1:  # the graph branches here: it needs the plain walk's order
            return False
        (node,) = pending
    return False
