"""Colors, fonts and small helpers shared by the Distributions tab's plots."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from explorer.ui.plots.caching import RangeCachingAxis, cache_axes, skip_empty_frames
from explorer.ui.plots.csv_data import CsvData
from explorer.ui.plots.native_items import RichLabel
from explorer.ui.theme import set_title, style_plot, theme

#: Where an infinite point is drawn (the sensitivity plot's markers): this fraction of the
#: view's height, leaving room above for its ∞ mark. An infinite bar fills the whole height.
INFINITY_CAP = 0.8
#: The tick label a left axis has room for from the start.
TICK_ROOM = "0.000"


def qcolor(role: str, alpha: int | None = None) -> QColor:
    """The theme's colour ``role`` as a QColor: "p", "q", "kl" and "cross" (Tableau colours,
    as in the Training tab: P blue, Q orange, KL red, cross entropy purple), "text", ..."""
    return theme().color(getattr(theme().palette, role), alpha)


def infinite_brush(role: str = "kl") -> QBrush:
    """The hatch of a bar whose value is infinite, in the theme's ``role`` colour: no finite
    bar looks like it."""
    color = qcolor(role)
    return QBrush(
        color.lighter(110) if theme().palette.dark else color.darker(110),
        Qt.BrushStyle.BDiagPattern,
    )


def make_plot(title: str, x_label: str = "", y_label: str = "") -> pg.PlotItem:
    """A non-interactive PlotItem in the theme's look, with a title and labelled axes."""
    # Drags move the y range between a few snapped values and back: keep their axis pictures.
    plot = pg.PlotItem(axisItems={"left": RangeCachingAxis("left")})
    # The left axis makes room for its widest tick label so far and never gives it back: a
    # width change moves every plot of the grid and redraws all their axes (~10 ms), which a
    # drag from "0.3" to "0.25" or "-0.05" would otherwise cause again and again. It starts
    # wide enough for five characters ("0.025", "-0.05"), the common case.
    left = plot.getAxis("left")
    left.tick_room = TICK_ROOM
    left.setStyle(autoReduceTextSpace=False)
    if x_label:
        plot.setLabel("bottom", x_label)
    if y_label:
        plot.setLabel("left", y_label)
    set_title(plot, title)
    style_plot(plot)
    # No grid: pyqtgraph redraws grid lines with every axis paint, ten times the cost of a plot.
    # The read-outs follow the sliders: zooming with the mouse would only fight the autoscale.
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setMenuEnabled(False)
    cache_axes(plot, legend=False)  # most moves leave the (snapped) ranges as they are
    skip_empty_frames(plot)
    return plot


_NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 x 10^n at or above ``value`` (> 0).

    Axis limits snap to these, so small drags leave the range (and the axes' cached
    pictures) unchanged: a big part of keeping a slider move within a frame.
    """
    if not value > 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    scale = 10.0**exponent
    for step in _NICE_STEPS:
        if step * scale >= value * (1 - 1e-12):
            return step * scale
    return 10.0 * scale


def finite_top(values, floor: float = 0.05) -> float:
    """A y-axis top for ``values``: above the largest finite magnitude (+15 %), snapped to a
    nice number, at least ``floor``."""
    array = np.abs(np.asarray(values, dtype=np.float64))
    finite = array[np.isfinite(array)]
    top = float(finite.max()) if finite.size else 0.0
    return nice_ceiling(max(top * 1.15, floor))


#: The highest y-axis top for probabilities: a probability of 1 fills the plot.
PROBABILITY_CEILING = 1.05


def probability_top(largest: float) -> float:
    """A y-axis top for probabilities: a little above the largest (a nice number), at most
    PROBABILITY_CEILING."""
    return min(nice_ceiling(max(largest, 0.01) * 1.1), PROBABILITY_CEILING)


class YRange:
    """Sets a plot's y range, with hysteresis: it grows at once but only shrinks when the
    data spans less than half of it, so a drag near a limit (or a negative bar that comes
    and goes) does not make the axis (and its cached picture) change on every move. While
    ``steady`` (a slider is held down) it only grows, and then a quarter further than the
    data needs (up to ``ceiling``), so a drag that keeps pushing changes the scale once
    rather than every few moves; when the user lets go it may shrink again."""

    SHRINK_BELOW = 0.5
    GROW_AHEAD = 1.25

    def __init__(self, plot: pg.PlotItem, ceiling: float = math.inf):
        self.plot = plot
        self.ceiling = ceiling
        self.current: tuple[float, float] | None = None
        self.steady = False

    def reset(self) -> None:
        """Forget the range: the next ``set`` applies exactly (after a wholesale change)."""
        self.current = None

    def set(self, low: float, high: float) -> None:
        if self.current is not None:
            old_low, old_high = self.current
            inside = old_low <= low and high <= old_high
            roomy = self.steady or high - low >= self.SHRINK_BELOW * (old_high - old_low)
            if inside and roomy:
                return
            if self.steady:  # grow only, and ahead of the data
                if high > old_high:
                    high = min(nice_ceiling(high * self.GROW_AHEAD), max(self.ceiling, high))
                if low < old_low:
                    low = -nice_ceiling(-low * self.GROW_AHEAD)
                low, high = min(low, old_low), max(high, old_high)
        self.plot.setYRange(low, high, padding=0)
        self.current = (low, high)


def exclude_from_csv(*items) -> None:
    """Decorations (highlights, markers, clamped drawings) are left out of the CSV export."""
    for item in items:
        item.csv_exclude = True


def csv_data_item(plot: pg.PlotItem, name: str) -> pg.PlotDataItem:
    """An invisible item holding a plot's true values (inf included) for the CSV export."""
    item = CsvData(name)
    plot.addItem(item, ignoreBounds=True)
    if plot.legend is not None:
        plot.legend.removeItem(item)  # named for the CSV, but it draws nothing
    return item


def clamp_infinite(values, cap: float) -> tuple[np.ndarray, np.ndarray]:
    """Replace +-inf by +-cap (what the plot draws) and return which entries were infinite."""
    array = np.asarray(values, dtype=np.float64)
    infinite = np.isinf(array)
    return np.where(infinite, np.copysign(cap, array), array), infinite


class InfinityMarks:
    """A pool of ∞ marks for bars or points that are infinite.

    For points (``on_bars=False``) a mark is "▲∞" (an upward arrow and the sign) just above
    the clamped point it labels. For bars, which reach the top of the view, it is "∞" on a box
    of the plot's background just under the top: it breaks the bar's hatch, so an infinite bar
    reads as one at a glance.

    Created once with the plot (up to ``capacity`` marks); ``show`` moves and reveals as many
    as needed, so a slider move never creates plot items. Each mark is one text item (arrow and
    sign in one line): a scatter of arrows cost more to repaint than all the bars of its plot.
    """

    def __init__(self, plot: pg.PlotItem, capacity: int, role: str = "kl", on_bars: bool = False):
        self._shown = None
        self._vertical_anchor = 0.0 if on_bars else 1.0
        self._on_bars = on_bars
        self.labels = []
        for _ in range(capacity):
            # Points: just above, inside the view's top fifth. Bars: just under their top.
            label = RichLabel("", anchor=(0.5, self._vertical_anchor))
            label.setZValue(20)
            label.hide()
            label.csv_exclude = True
            plot.addItem(label, ignoreBounds=True)
            self.labels.append(label)
        theme().watch(plot, lambda: self._apply_theme(role))

    def _apply_theme(self, role: str) -> None:
        current = theme()
        palette = current.palette
        font = current.font(11.0, bold=True)
        if self._on_bars:
            # On the plot's background: a break in the bar's hatch, in either appearance.
            box = current.hex(palette.background)
            html = f'<span style="background-color:{box}">&nbsp;∞&nbsp;</span>'
        else:
            html = f'<span style="font-size:{current.pt(8.0):g}pt">▲</span>∞'
        color = palette.text_color(getattr(palette, role))
        for label in self.labels:
            label.setText(html)
            label.set_style(color, font)

    def show(self, xs, ys, anchors=None) -> None:
        """Put marks at the points (xs, ys); ``anchors``: per mark, the fraction of its width
        left of the point (default 0.5, centred; 0 or 1 keep a mark at a view's edge inside)."""
        xs = np.asarray(xs, dtype=np.float64)
        ys = np.asarray(ys, dtype=np.float64)
        anchors = np.full(xs.size, 0.5) if anchors is None else np.asarray(anchors, dtype=float)
        key = (xs.tobytes(), ys.tobytes(), anchors.tobytes())
        if key == self._shown:
            return
        self._shown = key
        for i, label in enumerate(self.labels):
            if i < xs.size:
                label.setAnchor((float(anchors[i]), self._vertical_anchor))
                label.setPos(float(xs[i]), float(ys[i]))
                label.show()
            elif label.isVisible():
                label.hide()

    def count(self) -> int:
        return sum(1 for label in self.labels if label.isVisible())


def nice_number(value: float) -> str:
    """Short text for a value on a bar: '0.322', '∞'."""
    if math.isinf(value):
        return "∞"
    return f"{value + 0.0:.3f}"
