"""What a person sees of a widget's text: whether it is shown whole or cut."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox


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
