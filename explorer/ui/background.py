"""Run one Qt-free function off the GUI thread and get its result back by signal.

:class:`BackgroundCall` owns a QThread for the length of one call: the function runs there
(numpy and file reads; it must not touch widgets), and its result or exception arrives in
the GUI thread as :attr:`~BackgroundCall.sigDone` or :attr:`~BackgroundCall.sigFailed`.
:class:`CancellableCall` adds progress reports and a request to stop, for long computations
that check it between steps.
While the thread exists, Python's cyclic garbage collector is kept out of it (it could free
the GUI's Qt objects there): :class:`GuiThreadGarbageCollection`, which every thread of the
app that runs Python (these calls, the training relay) goes through.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class GuiThreadGarbageCollection:
    """Keep Python's cyclic garbage collector out of worker threads for their whole life.

    The collector runs in whichever thread happens to allocate; in a worker it could free
    Qt objects of the GUI (pyqtgraph items and their parentless menus live in reference
    cycles) from the wrong thread, which crashes Qt later. A worker thread runs Python
    from its start to its end (the training relay decodes messages, a background call runs
    its function, a process handle's writer encodes commands), so while any worker thread
    exists automatic collection is off and the GUI thread collects instead
    (:meth:`collect`, from a timer), with the collector's own thresholds.
    """

    _stepping = 0
    _was_enabled = True

    @classmethod
    def worker_starts(cls) -> None:
        if cls._stepping == 0:
            cls._was_enabled = gc.isenabled()
            gc.disable()
        cls._stepping += 1

    @classmethod
    def worker_stops(cls) -> None:
        cls._stepping = max(0, cls._stepping - 1)
        if cls._stepping == 0 and cls._was_enabled:
            gc.enable()

    @staticmethod
    def collect() -> None:
        """Collect the generations whose counts passed their thresholds (GUI thread only)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


class _Worker(QObject):
    sigDone = Signal(int, object)  # (call number, result)
    sigFailed = Signal(int, object)  # (call number, exception)

    def __init__(self, call: int, function: Callable[[], Any]):
        super().__init__()  # no parent: it is moved to its own thread
        self._call = call
        self._function = function

    def run(self) -> None:
        try:
            result = self._function()
        except Exception as error:  # noqa: BLE001 (reported, so the call never hangs)
            self.sigFailed.emit(self._call, error)
            return
        self.sigDone.emit(self._call, result)


class BackgroundCall(QObject):
    """One function call at a time in a thread of its own; results by signal."""

    sigDone = Signal(object)  # the function's result
    sigFailed = Signal(object)  # the exception it raised

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._call = 0  # numbers the calls: a late report of an abandoned one is dropped

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self, function: Callable[[], Any]) -> None:
        """Call ``function()`` in a new thread (RuntimeError if a call is still running)."""
        if self._thread is not None:
            raise RuntimeError("a background call is still running")
        self._call += 1
        GuiThreadGarbageCollection.worker_starts()  # ended in _finish
        self._thread = QThread()
        self._worker = _Worker(self._call, function)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.sigDone.connect(self._on_worker_done)
        self._worker.sigFailed.connect(self._on_worker_failed)
        self._thread.start()

    def wait(self) -> None:
        """Block until the call ends and drop its result (a call cannot be interrupted
        midway; this is for shutting down)."""
        self._call += 1
        self._finish()

    def _on_worker_done(self, call: int, result) -> None:
        if call == self._call:
            self._finish()
            self.sigDone.emit(result)

    def _on_worker_failed(self, call: int, error) -> None:
        if call == self._call:
            self._finish()
            self.sigFailed.emit(error)

    def _finish(self) -> None:
        if self._thread is None:
            return
        self._thread.quit()
        self._thread.wait()
        self._worker.deleteLater()
        self._thread.deleteLater()
        self._thread = self._worker = None
        GuiThreadGarbageCollection.worker_stops()
        GuiThreadGarbageCollection.collect()  # what piled up during the call, here


class _ProgressRelay(QObject):
    # Emitted in the worker thread; queued to the GUI thread's receivers.
    sigProgress = Signal(int, int, int)  # (call number, done, total)


class CancellableCall(BackgroundCall):
    """A :class:`BackgroundCall` whose function reports progress and can be asked to stop.

    The function is called as ``function(progress, should_stop)``: ``progress(done, total)``
    arrives in the GUI thread as :attr:`sigProgress`; ``should_stop()`` turns True after
    :meth:`cancel`, and the function is expected to return early then (its result still
    arrives by ``sigDone``, as the function chose to end).
    """

    sigProgress = Signal(int, int)  # (done, total)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._stop = threading.Event()
        self._relay = _ProgressRelay(self)
        self._relay.sigProgress.connect(self._on_relay_progress)

    def start(self, function: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]):
        """Call ``function(progress, should_stop)`` in a new thread."""
        self._stop = stop = threading.Event()
        relay, call = self._relay, self._call + 1

        def report(done: int, total: int) -> None:
            relay.sigProgress.emit(call, int(done), int(total))

        super().start(lambda: function(report, stop.is_set))

    def cancel(self) -> None:
        """Ask the running function to stop at its next check."""
        self._stop.set()

    def wait(self) -> None:
        """Ask the function to stop, then wait for it (shutting down)."""
        self.cancel()
        super().wait()

    def _on_relay_progress(self, call: int, done: int, total: int) -> None:
        if call == self._call and self.is_running():
            self.sigProgress.emit(done, total)
