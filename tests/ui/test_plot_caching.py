import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from explorer.ui.plots.caching import cache_axes


def test_axes_are_cached_as_pixmaps(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.getPlotItem().addLegend()
    cache_axes(widget.getPlotItem())
    device = QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert widget.getPlotItem().getAxis("left").cacheMode() == device
    assert widget.getPlotItem().legend.cacheMode() == device
