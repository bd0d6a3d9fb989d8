"""One first-layer unit's incoming weights drawn as the image they look at.

Row ``i`` of ``linear1.weight`` holds one weight per input pixel; reshaped to the picture's
square it shows which strokes unit ``i`` responds to (the classic MNIST "receptive field").
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from explorer.ui.model.plot_style import set_title, style_plot

MIN_SIDE = 3


def square_side(features: int) -> int | None:
    """The side of the square image ``features`` pixels make, or None if they make none."""
    side = math.isqrt(features)
    return side if side * side == features and side >= MIN_SIDE else None


class UnitImagePlot(pg.PlotItem):
    """``weight[unit].reshape(side, side)`` with the heatmap's colours and levels."""

    def __init__(self, colormap: str):
        super().__init__()
        style_plot(self, "unit", "", "")
        self.invertY(True)
        self.setAspectLocked(True)
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get(colormap))
        self.addItem(self.image)
        self.unit = 0
        self._side = 0
        self.collapsed = False

    def collapse(self, collapsed: bool) -> None:
        """Hide and take no width, or show at a width that leaves the heatmap its room."""
        self.collapsed = collapsed
        self.setVisible(not collapsed)
        self.setMinimumWidth(0)
        self.setPreferredWidth(0 if collapsed else 150)
        self.setMaximumWidth(0 if collapsed else 170)

    def show_unit(self, weight: np.ndarray, unit: int, limit: float) -> None:
        side = square_side(weight.shape[1])
        changed = unit != self.unit or side != self._side
        self.unit, self._side = unit, side
        self.image.setImage(
            np.array(weight[unit].reshape(side, side)), autoLevels=False, levels=(-limit, limit)
        )
        if changed or not self.titleLabel.text:
            set_title(self, f"weight[{unit}] as {side}×{side}")
