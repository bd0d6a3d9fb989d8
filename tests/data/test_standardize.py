import json

import numpy as np
import pytest

from explorer.data import Dataset, Standardizer, load_digits, train_val_split


def test_fit_on_train_transforms_both():
    rng = np.random.default_rng(0)
    data = Dataset(rng.normal(5, 3, (200, 3)), rng.integers(0, 2, 200), 2)
    train, val = train_val_split(data)
    scaler = Standardizer().fit(train)
    out = scaler.transform(train)
    np.testing.assert_allclose(out.x.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(out.x.std(axis=0), 1, atol=1e-4)
    np.testing.assert_allclose(
        scaler.transform(val).x, (val.x - train.x.mean(0)) / train.x.std(0), rtol=1e-4
    )
    np.testing.assert_allclose(scaler.inverse_transform_array(out.x), train.x, rtol=1e-5)


def test_zero_variance_columns_map_to_zero_without_warnings():
    digits = load_digits()
    with np.errstate(all="raise"):
        out = Standardizer().fit(digits).transform(digits)
    assert np.all(np.isfinite(out.x))
    assert np.all(out.x[:, 0] == 0)  # the top-left pixel is blank in every image


def test_round_trip_through_json():
    scaler = Standardizer().fit(np.array([[1.0, 2.0], [3.0, 2.0]]))
    state = json.loads(json.dumps(scaler.to_dict()))
    restored = Standardizer.from_dict(state)
    np.testing.assert_array_equal(restored.mean, scaler.mean)
    np.testing.assert_array_equal(restored.scale, scaler.scale)
    assert not Standardizer.from_dict(Standardizer().to_dict()).fitted


@pytest.mark.parametrize(
    "state",
    [
        None,
        {"mean": [0.0]},
        {"mean": [0.0], "scale": [1.0, 2.0]},
        {"mean": [0.0], "scale": [0.0]},
        {"mean": ["a"], "scale": [1.0]},
        {"mean": [], "scale": []},
        {"mean": [float("nan")], "scale": [1.0]},
    ],
)
def test_bad_state_is_rejected(state):
    with pytest.raises(ValueError, match="standardizer"):
        Standardizer.from_dict(state)


def test_transform_checks_width_and_fit():
    with pytest.raises(RuntimeError, match="not fitted"):
        Standardizer().transform_array(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="fitted on 2 features"):
        Standardizer().fit(np.zeros((3, 2))).transform_array(np.zeros((3, 4)))
