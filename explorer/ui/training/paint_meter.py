"""Measure how long the Training tab's plots take to paint, to keep the GUI thread's share.

Training runs in a process of its own, but the GUI thread still has other work (input,
the relay's signals): plots mix in :class:`TimedPaint`, and the display asks
:data:`PAINT_METER` how much painting its last refresh caused and waits accordingly.
Time is the GUI thread's CPU time (``time.thread_time``).
"""

from __future__ import annotations

import time

import pyqtgraph as pg

from explorer.ui.plots.minimum import ContentMinimum


class PaintMeter:
    """A running total of CPU seconds spent in the timed plots' ``paintEvent`` (and in the
    display's own updates, which add theirs)."""

    def __init__(self) -> None:
        self.total = 0.0

    def add(self, seconds: float) -> None:
        self.total += seconds


PAINT_METER = PaintMeter()


class TimedPaint(ContentMinimum):
    """Mixin for ``pg.PlotWidget`` subclasses: paints count into :data:`PAINT_METER`; never
    narrower than their plot (:class:`~explorer.ui.plots.minimum.ContentMinimum`)."""

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        started = time.thread_time()
        super().paintEvent(event)
        PAINT_METER.add(time.thread_time() - started)


class TimedPlotWidget(TimedPaint, pg.PlotWidget):
    """A plain ``pg.PlotWidget`` whose paints are timed."""
