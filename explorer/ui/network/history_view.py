"""How each layer's weights and gradients moved over a run, as TensorBoard shows them.

For the chosen Linear layer, the distribution of its weights over the steps as a heatmap
(x = step, y = value, colour = the share of the step's largest bin) with the latest
histogram beside it, and the same for its gradients. Below, for every layer, the gradient
norm and the update-to-weight ratio ``‖ΔW‖ / ‖W‖`` on log scales (the ratio with its ~1e-3
rule of thumb and a band of a decade either side), and, for ReLU networks, the share of dead
units. Everything is read from a :class:`~explorer.inspect.layer_history.LayerHistory`.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from explorer.inspect.layer_history import UPDATE_RATIO_BAND, UPDATE_RATIO_TARGET, LayerHistory
from explorer.ui.network.paint_clock import PAINT_CLOCK
from explorer.ui.network.tiles import colorize, diverging_lut
from explorer.ui.plots.caching import cache_axes
from explorer.ui.plots.legend import legend_outside
from explorer.ui.plots.minimum import ContentMinimum
from explorer.ui.plots.spaced_axis import SpacedAxisItem
from explorer.ui.theme import set_title, style_plot, theme

TICK_ROOM = "-0.0005"  # the widest tick label the left axes keep room for
IMAGE_BINS = 64  # value bins of a heatmap
PLOT_MIN_HEIGHT = 56  # pixels at 100 % a plot's data area keeps, at least
IMAGE_COLUMNS = 400  # steps of a heatmap, at most (records are resampled onto them)
KIND_TITLES = {"weight": "weights", "grad": "gradients"}


class LogAxisItem(SpacedAxisItem):
    """A log axis that labels only 1, 2 and 5 times a power of ten (pyqtgraph labels every
    minor tick of a short range, and they overlap)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph API)
        if not self.logMode:
            return super().tickStrings(values, scale, spacing)
        strings = []
        for value in values:
            number = 10.0**value
            mantissa = number / 10.0 ** math.floor(math.log10(number))
            keep = any(abs(mantissa - m) < 1e-6 for m in (1.0, 2.0, 5.0))
            strings.append(f"{number:g}" if keep else "")
        return strings


def _plot(title: str, left: str, bottom: str, log: bool = False) -> pg.PlotItem:
    # Short plots side by side: steps like "1000" and "1500" need fewer ticks than pyqtgraph's.
    axes = {"left": LogAxisItem("left") if log else SpacedAxisItem("left")}
    plot = pg.PlotItem(axisItems={**axes, "bottom": SpacedAxisItem("bottom")})
    plot.setLabel("left", left)
    plot.setLabel("bottom", bottom)
    plot.hideButtons()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.disableAutoRange()  # framed when drawn: ranges that follow the data repaint it often
    view = plot.vb
    # Never a sliver: a window too small for the plots scrolls instead.
    theme().watch(plot, lambda: view.setMinimumHeight(theme().px(PLOT_MIN_HEIGHT)))

    set_title(plot, title)
    return plot


def resample_columns(steps: np.ndarray, image: np.ndarray, count: int):
    """``(column steps, image (count, bins))``: the record at or before each of ``count``
    evenly spaced steps from the first record to the last (records are denser early on: a
    history thins old ones as it grows)."""
    if len(steps) <= 1:
        return steps.astype(float), image
    columns = np.linspace(float(steps[0]), float(steps[-1]), min(count, len(steps)))
    index = np.clip(np.searchsorted(steps, columns, side="right") - 1, 0, len(steps) - 1)
    return columns, image[index]


class HistoryView(ContentMinimum, pg.GraphicsLayoutWidget):
    """The recorded history of one run (objectName ``historyView``)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("historyView")
        self.history: LayerHistory | None = None
        self.layer = 0
        self.heatmaps: dict[str, pg.PlotItem] = {}
        self.images: dict[str, pg.ImageItem] = {}
        self.now_plots: dict[str, pg.PlotItem] = {}
        self.now_curves: dict[str, pg.PlotDataItem] = {}
        for row, kind in enumerate(("weight", "grad")):
            heatmap = _plot(KIND_TITLES[kind], "value", "step")
            image = pg.ImageItem(axisOrder="row-major")
            heatmap.addItem(image)
            now = _plot("latest", "", "count")
            now.hideAxis("left")
            now.setYLink(heatmap)
            curve = pg.PlotDataItem(name=f"{kind} count")
            now.addItem(curve)
            self.addItem(heatmap, row=row, col=0)
            self.addItem(now, row=row, col=1)
            self.heatmaps[kind], self.images[kind] = heatmap, image
            self.now_plots[kind], self.now_curves[kind] = now, curve
        self.ci.layout.setColumnStretchFactor(0, 4)
        self.ci.layout.setColumnStretchFactor(1, 1)
        bottom = self.addLayout(row=2, col=0, colspan=2)
        self.norm_plot = _plot("gradient norm ‖∇W‖", "", "step", log=True)
        self.ratio_plot = _plot("update ratio ‖ΔW‖/‖W‖", "", "step", log=True)
        self.dead_plot = _plot("dead units", "share", "step")
        for plot in (self.norm_plot, self.ratio_plot):
            plot.setLogMode(y=True)
        for column, plot in enumerate((self.norm_plot, self.ratio_plot, self.dead_plot)):
            legend_outside(plot, columns=3)
            bottom.addItem(plot, row=0, col=column)
        low, high = (math.log10(v) for v in UPDATE_RATIO_BAND)
        self.band = pg.LinearRegionItem((low, high), orientation="horizontal", movable=False)
        self.band.csv_exclude = True
        self.band.setZValue(-10)
        self.ratio_plot.addItem(self.band, ignoreBounds=True)
        self.target = pg.InfiniteLine(math.log10(UPDATE_RATIO_TARGET), angle=0)
        self.target.csv_exclude = True
        self.ratio_plot.addItem(self.target, ignoreBounds=True)
        self.norm_curves: list[pg.PlotDataItem] = []
        self.ratio_curves: list[pg.PlotDataItem] = []
        self.dead_curves: list[pg.PlotDataItem] = []
        self._layers: tuple[str, ...] = ()
        self.message = pg.TextItem("", anchor=(0.5, 0.5))
        self.message.csv_exclude = True
        self.heatmaps["weight"].addItem(self.message, ignoreBounds=True)
        for plot in (*self.heatmaps.values(), *self.now_plots.values()):
            cache_axes(plot)
        for plot in (self.norm_plot, self.ratio_plot, self.dead_plot):
            cache_axes(plot)
        self.ci.layout.setRowStretchFactor(0, 3)
        self.ci.layout.setRowStretchFactor(1, 3)
        self.ci.layout.setRowStretchFactor(2, 4)
        theme().watch(self, self._on_theme_changed)
        self.show_history(None)

    # -- plots to export ------------------------------------------------------------------
    def export_items(self) -> dict[str, pg.PlotItem]:
        """The plots with data: per layer's distributions and the norms, ratios, dead units."""
        if self.history is None or not self.history.num_scalars:
            return {}
        name = self._layers[self.layer]
        items = {}
        if self.history.num_distributions:
            items[f"weights-{name}"] = self.heatmaps["weight"]
            items[f"weights-{name}-latest"] = self.now_plots["weight"]
            items[f"gradients-{name}"] = self.heatmaps["grad"]
            items[f"gradients-{name}-latest"] = self.now_plots["grad"]
        items["gradient-norms"] = self.norm_plot
        items["update-ratios"] = self.ratio_plot
        if self.dead_plot.isVisible() and any(c.isVisible() for c in self.dead_curves):
            items["dead-units"] = self.dead_plot
        return items

    # -- drawing --------------------------------------------------------------------------
    def set_layer(self, index: int) -> None:
        """Show the distributions of Linear layer ``index``."""
        if index != self.layer:
            self.layer = index
            self.show_history(self.history)

    def show_history(self, history: LayerHistory | None, part: str | None = None) -> None:
        """Draw ``history`` (None: empty plots and a note); ``part`` draws only the
        ``"distributions"`` (the heatmaps and latest histograms) or the ``"scalars"`` (norms,
        ratios, dead units), so a live run repaints half the view at a time."""
        self.history = history
        if history is None or not history.num_scalars:
            self._clear("No records yet: train a run in the Training tab")
            return
        self.message.hide()
        if history.layers != self._layers:
            self._make_curves(history.layers)
        self.layer = min(self.layer, len(history.layers) - 1)
        if part != "scalars":
            name = history.layers[self.layer]
            for kind in ("weight", "grad"):
                self._draw_distribution(kind, name)
        if part != "distributions":
            self._draw_scalars(history)

    def _draw_scalars(self, history: LayerHistory) -> None:
        steps = history.steps().astype(float)
        x_range = (float(steps[0]), float(max(steps[-1], steps[0] + 1)))
        norms = _positive(history.scalar("grad_norm"))
        for index, curve in enumerate(self.norm_curves):
            curve.setData(steps, norms[:, index])
        ratio = _positive(history.update_ratio())
        for index, curve in enumerate(self.ratio_curves):
            curve.setData(steps, ratio[:, index])
        _frame(self.norm_plot, x_range, _log_range(norms))
        band = np.array(UPDATE_RATIO_BAND)
        _frame(self.ratio_plot, x_range, _log_range(np.concatenate([ratio.ravel(), band])))
        dead = history.dead_share()
        dead_steps = history.distribution_steps().astype(float)
        for index, curve in enumerate(self.dead_curves):
            values = dead[:, index] if len(dead) else np.zeros(0)
            shown = bool(values.size) and bool(np.any(np.isfinite(values)))
            curve.setVisible(shown)
            curve.setData(dead_steps if shown else [], values if shown else [])
        _frame(self.dead_plot, x_range, (0.0, 1.0))

    def _draw_distribution(self, kind: str, name: str) -> None:
        history = self.history
        heatmap, image, curve = self.heatmaps[kind], self.images[kind], self.now_curves[kind]
        title = f"{KIND_TITLES[kind]} of {name}"
        if heatmap.titleLabel.text != title:  # a new title lays the plots out again
            set_title(heatmap, title)
        density = history.density_image(kind, self.layer, IMAGE_BINS)
        if density is None:
            image.hide()
            curve.setData([], [])
            return
        steps, edges, counts = density
        columns, counts = resample_columns(steps, counts, IMAGE_COLUMNS)
        peak = counts.max(axis=1, keepdims=True)
        share = np.divide(counts, peak, out=np.zeros_like(counts), where=peak > 0)
        palette = theme().palette
        color = palette.color(0 if kind == "weight" else 1)
        lut = diverging_lut(color, palette.background, color)
        rgb = colorize(share.T, -0.0, 1.0, lut[len(lut) // 2 :], palette.neutral)
        image.setImage(rgb, autoLevels=False, levels=(0, 255))
        first, last = float(columns[0]), float(columns[-1])
        width = max(last - first, 1.0)
        image.setRect(QRectF(first, edges[0], width, edges[-1] - edges[0]))
        image.export_matrix = share.T
        image.export_axes = (columns, (edges[:-1] + edges[1:]) / 2, "step", "value")
        image.show()
        wanted = ((first, first + width), (float(edges[0]), float(edges[-1])))
        if tuple(map(tuple, heatmap.vb.viewRange())) != wanted:
            heatmap.setRange(xRange=wanted[0], yRange=wanted[1], padding=0)
        latest = history.latest_histogram(kind, self.layer)
        if latest is not None:
            bin_edges, values = latest
            xs = np.repeat(values, 2)
            ys = np.column_stack([bin_edges[:-1], bin_edges[1:]]).ravel()
            curve.setData(xs, ys)
            curve.opts["name"] = f"{name} {KIND_TITLES[kind]} count"
            top = float(values.max()) if values.size else 1.0
            _frame(self.now_plots[kind], (0.0, max(top, 1.0) * 1.05), None)

    def set_layers(self, layers) -> None:
        """Make the curves of these layers now (a new model), not when its first run draws."""
        layers = tuple(layers)
        if layers != self._layers:
            self._make_curves(layers)
            name = layers[min(self.layer, len(layers) - 1)]
            for kind, heatmap in self.heatmaps.items():  # titles lay the plots out: now too
                set_title(heatmap, f"{KIND_TITLES[kind]} of {name}")

    def _make_curves(self, layers: tuple[str, ...]) -> None:
        for plot, curves in (
            (self.norm_plot, self.norm_curves),
            (self.ratio_plot, self.ratio_curves),
            (self.dead_plot, self.dead_curves),
        ):
            for curve in curves:
                plot.removeItem(curve)
                if plot.legend is not None:
                    plot.legend.removeItem(curve)
            curves.clear()
            # A network's output layer has no activation: no dead units to count there.
            names = layers[:-1] if plot is self.dead_plot else layers
            for index, name in enumerate(names):
                curve = pg.PlotDataItem(name=name, connect="finite")
                curve.setPen(pg.mkPen(theme().palette.color(index), width=1.6))
                plot.addItem(curve)
                curves.append(curve)
        self._layers = tuple(layers)

    def _clear(self, note: str) -> None:
        for image in self.images.values():
            image.hide()
        for curve in (*self.now_curves.values(), *self.norm_curves, *self.ratio_curves):
            curve.setData([], [])
        for curve in self.dead_curves:
            curve.setData([], [])
        self.message.setText(note)
        self.message.setColor(theme().palette.muted)
        self.heatmaps["weight"].setRange(QRectF(0, 0, 1, 1), padding=0)
        self.message.setPos(0.5, 0.5)
        self.message.show()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        started = time.thread_time()
        super().paintEvent(event)
        PAINT_CLOCK.add("history", time.thread_time() - started)

    def _on_theme_changed(self) -> None:
        palette = theme().palette
        self.setBackground(palette.background)
        for kind, curve in self.now_curves.items():
            curve.setPen(pg.mkPen(palette.color(0 if kind == "weight" else 1), width=1.4))
        for curves in (self.norm_curves, self.ratio_curves, self.dead_curves):
            for index, curve in enumerate(curves):
                curve.setPen(pg.mkPen(palette.color(index), width=1.6))
        shade = (*palette.good[:3], 40)
        self.band.setBrush(pg.mkBrush(shade))
        for line in self.band.lines:
            line.setPen(pg.mkPen((*palette.good[:3], 90)))
        self.target.setPen(pg.mkPen(palette.good, style=Qt.PenStyle.DashLine))
        for plot in (*self.heatmaps.values(), *self.now_plots.values()):
            style_plot(plot)
        for plot in (self.norm_plot, self.ratio_plot, self.dead_plot):
            style_plot(plot)
        for plot in (*self.heatmaps.values(), self.norm_plot, self.ratio_plot, self.dead_plot):
            _fix_left_axis(plot)
        if self.history is not None:
            self.show_history(self.history)


def _fix_left_axis(plot: pg.PlotItem) -> None:
    """Give the left axis the width of its widest expected label for good: an axis that
    widened as its labels changed would lay the whole view out again, and paint it again,
    mid-run."""
    axis = plot.getAxis("left")
    font = axis.style["tickFont"] or QFont()
    text = QFontMetricsF(font).horizontalAdvance(TICK_ROOM)
    width = text + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"])
    if axis.label.isVisible() and axis.labelText:
        width += axis.label.boundingRect().height() * 0.8
    axis.setWidth(math.ceil(width) + 4)


def _log_range(values: np.ndarray) -> tuple[float, float]:
    """The log10 range of the finite positive ``values``, padded a little."""
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return (-1.0, 1.0)
    low, high = np.log10(values.min()), np.log10(values.max())
    pad = max(0.05 * (high - low), 0.1)
    return (float(low - pad), float(high + pad))


def _frame(plot: pg.PlotItem, x_range, y_range) -> None:
    """Show ``x_range`` and ``y_range`` (None: leave it), unless the view nearly shows them:
    a new range regenerates the axes, the costliest part of a repaint."""
    (x0, x1), (y0, y1) = plot.vb.viewRange()
    wanted_x = x_range if x_range is not None else (x0, x1)
    wanted_y = y_range if y_range is not None else (y0, y1)
    if _close((x0, x1), wanted_x) and _close((y0, y1), wanted_y):
        return
    plot.setRange(xRange=wanted_x, yRange=wanted_y, padding=0)


def _close(shown, wanted) -> bool:
    span = max(wanted[1] - wanted[0], 1e-12)
    return abs(shown[0] - wanted[0]) <= 0.02 * span and abs(shown[1] - wanted[1]) <= 0.02 * span


def _positive(values: np.ndarray) -> np.ndarray:
    """Values for a log axis: zero and below (and non-finite) become NaN, a gap."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(values) & (values > 0), values, np.nan)
