"""The progress bar's text: epoch, step, samples per second and time left."""

from __future__ import annotations

import math


class SpeedMeter:
    """Samples per second, averaged over the last few reports (an EMA over time)."""

    def __init__(self, weight: float = 0.8):
        self.weight = weight
        self.rate = 0.0

    def reset(self) -> None:
        self.rate = 0.0

    def add(self, samples: int, seconds: float) -> None:
        if seconds <= 0 or samples <= 0:
            return
        rate = samples / seconds
        self.rate = rate if self.rate == 0 else self.weight * self.rate + (1 - self.weight) * rate


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
