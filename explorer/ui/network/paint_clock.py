"""How long the Network tab's views take to paint, so the tab keeps to its share of the time.

The views add the GUI thread's CPU time (``time.thread_time``) of each paint; the tab reads
the total before and after a refresh and waits in proportion before the next one.
"""

from __future__ import annotations


class PaintClock:
    """Running totals of CPU seconds spent painting each of the tab's views, by name."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}

    def add(self, view: str, seconds: float) -> None:
        self.totals[view] = self.totals.get(view, 0.0) + seconds

    def total(self, view: str) -> float:
        return self.totals.get(view, 0.0)


PAINT_CLOCK = PaintClock()
