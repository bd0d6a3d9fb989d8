import inspect

import numpy as np
import pytest

from explorer.data import SYNTHETIC_DATASETS, DataError, make_spiral, make_synthetic


@pytest.mark.parametrize("name", list(SYNTHETIC_DATASETS))
def test_generators_are_deterministic_and_balanced(name):
    first = make_synthetic(name, n_samples=101, seed=3)
    again = make_synthetic(name, n_samples=101, seed=3)
    other = make_synthetic(name, n_samples=101, seed=4)
    np.testing.assert_array_equal(first.x, again.x)
    np.testing.assert_array_equal(first.y, again.y)
    assert not np.array_equal(first.x, other.x)
    assert first.x.shape == (101, 2) and first.feature_shape == (2,)
    counts = first.class_counts()
    assert counts.max() - counts.min() <= 1
    assert np.abs(first.x).max() < 3
    assert first.name == name and len(first.class_names) == first.num_classes


@pytest.mark.parametrize("name", list(SYNTHETIC_DATASETS))
def test_registry_defaults_match_the_generator_signature(name):
    spec = SYNTHETIC_DATASETS[name]
    signature = inspect.signature(spec.generator)
    assert list(signature.parameters) == [p.name for p in spec.params]
    for param in spec.params:
        assert signature.parameters[param.name].default == param.default
        assert param.minimum <= param.default <= param.maximum
        assert param.help


def test_number_of_classes_is_honoured():
    assert make_synthetic("spiral", num_classes=5).num_classes == 5
    assert set(make_synthetic("blobs", num_classes=4, n_samples=40).y) == {0, 1, 2, 3}


def test_zero_noise_spiral_arms_lie_on_the_curve():
    data = make_spiral(n_samples=30, noise=0.0, num_classes=3)
    radius = np.hypot(data.x[:, 0], data.x[:, 1])
    assert radius.min() == pytest.approx(0.05, abs=1e-6)
    assert radius.max() == pytest.approx(1.0, abs=1e-6)


def test_xor_labels_follow_the_sign_rule_without_noise():
    data = make_synthetic("xor", noise=0.0)
    np.testing.assert_array_equal(data.y, (data.x[:, 0] * data.x[:, 1] > 0).astype(int))


def test_circles_inner_ring_has_the_factor_radius():
    data = make_synthetic("circles", noise=0.0, factor=0.3)
    radius = np.hypot(data.x[:, 0], data.x[:, 1])
    np.testing.assert_allclose(radius[data.y == 1], 0.3, atol=1e-6)
    np.testing.assert_allclose(radius[data.y == 0], 1.0, atol=1e-6)


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("swirl", {}, "unknown dataset 'swirl'; choose one of spiral, moons"),
        ("moons", {"num_classes": 3}, "moons takes no parameter 'num_classes'"),
        ("spiral", {"noise": -1.0}, "noise must be between 0.0 and 2.0; got -1.0"),
        ("spiral", {"n_samples": 2.5}, "n_samples must be an integer; got 2.5"),
        ("spiral", {"n_samples": "many"}, "n_samples must be a number; got 'many'"),
        ("blobs", {"num_classes": 11}, "num_classes must be between 2 and 10; got 11"),
        ("circles", {"factor": 1.0}, "factor must be between 0.05 and 0.95"),
        ("spiral", {"noise": float("nan")}, "noise must be between"),
    ],
)
def test_bad_parameters_are_rejected_with_the_value(name, params, message):
    with pytest.raises(DataError) as info:
        make_synthetic(name, **params)
    assert message in str(info.value)


def test_generators_validate_direct_calls_too():
    with pytest.raises(DataError, match="n_samples must be between 3"):
        make_spiral(n_samples=2)


def test_command_line_text_is_parsed_and_validated():
    params = {p.name: p for p in SYNTHETIC_DATASETS["spiral"].params}
    assert params["noise"].parse("0.25") == 0.25
    assert params["n_samples"].parse("500") == 500
    with pytest.raises(DataError, match="n_samples must be an integer; got '5.5'"):
        params["n_samples"].parse("5.5")
    with pytest.raises(DataError, match="noise must be a number; got 'lots'"):
        params["noise"].parse("lots")
    with pytest.raises(DataError, match="noise must be between 0.0 and 2.0; got 9.0"):
        params["noise"].parse("9")
