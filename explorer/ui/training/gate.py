"""Take turns on the model: the worker holds it for one step, the GUI reads it in between."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

#: How long a paint waits for the worker's turn to end before it goes ahead without it: one
#: optimizer step of a small model takes well under a millisecond, a live view ten or more.
COURTESY_TIMEOUT = 0.004


class ModelGate:
    """A mutex for the shared model that gives the GUI thread priority.

    The worker enters :meth:`worker_turn` around each optimizer step; the GUI enters
    :meth:`gui_turn` to read parameters (the Model tab's live heatmaps, saving weights) and
    :meth:`gui_courtesy` around work that only needs the worker to pause (painting).
    The worker may also hold the gate across a short batch of steps
    (:meth:`worker_acquire` ... :meth:`worker_release`, checking :attr:`gui_waiting` between
    steps), so a waiting GUI waits at most one step, and it never sees half-updated
    parameters. The worker, in turn, never steps while the GUI reads.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._busy = False
        self._gui_waiting = 0
        self._gui_owner: int | None = None
        self._worker_owner: int | None = None

    @property
    def gui_waiting(self) -> bool:
        """True while the GUI waits for its turn (a plain read: the worker polls it)."""
        return self._gui_waiting > 0

    def gui_turn(self) -> AbstractContextManager[None]:
        """The GUI's turn to read the model: waits for the worker's step to end."""
        return self._gui_hold(None)

    def gui_courtesy(self, timeout: float = COURTESY_TIMEOUT) -> AbstractContextManager[None]:
        """A turn for GUI work that does not touch the model (painting), taken to keep the
        worker from contending for the GIL meanwhile: like :meth:`gui_turn`, but waiting at
        most ``timeout`` seconds; past that (the worker is computing a view, which holds the
        gate for tens of milliseconds) the work goes ahead without the gate."""
        return self._gui_hold(timeout)

    @contextmanager
    def _gui_hold(self, timeout: float | None) -> Iterator[None]:
        # Reentrant for the thread that holds it: a read nested in a read must not deadlock.
        if self._gui_owner == threading.get_ident():
            yield
            return
        with self._condition:
            self._gui_waiting += 1
            try:
                owned = self._condition.wait_for(lambda: not self._busy, timeout)
            finally:
                self._gui_waiting -= 1
            if owned:
                self._busy = True
                self._gui_owner = threading.get_ident()
            else:
                self._condition.notify_all()  # a worker waiting for the GUI to finish waiting
        if not owned:
            yield
            return
        try:
            yield
        finally:
            self._gui_owner = None
            self._release()

    @contextmanager
    def worker_turn(self) -> Iterator[None]:
        # Reentrant: inside a batch held with worker_acquire() it is a no-op.
        if self._worker_owner == threading.get_ident():
            yield
            return
        self.worker_acquire()
        try:
            yield
        finally:
            self.worker_release()

    def worker_acquire(self) -> None:
        """Take the model for the worker (waits for the GUI); pair with :meth:`worker_release`."""
        with self._condition:
            self._condition.wait_for(lambda: not self._busy and self._gui_waiting == 0)
            self._busy = True
            self._worker_owner = threading.get_ident()

    def worker_release(self) -> None:
        self._worker_owner = None
        self._release()

    def _release(self) -> None:
        with self._condition:
            self._busy = False
            self._condition.notify_all()
