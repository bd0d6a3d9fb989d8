"""The four live plots of the Distributions tab's discrete mode.

Each class owns one ``pg.PlotItem`` (``.plot``) whose items are created in ``__init__``;
``update`` only calls setData/setOpts. Infinite values are drawn clamped at the top of the
view with an "∞" mark, so nothing is ever NaN.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from explorer.info import Comparison
from explorer.info.editing import MAX_CATEGORIES
from explorer.ui.colors import ink_on, mix
from explorer.ui.distributions.style import (
    PROBABILITY_CEILING,
    InfinityMarks,
    YRange,
    clamp_infinite,
    csv_data_item,
    exclude_from_csv,
    finite_top,
    infinite_brush,
    make_plot,
    nice_ceiling,
    nice_number,
    probability_top,
    qcolor,
)
from explorer.ui.plots.native_items import Bars, Label, Line
from explorer.ui.theme import set_title, theme

BAR_WIDTH = 0.38
INFINITE = 2  # the Contributions bars' palette entry for an infinite term


def mark_height(y_range: YRange) -> float:
    """Where an infinite bar's ∞ mark hangs: a sliver under the top, so the bar shows above
    it as well as below (a break in the bar)."""
    low, high = y_range.current
    return high - 0.04 * (high - low)


#: Longer category names are shortened on the axes (the full name is in the slider's tooltip).
TICK_CHARS = 10


def short_label(label: str, limit: int = TICK_CHARS) -> str:
    """``label`` cut to ``limit`` characters with an ellipsis."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _category_ticks(plot: pg.PlotItem, k: int, labels=None) -> None:
    step = 1 if k <= 16 else 2
    if labels is not None:
        # Names need more room than indices: fewer of them fit under the bars.
        step = 1 if k <= 8 else max(2, -(-k // 8))
    names = [str(i) if labels is None else short_label(labels[i]) for i in range(k)]
    plot.getAxis("bottom").setTicks([[(i, names[i]) for i in range(0, k, step)], []])
    plot.setXRange(-0.6, k - 0.4, padding=0)


class _Unchanged:
    """Remembers what an item was last given, so a repeat (most items on a one-slider move)
    skips setData/setOpts: each call re-prepares the item and repaints its plot."""

    def __init__(self):
        self._keys = {}

    def changed(self, item, *values) -> bool:
        key = tuple(np.asarray(v, dtype=np.float64).tobytes() for v in values)
        if self._keys.get(id(item)) == key:
            return False
        self._keys[id(item)] = key
        return True


class DistributionBarsPlot:
    """P and Q as grouped bars, with the selected category shaded."""

    def __init__(self):
        self.plot = make_plot("P and Q", "category i", "probability")
        self.highlight = Bars(x=[0], height=[1], width=0.96, pen=pg.mkPen(None))
        self.p_bars, self.q_bars = (
            Bars(x=[0], height=[0], width=BAR_WIDTH, name=n) for n in ("P", "Q")
        )
        for item in (self.highlight, self.p_bars, self.q_bars):
            self.plot.addItem(item, ignoreBounds=True)
        exclude_from_csv(self.highlight)
        self.y_range = YRange(self.plot, ceiling=PROBABILITY_CEILING)
        self._ticks = None
        self._last = _Unchanged()
        theme().watch(self.plot, self._apply_theme)

    def _apply_theme(self) -> None:
        palette = theme().palette
        # The colour key is in the title: a legend would need head room above the bars.
        p, q = (theme().hex(palette.text_color(c)) for c in (palette.p, palette.q))
        set_title(
            self.plot, f'<span style="color:{p}">■ P</span> and <span style="color:{q}">■ Q</span>'
        )
        self.highlight.set_colors([qcolor("text", 22)], pg.mkPen(None))
        for bars, role in ((self.p_bars, "p"), (self.q_bars, "q")):
            color = qcolor(role)
            bars.set_colors([color], color.darker(130) if not palette.dark else color.lighter(130))

    def update(self, p: np.ndarray, q: np.ndarray, selected: int, labels=None) -> None:
        k = p.size
        x = np.arange(k, dtype=np.float64)
        top = probability_top(max(float(p.max()), float(q.max())))
        if self._last.changed(self.p_bars, p):
            self.p_bars.setOpts(x=x - BAR_WIDTH / 2, height=p)
        if self._last.changed(self.q_bars, q):
            self.q_bars.setOpts(x=x + BAR_WIDTH / 2, height=q)

        if (k, labels) != self._ticks:
            _category_ticks(self.plot, k, labels)
            self._ticks = (k, labels)
        self.y_range.set(0.0, top)
        # The shade fills the view's height, whatever range the hysteresis kept.
        shade = (float(selected), self.y_range.current[1])
        if self._last.changed(self.highlight, shade):
            self.highlight.setOpts(x=[shade[0]], height=[shade[1]])


class ContributionsPlot:
    """Signed bars p_i log(p_i / q_i): what each category adds to KL(P || Q)."""

    def __init__(self):
        self.plot = make_plot("Contributions to KL(P‖Q): pᵢ log(pᵢ/qᵢ)", "category i", "")
        # Positive terms in KL's colour, negative ones in P's, infinite ones hatched.
        self.bars = Bars(
            x=[0],
            height=[0],
            width=0.7,
            brushes=["k", "k", "k"],
            name="KL contribution (drawn)",
        )
        self.plot.addItem(self.bars, ignoreBounds=True)
        self.zero = Line(0.0, angle=0)
        self.plot.addItem(self.zero, ignoreBounds=True)
        self.marks = InfinityMarks(self.plot, MAX_CATEGORIES, on_bars=True)
        # The bars draw an infinite term clamped; the CSV gets the true terms from here.
        self.data = csv_data_item(self.plot, "KL contribution")
        exclude_from_csv(self.bars, self.zero)
        self.y_range = YRange(self.plot)
        self._ticks = None
        self._unit = ""
        self._last = _Unchanged()
        self._kl_infinite = (False, False)  # per bar: its KL label lies on the hatch
        theme().watch(self.plot, self._apply_theme)

    def _apply_theme(self) -> None:
        self.bars.set_colors(
            [qcolor("kl", 200), qcolor("p", 170), infinite_brush("kl")], qcolor("neutral")
        )
        self.zero.set_pen(qcolor("text"))

    def update(self, terms: np.ndarray, unit: str, labels=None) -> None:
        k = terms.size
        top = finite_top(terms)
        if np.isinf(terms).any():
            # An infinite bar has no true height: give it a readable scale of one unit.
            top = max(top, 1.0)
        finite = terms[np.isfinite(terms)]
        low = min(float(finite.min()) if finite.size else 0.0, 0.0)
        # Negative room of at least a tenth of the top: a drag that deepens a small negative
        # bar then leaves the axis alone instead of changing it with every move.
        self.y_range.set(-nice_ceiling(max(-low * 1.15, 0.1 * top)) if low < 0 else 0.0, top)
        # An infinite bar fills the view's height, hatched, with an ∞ breaking it near the
        # top: unlike any finite bar, and still while the finite ones move.
        top = self.y_range.current[1]
        heights, infinite = clamp_infinite(terms, top)
        x = np.arange(k, dtype=np.float64)
        if self._last.changed(self.bars, heights):
            colors = np.where(infinite, INFINITE, (heights < 0).astype(np.intp))
            self.bars.setOpts(x=x, height=heights, colors=colors)
        if self._last.changed(self.data, terms):
            self.data.setData(x, terms)
        self.marks.show(x[infinite], np.full(int(infinite.sum()), mark_height(self.y_range)))
        if unit != self._unit:
            self.plot.setLabel("left", unit)
            self._unit = unit
        if (k, labels) != self._ticks:
            _category_ticks(self.plot, k, labels)
            # Across the view exactly: an SVG export does not clip to the view.
            self.zero.set_span(*self.plot.vb.viewRange()[0])
            self._ticks = (k, labels)


class DecompositionPlot:
    """Stacked bars H(P,Q) = H(P) + KL(P||Q) beside H(Q,P) = H(Q) + KL(Q||P)."""

    #: Fractions of the view's height one and two lines of 8.5 pt text need (a ~170 px view).
    ONE_LINE = 0.1
    TWO_LINES = 0.2

    def __init__(self):
        self.plot = make_plot("Cross entropy = entropy + KL", "", "")
        self.entropy_bars = Bars(
            x=[0, 1],
            height=[0, 0],
            width=0.55,
            brushes=["k", "k"],
            name="entropy H(P) H(Q)",
            colors=[0, 1],
        )
        self.kl_bars = Bars(
            x=[0, 1], y0=[0, 0], height=[0, 0], width=0.55, brushes=["k", "k"], name="KL (drawn)"
        )
        for item in (self.entropy_bars, self.kl_bars):
            self.plot.addItem(item, ignoreBounds=True)
        self.plot.getAxis("bottom").setTicks(
            [[(0, "H(P,Q) = H(P) + KL(P‖Q)"), (1, "H(Q,P) = H(Q) + KL(Q‖P)")], []]
        )
        self.plot.setXRange(-0.5, 1.5, padding=0)
        self.labels = []
        for i in range(6):
            # Per bar: the H and KL segment labels (centred), then the total above the bar.
            anchor = (0.5, 1.0) if i % 3 == 2 else (0.5, 0.5)
            label = Label("", anchor=anchor)
            label.setZValue(10)
            self.plot.addItem(label, ignoreBounds=True)
            self.labels.append(label)
        self.marks = InfinityMarks(self.plot, 2, on_bars=True)
        # The KL bars draw an infinite KL clamped: the CSV takes the true values from these.
        self.kl_data = csv_data_item(self.plot, "KL(P||Q) KL(Q||P)")
        self.cross_data = csv_data_item(self.plot, "cross entropy H(P,Q) H(Q,P)")
        exclude_from_csv(self.kl_bars)
        self.y_range = YRange(self.plot)
        self._unit = ""
        self._last = _Unchanged()
        self._kl_infinite = (False, False)  # per bar: its KL label lies on the hatch
        theme().watch(self.plot, self._apply_theme)

    def _apply_theme(self) -> None:
        text = qcolor("text")
        self.entropy_bars.set_colors([qcolor("p"), qcolor("q")], text)
        self.kl_bars.set_colors([qcolor("kl", 190), infinite_brush("kl")], text)
        font = theme().font(8.5)
        palette = theme().palette
        kl = mix(palette.background, palette.kl, 190 / 255)  # as drawn, over the background
        for i, label in enumerate(self.labels):
            # Per bar: on the entropy's colour, on KL's, then above the bar on the background.
            under = (palette.p if i < 3 else palette.q, kl, None)[i % 3]
            label.set_style(text if under is None else QColor(*ink_on(under)), font)
        for i, infinite in enumerate(self._kl_infinite):
            self._style_kl_label(i, infinite)

    def _style_kl_label(self, bar: int, infinite: bool) -> None:
        """An infinite KL's label lies on the hatch: it gets a box of the plot's background
        and the text colour, readable in either appearance (a finite one's sits on solid KL)."""
        palette = theme().palette
        label = self.labels[3 * bar + 1]
        if infinite:
            label.set_box(palette.background)
            label.set_style(qcolor("text"))
        else:
            label.set_box(None)
            label.set_style(QColor(*ink_on(mix(palette.background, palette.kl, 190 / 255))))

    def update(self, c: Comparison) -> None:
        entropies = np.array([c.entropy_p, c.entropy_q])
        kls = np.array([c.kl_pq, c.kl_qp])
        totals = entropies + kls
        if np.isinf(kls).any():
            # Room above the entropy for a clearly visible (clamped) infinite KL segment.
            top = finite_top(np.concatenate([totals, 1.6 * entropies]), floor=1.0)
        else:
            top = finite_top(totals, floor=0.1)
        self.y_range.set(0.0, top)
        # Label sizes are judged against the range shown (the hysteresis may keep a taller one).
        shown = self.y_range.current[1]
        # An infinite KL segment fills the view above its entropy, hatched (see Contributions).
        kl_heights = np.where(np.isinf(kls), np.maximum(shown - entropies, 0.0), kls)
        if self._last.changed(self.entropy_bars, entropies):
            self.entropy_bars.setOpts(height=entropies)
        if self._last.changed(self.kl_bars, entropies, kl_heights):
            colors = np.isinf(kls).astype(np.intp)
            self.kl_bars.setOpts(y0=entropies, height=kl_heights, colors=colors)
        if self._last.changed(self.kl_data, kls):
            self.kl_data.setData([0.0, 1.0], kls)
        if self._last.changed(self.cross_data, totals):
            self.cross_data.setData([0.0, 1.0], totals)
        infinite = np.isinf(kls)
        if tuple(infinite.tolist()) != self._kl_infinite:
            self._kl_infinite = tuple(infinite.tolist())
            for i, on_hatch in enumerate(self._kl_infinite):
                self._style_kl_label(i, on_hatch)
        self.marks.show(
            np.arange(2.0)[infinite], np.full(int(infinite.sum()), mark_height(self.y_range))
        )
        names = (("H(P)", "KL(P‖Q)", "H(P,Q)"), ("H(Q)", "KL(Q‖P)", "H(Q,P)"))
        for i in range(2):
            h_label, kl_label, total_label = self.labels[3 * i : 3 * i + 3]
            _segment_label(h_label, names[i][0], entropies[i], i, 0.0, entropies[i], shown)
            _segment_label(kl_label, names[i][1], kls[i], i, entropies[i], kl_heights[i], shown)
            total = f"{names[i][2]} = {nice_number(totals[i])}"
            if not (h_label.isVisible() and kl_label.isVisible()):
                # A segment too thin for its label: the sum above the bar names both parts.
                total = f"{names[i][2]} = {nice_number(entropies[i])} + {nice_number(kls[i])}"
                total += f" = {nice_number(totals[i])}"
            shown_top = float(entropies[i] + kl_heights[i])
            total_label.place(total, i, shown_top + shown * 0.025, not infinite[i])
        if c.unit != self._unit:
            self.plot.setLabel("left", c.unit)
            self._unit = c.unit


def _segment_label(label: Label, name: str, value: float, x: float, y0: float, drawn, view):
    """Name and value inside a stacked segment: two lines, one, or none when it is too thin
    (the total above the bar and the read-outs still give the number)."""
    fraction = float(drawn) / view
    if fraction >= DecompositionPlot.TWO_LINES:
        text = f"{name}\n{nice_number(value)}"
    else:
        text = f"{name} {nice_number(value)}"
    visible = fraction >= DecompositionPlot.ONE_LINE
    label.place(text, x, float(y0) + float(drawn) / 2, visible)


def nan_free(*arrays) -> bool:
    """True when no array has a NaN (the tests' and the benchmark's invariant)."""
    return not any(np.isnan(np.asarray(a, dtype=np.float64)).any() for a in arrays if a is not None)


__all__ = [
    "ContributionsPlot",
    "DecompositionPlot",
    "DistributionBarsPlot",
    "nan_free",
]
