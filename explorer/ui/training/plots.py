"""Live training curves: loss per step (raw + smoothed) with validation loss; the figures
the CLI exports. The accuracy plot is in :mod:`explorer.ui.training.accuracy_plot`, what the
plots share in :mod:`explorer.ui.training.curve_style`."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from explorer.ui.plots.caching import cache_axes
from explorer.ui.theme import theme
from explorer.ui.training.accuracy_plot import AccuracyPlot
from explorer.ui.training.curve_style import (
    FOLLOW_PADDING,
    LIVE_X_HEADROOM,
    LIVE_Y_MARGIN,
    MAX_EPOCH_MARKS,
    CurveData,
    add_legend,
    mark_epochs,
    rebuild_legend,
    style_plot,
)
from explorer.ui.training.paint_meter import TimedPaint
from explorer.ui.training.palette import color
from explorer.ui.training.series import GrowingSeries

RAW_ALPHA = 35  # the raw loss is a faint band behind its smoothed line, as in TensorBoard

__all__ = ["AccuracyPlot", "CurveData", "LossCurvePlot", "MAX_EPOCH_MARKS", "make_history_figures"]


class LossCurvePlot(TimedPaint, pg.PlotWidget):
    """Training loss per step, smoothed by a debiased EMA over the faint raw line.

    Validation loss per epoch is drawn as markers at the step that ended the epoch. Other
    runs can be overlaid (smoothed line only) with a legend. Points arrive through
    :meth:`append_steps`; nothing is redrawn until :meth:`refresh`, which the tab calls from
    its display timer, so the paint rate is independent of the training rate.
    """

    def __init__(self, parent=None):
        super().__init__(parent, background=theme().palette.background)
        self.plot_item = self.getPlotItem()
        style_plot(self.plot_item, "Loss", "loss", "step")
        self.legend = add_legend(self.plot_item, offset=(-10, 10))
        self._series = GrowingSeries(smoothing=0.6)
        self._validation = GrowingSeries(capacity=64)  # one point per epoch, appended
        self._dirty = False
        self._name = "current run"
        self._color_index = 0
        self.raw_curve = self._make_curve(pg.mkPen("k"))
        self.smooth_curve = self._make_curve(pg.mkPen("k"))
        self.val_curve = self.plot_item.plot([], [], symbol="o", symbolSize=7)
        self.val_curve.opts["name"] = "validation loss"  # CSV column (the legend is rebuilt)
        self.raw_curve.setZValue(-1)  # behind every smoothed line
        self._set_pens()
        self._overlays: list[pg.PlotDataItem] = []
        self._overlay_data: list[CurveData] = []
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.setZValue(20)
        self.cursor.hide()
        self.cursor.csv_exclude = True
        self.plot_item.addItem(self.cursor, ignoreBounds=True)
        self.readout = pg.TextItem("", anchor=(0, 0))
        self.readout.setZValue(30)
        self.readout.hide()
        self.readout.csv_exclude = True
        self.plot_item.addItem(self.readout, ignoreBounds=True)
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        # The view follows the current run (other runs may span far more steps or spike far
        # higher) until the user pans or zooms; pyqtgraph's "A" button then fits every run.
        self._follow = True
        self._live_range: tuple[tuple[float, float], tuple[float, float]] | None = None
        self.plot_item.vb.sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        self.plot_item.autoBtn.clicked.connect(self._on_view_range_changed_manually)
        self._set_item_names()
        self._update_legend()
        cache_axes(self.plot_item)
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        self._set_pens()
        for item, data in zip(self._overlays, self._overlay_data, strict=True):
            item.setPen(pg.mkPen(color(data.color_index), width=2))
        self.cursor.setPen(pg.mkPen((*palette.text, 70)))
        self.readout.setColor(palette.text)
        self.readout.fill = pg.mkBrush((*palette.background, 210))
        self.readout.update()

    def _make_curve(self, pen) -> pg.PlotDataItem:
        curve = self.plot_item.plot([], [], pen=pen)
        # Peak downsampling keeps spikes visible; clipping skips points outside the view.
        curve.setDownsampling(auto=True, method="peak")
        curve.opts["autoDownsampleFactor"] = 1.0  # one min/max pair per pixel column
        curve.setClipToView(True)
        curve.setSkipFiniteCheck(True)
        return curve

    # -- data -----------------------------------------------------------------------------
    @property
    def smoothing(self) -> float:
        return self._series.smoothing

    def set_smoothing(self, weight: float) -> None:
        self._series.set_smoothing(weight)
        for item, data in zip(self._overlays, self._overlay_data, strict=True):
            item.setData(data.steps, _smooth(data.losses, weight))
        self._dirty = True
        self.refresh()

    def set_log_y(self, on: bool) -> None:
        self.plot_item.setLogMode(y=bool(on))
        if self._follow:
            self._fit_current_run()

    def is_log_y(self) -> bool:
        return bool(self.plot_item.ctrl.logYCheck.isChecked())

    def set_run_name(self, name: str) -> None:
        if name != self._name:
            self._name = name
            self._set_item_names()
            self._update_legend()

    def set_run_color(self, index: int) -> None:
        """Draw the current run in the ``index``-th palette color (the run's own)."""
        if index != self._color_index:
            self._color_index = int(index)
            self._set_pens()

    def run_color(self) -> tuple[int, int, int]:
        return color(self._color_index)

    def _set_pens(self) -> None:
        base = color(self._color_index)
        self.raw_curve.setPen(pg.mkPen((*base, RAW_ALPHA), width=1))
        self.smooth_curve.setPen(pg.mkPen(base, width=2))
        self.val_curve.setPen(pg.mkPen(base, width=1, style=Qt.PenStyle.DashLine))
        self.val_curve.setSymbolBrush(pg.mkBrush(theme().palette.background))
        self.val_curve.setSymbolPen(pg.mkPen(base, width=2))

    def _set_item_names(self) -> None:
        # Column names of the CSV export.
        self.raw_curve.opts["name"] = f"{self._name} (raw)"
        self.smooth_curve.opts["name"] = f"{self._name} (smoothed)"

    def clear_run(self) -> None:
        self.hide_readout()  # it spoke of the run that was here
        self._series.clear()
        self._validation.clear()
        self._dirty = True
        self.follow_current_run()
        self.refresh()

    # -- view range -----------------------------------------------------------------------
    def follow_current_run(self) -> None:
        """Let the view follow the current run again (a new run, a run shown)."""
        self._follow = True
        self._fit_current_run()

    def is_following(self) -> bool:
        return self._follow

    def _on_view_range_changed_manually(self, *_args) -> None:
        self._follow = False

    def current_run_range(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """``((x0, x1), (y0, y1))`` of the current run in view coordinates, None if empty.

        y spans the smoothed curve and the validation points, not the raw line's spikes
        (TensorBoard's "ignore outliers"); with smoothing 0 the smoothed curve is the raw one.
        """
        series = self._series
        val = self._validation
        if len(series) == 0 and not len(val):
            return None
        xs = np.concatenate([series.x, val.x])
        ys = np.concatenate([series.smoothed, val.y])
        if self.is_log_y():
            ys = np.log10(ys[ys > 0])
        ys = ys[np.isfinite(ys)]
        if not ys.size:
            return None
        x0, x1 = float(xs.min()), float(xs.max())
        y0, y1 = float(ys.min()), float(ys.max())
        if x1 <= x0:
            x0, x1 = x0 - 1, x1 + 1
        if y1 <= y0:
            y0, y1 = y0 - 0.5, y1 + 0.5
        return (x0, x1), (y0, y1)

    def _fit_current_run(self, live: bool = False) -> None:
        """Fit the view to the current run; ``live``: keep the view while the run fits in it,
        else move it with room to grow (see :data:`LIVE_X_HEADROOM`)."""
        fit = self.current_run_range()
        vb = self.plot_item.vb
        held, self._live_range = self._live_range, None
        if fit is None:
            vb.enableAutoRange()  # nothing of its own yet: show the other runs
            return
        (x0, x1), (y0, y1) = fit
        if live:
            if held is not None and _holds(held, fit):
                self._live_range = held
                return
            x1 = x0 + (x1 - x0) * (1.0 + LIVE_X_HEADROOM)
            margin = (y1 - y0) * LIVE_Y_MARGIN
            # a loss is rarely negative: keep the room below a non-negative run above zero
            y0 = y0 - margin if self.is_log_y() or y0 < 0 else max(0.0, y0 - margin)
            self._live_range = ((x0, x1), (y0, y1))
        vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=FOLLOW_PADDING)
        # Apply the range now rather than at the next paint: the clip-to-view, downsampled
        # curves would only learn it there, re-prepare and ask for a second paint (~4 ms).
        vb.updateMatrix()

    def append_steps(self, steps, losses) -> None:
        self._series.extend(steps, losses)
        self._dirty = True

    def set_validation(self, steps, losses) -> None:
        self._validation.clear()
        self._validation.extend(steps, losses)
        self._dirty = True

    def append_validation(self, step: float, loss: float) -> None:
        """One more epoch's validation loss (a live run: no copy of the earlier ones)."""
        self._validation.extend([step], [loss])
        self._dirty = True

    def set_run(self, steps, losses, val_steps, val_losses) -> None:
        """Replace the current run's curves at once (restoring a session, switching runs)."""
        self.hide_readout()
        self._series.clear()
        self._series.extend(steps, losses)
        self.set_validation(val_steps, val_losses)
        self._follow = True
        self.refresh()
        self._fit_current_run()

    def set_overlays(self, runs: list[CurveData]) -> None:
        """Show other runs' smoothed losses in their own colors, named in the legend."""
        for item in self._overlays:
            self.plot_item.removeItem(item)
        self._overlays = []
        self._overlay_data = list(runs)
        for run in runs:
            item = self._make_curve(pg.mkPen(color(run.color_index), width=2))
            item.setData(run.steps, _smooth(run.losses, self.smoothing))
            item.opts["name"] = f"{run.name} (smoothed)"
            self._overlays.append(item)
        self._update_legend()
        if self._follow:
            self._fit_current_run()

    def _update_legend(self) -> None:
        entries = [(self.smooth_curve, self._name), (self.val_curve, "validation")]
        names = [run.name for run in self._overlay_data]
        rebuild_legend(self.legend, entries + list(zip(self._overlays, names, strict=True)))

    def overlay_names(self) -> list[str]:
        return [run.name for run in self._overlay_data]

    @property
    def dirty(self) -> bool:
        """Whether points arrived that :meth:`refresh` has not drawn yet."""
        return self._dirty

    def refresh(self, live: bool = False) -> None:
        """Push buffered points to the curves; cheap when nothing changed. ``live`` (while
        a run trains): the followed view keeps room to grow instead of fitting exactly."""
        if not self._dirty:
            return
        self._dirty = False
        series = self._series
        self.raw_curve.setData(series.x, series.y)
        self.smooth_curve.setData(series.x, series.smoothed)
        val = self._validation
        mark_epochs(self.val_curve, len(val))
        self.val_curve.setData(val.x, val.y)
        if self._follow:
            self._fit_current_run(live=live)

    # -- hover read-out -------------------------------------------------------------------
    def readout_text(self, x: float) -> str:
        """What the hover read-out says at step ``x`` ('' when there is no data there)."""
        series = self._series
        if len(series) == 0:
            return ""
        i = int(np.clip(np.searchsorted(series.x, x), 0, len(series) - 1))
        if i > 0 and abs(series.x[i - 1] - x) < abs(series.x[i] - x):
            i -= 1
        text = (
            f"step {series.x[i]:.0f}   loss {series.y[i]:.4g}   smoothed {series.smoothed[i]:.4g}"
        )
        val = self._validation
        if len(val):
            j = int(np.argmin(np.abs(val.x - series.x[i])))
            text += f"\nvalidation {val.y[j]:.4g} (epoch {j + 1})"
        return text

    def hide_readout(self) -> None:
        self.cursor.hide()
        self.readout.hide()

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # No move event follows the pointer out of the widget: the read-out would stay.
        self.hide_readout()
        super().leaveEvent(event)

    def _on_scene_mouse_moved(self, pos) -> None:
        vb = self.plot_item.vb
        if not self.plot_item.sceneBoundingRect().contains(pos):
            self.hide_readout()
            return
        point = vb.mapSceneToView(pos)
        text = self.readout_text(point.x())
        if not text:
            return
        self.cursor.setPos(point.x())
        self.cursor.show()
        self.readout.setText(text)
        (x0, x1), (y0, y1) = vb.viewRange()
        self.readout.setPos(x0 + 0.02 * (x1 - x0), y1 - 0.02 * (y1 - y0))
        self.readout.show()


def _holds(held, fit) -> bool:
    """Whether the view range ``held`` still shows ``fit`` whole and not lost in empty space."""
    (hx0, hx1), (hy0, hy1) = held
    (x0, x1), (y0, y1) = fit
    inside = hx0 <= x0 and x1 <= hx1 and hy0 <= y0 and y1 <= hy1
    return inside and (y1 - y0) >= 0.5 * (hy1 - hy0) and (x1 - x0) >= 0.5 * (hx1 - hx0)


def _smooth(values: np.ndarray, weight: float) -> np.ndarray:
    series = GrowingSeries(capacity=max(1, len(values)), smoothing=weight)
    series.extend(np.arange(len(values)), values)
    return series.smoothed.copy()


def make_history_figures(
    history, name: str = "training", size=(800, 500)
) -> dict[str, pg.PlotItem]:
    """The tab's loss and accuracy figures for a finished :class:`~explorer.training.History`.

    For the headless CLI: needs a ``QApplication`` (the offscreen platform is fine). Returns
    ``{"loss": PlotItem, "accuracy": PlotItem}`` ready for pyqtgraph's exporters; each item
    keeps its (never shown) widget alive through ``item.owner_widget``.
    """
    loss = LossCurvePlot()
    loss.set_run(
        history.step_numbers(),
        history.step_losses(),
        history.epoch_column("step"),
        history.epoch_column("val_loss"),
    )
    loss.set_run_name(name)
    accuracy = AccuracyPlot()
    accuracy.set_run(
        history.epoch_column("epoch"),
        history.epoch_column("val_accuracy"),
        history.epoch_column("train_accuracy"),
    )
    accuracy.set_run_name(name)
    figures = {}
    for key, widget in (("loss", loss), ("accuracy", accuracy)):
        widget.resize(*size)
        widget.plot_item.owner_widget = widget
        figures[key] = widget.plot_item
    return figures
