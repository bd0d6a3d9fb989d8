"""An axis whose tick labels never overlap, at any length, font size or zoom.

pyqtgraph picks the tick spacing from the axis' length alone and always draws the labels of
the first level, however long they are: on a short axis "500", "1000" and "1500" run together
("500 10001500"). :class:`SpacedAxisItem` steps the spacing up (1, 2, 2.5, 5, 10, ...) until
its widest label fits between two ticks with a gap to spare (or a coarser spacing would leave
a single tick), and never draws a label over another: one that would touch a label already
drawn is left out.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

#: Pixels kept between two tick labels.
LABEL_GAP = 8


class SpacedAxisItem(pg.AxisItem):
    """A pyqtgraph axis whose tick labels keep :data:`LABEL_GAP` pixels apart."""

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph API)
        levels = super().tickSpacing(minVal, maxVal, size)
        if not levels or size <= 0 or self.logMode or maxVal == minVal:
            return levels
        low, high = sorted((minVal, maxVal))
        metrics = QFontMetricsF(self.style["tickFont"] or QFont())
        scale = self.autoSIPrefixScale * self.scale
        major = levels[0][0]
        for _ in range(24):
            first, last = math.ceil(low / major), math.floor(high / major)
            if last - first < 1:
                break
            if self.orientation in ("top", "bottom"):
                labels = self.tickStrings([first * major, last * major], scale, major)
                room = max(metrics.horizontalAdvance(text) for text in labels)
            else:
                room = metrics.height()
            if room + LABEL_GAP <= size * major / (high - low):
                break
            coarser = next_nice(major)
            if math.floor(high / coarser) - math.ceil(low / coarser) < 1:
                break  # it would leave one tick or none: keep these, drawing those that fit
            major = coarser
        if major == levels[0][0]:
            return levels
        if len(levels) == 1:
            return [(major, 0.0)]
        return [(major, 0.0), (major / (4 if leading(major) == 2 else 5), 0.0)]

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph API)
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis, ticks, texts = specs
        kept, rects = [], []
        half = LABEL_GAP / 2
        for spec in texts:  # the first level's labels come first
            rect = spec[0].adjusted(-half, -half, half, half)
            if not any(rect.intersects(other) for other in rects):
                kept.append(spec)
                rects.append(rect)
        return axis, ticks, kept


def leading(step: float) -> float:
    """The leading digits of ``step``: 1, 2, 2.5 or 5 for the steps axes use."""
    return round(step / 10.0 ** math.floor(math.log10(step) + 1e-9), 1)


def next_nice(step: float) -> float:
    """The next step of the 1, 2, 2.5, 5 sequence above ``step``."""
    power = 10.0 ** math.floor(math.log10(step) + 1e-9)
    first = leading(step)
    return power * (2 if first < 2 else 2.5 if first < 2.5 else 5 if first < 5 else 10)


__all__ = ["LABEL_GAP", "SpacedAxisItem", "leading", "next_nice"]
