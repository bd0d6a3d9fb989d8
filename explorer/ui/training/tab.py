"""The Training tab: train the Model tab's MLP on the numpy engine and watch it learn.

Threading: a :class:`TrainingController` trains the active run in a process of its own
(:mod:`explorer.training.process`) and relays its results through a worker in a QThread;
they arrive by signal and are drawn by a ~30 Hz display timer, apart from the training
rate. The model is shared with the Model tab: while a run is live it follows the process
(its weights are loaded in the GUI thread a few times a second and whenever stepping stops),
so the GUI reads it freely; a run resumed after the weights were changed continues from
them. While the relay thread runs, Python's cyclic garbage collector runs only in the GUI
thread (:class:`GuiThreadGarbageCollection`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget

from explorer.data import DataError, Dataset
from explorer.training import Trainer
from explorer.ui.background import GuiThreadGarbageCollection
from explorer.ui.tab_base import ExplorerTab
from explorer.ui.training.data_loading import DataLoading, PreparedData
from explorer.ui.training.display import RunDisplay
from explorer.ui.training.model_link import ModelLink, ask_open_path, ask_save_path
from explorer.ui.training.runs import Run, RunListModel, parse_runs
from explorer.ui.training.tab_data import ModelDataMixin
from explorer.ui.training.view import TrainingView
from explorer.ui.training.worker import TrainingController
from explorer.ui.widgets.card import set_text_color

DISPLAY_INTERVAL_MS = 33  # ~30 Hz repaint, independent of the training speed
MODEL_REFRESH_TICKS = 6  # the Model tab's live heatmaps at ~5 Hz
START_TIP = "Start a new run: fresh weights from the seed, then train"
START_PAUSED_TIP = "A run is paused: Resume continues it, Reset ends it so Start can begin anew"


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class TrainingTab(ModelDataMixin, ExplorerTab):
    """Live training with every curve, run comparison, weights I/O and the P/Q link."""

    title = "Training"
    export_name = "training"
    sigOpenDistributions = Signal(object, object, object)  # p, q, class names

    def __init__(self, model_tab=None, parent=None):
        super().__init__(parent)
        self.setObjectName("trainingTab")
        self.model_tab = model_tab
        # Replaced in tests: dialogs would block.
        self.confirm: Callable[[QWidget, str, str], bool] = ask_yes_no
        self.ask_save_path: Callable[[], str] = lambda: ask_save_path(self)
        self.ask_open_path: Callable[[], str] = lambda: ask_open_path(self)

        self.link = ModelLink(model_tab)
        self.controller = TrainingController(self)
        self.runs = RunListModel(self)
        self.view = TrainingView(self.runs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        v = self.view
        self.loss_plot = v.loss_plot

        self._dataset: Dataset | None = None
        self._train: Dataset | None = None
        self._val: Dataset | None = None
        self._prepared: PreparedData | None = None
        self._source: tuple | None = None  # what the data was loaded from (see source())
        self._requested_source: tuple | None = None
        self.data_loading = DataLoading(self)
        self.data_loading.sigLoaded.connect(self._on_data_loading_loaded)
        self.data_loading.sigFailed.connect(self._on_data_loading_failed)
        self.display = RunDisplay(self.view, self.runs)
        self._starting = False  # a run is being set up: its own model rebuild is expected
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(DISPLAY_INTERVAL_MS)
        self._timer.timeout.connect(self._on_display_timer_timeout)

        v.start.clicked.connect(self.start)
        v.pause.clicked.connect(self._on_pause_clicked)
        v.step.clicked.connect(self.step)
        v.reset.clicked.connect(self.reset)
        v.save_weights.clicked.connect(self._on_save_weights_clicked)
        v.load_weights.clicked.connect(self._on_load_weights_clicked)
        v.adapt.clicked.connect(lambda: self.adapt_model())
        v.dataset.sigChanged.connect(self._on_dataset_changed)
        v.smoothing.valueChanged.connect(self._on_smoothing_value_changed)
        v.log_y.toggled.connect(self.loss_plot.set_log_y)
        v.runs_panel.sigDeleteRequested.connect(self._on_runs_panel_delete_requested)
        self.runs.sigRenamed.connect(self._on_runs_renamed)
        v.info_link.sigOpenDistributions.connect(self.sigOpenDistributions)
        v.info_link.sigSampleChanged.connect(v.decision_plot.select)
        v.decision_plot.sigPointClicked.connect(v.info_link.select)
        v.sample_grid.sigSampleClicked.connect(v.info_link.select)
        self.runs.sigOverlayChanged.connect(self.display.update_overlays)
        self.controller.sigSteps.connect(self.display.on_steps)
        self.controller.sigEpochFinished.connect(self.display.on_epoch)
        self.controller.sigView.connect(self.display.on_view)
        self.controller.sigStopped.connect(self._on_controller_stopped)
        if model_tab is not None:
            model_tab.sigModelChanged.connect(self._on_model_tab_model_changed)
            if hasattr(model_tab, "set_training_probe"):  # a rebuild says the run will stop
                model_tab.set_training_probe(self.run_in_progress)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._on_dataset_changed()
        self._update_buttons()

    def _live(self) -> bool:
        """A run holds the model: running, or paused and able to continue."""
        return self.controller.has_thread() and not self._run_finished()

    # -- actions ----------------------------------------------------------------------------
    def start(self) -> bool:
        """Start a new run (fresh weights unless 'continue from current weights').

        Refused while a run is paused: Resume continues it, Reset ends it.
        """
        if self._live():
            if not self.controller.is_running():
                self.show_message("A run is paused: press Resume to continue it, or Reset first.")
            return False
        if not self._new_run():
            return False
        self.controller.run()
        self._timer.start()
        self._update_buttons()
        return True

    def step(self) -> bool:
        """Train on one batch; starts a new run when none can continue."""
        if self.controller.is_running():
            return False
        if (self._run_finished() or not self.controller.has_thread()) and not self._new_run():
            return False
        self.controller.step(1)
        self._timer.start()
        self._update_buttons()
        return True

    def pause(self) -> None:
        self.controller.pause()

    def resume(self) -> None:
        if self.controller.has_thread() and not self._run_finished():
            self.controller.run()
            self._timer.start()
            self._update_buttons()

    def reset(self) -> None:
        """Stop the run (kept in the list) and draw fresh weights from the seed."""
        self._stop_active("stopped")
        self.controller.prepare()
        self.link.reinitialize(int(self.view.settings.seed.value()))
        self.display.show(None)
        self.display.clear_outputs()
        self.display.reset_progress()
        self.show_message("")
        self._update_buttons()

    def delete_run(self, row: int) -> None:
        """Remove a run (no question asked: the Delete button asks first)."""
        run = self.runs.run_at(row)
        if run is self.display.run:
            self.reset()
        self.runs.remove(row)

    def _on_runs_panel_delete_requested(self, row: int) -> None:
        run = self.runs.run_at(row)
        question = f"Delete run “{run.name}” and its curves? This cannot be undone."
        if self.confirm(self, "Delete the run?", question):
            self.delete_run(row)

    def _on_runs_renamed(self, run_id: int, old: str, new: str) -> None:
        text = self.message()
        if old and old in text:  # the message line names runs: keep it current
            label = self.view.message
            error = label.property("textRole") == "error"
            self.show_message(text.replace(old, new, 1), error=error)

    def _on_pause_clicked(self) -> None:
        if self.controller.is_running():
            self.pause()
        else:
            self.resume()

    # -- run lifecycle ----------------------------------------------------------------------
    def run_in_progress(self) -> bool:
        """True while a run is going or paused (it has a worker and is not finished)."""
        return self.controller.has_thread() and not self._run_finished()

    def _run_finished(self) -> bool:
        job = self.controller.job
        return job is None or job.done

    def _stop_active(self, status: str) -> None:
        """End the live run's thread; an unfinished run is marked ``status``."""
        had_thread = self.controller.has_thread()
        self.controller.shutdown()
        self._timer.stop()
        run = self.display.run
        if had_thread and run is not None and run.status in ("running", "paused", "new"):
            run.status = status
            self.runs.touch(run.run_id)

    def _new_run(self) -> bool:
        """Build a trainer for the current data, model and settings; attach it to a worker."""
        self._stop_active("stopped")
        if self._dataset is None:
            self.show_message("Choose a dataset that loads first.", error=True)
            return False
        if not self.link.fits(self._dataset):
            self._starting = True
            try:
                if not self._offer_adapt():
                    return False
            finally:
                self._starting = False
        settings = self.view.settings
        try:
            config = settings.config(self.view.dataset.val_fraction.value())
            self._prepare(config)
            trainer = Trainer(self.model(), self._train, self._val, config)
            if not settings.keep_weights.isChecked():
                trainer.reset(reinitialize=True)
        except (DataError, ValueError) as error:
            self.show_message(f"Cannot start: {error}", error=True)
            return False
        runs = self.runs.runs()
        run = Run(
            run_id=self.runs.next_id(),
            name="",
            config=config.to_dict(),
            model_config=self.link.config(),
            dataset=self.view.dataset.description(),
            status="running",
        )
        run.name = run.default_name(runs[-1] if runs else None)
        try:
            self.controller.attach(run.run_id, trainer)
        except (OSError, TypeError) as error:  # no process could start, or a foreign model
            self.show_message(
                f"Cannot start: the training process did not start: {error}", error=True
            )
            return False
        self.display.begin(
            run,
            trainer.steps_per_epoch,
            config.epochs,
            config.batch_size,
            self._val.y,
            self._dataset.class_names,
        )
        self.runs.add(run)  # after begin(): the new run is current, not an overlay
        self.link.mark_trained(True)
        self.show_message("")
        return True

    def _offer_adapt(self) -> bool:
        """Adapt the model to the data; ask first if that discards trained weights."""
        data = self._dataset
        question = (
            f"{self.link.mismatch_text(data)} Rebuild it with those sizes (its trained "
            "weights are discarded)?"
        )
        if self.link.is_trained() and not self.confirm(self, "Adapt the model?", question):
            self.show_message("Not started: the model does not fit the data.", error=True)
            return False
        if not self.adapt_model(confirmed=True):
            self.show_message("Not started: the model was not rebuilt.", error=True)
            return False
        return True

    # -- worker reports -----------------------------------------------------------------------
    def _on_controller_stopped(self, payload: dict) -> None:
        text = self.display.on_stopped(payload)
        reason = payload["reason"]
        self._timer.stop()  # the worker's last results arrived before this; flushed below
        if reason != "paused":
            self.controller.shutdown()  # a finished run cannot continue: end its thread now
            self.controller.prepare()  # the next run's process loads while nothing waits
        self.display.tick(flush=True)
        self.link.refresh()
        if text:
            self.show_message(
                text, error=reason in ("diverged", "error"), details=payload.get("details", "")
            )
        self._update_buttons()

    def _on_display_timer_timeout(self) -> None:
        GuiThreadGarbageCollection.collect()  # never in a worker thread: see background.py
        self.display.tick()
        self._ticks += 1
        if self._ticks % MODEL_REFRESH_TICKS == 0:
            self.link.refresh()

    def _on_model_tab_model_changed(self, model) -> None:
        job = self.controller.job  # set while the run has its process
        if job is not None and job.model is not model:
            self._stop_active("stopped")
            self.show_message(
                "The model was rebuilt in the Model tab; the run was stopped.", error=True
            )
        self._update_banner()
        self.refresh_outputs()  # never the old model's picture
        self._update_buttons()

    def _on_smoothing_value_changed(self, value: int) -> None:
        self.view.smoothing_label.setText(f"{value / 100:.2f}")
        self.loss_plot.set_smoothing(value / 100)

    # -- view state ---------------------------------------------------------------------------
    def show_message(self, text: str, error: bool = False, details: str = "") -> None:
        label = self.view.message
        label.setText(text)
        set_text_color(label, "error" if error else None)
        label.setToolTip(details or text)  # a long message is cut on screen, whole here

    def message(self) -> str:
        return self.view.message.text()

    def _update_buttons(self) -> None:
        v = self.view
        running = self.controller.is_running()
        live = self._live()
        v.start.setEnabled(not live and self._dataset is not None)  # None while loading
        v.start.setToolTip(START_PAUSED_TIP if live and not running else START_TIP)
        v.pause.setEnabled(live)
        v.pause.setText("Pause" if running or not live else "Resume")
        v.step.setEnabled(not running and self._dataset is not None)
        v.load_weights.setEnabled(not live)
        v.dataset.setEnabled(not live)
        v.settings.setEnabled(not live)
        v.adapt.setEnabled(not live)

    # -- ExplorerTab --------------------------------------------------------------------------
    def export_items(self) -> dict[str, Any]:
        v = self.view
        items = {"loss": v.loss_plot.plot_item, "accuracy": v.accuracy_plot.plot_item}
        if v.picture.currentWidget() is v.decision_plot:
            items["decision-regions"] = v.decision_plot.plot_item
        elif v.picture.currentWidget() is v.sample_grid:
            items["validation-samples"] = v.sample_grid.plot_item
        # Views with nothing to show are left out rather than exported empty.
        if v.confusion_plot.matrix.size:
            items["confusion-matrix"] = v.confusion_plot.plot_item
        if v.info_link.has_outputs():
            items["sample-cross-entropy"] = v.info_link.plot_item
        return items

    def state(self) -> dict[str, Any]:
        current = self.display.run
        return {
            "dataset": self.view.dataset.state(),
            "settings": self.view.settings.state(),
            **self.view.plot_state(),
            "runs": [run.to_dict() for run in self.runs.runs()],
            "current_run": None if current is None else current.run_id,
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict):
            raise ValueError(f"training state must be an object; got {type(state).__name__}")
        runs = parse_runs(state.get("runs", []))  # validated before anything changes
        self._stop_active("stopped")
        for key, part in (("dataset", self.view.dataset), ("settings", self.view.settings)):
            if key in state:
                try:
                    part.restore_state(state[key])
                except (ValueError, TypeError) as error:
                    raise ValueError(f"training {key}: {error}") from None
        self.view.restore_plot_state(state)
        self.runs.replace_all(runs)
        current = state.get("current_run")
        shown = self.runs.find(current) if isinstance(current, int) else None
        self.display.show(shown)
        if shown is not None:  # the bar says which run the curves are, not "Ready"
            self.view.progress.setValue(1000 if shown.status == "done" else 0)
            self.view.progress.setFormat(f"{shown.summary()} · restored")
        self.refresh_outputs()
        self._update_buttons()

    def restore_session_arrays(self, arrays) -> None:
        """Load the saved weights, then show what that model makes of the data."""
        super().restore_session_arrays(arrays)
        self.refresh_outputs()

    def shutdown(self) -> None:
        """Stop the run's process between two steps and wait for it and its relay thread,
        and end the process kept for the next run (window close, quit)."""
        self._stop_active("stopped")
        self.controller.close()
        self.data_loading.shutdown()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self.controller.has_thread():
            self.controller.prepare()  # so Start need not wait for a process to load
