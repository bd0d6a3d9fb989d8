import pyqtgraph as pg

from explorer.ui.plots.distribution_style import YRange, nice_ceiling


def test_y_range_grows_at_once_and_shrinks_only_below_half_its_span(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    y_range = YRange(widget.getPlotItem())
    y_range.set(-0.5, 2.0)
    y_range.set(0.0, 2.0)  # the negative bar went away: the data still spans most of it
    assert y_range.current == (-0.5, 2.0)
    y_range.set(-0.5, 3.0)  # grows at once
    assert y_range.current == (-0.5, 3.0)
    y_range.set(0.0, 1.0)  # needs less than half: shrinks
    assert y_range.current == (0.0, 1.0)
    assert widget.getPlotItem().vb.viewRange()[1] == [0.0, 1.0]
    y_range.reset()
    y_range.set(0.0, 0.9)
    assert y_range.current == (0.0, 0.9)


def test_nice_ceiling_snaps_up():
    assert nice_ceiling(0.93) == 1.0
    assert nice_ceiling(1.01) == 1.2
    assert nice_ceiling(0.0) == 1.0
