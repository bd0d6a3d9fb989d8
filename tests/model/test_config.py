import json

import numpy as np
import pytest

from explorer.engine import nn
from explorer.model.config import (
    MAX_FEATURES,
    MLPConfig,
    format_hidden_sizes,
    parse_hidden_sizes,
    reinitialize_model,
)


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("256", (256,)),
        ("256, 128, 64", (256, 128, 64)),
        ("256 128 64", (256, 128, 64)),
        ("", ()),
        ("  ", ()),
        ("8 4,2", (8, 4, 2)),
        ("20000", (20000,)),
    ],
)
def test_hidden_sizes_parse_and_round_trip(text, sizes):
    assert parse_hidden_sizes(text) == sizes
    assert parse_hidden_sizes(format_hidden_sizes(sizes)) == sizes


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("256, abc", "'abc'"),
        ("2.5", "'2.5'"),
        ("0", "got 0"),
        ("-3", "got -3"),
        ("1 2 3 4 5 6 7 8 9", "9 hidden layers"),
        ("20000000", "got 20000000"),
    ],
)
def test_bad_hidden_sizes_are_refused_quoting_the_value(text, quoted):
    with pytest.raises(ValueError, match=quoted):
        parse_hidden_sizes(text)


def test_defaults_are_the_lecture_notes_model():
    config = MLPConfig()
    assert MLPConfig.from_dict({}) == config
    assert (config.input_features, config.hidden_sizes, config.output_features) == (
        784,
        (256,),
        10,
    )
    assert (config.init_weight, config.init_bias) == ("he", "zero")
    assert config.describe() == "784-256-10"


def test_dict_round_trip_through_json_and_normalized_fields():
    config = MLPConfig(input_features=np.int64(5), hidden_sizes=[4, 3], seed=9)
    assert config.hidden_sizes == (4, 3) and type(config.input_features) is int
    state = json.loads(json.dumps(config.to_dict()))
    assert state["hidden_sizes"] == [4, 3]
    assert MLPConfig.from_dict(state) == config
    assert MLPConfig(hidden_sizes=7).hidden_sizes == (7,)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"activation": "gelu"}, "activation.*'gelu'"),
        ({"init_weight": "orthogonal"}, "init_weight.*'orthogonal'"),
        ({"input_features": 0}, "input_features.*0"),
        ({"output_features": 2.0}, "output_features.*2.0"),
        ({"output_features": MAX_FEATURES + 1}, "output_features must be at most 10,000,000"),
        ({"hidden_sizes": [1] * 9}, "9 hidden layers"),
        ({"hidden_sizes": "256"}, "hidden_sizes must be an int or a sequence"),
        ({"seed": -1}, "seed.*-1"),
        ({"seed": 2**31}, "seed must be an integer from 0 to 2147483647"),
        ({"dtype": "float16"}, "dtype.*'float16'"),
        ({"hiden_sizes": [3]}, "unknown.*hiden_sizes"),
    ],
)
def test_invalid_configs_name_the_problem(config, message):
    with pytest.raises(ValueError, match=message):
        MLPConfig.from_dict(config)


def test_the_limits_and_messages_are_nn_mlps_own():
    for kwargs in ({"hidden_sizes": (4, -2)}, {"hidden_sizes": (1,) * 9}, {"activation": "x"}):
        with pytest.raises(ValueError) as ours:
            MLPConfig(input_features=3, output_features=2, **kwargs)
        with pytest.raises(ValueError) as engines:
            nn.MLP(3, **{"hidden_sizes": 4, **kwargs}, output_features=2)
        assert str(ours.value) == str(engines.value)


@pytest.mark.parametrize("hidden", [(), (256,), (256, 128, 64), (3,) * 8])
def test_arithmetic_count_and_shapes_match_the_built_model(hidden):
    config = MLPConfig(input_features=20, hidden_sizes=hidden, output_features=7)
    model = config.build()
    assert config.num_parameters == sum(p.numel() for p in model.parameters())
    assert config.state_shapes() == {k: v.shape for k, v in model.state_dict().items()}
    assert config.nbytes == 4 * config.num_parameters
    assert config.describes(model)
    assert not config.adapted(21, 7).describes(model)


def test_the_lecture_model_has_203530_parameters():
    assert MLPConfig().num_parameters == 203_530


def test_same_seed_builds_the_same_weights_and_reinitialize_agrees():
    a = MLPConfig(seed=3).build()
    b = MLPConfig(seed=3).build()
    c = MLPConfig(seed=4).build()
    assert (a.linear1.weight.data == b.linear1.weight.data).all()
    assert not (a.linear1.weight.data == c.linear1.weight.data).all()
    reinitialize_model(c, 3)
    for key, value in a.state_dict().items():
        np.testing.assert_array_equal(c.state_dict()[key], value)


def test_dtype_is_applied():
    model = MLPConfig(dtype="float64", hidden_sizes=(4,)).build()
    assert {str(p.dtype) for p in model.parameters()} == {"torch.float64"}
    assert MLPConfig(dtype="float64", hidden_sizes=(4,)).describes(model)


def test_adapted_keeps_everything_but_the_widths():
    config = MLPConfig(hidden_sizes=(32, 16), activation="tanh", seed=4)
    adapted = config.adapted(2, 3)
    assert adapted.layer_sizes == (2, 32, 16, 3)
    assert (adapted.activation, adapted.seed) == ("tanh", 4)


def test_fitted_to_reads_the_layer_sizes_of_a_state_dicts_shapes():
    like = MLPConfig(input_features=2, hidden_sizes=(8,), output_features=3, activation="tanh")
    shapes = MLPConfig(input_features=64, hidden_sizes=(32, 16), output_features=10).state_shapes()
    fitted = like.fitted_to(shapes)
    assert fitted.layer_sizes == (64, 32, 16, 10) and fitted.activation == "tanh"
    assert like.fitted_to({}) is None
    assert like.fitted_to({"linear1.weight": (3, 3)}) is None  # no bias
    broken = dict(shapes, **{"linear2.weight": (16, 31)})  # 32 outputs feed 31 inputs
    assert like.fitted_to(broken) is None
    assert like.fitted_to(dict(shapes, extra=(1,))) is None
