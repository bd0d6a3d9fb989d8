"""Plot items that Qt draws without calling back into Python: bars, text and markers for
plots that change on every slider move.

pyqtgraph's items are Python subclasses of QGraphicsObject: Qt calls their Python
``paint``, ``boundingRect`` and ``itemChange`` many times per frame, and ``BarGraphItem``
re-records a QPicture in Python on every ``setOpts``. These items are Qt's own path, text and
ellipse items, configured from Python once per change and then left to C++ (PySide
remembers that they override nothing). They live in a ViewBox like any pyqtgraph item
(``plot.addItem(item, ignoreBounds=True)``), and the PNG, SVG and CSV exports read them:
:class:`Bars` keeps pyqtgraph's ``opts`` (``x``, ``y0``, ``height``, ``width``, ``name``).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSimpleTextItem,
)

_IGNORES_TRANSFORMATIONS = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations


def hairline(pen) -> QPen:
    """``pen`` one device pixel wide (width 0). A path item pads its bounds by the pen's
    width in its own units, which in a ViewBox are data units: a 1 px cosmetic pen would pad
    them by half a unit, and make Qt stroke the path to find them."""
    pen = QPen(pg.mkPen(pen))
    if pen.style() != pg.QtCore.Qt.PenStyle.NoPen:
        pen.setWidthF(0.0)
    return pen


class Bars(QGraphicsPathItem):
    """Vertical bars from ``y0`` to ``y0 + height`` centred on ``x``, ``width`` wide.

    ``brushes`` is a palette: ``setOpts(colors=...)`` picks a palette entry per bar (default:
    the first for all). Bars of the first colour are this item's path, the others child path
    items, so each colour is one filled path.
    """

    def __init__(
        self, x=(), height=(), width=0.8, y0=0.0, brushes=("k",), pen=None, name=None, colors=0
    ):
        super().__init__()
        pen = hairline(pen if pen is not None else pg.getConfigOption("foreground"))
        brushes = [QBrush(pg.mkBrush(brush)) for brush in brushes]
        self._layers = [self] + [QGraphicsPathItem(self) for _ in brushes[1:]]
        for layer, brush in zip(self._layers, brushes, strict=True):
            layer.setPen(pen)
            layer.setBrush(brush)
        self.opts = {"name": name, "x": None, "y0": None, "height": None, "width": width}
        self.setOpts(x=x, height=height, y0=y0, colors=colors)

    def name(self):
        return self.opts["name"]

    def setOpts(self, x=None, height=None, y0=None, width=None, colors=None) -> None:  # noqa: N802 (as pyqtgraph's)
        """Change any of the bars' positions, heights, bottoms, width or colours."""
        opts = self.opts
        for key, value in (("x", x), ("height", height), ("y0", y0), ("width", width)):
            if value is not None:
                opts[key] = np.asarray(value, dtype=np.float64)
        if colors is not None:
            self._colors = np.asarray(colors, dtype=np.intp)
        xs, bottoms, heights, colors = np.broadcast_arrays(
            opts["x"], opts["y0"], opts["height"], self._colors
        )
        half = float(opts["width"]) / 2
        paths = [QPainterPath() for _ in self._layers]
        for x0, y, h, c in zip(
            (xs - half).tolist(), bottoms.tolist(), heights.tolist(), colors.tolist(), strict=True
        ):
            paths[c].addRect(QRectF(x0, y, 2 * half, h).normalized())
        for layer, path in zip(self._layers, paths, strict=True):
            layer.setPath(path)


class Label(QGraphicsSimpleTextItem):
    """Plain text at a point of the view, drawn unscaled, the point at ``anchor`` (fractions
    of the text's width and height, as pyqtgraph's TextItem). ``\\n`` breaks lines."""

    def __init__(self, text: str = "", color="k", anchor=(0.5, 0.5), font=None):
        super().__init__()
        self.setFlag(_IGNORES_TRANSFORMATIONS)
        self.setBrush(pg.mkBrush(color))
        if font is not None:
            self.setFont(font)
        self.anchor = anchor
        self._placed: tuple | None = None
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        if text == self.text():
            return
        super().setText(text)
        bounds = self.boundingRect()
        ax, ay = self.anchor
        self.setTransform(QTransform.fromTranslate(-ax * bounds.width(), -ay * bounds.height()))

    def place(self, text: str, x: float, y: float, visible: bool = True) -> None:
        """Text, position and visibility at once, calling Qt only for what changed."""
        visible = bool(visible)
        if visible:
            self.setText(text)
            if (x, y) != (self.x(), self.y()):
                self.setPos(x, y)
        if visible != self.isVisible():
            self.setVisible(visible)


class Marker(QGraphicsEllipseItem):
    """A round marker ``size`` pixels across, centred on its position in the view."""

    def __init__(self, size: float, brush, pen):
        super().__init__(-size / 2, -size / 2, size, size)
        self.setFlag(_IGNORES_TRANSFORMATIONS)
        self.setBrush(pg.mkBrush(brush))
        self.setPen(pg.mkPen(pen))


__all__ = ["Bars", "Label", "Marker", "hairline"]
