import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import explorer.info.comparison
import explorer.info.continuous
import explorer.info.discrete
import explorer.info.editing
import explorer.info.units
from explorer.info import (
    compare,
    cross_entropy,
    entropy,
    js_divergence,
    kl_divergence,
    kl_terms,
    sensitivity_curve,
    set_probability,
)


def test_compare_matches_the_single_functions():
    p, q = [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]
    for base in (2, math.e, 10):
        c = compare(p, q, base)
        assert c.entropy_p == pytest.approx(entropy(p, base))
        assert c.entropy_q == pytest.approx(entropy(q, base))
        assert c.cross_entropy_pq == pytest.approx(cross_entropy(p, q, base))
        assert c.cross_entropy_qp == pytest.approx(cross_entropy(q, p, base))
        assert c.kl_pq == pytest.approx(kl_divergence(p, q, base))
        assert c.kl_qp == pytest.approx(kl_divergence(q, p, base))
        assert c.js == pytest.approx(js_divergence(p, q, base))
        np.testing.assert_allclose(c.kl_pq_terms, kl_terms(p, q, base))


def test_compare_lecture_example_and_unit():
    c = compare([1, 0, 0], [0.8, 0.1, 0.1], "nats")
    assert c.unit == "nats"
    assert c.cross_entropy_pq == pytest.approx(math.log(1 / 0.8))
    assert c.kl_qp == math.inf
    assert set(c.as_dict()) == {
        "entropy_p",
        "entropy_q",
        "cross_entropy_pq",
        "cross_entropy_qp",
        "kl_pq",
        "kl_qp",
        "js",
    }


def test_sensitivity_curve_matches_set_probability_pointwise():
    p, q = [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]
    t, kl, cross = sensitivity_curve(p, q, 1, base=2, num=11)
    assert t[0] == 0 and t[-1] == 1 and t.size == 11
    for i in range(1, 10):
        q_t = set_probability(q, 1, t[i])
        assert kl[i] == pytest.approx(kl_divergence(p, q_t))
        assert cross[i] == pytest.approx(cross_entropy(p, q_t))
    # Both ends rule out something P allows: infinite there, never NaN.
    assert kl[0] == kl[-1] == math.inf
    assert not np.isnan(kl).any() and not np.isnan(cross).any()


def test_sensitivity_curve_with_one_hot_q_spreads_the_rest_evenly():
    t, kl, _ = sensitivity_curve([0.25, 0.25, 0.5], [0, 1, 0], 1, num=5)
    assert kl[2] == pytest.approx(kl_divergence([0.25, 0.25, 0.5], [0.25, 0.5, 0.25]))


@pytest.mark.parametrize(
    "module",
    [
        explorer.info.comparison,
        explorer.info.continuous,
        explorer.info.discrete,
        explorer.info.editing,
        explorer.info.units,
        explorer.info,
    ],
)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_sensitivity_grid_crowds_the_ends_and_custom_t_is_validated():
    from explorer.info.comparison import sensitivity_grid

    t = sensitivity_grid()
    assert t[0] == 0.0 and t[-1] == 1.0 and (np.diff(t) > 0).all()
    assert t[1] <= 1e-6 * 1.0001 and 1 - t[-2] <= 1e-6 * 1.0001
    _, kl, _ = sensitivity_curve([0.5, 0.5], [0.5, 0.5], 0, t=t)
    assert np.isinf(kl[0]) and np.isfinite(kl[1:-1]).all() and kl[1] > 8
    with pytest.raises(ValueError, match="t must be"):
        sensitivity_curve([0.5, 0.5], [0.5, 0.5], 0, t=[0.5, 1.5])


def _sweep_by_rows(p, q, index, base, t):
    """The sensitivity curve the slow way: every row of the sweep through the definitions."""
    rows = [set_probability(q, index, value) for value in t]
    return (
        np.array([kl_divergence(p, row, base) for row in rows]),
        np.array([cross_entropy(p, row, base) for row in rows]),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.0, 1e-9, 0.05, 0.2, 0.5, 1.0, 3.0]), min_size=2, max_size=6)
    .filter(lambda p: sum(p) > 0)
    .flatmap(
        lambda p: st.tuples(
            st.just(p),
            st.lists(
                st.sampled_from([0.0, 1e-9, 0.05, 0.2, 0.5, 1.0, 3.0]),
                min_size=len(p),
                max_size=len(p),
            ).filter(lambda q: sum(q) > 0),
            st.integers(0, len(p) - 1),
            st.sampled_from([2, math.e, 10]),
        )
    )
)
def test_the_closed_form_sweep_matches_the_definitions_row_by_row(case):
    p, q, index, base = case
    t = np.array([0.0, 1e-6, 0.01, 0.3, 0.5, 0.999, 1.0])
    _, kl, cross = sensitivity_curve(p, q, index, base, t=t)
    kl_rows, cross_rows = _sweep_by_rows(p, q, index, base, t)
    for got, want in ((kl, kl_rows), (cross, cross_rows)):
        np.testing.assert_array_equal(np.isinf(got), np.isinf(want))
        finite = np.isfinite(want)
        np.testing.assert_allclose(got[finite], want[finite], rtol=1e-9, atol=1e-12)
    assert (kl >= 0).all() and not np.isnan(kl).any() and not np.isnan(cross).any()
