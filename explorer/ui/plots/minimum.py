"""A plot widget as small as its plot can be drawn, and no smaller.

A ``pg.PlotWidget`` tells layouts it can shrink to 68 pixels, whatever its title and axes
need; squeezed below its plot's minimum, the plot is cut at the widget's edge (a title
"Confusion matrix (valida"). With :class:`ContentMinimum` mixed in, splitters and layouts
give it at least what its plot needs.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt


def content_minimum(view) -> QSize:
    """The minimum size of ``view``'s central item (a pg.GraphicsView's), in pixels."""
    item = view.centralWidget
    if item is None:
        return QSize(0, 0)
    size = item.effectiveSizeHint(Qt.SizeHint.MinimumSize)
    frame = 2 * view.frameWidth()
    return QSize(math.ceil(size.width()) + frame, math.ceil(size.height()) + frame)


class ContentMinimum:
    """Mixin for pyqtgraph views: ``minimumSizeHint`` covers the central item's minimum."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return super().minimumSizeHint().expandedTo(content_minimum(self))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        # What the plot needs may have changed while it was hidden (on another tab), when
        # asking the layouts above for room does nothing.
        self.updateGeometry()
