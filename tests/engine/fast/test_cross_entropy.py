"""The batch cross entropy gives the general path's loss and gradient, bit for bit."""

import numpy as np
import pytest

from explorer.engine import Tensor, plain_path
from explorer.engine.fast.cross_entropy import batch_cross_entropy
from explorer.engine.nn import functional as F  # noqa: N812 (torch's alias)

RNG = np.random.default_rng(7)


def _loss_and_grad(x, target, **kwargs):
    """The loss, the input's gradient, and whether the batch cross entropy made the loss."""
    logits = Tensor(x, requires_grad=True)
    loss = F.cross_entropy(logits, Tensor(target), **kwargs)
    fast = getattr(loss._backward, "exact", False)
    loss.backward()
    return loss, logits.grad, fast


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("classes", [2, 3, 7, 10, 40])  # each way of finding a row max or sum
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_loss_and_gradient_are_the_general_paths_bit_for_bit(reduction, classes, dtype):
    for batch in (1, 16, 100):
        x = (RNG.standard_normal((batch, classes)) * 30).astype(dtype)
        target = RNG.integers(0, classes, batch)
        loss, grad, fast = _loss_and_grad(x, target, reduction=reduction)
        assert fast  # the fast path took it
        with plain_path():
            general_loss, general_grad, _ = _loss_and_grad(x, target, reduction=reduction)
        assert loss.dtype == general_loss.dtype == dtype
        assert np.array_equal(loss.data, general_loss.data)
        assert grad.dtype == general_grad.dtype and np.array_equal(grad, general_grad)


def test_everything_else_is_left_to_the_general_path():
    x = Tensor(RNG.standard_normal((4, 3)).astype(np.float32))
    target = Tensor(np.array([0, 2, 1, 1]))
    assert batch_cross_entropy(x, target, "mean", -100) is not None
    assert batch_cross_entropy(Tensor(x.numpy().T.copy().T), target, "mean", -100) is None
    assert batch_cross_entropy(x, target.to(np.uint8), "mean", -100) is None
    assert batch_cross_entropy(x, Tensor([0, 3, 1, 1]), "mean", -100) is None  # out of range
    assert batch_cross_entropy(x, Tensor([0, -1, 1, 1]), "mean", -100) is None
    assert batch_cross_entropy(x, target, "mean", 1) is None  # an ignore_index in range
    assert batch_cross_entropy(x, target[:3], "mean", -100) is None
    assert batch_cross_entropy(Tensor(x.numpy()[0]), Tensor(1), "mean", -100) is None
    empty = Tensor(np.zeros((0, 3), np.float32))
    assert batch_cross_entropy(empty, target[:0], "sum", -100) is None
    with pytest.raises(IndexError, match="^Target 3 is out of bounds.$"):  # the general path's
        F.cross_entropy(x, Tensor([0, 3, 1, 1]))
