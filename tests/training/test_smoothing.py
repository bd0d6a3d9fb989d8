import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.training import ema_debiased


def reference(values, weight):
    """TensorBoard's loop, transcribed."""
    last, count, out = 0.0, 0, []
    for value in values:
        if not math.isfinite(value):
            out.append(value)
            continue
        last = last * weight + (1 - weight) * value
        count += 1
        out.append(last / (1 - weight**count))
    return np.array(out)


def test_worked_example():
    np.testing.assert_allclose(ema_debiased([1.0, 2.0, 3.0], 0.5), [1, 5 / 3, 17 / 7])


def test_first_value_is_unbiased_and_constants_stay_constant():
    assert ema_debiased([4.0], 0.99)[0] == pytest.approx(4.0)
    np.testing.assert_allclose(ema_debiased(np.full(1000, 2.5), 0.999), 2.5)


def test_zero_weight_is_identity_and_empty_is_empty():
    values = np.array([3.0, 1.0, 2.0])
    np.testing.assert_array_equal(ema_debiased(values, 0), values)
    assert ema_debiased([], 0.6).shape == (0,)


def test_non_finite_values_pass_through_without_touching_the_average():
    out = ema_debiased([1.0, float("nan"), 3.0, float("inf")], 0.5)
    assert math.isnan(out[1]) and math.isinf(out[3])
    np.testing.assert_allclose(out[[0, 2]], reference([1.0, 3.0], 0.5))


@given(
    st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))), min_size=1, max_size=200),
    st.floats(0, 0.999),
)
def test_matches_tensorboards_loop(values, weight):
    np.testing.assert_allclose(
        ema_debiased(values, weight), reference(values, weight), rtol=1e-7, atol=1e-6
    )


@pytest.mark.parametrize("weight", [1.0, -0.1, float("nan"), "0.5", True])
def test_bad_weight(weight):
    with pytest.raises(ValueError, match="smoothing weight must be in"):
        ema_debiased([1.0], weight)


def test_values_must_be_1d():
    with pytest.raises(ValueError, match="1-D"):
        ema_debiased(np.zeros((2, 2)), 0.5)
