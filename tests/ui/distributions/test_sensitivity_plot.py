import numpy as np
import pytest

from explorer.info import sensitivity_curve
from explorer.info.editing import set_probability
from explorer.ui.distributions.sensitivity_plot import (
    SensitivityPlot,
    SweepCache,
    clip_below,
    drawn_points,
    sensitivity_top,
)
from explorer.ui.distributions.tab import SENSITIVITY_T


def test_clip_below_stops_curves_at_the_top_without_nan():
    x = np.linspace(0, 1, 11)
    y = np.array([np.inf, 9, 5, 3, 2, 1, 2, 3, 5, 9, np.inf])
    cx, cy, connect = clip_below(x, y, 4.0)
    assert np.isfinite(cy).all() and (cy <= 4.0).all()
    assert cy[0] == 4.0 and cy[-1] == 4.0
    assert cx[0] == pytest.approx(0.25) and cx[-1] == pytest.approx(0.75)
    assert connect[:-1].all()
    # Two separate pieces get a gap, not a NaN.
    y2 = np.array([1.0, 5.0, 1.0])
    cx, cy, connect = clip_below(np.arange(3.0), y2, 3.0)
    assert cy.tolist() == [1.0, 3.0, 3.0, 1.0] and connect.tolist() == [True, False, True, False]
    assert clip_below(x, np.zeros(11), 1.0)[2] == "all"


def test_sensitivity_top_covers_the_curve_and_the_entropy_floor():
    assert sensitivity_top(np.array([0.5, 1.0, np.inf]), 0.2) >= 1.0
    assert sensitivity_top(np.array([0.05]), 2.0) >= 2.0


def test_a_sweep_is_reused_while_only_the_swept_q_moves():
    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.5, 0.3])
    t = np.linspace(0, 1, 21)
    cache = SweepCache()
    first = cache.curve(p, q, 1, 2, t)
    for expected, got in zip(sensitivity_curve(p, q, 1, 2, t=t), first, strict=True):
        np.testing.assert_array_equal(got, expected)
    dragged = set_probability(q, 1, 0.7)  # the others keep their proportions
    assert cache.curve(p, dragged, 1, 2, t) is first
    # anything else sweeps anew: another q, P, the selection, the unit
    for args in (
        (p, set_probability(q, 0, 0.4), 1, 2),
        (np.array([0.4, 0.4, 0.2]), dragged, 1, 2),
        (p, dragged, 0, 2),
        (p, dragged, 1, "e"),
    ):
        again = cache.curve(*args, t)
        assert again is not first
        np.testing.assert_array_equal(again[1], sensitivity_curve(*args, t=t)[1])


def test_the_curves_are_drawn_through_every_other_point_where_they_are_smooth():
    t = SENSITIVITY_T
    drawn = drawn_points(t, *SensitivityPlot.SMOOTH_Q)
    ends = (t <= 0.05) | (t >= 0.95)
    assert drawn[ends].all() and drawn[0] and drawn[-1]  # the steep ends keep every point
    assert drawn[~ends].sum() == pytest.approx((~ends).sum() / 2, abs=1)
    # Through the points kept, the polyline passes within half a pixel of the dropped ones
    # (0.2 % of a 200-pixel-high view).
    p, q = [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]
    for index in range(3):
        _, kl, cross = sensitivity_curve(p, q, index, 2, t=t)
        for values in (kl, cross):
            top = sensitivity_top(cross[(t >= 0.02) & (t <= 0.98)], 0.0)
            inside = ~drawn
            between = np.interp(t[inside], t[drawn], values[drawn])
            assert np.abs(between - values[inside]).max() < 0.002 * top
