import pyqtgraph as pg
import pytest

from explorer.ui.distributions.style import YRange, nice_ceiling


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


def test_left_axis_makes_room_for_five_characters_and_never_shrinks(qtbot):
    from PySide6.QtWidgets import QApplication

    from explorer.ui.distributions.style import make_plot

    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    plot = make_plot("t", "x", "y")
    widget.addItem(plot)
    widget.resize(300, 200)
    widget.show()
    axis = plot.getAxis("left")

    def paint():  # the axis measures its labels when it paints; the layout follows
        widget.grab()
        QApplication.processEvents()

    paint()
    start = axis.width()
    plot.setYRange(-0.0025, 0.0025, padding=0)  # "-0.002": wider than the room kept
    paint()
    wider = axis.width()
    assert wider > start
    plot.setYRange(0, 1, padding=0)  # "0.5" would fit in less
    paint()
    assert axis.width() == wider


def test_infinity_marks_keep_one_item_per_mark_and_hide_the_rest(qtbot):
    from explorer.ui.distributions.style import InfinityMarks

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    marks = InfinityMarks(widget.getPlotItem(), 3)
    items = len(widget.getPlotItem().items)
    marks.show([0.0, 1.0], [2.0, 2.0], anchors=[0.0, 1.0])
    assert marks.count() == 2
    assert [label.anchor[0] for label in marks.labels[:2]] == [0.0, 1.0]
    marks.show([], [])
    assert marks.count() == 0
    assert len(widget.getPlotItem().items) == items
    assert all(label.csv_exclude for label in marks.labels)


def test_y_range_grows_ahead_of_the_data_while_steady_up_to_its_ceiling(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    y_range = YRange(widget.getPlotItem())
    y_range.set(0.0, 1.0)
    y_range.steady = True
    y_range.set(0.0, 1.1)  # a quarter further than needed, snapped: the next moves fit
    assert y_range.current == (0.0, 1.5)
    y_range.set(-0.1, 1.2)
    assert y_range.current == pytest.approx((-0.15, 1.5))
    y_range.set(0.0, 0.2)  # steady: never shrinks
    assert y_range.current == pytest.approx((-0.15, 1.5))
    capped = YRange(widget.getPlotItem(), ceiling=1.05)
    capped.set(0.0, 0.5)
    capped.steady = True
    capped.set(0.0, 1.05)  # probabilities: the ceiling holds
    assert capped.current == (0.0, 1.05)


def test_a_range_change_does_not_relabel_the_hidden_axes(qtbot):
    from explorer.ui.distributions.style import make_plot

    plot = make_plot("t", "x", "bits")
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    widget.addItem(plot)
    relabelled = []
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        assert not axis.autoSIPrefix, name
        axis.label.setHtml = lambda html, n=name: relabelled.append(n)
    plot.setYRange(0, 2000, padding=0)  # would be "x1000" with SI prefixes
    plot.setXRange(0, 5000, padding=0)
    assert relabelled == []
