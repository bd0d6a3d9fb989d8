import numpy as np

from explorer.data import load_digits
from explorer.resources import resource_path


def test_digits_are_the_uci_test_set():
    data = load_digits()
    assert data.x.shape == (1797, 64) and data.feature_shape == (8, 8)
    assert data.num_classes == 10 and data.class_names == [str(d) for d in range(10)]
    assert data.x.min() == 0 and data.x.max() == 16
    np.testing.assert_array_equal(
        data.class_counts(), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    )
    # The first image is a zero (first row of the UCI file).
    assert data.y[0] == 0
    np.testing.assert_array_equal(data.x[0, :8], [0, 0, 5, 13, 9, 1, 0, 0])


def test_digits_resource_is_plain_arrays_with_attribution():
    with np.load(resource_path("digits.npz"), allow_pickle=False) as archive:
        assert archive["images"].dtype == np.uint8
        assert archive["images"].shape == (1797, 8, 8)
        assert archive["labels"].dtype == np.int64
    license_text = resource_path("digits-LICENSE.txt").read_text(encoding="utf-8")
    assert "CC BY 4.0" in license_text or "Attribution 4.0" in license_text
    assert "10.24432/C50P49" in license_text
