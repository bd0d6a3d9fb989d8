"""The Training tab's runs: start, step, pause, resume, reset and adapt; the process relay.

:class:`Runner` owns the active run's :class:`~explorer.ui.training.worker.TrainingController`
(the training process and the QThread relaying it) and the ~30 Hz display timer. A run is set
up from the model document's configuration and weights, the data section's split and the
Training settings as one checked :class:`~explorer.training.run_setup.RunSetup`. While a run is
live the document's model follows the process, the document says a run is training it, and a
model rebuilt elsewhere (the Model tab) stops it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.data import DataError
from explorer.model.document import ModelDocument
from explorer.training.pace import PACES
from explorer.training.run_setup import RunSetup
from explorer.ui.background import GuiThreadGarbageCollection
from explorer.ui.tab_base import bind
from explorer.ui.training.data_section import DataSection
from explorer.ui.training.display import RunDisplay
from explorer.ui.training.runs import Run, RunListModel
from explorer.ui.training.view import TrainingView
from explorer.ui.training.worker import TrainingController

DISPLAY_INTERVAL_MS = 33  # ~30 Hz repaint, independent of the training speed
MODEL_REFRESH_TICKS = 6  # the Model tab's live heatmaps at ~5 Hz


class Runner(QObject):
    """Runs the document's model on the data section's data.

    ``ask(title, question)`` asks the person a yes/no question. ``sigMessage(text, error,
    details)`` is for the tab's message line; ``sigChanged`` follows every change of the run's
    state (running, paused, finished, gone).
    """

    sigMessage = Signal(str, bool, str)
    sigChanged = Signal()

    def __init__(
        self,
        document: ModelDocument,
        data: DataSection,
        view: TrainingView,
        runs: RunListModel,
        display: RunDisplay,
        ask: Callable[[str, str], bool],
        parent=None,
    ):
        super().__init__(parent)
        self.document = document
        self.data = data
        self.view = view
        self.runs = runs
        self.display = display
        self.ask = ask
        self.controller = TrainingController(self)
        # The runner itself changes the model or its weights (a run being set up, a run's
        # report): the run draws their outputs, the tab need not compute them.
        self.own_change = False
        #: What trained the model's weights ("#3", a weights file's name; "" if unknown):
        #: a run that continues from them says so in its name.
        self.weights_from = ""
        self._ticks = 0
        self.timer = QTimer(self)
        self.timer.setInterval(DISPLAY_INTERVAL_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.controller.sigSteps.connect(display.on_steps)
        self.controller.sigEpochFinished.connect(display.on_epoch)
        self.controller.sigView.connect(display.on_view)
        self.controller.sigStopped.connect(self._on_controller_stopped)
        bind(self, document.model_changed, self._on_document_model_changed)

    # -- state ------------------------------------------------------------------------------
    def run_in_progress(self) -> bool:
        """A run holds the model: running, or paused and able to continue."""
        return self.controller.has_thread() and not self._run_finished()

    def is_running(self) -> bool:
        """The process is stepping (not paused, not finished)."""
        return self.controller.is_running()

    def _run_finished(self) -> bool:
        job = self.controller.job
        return job is None or job.done

    def _changed(self) -> None:
        self.document.set_training(self.run_in_progress())  # a rebuild then asks first
        self.sigChanged.emit()

    def _say(self, text: str, error: bool = False, details: str = "") -> None:
        self.sigMessage.emit(text, error, details)

    # -- actions ----------------------------------------------------------------------------
    def start(self) -> bool:
        """Start a new run (fresh weights unless 'continue from current weights').

        Refused while a run is paused: Resume continues it, Reset ends it.
        """
        if self.run_in_progress():
            if not self.is_running():
                self._say("A run is paused: press Resume to continue it, or Reset first.")
            return False
        if not self._new_run():
            self._changed()
            return False
        self.controller.run()
        self.timer.start()
        self._changed()
        return True

    def step(self) -> bool:
        """Train on one batch; starts a new run when none can continue."""
        if self.is_running():
            return False
        if not self.run_in_progress() and not self._new_run():
            self._changed()
            return False
        self.display.resumed()
        self.controller.step(1)
        self.timer.start()
        self._changed()
        return True

    def pause(self) -> None:
        self.controller.pause()

    def set_pace(self, pace: str) -> None:
        """Train at ``pace`` (a key of :data:`~explorer.training.pace.PACES`): the live run
        from its next step on, and every run after it."""
        self.controller.set_pace(PACES[pace][1])

    def resume(self) -> None:
        if self.run_in_progress():
            self.display.resumed()
            self.controller.run()
            self.timer.start()
            self._changed()

    def toggle_pause(self) -> None:
        """Pause a running run, resume a paused one (the Pause/Resume button)."""
        if self.is_running():
            self.pause()
        else:
            self.resume()

    def reset(self) -> None:
        """Stop the run (kept in the list) and draw fresh weights from the seed."""
        self.stop("stopped")
        self.controller.prepare()
        self.document.reinitialize(int(self.view.settings.seed.value()))
        self.display.show(None)
        self.display.clear_outputs()
        self.display.reset_progress()
        self._say("")
        self._changed()

    def adapt(self, confirmed: bool = False, refusal: str = "Not adapted") -> bool:
        """Give the model the data's input and output sizes (hidden layers kept).

        Trained weights are discarded only after the person agrees (``confirmed``: they
        already did). A model above the parameter budget is refused with ``refusal`` and the
        reason on the message line; nothing is built.
        """
        data = self.data.dataset
        if data is None or self.run_in_progress():
            return False
        if not confirmed and self.document.trained:
            question = (
                f"{self.data.mismatch_text()} Rebuild it with those sizes (its trained "
                "weights are discarded)?"
            )
            if not self.ask("Adapt the model?", question):
                self._say(f"{refusal}: the model does not fit the data.", error=True)
                return False
        try:
            self.document.adapt(data.num_features, data.num_classes)
        except ValueError as error:
            self._say(f"{refusal}: {error}", error=True)
            return False
        return True

    def stop(self, status: str) -> None:
        """End the live run's process and thread; an unfinished run is marked ``status``."""
        had_thread = self.controller.has_thread()
        self.controller.shutdown()
        self.timer.stop()
        run = self.display.run
        if had_thread and run is not None and run.status in ("running", "paused", "new"):
            run.status = status
            self.runs.touch(run.run_id)
        self._changed()

    def prepare(self) -> None:
        """Start the next run's process now, so Start need not wait for one to load."""
        if not self.controller.has_thread():
            self.controller.prepare()

    def shutdown(self) -> None:
        """Stop the run's process between two steps and wait for it and its relay thread,
        and end the process kept for the next run (window close, quit)."""
        self.stop("stopped")
        self.controller.close()

    # -- a new run --------------------------------------------------------------------------
    def _new_run(self) -> bool:
        """Set up a run of the current data, model and settings in a fresh process."""
        self.stop("stopped")
        data = self.data
        if data.dataset is None:
            self._say("Choose a dataset that loads first.", error=True)
            return False
        if not data.fits_model():
            with self._own_change():
                if not self.adapt(refusal="Not started"):
                    return False
        settings = self.view.settings
        run_id = self.runs.next_id()
        document = self.document
        try:
            config = data.config()
            data.prepare(config)
            continued = settings.keep_weights.isChecked() and document.trained
            if not settings.keep_weights.isChecked():
                with self._own_change():
                    document.reinitialize(config.seed)
            state = document.model.state_dict()
            setup = RunSetup.create(run_id, document.config, state, data.train, data.val, config)
        except (DataError, ValueError) as error:
            self._say(f"Cannot start: {error}", error=True)
            return False
        runs = self.runs.runs()
        run = Run(
            run_id=run_id,
            name="",
            config=config.to_dict(),
            model_config=setup.model.to_dict(),
            dataset=self.view.dataset.description(),
            status="running",
            color_index=self.runs.next_color(),
            continued_from=(self.weights_from or "trained weights") if continued else "",
        )
        run.name = run.default_name(runs[-1] if runs else None)
        try:
            self.controller.attach(setup, document.model)
        except OSError as error:  # no process could start
            self._say(f"Cannot start: the training process did not start: {error}", error=True)
            return False
        self.display.begin(
            run,
            setup.steps_per_epoch,
            config.epochs,
            config.batch_size,
            setup.val.y,
            data.dataset.class_names,
        )
        self.runs.add(run)  # after begin(): the new run is current, not an overlay
        document.set_trained(True)
        self.weights_from = f"#{run_id}"
        self._say("")
        return True

    # -- reports ----------------------------------------------------------------------------
    def _on_controller_stopped(self, payload: dict) -> None:
        text = self.display.on_stopped(payload)
        reason = payload["reason"]
        self.timer.stop()  # the worker's last results arrived before this; flushed below
        if reason != "paused":
            self.controller.shutdown()  # a finished run cannot continue: end its thread now
            self.controller.prepare()  # the next run's process loads while nothing waits
        self.display.tick(flush=True)
        self._report_weights()
        if text:
            error = reason in ("diverged", "error")
            self._say(text, error=error, details=payload.get("details", ""))
        self._changed()

    def _on_timer_timeout(self) -> None:
        GuiThreadGarbageCollection.collect()  # never in a worker thread: see background.py
        self.display.tick()
        self._ticks += 1
        if self._ticks % MODEL_REFRESH_TICKS == 0:
            self._report_weights()

    def _report_weights(self) -> None:
        with self._own_change():
            self.document.notify_weights_changed()

    @contextlib.contextmanager
    def _own_change(self) -> Iterator[None]:
        self.own_change = True
        try:
            yield
        finally:
            self.own_change = False

    def _on_document_model_changed(self, model) -> None:
        self.weights_from = ""  # a new model: nothing trained it yet
        job = self.controller.job  # set while the run has its process
        if job is not None and job.model is not model:
            self.stop("stopped")
            self._say("The model was rebuilt in the Model tab; the run was stopped.", error=True)
