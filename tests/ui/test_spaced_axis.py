import pyqtgraph as pg
import pytest

from explorer.ui.plots.spaced_axis import SpacedAxisItem, next_nice
from explorer.ui.theme import style_plot, theme
from tests.ui.seen import overlapping_tick_labels, tick_labels_drawn


@pytest.mark.parametrize("zoom", [1.0, 2.0])
@pytest.mark.parametrize("size", [(130, 90), (260, 160), (700, 400)])
def test_tick_labels_keep_apart_on_short_axes_and_at_any_zoom(qtbot, size, zoom):
    theme().set(zoom=zoom)
    axes = {side: SpacedAxisItem(side) for side in ("left", "bottom")}
    widget = pg.PlotWidget(plotItem=style_plot(pg.PlotItem(axisItems=axes)))
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    widget.getPlotItem().setRange(xRange=(0, 1800), yRange=(-0.35, 0.12), padding=0)
    for axis in axes.values():
        assert overlapping_tick_labels(axis) == []
        if size[0] >= 260:
            assert len(tick_labels_drawn(axis)) >= (2 if size[0] >= 700 else 1)


def test_spacings_step_through_one_two_two_and_a_half_and_five():
    steps = [1.0]
    for _ in range(5):
        steps.append(next_nice(steps[-1]))
    assert steps == [1.0, 2.0, 2.5, 5.0, 10.0, 20.0]
