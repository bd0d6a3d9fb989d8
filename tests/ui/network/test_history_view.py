"""The Network tab's history plots: their tick labels never run together."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.inspect.layer_history import LayerHistory
from explorer.ui.network.history_view import HistoryView
from explorer.ui.theme import theme
from tests.ui.seen import overlapping_tick_labels, tick_labels_drawn


def long_run(steps: int = 1800) -> LayerHistory:
    """A three-layer history recorded every 10 steps up to ``steps``."""
    history = LayerHistory(["linear1", "linear2", "linear3"])
    rng = np.random.default_rng(0)
    bins = history.bins
    for step in range(10, steps + 1, 10):
        counts = rng.integers(0, 5, (3, bins)).astype(np.float32)
        ranges = np.tile([-1.0, 1.0], (3, 1))
        history.add_scalars(step, rng.random(3), rng.random(3) + 1, rng.random(3) * 1e-3)
        history.add_distribution(step, counts, ranges, counts, ranges, [0.0, 0.06, 0.0])
    return history


@pytest.mark.parametrize(("width", "zoom"), [(660, 1.0), (520, 1.0), (420, 1.0), (660, 1.5)])
def test_the_step_labels_of_the_history_plots_never_overlap(qtbot, width, zoom):
    view = HistoryView()
    qtbot.addWidget(view)
    theme().set(zoom=zoom)
    view.resize(width, 690)
    view.show()
    qtbot.waitExposed(view)
    view.show_history(long_run())
    plots = {
        "dead units": view.dead_plot,
        "gradient norm": view.norm_plot,
        "update ratio": view.ratio_plot,
        "weights": view.heatmaps["weight"],
    }
    for name, plot in plots.items():
        for side in ("bottom", "left"):
            axis = plot.getAxis(side)
            assert overlapping_tick_labels(axis) == [], (name, side)
    steps = [text for _rect, text in tick_labels_drawn(view.dead_plot.getAxis("bottom"))]
    assert steps, "the dead units plot names at least one step"


def test_a_closed_view_lets_the_zoom_change(qtbot):
    view = HistoryView()
    qtbot.addWidget(view)
    view.show_history(long_run(200))
    view.close()  # pyqtgraph's close() deletes the view's plot items
    theme().set(zoom=1.25)  # a restyle of the deleted items would raise in Qt's event loop
    assert theme().zoom == 1.25
