"""``F.cross_entropy`` of a training batch, lean: the general path's numbers, fewer numpy calls.

The general path (``explorer/engine/nn/_functional_class_losses.py``) serves every input shape,
weights, label smoothing, ignored targets and probability targets, and checks each. A training
step asks for none of that: ``(N, C)`` logits, one class index per row. This computes the same
expressions in the same order (a stable log-softmax, the picked log-probabilities summed, the
mean's division; in the backward, softmax minus one-hot, scaled), so the loss and the gradient
are identical bit for bit, with fewer numpy calls.
"""

from __future__ import annotations

import numpy as np

from explorer.engine.fast.constants import Table, arange, ones, scalar
from explorer.engine.tensor import Tensor

_INT64, _UINT64 = np.dtype(np.int64), np.dtype(np.uint64)
# (N, C, dtype) -> in one lookup: C ones (the row sums' product), each row's first flat index,
# and N as a 0-d array of the dtype (the backward's g / N, cheaper)
_CONSTANTS = Table(
    lambda key: (ones(key[1], key[2]), arange(key[0], key[1]), scalar(key[0], key[2]))
)


def batch_cross_entropy(
    input: Tensor,  # noqa: A002
    target_tensor: Tensor,
    reduction: str,
    ignore_index: int,
) -> Tensor | None:
    """``cross_entropy(input, target, reduction=reduction)``, or None where it does not apply.

    It applies to C-contiguous ``(N, C)`` floating point logits, ``N > 0`` int64 class indices
    all in ``[0, C)`` and an ``ignore_index`` outside that range, with reduction ``'mean'`` or
    ``'sum'`` (the caller rules out a weight, label smoothing and the legacy flags).
    """
    x, target = input._data, target_tensor._data
    if x.ndim != 2 or x.dtype.kind != "f" or target.ndim != 1 or not x.flags.c_contiguous:
        return None  # (the flat indices below assume row-major logits; any layer's output is)
    n, classes = x.shape
    if len(target) != n or (target.dtype is not _INT64 and target.dtype != _INT64):
        return None
    # one pass checks 0 <= t < C: read as uint64, a negative int64 is above any C (argmax and
    # item cost half of np.maximum.reduce, whose setup dominates on a batch)
    u = target.view(_UINT64)
    if not n or 0 <= ignore_index < classes or u.item(u.argmax()) >= classes:
        return None
    # the row maximum: exact however it is found, so found the cheapest way
    if classes == 2:  # the 2-D toy problems: one elementwise maximum of the two columns
        columns = x.T
        row_max = np.maximum(columns[0], columns[1])[:, None]
    elif classes < 32:
        # numpy reduces a short last axis row by row (slow); a transposed copy, in one pass
        row_max = np.maximum.reduce(x.T.copy(), axis=0)[:, None]
    else:
        row_max = np.maximum.reduce(x, axis=1, keepdims=True)
    ones_c, row_starts, count = _CONSTANTS[n, classes, x.dtype]
    logp = x - row_max  # shifted, then made log-softmax in place
    row_sums = np.exp(logp).dot(ones_c)
    logp -= np.log(row_sums, out=row_sums)[:, None]
    # each row's target as a flat index: 1-D fancy indexing is cheaper than [rows, t]
    picks = row_starts + target
    total = -np.add.reduce(logp.reshape(-1)[picks])
    mean = reduction == "mean"

    def backward(g: np.ndarray):
        scale = g / count if mean else g
        grad = np.exp(logp)
        grad *= scale  # softmax - one_hot, scaled: log-softmax's backward
        grad.reshape(-1)[picks] -= scale  # a view of grad: it changes in place
        return (grad,)

    backward.exact = True  # a new array of the input's shape and dtype (fast/backward.py)
    out = np.asarray(total / n if mean else total, dtype=x.dtype)
    # saved as the general path saves it: the target (its log-probabilities are its own)
    return Tensor._from_op(out, (input,), backward, "NllLossBackward0", (target_tensor,))
