import warnings

import numpy as np
import pytest

from explorer.inspect.array_stats import ArrayStats, histogram, symmetric_limit


def test_stats_match_numpy():
    values = np.random.default_rng(0).normal(size=(30, 40)).astype(np.float32)
    values[0, :10] = 0
    stats = ArrayStats.of(values)
    assert stats.count == 1200
    assert stats.mean == pytest.approx(values.mean(dtype=np.float64))
    assert stats.std == pytest.approx(values.std(dtype=np.float64))
    assert (stats.min, stats.max) == (values.min(), values.max())
    assert stats.zero_fraction == pytest.approx(10 / 1200)


def test_histogram_counts_every_value():
    values = np.random.default_rng(1).normal(size=1000)
    edges, counts = histogram(values, bins=30)
    assert len(edges) == len(counts) + 1 == 31
    assert counts.sum() == 1000


def test_constant_array_gets_one_bin_around_its_value():
    edges, counts = histogram(np.zeros(256), bins=30)
    assert edges.tolist() == [-0.5, 0.5]
    assert counts.tolist() == [256.0]


def test_empty_and_nonfinite_arrays_do_not_break():
    assert histogram(np.array([]))[1].sum() == 0
    edges, counts = histogram(np.array([1.0, np.nan, 2.0, np.inf]))
    assert counts.sum() == 2
    assert np.isnan(ArrayStats.of(np.array([])).mean)


def test_symmetric_limit_is_three_rms_capped_by_the_peak():
    values = np.random.default_rng(2).normal(size=10_000)
    rms = np.sqrt(np.mean(values**2))
    assert symmetric_limit(values) == pytest.approx(min(3 * rms, np.abs(values).max()))
    assert symmetric_limit(np.array([0.0, 0.5])) == pytest.approx(0.5)
    assert symmetric_limit(np.zeros(5)) == 1.0


def test_reusing_stats_gives_the_same_answers():
    values = np.random.default_rng(3).normal(size=(64, 32)).astype(np.float32)
    stats = ArrayStats.of(values)
    for a, b in zip(histogram(values, 20), histogram(values, 20, stats), strict=True):
        np.testing.assert_allclose(a, b)
    assert symmetric_limit(values, stats) == pytest.approx(symmetric_limit(values))


def test_nonfinite_values_are_counted_without_warnings():
    values = np.array([1.0, np.nan, -np.inf, 2.0, np.inf], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stats = ArrayStats.of(values)
        limit = symmetric_limit(values, stats)
        edges, counts = histogram(values, 10, stats)
    assert np.isnan(stats.mean) and np.isnan(stats.std)  # what torch prints for this tensor
    assert (stats.nan_count, stats.inf_count) == (1, 2)
    assert not stats.finite
    assert stats.nonfinite_text() == "1 nan, 2 inf"
    # The colour range and the histogram describe the finite values only.
    assert limit == pytest.approx(symmetric_limit(np.array([1.0, 2.0])))
    assert counts.sum() == 2


def test_finite_arrays_report_no_nonfinite_values():
    stats = ArrayStats.of(np.arange(5.0))
    assert stats.finite and stats.nonfinite_text() == ""


def test_exploded_and_all_nan_arrays_keep_a_usable_colour_limit():
    rng = np.random.default_rng(4)
    exploded = (rng.normal(size=1000) * 1e18).astype(np.float32)
    assert 1e17 < symmetric_limit(exploded) < 1e19
    assert symmetric_limit(np.full(4, np.nan)) == 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = np.array([-1e300, 1e300, 5e299])  # float64: squares overflow
        assert symmetric_limit(huge) == pytest.approx(1e300)
        edges, counts = histogram(np.array([-1.7e308, 1.7e308]))
    assert counts.sum() == 2
