import math

import numpy as np
import pytest

from explorer.info import DistributionPair
from explorer.ui.distributions.state import TabState, check_labels, parse_state


def current(labels=("a", "b", "c")) -> TabState:
    return TabState(DistributionPair([0.5, 0.3, 0.2], [0.2, 0.3, 0.5]), 2.0, "discrete", labels, 7)


def test_a_subset_applies_on_top_of_the_current_state_without_touching_it():
    now = current()
    new = parse_state({"base": "nats", "mode": "gaussian", "selected": 2}, now)
    assert new.base == pytest.approx(math.e) and new.mode == "gaussian"
    assert new.pair.selected == 2 and now.pair.selected != 2  # a scratch pair
    assert new.labels == ("a", "b", "c") and new.random_seed == 7  # kept
    np.testing.assert_allclose(new.pair.p, now.pair.p)


def test_names_go_with_the_categories_unless_given_again():
    assert parse_state({"p": [1, 1, 2]}, current()).labels is None
    assert parse_state({"k": 4}, current()).labels is None
    kept = parse_state({"k": 4, "labels": ["w", "x", "y", "z"]}, current())
    assert kept.pair.k == 4 and kept.labels == ("w", "x", "y", "z")


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"colour": 1}, "unknown Distributions state entries: \\['colour'\\]"),
        ({"k": 4, "p": [1, 1, 1]}, "k is 4 but p and q have 3 categories"),
        ({"mode": "3d"}, "mode must be one of"),
        ({"random_seed": -1}, "random_seed must be an integer 0..1000000; got -1"),
        ({"random_seed": True}, "random_seed must be an integer"),
        ({"gaussian": [1, 2]}, "gaussian must be a dict"),
        ({"labels": ["a", "b"]}, "labels must name all 3 categories"),
        ({"p": [1, -1, 0]}, "bad Distributions state: p has a negative entry"),
    ],
)
def test_a_bad_entry_is_named_and_nothing_is_returned(state, message):
    with pytest.raises(ValueError, match=message):
        parse_state(state, current())


def test_a_state_must_be_a_dict():
    with pytest.raises(ValueError, match="state must be a dict; got list"):
        parse_state([1, 2], current())


def test_labels_are_non_empty_strings_of_bounded_length():
    assert check_labels([" cat ", "dog"], 2) == ("cat", "dog")
    with pytest.raises(ValueError, match="label 1 must be a non-empty string"):
        check_labels(["cat", "  "], 2)
    with pytest.raises(ValueError, match="at most 60 characters"):
        check_labels(["x" * 61, "y"], 2)
