"""A combo box that shows its current text whole where it has the room, and elided (with an
ellipsis, the whole text on hover) where it has not: never cut off mid-word."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
)


class ElidingComboBox(QComboBox):
    """A QComboBox that asks for the room of its longest item and can shrink to
    ``minimum_characters``; when narrower than its current text it draws the text elided, and
    its tooltip starts with the text in full (then the tooltip given with ``setToolTip``)."""

    def __init__(self, minimum_characters: int = 8, parent=None, **kwargs):
        super().__init__(parent, **kwargs)
        self._tip = ""
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(minimum_characters)
        self.currentIndexChanged.connect(self._update_tip)

    # -- what is shown ------------------------------------------------------------------------
    def _option(self) -> QStyleOptionComboBox:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return option

    def text_room(self, width: int | None = None) -> int:
        """The width, in pixels, the current text is drawn in (in a box ``width`` wide:
        default, as it is)."""
        option = self._option()
        if width is not None:
            option.rect.setWidth(width)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return field.width()

    def shown_text(self) -> str:
        """The current text as drawn: whole, or elided with "…"."""
        return self.fontMetrics().elidedText(
            self.currentText(), Qt.TextElideMode.ElideRight, max(self.text_room(), 0)
        )

    def is_elided(self) -> bool:
        return self.shown_text() != self.currentText()

    # -- tooltip ------------------------------------------------------------------------------
    def setToolTip(self, tip: str) -> None:  # noqa: N802 (Qt override)
        self._tip = tip
        self._update_tip()

    def _update_tip(self, *_args) -> None:
        full = self.currentText()
        tip = "\n\n".join(t for t in (full, self._tip) if t) if self.is_elided() else self._tip
        if tip != self.toolTip():
            super().setToolTip(tip)

    # -- Qt -----------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        # Room for the longest item whole (the minimum stays a few characters).
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())),
                     default=0)  # fmt: skip
        frame = 1000 - self.text_room(1000)  # the arrow's and the frame's share of any width
        return QSize(max(hint.width(), widest + frame + 1), hint.height())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QStylePainter(self)
        option = self._option()
        option.currentText = self.shown_text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._update_tip()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._update_tip()


__all__ = ["ElidingComboBox"]
