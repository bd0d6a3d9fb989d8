import numpy as np
import pytest

from explorer.data import DataError, Dataset


def make(x=None, y=None, **kwargs):
    x = np.zeros((4, 2)) if x is None else x
    y = np.array([0, 1, 0, 1]) if y is None else y
    return Dataset(x, y, kwargs.pop("num_classes", 2), **kwargs)


def test_construction_normalizes_dtypes_and_defaults():
    data = make(x=np.arange(8).reshape(4, 2), y=np.array([0, 1, 1, 0], dtype=np.int32))
    assert data.x.dtype == np.float32 and data.x.flags.c_contiguous
    assert data.y.dtype == np.int64
    assert data.feature_shape == (2,)
    assert data.class_names == ["0", "1"]
    assert len(data) == 4 and data.num_features == 2 and data.is_2d and not data.is_image


def test_integral_float_labels_are_accepted():
    assert make(y=np.array([0.0, 1.0, 1.0, 0.0])).y.dtype == np.int64


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": np.zeros(4)}, "x must be 2-D"),
        ({"y": np.zeros((4, 1))}, "y must be 1-D"),
        ({"y": np.array([0, 1, 0])}, "4 rows but y has 3 labels"),
        ({"x": np.zeros((0, 2)), "y": np.zeros(0, int)}, "empty"),
        ({"y": np.array([0, 1, 2, 0])}, "label 2 is out of range for 2 classes"),
        ({"y": np.array([0, -1, 0, 1])}, "label -1 is out of range"),
        ({"y": np.array([0.5, 1, 0, 1])}, "labels must be integers"),
        ({"num_classes": 1, "y": np.zeros(4, int)}, "num_classes must be an integer >= 2"),
        ({"x": np.array([[0, 1], [np.nan, 0], [0, 0], [0, 0]])}, "non-finite value"),
        ({"feature_shape": (3,)}, "feature_shape (3,) does not hold 2 features"),
        ({"class_names": ["a"]}, "1 class names given for 2 classes"),
        ({"x": np.array([["a", "b"]] * 4)}, "x must be numeric"),
    ],
)
def test_invalid_construction_names_the_problem(kwargs, message):
    with pytest.raises(DataError, match=None) as info:
        make(**kwargs)
    assert message in str(info.value)


def test_subset_copies_rows_and_keeps_metadata():
    data = make(
        x=np.arange(8).reshape(4, 2), feature_shape=(1, 2), class_names=["a", "b"], name="d"
    )
    part = data.subset([3, 1], name="part")
    np.testing.assert_array_equal(part.x, [[6, 7], [2, 3]])
    np.testing.assert_array_equal(part.y, [1, 1])
    assert part.feature_shape == (1, 2) and part.class_names == ["a", "b"] and part.is_image
    assert part.name == "part"
    np.testing.assert_array_equal(data.class_counts(), [2, 2])


def test_summary_line():
    data = make(x=np.zeros((4, 4)), feature_shape=(2, 2), name="tiny")
    assert data.summary() == "tiny: 4 samples, 2x2 images, 2 classes (2/2)"
    assert make(name="pts").summary() == "pts: 4 samples, 2 features, 2 classes (2/2)"
