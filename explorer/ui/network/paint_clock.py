"""How long the Network tab's views take to paint, so the tab keeps to its share of the time.

The views add the GUI thread's CPU time (``time.thread_time``) of each paint; the tab reads
the total before and after a refresh and waits in proportion before the next one.
"""

from __future__ import annotations


class PaintClock:
    """A running total of CPU seconds spent painting the tab's views."""

    def __init__(self) -> None:
        self.total = 0.0

    def add(self, seconds: float) -> None:
        self.total += seconds


PAINT_CLOCK = PaintClock()
