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
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
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
        self._layers = [self] + [QGraphicsPathItem(self) for _ in brushes[1:]]
        self.set_colors(brushes, pen)
        self.opts = {"name": name, "x": None, "y0": None, "height": None, "width": width}
        self.setOpts(x=x, height=height, y0=y0, colors=colors)

    def name(self):
        return self.opts["name"]

    def set_colors(self, brushes, pen=None) -> None:
        """The palette (as many brushes as the bars were made with) and the outline."""
        pen = hairline(pen if pen is not None else pg.getConfigOption("foreground"))
        for layer, brush in zip(self._layers, brushes, strict=True):
            layer.setPen(pen)
            layer.setBrush(QBrush(pg.mkBrush(brush)))

    def layer(self, color: int) -> QGraphicsPathItem:
        """The path item drawing the bars of palette entry ``color`` (its brush, its path)."""
        return self._layers[color]

    def setOpts(self, x=None, height=None, y0=None, width=None, colors=None) -> None:  # noqa: N802
        """Change any of the bars' positions, heights, bottoms, width or colours (the
        keywords of pyqtgraph's ``BarGraphItem.setOpts``, ``colors`` for ``brushes``)."""
        opts = self.opts
        for key, value in (("x", x), ("height", height), ("y0", y0), ("width", width)):
            if value is not None:
                opts[key] = np.asarray(value, dtype=np.float64)
        if colors is not None:
            self._colors = np.asarray(colors, dtype=np.intp)
        n, width = opts["height"].size, float(opts["width"])
        lefts = _per_bar(opts["x"] - width / 2, n, "x")
        bottoms = _per_bar(opts["y0"], n, "y0")
        paths = [QPainterPath() for _ in self._layers]
        if len(paths) == 1:
            add = paths[0].addRect
            for left, bottom, height in zip(lefts, bottoms, opts["height"].tolist(), strict=True):
                add(left, bottom, width, height)
        else:
            colors = _per_bar(self._colors, n, "colors")
            rows = zip(lefts, bottoms, opts["height"].tolist(), colors, strict=True)
            for left, bottom, height, color in rows:
                paths[color].addRect(left, bottom, width, height)
        for layer, path in zip(self._layers, paths, strict=True):
            layer.setPath(path)


def _per_bar(values: np.ndarray, n: int, name: str) -> list:
    """One value per bar from an array of n values or a single one."""
    if values.size == n and values.ndim == 1:
        return values.tolist()
    if values.size == 1:
        return [values.item()] * n
    raise ValueError(f"bars: {values.size} values of {name} for {n} heights")


class _Anchored:
    """Shared by the text items: drawn unscaled at their position in the view, the position at
    ``anchor`` (fractions of the text's width and height, as pyqtgraph's TextItem)."""

    def _init_anchor(self, anchor) -> None:
        self.setFlag(_IGNORES_TRANSFORMATIONS)
        self.anchor = tuple(anchor)

    def setAnchor(self, anchor) -> None:  # noqa: N802 (as pyqtgraph's TextItem)
        if tuple(anchor) != self.anchor:
            self.anchor = tuple(anchor)
            self._fit_anchor()

    def _fit_anchor(self) -> None:
        bounds = self.boundingRect()
        ax, ay = self.anchor
        self.setTransform(QTransform.fromTranslate(-ax * bounds.width(), -ay * bounds.height()))

    def set_style(self, color=None, font=None) -> None:
        """Change the text's colour and/or font (the anchor keeps its place)."""
        if color is not None:
            self._set_color(pg.mkColor(color))
        if font is not None:
            self.setFont(font)
            self._fit_anchor()

    def place(self, text: str, x: float, y: float, visible: bool = True) -> None:
        """Text, position and visibility at once, calling Qt only for what changed."""
        visible = bool(visible)
        if visible:
            self.setText(text)
            if (x, y) != (self.x(), self.y()):
                self.setPos(x, y)
        if visible != self.isVisible():
            self.setVisible(visible)


class Label(_Anchored, QGraphicsSimpleTextItem):
    """Plain text at a point of the view, drawn unscaled; ``\\n`` breaks lines. With
    :meth:`set_box` it is drawn on a box of its own (readable over a hatch or a line)."""

    #: The box's margin around the text, in pixels.
    BOX_MARGIN = 3.0

    def __init__(self, text: str = "", color="k", anchor=(0.5, 0.5), font=None):
        super().__init__()
        self._box: QGraphicsRectItem | None = None
        self._init_anchor(anchor)
        self.setBrush(pg.mkBrush(color))
        if font is not None:
            self.setFont(font)
        self.setText(text)

    def _set_color(self, color) -> None:
        self.setBrush(pg.mkBrush(color))

    def setText(self, text: str) -> None:  # noqa: N802 (Qt API)
        if text != self.text():
            super().setText(text)
            self._fit_anchor()

    def set_box(self, color=None) -> None:
        """Draw the text on a box of ``color`` (None: on whatever lies under it)."""
        if color is None:
            if self._box is not None:
                self._box.hide()
            return
        if self._box is None:
            self._box = QGraphicsRectItem(self)
            self._box.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
            self._box.setPen(QPen(pg.QtCore.Qt.PenStyle.NoPen))
            self._fit_box()
        self._box.setBrush(pg.mkBrush(color))
        self._box.show()

    def box(self) -> QGraphicsRectItem | None:
        """The box the text is drawn on, if it has one shown."""
        return self._box if self._box is not None and self._box.isVisible() else None

    def _fit_anchor(self) -> None:
        super()._fit_anchor()
        self._fit_box()

    def _fit_box(self) -> None:
        if self._box is not None:
            margin = self.BOX_MARGIN
            self._box.setRect(self.boundingRect().adjusted(-margin, -margin, margin, margin))


class RichLabel(_Anchored, QGraphicsTextItem):
    """Like :class:`Label`, for a little HTML (mixed sizes); Qt lays it out once per text."""

    def __init__(self, html: str = "", color="k", anchor=(0.5, 0.5), font=None):
        super().__init__()
        self._init_anchor(anchor)
        self.document().setDocumentMargin(0)
        self.setDefaultTextColor(pg.mkColor(color))
        if font is not None:
            self.setFont(font)
        self._html = None
        self.setText(html)

    def _set_color(self, color) -> None:
        self.setDefaultTextColor(color)

    def setText(self, html: str) -> None:  # noqa: N802 (as Label)
        if html != self._html:
            self._html = html
            self.setHtml(html)
            self._fit_anchor()


class Line(QGraphicsLineItem):
    """A horizontal (``angle=0``) or vertical (``angle=90``) line at ``value`` across the
    span the plot gives it (``set_span``, the view's other range): pyqtgraph's InfiniteLine
    without the Python that fits it to the view on every paint."""

    def __init__(self, value: float = 0.0, angle: int = 0, pen=None, span=(0.0, 1.0)):
        super().__init__()
        if angle not in (0, 90):
            raise ValueError(f"angle must be 0 or 90; got {angle!r}")
        self.angle = angle
        self.set_pen(pen)
        self._value, self._span = float(value), tuple(map(float, span))
        self._fit()

    def set_pen(self, pen) -> None:
        self.setPen(hairline(pen if pen is not None else pg.getConfigOption("foreground")))

    def value(self) -> float:
        return self._value

    def setValue(self, value: float) -> None:  # noqa: N802 (as pyqtgraph's InfiniteLine)
        if float(value) != self._value:
            self._value = float(value)
            self._fit()

    def set_span(self, low: float, high: float) -> None:
        if (float(low), float(high)) != self._span:
            self._span = (float(low), float(high))
            self._fit()

    def _fit(self) -> None:
        (low, high), v = self._span, self._value
        if self.angle == 0:
            self.setLine(low, v, high, v)
        else:
            self.setLine(v, low, v, high)


class Marker(QGraphicsEllipseItem):
    """A round marker ``size`` pixels across, centred on its position in the view."""

    def __init__(self, size: float, brush, pen):
        super().__init__(-size / 2, -size / 2, size, size)
        self.setFlag(_IGNORES_TRANSFORMATIONS)
        self.setBrush(pg.mkBrush(brush))
        self.setPen(pg.mkPen(pen))


def drawn_rect(item: QGraphicsItem) -> QRectF:
    """Where ``item`` is drawn, in its view's pixels: unlike ``sceneBoundingRect``, right for
    the items here that ignore the view's scale (pyqtgraph's views map scene to pixels 1:1)."""
    view = item.scene().views()[0]
    return item.deviceTransform(view.viewportTransform()).mapRect(item.boundingRect())


__all__ = ["Bars", "Label", "Line", "Marker", "RichLabel", "drawn_rect", "hairline"]
