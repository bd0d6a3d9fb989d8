"""A confusion matrix as a heatmap with counts, rows = true class, columns = predicted."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from explorer.ui.colors import Palette, ink_on, mix
from explorer.ui.plots.caching import cache_axes
from explorer.ui.plots.category_axis import CategoryAxis
from explorer.ui.theme import set_title, style_plot, theme
from explorer.ui.training.paint_meter import TimedPaint

MAX_ANNOTATED = 12  # beyond this many classes the numbers would not fit in their cells


def share_colors(palette: Palette) -> tuple[tuple[int, int, int], ...]:
    """The colour map's stops for a share of 0, 0.5 and 1: from the background to a deep
    blue (light theme) or a bright one (dark theme), so a full row stands out on either."""
    if palette.dark:
        return palette.background, (31, 100, 160), (150, 205, 245)
    return (247, 251, 255), (107, 174, 214), (8, 48, 107)


def share_color(palette: Palette, share: float) -> tuple[int, int, int]:
    """The colour a cell of ``share`` (0..1) gets."""
    low, middle, high = share_colors(palette)
    return mix(low, middle, share * 2) if share < 0.5 else mix(middle, high, share * 2 - 1)


class ConfusionMatrixPlot(TimedPaint, pg.PlotWidget):
    """Counts of (true, predicted) pairs; each row is shaded by its share of the true class."""

    def __init__(self, parent=None):
        super().__init__(
            parent,
            background=theme().palette.background,
            axisItems={side: CategoryAxis(side) for side in ("left", "bottom")},
        )
        self.plot_item = self.getPlotItem()
        self.plot_item.setLabel("left", "true class")
        self.plot_item.setLabel("bottom", "predicted class")
        set_title(self.plot_item, "Confusion matrix (validation)")
        style_plot(self.plot_item)
        self.plot_item.invertY(True)
        self.plot_item.hideButtons()
        self.plot_item.setMouseEnabled(x=False, y=False)
        for side in ("left", "bottom"):  # tick marks inside would run into the first cells
            self.plot_item.getAxis(side).setStyle(tickLength=0, tickTextOffset=4)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot_item.addItem(self.image)
        cache_axes(self.plot_item)
        self._texts: list[pg.TextItem] = []
        self._matrix = np.zeros((0, 0), dtype=np.int64)
        self._class_names: list[str] = []
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        self.image.setColorMap(pg.ColorMap([0.0, 0.5, 1.0], list(share_colors(palette))))
        font = self._cell_font(self._matrix.shape[0])
        for text in self._texts:
            text.setFont(font)
        if self._matrix.size:
            self.set_matrix(self._matrix, self._class_names)

    @staticmethod
    def _cell_font(n: int):
        return theme().font(9.0 if n <= 5 else 7.0)

    @property
    def matrix(self) -> np.ndarray:
        return self._matrix

    def set_matrix(self, matrix, class_names: list[str] | None = None) -> None:
        matrix = np.asarray(matrix, dtype=np.int64)
        n = matrix.shape[0]
        names = list(class_names) if class_names else [str(i) for i in range(n)]
        if matrix.shape != self._matrix.shape or names != self._class_names:
            self._rebuild(n, names)
        self._matrix = matrix
        totals = matrix.sum(axis=1, keepdims=True)
        share = np.divide(matrix, totals, out=np.zeros(matrix.shape, float), where=totals > 0)
        self.image.setImage(share, autoLevels=False, levels=(0.0, 1.0))
        # The CSV export writes the counts with true classes as rows, predictions as columns.
        self.image.export_matrix = matrix
        self.image.export_axes = (names, names, "predicted class", "true class")
        self.image.show()
        self.image.setRect(QRectF(-0.5, -0.5, n, n))
        palette = theme().palette
        for (i, j), text in zip(np.ndindex(n, n), self._texts, strict=False):
            text.setText(str(matrix[i, j]))
            text.setColor(ink_on(share_color(palette, float(share[i, j]))))

    def clear_matrix(self) -> None:
        self._rebuild(0, [])
        self._matrix = np.zeros((0, 0), dtype=np.int64)
        self.image.hide()  # ImageItem.clear() would stop later setImage calls from drawing

    def _rebuild(self, n: int, names: list[str]) -> None:
        for text in self._texts:
            self.plot_item.removeItem(text)
        self._texts = []
        self._class_names = names
        if n <= MAX_ANNOTATED:
            font = self._cell_font(n)
            for i, j in np.ndindex(n, n):
                text = pg.TextItem("", anchor=(0.5, 0.5))
                text.csv_exclude = True  # the counts are in the image's export_matrix
                text.setFont(font)
                text.setPos(j, i)
                self.plot_item.addItem(text)
                self._texts.append(text)
        for side in ("bottom", "left"):  # full names, shortened on screen only if crowded
            self.plot_item.getAxis(side).set_names(names)
        if n:
            self.plot_item.setRange(xRange=(-0.5, n - 0.5), yRange=(-0.5, n - 0.5), padding=0)
