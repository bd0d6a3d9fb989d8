"""When each of the Network tab's views may draw again: :class:`ViewPacing`.

Each view has its own shortest interval and may take at most a share of the GUI thread's
time: a refresh that cost ``c`` seconds (its work and the paints it caused) is followed by
at least ``c / share`` seconds without another, and never more than a longest interval, so a
costly view slows down rather than stalls the window or the training. One view is drawn per
turn: two views never paint in the same frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ViewPacing:
    """Due flags and earliest times of the views named in ``intervals`` (seconds, at least)."""

    intervals: dict[str, float]
    share: float
    longest: float
    due: dict[str, bool] = field(default_factory=dict)
    earliest: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.intervals:
            self.due.setdefault(name, True)
            self.earliest.setdefault(name, 0.0)

    def mark(self, name: str) -> None:
        """View ``name`` has something new to draw."""
        self.due[name] = True

    def next_view(self, now: float) -> str | None:
        """The due view whose turn came first, if its time has come."""
        ready = [n for n, due in self.due.items() if due and self.earliest[n] <= now]
        return min(ready, key=lambda n: self.earliest[n]) if ready else None

    def drawn(self, name: str, now: float, cost: float) -> None:
        """View ``name`` was drawn at ``now``, costing ``cost`` seconds of the GUI thread."""
        self.due[name] = False
        wait = min(self.longest, max(self.intervals[name], cost / self.share))
        self.earliest[name] = now + wait

    def wait(self, now: float) -> float | None:
        """Seconds until the next due view may draw (None: nothing is due)."""
        times = [self.earliest[n] for n, due in self.due.items() if due]
        return max(0.0, min(times) - now) if times else None
