"""Activation modules, dropout and the stable softmax family."""

import numpy as np
import pytest

import explorer.engine.nn.functional as F
from explorer.engine import Tensor, nn


def test_activation_values():
    x = Tensor([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(nn.ReLU()(x).data, [0, 0, 3])
    np.testing.assert_allclose(nn.LeakyReLU(0.1)(x).data, [-0.2, 0, 3], rtol=1e-6)
    np.testing.assert_allclose(nn.Tanh()(x).data, np.tanh([-2.0, 0.0, 3.0]), rtol=1e-6)
    np.testing.assert_allclose(nn.Sigmoid()(x).data, 1 / (1 + np.exp([2.0, 0.0, -3.0])), rtol=1e-6)
    assert repr(nn.LeakyReLU(0.2, inplace=True)) == "LeakyReLU(negative_slope=0.2, inplace=True)"


def test_softmax_family_is_finite_for_huge_logits():
    logits = Tensor(np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]]))
    soft = F.softmax(logits, dim=1).data
    log_soft = F.log_softmax(logits, dim=1).data
    assert np.all(np.isfinite(log_soft)) and np.all(np.isfinite(soft))
    np.testing.assert_allclose(soft.sum(axis=1), 1.0)
    np.testing.assert_allclose(log_soft[0], [0.0, -2000.0, -1000.0])
    np.testing.assert_allclose(log_soft[1], np.log([1 / 3] * 3))
    assert nn.LogSoftmax(dim=1)(logits).shape == (2, 3)


def test_softmax_without_dim_warns_like_torch():
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = F.softmax(Tensor(np.zeros((2, 3))))
    np.testing.assert_allclose(out.data, np.full((2, 3), 1 / 3))
    with pytest.warns(UserWarning, match="log_softmax"):
        out = nn.LogSoftmax()(Tensor(np.zeros(4)))
    np.testing.assert_allclose(out.data, np.log(np.full(4, 0.25)))


def test_dropout_honours_training_and_scales():
    layer = nn.Dropout(p=0.25)
    x = Tensor(np.ones((200, 50), dtype=np.float32))
    out = layer(x).numpy()
    assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((out == 0).mean() - 0.25) < 0.02
    layer.eval()
    assert layer(x) is x
    assert np.all(F.dropout(x, p=1.0).data == 0)
    with pytest.raises(ValueError, match="between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)
