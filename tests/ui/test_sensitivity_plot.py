import numpy as np
import pytest

from explorer.ui.plots.sensitivity_plot import clip_below, sensitivity_top


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
