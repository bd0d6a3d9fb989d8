import pytest

from explorer.engine import nn
from explorer.inspect.mlp_config import (
    DEFAULT_CONFIG,
    build_mlp,
    check_parameter_budget,
    count_mlp_parameters,
    format_hidden_sizes,
    parse_hidden_sizes,
    validate_config,
)


@pytest.mark.parametrize(
    ("text", "sizes"),
    [("256", [256]), ("256, 128, 64", [256, 128, 64]), ("", []), ("  ", []), ("8 4,2", [8, 4, 2])],
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


def test_defaults_are_the_seeds_model():
    config = validate_config({})
    assert config == DEFAULT_CONFIG
    assert (config["input_features"], config["hidden_sizes"], config["output_features"]) == (
        784,
        [256],
        10,
    )
    assert (config["init_weight"], config["init_bias"]) == ("he", "zero")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"activation": "gelu"}, "activation.*'gelu'"),
        ({"init_weight": "orthogonal"}, "init_weight.*'orthogonal'"),
        ({"input_features": 0}, "input_features.*0"),
        ({"output_features": 2.0}, "output_features.*2.0"),
        ({"hidden_sizes": [1] * 9}, "9 layers"),
        ({"seed": -1}, "seed.*-1"),
        ({"dtype": "float16"}, "dtype.*'float16'"),
        ({"hiden_sizes": [3]}, "unknown.*hiden_sizes"),
    ],
)
def test_invalid_configs_name_the_problem(config, message):
    with pytest.raises(ValueError, match=message):
        validate_config(config)


@pytest.mark.parametrize("hidden", [[], [256], [256, 128, 64], [3] * 8])
def test_arithmetic_count_matches_the_built_model(hidden):
    config = validate_config({"input_features": 20, "hidden_sizes": hidden, "output_features": 7})
    model = build_mlp(config)
    assert count_mlp_parameters(config) == sum(p.numel() for p in model.parameters())


def test_seed_count_is_203530():
    assert count_mlp_parameters(validate_config({})) == 203_530


def test_oversized_model_is_refused_before_allocation(monkeypatch):
    def no_alloc(*args, **kwargs):
        raise AssertionError("the model must not be built")

    monkeypatch.setattr(nn, "MLP", type("Spy", (), {"__init__": no_alloc, **vars(nn.MLP)}))
    config = validate_config({"input_features": 100_000, "hidden_sizes": [1000]})
    with pytest.raises(ValueError, match=r"100,011,010 parameters.*budget of 50,000,000"):
        check_parameter_budget(config, 50_000_000)


def test_same_seed_builds_the_same_weights():
    a = build_mlp(validate_config({"seed": 3}))
    b = build_mlp(validate_config({"seed": 3}))
    c = build_mlp(validate_config({"seed": 4}))
    assert (a.linear1.weight.data == b.linear1.weight.data).all()
    assert not (a.linear1.weight.data == c.linear1.weight.data).all()


def test_dtype_is_applied():
    model = build_mlp(validate_config({"dtype": "float64", "hidden_sizes": [4]}))
    assert {str(p.dtype) for p in model.parameters()} == {"torch.float64"}
