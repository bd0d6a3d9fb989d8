"""nn.MLP: the lecture notes' Model generalised."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.engine import Tensor, manual_seed, nn


def test_default_mlp_is_the_lecture_model():
    model = nn.MLP()
    assert [n for n, _ in model.named_children()] == ["linear1", "linear2"]
    assert [n for n, _ in model.named_parameters()] == [
        "linear1.weight",
        "linear1.bias",
        "linear2.weight",
        "linear2.bias",
    ]
    assert [p.shape for p in model.parameters()] == [(256, 784), (256,), (10, 256), (10,)]
    assert list(model.parameters(recurse=False)) == []
    assert model.num_parameters() == 784 * 256 + 256 + 256 * 10 + 10
    assert nn.MLP.count_parameters(784, 256, 10) == model.num_parameters()


def test_repr_is_what_torch_prints_for_the_same_user_class():
    assert repr(nn.MLP(2, (8, 8), 2)) == (
        "MLP(\n"
        "  (linear1): Linear(in_features=2, out_features=8, bias=True)\n"
        "  (linear2): Linear(in_features=8, out_features=8, bias=True)\n"
        "  (linear3): Linear(in_features=8, out_features=2, bias=True)\n"
        ")"
    )


def test_hidden_sizes_accepts_an_int_and_an_empty_tuple():
    assert nn.MLP(3, 5, 2).hidden_sizes == (5,)
    single = nn.MLP(3, (), 2)
    assert [n for n, _ in single.named_children()] == ["linear1"]
    assert single(Tensor(np.ones((4, 3), dtype=np.float32))).shape == (4, 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_features": 0}, "input_features must be a positive integer; got 0"),
        ({"hidden_sizes": (4, -2)}, r"hidden_sizes\[1\] must be a positive integer; got -2"),
        ({"hidden_sizes": "256"}, "hidden_sizes must be an int or a sequence"),
        ({"output_features": 2.5}, "output_features must be a positive integer; got 2.5"),
        ({"activation": "gelu"}, "unknown activation 'gelu'; valid: relu, leaky_relu"),
        ({"init_weight": "kaiming"}, "unknown init_weight 'kaiming'; valid: he, xavier"),
        ({"init_bias": "one"}, "unknown init_bias 'one'; valid: zero, normal, uniform"),
    ],
)
def test_bad_configuration_is_rejected_with_the_bad_value(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.MLP(**{"input_features": 3, "hidden_sizes": 4, "output_features": 2, **kwargs})


def test_choice_tuples_for_uis():
    assert nn.MLP.ACTIVATIONS == ("relu", "leaky_relu", "sigmoid", "tanh", "identity")
    assert nn.MLP.INIT_WEIGHTS == ("he", "xavier", "normal", "uniform", "zero")
    assert nn.MLP.INIT_BIASES == ("zero", "normal", "uniform")


def test_init_params_schemes():
    manual_seed(0)
    he = nn.MLP(400, 300, 200)
    assert np.std(he.linear1.weight.data.numpy()) == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert np.all(he.linear1.bias.data == 0)
    xavier = nn.MLP(400, 300, 200, init_weight="xavier", init_bias="uniform")
    assert np.std(xavier.linear1.weight.data.numpy()) == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    assert 0 <= xavier.linear1.bias.data.min() and xavier.linear1.bias.data.max() <= 1
    zero = nn.MLP(4, 3, 2, init_weight="zero", init_bias="normal")
    assert np.all(zero.linear1.weight.data == 0) and np.any(zero.linear1.bias.data != 0)


def test_same_seed_same_weights():
    manual_seed(3)
    a = nn.MLP(5, (4,), 3).state_dict()
    manual_seed(3)
    b = nn.MLP(5, (4,), 3).state_dict()
    assert all(np.array_equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("activation", nn.MLP.ACTIVATIONS)
def test_forward_applies_the_activation_between_layers(activation):
    model = nn.MLP(3, (4,), 2, activation=activation, dtype=np.float64)
    x = Tensor(np.linspace(-2, 2, 6).reshape(2, 3))
    hidden = x.data @ model.linear1.weight.data.T + model.linear1.bias.data
    act = {
        "relu": lambda h: np.maximum(h, 0),
        "leaky_relu": lambda h: np.where(h > 0, h, 0.01 * h),
        "sigmoid": lambda h: 1 / (1 + np.exp(-h)),
        "tanh": np.tanh,
        "identity": lambda h: h,
    }[activation]
    expected = act(hidden) @ model.linear2.weight.data.T + model.linear2.bias.data
    np.testing.assert_allclose(model(x).data, expected, rtol=1e-12)


def test_dtype_argument():
    model = nn.MLP(3, 4, 2, dtype=np.float64)
    assert all(p.dtype == np.float64 for p in model.parameters())
    assert nn.MLP(3, 4, 2).linear1.weight.dtype == np.float32


def test_config_round_trip():
    model = nn.MLP(5, [4, 3], 2, activation="tanh", init_weight="xavier", dtype=np.float64)
    config = model.config()
    assert config == {
        "input_features": 5, "hidden_sizes": [4, 3], "output_features": 2,
        "activation": "tanh", "init_weight": "xavier", "init_bias": "zero", "dtype": "float64",
    }  # fmt: skip
    clone = nn.MLP(**config)
    assert repr(clone) == repr(model) and clone.linear1.weight.dtype == np.float64


@settings(max_examples=25, deadline=None)
@given(
    n_in=st.integers(1, 12),
    hidden=st.lists(st.integers(1, 12), max_size=4),
    n_out=st.integers(1, 6),
    activation=st.sampled_from(nn.MLP.ACTIVATIONS),
)
def test_any_configuration_keeps_the_lecture_notes_story(n_in, hidden, n_out, activation):
    model = nn.MLP(n_in, hidden, n_out, activation=activation)
    layers = len(hidden) + 1
    assert [n for n, _ in model.named_children()] == [f"linear{i}" for i in range(1, layers + 1)]
    assert list(model.parameters(recurse=False)) == []
    assert len(list(model.parameters())) == 2 * layers
    assert model.num_parameters() == nn.MLP.count_parameters(n_in, hidden, n_out)
    assert repr(model).count("\n") == layers + 1
    clone = nn.MLP(**model.config())
    clone.load_state_dict(model.state_dict())
    x = Tensor(np.linspace(-1, 1, 3 * n_in, dtype=np.float32).reshape(3, n_in))
    np.testing.assert_array_equal(clone(x).data, model(x).data)
