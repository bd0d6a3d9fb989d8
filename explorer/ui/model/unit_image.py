"""One first-layer unit's incoming weights drawn as the image they look at.

Row ``i`` of ``linear1.weight`` holds one weight per input pixel; reshaped to the picture's
square it shows which strokes unit ``i`` responds to (the classic MNIST "receptive field").
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from explorer.ui.model.plot_style import (
    fit_axis_width,
    nan_color,
    set_title,
    span_title,
    style_plot,
)
from explorer.ui.theme import style_plot as style_colorbar
from explorer.ui.theme import theme

MIN_SIDE = 3
WIDTH = 200  # the picture, its colour bar and the bar's labels
HEIGHT = 200  # about square: exported alone, the plot is a picture, not a tall strip
#: The least it is given: the picture stays readable and its title whole beside a heatmap
#: with a long title.
MINIMUM = 160


def square_side(features: int) -> int | None:
    """The side of the square image ``features`` pixels make, or None if they make none."""
    side = math.isqrt(features)
    return side if side * side == features and side >= MIN_SIDE else None


class UnitImagePlot(pg.PlotItem):
    """``weight[unit].reshape(side, side)`` with the heatmap's colours, levels and colour bar
    (its own, so the plot reads on its own when exported)."""

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
        self.nan_backdrop = QGraphicsRectItem()
        self.nan_backdrop.csv_exclude = True
        self.nan_backdrop.setPen(QPen(Qt.PenStyle.NoPen))
        self.nan_backdrop.setZValue(-1)
        self.addItem(self.nan_backdrop, ignoreBounds=True)
        self.addItem(self.image)
        self.colorbar = pg.ColorBarItem(
            values=(-1.0, 1.0), colorMap=pg.colormap.get(colormap), interactive=False, width=10
        )
        axis = self.colorbar.getAxis("right")
        style_colorbar(self.colorbar)
        fit_axis_width(axis, -1.0, 1.0)
        self.colorbar.setImageItem(self.image, insert_in=self)
        span_title(self)
        self.setContentsMargins(2, 2, 2, 10)  # the bar's end labels overhang it by half a line
        self.unit = 0
        self._side = 0
        self.collapsed = False
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        self.nan_backdrop.setBrush(QBrush(nan_color()))
        low, high = self.colorbar.levels()
        fit_axis_width(self.colorbar.getAxis("right"), low, high)
        if not self.collapsed:
            self.collapse(False)  # the zoomed size

    def collapse(self, collapsed: bool) -> None:
        """Hide and take no width, or show at a width that leaves the heatmap its room."""
        self.collapsed = collapsed
        self.setVisible(not collapsed)
        low = 0 if collapsed else theme().px(MINIMUM)
        self.setMinimumSize(low, low)
        width, height = (0, 0) if collapsed else (theme().px(WIDTH), theme().px(HEIGHT))
        self.setPreferredSize(width, height)
        self.setMaximumSize(width, height)

    def show_unit(self, weight: np.ndarray, unit: int, limit: float) -> None:
        side = square_side(weight.shape[1])
        changed = unit != self.unit or side != self._side
        self.unit, self._side = unit, side
        picture = np.array(weight[unit].reshape(side, side))
        self.image.setImage(picture, autoLevels=False, levels=(-limit, limit))
        if self.colorbar.levels() != (-limit, limit):
            self.colorbar.setLevels((-limit, limit))
            fit_axis_width(self.colorbar.getAxis("right"), -limit, limit)
        self.nan_backdrop.setRect(QRectF(0, 0, side, side))
        self.nan_backdrop.setVisible(bool(np.isnan(picture).any()))
        self.image.export_matrix = picture
        self.image.export_axes = (np.arange(side), np.arange(side), "pixel column", "pixel row")
        if changed or not self.titleLabel.text:
            set_title(self, f"weight[{unit}] as {side}×{side}")
