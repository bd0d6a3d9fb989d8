"""nn.init: torch's fan and gain rules, and seeding."""

import math

import numpy as np
import pytest

from explorer.engine import Tensor, manual_seed, nn
from explorer.engine.nn import init


def big(shape=(500, 400)):
    return nn.Parameter(np.zeros(shape, dtype=np.float64))


def test_calculate_gain_values():
    assert init.calculate_gain("linear") == 1 and init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("selu") == 0.75
    with pytest.raises(ValueError, match="Unsupported nonlinearity gelu"):
        init.calculate_gain("gelu")
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", True)


def test_fan_in_and_fan_out():
    assert init._calculate_fan_in_and_fan_out(Tensor(np.zeros((3, 5)))) == (5, 3)
    assert init._calculate_fan_in_and_fan_out(Tensor(np.zeros((3, 5, 2, 2)))) == (20, 12)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(Tensor(np.zeros(3)))


@pytest.mark.parametrize(
    ("fn", "kwargs", "std"),
    [
        (init.kaiming_normal_, {}, math.sqrt(2 / (1 + 1e-4)) / math.sqrt(400)),
        (init.kaiming_normal_, {"mode": "fan_out", "nonlinearity": "relu"}, math.sqrt(2 / 500)),
        (init.kaiming_uniform_, {"a": math.sqrt(5)}, math.sqrt(2 / 6) / math.sqrt(400)),
        (init.xavier_normal_, {}, math.sqrt(2 / 900)),
        (init.xavier_uniform_, {"gain": 2.0}, 2 * math.sqrt(2 / 900)),
        (init.normal_, {"std": 0.3}, 0.3),
        (init.uniform_, {"a": -1.0, "b": 1.0}, 1 / math.sqrt(3)),
    ],
)
def test_spread_follows_torch_rules(fn, kwargs, std):
    manual_seed(0)
    tensor = big()
    assert fn(tensor, **kwargs) is tensor
    assert np.std(tensor.detach().numpy()) == pytest.approx(std, rel=0.02)


def test_uniform_bounds_and_constant_fills():
    tensor = big((20, 30))
    init.kaiming_uniform_(tensor, a=math.sqrt(5))
    assert np.abs(tensor.data).max() <= 1 / math.sqrt(30)
    assert np.all(init.zeros_(tensor).data == 0)
    assert np.all(init.ones_(tensor).data == 1)
    assert np.all(init.constant_(tensor, 0.25).data == 0.25)
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_normal_(tensor, mode="fan_avg")


def test_seeding_and_explicit_generator_are_reproducible():
    manual_seed(42)
    a = init.normal_(big((3, 3))).detach().numpy().copy()
    manual_seed(42)
    b = init.normal_(big((3, 3))).detach().numpy().copy()
    np.testing.assert_array_equal(a, b)
    c = init.uniform_(big((3, 3)), generator=np.random.default_rng(1)).detach().numpy().copy()
    d = init.uniform_(big((3, 3)), generator=np.random.default_rng(1)).detach().numpy().copy()
    np.testing.assert_array_equal(c, d)
    with pytest.raises(ValueError, match="non-negative integer; got -1"):
        manual_seed(-1)


def test_init_records_no_graph_and_keeps_dtype():
    param = nn.Parameter(np.zeros((4, 4), dtype=np.float32))
    init.xavier_uniform_(param)
    assert param.is_leaf and param.dtype == np.float32


def test_zero_element_tensor_warns():
    with pytest.warns(UserWarning, match="zero-element"):
        init.kaiming_uniform_(nn.Parameter(np.zeros((0, 3))))
