"""What the loss view fits, when it offers log y, and which runs lie outside it.

The rule: the view fits every run it draws (the current run and every ticked run), so ticking
a run is asking to see it, and unticking one takes it out of the fit. When the ticked runs'
losses differ by :data:`LOG_OFFER_RATIO` or more, a linear axis flattens the smaller ones at
the bottom: the view offers log y. A run the person panned or zoomed away from is never hidden
without a sign (:func:`where_hidden`: the plot marks it at the edge and in its legend).

Values here are the plot's: the smoothed curve and the validation points, in data units;
:func:`to_view` maps them to the axis (log10 on a log axis).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: The ratio between the ticked runs' highest losses from which log y is offered.
LOG_OFFER_RATIO = 100.0

Range = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Bounds:
    """A curve's extent: steps ``x0..x1``, losses ``y0..y1``, its smallest positive loss."""

    x0: float
    x1: float
    y0: float
    y1: float
    positive: float  # inf when no loss is positive (nothing to show on a log axis)


def curve_bounds(xs: np.ndarray, ys: np.ndarray) -> Bounds | None:
    """The extent of the finite points of ``(xs, ys)``; None when there is none."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    keep = np.isfinite(xs) & np.isfinite(ys)
    if not keep.any():
        return None
    xs, ys = xs[keep], ys[keep]
    positive = ys[ys > 0]
    return Bounds(
        float(xs.min()),
        float(xs.max()),
        float(ys.min()),
        float(ys.max()),
        float(positive.min()) if positive.size else np.inf,
    )


def fit(bounds: list[Bounds], log: bool) -> Range | None:
    """``((x0, x1), (y0, y1))`` holding every curve, in view coordinates; None if empty."""
    ys = []
    for b in bounds:
        if log:
            if np.isfinite(b.positive):
                ys += [np.log10(b.positive), np.log10(b.y1)]
        else:
            ys += [b.y0, b.y1]
    if not bounds or not ys:
        return None
    x0, x1 = min(b.x0 for b in bounds), max(b.x1 for b in bounds)
    y0, y1 = min(ys), max(ys)
    if x1 <= x0:
        x0, x1 = x0 - 1, x1 + 1
    if y1 <= y0:
        y0, y1 = y0 - 0.5, y1 + 0.5
    return (x0, x1), (y0, y1)


def spread(bounds: list[Bounds]) -> float:
    """How many times the highest loss of one curve exceeds another's (1 for one curve)."""
    tops = [b.y1 for b in bounds if b.y1 > 0]
    if len(tops) < 2:
        return 1.0
    return max(tops) / min(tops)


def to_view(values: np.ndarray, log: bool) -> np.ndarray:
    """Losses as the axis places them: log10 on a log axis (NaN for the non-positive)."""
    values = np.asarray(values, dtype=float)
    if not log:
        return values
    out = np.full(values.shape, np.nan)
    positive = values > 0
    out[positive] = np.log10(values[positive])
    return out


def where_hidden(xs: np.ndarray, ys: np.ndarray, view: Range) -> str:
    """Where a curve lies when none of it shows in ``view`` (view coordinates): "above",
    "below", "left" or "right"; "" when some of it shows (or it is empty).

    A curve with points both above and below the view crosses it: its line shows.
    """
    (vx0, vx1), (vy0, vy1) = view
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    keep = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[keep], ys[keep]
    if not xs.size:
        return ""
    if xs.max() < vx0:
        return "left"
    if xs.min() > vx1:
        return "right"
    # The points in the view's steps, with one neighbour each side: the line to it shows too.
    start = max(0, int(np.searchsorted(xs, vx0)) - 1)
    stop = min(xs.size, int(np.searchsorted(xs, vx1, side="right")) + 1)
    inside = ys[start:stop]
    if inside.min() > vy1:
        return "above"
    if inside.max() < vy0:
        return "below"
    return ""


#: How a hidden run is marked at the view's edge (a pyqtgraph symbol) and named in the legend.
EDGE_SYMBOLS = {"above": "t1", "below": "t", "left": "t3", "right": "t2"}
EDGE_NOTES = {"above": "▲ above", "below": "▼ below", "left": "◀ left", "right": "▶ right"}
