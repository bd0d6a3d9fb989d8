"""Take turns on the model: the worker holds it for one step, the GUI reads it in between."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ModelGate:
    """A mutex for the shared model that gives the GUI thread priority.

    The worker enters :meth:`worker_turn` around each optimizer step; the GUI enters
    :meth:`gui_turn` to read parameters (the Model tab's live heatmaps, saving weights).
    A waiting GUI is let in before the worker's next step, so it waits at most one step,
    and it never sees half-updated parameters. The worker, in turn, never steps while the
    GUI reads.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._busy = False
        self._gui_waiting = 0
        self._gui_owner: int | None = None

    @contextmanager
    def gui_turn(self) -> Iterator[None]:
        # Reentrant for the thread that holds it: a read nested in a read must not deadlock.
        if self._gui_owner == threading.get_ident():
            yield
            return
        with self._condition:
            self._gui_waiting += 1
            try:
                self._condition.wait_for(lambda: not self._busy)
            finally:
                self._gui_waiting -= 1
            self._busy = True
            self._gui_owner = threading.get_ident()
        try:
            yield
        finally:
            self._gui_owner = None
            self._release()

    @contextmanager
    def worker_turn(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not self._busy and self._gui_waiting == 0)
            self._busy = True
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        with self._condition:
            self._busy = False
            self._condition.notify_all()
