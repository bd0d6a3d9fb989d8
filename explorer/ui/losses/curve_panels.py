"""The Losses tab's four plots: regression losses and slopes, classification CE vs squared error.

Plot items are created once; :meth:`LossCurvePanels.update_regression` and
:meth:`LossCurvePanels.highlight` only call setData / setPen.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from explorer.lossbench.curves import (
    CONFIDENTLY_WRONG_BELOW,
    REGRESSION_LOSSES,
    classification_curves,
    regression_curves,
)
from explorer.ui.plots.caching import cache_as_pixmaps, cache_axes
from explorer.ui.plots.edge_marks import EdgeMarks
from explorer.ui.plots.legend import legend_outside
from explorer.ui.plots.minimum import ContentMinimum
from explorer.ui.theme import set_title, style_plot, theme

#: Each curve's data colour (an index into the theme's series): cross entropy is purple, as
#: in the Distributions tab.
COLORS = {"L1": 0, "MSE": 3, "Huber": 2, "SmoothL1": 1, "CE": 4, "SE": 3}
STYLES = {"SmoothL1": Qt.PenStyle.DashLine}
CURVES_CAPTION = (
    "<b>Dots</b>: the elements of your input and target. <b>Top</b>: loss and slope of one "
    "element against its error x − y: L1's slope is always ±1, MSE's grows with the error, "
    "Huber/SmoothL1 are quadratic inside ±δ/β (dotted: ±δ) and linear outside; an arrow at "
    "an edge stands for a dot beyond the view (hover it for its values). "
    "<b>Bottom</b>: the probability p the model gives the true class (sigmoid or softmax). "
    "Where it is confidently wrong (shaded) squared error's gradient vanishes, so it barely "
    "learns from its worst mistakes; cross entropy's stays near −1."
)
CLASSIFICATION_KINDS = ("CrossEntropy", "NLL", "BCE", "BCEWithLogits")


def curve_color(name: str) -> QColor:
    """The theme's colour of curve ``name`` ("L1", "MSE", ..., "CE", "SE")."""
    return QColor(*theme().palette.color(COLORS[name]))


def _pen(name: str, bold: bool) -> pg.QtGui.QPen:
    return pg.mkPen(
        curve_color(name),
        width=2.8 if bold else 1.5,
        style=STYLES.get(name, Qt.PenStyle.SolidLine),
    )


def _style_plot(plot: pg.PlotItem, title: str, x_label: str, y_label: str) -> None:
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    set_title(plot, title)
    style_plot(plot)
    # no grid: grid lines make every axis repaint with each curve update (see benchmarks)
    plot.setMenuEnabled(False)


def _note_html(text: str) -> str:
    palette = theme().palette
    color = theme().hex(palette.text_color(palette.kl))
    return f"<div style='color:{color};font-size:{theme().pt(8):g}pt'>{text}</div>"


def _move_dots(dots: pg.ScatterPlotItem, x: np.ndarray, y: np.ndarray) -> None:
    """Move the same number of spots in place: their symbols, pens and brushes (and the
    atlas fragments pyqtgraph's setData would rebuild per spot) stay as they are."""
    dots.data["x"] = x
    dots.data["y"] = y
    dots.prepareGeometryChange()
    dots.informViewBoundsChanged()
    dots.bounds = [None, None]
    dots.invalidate()
    dots.sigPlotChanged.emit(dots)


class LossCurvePanels(ContentMinimum, pg.GraphicsLayoutWidget):
    """Four plots in a 2 x 2 grid; ``plots`` maps export names to the PlotItems."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lossCurves")
        self.setBackground(theme().palette.background)
        self.setToolTip(
            "Top: one element's loss and slope vs the prediction (target fixed). "
            "Bottom: a sigmoid output p = σ(z) whose true class is 1: cross entropy keeps "
            "learning when it is confidently wrong, squared error does not."
        )
        self.ci.layout.setSpacing(6)
        self.regression = self.addPlot(row=0, col=0)
        self.regression_slope = self.addPlot(row=0, col=1)
        self.classification = self.addPlot(row=1, col=0)
        self.classification_grad = self.addPlot(row=1, col=1)
        self.plots = {
            "regression-curves": self.regression,
            "regression-derivatives": self.regression_slope,
            "classification-loss": self.classification,
            "classification-gradient": self.classification_grad,
        }
        self._build_regression()
        self._build_classification()
        self._highlighted: str | None = None
        self._drawn_with: dict[str, float | None] = {}
        self._build_sample_dots()
        self._cache_static_items()
        self._dots_color = "CE"
        theme().watch(self, self._on_theme_changed)

    def _on_theme_changed(self) -> None:
        """Curves, regions, notes and dots in the theme's colours (axes and legends follow
        the theme's plot styling)."""
        self._set_pens(self._highlighted)
        knee = pg.mkPen(curve_color("Huber"), width=1, style=Qt.PenStyle.DotLine)
        for line in self.knees:
            line.setPen(knee)
        for region in self.regions:
            region.setBrush(pg.mkBrush(theme().palette.shade))
            region.update()
        self.zero_line.setPen(pg.mkPen(theme().palette.neutral, width=1))
        self.wrong_note.setHtml(_note_html("← SE's gradient ≈ 0"))
        self.wrong_label.setHtml(_note_html("← confidently wrong"))
        for dots in self.sample_dots.values():
            dots.setPen(pg.mkPen(theme().palette.outline, width=1))
        self._set_dots_brush(self._dots_color)

    def _build_regression(self) -> None:
        _style_plot(self.regression, "Loss vs error", "error x − y", "loss")
        _style_plot(
            self.regression_slope,
            "Slope vs error",
            "error x − y",
            "∂loss / ∂x",
        )
        # Legends above the data (legend_outside): on it, they hid the curves near 0.
        self.regression_legend = legend_outside(self.regression, columns=3)
        self.regression_curves: dict[str, pg.PlotDataItem] = {}
        self.slope_curves: dict[str, pg.PlotDataItem] = {}
        for name in REGRESSION_LOSSES:
            self.regression_curves[name] = self.regression.plot(pen=_pen(name, False), name=name)
            self.slope_curves[name] = self.regression_slope.plot(pen=_pen(name, False))
            # Named for the CSV columns only: set after plot() so no legend entry appears.
            self.slope_curves[name].opts["name"] = f"{name} slope"
        self.regression.setXRange(-3, 3, padding=0.02)
        self.regression.setYRange(0, 4.5, padding=0)
        self.regression_slope.setXRange(-3, 3, padding=0.02)
        self.regression_slope.setYRange(-3.3, 3.3, padding=0)
        self.knees = [pg.InfiniteLine(angle=90) for _ in range(2)]
        for line in self.knees:
            line.csv_exclude = True
            self.regression_slope.addItem(line)

    def _build_classification(self) -> None:
        curves = classification_curves()
        p = curves.probability
        _style_plot(
            self.classification,
            "Classification loss",
            "p(true class)",
            "loss",
        )
        _style_plot(
            self.classification_grad,
            "Gradient w.r.t. logit z",
            "p(true class)",
            "∂loss / ∂z",
        )
        self.regions = []
        for plot in (self.classification, self.classification_grad):
            region = pg.LinearRegionItem(
                (0, CONFIDENTLY_WRONG_BELOW), movable=False, pen=pg.mkPen(None)
            )
            region.setZValue(-10)
            plot.addItem(region)
            plot.setXRange(0, 1, padding=0.02)
            self.regions.append(region)
        legend_outside(self.classification, columns=3)
        self.ce_curve = self.classification.plot(
            p, curves.ce, pen=_pen("CE", False), name="CE  −log p"
        )
        self.se_curve = self.classification.plot(
            p, curves.se, pen=_pen("SE", False), name="SE  (1 − p)²"
        )
        self.classification.setYRange(0, 4.0, padding=0)
        legend_outside(self.classification_grad, columns=3)
        self.ce_grad_curve = self.classification_grad.plot(
            p, curves.ce_grad, pen=_pen("CE", False), name="CE: p − 1"
        )
        self.se_grad_curve = self.classification_grad.plot(
            p, curves.se_grad, pen=_pen("SE", False), name="SE: 2(p − 1)p(1 − p)"
        )
        self.classification_grad.setYRange(-1.42, 0.1, padding=0)
        self.zero_line = pg.InfiniteLine(pos=0, angle=0)
        self.classification_grad.addItem(self.zero_line)
        self.zero_line.csv_exclude = True
        self.wrong_note = pg.TextItem(anchor=(0, 0))
        self.wrong_note.setPos(CONFIDENTLY_WRONG_BELOW + 0.01, 0.0)
        self.classification_grad.addItem(self.wrong_note)
        self.wrong_label = pg.TextItem(anchor=(0, 0))
        self.wrong_label.setPos(CONFIDENTLY_WRONG_BELOW + 0.01, 3.95)
        self.classification.addItem(self.wrong_label)

    # -- updates ----------------------------------------------------------------------------
    def update_regression(self, delta: float, beta: float) -> None:
        """Recompute the four regression curves for HuberLoss(delta) and SmoothL1Loss(beta)."""
        parameters = {"L1": None, "MSE": None, "Huber": delta, "SmoothL1": beta}
        # only the curves whose parameter moved are recomputed and redrawn (and re-cached)
        stale = tuple(
            name
            for name in REGRESSION_LOSSES
            if name not in self._drawn_with or self._drawn_with[name] != parameters[name]
        )
        if stale:
            curves = regression_curves(
                delta=max(delta, 1e-6), beta=max(beta, 0.0), points=121, names=stale
            )
            for name in stale:
                self._drawn_with[name] = parameters[name]
                self.regression_curves[name].setData(curves.prediction, curves.loss[name])
                self.slope_curves[name].setData(curves.prediction, curves.derivative[name])
        labels = {"Huber": f"Huber (δ={delta:g})", "SmoothL1": f"SmoothL1 (β={beta:g})"}
        for _sample, label in self.regression_legend.items:
            name = label.text.split(" ")[0]
            if name in labels and label.text != labels[name]:
                label.setText(labels[name])
        self.knees[0].setPos(-delta)
        self.knees[1].setPos(delta)

    def _cache_static_items(self) -> None:
        """Cache curves, regions, notes, legends and axes as pixmaps: moving the dots (every
        edit) then only blits them instead of redrawing paths and text."""
        for plot in self.plots.values():
            cache_axes(plot)
            for item in plot.items:
                if isinstance(item, pg.PlotDataItem):
                    cache_as_pixmaps(item.curve)
                elif isinstance(item, (pg.LinearRegionItem, pg.TextItem)):
                    cache_as_pixmaps(item)

    def _build_sample_dots(self) -> None:
        """One scatter per plot for the current tensors' elements (filled by show_samples)."""
        self.sample_dots: dict[str, pg.ScatterPlotItem] = {}
        self.edge_marks: dict[str, EdgeMarks] = {}
        for name, plot in self.plots.items():
            dots = pg.ScatterPlotItem(size=7)
            dots.setZValue(10)
            plot.addItem(dots)
            # Named for the CSV only: the caption says what the dots are, the legends keep
            # their rows for the curves.
            dots.opts["name"] = "your data"
            self.sample_dots[name] = dots
            # A dot beyond the view (an error past ±3, a loss past the top) is drawn as an
            # arrow at the edge, its values on hover, rather than not at all.
            self.edge_marks[name] = EdgeMarks(
                plot, plot.getAxis("bottom").labelText, plot.getAxis("left").labelText
            )
        self._dots_shown = {name: False for name in self.sample_dots}

    def _set_dots_brush(self, name: str) -> None:
        color = curve_color(name)
        for plot_name, dots in self.sample_dots.items():
            if dots.opts["brush"].color() != color:
                dots.setBrush(pg.mkBrush(color))  # the legend's sample follows too
                self.edge_marks[plot_name].set_color(color)

    def show_samples(self, points, kind: str = "CE") -> None:
        """Put the input/target elements (``SamplePoints`` or None) on their panel's plots,
        in the colour of loss ``kind``'s curve (cross entropy's for a classification loss)."""
        name = kind if kind in COLORS else "CE"
        if name != self._dots_color:
            self._dots_color = name
            self._set_dots_brush(name)
        panel = None if points is None else points.panel
        pairs = {
            "regression": ("regression-curves", "regression-derivatives"),
            "classification": ("classification-loss", "classification-gradient"),
        }
        for kind, (loss_plot, slope_plot) in pairs.items():
            if kind == panel:
                for name, values in ((loss_plot, points.loss), (slope_plot, points.slope)):
                    dots = self.sample_dots[name]
                    # An overflowed element (inf or nan) has no place on the curve.
                    finite = np.isfinite(points.x) & np.isfinite(values)
                    x, y = points.x[finite], values[finite]
                    old_x, old_y = dots.getData()
                    if old_x is not None and len(old_x) == len(x):
                        if not (np.array_equal(old_x, x) and np.array_equal(old_y, y)):
                            _move_dots(dots, x, y)  # unchanged dots: no repaint
                    else:
                        dots.setData(x, y)
                    self.edge_marks[name].set_points(x, y)
                self._dots_shown[loss_plot] = self._dots_shown[slope_plot] = True
            else:
                for name in (loss_plot, slope_plot):
                    if self._dots_shown[name]:  # clearing an empty scatter still repaints
                        self.sample_dots[name].setData([], [])
                        self.edge_marks[name].set_points([], [])
                        self._dots_shown[name] = False

    def highlight(self, kind: str) -> None:
        """Draw the curves of the chosen loss bold (the others stay thin)."""
        if kind == self._highlighted:
            return
        self._highlighted = kind
        self._set_pens(kind)

    def _set_pens(self, kind: str | None) -> None:
        for name in REGRESSION_LOSSES:
            bold = name == kind
            self.regression_curves[name].setPen(_pen(name, bold))
            self.slope_curves[name].setPen(_pen(name, bold))
        bold_ce = kind in CLASSIFICATION_KINDS
        self.ce_curve.setPen(_pen("CE", bold_ce))
        self.ce_grad_curve.setPen(_pen("CE", bold_ce))
        bold_se = kind == "MSE"
        self.se_curve.setPen(_pen("SE", bold_se))
        self.se_grad_curve.setPen(_pen("SE", bold_se))
