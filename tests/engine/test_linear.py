"""nn.Linear and nn.Identity."""

import math

import numpy as np
import pytest

from explorer.engine import Tensor, float64, manual_seed, nn


def test_shapes_default_init_bounds_and_repr():
    manual_seed(0)
    layer = nn.Linear(784, 256)
    assert layer.weight.shape == (256, 784) and layer.bias.shape == (256,)
    bound = 1 / math.sqrt(784)
    assert np.abs(layer.weight.data).max() <= bound
    assert np.abs(layer.weight.data).max() > 0.95 * bound
    assert np.abs(layer.bias.data).max() <= bound
    assert repr(layer) == "Linear(in_features=784, out_features=256, bias=True)"
    assert layer.weight.dtype == np.float32


def test_no_bias_and_dtype():
    layer = nn.Linear(3, 2, bias=False, dtype=float64)
    assert layer.bias is None and list(layer._parameters) == ["weight", "bias"]
    assert [n for n, _ in layer.named_parameters()] == ["weight"]
    assert layer.weight.dtype == np.float64
    assert repr(layer) == "Linear(in_features=3, out_features=2, bias=False)"
    with pytest.raises(TypeError, match="float32 or float64"):
        nn.Linear(3, 2, dtype=np.int32)
    with pytest.raises(RuntimeError, match="runs on the CPU only"):
        nn.Linear(3, 2, device="cuda")


def test_forward_is_x_at_w_transposed_plus_b_for_any_batch_shape():
    layer = nn.Linear(3, 2, dtype=float64)
    for shape in [(3,), (5, 3), (2, 4, 3)]:
        x = np.random.default_rng(0).normal(size=shape)
        expected = x @ layer.weight.data.T + layer.bias.data
        np.testing.assert_allclose(layer(Tensor(x)).data, expected, rtol=1e-12)


def test_shape_and_dtype_mismatch_messages_are_torch_s():
    layer = nn.Linear(784, 256)
    with pytest.raises(
        RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(64x100 and 784x256\)"
    ):
        layer(Tensor(np.zeros((64, 100), dtype=np.float32)))
    with pytest.raises(RuntimeError, match="must have the same dtype, but got Double and Float"):
        layer(Tensor(np.zeros((1, 784))))


def test_backward_skips_gradients_nobody_needs():
    layer = nn.Linear(3, 2)
    x = Tensor(np.ones((4, 3), dtype=np.float32))
    layer(x).sum().backward()
    assert x.grad is None
    np.testing.assert_allclose(layer.bias.grad, [4.0, 4.0])
    np.testing.assert_allclose(layer.weight.grad, np.full((2, 3), 4.0))


def test_identity_ignores_arguments():
    x = Tensor([1.0])
    assert nn.Identity(54, unused="x")(x) is x
    assert repr(nn.Identity()) == "Identity()"
