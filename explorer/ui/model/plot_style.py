"""The Model tab's plots: the theme's look (explorer.ui.theme) and axes readable at any scale."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

from explorer.ui.plots.spaced_axis import SpacedAxisItem, leading
from explorer.ui.theme import set_title, theme
from explorer.ui.theme import span_title as span_in_theme
from explorer.ui.theme import style_plot as style_in_theme


def style_plot(plot: pg.PlotItem, title: str, left: str, bottom: str) -> pg.PlotItem:
    """Title, axis labels and axes in the theme's look (no "(x0.001)" in a label: students
    compare raw values with print(param); a :class:`ValueAxisItem` scales at extreme values)."""
    for side, text in (("left", left), ("bottom", bottom)):
        plot.setLabel(side, text)
    set_title(plot, title)
    return style_in_theme(plot)


def nan_color():
    """What shows through NaN pixels (transparent): a grey no weight has on the colour map."""
    return theme().color(theme().palette.neutral)


def span_title(plot: pg.PlotItem) -> None:
    """Let the title use the plot's width right of its left axis (a colour bar's too):
    pyqtgraph confines it to the image's column, so a long title would force the image wide
    and push the bar out."""
    span_in_theme(plot, first_column=1)


def fit_axis_width(axis: pg.AxisItem, low: float, high: float) -> None:
    """Give a vertical axis the width its labels need for ``low..high`` now: pyqtgraph widens
    it only after a paint, too late for an export rendered straight away (``-0.0`` cut)."""
    size = max(axis.geometry().height(), 100.0)
    metrics = QFontMetricsF(axis.style["tickFont"] or QFont())
    scale = axis.autoSIPrefixScale * axis.scale
    widest = 0.0
    for spacing, values in axis.tickValues(low, high, size):
        for text in axis.tickStrings(values, scale, spacing):
            widest = max(widest, metrics.horizontalAdvance(text))
    width = widest + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"])
    if axis.label.isVisible():
        width += axis.label.boundingRect().height() * 0.8
    axis.setWidth(math.ceil(width) + 2)


class ValueAxisItem(SpacedAxisItem):
    """A value axis readable at any scale, whose labels never overlap.

    Between 1e-4 and 1e5 it shows raw numbers (students compare them with ``print``); beyond,
    a power of ten moves into the label (``value (x1e+15)``) and the ticks stay short. Long
    labels get fewer ticks (see :class:`~explorer.ui.plots.spaced_axis.SpacedAxisItem`).
    """

    scales_its_label = True  # the theme leaves its power of ten in the label
    SCALED = ((1e-300, 1e-4), (1e5, math.inf))  # largest |value| with a factor in the label

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.setSIPrefixEnableRanges(self.SCALED)
        # A tick near the end may overhang by a few pixels rather than vanish (±5e17 of ±5.2e17).
        self.setStyle(hideOverlappingLabels=False)

    def setLabel(self, *args, **kwargs):  # noqa: N802 (pyqtgraph API)
        # pyqtgraph's setLabel resets the ranges to its default (scaling from 1 down).
        kwargs.setdefault("siPrefixEnableRanges", self.SCALED)
        super().setLabel(*args, **kwargs)

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph API)
        step = spacing * scale
        # As many decimals as the step has: 0.2 -> 1, 0.25 -> 2, 2.5 -> 1, 25 -> 0.
        extra = 1 if leading(step) == 2.5 else 0
        places = max(0, extra - math.floor(math.log10(step) + 1e-9))
        labels = []
        for value in values:
            value *= scale
            if abs(value) < step * 1e-9:
                labels.append("0")  # not "0.0000" or "-0.00"
            elif not 1e-3 <= abs(value) < 1e5:
                labels.append(f"{value:g}")
            else:
                labels.append(f"{value:.{places}f}")
        return labels
