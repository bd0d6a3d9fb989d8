"""Cache plot items that rarely change as pixmaps, so repainting a plot only blits them.

A pyqtgraph plot repaints every item whenever anything in its view changes: an axis replays
its tick labels and grid lines, a legend its text. With Qt's ``DeviceCoordinateCache`` an
item is drawn once into a pixmap and blitted afterwards, until the item itself changes (an
axis whose range moves regenerates its picture and calls ``update()``, which drops the cache),
so the picture is the same pixel for pixel. The exporters paint items directly and are not
affected.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

AXES = ("left", "bottom", "right", "top")


def cache_as_pixmaps(*items: QGraphicsItem) -> None:
    """Give each item a device-coordinate pixmap cache."""
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def cache_axes(plot: pg.PlotItem, legend: bool = True) -> None:
    """Cache ``plot``'s axes (with their grid lines) and, if it has one, its legend."""
    cache_as_pixmaps(*(plot.getAxis(name) for name in AXES))
    if legend and plot.legend is not None:
        cache_as_pixmaps(plot.legend)
