"""The Training tab's accuracy plot: validation (and training) accuracy per epoch."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from explorer.ui.plots.caching import cache_axes
from explorer.ui.plots.index_axis import IndexAxisItem
from explorer.ui.plots.legend import legend_outside
from explorer.ui.theme import theme
from explorer.ui.training.curve_style import (
    FOLLOW_PADDING,
    LIVE_X_HEADROOM,
    CurveData,
    mark_epochs,
    rebuild_legend,
    repaint_samples,
    set_symbol_style,
    style_plot,
)
from explorer.ui.training.paint_meter import TimedPaint
from explorer.ui.training.palette import color


class AccuracyPlot(TimedPaint, pg.PlotWidget):
    """Validation (and training) accuracy per epoch, in percent, with overlaid runs."""

    def __init__(self, parent=None):
        super().__init__(
            parent,
            background=theme().palette.background,
            axisItems={"bottom": IndexAxisItem("bottom")},  # epochs are whole numbers
        )
        self.plot_item = self.getPlotItem()
        style_plot(self.plot_item, "Accuracy", "accuracy (%)", "epoch")
        # Room above 100 so its tick label is drawn; fixed ticks so 100 is always one.
        self.plot_item.setYRange(0, 100, padding=0.05)
        self.plot_item.getAxis("left").setTicks(
            [[(v, str(v)) for v in range(0, 101, 20)], [(v, "") for v in range(10, 100, 20)]]
        )
        self.legend = legend_outside(self.plot_item, columns=2)
        self._color_index = 0
        self.val_curve = self.plot_item.plot([], [], symbol="o", symbolSize=6)
        self.train_curve = self.plot_item.plot([], [])
        self.val_curve.opts["name"] = "validation accuracy (%)"  # CSV columns
        self.train_curve.opts["name"] = "training accuracy (%)"
        self._set_pens()
        self._overlays: list[pg.PlotDataItem] = []
        self._overlay_colors: list[int] = []
        self._live_x: float | None = None  # the epoch the view reaches while a run trains
        self._manual = False  # the user panned or zoomed: the view stays where they put it
        self.plot_item.vb.sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        self.plot_item.autoBtn.clicked.connect(self._on_auto_button_clicked)
        rebuild_legend(
            self.legend, [(self.val_curve, "validation"), (self.train_curve, "training")]
        )
        cache_axes(self.plot_item)
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        self._set_pens()
        for item, index in zip(self._overlays, self._overlay_colors, strict=True):
            item.setPen(pg.mkPen(color(index), width=2))
            item.setSymbolBrush(pg.mkBrush(color(index)))

    def set_run_color(self, index: int) -> None:
        if index != self._color_index:
            self._color_index = int(index)
            self._set_pens()
            repaint_samples(self.legend)

    def _set_pens(self) -> None:
        base = color(self._color_index)
        self.val_curve.setPen(pg.mkPen(base, width=2))
        set_symbol_style(self.val_curve, pg.mkPen(base), pg.mkBrush(base))
        self.train_curve.setPen(pg.mkPen(base, width=1, style=Qt.PenStyle.DashLine))

    def set_run(self, epochs, val_accuracy, train_accuracy=None, live: bool = False) -> None:
        """Show the current run's accuracy per epoch; ``live`` (while it trains): the view
        keeps room for more epochs and moves only when the run outgrows it."""
        epochs = np.asarray(epochs, float)
        if live and epochs.size:
            self._follow_epochs(float(epochs[-1]))
        elif self._live_x is not None:
            self._live_x = None
            if not self._manual:
                self.plot_item.enableAutoRange(x=True)
        mark_epochs(self.val_curve, epochs.size)
        self.val_curve.setData(epochs, 100.0 * np.asarray(val_accuracy, float))
        if train_accuracy is None or len(train_accuracy) == 0:
            self.train_curve.setData([], [])
        else:
            n = len(train_accuracy)
            self.train_curve.setData(
                np.asarray(epochs, float)[:n], 100.0 * np.asarray(train_accuracy, float)
            )

    def _on_view_range_changed_manually(self, *_args) -> None:
        self._manual = True

    def _on_auto_button_clicked(self) -> None:
        self._manual = False

    def _follow_epochs(self, last: float) -> None:
        held = self._live_x
        if self._manual or (held is not None and held / 2 <= last <= held):
            return
        self._live_x = max(2.0, 1.0 + (last - 1.0) * (1.0 + LIVE_X_HEADROOM))
        self.plot_item.setXRange(1.0, self._live_x, padding=FOLLOW_PADDING)

    def set_run_name(self, name: str) -> None:
        # The loss plot's legend names the current run; here the legend says "validation".
        self.val_curve.opts["name"] = f"{name} validation accuracy (%)"
        self.train_curve.opts["name"] = f"{name} training accuracy (%)"

    def set_overlays(self, runs: list[CurveData]) -> None:
        for item in self._overlays:
            self.plot_item.removeItem(item)
        self._overlays = []
        self._overlay_colors = [run.color_index for run in runs]
        for run in runs:
            c = color(run.color_index)
            item = self.plot_item.plot(
                run.epochs,
                100.0 * np.asarray(run.val_accuracy, float),
                pen=pg.mkPen(c, width=2),
                symbol="o",
                symbolSize=5,
                symbolBrush=pg.mkBrush(c),
                symbolPen=None,
            )
            item.opts["name"] = f"{run.name} validation accuracy (%)"
            mark_epochs(item, len(run.epochs))
            self._overlays.append(item)
        # Runs are named in the loss plot's legend, in the same colors; here only line styles.
        rebuild_legend(
            self.legend, [(self.val_curve, "validation"), (self.train_curve, "training")]
        )
