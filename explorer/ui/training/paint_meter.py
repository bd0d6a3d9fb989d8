"""Measure how long the Training tab's plots take to paint, to keep the GUI thread's share.

The worker and the GUI thread share Python's GIL: every millisecond spent painting is a
millisecond not spent training. Plots mix in :class:`TimedPaint`; the display asks
:data:`PAINT_METER` how much painting its last refresh caused and waits accordingly.
Time is the GUI thread's CPU time (``time.thread_time``): what the worker loses. Wall time
would also count the waits for the GIL while the worker holds it, which cost it nothing.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

import pyqtgraph as pg


class PaintMeter:
    """A running total of CPU seconds spent in the timed plots' ``paintEvent`` (and in the
    display's own updates, which add theirs)."""

    def __init__(self) -> None:
        self.total = 0.0

    def add(self, seconds: float) -> None:
        self.total += seconds


PAINT_METER = PaintMeter()


class TimedPaint:
    """Mixin for ``pg.PlotWidget`` subclasses: paints count into :data:`PAINT_METER`.

    ``turn`` (the training gate's ``gui_courtesy``, set by the Training tab) is held while the
    plot paints: the worker waits between two steps instead of contending for the GIL, so
    a paint takes its own time, not twice that, and the event loop does not stall as long.
    """

    turn: Callable[[], AbstractContextManager] = contextlib.nullcontext

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        with self.turn():
            started = time.thread_time()
            super().paintEvent(event)
            PAINT_METER.add(time.thread_time() - started)


class TimedPlotWidget(TimedPaint, pg.PlotWidget):
    """A plain ``pg.PlotWidget`` whose paints are timed."""
