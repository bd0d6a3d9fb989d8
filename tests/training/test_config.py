import json

import pytest

from explorer.training import DEFAULT_RUN, DIGITS_RUN, RunSpec, TrainingConfig


def test_defaults_validate_and_round_trip_through_json():
    config = TrainingConfig()
    assert config.validate() is config
    state = json.loads(json.dumps(config.to_dict()))
    assert TrainingConfig.from_dict(state) == config
    assert TrainingConfig.from_dict({}) == TrainingConfig()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("loss", "hinge", "loss must be one of cross_entropy, mse; got 'hinge'"),
        ("optimizer", "rmsprop", "optimizer must be one of sgd, momentum, adam; got 'rmsprop'"),
        ("lr", 0.0, "lr must be a number in (0, 10]; got 0.0"),
        ("lr", float("nan"), "lr must be a number in (0, 10]; got nan"),
        ("lr", "0.1", "lr must be a number"),
        ("momentum", 1.0, "momentum must be a number in [0, 1); got 1.0"),
        ("weight_decay", -1e-4, "weight_decay must be a number in [0, 10]; got -0.0001"),
        ("batch_size", 0, "batch_size must be an integer from 1 to"),
        ("batch_size", 3.0, "batch_size must be an integer from 1 to 1000000; got 3.0"),
        ("epochs", True, "epochs must be an integer"),
        ("seed", -1, "seed must be an integer from 0 to"),
        ("shuffle", "yes", "shuffle must be True or False; got 'yes'"),
        ("val_fraction", 1.0, "val_fraction must be a number in (0, 1); got 1.0"),
    ],
)
def test_validate_names_field_and_value(field, value, message):
    with pytest.raises(ValueError) as info:
        TrainingConfig(**{field: value}).validate()
    assert message in str(info.value)


def test_from_dict_rejects_unknown_keys_and_non_dicts():
    with pytest.raises(ValueError, match="unknown training config field 'dataset'"):
        TrainingConfig.from_dict({"dataset": "spiral"})
    with pytest.raises(ValueError, match="must be a dict"):
        TrainingConfig.from_dict([1, 2])
    with pytest.raises(ValueError, match="epochs must be"):
        TrainingConfig.from_dict({"epochs": -3})


def test_run_spec_round_trip_and_overrides():
    spec = DEFAULT_RUN.with_training(epochs=3, seed=7)
    assert spec.training.epochs == 3 and spec.training.seed == 7
    assert DEFAULT_RUN.training.epochs != 3  # the default is not mutated
    state = json.loads(json.dumps(spec.to_dict()))
    assert RunSpec.from_dict(state) == spec
    assert DIGITS_RUN.validate().dataset == "digits"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model": {"hidden_sizes": (0,)}}, "hidden_sizes[0] must be a positive integer; got 0"),
        ({"model": {"hidden_sizes": (4,) * 9}}, "9 hidden layers; at most 8 are allowed"),
        ({"model": {"activation": "gelu"}}, "unknown activation 'gelu'; valid: relu"),
        ({"model": {"init_weight": "orthogonal"}}, "unknown init_weight 'orthogonal'; valid: he"),
        ({"model": {"hidden": [4]}}, "unknown model configuration key(s): hidden"),
        ({"model": []}, "a model configuration must be an object"),
        ({"standardize": "yes"}, "standardize must be true, false or null"),
        ({"dataset": ""}, "dataset must be a name"),
    ],
)
def test_run_spec_validation(changes, message):
    state = DEFAULT_RUN.to_dict() | changes
    with pytest.raises(ValueError, match=None) as info:
        RunSpec.from_dict(state)
    assert message in str(info.value)


def test_run_spec_rejects_unknown_fields():
    with pytest.raises(ValueError, match="unknown run spec field 'colour'"):
        RunSpec.from_dict({"colour": "red"})
