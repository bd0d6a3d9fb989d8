"""The Distributions tab's sensitivity plot: KL(P||Q) and H(P,Q) as the selected q_i sweeps
0..1 (the other q rescaled), with the current point marked and the curves clipped at the top.

Like the other plots of the tab (``explorer.ui.distributions.plots``), its items are
created once and ``update`` only moves or re-feeds them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from explorer.info import sensitivity_curve
from explorer.ui.distributions.style import (
    INFINITY_CAP,
    InfinityMarks,
    YRange,
    csv_data_item,
    exclude_from_csv,
    finite_top,
    make_plot,
    qcolor,
)
from explorer.ui.plots.caching import cache_as_pixmaps
from explorer.ui.plots.legend import legend_outside
from explorer.ui.plots.native_items import Line, Marker
from explorer.ui.theme import set_title, theme


class SweepCache:
    """The last sweep of :func:`~explorer.info.sensitivity_curve`, reused while only the swept
    q moves.

    Dragging the selected q rescales the others in proportion, and the sweep sets that q to
    each value with the others in those same proportions: the curves do not change (up to
    rounding in the last digits), so they are not computed again, nor redrawn.
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._shape: np.ndarray | None = None
        self._result: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def curve(self, p: np.ndarray, q: np.ndarray, index: int, base, t: np.ndarray):
        others = np.delete(q, index)
        rest = float(others.sum())
        shape = others / rest if rest > 0 else None
        key = (p.tobytes(), index, base, t.tobytes())
        if (
            key == self._key
            and shape is not None
            and self._shape is not None
            and np.allclose(shape, self._shape, rtol=1e-12, atol=1e-15)
        ):
            return self._result
        self._result = sensitivity_curve(p, q, index, base, t=t)
        self._key, self._shape = key, shape
        return self._result


class SensitivityPlot:
    """KL(P||Q) and H(P,Q) as the selected q_i sweeps 0..1, with the current point marked."""

    #: The y range covers the curves over this part of the sweep: near q_i = 0 (or 1) they
    #: run off to infinity, and scaling to that would flatten everything else.
    USEFUL_Q = (0.02, 0.98)
    #: Between these the curves are smooth enough to draw through every other point of the
    #: sweep (within 0.1 % of the view's height of the points left out).
    SMOOTH_Q = (0.05, 0.95)

    def __init__(self):
        self.plot = make_plot("Sensitivity to q of the selected category", "qᵢ", "")
        # Above the data, not on it: the curves leave the view at its top corners (∞ marks).
        self.legend = legend = legend_outside(self.plot, columns=3)
        # A horizontal line moves with setValue; its legend key is a stand-in drawn the same.
        self.entropy_line = Line(0.0, angle=0)
        self._floor_key = pg.PlotDataItem()
        legend.addItem(self._floor_key, "H(P), the floor")
        self.plot.addItem(self.entropy_line, ignoreBounds=True)
        # Plain curve items: a PlotDataItem's setData costs several times theirs.
        self.cross_curve = pg.PlotCurveItem(name="H(P,Q)")
        self.kl_curve = pg.PlotCurveItem(name="KL(P‖Q)")
        # Markers move with setPos: far cheaper per frame than a scatter's setData.
        self.marks = InfinityMarks(self.plot, 3)
        self.current = [Marker(10, brush="k", pen="w") for _ in range(2)]
        self.now_line = Line(0.0, angle=90)
        self.plot.addItem(self.now_line, ignoreBounds=True)  # under the curves
        for item in (self.cross_curve, self.kl_curve):
            self.plot.addItem(item)
        for item in self.current:
            self.plot.addItem(item, ignoreBounds=True)
        # The legend never changes, but the curves under it do: its line samples would be
        # painted again (in Python) with every move of the curves.
        cache_as_pixmaps(*(sample for sample, _ in legend.items))
        for marker in self.current:
            marker.setZValue(15)
        # The drawn curves stop at the top of the view (an SVG export does not clip them);
        # the CSV gets the whole sweep, infinities included, from these.
        self.cross_data = csv_data_item(self.plot, "H(P,Q)")
        self.kl_data = csv_data_item(self.plot, "KL(P||Q)")
        # The H(P) floor is a reference line: its value is a read-out, not a column.
        exclude_from_csv(self.cross_curve, self.kl_curve, self.now_line, self.entropy_line)
        self.plot.setXRange(0, 1, padding=0.02)
        # Across the view exactly: an SVG export does not clip to the view.
        self.entropy_line.set_span(*self.plot.vb.viewRange()[0])
        self._labels = (-1, "")
        self._curves_key = None
        self._entropy_p = None
        self.y_range = YRange(self.plot)
        theme().watch(self.plot, self._apply_theme)

    def _apply_theme(self) -> None:
        floor_pen = pg.mkPen(qcolor("p"), width=1, style=pg.QtCore.Qt.PenStyle.DashLine)
        self.entropy_line.set_pen(floor_pen)
        self._floor_key.setPen(floor_pen)
        self.cross_curve.setPen(pg.mkPen(qcolor("cross"), width=2))
        self.kl_curve.setPen(pg.mkPen(qcolor("kl"), width=2))
        for marker, role in zip(self.current, ("kl", "cross"), strict=True):
            marker.setBrush(qcolor(role))
            marker.setPen(pg.mkPen(qcolor("outline"), width=1.5))
        self.now_line.set_pen(qcolor("text", 120))
        for sample, _label in self.legend.items:
            sample.update()  # cached as a pixmap: drawn again with the new pens

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
        low, high = self.USEFUL_Q
        useful = (t >= low) & (t <= high)
        self.y_range.set(0.0, sensitivity_top(cross[useful], entropy_p))
        top = self.y_range.current[1]
        cap = top * INFINITY_CAP
        key = (top, t.tobytes(), kl.tobytes(), cross.tobytes())
        if key != self._curves_key:
            # Moving the selected q itself leaves the curves as they are: skip the redraw.
            self._curves_key = key
            drawn = drawn_points(t, *self.SMOOTH_Q)
            for curve, values in ((self.kl_curve, kl), (self.cross_curve, cross)):
                x, y, connect = clip_below(t[drawn], values[drawn], top)
                curve.setData(x, y, connect=connect)
            self.kl_data.setData(t, kl)
            self.cross_data.setData(t, cross)
        now = np.array([kl_now, cross_now])
        now_shown = np.where(np.isinf(now), cap, np.minimum(now, cap))
        for marker, y in zip(self.current, now_shown, strict=True):
            marker.setPos(q_now, float(y))
        self.now_line.setValue(q_now)
        self.now_line.set_span(*self.y_range.current)
        if entropy_p != self._entropy_p:
            self.entropy_line.setValue(entropy_p)
            self._entropy_p = entropy_p
        # ∞ marks where the curve leaves for infinity (an end of the sweep) and on the
        # current point when it is infinite.
        ends = [i for i in (0, -1) if np.isinf(kl[i])]
        xs = [float(t[i]) for i in ends]
        anchors = [0.0 if i == 0 else 1.0 for i in ends]  # inside the view at its edges
        if np.isinf(now).any() and not any(abs(q_now - x) < 0.01 for x in xs):
            xs.append(q_now)  # the current point, unless an end's mark already stands there
            anchors.append(0.5)
        self.marks.show(xs, np.full(len(xs), cap), anchors)
        if index != self._labels[0]:
            set_title(self.plot, f"Sensitivity to q{_subscript(index)} (the other q rescaled)")
            self.plot.setLabel("bottom", f"q{_subscript(index)}")
        if unit != self._labels[1]:  # a label set again re-lays out the axis and its plot
            self.plot.setLabel("left", unit)
        self._labels = (index, unit)


def sensitivity_top(cross_useful: np.ndarray, entropy_p: float) -> float:
    """The sensitivity plot's y top: above the cross entropy (the higher curve, KL + H(P))
    over the useful part of the sweep, so the climb towards q_i = 0 shows, and above the
    H(P) floor."""
    return finite_top(np.concatenate([cross_useful, [entropy_p]]), floor=0.1)


def drawn_points(t: np.ndarray, low: float, high: float) -> np.ndarray:
    """Which points of the sweep ``t`` the curves are drawn through: all of them outside
    (low, high), where the curves climb steeply, and every other one inside, where they are
    smooth (the default sweep's 0.005 steps become ~4 pixels: a 2-pixel line costs Qt in
    proportion to its segments). The CSV export keeps every point."""
    inside = (t > low) & (t < high)
    return ~inside | (np.arange(t.size) % 2 == 0)


def clip_below(x: np.ndarray, y: np.ndarray, top: float):
    """The part of the curve (x, y) at or below ``top``, ending exactly on the line y = top.

    Returns ``x, y, connect``: the kept points plus the interpolated crossings, and a
    connect array that leaves gaps where the curve was above ``top`` (never NaN).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    inside = y <= top
    if inside.all():
        return x, y, "all"
    if not inside.any():
        return np.zeros(0), np.zeros(0), "all"
    # Crossings sit between points i - 1 and i wherever inside changes.
    change = np.flatnonzero(inside[1:] != inside[:-1]) + 1
    entering = inside[change]
    a = np.where(entering, change, change - 1)  # the inside end
    b = np.where(entering, change - 1, change)  # the outside end (maybe infinite)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (top - y[a]) / (y[b] - y[a])
    # Towards an infinite end the curve leaves at that end's q.
    s = np.where(np.isfinite(s) & np.isfinite(y[b]), s, 1.0)
    cross_x = x[a] + s * (x[b] - x[a])
    kept = np.flatnonzero(inside)
    order = np.argsort(np.concatenate([2 * kept, 2 * change - 1]), kind="stable")
    xs = np.concatenate([x[kept], cross_x])[order]
    ys = np.concatenate([y[kept], np.full(change.size, top)])[order]
    # A kept point joins the next one; a crossing joins it only when entering the view.
    connect = np.concatenate([np.ones(kept.size, dtype=bool), entering])[order]
    connect[-1] = False
    return xs, ys, connect


def _subscript(index: int) -> str:
    return str(index).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


__all__ = ["SensitivityPlot", "clip_below", "drawn_points", "sensitivity_top"]
