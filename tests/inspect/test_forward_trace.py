import numpy as np
import pytest

from explorer.engine import Tensor, no_grad
from explorer.inspect.forward_trace import forward_trace, prepare_input
from explorer.model.config import MLPConfig


def hooks_left(model):
    return [
        (name, len(m._forward_hooks), len(m._forward_pre_hooks))
        for name, m in model.named_modules()
        if m._forward_hooks or m._forward_pre_hooks
    ]


def test_trace_follows_the_forward_pass_and_removes_its_hooks():
    model = MLPConfig.from_dict(
        {"input_features": 6, "hidden_sizes": [5, 4], "output_features": 3}
    ).build()
    x = np.random.default_rng(0).normal(size=(2, 6)).astype(np.float32)
    trace = forward_trace(model, x)
    assert hooks_left(model) == []
    labels = [v.label for v in trace.values]
    assert labels == ["input x", "linear1", "relu(linear1)", "linear2", "relu(linear2)", "linear3"]
    with no_grad():
        h1 = model.linear1(Tensor(x)).numpy()
        out = model(Tensor(x)).numpy()
    np.testing.assert_allclose(trace.output, out)
    by_label = {v.label: v for v in trace.values}
    assert by_label["linear1"].shape == (2, 5)
    assert by_label["linear1"].stats.mean == pytest.approx(h1.mean(), rel=1e-5)
    assert by_label["relu(linear1)"].stats.min >= 0
    assert by_label["relu(linear1)"].stats.zero_fraction == pytest.approx((h1 <= 0).mean())
    assert by_label["linear3"].counts.sum() == 6


def test_hooks_are_removed_even_when_forward_fails():
    model = MLPConfig.from_dict(
        {"input_features": 6, "hidden_sizes": [5], "output_features": 3}
    ).build()
    with pytest.raises(Exception):  # noqa: B017 (any engine shape error)
        forward_trace(model, np.ones((1, 7), dtype=np.float32))
    assert hooks_left(model) == []


def test_existing_user_hooks_survive():
    model = MLPConfig.from_dict(
        {"input_features": 2, "hidden_sizes": [2], "output_features": 2}
    ).build()
    handle = model.linear1.register_forward_hook(lambda m, a, o: None)
    forward_trace(model, np.ones(2, dtype=np.float32))
    assert list(model.linear1._forward_hooks) == [handle.id]


def test_identity_activation_has_no_in_between_row():
    model = MLPConfig.from_dict(
        {
            "input_features": 2,
            "hidden_sizes": [3],
            "output_features": 2,
            "activation": "identity",
        }
    ).build()
    labels = [v.label for v in forward_trace(model, np.ones(2, dtype=np.float32)).values]
    assert labels == ["input x", "linear1", "linear2"]


def test_prepare_input_reshapes_or_refuses():
    assert prepare_input(np.ones(784), 784, np.float32).shape == (1, 784)
    assert prepare_input(np.ones((8, 8)), 64, np.float32).shape == (1, 64)
    assert prepare_input(np.ones((3, 28, 28)), 784, np.float64).dtype == np.float64
    with pytest.raises(ValueError, match=r"shape \(10,\).*784 input features"):
        prepare_input(np.ones(10), 784, np.float32)


def test_trace_names_the_hooked_modules():
    model = MLPConfig.from_dict({"input_features": 2, "hidden_sizes": [3, 3]}).build()
    trace = forward_trace(model, np.ones(2, dtype=np.float32))
    assert trace.hooked == ["linear1", "linear2", "linear3"]
