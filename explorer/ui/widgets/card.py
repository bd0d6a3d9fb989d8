"""A rounded panel, and coloured labels, painted without style sheets and in the theme's
colours (they follow a change of appearance or zoom).

Style sheets make Qt paint a widget and all its descendants through QStyleSheetStyle, which
is several times slower; the Distributions tab repaints dozens of widgets per slider move.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QWidget

from explorer.ui.theme import theme
from explorer.ui.widgets.zoom import follow_font


class Card(QFrame):
    """A panel with the theme's panel colour and a thin rounded border.

    The antialiased rounded rectangle is drawn once per size (and appearance) into a pixmap;
    repaints (each time a label on the card changes) only copy the dirty part of it.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._background = QPixmap()
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        self._background = QPixmap()
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        ratio = self.devicePixelRatioF()
        if self._background.size() != self.size() * ratio:
            palette = theme().palette
            self._background = QPixmap(self.size() * ratio)
            self._background.setDevicePixelRatio(ratio)
            # Opaque (corners in the parent's color): copying it is much cheaper than blending.
            parent = self.parentWidget()
            corner = (parent or self).palette().color(QPalette.ColorRole.Window)
            self._background.fill(corner)
            painter = QPainter(self._background)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(theme().color(palette.panel_border), 1.0))
            painter.setBrush(theme().color(palette.panel))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
            painter.end()
        painter = QPainter(self)
        # Copy only the dirty rectangles (a read-out's label, not the whole card).
        for rect in event.region():
            source = QRectF(rect.topLeft() * ratio, rect.size() * ratio).toRect()
            painter.drawPixmap(rect, self._background, source)
        painter.end()


def set_text_color(widget: QWidget, role: str | None) -> None:
    """Colour a label's text through its palette (no style sheet) in a colour of the theme,
    now and after every change of appearance: ``role`` names a
    :class:`~explorer.ui.colors.Palette` colour ("muted", "error", "p", "kl", ...), made
    readable on a card; None gives back the normal text colour. ``widget.property(
    "textRole")`` says which is shown ("" for None)."""
    widget.setProperty("textRole", role or "")
    if widget.property("textRoleFollowed"):
        _color_text(widget)
    else:
        widget.setProperty("textRoleFollowed", True)
        theme().watch(widget, lambda: _color_text(widget))


def _color_text(widget: QWidget) -> None:
    role = widget.property("textRole")
    qpalette = widget.palette()
    if role:
        palette = theme().palette
        color = theme().color(palette.text_color(getattr(palette, role), palette.panel))
        text = window_text = color
    else:
        application = QApplication.palette()
        text = application.color(QPalette.ColorRole.Text)
        window_text = application.color(QPalette.ColorRole.WindowText)
    qpalette.setColor(QPalette.ColorRole.WindowText, window_text)
    qpalette.setColor(QPalette.ColorRole.Text, text)
    widget.setPalette(qpalette)


def colored_label(text: str, role: str, bold: bool = False, point_delta: float = 0) -> QLabel:
    """A QLabel in the theme's ``role`` colour (optionally bold / larger), without a style
    sheet."""
    label = QLabel(text)
    set_text_color(label, role)
    if bold or point_delta:
        follow_font(label, point_delta, bold=bold)
    return label


def make_opaque(widget: QWidget) -> None:
    """Fill ``widget`` with the card colour so its repaints need nothing beneath it."""

    def apply() -> None:
        palette = widget.palette()
        palette.setColor(QPalette.ColorRole.Window, theme().color(theme().palette.panel))
        widget.setPalette(palette)

    widget.setAutoFillBackground(True)
    theme().watch(widget, apply)
