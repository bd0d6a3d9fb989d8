"""Live training curves: loss per step (raw + smoothed) with validation loss; the figures
the CLI exports. The accuracy plot is in :mod:`explorer.ui.training.accuracy_plot`, what the
plots share in :mod:`explorer.ui.training.curve_style`, the loss view's rule (what it fits,
when it offers log y, which runs lie outside) in :mod:`explorer.ui.training.loss_view`."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal

from explorer.ui.plots.caching import cache_axes
from explorer.ui.plots.legend import legend_outside
from explorer.ui.theme import theme
from explorer.ui.training.accuracy_plot import AccuracyPlot
from explorer.ui.training.curve_style import (
    FOLLOW_PADDING,
    LIVE_X_HEADROOM,
    LIVE_Y_MARGIN,
    MAX_EPOCH_MARKS,
    CurveData,
    mark_epochs,
    rebuild_legend,
    repaint_samples,
    set_symbol_style,
    style_plot,
)
from explorer.ui.training.hidden_runs import Curve, HiddenRunMarks
from explorer.ui.training.loss_view import (
    EDGE_NOTES,
    LOG_OFFER_RATIO,
    Bounds,
    curve_bounds,
    fit,
    spread,
)
from explorer.ui.training.paint_meter import TimedPaint
from explorer.ui.training.palette import color
from explorer.ui.training.series import GrowingSeries

RAW_ALPHA = 35  # the raw loss is a faint band behind its smoothed line, as in TensorBoard
# The validation line is drawn over the training lines, dashed, in a halo of the background:
# it lies on the training line most of a run and must stay visible there.
VALIDATION_WIDTH = 2
VALIDATION_HALO = 6
VALIDATION_DASHES = [3.0, 2.0]  # in pen widths: 6 px drawn, 4 px of halo between
# A hidden run's name longer than this is shown in the legend by its number ("#3"): the runs
# list beside the plot names it whole, in the same colour; the current run's, past the second.
MAX_LEGEND_NAME = 16
MAX_CURRENT_NAME = 32

__all__ = ["AccuracyPlot", "CurveData", "LossCurvePlot", "MAX_EPOCH_MARKS", "make_history_figures"]


class LossCurvePlot(TimedPaint, pg.PlotWidget):
    """Training loss per step, smoothed by a debiased EMA over the faint raw line.

    Validation loss per epoch is a dashed line through the steps that ended the epochs (with
    a mark on each while there are few), drawn over the training lines in a halo of the
    background so that it stays visible where it meets them; both are named in a legend
    above the data. Other runs can be overlaid (smoothed line only, in
    their colours of the runs list). Points
    arrive through :meth:`append_steps`; nothing is redrawn until :meth:`refresh`, which the
    tab calls from its display timer, so the paint rate is independent of the training rate.

    The view fits every run drawn until the user pans or zooms (pyqtgraph's "A" button fits
    them again); ``sigLogOffer(ratio)`` says how far apart the runs' losses are when log y
    would show them better (0: it would not); a run outside a panned view is marked at the
    edge and in the legend (see :mod:`explorer.ui.training.loss_view`).
    """

    sigLogOffer = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent, background=theme().palette.background)
        self.plot_item = self.getPlotItem()
        style_plot(self.plot_item, "Loss", "loss", "step")
        self.legend = legend_outside(self.plot_item, columns=5)
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
        self.val_curve.setZValue(1)  # over them all
        self._set_pens()
        self._overlays: list[pg.PlotDataItem] = []
        self._overlay_data: list[CurveData] = []
        self._overlay_bounds: list[Bounds] = []
        self._log_offer = 0.0
        # Keys: -1 the current run, i the i-th overlay.
        self._marks = HiddenRunMarks(self.plot_item)
        self.edge_marks = self._marks.item
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
        # The view follows the runs (fitting every one drawn) until the user pans or zooms;
        # pyqtgraph's "A" button then fits them and follows again.
        self._follow = True
        self._live_range: tuple[tuple[float, float], tuple[float, float]] | None = None
        self.plot_item.vb.sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        self.plot_item.vb.sigRangeChanged.connect(self._on_view_range_changed)
        self.plot_item.autoBtn.clicked.connect(self._on_auto_button_clicked)
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
        self._marks.hidden = {}  # redrawn in the new colours
        self._mark_hidden_runs()

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
        self._measure_overlays()
        self._dirty = True
        self.refresh()

    def set_log_y(self, on: bool) -> None:
        self.plot_item.setLogMode(y=bool(on))
        if self._follow:
            self._fit()
        self._mark_hidden_runs()

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
            repaint_samples(self.legend)

    def run_color(self) -> tuple[int, int, int]:
        return color(self._color_index)

    def _set_pens(self) -> None:
        base = color(self._color_index)
        self.raw_curve.setPen(pg.mkPen((*base, RAW_ALPHA), width=1))
        self.smooth_curve.setPen(pg.mkPen(base, width=2))
        dashes = pg.mkPen(base, width=VALIDATION_WIDTH, dash=VALIDATION_DASHES)
        dashes.setCapStyle(Qt.PenCapStyle.FlatCap)  # a square cap would close the gaps
        self.val_curve.setPen(dashes)
        self.val_curve.setShadowPen(pg.mkPen(theme().palette.background, width=VALIDATION_HALO))
        set_symbol_style(
            self.val_curve, pg.mkPen(base, width=2), pg.mkBrush(theme().palette.background)
        )

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
        """Let the view follow the runs again (a new run, a run shown): fit every one."""
        self._follow = True
        self._fit()

    def is_following(self) -> bool:
        return self._follow

    def _on_view_range_changed_manually(self, *_args) -> None:
        self._follow = False
        self._mark_hidden_runs()

    def _on_auto_button_clicked(self) -> None:
        self.follow_current_run()

    def current_run_range(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """``((x0, x1), (y0, y1))`` of the current run in view coordinates, None if empty.

        y spans the smoothed curve and the validation points, not the raw line's spikes
        (TensorBoard's "ignore outliers"); with smoothing 0 the smoothed curve is the raw one.
        """
        bounds = self._current_bounds()
        return None if bounds is None else fit([bounds], self.is_log_y())

    def fit_range(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """What the followed view fits: the current run and every overlaid run, as
        :meth:`current_run_range` measures each; None when nothing is drawn."""
        return fit(self._all_bounds(self._current_bounds()), self.is_log_y())

    def _all_bounds(self, current: Bounds | None) -> list[Bounds]:
        return ([] if current is None else [current]) + self._overlay_bounds

    def _current_bounds(self) -> Bounds | None:
        series, val = self._series, self._validation
        if len(series) == 0 and not len(val):
            return None
        return curve_bounds(
            np.concatenate([series.x, val.x]), np.concatenate([series.smoothed, val.y])
        )

    def _measure_overlays(self) -> None:
        # Their smoothed curves as drawn, and their validation points.
        self._overlay_bounds = []
        for item, data in zip(self._overlays, self._overlay_data, strict=True):
            xs, ys = item.getOriginalDataset()
            if xs is not None:
                bounds = curve_bounds(np.r_[xs, data.val_steps], np.r_[ys, data.val_losses])
                if bounds is not None:
                    self._overlay_bounds.append(bounds)

    def _fit(self, live: bool = False, current: Bounds | None = None) -> None:
        """Fit the view to every run drawn (``current``: the current run's bounds, if
        measured already); ``live``: keep the view while they fit in it, else move it with
        room for the current run to grow (see :data:`LIVE_X_HEADROOM`)."""
        log = self.is_log_y()
        if current is None:
            current = self._current_bounds()
        whole = fit(self._all_bounds(current), log)
        vb = self.plot_item.vb
        held, self._live_range = self._live_range, None
        if whole is None:
            vb.enableAutoRange()
            return
        (x0, x1), (y0, y1) = whole
        if live:
            if held is not None and _holds(held, whole):
                self._live_range = held
                return
            if current is not None:
                x1 = max(x1, current.x0 + (current.x1 - current.x0) * (1.0 + LIVE_X_HEADROOM))
            margin = (y1 - y0) * LIVE_Y_MARGIN
            # a loss is rarely negative: keep the room below a non-negative run above zero
            y0 = y0 - margin if log or y0 < 0 else max(0.0, y0 - margin)
            self._live_range = ((x0, x1), (y0, y1))
        vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=FOLLOW_PADDING)
        # Apply the range now rather than at the next paint: the clip-to-view, downsampled
        # curves would only learn it there, re-prepare and ask for a second paint (~4 ms).
        vb.updateMatrix()

    def _update_log_offer(self, current: Bounds | None) -> None:
        ratio = spread(self._all_bounds(current))
        offer = ratio if ratio >= LOG_OFFER_RATIO else 0.0
        if offer != self._log_offer:
            self._log_offer = offer
            self.sigLogOffer.emit(offer)

    def log_offer(self) -> float:
        """How many times the drawn runs' highest losses differ, when that calls for log y
        (at least :data:`LOG_OFFER_RATIO`); 0 otherwise."""
        return self._log_offer

    # -- runs outside the view ------------------------------------------------------------
    def _on_view_range_changed(self, *_args) -> None:
        if not self._follow or self._marks.hidden:
            self._mark_hidden_runs()

    def hidden_runs(self) -> dict[str, str]:
        """The drawn runs none of which the view shows: name -> where ("above", ...)."""
        names = [self._name, *(data.name for data in self._overlay_data)]
        return {names[key + 1]: where for key, where in self._marks.hidden.items()}

    def _mark_hidden_runs(self) -> None:
        """Mark each run the view does not show at the edge it lies beyond and in the legend
        (a followed view shows every run: nothing to mark)."""
        curves = []
        if not self._follow:
            series = self._series
            curves.append(Curve(-1, series.x, series.smoothed, self._color_index))
            for key, (item, data) in enumerate(
                zip(self._overlays, self._overlay_data, strict=True)
            ):
                curves.append(Curve(key, *item.getOriginalDataset(), data.color_index))
        if self._marks.update(curves, self.is_log_y()):
            self._update_legend()

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
        self._fit()

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
        self._measure_overlays()
        self._marks.hidden = {}
        self._update_legend()
        current = self._current_bounds()
        self._update_log_offer(current)
        if self._follow:
            self._fit(current=current)
        self._mark_hidden_runs()

    def _update_legend(self) -> None:
        """The current run and its validation marks; the other ticked runs are named by the
        runs list beside the plot, in the same colours (seven names here would take the data's
        room), except a run the view does not show: the legend says where it lies."""
        hidden = self._marks.hidden
        current = legend_label(self._name, MAX_CURRENT_NAME)
        where = hidden.get(-1)
        entries = [
            (self.smooth_curve, f"{current} ({EDGE_NOTES[where]})" if where else current),
            (self.val_curve, "validation"),
        ]
        for key, (item, data) in enumerate(zip(self._overlays, self._overlay_data, strict=True)):
            if key in hidden:
                label = f"{legend_label(data.name)} ({EDGE_NOTES[hidden[key]]})"
                entries.append((item, label))
        rebuild_legend(self.legend, entries)

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
            if not live and self._live_range is not None and self._follow:
                self._fit()  # the run ended: the room kept for it to grow goes
            return
        self._dirty = False
        series = self._series
        self.raw_curve.setData(series.x, series.y)
        self.smooth_curve.setData(series.x, series.smoothed)
        val = self._validation
        mark_epochs(self.val_curve, len(val))
        self.val_curve.setData(val.x, val.y)
        current = self._current_bounds()
        self._update_log_offer(current)
        if self._follow:
            self._fit(live=live, current=current)
        else:
            self._mark_hidden_runs()

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


def legend_label(name: str, limit: int = MAX_LEGEND_NAME) -> str:
    """``name`` as the legend shows it: whole up to ``limit`` characters, else its run number
    ("#3 standardize off" -> "#3"), else cut with an ellipsis."""
    if len(name) <= limit:
        return name
    number = name.split(" ", 1)[0]
    if number.startswith("#") and number[1:].isdigit():
        return number
    return name[: limit - 1] + "…"


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
