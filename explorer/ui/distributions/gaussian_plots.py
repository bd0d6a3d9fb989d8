"""The Gaussian mode's two plots: both densities, and the KL integrand p log(p/q)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from explorer.ui.distributions.style import make_plot, qcolor
from explorer.ui.plots.legend import legend_outside
from explorer.ui.theme import theme


class GaussianDensitiesPlot:
    """p(x) and q(x), filled."""

    def __init__(self):
        self.plot = make_plot("Densities p(x) and q(x)", "x", "density")
        self.p_curve = pg.PlotDataItem([], [], fillLevel=0, name="p(x)")
        self.q_curve = pg.PlotDataItem([], [], fillLevel=0, name="q(x)")
        self.plot.addItem(self.p_curve)
        self.plot.addItem(self.q_curve)
        # The legend comes after the items: it gets the long texts, the CSV the short names.
        # Above the data: floating on it, it covered a density's peak.
        legend = legend_outside(self.plot, columns=2)
        legend.addItem(self.p_curve, "p(x) = N(μ_P, σ_P²)")
        legend.addItem(self.q_curve, "q(x) = N(μ_Q, σ_Q²)")
        theme().watch(self.plot, self._apply_theme)

    def _apply_theme(self) -> None:
        for curve, role in ((self.p_curve, "p"), (self.q_curve, "q")):
            curve.setPen(pg.mkPen(qcolor(role), width=2))
            curve.setBrush(qcolor(role, 60))

    def update(self, x: np.ndarray, p: np.ndarray, q: np.ndarray) -> None:
        self.p_curve.setData(x, p)
        self.q_curve.setData(x, q)
        top = max(float(p.max()), float(q.max())) * 1.12
        self.plot.setXRange(float(x[0]), float(x[-1]), padding=0)
        self.plot.setYRange(0, top, padding=0)


class GaussianIntegrandPlot:
    """The integrand p(x) log(p(x)/q(x)) whose area is KL(P||Q), and q log(q/p) dashed."""

    def __init__(self):
        self.plot = make_plot("Integrand p(x) log(p(x)/q(x)): its area is KL(P‖Q)", "x", "")
        self.zero = pg.InfiniteLine(pos=0, angle=0)
        self.plot.addItem(self.zero)
        self.pq_curve = pg.PlotDataItem([], [], fillLevel=0, name="p log(p/q)")
        self.qp_curve = pg.PlotDataItem([], [], name="q log(q/p)")
        self.plot.addItem(self.qp_curve)
        self.plot.addItem(self.pq_curve)
        self.zero.csv_exclude = True
        legend = legend_outside(self.plot, columns=2)
        legend.addItem(self.pq_curve, "p log(p/q) → KL(P‖Q)")
        legend.addItem(self.qp_curve, "q log(q/p) → KL(Q‖P)")
        self._unit = ""
        theme().watch(self.plot, self._apply_theme)

    def _apply_theme(self) -> None:
        self.zero.setPen(pg.mkPen(qcolor("text"), width=1))
        self.pq_curve.setPen(pg.mkPen(qcolor("kl"), width=2))
        self.pq_curve.setBrush(qcolor("kl", 70))
        self.qp_curve.setPen(pg.mkPen(qcolor("q", 220), width=1.5, style=Qt.PenStyle.DashLine))

    def update(self, x: np.ndarray, pq: np.ndarray, qp: np.ndarray, unit: str) -> None:
        self.pq_curve.setData(x, pq)
        self.qp_curve.setData(x, qp)
        both = np.concatenate([pq, qp])
        low, high = min(float(both.min()), 0.0), max(float(both.max()), 1e-3)
        span = high - low
        self.plot.setXRange(float(x[0]), float(x[-1]), padding=0)
        self.plot.setYRange(low - 0.05 * span, high + 0.1 * span, padding=0)
        if unit != self._unit:
            self.plot.setLabel("left", f"{unit} per unit x")
            self._unit = unit
