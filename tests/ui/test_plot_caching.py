import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from explorer.ui.plots.caching import RangeCachingAxis, cache_axes


def test_axes_are_cached_as_pixmaps(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.getPlotItem().addLegend()
    cache_axes(widget.getPlotItem())
    device = QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert widget.getPlotItem().getAxis("left").cacheMode() == device
    assert widget.getPlotItem().legend.cacheMode() == device


def _axis_picture(axis) -> bytes:
    axis.scene().views()[0].grab()  # pyqtgraph applies the range and draws the axis on paint
    return bytes(axis.picture.data())


def test_a_range_that_comes_back_replays_its_picture(qtbot):
    widget = pg.PlotWidget(axisItems={"left": RangeCachingAxis("left")})
    plain = pg.PlotWidget()
    for w in (widget, plain):
        qtbot.addWidget(w)
        w.resize(300, 200)
        w.show()
    axis, plain_axis = widget.getPlotItem().getAxis("left"), plain.getPlotItem().getAxis("left")
    pictures = {}
    for top in (1.0, 2.5, 1.0):
        for w in (widget, plain):
            w.setYRange(0, top, padding=0)
        # The same picture as pyqtgraph's own axis draws, byte for byte.
        assert _axis_picture(axis) == _axis_picture(plain_axis)
        pictures.setdefault(top, axis.picture)
    assert axis.picture is pictures[1.0]  # replayed, not drawn again
    assert len(axis._pictures) == 2


def test_anything_but_a_range_change_drops_the_kept_pictures(qtbot):
    widget = pg.PlotWidget(axisItems={"left": RangeCachingAxis("left")})
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    widget.show()
    axis = widget.getPlotItem().getAxis("left")
    for top in (1.0, 2.0):
        widget.setYRange(0, top, padding=0)
        _axis_picture(axis)
    assert len(axis._pictures) == 2
    axis.setStyle(tickLength=-8)  # a different look: the kept pictures would be stale
    assert not axis._pictures
    widget.setYRange(0, 1.0, padding=0)
    _axis_picture(axis)
    assert len(axis._pictures) == 1


def test_empty_frames_are_skipped_and_their_contents_still_drawn(qtbot):
    from explorer.ui.plots.caching import skip_empty_frames

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(200, 150)
    plot = widget.getPlotItem()
    plot.setTitle("title")
    curve = plot.plot([0, 1], [0, 1], pen=pg.mkPen("r", width=3))
    widget.setBackground("w")
    before = widget.grab().toImage()
    skip_empty_frames(plot)
    no_contents = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    assert all(item.flags() & no_contents for item in (plot, plot.titleLabel))
    assert not plot.vb.flags() & no_contents  # it clips its children: see the docstring
    assert not curve.curve.flags() & no_contents  # the drawn line
    assert widget.grab().toImage() == before
