import numpy as np
import pytest

from explorer.data import DataError, Dataset, make_synthetic, train_val_split


def test_split_is_stratified_disjoint_and_deterministic():
    data = make_synthetic("blobs", n_samples=300, num_classes=3)
    train, val = train_val_split(data, val_fraction=0.2, seed=5)
    assert len(train) == 240 and len(val) == 60
    np.testing.assert_array_equal(val.class_counts(), [20, 20, 20])
    rows = {tuple(r) for r in train.x} | {tuple(r) for r in val.x}
    assert len(rows) == 300
    again_train, again_val = train_val_split(data, val_fraction=0.2, seed=5)
    np.testing.assert_array_equal(val.x, again_val.x)
    _, other_val = train_val_split(data, val_fraction=0.2, seed=6)
    assert not np.array_equal(val.x, other_val.x)
    assert train.name == "blobs (train)" and val.name == "blobs (val)"


def test_unstratified_split_takes_the_fraction():
    data = make_synthetic("moons", n_samples=100)
    train, val = train_val_split(data, val_fraction=0.25, stratify=False)
    assert (len(train), len(val)) == (75, 25)


def test_every_class_with_two_samples_reaches_validation():
    data = Dataset(np.zeros((12, 1)), np.array([0] * 10 + [1] * 2), 2)
    _, val = train_val_split(data, val_fraction=0.1)
    assert val.class_counts()[1] == 1


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5, float("nan"), "0.2"])
def test_bad_fraction_is_rejected(fraction):
    with pytest.raises(DataError, match="val_fraction must be between 0 and 1"):
        train_val_split(make_synthetic("moons"), val_fraction=fraction)


def test_split_that_would_leave_a_part_empty_is_rejected():
    data = Dataset(np.zeros((2, 1)), np.array([0, 1]), 2)
    with pytest.raises(DataError, match="cannot be split"):
        train_val_split(data, val_fraction=0.2, stratify=False)
