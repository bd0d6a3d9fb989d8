"""Cache plot items that rarely change as pixmaps, so repainting a plot only blits them.

A pyqtgraph plot repaints every item whenever anything in its view changes: an axis replays
its tick labels and grid lines, a legend its text. With Qt's ``DeviceCoordinateCache`` an
item is drawn once into a pixmap and blitted afterwards, until the item itself changes (an
axis whose range moves regenerates its picture and calls ``update()``, which drops the cache),
so the picture is the same pixel for pixel. The exporters paint items directly and are not
affected.

Two more savings for plots repainted at every slider move: ``RangeCachingAxis`` keeps an
axis' pictures per range it has shown, and ``skip_empty_frames`` tells Qt which frame items
draw nothing themselves.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

AXES = ("left", "bottom", "right", "top")


def cache_as_pixmaps(*items: QGraphicsItem) -> None:
    """Give each item a device-coordinate pixmap cache."""
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def skip_empty_frames(plot: pg.PlotItem) -> None:
    """Tell Qt that the plot's frame items draw nothing themselves (the PlotItem and its
    title): it then skips them when painting instead of asking each, in Python, for its
    bounds. Their children draw as before.

    Not the ViewBox: it clips its children, and Qt leaves the repaint of a clipping item's
    children to the item itself when it is updated; one flagged as drawing nothing would
    leave their old pixels on screen (a moved line, bars of the range before).
    """
    for item in (plot, plot.titleLabel):
        clips = item.flags() & QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape
        if not clips:
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)


def cache_axes(plot: pg.PlotItem, legend: bool = True) -> None:
    """Cache ``plot``'s axes (with their grid lines) and, if it has one, its legend."""
    cache_as_pixmaps(*(plot.getAxis(name) for name in AXES))
    if legend and plot.legend is not None:
        cache_as_pixmaps(plot.legend)


class RangeCachingAxis(pg.AxisItem):
    """An axis that keeps the pictures of the ranges it has shown.

    A y axis whose range changes is drawn again from scratch: pyqtgraph works out the ticks,
    their labels and their sizes in Python (~0.7 ms). A slider drag moves the Distributions
    plots between a few snapped ranges and back, so each range's picture is kept (for the
    same size and view) and replayed when the range comes back. Any other change (style,
    ticks, size, label) drops them all: the cache only ever skips a range change.
    """

    KEPT = 64

    def __init__(self, *args, **kwargs):
        self._pictures: dict[tuple, object] = {}
        self._current = None
        self._keep = False  # a range change, or pyqtgraph's own reset while it draws
        super().__init__(*args, **kwargs)

    @property
    def picture(self):
        return self._current

    @picture.setter
    def picture(self, value) -> None:
        if value is None and not self._keep:
            self._pictures.clear()
        self._current = value

    def setRange(self, mn, mx) -> None:  # noqa: N802 (pyqtgraph API)
        self._keep = True
        try:
            super().setRange(mn, mx)
        finally:
            self._keep = False

    def _key(self) -> tuple:
        view = self.linkedView()
        seen = None if view is None else view.mapRectToItem(self, view.boundingRect()).getRect()
        return (*self.range, self.geometry().getRect(), seen)

    def paint(self, p, opt, widget) -> None:  # noqa: N802 (Qt override)
        if self._current is None:
            key = self._key()
            self._current = self._pictures.get(key)
            if self._current is None:
                # Drawing resets the picture (it re-fits the width to the labels; a width that
                # does change resizes the axis, and that drops the cache).
                self._keep = True
                try:
                    super().paint(p, opt, widget)  # draws and sets self.picture
                finally:
                    self._keep = False
                if len(self._pictures) >= self.KEPT:
                    self._pictures.pop(next(iter(self._pictures)))
                self._pictures[key] = self._current
                return
        self._current.play(p)
