"""Run a training job off the GUI thread: a worker QObject in a QThread, results by signal.

The worker object has no parent and is moved to a QThread that the
:class:`TrainingController` owns. The controller never calls the worker directly across
threads: it queues slots through its own signals and flips thread-safe flags (pause, stop)
that the worker checks between optimizer steps. ``QThread.terminate()`` is never used;
:meth:`TrainingController.shutdown` sets the stop flag, ends the thread's event loop and
waits, so closing the window mid-run leaves nothing running.
"""

from __future__ import annotations

import gc
import threading
import time
import traceback
import weakref
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from explorer.ui.training.gate import ModelGate

EMIT_INTERVAL = 1 / 30  # seconds between batches of step losses sent to the GUI
VIEW_INTERVAL = 0.15  # seconds between live views (decision regions) while running, at least
VIEW_SHARE = 0.025  # share of the worker's time the live views (decision regions) may take
OUTPUTS_INTERVAL = 0.25  # seconds between full validation outputs at epoch ends
HOLD_INTERVAL = 0.005  # seconds of steps per turn on the gate, unless the GUI waits sooner


class TrainingJob(Protocol):
    """What the worker drives; implemented by :class:`explorer.ui.training.job.TrainerJob`."""

    run_id: int
    done: bool
    diverged: str | None

    def step(self) -> dict[str, Any]:
        """One optimizer step: ``{"step", "loss", "samples", "epoch_finished"}``."""

    def epoch_report(self, full: bool = True) -> dict[str, Any]:
        """The epoch's record; with ``full`` also validation outputs (confusion, logits)."""

    def view(self, final: bool = False, between=None) -> dict[str, Any] | None:
        """A cheap live picture of the model (decision regions), or None; ``final`` adds the
        full validation outputs (sent when the worker stops stepping). ``between()`` may be
        called between parts of the work: the worker lets a waiting GUI in there."""


class TrainingWorker(QObject):
    """Steps a :class:`TrainingJob` until paused, stopped, finished or diverged."""

    sigSteps = Signal(object)  # {"run", "steps", "losses", "samples", "seconds", "epochs"}
    sigView = Signal(object)  # {"run", **job.view()}
    # {"run", "reason": paused|stopped|done|diverged|error, "message"}
    sigStopped = Signal(object)

    def __init__(self, job: TrainingJob, gate: ModelGate):
        super().__init__()  # no parent: it is moved to its own thread
        self._job = job
        self._gate = gate
        self._pause = threading.Event()
        self._stop = threading.Event()

    # -- flags, safe to call from any thread ----------------------------------------------
    def request_pause(self) -> None:
        self._pause.set()

    def request_stop(self) -> None:
        self._stop.set()

    # -- slots, run in the worker's thread -----------------------------------------------
    @Slot()
    def run(self) -> None:
        """Train until paused, stopped, done or diverged."""
        self._pause.clear()
        self._loop(max_steps=None)

    @Slot(int)
    def run_steps(self, count: int) -> None:
        """Take ``count`` optimizer steps (the Step button), then report as paused."""
        self._loop(max_steps=count)

    def _loop(self, max_steps: int | None) -> None:
        job = self._job
        steps: list[int] = []
        losses: list[float] = []
        epochs: list[dict] = []
        samples = 0
        started = last_emit = last_view = time.perf_counter()
        last_outputs = -OUTPUTS_INTERVAL
        view_interval = VIEW_INTERVAL
        taken = 0

        def flush() -> None:
            # One signal per ~1/30 s carries every step and epoch since the last one: a
            # cross-thread emit costs about a millisecond, too much to pay per step.
            nonlocal samples, started
            if not steps and not epochs:
                return
            now = time.perf_counter()
            self.sigSteps.emit(
                {
                    "run": job.run_id,
                    "steps": list(steps),
                    "losses": list(losses),
                    "samples": samples,
                    "seconds": now - started,
                    "epochs": list(epochs),
                }
            )
            steps.clear()
            losses.clear()
            epochs.clear()
            samples = 0
            started = now

        reason, message = "paused", ""
        gate = self._gate
        held = None  # when the worker took the gate for its current batch of steps
        try:
            while not job.done:
                if self._stop.is_set():
                    reason = "stopped"
                    break
                if max_steps is None and self._pause.is_set():
                    break
                if max_steps is not None and taken >= max_steps:
                    break
                # One turn on the gate per ~5 ms batch of steps, not per step: a lock round
                # trip per step is a measurable share of a small model's step.
                if held is None:
                    gate.worker_acquire()
                    held = time.perf_counter()
                event = job.step()
                taken += 1
                if job.diverged:
                    break
                steps.append(int(event["step"]))
                losses.append(float(event["loss"]))
                samples += int(event["samples"])
                now = time.perf_counter()
                if event.get("epoch_finished"):
                    # Full validation outputs (confusion, P/Q) at most every OUTPUTS_INTERVAL.
                    full = job.done or now - last_outputs >= OUTPUTS_INTERVAL
                    with self._gate.worker_turn():
                        epochs.append(job.epoch_report(full=full))
                    if full:
                        last_outputs = now
                if now - last_emit >= EMIT_INTERVAL:
                    flush()
                    last_emit = now
                if now - last_view >= view_interval:
                    self._emit_view()
                    last_view = time.perf_counter()
                    # Live views may take at most VIEW_SHARE of the worker's time.
                    view_interval = max(VIEW_INTERVAL, (last_view - now) / VIEW_SHARE)
                if gate.gui_waiting or now - held >= HOLD_INTERVAL:
                    gate.worker_release()  # a waiting GUI gets its turn between steps
                    held = None
        except Exception as exc:  # a bug in a job must not kill the thread silently
            if held is not None:
                gate.worker_release()
            flush()
            self.sigStopped.emit(
                {
                    "run": job.run_id,
                    "reason": "error",
                    "message": f"{exc}",
                    "details": traceback.format_exc(),
                }
            )
            return
        if held is not None:
            gate.worker_release()
        flush()
        if job.diverged:
            reason, message = "diverged", job.diverged
        elif job.done:
            reason = "done"
        if reason not in ("stopped", "diverged"):  # a diverged model has nothing to show
            self._emit_view(final=True)
        self.sigStopped.emit({"run": job.run_id, "reason": reason, "message": message})

    def _emit_view(self, final: bool = False) -> None:
        with self._gate.worker_turn():
            view = self._job.view(final=final, between=self._let_the_gui_in)
        if view is not None:
            self.sigView.emit({"run": self._job.run_id, **view})

    def _let_the_gui_in(self) -> None:
        """Between two parts of a view (tens of milliseconds in all): a GUI waiting for the
        gate (to paint, or to read the model) gets it now, not when the view is done. Only
        this thread changes the model, so the view's parts still see one model."""
        gate = self._gate
        if gate.gui_waiting:
            gate.worker_release()
            gate.worker_acquire()


class GuiThreadGarbageCollection:
    """Keep Python's cyclic garbage collector out of worker threads for their whole life.

    The collector runs in whichever thread happens to allocate; in a worker it could free
    Qt objects of the GUI (pyqtgraph items and their parentless menus live in reference
    cycles) from the wrong thread, which crashes Qt later. A worker thread runs Python
    from its start to its end (not only while it steps: the tail of a run, queued slots),
    so while any worker thread exists automatic collection is off and the GUI thread
    collects instead (:meth:`collect`, from a timer), with the collector's own thresholds.
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


class TrainingController(QObject):
    """Owns the worker thread of the active job; lives in the GUI thread.

    Its signals re-emit the worker's (already in the GUI thread, filtered to the active
    job), so the tab connects once and never sees a stale run's late results.
    """

    sigSteps = Signal(object)
    sigEpochFinished = Signal(object)
    sigView = Signal(object)
    sigStopped = Signal(object)

    _sigRun = Signal()
    _sigRunSteps = Signal(int)
    _threads: weakref.WeakSet[QThread] = weakref.WeakSet()

    @classmethod
    def running_threads(cls) -> list[QThread]:
        """Worker threads still running (tests assert none is left behind)."""
        return [t for t in cls._threads if t.isRunning()]

    def __init__(self, gate: ModelGate | None = None, parent=None):
        super().__init__(parent)
        self.gate = gate or ModelGate()
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self._job: TrainingJob | None = None
        self._running = False
        # While a worker thread exists the collector is off; the GUI thread collects here.
        self._collect_timer = QTimer(self)
        self._collect_timer.setInterval(250)
        self._collect_timer.timeout.connect(GuiThreadGarbageCollection.collect)

    @property
    def job(self) -> TrainingJob | None:
        return self._job

    def is_running(self) -> bool:
        """True while the worker is stepping (not paused, not finished)."""
        return self._running

    def has_thread(self) -> bool:
        return self._thread is not None

    def attach(self, job: TrainingJob) -> None:
        """Make ``job`` the active one, in a fresh thread, without starting to step."""
        self.shutdown()
        self._job = job
        self._thread = QThread()
        self._thread.setObjectName(f"training-run-{job.run_id}")
        self._worker = TrainingWorker(job, self.gate)
        self._worker.moveToThread(self._thread)
        self._worker.sigSteps.connect(self._on_worker_steps)
        self._worker.sigView.connect(self._on_worker_view)
        self._worker.sigStopped.connect(self._on_worker_stopped)
        self._sigRun.connect(self._worker.run)
        self._sigRunSteps.connect(self._worker.run_steps)
        TrainingController._threads.add(self._thread)
        GuiThreadGarbageCollection.worker_starts()  # until shutdown() has joined the thread
        self._collect_timer.start()
        self._thread.start()

    def run(self) -> None:
        """Start or resume stepping."""
        if self._worker is None or self._running:
            return
        self._set_running(True)
        self._sigRun.emit()

    def step(self, count: int = 1) -> None:
        if self._worker is None or self._running:
            return
        self._set_running(True)
        self._sigRunSteps.emit(count)

    def _set_running(self, running: bool) -> None:
        self._running = running

    def pause(self) -> None:
        if self._worker is not None:
            self._worker.request_pause()

    def shutdown(self) -> None:
        """Stop the worker between two steps, end its thread and wait for it."""
        if self._thread is None:
            return
        self._worker.request_stop()
        self._thread.quit()
        self._thread.wait()
        self._thread = None
        self._worker = None
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

    def _on_worker_stopped(self, payload: dict) -> None:
        if not self._is_current(payload):
            return
        self._set_running(False)
        self.sigStopped.emit(payload)
