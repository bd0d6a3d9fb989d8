"""The loss landscape's two plots: the plane as a heatmap with contours and the run's path,
and the 1-D slice along the first direction."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt

from explorer.model.landscape import Landscape
from explorer.ui.gradient.plot_style import style_plot
from explorer.ui.plots.legend import legend_outside
from explorer.ui.plots.minimum import ContentMinimum
from explorer.ui.theme import style_plot as style_in_theme
from explorer.ui.theme import theme

COLOR_MAP = "viridis"
CONTOURS = 10
#: Colours and contours span the grid's losses up to this percentile: the plane's far
#: corners can be thousands of times the minimum and would leave one colour for the rest.
TOP_PERCENTILE = 90


def contour_levels(losses: np.ndarray, count: int = CONTOURS) -> np.ndarray:
    """``count`` loss levels from just above the minimum to the TOP_PERCENTILE, spaced
    evenly in log scale (a valley's floor gets as many lines as its walls)."""
    finite = losses[np.isfinite(losses)]
    if finite.size == 0:
        return np.zeros(0)
    low, high = float(finite.min()), float(np.percentile(finite, TOP_PERCENTILE))
    if not high > low:
        return np.zeros(0)
    offset = max(low, 1e-12)
    # Spaced in log(loss - low + offset): dense near the minimum.
    levels = np.geomspace(offset * 0.05, high - low + offset * 0.05, count + 1)[1:]
    return low - offset * 0.05 + levels


class LandscapePlot(ContentMinimum, pg.PlotWidget):
    """L(θ + α·d₁ + β·d₂) as a heatmap with contours; θ and the run's path on top."""

    def __init__(self, parent=None):
        super().__init__(parent, background=theme().palette.background)
        self.plot_item = plot = self.getPlotItem()
        style_plot(plot, "Loss landscape", "β (along d₂)", "α (along d₁)")
        plot.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(
            colorMap=pg.colormap.get(COLOR_MAP), interactive=False, width=14, label="loss"
        )
        self.colorbar.setImageItem(self.image, insert_in=plot)
        self.contours: list[pg.IsocurveItem] = []
        self.path = plot.plot([], [], name="training path", symbol="o", symbolSize=5)
        self.start_mark = pg.ScatterPlotItem(size=11, symbol="s")
        self.start_mark.csv_exclude = True
        self.center_mark = pg.ScatterPlotItem(size=16, symbol="star")
        self.center_mark.csv_exclude = True
        for item in (self.start_mark, self.center_mark):
            plot.addItem(item)
        # Above the heatmap, never over it (it would hide a corner of the landscape).
        self.legend = legend_outside(plot, columns=2)
        self.legend.addItem(self.center_mark, "θ (current weights)")
        self.legend.addItem(self.start_mark, "start of the run")
        self.legend.hide()
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        style_in_theme(self.colorbar)
        path = (255, 255, 255)
        self.path.setPen(pg.mkPen(path, width=2))
        self.path.setSymbolBrush(pg.mkBrush(path))
        self.path.setSymbolPen(pg.mkPen((30, 30, 30), width=1))
        self.start_mark.setBrush(pg.mkBrush(palette.color(1)))
        self.start_mark.setPen(pg.mkPen((30, 30, 30), width=1.2))
        self.center_mark.setBrush(pg.mkBrush(palette.color(3)))
        self.center_mark.setPen(pg.mkPen((255, 255, 255), width=1.2))
        for contour in self.contours:
            contour.setPen(pg.mkPen((255, 255, 255, 150), width=1))

    def show_landscape(self, landscape: Landscape | None) -> None:
        for contour in self.contours:
            contour.setParentItem(None)
            if contour.scene() is not None:
                contour.scene().removeItem(contour)
        self.contours = []
        if landscape is None:
            self.image.clear()
            self.path.setData([], [])
            self.center_mark.setData([], [])
            self.start_mark.setData([], [])
            self.legend.hide()
            return
        losses, alphas, betas = landscape.losses, landscape.alphas, landscape.betas
        finite = losses[np.isfinite(losses)]
        low = float(finite.min()) if finite.size else 0.0
        high = float(np.percentile(finite, TOP_PERCENTILE)) if finite.size else 1.0
        if not high > low:
            high = low + 1.0
        self.image.setImage(np.nan_to_num(losses, nan=high, posinf=high), autoLevels=False)
        step_a = (alphas[-1] - alphas[0]) / max(1, len(alphas) - 1)
        step_b = (betas[-1] - betas[0]) / max(1, len(betas) - 1)
        # Each pixel centred on its grid point.
        self.image.setRect(QRectF(alphas[0] - step_a / 2, betas[0] - step_b / 2,
                                  step_a * len(alphas), step_b * len(betas)))  # fmt: skip
        self.colorbar.setLevels((low, high))
        self.image.export_matrix = losses
        self.image.export_axes = (alphas, betas, "α", "β")
        for level in contour_levels(losses):
            contour = pg.IsocurveItem(data=np.nan_to_num(losses, nan=high).T, level=level)
            contour.setParentItem(self.image)
            contour.setPos(0.5, 0.5)  # the curve's indices are the pixels' centres
            contour.setPen(pg.mkPen((255, 255, 255, 150), width=1))
            self.contours.append(contour)
        self.center_mark.setData([0.0], [0.0])
        if landscape.path is not None and len(landscape.path):
            path = landscape.path
            self.path.setData(path[:, 0], path[:, 1])
            self.start_mark.setData([path[0, 0]], [path[0, 1]])
        else:
            self.path.setData([], [])
            self.start_mark.setData([], [])
        self.legend.show()
        self.plot_item.setRange(
            xRange=(alphas[0] - step_a / 2, alphas[-1] + step_a / 2),
            yRange=(betas[0] - step_b / 2, betas[-1] + step_b / 2),
            padding=0,
        )


class SlicePlot(ContentMinimum, pg.PlotWidget):
    """L(θ + α·d₁): the loss along the first direction through θ."""

    def __init__(self, parent=None):
        super().__init__(parent, background=theme().palette.background)
        self.plot_item = plot = self.getPlotItem()
        style_plot(plot, "Slice along d₁ (β = 0)", "loss", "α")
        self.curve = plot.plot([], [], name="loss")
        self.center_line = pg.InfiniteLine(angle=90, movable=False)
        self.center_line.csv_exclude = True
        plot.addItem(self.center_line, ignoreBounds=True)
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        self.curve.setPen(pg.mkPen(palette.color(0), width=2))
        self.center_line.setPen(pg.mkPen(palette.color(3), width=1, style=Qt.PenStyle.DashLine))

    def show_landscape(self, landscape: Landscape | None) -> None:
        if landscape is None:
            self.curve.setData([], [])
            return
        self.curve.setData(landscape.slice_alphas, landscape.slice_losses)
        finite = landscape.slice_losses[np.isfinite(landscape.slice_losses)]
        if finite.size:
            top = float(np.percentile(finite, 95))
            low = float(finite.min())
            self.plot_item.setYRange(low, max(top, low + 1e-6), padding=0.05)
        self.plot_item.setXRange(landscape.slice_alphas[0], landscape.slice_alphas[-1], padding=0)
