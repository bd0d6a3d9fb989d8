"""A grid of validation images captioned with predicted and true labels, a page at a time.

The grid shows ``count`` images at once: the page holding the selected sample, which is
framed, so a sample chosen anywhere (a click, the P/Q panel's index, *Hardest*) is always in
view and marked.
"""

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
        self.frame = pg.PlotCurveItem()  # around the selected image
        self.frame.csv_exclude = True  # a highlight, not data
        self.frame.setZValue(10)
        self.plot_item.addItem(self.frame)
        self.page_note = pg.TextItem("", anchor=(1.0, 0.0))  # which samples, when not all
        self.page_note.csv_exclude = True
        self.plot_item.addItem(self.page_note)
        self._texts: list[pg.TextItem] = []
        self._cell = (1, 1)
        self._pad = 1
        self._caption = 3
        self._shape = (1, 1)
        self._images = np.zeros((0, 1, 1), dtype=np.float32)
        self._levels = (0.0, 1.0)
        self._true: np.ndarray = np.empty(0, dtype=np.int64)
        self._class_names: list[str] = []
        self._predicted = np.empty(0, dtype=np.int64)  # -1: no prediction yet
        self._start = 0  # the first sample shown
        self._selected: int | None = None
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        # Ink on paper: dark strokes on the light theme's white, light ones on the dark's.
        paper, ink = (palette.background, palette.text) if palette.dark else ((255,) * 3, (20,) * 3)
        self.image.setColorMap(pg.ColorMap([0.0, 1.0], [paper, ink]))
        self.frame.setPen(pg.mkPen(palette.q, width=theme().px(3)))
        self.page_note.setColor(palette.muted)
        self._caption_all()

    def _caption_color(self, right: bool):
        palette = theme().palette
        return palette.text_color(palette.good if right else palette.error)

    # -- data -----------------------------------------------------------------------------
    def set_samples(self, images: np.ndarray, true_labels, class_names: list[str]) -> None:
        """The validation images (n, h, w) and labels; the first page is shown, captions
        wait for predictions."""
        images = np.asarray(images, dtype=np.float32)
        # Loaded data is finite (the readers refuse NaN and infinities).
        low, high = (float(images.min()), float(images.max())) if images.size else (0.0, 1.0)
        self._images = images
        self._levels = (low, high if high > low else low + 1)
        n, h, w = images.shape
        self._shape = (h, w)
        self._pad, self._caption = max(1, h // 8), max(3, int(round(h * 0.45)))
        self._cell = (h + self._pad + self._caption, w + self._pad)
        self._true = np.asarray(true_labels, dtype=np.int64)[:n]
        self._class_names = list(class_names)
        self._predicted = np.full(n, -1, dtype=np.int64)
        self._selected = None
        self._show_page(0, force=True)

    def set_predictions(self, predicted) -> None:
        """Predictions for the first ``len(predicted)`` samples (all of them, or the first
        page while a run is live): each caption says ``pred (true)``, green when right, red
        when wrong."""
        predicted = np.asarray(predicted, dtype=np.int64)[: len(self._predicted)]
        self._predicted[: len(predicted)] = predicted
        if len(predicted) > self._start:
            self._caption_all()
            self._set_export()

    def select(self, index: int | None) -> None:
        """Show the page holding validation sample ``index`` and frame it (None: no frame)."""
        if index is None or not 0 <= index < len(self._true):
            self._selected = None
            self.frame.setData([], [])
            return
        self._selected = int(index)
        self._show_page(self._selected // self.count * self.count)
        self._draw_frame()

    def shown_range(self) -> range:
        """The validation indices on screen."""
        return range(self._start, min(self._start + self.count, len(self._true)))

    def selected(self) -> int | None:
        return self._selected

    def captions(self) -> list[str]:
        return [text.toPlainText() for text in self._texts]

    # -- drawing --------------------------------------------------------------------------
    def _show_page(self, start: int, force: bool = False) -> None:
        if start == self._start and not force:
            return
        self._start = start
        shown = self.shown_range()
        h, w = self._shape
        page = self._images[shown.start : shown.stop]
        tiles = mosaic(page, self.columns, self._pad, self._caption)
        low = self._levels[0]
        self.image.setImage(np.nan_to_num(tiles, nan=low), autoLevels=False, levels=self._levels)
        self.image.setRect(QRectF(0, 0, tiles.shape[1], tiles.shape[0]))
        for text in self._texts:
            self.plot_item.removeItem(text)
        self._texts = []
        for k in range(len(shown)):
            r, c = divmod(k, self.columns)
            text = pg.TextItem("", anchor=(0.5, 0.0))
            text.setPos(self._pad + c * self._cell[1] + w / 2, self._pad + r * self._cell[0] + h)
            self.plot_item.addItem(text)
            self._texts.append(text)
        self._caption_all()
        self._set_export()
        self.frame.setData([], [])
        if self._selected in shown:
            self._draw_frame()
        total, (height, width) = len(self._true), tiles.shape
        if total > self.count:
            self.page_note.setText(f"#{shown.start}–{shown.stop - 1} of {total:,}")
            self.page_note.setPos(width, height)
            height += self._caption + self._pad
        else:
            self.page_note.setText("")
        self.plot_item.setRange(QRectF(0, 0, width, height), padding=0.02)

    def _caption_all(self) -> None:
        names, muted = self._class_names, theme().palette.muted
        good, bad = self._caption_color(True), self._caption_color(False)
        for k, text in zip(self.shown_range(), self._texts, strict=False):
            true, pred = self._true[k], self._predicted[k]
            if pred < 0:  # muted until predictions arrive
                text.setText(names[true], color=muted)
            elif pred == true:
                text.setText(names[pred], color=good)
            else:
                text.setText(f"{names[pred]} ({names[true]})", color=bad)

    def _draw_frame(self) -> None:
        k = self._selected - self._start
        r, c = divmod(k, self.columns)
        h, w = self._shape
        half = self._pad / 2
        left, top = c * self._cell[1] + half, r * self._cell[0] + half
        right, bottom = left + w + self._pad, top + h + self._pad  # the image, not its caption
        self.frame.setData([left, right, right, left, left], [top, top, bottom, bottom, top])

    def _set_export(self) -> None:
        # The CSV export lists the shown samples' true and predicted classes, not the pixels.
        shown = self.shown_range()
        self.image.export_matrix = np.stack(
            [self._true[shown.start : shown.stop], self._predicted[shown.start : shown.stop]],
            axis=1,
        )
        self.image.export_axes = (
            ["true class", "predicted class (-1: none yet)"],
            np.arange(shown.start, shown.stop),
            "",
            "validation sample",
        )

    def _on_scene_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or not self._texts:
            return
        point = self.plot_item.vb.mapSceneToView(event.scenePos())
        col = int((point.x() - self._pad) // self._cell[1])
        row = int((point.y() - self._pad) // self._cell[0])
        index = row * self.columns + col
        if 0 <= col < self.columns and row >= 0 and index < len(self._texts):
            self.sigSampleClicked.emit(self._start + index)
