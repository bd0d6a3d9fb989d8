"""PNG rendering for the exports: the scene painted at a device pixel ratio, lines kept at
their on-screen weight beside the text (``explorer.ui.export.files`` writes the files)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPen
from PySide6.QtWidgets import QAbstractGraphicsShapeItem, QGraphicsLineItem


class SharpImageExporter(ImageExporter):
    """pyqtgraph's ImageExporter, rendering at a device pixel ratio instead of a scale.

    pyqtgraph scales the scene up, which enlarges the axes' text but not items that ignore
    transformations (legends, text labels), so a large PNG looked unlike the plot on screen.
    Painting the scene at its on-screen size into an image whose device pixel ratio is the
    scale gives the same picture, every part sharper.
    """

    def export(self, fileName=None, toBytes=False, copy=False):  # noqa: N803 (pyqtgraph API)
        if fileName is None and not toBytes and not copy:
            return super().export(fileName, toBytes, copy)
        width, height = int(self.params["width"]), int(self.params["height"])
        source = self.getSourceRect()
        ratio = width / source.width()
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(self.params["background"])
        image.setDevicePixelRatio(ratio)
        painter = QPainter(image)
        try:
            self.setExportMode(
                True,
                {
                    "antialias": self.params["antialias"],
                    "background": self.params["background"],
                    "painter": painter,
                    "resolutionScale": 1.0,
                },
            )
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, self.params["antialias"])
            target = QRectF(0, 0, width / ratio, height / ratio)
            with scaled_cosmetic_pens(ratio, self.getScene()):
                self.getScene().render(painter, target, source)
        finally:
            self.setExportMode(False)
            painter.end()
        image.setDevicePixelRatio(1.0)
        self.png = image
        if copy:
            QGuiApplication.clipboard().setImage(image)
            return None
        if toBytes:
            return image
        return image.save(str(fileName))


@contextlib.contextmanager
def scaled_cosmetic_pens(ratio: float, scene=None) -> Iterator[None]:
    """While rendering at ``ratio``, cosmetic pens (pyqtgraph's default) get ``ratio`` x wider.

    A cosmetic pen's width is in device pixels, so at a device pixel ratio of 3 a 1-px curve
    came out as a hairline beside text three times its on-screen size. pyqtgraph's items set
    their pens from Python, so wrapping ``QPainter.setPen`` for the render reaches them all.
    """
    if abs(ratio - 1.0) < 1e-6:
        yield
        return
    original = QPainter.setPen

    def set_pen(painter, pen, *args):
        if isinstance(pen, QPen) and pen.isCosmetic() and pen.style() != Qt.PenStyle.NoPen:
            pen = QPen(pen)
            pen.setWidthF(max(pen.widthF(), 1.0) * ratio)
        return original(painter, pen, *args)

    items = scene.items() if scene is not None else []
    # Axes paint from a cached QPicture, whose pens were set at the screen's width.
    axes = [i for i in items if isinstance(i, pg.AxisItem)]
    for axis in axes:
        axis.picture = None
    # Qt's own shape and line items (explorer/ui/plots/native_items.py) set their pens in C++:
    # they are given wider ones for the render.
    drawn = [
        (item, item.pen())
        for item in items
        if isinstance(item, QAbstractGraphicsShapeItem | QGraphicsLineItem)
        and item.pen().isCosmetic()
        and item.pen().style() != Qt.PenStyle.NoPen
    ]
    for item, pen in drawn:
        wider = QPen(pen)
        wider.setWidthF(max(pen.widthF(), 1.0) * ratio)
        item.setPen(wider)
    QPainter.setPen = set_pen
    try:
        yield
    finally:
        QPainter.setPen = original
        for axis in axes:
            axis.picture = None
        for item, pen in drawn:
            item.setPen(pen)


__all__ = ["SharpImageExporter", "scaled_cosmetic_pens"]
