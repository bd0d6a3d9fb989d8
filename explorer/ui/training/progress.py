"""The progress bar's text: epoch, step, samples per second and time left."""

from __future__ import annotations

import math
from collections import deque


class SpeedMeter:
    """Samples per second over the last ``window`` seconds of the worker's reports."""

    def __init__(self, window: float = 2.0):
        self.window = window
        self._reports: deque[tuple[int, float]] = deque()
        self._samples = 0
        self._seconds = 0.0

    def reset(self) -> None:
        self._reports.clear()
        self._samples = 0
        self._seconds = 0.0

    def add(self, samples: int, seconds: float) -> None:
        if seconds <= 0:
            return
        self._reports.append((samples, seconds))
        self._samples += samples
        self._seconds += seconds
        # Running totals: a report arrives 30 times a second, the window holds ~60.
        while len(self._reports) > 1 and self._seconds - self._reports[0][1] >= self.window:
            old_samples, old_seconds = self._reports.popleft()
            self._samples -= old_samples
            self._seconds -= old_seconds

    @property
    def rate(self) -> float:
        return self._samples / self._seconds if self._seconds > 0 else 0.0


def format_duration(seconds: float) -> str:
    if not math.isfinite(seconds) or seconds < 0:
        return "—"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def progress_text(
    epoch: int,
    epochs: int,
    step: int,
    total_steps: int,
    rate: float,
    batch_size: int,
    state: str = "",
) -> str:
    """``Epoch 3/40 · step 120/1,160 · 12,345 samples/s · ETA 0:05`` (+ the run's state)."""
    parts = [f"Epoch {min(epoch, epochs)}/{epochs}", f"step {step:,}/{total_steps:,}"]
    if rate > 0:
        parts.append(f"{rate:,.0f} samples/s")
        if step < total_steps and not state:
            parts.append(f"ETA {format_duration((total_steps - step) * batch_size / rate)}")
    if state:
        parts.append(state)
    return " · ".join(parts)
