import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from explorer.ui.plots.caching import BarGraphItem, cache_axes


def test_cached_bar_bounds_follow_the_bars_and_the_view(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    bars = BarGraphItem(x=[0, 1], height=[1, 2], width=0.5, pen=pg.mkPen("k", width=3))
    plain = pg.BarGraphItem(x=[0, 1], height=[1, 2], width=0.5, pen=pg.mkPen("k", width=3))
    widget.addItem(bars)
    widget.addItem(plain)
    widget.setRange(xRange=(-1, 2), yRange=(0, 3), padding=0)
    assert bars.boundingRect() == plain.boundingRect()
    for item in (bars, plain):
        item.setOpts(height=[4, 5])
    assert bars.boundingRect() == plain.boundingRect()
    assert bars.boundingRect().bottom() > 5  # the new bars, pen padding included
    widget.setRange(xRange=(-10, 20), yRange=(0, 30), padding=0)  # pixels grow in data units
    assert bars.boundingRect() == plain.boundingRect()


def test_axes_are_cached_as_pixmaps(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.getPlotItem().addLegend()
    cache_axes(widget.getPlotItem())
    device = QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert widget.getPlotItem().getAxis("left").cacheMode() == device
    assert widget.getPlotItem().legend.cacheMode() == device
