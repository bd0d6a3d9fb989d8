"""A light rounded panel, and colored labels, painted without style sheets.

Style sheets make Qt paint a widget and all its descendants through QStyleSheetStyle, which
is several times slower; the Distributions tab repaints dozens of widgets per slider move.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QWidget

CARD_BACKGROUND = QColor(250, 251, 252)
CARD_BORDER = QColor(216, 219, 224)


class Card(QFrame):
    """A panel with a light background and a thin rounded border.

    The antialiased rounded rectangle is drawn once per size into a pixmap; repaints (each
    time a label on the card changes) only copy the dirty part of it.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._background = QPixmap()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        ratio = self.devicePixelRatioF()
        if self._background.size() != self.size() * ratio:
            self._background = QPixmap(self.size() * ratio)
            self._background.setDevicePixelRatio(ratio)
            # Opaque (corners in the parent's color): copying it is much cheaper than blending.
            parent = self.parentWidget()
            corner = (parent or self).palette().color(QPalette.ColorRole.Window)
            self._background.fill(corner)
            painter = QPainter(self._background)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(CARD_BORDER, 1.0))
            painter.setBrush(CARD_BACKGROUND)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
            painter.end()
        painter = QPainter(self)
        # Copy only the dirty rectangles (a read-out's label, not the whole card).
        for rect in event.region():
            source = QRectF(rect.topLeft() * ratio, rect.size() * ratio).toRect()
            painter.drawPixmap(rect, self._background, source)
        painter.end()


def set_text_color(widget: QWidget, color: QColor) -> None:
    """Color a label's text through its palette (no style sheet)."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    palette.setColor(QPalette.ColorRole.Text, QColor(color))
    widget.setPalette(palette)


def colored_label(text: str, color: QColor, bold: bool = False, point_delta: float = 0) -> QLabel:
    """A QLabel in ``color`` (optionally bold / larger), styled without a style sheet."""
    label = QLabel(text)
    set_text_color(label, color)
    if bold or point_delta:
        font = label.font()
        font.setBold(bold)
        if point_delta:
            font.setPointSizeF(font.pointSizeF() + point_delta)
        label.setFont(font)
    return label


def make_opaque(widget: QWidget) -> None:
    """Fill ``widget`` with the card color so its repaints need nothing beneath it."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, CARD_BACKGROUND)
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)
