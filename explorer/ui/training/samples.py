"""A grid of validation images captioned with predicted and true labels."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal

from explorer.ui.theme import set_title, style_plot, theme
from explorer.ui.training.paint_meter import TimedPaint


def mosaic(images: np.ndarray, columns: int, pad: int, caption: int) -> np.ndarray:
    """Tile ``images`` (n, h, w) row-major into one array, ``caption`` blank rows under each."""
    n, h, w = images.shape
    rows = max(1, -(-n // columns))
    cell_h, cell_w = h + pad + caption, w + pad
    out = np.full((rows * cell_h + pad, columns * cell_w + pad), np.nan, dtype=np.float32)
    for k in range(n):
        r, c = divmod(k, columns)
        top, left = pad + r * cell_h, pad + c * cell_w
        out[top : top + h, left : left + w] = images[k]
    return out


class SampleGrid(TimedPaint, pg.PlotWidget):
    """Validation samples as images; captions say the prediction, red when it is wrong.

    ``sigSampleClicked(index)`` gives the validation index of a clicked image.
    """

    sigSampleClicked = Signal(int)

    def __init__(self, count: int = 24, columns: int = 8, parent=None):
        super().__init__(parent, background=theme().palette.background)
        self.count = count
        self.columns = columns
        self.plot_item = self.getPlotItem()
        set_title(self.plot_item, "Validation: predicted (true)")
        style_plot(self.plot_item)
        self.plot_item.hideAxis("left")
        self.plot_item.hideAxis("bottom")
        self.plot_item.invertY(True)
        self.plot_item.setAspectLocked(True)
        self.plot_item.hideButtons()
        self.plot_item.setMouseEnabled(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot_item.addItem(self.image)
        self._texts: list[pg.TextItem] = []
        self._cell = (1, 1)
        self._pad = 1
        self._shape = (1, 1)
        self._true: np.ndarray = np.empty(0, dtype=np.int64)
        self._class_names: list[str] = []
        self._predicted: np.ndarray | None = None
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        theme().sigChanged.connect(self._on_theme_changed)
        self._on_theme_changed()

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        # Ink on paper: dark strokes on the light theme's white, light ones on the dark's.
        paper, ink = (palette.background, palette.text) if palette.dark else ((255,) * 3, (20,) * 3)
        self.image.setColorMap(pg.ColorMap([0.0, 1.0], [paper, ink]))
        if self._predicted is not None:
            self.set_predictions(self._predicted)
        else:
            for text in self._texts:
                text.setColor(palette.muted)

    def _caption_color(self, right: bool):
        palette = theme().palette
        return palette.text_color(palette.good if right else palette.error)

    def set_samples(self, images: np.ndarray, true_labels, class_names: list[str]) -> None:
        """Show the first ``count`` images (n, h, w); captions wait for predictions."""
        images = np.asarray(images, dtype=np.float32)[: self.count]
        n, h, w = images.shape
        pad, caption = max(1, h // 8), max(3, int(round(h * 0.45)))
        self._shape, self._pad = (h, w), pad
        self._cell = (h + pad + caption, w + pad)
        self._true = np.asarray(true_labels, dtype=np.int64)[:n]
        self._class_names = list(class_names)
        self._predicted = None
        self._set_export(np.full(n, -1))
        tiles = mosaic(images, self.columns, pad, caption)
        finite = tiles[np.isfinite(tiles)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        self.image.setImage(
            np.nan_to_num(tiles, nan=low),
            autoLevels=False,
            levels=(low, high if high > low else low + 1),
        )
        self.image.setRect(QRectF(0, 0, tiles.shape[1], tiles.shape[0]))
        for text in self._texts:
            self.plot_item.removeItem(text)
        self._texts = []
        for k in range(n):
            r, c = divmod(k, self.columns)
            # Muted until predictions arrive.
            text = pg.TextItem(
                self._class_names[self._true[k]], anchor=(0.5, 0.0), color=theme().palette.muted
            )
            text.setPos(pad + c * self._cell[1] + w / 2, pad + r * self._cell[0] + h)
            self.plot_item.addItem(text)
            self._texts.append(text)
        self.plot_item.setRange(QRectF(0, 0, tiles.shape[1], tiles.shape[0]), padding=0.02)

    def set_predictions(self, predicted) -> None:
        """Caption each image ``pred (true)``: green when right, red when wrong."""
        predicted = np.asarray(predicted, dtype=np.int64)[: len(self._texts)]
        self._predicted = predicted
        self._set_export(predicted)
        good, bad = self._caption_color(True), self._caption_color(False)
        for k, pred in enumerate(predicted):
            true = self._true[k]
            names = self._class_names
            if pred == true:
                self._texts[k].setText(names[pred], color=good)
            else:
                self._texts[k].setText(f"{names[pred]} ({names[true]})", color=bad)

    def _set_export(self, predicted: np.ndarray) -> None:
        # The CSV export lists the samples' true and predicted classes, not the pixels.
        n = len(self._true)
        shown = np.full(n, -1, dtype=np.int64)
        shown[: len(predicted)] = predicted[:n]
        self.image.export_matrix = np.stack([self._true, shown], axis=1)
        self.image.export_axes = (
            ["true class", "predicted class (-1: none yet)"],
            np.arange(n),
            "",
            "validation sample",
        )

    def captions(self) -> list[str]:
        return [text.toPlainText() for text in self._texts]

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._texts:
            return
        point = self.plot_item.vb.mapSceneToView(event.scenePos())
        col = int((point.x() - self._pad) // self._cell[1])
        row = int((point.y() - self._pad) // self._cell[0])
        index = row * self.columns + col
        if 0 <= col < self.columns and row >= 0 and index < len(self._texts):
            self.sigSampleClicked.emit(index)
