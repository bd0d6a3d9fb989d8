"""Relay a training process to the GUI: a worker QObject in a QThread, results by signal.

Training itself runs in a process of its own (:class:`explorer.training.process.TrainingProcess`),
so drawing never competes with it for the interpreter. The worker object has no parent and
is moved to a QThread that the :class:`TrainingController` owns; there it reads the
process's messages and emits each as a signal. The controller sends commands (run, steps,
pause, stop, pace) straight to the process, never calling the worker across threads.
:meth:`TrainingController.shutdown` stops the process, which ends the worker's reading, and
waits for both, so closing the window mid-run leaves nothing running.

The model the GUI shows (the Model tab's instance) is a copy that follows the process: each
``state`` message is loaded into it in the GUI thread, so the GUI reads it whenever it likes.
"""

from __future__ import annotations

import weakref
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from explorer.engine import Tensor, nn
from explorer.training import EpochRecord
from explorer.training.process import TrainingProcess
from explorer.training.run_setup import RunSetup
from explorer.training.wire import WireError
from explorer.ui.background import GuiThreadGarbageCollection


class TrainingWorker(QObject):
    """Reads one training process's messages in its thread and emits them as signals."""

    sigSteps = Signal(object)  # {"run", "steps", "losses", "samples", "seconds", "epochs"}
    sigView = Signal(object)  # {"run", **job.view()}
    sigState = Signal(object)  # {"run", "state": {name: array}}
    sigRecords = Signal(object)  # {"run", "layers", "scalars", "distributions"}: layer health
    # {"run", "reason": paused|stopped|done|diverged|error, "message"}
    sigStopped = Signal(object)

    def __init__(self, process: TrainingProcess, run_id: int):
        super().__init__()  # no parent: it is moved to its own thread
        self._process = process
        self._run_id = run_id
        self.closing = False  # set by the controller before it stops the process

    @Slot()
    def pump(self) -> None:
        """Relay messages until the process closes its output."""
        signals = {
            "steps": self.sigSteps,
            "view": self.sigView,
            "state": self.sigState,
            "records": self.sigRecords,
            "stopped": self.sigStopped,
        }
        try:
            while (message := self._process.read()) is not None:
                kind = message.pop("kind", None)
                if kind == "steps":
                    message["epochs"] = [_with_record(report) for report in message["epochs"]]
                if kind in signals:
                    signals[kind].emit(message)
        except (WireError, OSError, ValueError, TypeError) as error:
            self._process_failed(f"its messages could not be read ({error})")
            return
        if not self.closing:  # the process ended by itself: it crashed or was killed
            code = self._process.close()
            self._process_failed(f"it ended unexpectedly (exit code {code})")

    def _process_failed(self, why: str) -> None:
        message = f"the training process failed: {why}"
        self.sigStopped.emit({"run": self._run_id, "reason": "error", "message": message})


def _with_record(report: dict[str, Any]) -> dict[str, Any]:
    record = report.get("record")
    if isinstance(record, dict):
        report["record"] = EpochRecord(**record)
    return report


class RunHandle:
    """The GUI's side of the active run: which run, the model that follows it, whether it
    is over (done or diverged)."""

    def __init__(self, run_id: int, model: nn.Module):
        self.run_id = run_id
        self.model = model
        self.done = False


class TrainingController(QObject):
    """Owns the active run's process and the thread that relays it; lives in the GUI thread.

    Its signals re-emit the worker's (already in the GUI thread, filtered to the active
    run), so the tab connects once and never sees a stale run's late results. ``state``
    messages are loaded into the run's model here, before anything else sees them.
    """

    sigSteps = Signal(object)
    sigEpochFinished = Signal(object)
    sigView = Signal(object)
    sigRecords = Signal(object)
    sigStopped = Signal(object)

    _sigPump = Signal()
    _threads: weakref.WeakSet[QThread] = weakref.WeakSet()

    @classmethod
    def running_threads(cls) -> list[QThread]:
        """Relay threads still running (tests assert none is left behind)."""
        return [t for t in cls._threads if t.isRunning()]

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._process: TrainingProcess | None = None
        self._spare: TrainingProcess | None = None  # started ahead for the next run
        self._job: RunHandle | None = None
        self._running = False
        self._pace: float | None = None  # steps per second; None: full speed
        # While a worker thread exists the collector is off; the GUI thread collects here.
        self._collect_timer = QTimer(self)
        self._collect_timer.setInterval(250)
        self._collect_timer.timeout.connect(GuiThreadGarbageCollection.collect)

    @property
    def job(self) -> RunHandle | None:
        return self._job

    @property
    def process(self) -> TrainingProcess | None:
        """The active run's process (benchmarks pin it to a CPU)."""
        return self._process

    def is_running(self) -> bool:
        """True while the process is stepping (not paused, not finished)."""
        return self._running

    def has_thread(self) -> bool:
        return self._thread is not None

    def attach(self, setup: RunSetup, model: nn.Module) -> None:
        """Make ``setup``'s run the active one, in a fresh process, without stepping.

        ``model`` is the GUI's copy of the model being trained: from now on it follows the
        process's ``state`` messages.
        """
        self.shutdown()
        process, self._spare = self._spare, None
        if process is None or not process.alive():
            process = TrainingProcess()  # OSError if no process can start: nothing is set
        # Before the writer thread runs any Python: the collector stays out of it.
        GuiThreadGarbageCollection.worker_starts()  # until shutdown() has joined the threads
        process.start(setup)
        process.send({"kind": "pace", "steps_per_second": self._pace})
        self._process = process
        self._job = RunHandle(setup.run_id, model)
        self._thread = QThread()
        self._thread.setObjectName(f"training-run-{setup.run_id}")
        self._worker = TrainingWorker(self._process, setup.run_id)
        self._worker.moveToThread(self._thread)
        self._worker.sigSteps.connect(self._on_worker_steps)
        self._worker.sigView.connect(self._on_worker_view)
        self._worker.sigState.connect(self._on_worker_state)
        self._worker.sigRecords.connect(self._on_worker_records)
        self._worker.sigStopped.connect(self._on_worker_stopped)
        self._sigPump.connect(self._worker.pump)
        TrainingController._threads.add(self._thread)
        self._collect_timer.start()
        self._thread.start()
        self._sigPump.emit()

    def prepare(self) -> None:
        """Start a process for the next run now, while nothing waits: a run's Start then
        does not wait for Python and numpy to load (a few tenths of a second)."""
        if self._spare is None or not self._spare.alive():
            try:
                self._spare = TrainingProcess()
            except OSError:  # attach() tries again, and reports what fails
                self._spare = None

    def close(self) -> None:
        """:meth:`shutdown`, and end the process kept for the next run (quitting)."""
        self.shutdown()
        if self._spare is not None:
            self._spare.close()
            self._spare = None

    def run(self) -> None:
        """Start or resume stepping (from the model's weights as the GUI has them)."""
        if self._process is None or self._running:
            return
        self._set_running(True)
        self._process.send({"kind": "run", "state": self._resume_state()})

    def step(self, count: int = 1) -> None:
        if self._process is None or self._running:
            return
        self._set_running(True)
        self._process.send({"kind": "steps", "count": int(count), "state": self._resume_state()})

    def _resume_state(self) -> dict[str, Any]:
        # The GUI's model may have been changed while paused (weights loaded, re-initialized):
        # the process continues from it. A copy: the GUI may change it again meanwhile.
        return {k: v.numpy().copy() for k, v in self._job.model.state_dict().items()}

    def _set_running(self, running: bool) -> None:
        self._running = running

    def set_pace(self, steps_per_second: float | None) -> None:
        """Train at most this many steps a second (None: full speed): the active run at
        once, and every run after it."""
        self._pace = steps_per_second
        if self._process is not None:
            self._process.send({"kind": "pace", "steps_per_second": steps_per_second})

    def pause(self) -> None:
        if self._process is not None:
            self._process.send({"kind": "pause"})

    def shutdown(self) -> None:
        """Stop the process between two steps, end the relay thread and wait for both."""
        if self._thread is None:
            return
        self._worker.closing = True
        self._process.close()  # its output ends, so does the worker's pump
        self._thread.quit()
        self._thread.wait()
        self._thread = None
        self._worker = None
        self._process = None
        self._job = None
        self._set_running(False)
        self._collect_timer.stop()
        GuiThreadGarbageCollection.worker_stops()
        GuiThreadGarbageCollection.collect()

    def _is_current(self, payload: dict) -> bool:
        return self._job is not None and payload.get("run") == self._job.run_id

    def _on_worker_steps(self, payload: dict) -> None:
        if not self._is_current(payload):
            return
        if payload["steps"]:
            self.sigSteps.emit(payload)
        for report in payload["epochs"]:  # after the steps that ended the epoch
            self.sigEpochFinished.emit({"run": payload["run"], **report})

    def _on_worker_view(self, payload: dict) -> None:
        if self._is_current(payload):
            self.sigView.emit(payload)

    def _on_worker_records(self, payload: dict) -> None:
        if self._is_current(payload):
            self.sigRecords.emit(payload)

    def _on_worker_state(self, payload: dict) -> None:
        if not self._is_current(payload):
            return
        model = self._job.model
        model.load_state_dict(payload["state"])
        grads = payload.get("grads", {})
        for name, param in model.named_parameters():  # the Model tab shows them too
            grad = grads.get(name)
            if grad is not None and grad.shape != param.data.shape:
                grad = None
            param.grad = None if grad is None else Tensor(grad)

    def _on_worker_stopped(self, payload: dict) -> None:
        if not self._is_current(payload):
            return
        if payload.get("reason") in ("done", "diverged"):
            self._job.done = True
        self._set_running(False)
        self.sigStopped.emit(payload)
