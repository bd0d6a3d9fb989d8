"""A label whose new texts repaint the label and nothing else.

Each ``QLabel.setText`` asks the layouts above the label for room (``updateGeometry``)
unless its size is fixed both ways, and the request climbs to the main window, whose tab
widget then repaints the whole window, every plot included. A label that changes with every
edit or slider move and must stretch with its row sits in :class:`QuietLabelBox`, a box
without a layout that stops the request and sizes the label itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class QuietLabelBox(QWidget):
    """Hosts ``label`` at the box's full size: as wide as its layout makes it (a longer
    text is cut, as with an ``Ignored`` size policy), one line high."""

    def __init__(self, label: QLabel, parent=None):
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(label.sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.label.resize(event.size())
        super().resizeEvent(event)
