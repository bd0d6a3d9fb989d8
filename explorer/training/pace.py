"""How fast a run steps: at full speed, or at most so many steps a second, so a person can
watch the decision regions, curves and confusion matrix change (as TensorFlow Playground
does).

:data:`PACES` are the paces the app offers; the command line always trains at full speed.
A :class:`Pacer` spaces the steps of a :class:`~explorer.training.run_loop.RunLoop` on a clock
it is given (tests give it their own): :meth:`Pacer.delay` says how long until the next step
is due, :meth:`Pacer.wait` waits that long unless :meth:`Pacer.wake` (a pause, a stop, a new
pace) cuts the wait short, and :meth:`Pacer.stepped` records a step. Time before a
:meth:`Pacer.restart` (a pause) never counts: a resumed run is not owed a burst of steps.

>>> clock = iter([0.0, 0.004, 0.01]).__next__
>>> pacer = Pacer(100.0, clock=clock)
>>> pacer.stepped()
>>> round(pacer.delay(), 3), round(pacer.delay(), 3)
(0.006, 0.0)
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from explorer.quoting import quoted

#: The paces the app offers: key -> (label, steps per second; None for full speed).
PACES: dict[str, tuple[str, float | None]] = {
    "slow": ("Slow (20 steps/s)", 20.0),
    "watch": ("Watch (250 steps/s)", 250.0),
    "fast": ("Fast (1,000 steps/s)", 1000.0),
    "full": ("Full speed", None),
}
#: The app's pace at first: the default spiral run (2,300 steps) takes about 9 seconds.
DEFAULT_PACE = "watch"
MAX_STEPS_PER_SECOND = 1e6


def check_rate(rate: float | None) -> float | None:
    """``rate`` (steps per second) if it is None (full speed) or a number in (0, 1e6];
    ValueError quoting it otherwise."""
    if rate is None:
        return None
    ok = isinstance(rate, int | float) and not isinstance(rate, bool) and math.isfinite(rate)
    if not ok or not 0 < rate <= MAX_STEPS_PER_SECOND:
        raise ValueError(
            f"a pace must be a number of steps per second in (0, {MAX_STEPS_PER_SECOND:g}] "
            f"or null for full speed; got {quoted(rate)}"
        )
    return float(rate)


class Pacer:
    """Spaces steps at most ``rate`` a second (None: full speed) on ``clock``.

    :meth:`set_rate` and :meth:`wake` may be called from any thread; the others from the
    thread that steps.

    Parameters
    ----------
    rate : float or None
        Steps per second, or None for no limit.
    clock : callable, optional
        Seconds as a float, monotonic (default ``time.perf_counter``).
    sleep : callable, optional
        ``sleep(seconds)`` used by :meth:`wait` instead of a wait that :meth:`wake` ends
        (tests advance their clock with it).
    """

    def __init__(
        self,
        rate: float | None = None,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], None] | None = None,
    ):
        self._rate = check_rate(rate)
        self._clock = clock
        self._sleep = sleep
        self._woken = threading.Event()
        self._lock = threading.Lock()
        self._last: float | None = None  # when the last step went
        self._next: float | None = None  # when the next step is due (None: now)

    @property
    def rate(self) -> float | None:
        return self._rate

    @property
    def clock(self) -> Callable[[], float]:
        """The clock the steps are spaced on (the run loop times its reports on it too)."""
        return self._clock

    def set_rate(self, rate: float | None) -> None:
        """Step at most ``rate`` a second from now on: the step being waited for is due one
        new interval after the last step (at once when that is past)."""
        rate = check_rate(rate)
        with self._lock:
            self._rate = rate
            self._next = None if rate is None or self._last is None else self._last + 1 / rate
        self.wake()

    def restart(self) -> None:
        """Stepping starts anew (a run, or a resumed one): the first step goes at once."""
        with self._lock:
            self._last = self._next = None
        self._woken.clear()

    def delay(self) -> float:
        """Seconds until the next step is due; 0 when it may go now."""
        if self._rate is None:
            return 0.0
        with self._lock:
            due = self._next
        return 0.0 if due is None else max(0.0, due - self._clock())

    def stepped(self) -> None:
        """A step went now: the next is due one interval after this one was due (a wait that
        woke a little late costs no pace), or one interval from now when this step came a
        whole interval late (a slow step is not made up for by a burst)."""
        if self._rate is None:
            return
        now = self._clock()
        with self._lock:
            interval = 1 / self._rate
            due = self._next
            late = due is None or now - due >= interval
            self._last = now
            self._next = now + interval if late else due + interval

    def wait(self, seconds: float) -> None:
        """Wait ``seconds``, or less if :meth:`wake` is called meanwhile."""
        if self._sleep is not None:
            self._sleep(seconds)
            return
        self._woken.wait(seconds)
        self._woken.clear()

    def wake(self) -> None:
        """End a :meth:`wait` now (a pause, a stop or a new pace needs the stepping thread)."""
        self._woken.set()
