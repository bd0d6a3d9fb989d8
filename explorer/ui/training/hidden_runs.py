"""Marks at the loss view's edges for runs the view does not show (after a pan or a zoom).

Which runs lie outside, and where, is :func:`~explorer.ui.training.loss_view.where_hidden`'s
rule; :class:`HiddenRunMarks` draws one triangle per such run, in its colour, at the edge it
lies beyond, and says which they are so the plot can name them in its legend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg

from explorer.ui.theme import theme
from explorer.ui.training.loss_view import EDGE_SYMBOLS, to_view, where_hidden
from explorer.ui.training.palette import color

EDGE_INSET = 7  # pixels between a mark and the view's edge


@dataclass
class Curve:
    """A run's curve as drawn: steps, (smoothed) losses and its palette colour."""

    key: int
    xs: np.ndarray
    ys: np.ndarray
    color_index: int


class HiddenRunMarks:
    """A scatter item on ``plot`` marking the curves its view does not show."""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.hidden: dict[int, str] = {}  # curve key -> "above", "below", "left" or "right"
        self.item = pg.ScatterPlotItem(size=12, pxMode=True)
        self.item.setZValue(25)  # over every curve
        self.item.csv_exclude = True
        plot.addItem(self.item, ignoreBounds=True)

    def update(self, curves: list[Curve], log: bool) -> bool:
        """Mark the ``curves`` none of which the view shows, at its edges as they are now
        (no curve: clear the marks); True when which curves are hidden changed."""
        vb = self.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        hidden, spots = {}, []
        for curve in curves:
            if curve.xs is None or not len(curve.xs):
                continue
            ys = to_view(curve.ys, log)
            where = where_hidden(curve.xs, ys, ((x0, x1), (y0, y1)))
            if where:
                hidden[curve.key] = where
                spots.append(self._spot(curve.xs, ys, where, curve.color_index))
        changed = hidden != self.hidden
        if hidden or changed:
            self.item.setData(spots)
        self.hidden = hidden
        return changed

    def _spot(self, xs: np.ndarray, ys: np.ndarray, where: str, index: int) -> dict:
        vb = self.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        px, py = vb.viewPixelSize()
        if where in ("above", "below"):  # over the run's steps in view
            inside = (xs >= x0) & (xs <= x1)
            x = float(np.mean(xs[inside])) if inside.any() else (x0 + x1) / 2
            y = y1 - EDGE_INSET * py if where == "above" else y0 + EDGE_INSET * py
        else:  # level with the run's typical loss
            finite = ys[np.isfinite(ys)]
            y = float(np.clip(np.median(finite), y0, y1)) if finite.size else (y0 + y1) / 2
            x = x0 + EDGE_INSET * px if where == "left" else x1 - EDGE_INSET * px
        return {
            "pos": (x, y),
            "symbol": EDGE_SYMBOLS[where],
            "brush": pg.mkBrush(color(index)),
            "pen": pg.mkPen(theme().palette.background, width=1),
        }
