import numpy as np
import pytest

from explorer.engine import Tensor
from explorer.model.loss import compute_loss


def test_mse_loss_is_squared_error_of_softmax_against_one_hot():
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 3.0]], dtype=np.float32)
    labels = np.array([0, 1])
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = ((probs - np.eye(3)[labels]) ** 2).mean()
    assert compute_loss(Tensor(logits), labels, "mse").item() == pytest.approx(expected, rel=1e-6)
    per_sample = compute_loss(Tensor(logits), labels, "mse", "none").data
    assert per_sample.mean() == pytest.approx(expected, rel=1e-6)


def test_cross_entropy_per_sample_values_average_to_the_mean():
    logits = Tensor(np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 0.0]], dtype=np.float32))
    labels = np.array([1, 1, 0])
    per_sample = compute_loss(logits, labels, "cross_entropy", "none").data
    assert per_sample.shape == (3,)
    assert compute_loss(logits, labels, "cross_entropy").item() == pytest.approx(
        per_sample.mean(), rel=1e-6
    )
    assert per_sample[2] == pytest.approx(np.log(2), rel=1e-6)


def test_gradients_flow_to_the_logits_for_both_losses():
    for loss in ("cross_entropy", "mse"):
        logits = Tensor(np.array([[0.5, -0.5, 0.1]], dtype=np.float32), requires_grad=True)
        compute_loss(logits, np.array([2]), loss).backward()
        assert logits.grad is not None and logits.grad[0, 2] < 0
