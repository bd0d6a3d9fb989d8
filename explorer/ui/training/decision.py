"""Decision regions of a 2-D classifier: class probabilities as a colored heatmap, with points."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal

from explorer.ui.plots.caching import cache_as_pixmaps, cache_axes
from explorer.ui.theme import set_title, style_plot, theme
from explorer.ui.training.paint_meter import TimedPaint
from explorer.ui.training.palette import class_colors, color

REGION_STRENGTH = 0.55  # how far a fully confident region moves from the background to its color
#: How far the plane may be stretched (pixels per unit of x₁ over those per unit of x₂, or the
#: inverse) to fill a plot that is not square: a little, rather than empty bands beside it.
MAX_STRETCH = 1.25


def blend_regions(probabilities: np.ndarray, num_classes: int, background=(1.0, 1.0, 1.0)):
    """RGB image (H, W, 3) in [0, 1]: class colors mixed by probability, faded by doubt.

    Where the model is sure the color is its class's; where it is unsure (all
    probabilities near 1/C) it fades to ``background`` (RGB in [0, 1]; white by default),
    as in TensorFlow Playground.
    """
    probs = np.asarray(probabilities, dtype=np.float32)
    colors = class_colors(num_classes)
    mixed = probs @ colors
    floor = 1.0 / num_classes
    confidence = np.clip((probs.max(axis=-1) - floor) / (1.0 - floor), 0.0, 1.0)
    alpha = (REGION_STRENGTH * confidence)[..., None]
    return (1.0 - alpha) * np.asarray(background, dtype=np.float32) + alpha * mixed


class DecisionRegionPlot(TimedPaint, pg.PlotWidget):
    """The model's decision regions over the plane with the training/validation points.

    The view fits the regions (and points): the plane keeps its shape up to a stretch of
    :data:`MAX_STRETCH` in a plot that is not square, so the data fill it without empty bands.
    ``sigPointClicked(index)`` reports a click on a validation point (its index in the
    validation set), so the tab can show that sample's P and Q.
    """

    sigPointClicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent, background=theme().palette.background)
        self.plot_item = self.getPlotItem()
        self.plot_item.setLabel("left", "x₂")
        self.plot_item.setLabel("bottom", "x₁")
        set_title(self.plot_item, "Decision regions")
        style_plot(self.plot_item)
        self.plot_item.setAspectLocked(True)
        self.plot_item.vb.setDefaultPadding(0.0)  # the regions have a margin around the data
        self.plot_item.vb.sigResized.connect(self._fit_aspect)
        self.plot_item.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        self.image.export_matrix = np.zeros((0, 0), dtype=np.int64)
        self.plot_item.addItem(self.image)
        # Names head the CSV columns; the class of each point is its brush color.
        self.train_points = pg.ScatterPlotItem(size=6, name="training points")
        self.val_points = pg.ScatterPlotItem(size=7, name="validation points")
        self.val_points.sigClicked.connect(self._on_val_points_clicked)
        self.selected = pg.ScatterPlotItem(size=16, brush=None, symbol="o")
        self.selected.csv_exclude = True  # a highlight, not data
        for item in (self.train_points, self.val_points, self.selected):
            self.plot_item.addItem(item)
        # The regions change while training; the axes and the data points do not.
        cache_axes(self.plot_item)
        cache_as_pixmaps(self.train_points, self.val_points)
        self._num_classes = 2
        self._val_x = np.empty((0, 2))
        self._classes = None  # the points' classes (training, validation), to colour again
        self._regions = None  # what set_regions was given
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        self.train_points.setPen(pg.mkPen(palette.outline, width=0.8))
        # Validation points are outlined in the text colour: dark on light, light on dark.
        self.val_points.setPen(pg.mkPen(palette.text, width=1.2))
        self.selected.setPen(pg.mkPen(palette.text, width=2))
        if self._classes is not None:
            brushes = [pg.mkBrush(*color(i)) for i in range(self._num_classes)]
            pairs = zip((self.train_points, self.val_points), self._classes, strict=True)
            for points, classes in pairs:
                points.setBrush([brushes[k] for k in classes])
        if self._regions is not None and self.image.isVisible():
            self.set_regions(*self._regions)

    def set_points(
        self, train_x, train_y, val_x, val_y, num_classes: int, class_names=None
    ) -> None:
        """Scatter the data, colored by true class (validation points outlined dark).

        The CSV of the points (``-data.csv`` beside the regions) has a ``class`` column: each
        point's class name (``class_names``), or its index without names.
        """
        self._classes = (np.asarray(train_y), np.asarray(val_y))
        self._num_classes = int(num_classes)
        names = list(class_names) if class_names else None
        for points, labels in zip((self.train_points, self.val_points), self._classes, strict=True):
            points.export_columns = {
                "class": [names[int(k)] for k in labels] if names else labels.astype(np.int64)
            }
        brushes = [pg.mkBrush(*color(i)) for i in range(self._num_classes)]
        self.train_points.setData(
            pos=np.asarray(train_x), brush=[brushes[k] for k in np.asarray(train_y)]
        )
        self._val_x = np.asarray(val_x)
        self.val_points.setData(
            pos=self._val_x,
            brush=[brushes[k] for k in np.asarray(val_y)],
            data=np.arange(len(self._val_x)),
        )
        self.selected.setData([], [])
        self._fit_aspect()

    def _fit_aspect(self, *_args) -> None:
        """Lock the aspect at the stretch, within MAX_STRETCH, that fills the view with what
        it shows."""
        vb = self.plot_item.vb
        (x0, x1), (y0, y1) = (r if r is not None else (0.0, 0.0) for r in vb.childrenBounds())
        box = vb.boundingRect()
        if min(x1 - x0, y1 - y0, box.width(), box.height()) <= 0:
            return
        fills = (box.width() / box.height()) / ((x1 - x0) / (y1 - y0))
        vb.setAspectLocked(True, float(np.clip(fills, 1 / MAX_STRETCH, MAX_STRETCH)))

    def set_regions(self, extent: tuple[float, float, float, float], probabilities) -> None:
        """Show probabilities ``(H, W, C)`` sampled on the grid covering ``extent``.

        ``extent`` is ``(x_min, x_max, y_min, y_max)``; row 0 of the grid is ``y_min``.
        """
        x0, x1, y0, y1 = extent
        probabilities = np.asarray(probabilities)
        self._regions = (extent, probabilities)
        ny, nx = probabilities.shape[:2]
        # The CSV export writes the predicted class per grid cell, rows x₂ and columns x₁.
        self.image.export_matrix = probabilities.argmax(axis=-1)
        self.image.export_axes = (np.linspace(x0, x1, nx), np.linspace(y0, y1, ny), "x₁", "x₂")
        background = np.asarray(theme().palette.background, dtype=np.float32) / 255.0
        rgb = blend_regions(probabilities, self._num_classes, background)
        self.image.setImage((rgb * 255).astype(np.uint8), autoLevels=False, levels=(0, 255))
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.image.show()
        self._fit_aspect()

    def clear_regions(self) -> None:
        self.image.hide()  # ImageItem.clear() would stop later setImage calls from drawing

    def region_image(self) -> np.ndarray | None:
        return self.image.image if self.image.isVisible() else None

    def select(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self._val_x):
            self.selected.setData([], [])
            return
        self.selected.setData(pos=self._val_x[index : index + 1])

    def _on_val_points_clicked(self, item, points, ev=None) -> None:
        if len(points):
            self.sigPointClicked.emit(int(points[0].data()))
