"""An axis of whole numbers: row and column indices, epochs."""

from __future__ import annotations

import pyqtgraph as pg


class IndexAxisItem(pg.AxisItem):
    """An axis of whole numbers (indices, epochs): ticks only there, never at 0.5 or 1.5."""

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph API)
        levels = [(s, o) for s, o in super().tickSpacing(minVal, maxVal, size) if s >= 1]
        return levels or [(1.0, 0.0)]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph API)
        return [str(round(v * scale)) for v in values]
