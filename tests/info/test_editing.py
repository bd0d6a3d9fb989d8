import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.info import (
    LECTURE_EXAMPLES,
    DistributionPair,
    cross_entropy,
    one_hot,
    random_distribution,
    resize,
    set_probability,
    uniform,
)


def test_set_probability_rescales_the_others_proportionally():
    p = set_probability([0.5, 0.3, 0.2], 0, 0.0)
    np.testing.assert_allclose(p, [0.0, 0.6, 0.4])
    back = set_probability(p, 0, 0.5)
    np.testing.assert_allclose(back, [0.5, 0.3, 0.2])


def test_a_category_can_reach_exactly_zero_and_one_and_come_back():
    p = set_probability([0.2, 0.3, 0.5], 1, 1.0)
    assert p.tolist() == [0.0, 1.0, 0.0]
    p = set_probability(p, 1, 0.0)
    np.testing.assert_allclose(p, [0.5, 0.0, 0.5])
    p = set_probability(p, 1, 0.25)
    assert p[1] == 0.25 and p.sum() == pytest.approx(1.0)


def test_when_the_others_are_all_zero_the_rest_is_shared_equally():
    p = set_probability([0, 1, 0, 0], 1, 0.7)
    np.testing.assert_allclose(p, [0.1, 0.7, 0.1, 0.1])


@pytest.mark.parametrize(
    ("index", "value"),
    [(3, 0.5), (-1, 0.5), (0, 1.5), (0, float("nan")), (0.5, 0.5), (True, 0.5), (0, 10**400)],
)
def test_set_probability_rejects_bad_index_or_value(index, value):
    with pytest.raises(ValueError):
        set_probability([0.5, 0.25, 0.25], index, value)


@pytest.mark.parametrize("index", [1.5, -0.0, "1", None, 3])
def test_a_selected_category_is_an_integer_in_range(index):
    pair = DistributionPair()
    with pytest.raises(ValueError, match="category index must be an integer in 0..2"):
        pair.select(index)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 10), min_size=2, max_size=32).filter(lambda v: sum(v) > 0),
    st.data(),
)
def test_set_probability_always_sums_to_one_and_hits_the_value(weights, data):
    index = data.draw(st.integers(0, len(weights) - 1))
    value = data.draw(st.floats(0, 1))
    p = set_probability(weights, index, value)
    assert p[index] == value
    assert p.sum() == pytest.approx(1.0)
    assert (p >= 0).all()


def test_presets():
    assert uniform(4).tolist() == [0.25] * 4
    assert one_hot(3, 2).tolist() == [0, 0, 1]
    a, b = random_distribution(10, seed=7), random_distribution(10, seed=7)
    assert a.tolist() == b.tolist() and a.sum() == pytest.approx(1.0)
    assert random_distribution(10, seed=8).tolist() != a.tolist()


def test_resize_keeps_uniform_uniform_and_shrinks_by_renormalizing():
    np.testing.assert_allclose(resize(uniform(2), 32), uniform(32))
    np.testing.assert_allclose(resize([0.5, 0.25, 0.25], 2), [2 / 3, 1 / 3])
    np.testing.assert_allclose(resize([0, 0, 1], 2), [0.5, 0.5])
    grown = resize([0.5, 0.5], 4)
    assert grown.sum() == pytest.approx(1.0) and grown.size == 4


@pytest.mark.parametrize("k", [1, 33, 2.5, True, "3"])
def test_category_count_is_validated(k):
    with pytest.raises(ValueError, match="number of categories"):
        uniform(k)


def test_pair_presets_swap_and_copy():
    pair = DistributionPair([0.7, 0.2, 0.1], [0.1, 0.1, 0.8])
    pair.swap()
    assert pair.p.tolist() == [0.1, 0.1, 0.8]
    pair.copy_p_to_q()
    assert pair.q.tolist() == pair.p.tolist()
    pair.select(2)
    pair.apply_preset("q", "one-hot")
    assert pair.q.tolist() == [0, 0, 1]
    pair.apply_preset("p", "uniform")
    np.testing.assert_allclose(pair.p, 1 / 3)
    pair.apply_preset("p", "random", seed=3)
    np.testing.assert_allclose(pair.p, random_distribution(3, 3))
    with pytest.raises(ValueError, match="unknown preset"):
        pair.apply_preset("p", "zipf")
    with pytest.raises(ValueError, match="which must be"):
        pair.set_probability("r", 0, 0.5)


def test_pair_lecture_examples_reproduce_the_notes():
    pair = DistributionPair()
    expected = {"q-close": 0.3219, "q-wrong": float("inf"), "q-equals-p": 0.0}
    assert set(LECTURE_EXAMPLES) == set(expected)
    for name, value in expected.items():
        pair.apply_lecture_example(name)
        assert cross_entropy(pair.p, pair.q) == pytest.approx(value, abs=5e-5)


def test_pair_category_count_round_trip_and_selection_clamped():
    pair = DistributionPair()
    pair.set_category_count(32)
    pair.select(31)
    pair.set_category_count(2)
    assert pair.k == 2 and pair.selected == 1
    pair.set_category_count(32)
    assert pair.p.size == pair.q.size == 32
    assert pair.p.sum() == pytest.approx(1.0)


def test_pair_rejects_mismatch_and_bad_k():
    pair = DistributionPair()
    with pytest.raises(ValueError, match="same length"):
        pair.set([0.5, 0.5], [1, 0, 0])
    with pytest.raises(ValueError, match="number of categories"):
        pair.set([1], [1])
