"""The loss view's rule: fit every curve, offer log y past 100x, find the curves a view hides."""

import math

import numpy as np
import pytest

from explorer.ui.training.loss_view import (
    LOG_OFFER_RATIO,
    curve_bounds,
    fit,
    spread,
    to_view,
    where_hidden,
)


def test_bounds_skip_what_cannot_be_drawn_and_keep_the_smallest_positive_loss():
    bounds = curve_bounds([1, 2, 3, 4], [0.0, math.nan, 0.5, 2.0])
    assert (bounds.x0, bounds.x1, bounds.y0, bounds.y1, bounds.positive) == (1, 4, 0, 2, 0.5)
    assert curve_bounds([1.0], [math.inf]) is None


def test_the_fit_holds_every_curve_and_a_log_fit_skips_what_log_cannot_show():
    a, b = curve_bounds([1, 100], [0.1, 0.6]), curve_bounds([1, 2000], [0.0, 1400.0])
    assert fit([a, b], log=False) == ((1, 2000), (0.0, 1400.0))
    (_, _), (y0, y1) = fit([a, b], log=True)
    assert y0 == pytest.approx(-1.0) and y1 == pytest.approx(np.log10(1400))
    assert fit([], log=False) is None


def test_log_y_is_offered_when_runs_lie_orders_of_magnitude_apart():
    near = [curve_bounds([1, 2], [0.1, 1.2]), curve_bounds([1, 2], [0.05, 2.3])]
    far = near + [curve_bounds([1, 2], [10.0, 1400.0])]
    assert spread(near) < LOG_OFFER_RATIO <= spread(far)
    assert spread(near[:1]) == 1.0


@pytest.mark.parametrize(
    "ys, expected",
    [
        ([5.0, 6.0, 7.0], "above"),
        ([-3.0, -2.0, -1.0], "below"),
        ([5.0, -5.0, 5.0], ""),  # its line crosses the view
        ([0.5, 9.0, 9.0], ""),
    ],
)
def test_a_curve_is_hidden_only_when_none_of_it_shows(ys, expected):
    view = ((0.0, 10.0), (0.0, 1.0))
    assert where_hidden([2.0, 5.0, 8.0], ys, view) == expected


def test_a_curve_before_or_after_the_view_lies_left_or_right():
    view = ((100.0, 200.0), (0.0, 1.0))
    assert where_hidden([1.0, 50.0], [0.5, 0.5], view) == "left"
    assert where_hidden([300.0, 400.0], [0.5, 0.5], view) == "right"
    assert where_hidden([], [], view) == ""


def test_on_a_log_axis_a_loss_sits_at_its_log10_and_zero_nowhere():
    assert np.allclose(to_view([0.01, 100.0], log=True), [-2.0, 2.0])
    assert np.isnan(to_view([0.0], log=True)[0])
    assert list(to_view([0.0, 1.0], log=False)) == [0.0, 1.0]
