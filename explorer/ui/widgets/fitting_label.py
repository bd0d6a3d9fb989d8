"""A caption with a long and a short text: the long one where it fits, so a bar of controls
stays whole on a laptop screen and reads in full on a wide one."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QLabel


class FittingLabel(QLabel):
    """Shows ``long`` when the label is given its width, else ``short`` (never a cut text).

    Its minimum width is the short text's, its preferred width the long one's; the full
    text is also its tooltip's first line.
    """

    def __init__(self, long: str, short: str, parent=None):
        super().__init__(long, parent)
        self.long_text, self.short_text = long, short
        # Beside the control it names, when the layout gives it more room than the short text
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _width_of(self, text: str) -> int:
        margins = self.contentsMargins()
        extra = margins.left() + margins.right() + 2 * self.margin()
        return self.fontMetrics().horizontalAdvance(text) + extra

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._width_of(self.long_text), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._width_of(self.short_text), super().minimumSizeHint().height())

    def _fit(self, width: int) -> None:
        text = self.long_text if width >= self._width_of(self.long_text) else self.short_text
        if text != self.text():
            self.setText(text)  # the size hints do not depend on it: no layout loop

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._fit(event.size().width())
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # A zoomed font may leave the long text too wide for the same width (or fit it).
            self._fit(self.width())
