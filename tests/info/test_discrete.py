import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.info import (
    as_distribution,
    cross_entropy,
    cross_entropy_terms,
    entropy,
    entropy_terms,
    js_divergence,
    js_terms,
    kl_divergence,
    kl_terms,
)

# -- the lecture notes' worked examples (cross entropy section) -----------------------------


def test_lecture_example_q_close_to_p_gives_0_3219_bits():
    assert cross_entropy([1, 0, 0], [0.8, 0.1, 0.1], base=2) == pytest.approx(0.3219, abs=5e-5)
    assert cross_entropy([1, 0, 0], [0.8, 0.1, 0.1]) == pytest.approx(math.log2(1 / 0.8))


def test_lecture_example_q_totally_wrong_gives_infinity():
    assert cross_entropy([1, 0, 0], [0, 1, 0]) == math.inf
    assert kl_divergence([1, 0, 0], [0, 1, 0]) == math.inf


def test_lecture_example_q_equals_p_gives_cross_entropy_equal_entropy_zero():
    assert cross_entropy([1, 0, 0], [1, 0, 0]) == 0.0
    assert entropy([1, 0, 0]) == 0.0
    assert kl_divergence([1, 0, 0], [1, 0, 0]) == 0.0


def test_lecture_kl_decomposition_cross_entropy_minus_entropy():
    p, q = [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]
    assert kl_divergence(p, q) == pytest.approx(cross_entropy(p, q) - entropy(p))


# -- values, units, conventions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "expected"),
    [(2, 1.0), (math.e, math.log(2)), (10, math.log10(2)), ("nats", math.log(2))],
)
def test_entropy_of_a_fair_coin_in_each_unit(base, expected):
    assert entropy([0.5, 0.5], base=base) == pytest.approx(expected)


def test_uniform_entropy_is_log_k():
    assert entropy(np.ones(8)) == pytest.approx(3.0)


def test_inputs_are_normalized_like_scipy():
    assert entropy([2, 2]) == pytest.approx(1.0)
    assert kl_divergence([1, 1], [3, 1]) == pytest.approx(kl_divergence([0.5, 0.5], [0.75, 0.25]))
    assert as_distribution([1e308, 1e308]).tolist() == [0.5, 0.5]


def test_zero_log_zero_is_zero_and_infinity_comes_without_nan_or_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        terms = kl_terms([0.5, 0.5, 0.0], [0.0, 0.5, 0.5])
        cross = cross_entropy_terms([0.5, 0.5, 0.0], [0.0, 0.5, 0.5])
        ent = entropy_terms([1, 0, 0])
        js = js_terms([1, 0], [0, 1])
    assert terms[0] == math.inf and terms[2] == 0.0
    assert cross[0] == math.inf and cross[2] == 0.0
    assert ent.tolist() == [0.0, 0.0, 0.0]
    for array in (terms, cross, ent, js):
        assert not np.isnan(array).any()


def test_kl_terms_can_be_negative_but_sum_to_kl():
    p, q = [0.2, 0.8], [0.5, 0.5]
    terms = kl_terms(p, q)
    assert terms[0] < 0
    assert terms.sum() == pytest.approx(kl_divergence(p, q))


def test_terms_sum_to_their_totals():
    p, q = [0.1, 0.2, 0.7], [0.3, 0.3, 0.4]
    assert entropy_terms(p).sum() == pytest.approx(entropy(p))
    assert cross_entropy_terms(p, q).sum() == pytest.approx(cross_entropy(p, q))
    assert js_terms(p, q).sum() == pytest.approx(js_divergence(p, q))


def test_js_of_disjoint_distributions_is_one_bit_and_finite():
    assert js_divergence([1, 0], [0, 1]) == pytest.approx(1.0)
    assert js_divergence([1, 0], [0, 1], base=math.e) == pytest.approx(math.log(2))


def test_tiny_subnormal_q_does_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = kl_divergence([1, 1], [1, 5e-324])
    assert math.isfinite(value) and value > 0


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "words"),
    [
        ([0.5, -0.2, 0.7], ["negative", "-0.2", "index 1"]),
        ([0.5, float("nan")], ["NaN", "nan"]),
        ([0.5, float("inf")], ["infinite", "inf"]),
        ([], ["empty"]),
        ([0, 0, 0], ["all zeros"]),
        ([[0.5, 0.5]], ["one-dimensional"]),
        (["a", "b"], ["numbers", "'a'"]),
        ([10**400, 1], ["numbers", "(406 characters)"]),  # an int beyond any float
    ],
)
def test_bad_input_is_rejected_with_a_message_naming_the_problem(p, words):
    with pytest.raises(ValueError) as info:
        entropy(p)
    for word in words:
        assert word in str(info.value)


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError, match="same length.*3 and 2"):
        kl_divergence([0.2, 0.3, 0.5], [0.5, 0.5])


def test_q_is_named_in_its_errors():
    with pytest.raises(ValueError, match="^q has a negative"):
        cross_entropy([0.5, 0.5], [1.5, -0.5])


def test_unknown_base_is_rejected():
    with pytest.raises(ValueError, match="base must be 2, e or 10.*3"):
        entropy([0.5, 0.5], base=3)


# -- properties ----------------------------------------------------------------------------------

weights = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def pairs(draw):
    k = draw(st.integers(min_value=1, max_value=12))
    p = draw(st.lists(weights, min_size=k, max_size=k).filter(lambda v: sum(v) > 0))
    q = draw(st.lists(weights, min_size=k, max_size=k).filter(lambda v: sum(v) > 0))
    return np.array(p), np.array(q)


bases = st.sampled_from([2, math.e, 10])


@settings(max_examples=300, deadline=None)
@given(pairs(), bases)
def test_gibbs_inequality_kl_is_never_negative(pq, base):
    assert kl_divergence(*pq, base=base) >= 0.0


@settings(max_examples=300, deadline=None)
@given(pairs(), bases)
def test_cross_entropy_is_entropy_plus_kl(pq, base):
    p, q = pq
    cross = cross_entropy(p, q, base=base)
    total = entropy(p, base=base) + kl_divergence(p, q, base=base)
    if math.isinf(cross):
        assert math.isinf(total)
    else:
        assert cross == pytest.approx(total, rel=1e-9, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_js_is_between_zero_and_one_bit_and_symmetric(pq):
    p, q = pq
    js = js_divergence(p, q, base=2)
    assert 0.0 <= js <= 1.0
    assert js == pytest.approx(js_divergence(q, p, base=2), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(pairs(), bases)
def test_nothing_is_ever_nan(pq, base):
    p, q = pq
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for value in (
            entropy(p, base),
            cross_entropy(p, q, base),
            kl_divergence(p, q, base),
            js_divergence(p, q, base),
            *kl_terms(p, q, base),
            *cross_entropy_terms(p, q, base),
        ):
            assert not math.isnan(value)


@settings(max_examples=200, deadline=None)
@given(pairs())
def test_kl_is_zero_for_identical_distributions(pq):
    p, _ = pq
    assert kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)
