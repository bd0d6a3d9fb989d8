"""Arrows at a plot's edge for the points that lie beyond its view, with their values on hover.

A scatter point outside the view range would simply not be drawn; an :class:`EdgeMarks`
draws an arrow where it leaves, pointing its way, and hovering the arrow shows the point's
coordinates. The marks follow the view when it is panned or zoomed, and the theme: their
outline is the palette's, their fill the colour of the points they stand for.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QPainterPath, QPolygonF, QTransform

from explorer.ui.theme import theme

INSET_PIXELS = 8  # the arrow's centre this far inside the edge: the whole arrow shows
SIZE = 15


def _arrow_path(degrees: float) -> QPainterPath:
    """A filled arrow (stem and head) in the unit square, pointing right turned by
    ``degrees`` clockwise on screen (pyqtgraph draws symbols with y down)."""
    path = QPainterPath()
    path.addPolygon(
        QPolygonF(
            [
                QPointF(-0.5, -0.13),
                QPointF(0.0, -0.13),
                QPointF(0.0, -0.4),
                QPointF(0.5, 0.0),
                QPointF(0.0, 0.4),
                QPointF(0.0, 0.13),
                QPointF(-0.5, 0.13),
            ]
        )
    )
    path.closeSubpath()
    return QTransform().rotate(degrees).map(path)


#: pyqtgraph's own arrow symbols are hairlines at a marker's size: these are filled.
ARROWS = {
    "right": _arrow_path(0),
    "down": _arrow_path(90),
    "left": _arrow_path(180),
    "up": _arrow_path(270),
}


class EdgeMarks:
    """Edge arrows on ``plot`` for the points of :meth:`set_points` outside its view.

    ``x_name`` and ``y_name`` name the coordinates in the hover text; the arrows are filled
    with ``color`` (:meth:`set_color`; None: the theme's text colour).
    """

    def __init__(self, plot: pg.PlotItem, x_name: str, y_name: str, color: QColor | None = None):
        self.plot = plot
        self.x_name, self.y_name = x_name, y_name
        self.scatter = pg.ScatterPlotItem(size=SIZE, hoverable=True, tip=self._tip)
        self.scatter.setBrush(pg.mkBrush(color if color is not None else theme().palette.text))
        theme().watch(self.scatter, self._on_theme_changed)
        self.scatter.setZValue(11)
        self.scatter.csv_exclude = True  # the points themselves are in the data's columns
        plot.addItem(self.scatter, ignoreBounds=True)
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self._shown = 0
        plot.vb.sigRangeChanged.connect(self._on_view_range_changed)
        plot.vb.sigResized.connect(self._on_view_range_changed)

    def set_points(self, x: np.ndarray, y: np.ndarray) -> None:
        """Mark those of the points (x, y) that fall outside the view (finite ones only)."""
        self._x, self._y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self._update()

    def set_color(self, color: QColor) -> None:
        """Fill the arrows with ``color`` (the points' own)."""
        self.scatter.setBrush(pg.mkBrush(color))

    def _on_theme_changed(self) -> None:
        # The ring that sets an arrow apart from the curve under it, as the dots have.
        self.scatter.setPen(pg.mkPen(theme().palette.outline, width=1))

    def count(self) -> int:
        """How many points are marked at the edge now."""
        return self._shown

    def marked_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The true (x, y) of the marked points."""
        data = self.scatter.data["data"][: self._shown]
        if not len(data):
            return np.zeros(0), np.zeros(0)
        points = np.array(list(data), dtype=float).reshape(-1, 2)
        return points[:, 0], points[:, 1]

    def _on_view_range_changed(self, *_args) -> None:
        self._update()

    def _update(self) -> None:
        (x0, x1), (y0, y1) = self.plot.vb.viewRange()
        x, y = self._x, self._y
        outside = (x < x0) | (x > x1) | (y < y0) | (y > y1)
        if not outside.any():
            if self._shown:
                self.scatter.setData([], [])
                self._shown = 0
            return
        x, y = x[outside], y[outside]
        pixel_x, pixel_y = self.plot.vb.viewPixelSize()
        inset_x, inset_y = INSET_PIXELS * pixel_x, INSET_PIXELS * pixel_y
        shown_x = np.clip(x, x0 + inset_x, x1 - inset_x)
        shown_y = np.clip(y, y0 + inset_y, y1 - inset_y)
        symbols = [ARROWS[_way(*point, x0, x1, y0, y1)] for point in zip(x, y, strict=True)]
        data = [(float(a), float(b)) for a, b in zip(x, y, strict=True)]
        self.scatter.setData(shown_x, shown_y, symbol=symbols, data=data)
        self._shown = len(data)

    def _tip(self, x: float, y: float, data) -> str:
        del x, y
        true_x, true_y = data
        return (
            f"{self.x_name} = {true_x:.6g}\n{self.y_name} = {true_y:.6g}\n"
            "(beyond the plotted range: the arrow points its way)"
        )


def _way(x: float, y: float, x0: float, x1: float, y0: float, y1: float) -> str:
    """Which way (x, y) lies from the view: the way it leaves furthest (in view widths or
    heights); 'up' is towards larger y."""
    width, height = max(x1 - x0, 1e-300), max(y1 - y0, 1e-300)
    beyond_x = max(x0 - x, x - x1, 0.0) / width
    beyond_y = max(y0 - y, y - y1, 0.0) / height
    if beyond_x >= beyond_y:
        return "right" if x > x1 else "left"
    return "up" if y > y1 else "down"


def arrow_way(symbol) -> str:
    """The way an arrow symbol of :data:`ARROWS` points ('right', 'up', ...)."""
    return next(way for way, path in ARROWS.items() if path == symbol)
