"""The fast paths and the plain path give the same numbers, bit for bit.

Each case trains an MLP for a few steps as the app does (each activation, each loss, each
optimizer, float32 and float64) once on each path, recording every output, loss, gradient and
parameter, and compares them with ``np.array_equal`` (no tolerance) and by dtype.
"""

from __future__ import annotations

import numpy as np
import pytest

from explorer.engine import Tensor, fast, manual_seed, nn, optim, plain_path
from explorer.engine.nn import functional as F  # noqa: N812 (torch's alias)

STEPS = 4
OPTIMIZERS = {
    "sgd": lambda params: optim.SGD(params, lr=0.1),
    "momentum": lambda params: optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=1e-3),
    "adam": lambda params: optim.Adam(params, lr=0.01),
    "adam_weight_decay": lambda params: optim.Adam(params, lr=0.01, weight_decay=1e-3),
}


def _loss(name: str, logits: Tensor, labels: np.ndarray) -> Tensor:
    """The app's two training losses (explorer/training/objective.py)."""
    if name == "cross_entropy":
        return F.cross_entropy(logits, Tensor(labels))
    one_hot = np.eye(logits.shape[1], dtype=logits.dtype)[labels]
    return F.mse_loss(F.softmax(logits, dim=1), Tensor(one_hot))


def _train(activation, loss, optimizer, dtype, classes, hidden=(8, 8)) -> list[np.ndarray]:
    """Every output, loss, gradient and parameter of a few training steps, in order."""
    manual_seed(0)
    model = nn.MLP(2, hidden, classes, activation=activation, dtype=dtype)
    opt = OPTIMIZERS[optimizer](model.parameters())
    rng = np.random.default_rng(1)
    record = []
    for _ in range(STEPS):
        x = Tensor(rng.normal(size=(32, 2)).astype(dtype))
        labels = rng.integers(0, classes, 32)
        opt.zero_grad()
        logits = model(x)
        value = _loss(loss, logits, labels)
        value.backward()
        opt.step()
        record += [logits.detach().numpy().copy(), value.detach().numpy().copy()]
        record += [p.grad.numpy().copy() for p in model.parameters()]
        record += [p.detach().numpy().copy() for p in model.parameters()]
    return record


def _assert_identical(fast_record, plain_record):
    assert len(fast_record) == len(plain_record)
    for i, (a, b) in enumerate(zip(fast_record, plain_record, strict=True)):
        assert a.dtype == b.dtype and a.shape == b.shape, i
        assert np.array_equal(a, b), i


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("activation", nn.MLP.ACTIVATIONS)
def test_training_steps_are_identical_on_both_paths(activation, loss, optimizer, dtype):
    fast_record = _train(activation, loss, optimizer, dtype, classes=3)
    with plain_path():
        plain_record = _train(activation, loss, optimizer, dtype, classes=3)
    _assert_identical(fast_record, plain_record)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("classes", [2, 10, 40])  # each a different row max or row sum
def test_the_cross_entropy_step_is_identical_for_any_number_of_classes(classes, dtype):
    fast_record = _train("relu", "cross_entropy", "sgd", dtype, classes, hidden=(16,))
    with plain_path():
        plain_record = _train("relu", "cross_entropy", "sgd", dtype, classes, hidden=(16,))
    _assert_identical(fast_record, plain_record)


def _graph(model, x, labels):
    logits = model(x)
    return logits, F.cross_entropy(logits, Tensor(labels))


def test_the_fast_path_takes_its_shortcuts_and_the_plain_path_none():
    manual_seed(0)
    model = nn.MLP(2, (8, 8), 3)
    x, labels = Tensor(np.ones((4, 2), np.float32)), np.array([0, 1, 2, 0])
    logits, loss = _graph(model, x, labels)
    assert len(logits._parents) == 7  # the input and six parameters: one node for all layers
    assert loss._backward.exact and logits._backward.exact
    with plain_path():
        logits, loss = _graph(model, x, labels)
    assert len(logits._parents) == 3  # the last Linear: its input, weight and bias
    assert not hasattr(loss._backward, "exact") and not hasattr(logits._backward, "exact")
    assert fast.enabled()
