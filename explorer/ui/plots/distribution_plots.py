"""The four live plots of the Distributions tab's discrete mode.

Each class owns one ``pg.PlotItem`` (``.plot``) whose items are created in ``__init__``;
``update`` only calls setData/setOpts. Infinite values are drawn clamped at the top of the
view with an "∞" mark, so nothing is ever NaN.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont

from explorer.info import Comparison
from explorer.info.editing import MAX_CATEGORIES
from explorer.ui.plots.distribution_style import (
    CROSS_COLOR,
    KL_COLOR,
    P_COLOR,
    Q_COLOR,
    TEXT_COLOR,
    InfinityMarks,
    YRange,
    alpha,
    clamp_infinite,
    finite_top,
    make_plot,
    nice_ceiling,
    nice_number,
)

BAR_WIDTH = 0.38


def _category_ticks(plot: pg.PlotItem, k: int) -> None:
    step = 1 if k <= 16 else 2
    plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(0, k, step)], []])
    plot.setXRange(-0.6, k - 0.4, padding=0)


class DistributionBarsPlot:
    """P and Q as grouped bars, with the selected category shaded."""

    def __init__(self):
        self.plot = make_plot("P and Q", "category i", "probability")
        self.highlight = pg.BarGraphItem(
            x=[0], height=[1], width=0.96, brush=alpha(TEXT_COLOR, 22), pen=pg.mkPen(None)
        )
        self.p_bars = pg.BarGraphItem(
            x=[0], height=[0], width=BAR_WIDTH, brush=P_COLOR, pen=pg.mkPen(P_COLOR.darker(130))
        )
        self.q_bars = pg.BarGraphItem(
            x=[0], height=[0], width=BAR_WIDTH, brush=Q_COLOR, pen=pg.mkPen(Q_COLOR.darker(130))
        )
        legend = self.plot.addLegend(offset=(-8, 4), labelTextColor=TEXT_COLOR, labelTextSize="8pt")
        for item in (self.highlight, self.p_bars, self.q_bars):
            self.plot.addItem(item)
        legend.setColumnCount(2)
        self.y_range = YRange(self.plot)
        legend.addItem(self.p_bars, "P")
        legend.addItem(self.q_bars, "Q")
        self._k = 0

    def update(self, p: np.ndarray, q: np.ndarray, selected: int) -> None:
        k = p.size
        x = np.arange(k, dtype=np.float64)
        # Head room for the legend above the tallest bar.
        top = nice_ceiling(max(float(p.max()), float(q.max())) * 1.3)
        self.p_bars.setOpts(x=x - BAR_WIDTH / 2, height=p)
        self.q_bars.setOpts(x=x + BAR_WIDTH / 2, height=q)

        if k != self._k:
            _category_ticks(self.plot, k)
            self._k = k
        self.y_range.set(0.0, top)
        # The shade fills the view's height, whatever range the hysteresis kept.
        self.highlight.setOpts(x=[float(selected)], height=[self.y_range.current[1]])


class ContributionsPlot:
    """Signed bars p_i log(p_i / q_i): what each category adds to KL(P || Q)."""

    def __init__(self):
        self.plot = make_plot("Contributions to KL(P‖Q): pᵢ log(pᵢ/qᵢ)", "category i", "")
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.7, brushes=[KL_COLOR])
        self.plot.addItem(self.bars)
        self.zero = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(TEXT_COLOR, width=1))
        self.plot.addItem(self.zero)
        self.marks = InfinityMarks(self.plot, MAX_CATEGORIES)
        self.y_range = YRange(self.plot)
        self._positive = pg.mkBrush(alpha(KL_COLOR, 200))
        self._negative = pg.mkBrush(alpha(P_COLOR, 170))
        self._k = 0
        self._unit = ""

    def update(self, terms: np.ndarray, unit: str) -> None:
        k = terms.size
        top = finite_top(terms)
        if np.isinf(terms).any():
            # An infinite bar has no true height: give it a readable scale of one unit.
            top = max(top, 1.0)
        heights, infinite = clamp_infinite(terms, top * 0.9)
        x = np.arange(k, dtype=np.float64)
        brushes = [self._positive if h >= 0 else self._negative for h in heights]
        self.bars.setOpts(x=x, height=heights, brushes=brushes)
        self.marks.show(x[infinite], heights[infinite])
        low = min(float(heights.min()), 0.0)
        self.y_range.set(-nice_ceiling(-low * 1.15) if low < 0 else 0.0, top)
        if unit != self._unit:
            self.plot.setLabel("left", unit)
            self._unit = unit
        if k != self._k:
            _category_ticks(self.plot, k)
            self._k = k


class DecompositionPlot:
    """Stacked bars H(P,Q) = H(P) + KL(P||Q) beside H(Q,P) = H(Q) + KL(Q||P)."""

    def __init__(self):
        self.plot = make_plot("Cross entropy = entropy + KL", "", "")
        self.entropy_bars = pg.BarGraphItem(
            x=[0, 1],
            height=[0, 0],
            width=0.55,
            brushes=[P_COLOR, Q_COLOR],
            pen=pg.mkPen(TEXT_COLOR, width=0.5),
        )
        self.kl_bars = pg.BarGraphItem(
            x=[0, 1],
            y0=[0, 0],
            height=[0, 0],
            width=0.55,
            brush=alpha(KL_COLOR, 190),
            pen=pg.mkPen(TEXT_COLOR, width=0.5),
        )
        self.plot.addItem(self.entropy_bars)
        self.plot.addItem(self.kl_bars)
        self.plot.getAxis("bottom").setTicks(
            [[(0, "H(P,Q) = H(P) + KL(P‖Q)"), (1, "H(Q,P) = H(Q) + KL(Q‖P)")], []]
        )
        self.plot.setXRange(-0.5, 1.5, padding=0)
        font = QFont()
        font.setPointSizeF(8.5)
        self.labels = []
        for _ in range(6):
            label = pg.TextItem("", color=TEXT_COLOR, anchor=(0.5, 0.5))
            label.setFont(font)
            label.setZValue(10)
            self.plot.addItem(label, ignoreBounds=True)
            self.labels.append(label)
        self.marks = InfinityMarks(self.plot, 2)
        self.y_range = YRange(self.plot)
        self._unit = ""

    def update(self, c: Comparison) -> None:
        entropies = np.array([c.entropy_p, c.entropy_q])
        kls = np.array([c.kl_pq, c.kl_qp])
        totals = entropies + kls
        if np.isinf(kls).any():
            # Room above the entropy for a clearly visible (clamped) infinite KL segment.
            top = finite_top(np.concatenate([totals, 1.6 * entropies]), floor=1.0)
        else:
            top = finite_top(totals, floor=0.1)
        kl_heights = np.where(np.isinf(kls), np.maximum(top * 0.88 - entropies, 0.0), kls)
        self.entropy_bars.setOpts(height=entropies)
        self.kl_bars.setOpts(y0=entropies, height=kl_heights)
        infinite = np.isinf(kls)
        self.marks.show(np.arange(2.0)[infinite], (entropies + kl_heights)[infinite])
        names = (("H(P)", "KL(P‖Q)", "H(P,Q)"), ("H(Q)", "KL(Q‖P)", "H(Q,P)"))
        for i in range(2):
            h_label, kl_label, total_label = self.labels[3 * i : 3 * i + 3]
            h_label.setText(f"{names[i][0]}\n{nice_number(entropies[i])}")
            h_label.setPos(i, entropies[i] / 2)
            h_label.setVisible(bool(entropies[i] > top * 0.12))
            # One line fits a thin KL segment; a thick one gets two.
            separator = "\n" if kl_heights[i] > top * 0.14 else " = "
            kl_label.setText(f"{names[i][1]}{separator}{nice_number(kls[i])}")
            kl_label.setPos(i, entropies[i] + kl_heights[i] / 2)
            kl_label.setVisible(bool(kl_heights[i] > top * 0.06))
            total_label.setText(f"{names[i][2]} = {nice_number(totals[i])}")
            total_label.setAnchor((0.5, 1.0))
            shown_top = entropies[i] + kl_heights[i]
            total_label.setPos(i, shown_top + top * (0.07 if infinite[i] else 0.0))
            total_label.setVisible(not bool(infinite[i]))
        self.y_range.set(0.0, top)
        if c.unit != self._unit:
            self.plot.setLabel("left", c.unit)
            self._unit = c.unit


class SensitivityPlot:
    """KL(P||Q) and H(P,Q) as the selected q_i sweeps 0..1, with the current point marked."""

    def __init__(self):
        self.plot = make_plot("Sensitivity to q of the selected category", "qᵢ", "")
        # One row across the top: the curves leave the view only at its two ends.
        legend = self.plot.addLegend(offset=(30, 2), labelTextColor=TEXT_COLOR, labelTextSize="8pt")
        legend.setColumnCount(3)
        self.entropy_line = pg.PlotDataItem(
            [0.0, 1.0],
            [0.0, 0.0],
            pen=pg.mkPen(P_COLOR, width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
            name="H(P), the floor",
        )
        self.plot.addItem(self.entropy_line)
        self.cross_curve = pg.PlotDataItem(
            [], [], pen=pg.mkPen(CROSS_COLOR, width=2), name="H(P,Q)"
        )
        self.kl_curve = pg.PlotDataItem([], [], pen=pg.mkPen(KL_COLOR, width=2), name="KL(P‖Q)")
        # TargetItems move with setPos: far cheaper per frame than a scatter's setData.
        self.marks = InfinityMarks(self.plot, 3)
        self.current = [
            pg.TargetItem(
                pos=(0, 0),
                size=10,
                symbol="o",
                movable=False,
                brush=color,
                pen=pg.mkPen("w", width=1.5),
            )
            for color in (KL_COLOR, CROSS_COLOR)
        ]
        self.now_line = pg.InfiniteLine(pos=0, angle=90, pen=pg.mkPen(alpha(TEXT_COLOR, 120)))
        for item in (self.now_line, self.cross_curve, self.kl_curve, *self.current):
            self.plot.addItem(item)
        for marker in self.current:
            marker.setZValue(15)
        self.plot.setXRange(0, 1, padding=0.02)
        self._labels = (-1, "")
        self.y_range = YRange(self.plot)

    def update(
        self,
        t,
        kl,
        cross,
        q_now: float,
        kl_now: float,
        cross_now: float,
        entropy_p: float,
        index: int,
        unit: str,
    ) -> None:
        # Scale to where the action is (about twice the current values), not to the ends
        # where the curves diverge: those leave through the top of the plot.
        levels = np.array([kl_now, cross_now, entropy_p, float(np.min(cross))])
        level = float(levels[np.isfinite(levels)].max(initial=0.0))
        top = min(
            finite_top(np.concatenate([kl, cross, [entropy_p]]), floor=0.1),
            nice_ceiling(max(2.0 * level, 0.1)),
        )
        cap = top * 0.85
        # The curves keep their true values (the view clips them; a CSV export stays exact)
        # and leave out the infinite end points, where the curve runs off the top anyway.
        for curve, values in ((self.kl_curve, kl), (self.cross_curve, cross)):
            finite = np.isfinite(values)
            curve.setData(t[finite], values[finite])
        now = np.array([kl_now, cross_now])
        now_shown = np.where(np.isinf(now), cap, np.minimum(now, cap))
        for marker, y in zip(self.current, now_shown, strict=True):
            marker.setPos(q_now, float(y))
        self.now_line.setValue(q_now)
        self.entropy_line.setData([0.0, 1.0], [entropy_p, entropy_p])
        # ∞ marks where the curve leaves for infinity (an end of the sweep) and on the
        # current point when it is infinite.
        xs = [float(t[i]) for i in (0, -1) if np.isinf(kl[i])]
        if np.isinf(now).any():
            xs.append(q_now)
        self.marks.show(xs, np.full(len(xs), cap))
        self.y_range.set(0.0, top)
        if (index, unit) != self._labels:
            self.plot.setTitle(
                f"Sensitivity to q{_subscript(index)} (the other q rescaled)",
                color=TEXT_COLOR.name(),
                size="10pt",
            )
            self.plot.setLabel("bottom", f"q{_subscript(index)}")
            self.plot.setLabel("left", unit)
            self._labels = (index, unit)


def _subscript(index: int) -> str:
    return str(index).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def nan_free(*arrays) -> bool:
    """True when no array has a NaN (the tests' and the benchmark's invariant)."""
    return not any(np.isnan(np.asarray(a, dtype=np.float64)).any() for a in arrays if a is not None)


__all__ = [
    "ContributionsPlot",
    "DecompositionPlot",
    "DistributionBarsPlot",
    "SensitivityPlot",
    "nan_free",
]
