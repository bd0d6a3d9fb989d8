"""What a person sees of a widget's text: whether it is shown whole or cut, or overlaps."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QComboBox, QStyle, QStyleOptionComboBox


def combo_text_room(combo: QComboBox) -> int:
    """The width, in pixels, a combo box gives the text of its current item."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return field.width()


def combo_shows_whole(combo: QComboBox) -> bool:
    """Whether ``combo``'s current text fits the room it has (is not elided)."""
    return combo.fontMetrics().horizontalAdvance(combo.currentText()) <= combo_text_room(combo)


def tick_labels_drawn(axis) -> list[tuple[QRectF, str]]:
    """Where a pyqtgraph axis draws each of its tick labels now, and the text."""
    specs = None
    for _ in range(2):  # the first pass may resize the axis to fit its labels
        QApplication.processEvents()
        image = QImage(8, 8, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            specs = axis.generateDrawSpecs(painter)
        finally:
            painter.end()
    return [(rect, text) for rect, _flags, text in specs[2]] if specs else []


def overlapping_tick_labels(axis) -> list[tuple[str, str]]:
    """The pairs of tick labels ``axis`` draws over one another (touching counts)."""
    drawn = [(rect, text) for rect, text in tick_labels_drawn(axis) if text]
    return [
        (first, second)
        for i, (rect, first) in enumerate(drawn)
        for other, second in drawn[i + 1 :]
        if rect.adjusted(-1, -1, 1, 1).intersects(other)
    ]
