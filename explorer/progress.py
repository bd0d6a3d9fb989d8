"""A terminal progress bar for long command-line work (no Qt).

On a terminal it redraws one line in place (``\\r``); when stderr is a file or a pipe it
prints a plain line now and then instead, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def format_seconds(seconds: float) -> str:
    """``75.2`` -> ``"1:15"``; ``3725`` -> ``"1:02:05"``."""
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """``update(done, detail)`` as work advances, ``finish(detail)`` at the end.

    Parameters
    ----------
    total : int
        Units of work in all (e.g. optimizer steps).
    label : str
        Shown before the bar.
    stream : text stream
        Defaults to stderr, so the bar never mixes with a command's output.
    interactive : bool, optional
        Force the terminal (True) or plain (False) style; by default ``stream.isatty()``.
    """

    WIDTH = 28
    REDRAW_SECONDS = 0.1
    PLAIN_SECONDS = 5.0

    def __init__(
        self,
        total: int,
        label: str = "",
        stream: TextIO | None = None,
        interactive: bool | None = None,
        clock=time.monotonic,
    ):
        self.total = max(1, int(total))
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        if interactive is None:
            isatty = getattr(self.stream, "isatty", None)
            interactive = bool(isatty and isatty())
        self.interactive = interactive
        self._clock = clock
        self._started = clock()
        self._last = float("-inf")
        self._width = 0

    def line(self, done: int, detail: str = "") -> str:
        """The text of the bar for ``done`` units."""
        done = min(max(0, done), self.total)
        fraction = done / self.total
        elapsed = self._clock() - self._started
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else float("nan")
        filled = int(round(self.WIDTH * fraction))
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        eta_text = format_seconds(eta) if eta == eta else "?"
        text = (
            f"{self.label} [{bar}] {100 * fraction:5.1f}%  {format_seconds(elapsed)} < {eta_text}"
        )
        return f"{text}  {detail}" if detail else text

    def update(self, done: int, detail: str = "", force: bool = False) -> None:
        now = self._clock()
        pause = self.REDRAW_SECONDS if self.interactive else self.PLAIN_SECONDS
        if not force and now - self._last < pause:
            return
        self._last = now
        text = self.line(done, detail)
        if self.interactive:
            pad = " " * max(0, self._width - len(text))
            self.stream.write(f"\r{text}{pad}")
            self._width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self, detail: str = "") -> None:
        self.update(self.total, detail, force=True)
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()
