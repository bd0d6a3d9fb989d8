"""An axis of named categories (class names): full names where they fit, elided where not.

The ticks hold the full names, so a CSV export (which reads an axis' ticks) writes them
whole; only the drawn text is shortened, to the room a category has on screen (the distance
between two ticks along a horizontal axis, at most :attr:`CategoryAxis.max_share` of the plot's
width beside a vertical one), and hovering a shortened name shows it in full.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

from explorer.ui.theme import theme

GAP = 6  # pixels kept between two names along the axis, at 100 %


class CategoryAxis(pg.AxisItem):
    """Ticks at 0, 1, ... named by :meth:`set_names`; long names elided only when crowded."""

    #: The largest share of the plot's width a vertical axis' names may take.
    max_share = 0.3

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self._names: list[str] = []
        self._shown: list[str] = []
        self.setAcceptHoverEvents(True)

    def set_names(self, names: list[str]) -> None:
        """One tick per name, at 0, 1, ..., n - 1 (the full names: exports read them)."""
        self._names = [str(name) for name in names]
        self.setTicks([list(enumerate(self._names))])

    def names(self) -> list[str]:
        return list(self._names)

    def shown_names(self) -> list[str]:
        """The names as last drawn (elided where there was no room)."""
        return list(self._shown)

    # -- drawing --------------------------------------------------------------------------
    def _vertical(self) -> bool:
        return self.orientation in ("left", "right")

    def _room(self) -> float:
        """Pixels a name may take: across a vertical axis, or between ticks along another."""
        if self._vertical():
            plot = self.parentItem()
            width = plot.boundingRect().width() if plot is not None else 0.0
            return max(float(theme().px(40)), self.max_share * width)
        low, high = self.range
        length = self.geometry().width()
        if high <= low or length <= 0:
            return 0.0
        return length / (high - low) - theme().px(GAP)

    def _elided(self) -> list[str]:
        font = self.style["tickFont"]
        metrics = QFontMetricsF(font) if font is not None else QFontMetricsF(self.font())
        room = self._room()
        return [
            metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(room, 1.0))
            for name in self._names
        ]

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph API)
        if not self._names:
            self._shown = []
            return super().generateDrawSpecs(p)
        shown = self._elided()
        full = self._tickLevels
        self._tickLevels = [list(enumerate(shown))]
        try:
            specs = super().generateDrawSpecs(p)
        finally:
            self._tickLevels = full
        if specs is not None:
            drawn = {text for _rect, _flags, text in specs[2]}
            self._shown = [name if name in drawn else "" for name in shown]
        return specs

    def _updateMaxTextSize(self, x: int) -> None:  # noqa: N802 (pyqtgraph API)
        if self._vertical() and self._names:
            x = min(x, int(self._room()) + 1)
        super()._updateMaxTextSize(x)

    # -- hover ----------------------------------------------------------------------------
    def name_at(self, position) -> str:
        """The full name of the category at ``position`` (item coordinates), or ''."""
        if not self._names:
            return ""
        view = self.linkedView()
        if view is None:
            return ""
        scene = self.mapToScene(position)
        point = view.mapSceneToView(scene)
        value = point.y() if self._vertical() else point.x()
        index = round(value)
        return self._names[index] if 0 <= index < len(self._names) else ""

    def hoverEvent(self, event) -> None:  # noqa: N802 (pyqtgraph API)
        if event.isExit():
            self.setToolTip("")
            return
        name = self.name_at(event.pos())
        index = self._names.index(name) if name else -1
        elided = 0 <= index < len(self._shown) and self._shown[index] != name
        self.setToolTip(name if elided else "")
