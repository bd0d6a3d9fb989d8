"""The Training tab: train the model document's MLP on the numpy engine and watch it learn.

The tab puts together objects with their own jobs and wires them to its widgets
(:class:`~explorer.ui.training.view.TrainingView`): the :class:`DataSection` loads and splits
the data, the :class:`Runner` starts, pauses, steps, resets and adapts runs in a training
process, the :class:`~explorer.ui.training.display.RunDisplay` draws them, and the runs list
keeps them. The model is the window's model document's (the Model tab shows the same one):
while a run is live it follows the process (its weights are loaded in the GUI thread a few
times a second and whenever stepping stops), so the GUI reads it freely; a run resumed after
the weights were changed continues from them. While the relay thread runs, Python's cyclic
garbage collector runs only in the GUI thread
(:class:`~explorer.ui.background.GuiThreadGarbageCollection`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.model.document import ModelDocument
from explorer.training import WeightsMismatch, load_weights, save_weights
from explorer.training.document import TrainingDocument
from explorer.ui.settings import last_folder, remember_folder
from explorer.ui.tab_base import ExplorerTab, bind
from explorer.ui.training.data_section import DataSection
from explorer.ui.training.display import RunDisplay
from explorer.ui.training.document_link import TrainingDocumentLink
from explorer.ui.training.runner import Runner
from explorer.ui.training.runs import RunListModel, parse_runs
from explorer.ui.training.stream_link import RunStreamLink
from explorer.ui.training.view import (
    RESET_KEY,
    START_KEYS,
    START_PAUSED_TIP,
    START_TIP,
    STEP_KEY,
    TrainingView,
    with_key,
)
from explorer.ui.training.weights_file import rebuild_offer
from explorer.ui.widgets.card import set_text_color


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_path(parent: QWidget) -> str:
    start = str(Path(last_folder("weights")) / "weights.npz")  # the folder of the last one
    path, _ = QFileDialog.getSaveFileName(parent, "Save weights", start, "NumPy archives (*.npz)")
    if path:
        remember_folder("weights", path)
    return path


def ask_open_path(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(
        parent, "Load weights", last_folder("weights"), "NumPy archives (*.npz);;All files (*)"
    )
    if path:
        remember_folder("weights", path)
    return path


class TrainingTab(ExplorerTab):
    """Live training with every curve, run comparison, weights I/O and the P/Q link."""

    title = "Training"
    export_name = "training"
    sigOpenDistributions = Signal(object, object, object)  # p, q, class names

    def __init__(
        self,
        document: ModelDocument | None = None,
        parent=None,
        training: TrainingDocument | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("trainingTab")
        self.document = document if document is not None else ModelDocument()
        self.training_document = training if training is not None else TrainingDocument()
        # Replaced in tests: dialogs would block.
        self.confirm: Callable[[QWidget, str, str], bool] = ask_yes_no
        self.ask_save_path: Callable[[], str] = lambda: ask_save_path(self)
        self.ask_open_path: Callable[[], str] = lambda: ask_open_path(self)

        self.runs = RunListModel(self)
        self.view = v = TrainingView(self.runs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(v)
        self.loss_plot = v.loss_plot
        self.display = RunDisplay(v, self.runs)
        self.data = DataSection(v, self.display, self.document, self)
        self.runner = Runner(
            self.document,
            self.data,
            v,
            self.runs,
            self.display,
            ask=lambda title, text: self.confirm(self, title, text),
            parent=self,
        )

        self.stream_link = RunStreamLink(
            self.runner.controller, self.runs, v.runs_panel, self.document.run_stream, self
        )
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a click on empty space: Space pauses
        for key, button in (
            *((key, v.start) for key in START_KEYS),
            (STEP_KEY, v.step),
            (RESET_KEY, v.reset),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda button=button: self._press(button))
        v.start.clicked.connect(self.runner.start)
        v.pause.clicked.connect(self.runner.toggle_pause)
        v.step.clicked.connect(self.runner.step)
        v.reset.clicked.connect(self.runner.reset)
        v.adapt.clicked.connect(self._on_adapt_clicked)
        v.save_weights.clicked.connect(self._on_save_weights_clicked)
        v.load_weights.clicked.connect(self._on_load_weights_clicked)
        v.smoothing.valueChanged.connect(self._on_smoothing_value_changed)
        v.pace.currentIndexChanged.connect(self._on_pace_changed)
        self._on_pace_changed()
        v.log_y.toggled.connect(self._on_log_y_toggled)
        v.log_offer.clicked.connect(lambda: v.log_y.setChecked(True))
        self.loss_plot.sigLogOffer.connect(self._update_log_offer)
        v.runs_panel.sigDeleteRequested.connect(self._on_runs_panel_delete_requested)
        v.info_link.sigOpenDistributions.connect(self.sigOpenDistributions)
        v.info_link.sigSampleChanged.connect(v.decision_plot.select)
        v.info_link.sigSampleChanged.connect(v.sample_grid.select)
        v.decision_plot.sigPointClicked.connect(v.info_link.select)
        v.sample_grid.sigSampleClicked.connect(v.info_link.select)
        self.runs.sigRenamed.connect(self._on_runs_renamed)
        self.runs.sigOverlayChanged.connect(self.display.update_overlays)
        self.data.sigMessage.connect(self.show_message)
        self.data.sigChanged.connect(self._on_data_changed)
        self.runner.sigMessage.connect(self.show_message)
        self.runner.sigChanged.connect(self._update_buttons)
        bind(self, self.document.model_changed, self._on_document_model_changed)
        # Weights changed in place elsewhere (the console, a loaded file): outputs follow.
        bind(self, self.document.weights_changed, self.refresh_outputs)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.data.reload()
        self.document_link = TrainingDocumentLink(self, self.training_document)
        self._update_buttons()

    # -- the model's outputs ----------------------------------------------------------------
    def refresh_outputs(self) -> None:
        """Redraw decision regions, confusion matrix and the P/Q panel from the model as it
        is now, outside a run (a restored session, a rebuilt or loaded model); a model that
        does not fit the data leaves them empty."""
        if self.runner.own_change or self.runner.run_in_progress():
            return  # a run's worker keeps these views current
        prepared = self.data.shown  # the last run's split while its weights are there
        if prepared is None:
            return
        if not self.data.fits_model():
            self.display.clear_outputs()
            return
        self.display.show_model(self.document.model, prepared)

    def _update_banner(self) -> None:
        v, fits = self.view, self.data.fits_model()
        v.adapt_banner.setVisible(self.data.dataset is not None and not fits)
        v.adapt_label.setText(self.data.mismatch_text())

    def _on_data_changed(self) -> None:
        if self.data.dataset is not None:
            self.refresh_outputs()
        self._update_banner()
        self._update_buttons()

    def _on_document_model_changed(self, _model) -> None:
        self._update_banner()
        self.refresh_outputs()  # never the old model's picture
        self._update_buttons()

    def _press(self, button: QPushButton) -> None:
        """A run button's key: as a click, after a number being typed is taken."""
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractSpinBox):
            focused.interpretText()
        if button.isEnabled():
            button.click()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Space reaches the tab only when the focused widget has no use for it.
        if event.key() == Qt.Key.Key_Space and not event.modifiers():
            self._press(self.view.pause)
            return
        super().keyPressEvent(event)

    def _on_adapt_clicked(self) -> None:
        self.runner.adapt()

    # -- weights ------------------------------------------------------------------------------
    def _on_save_weights_clicked(self) -> None:
        path = self.ask_save_path()
        if path:
            self.save_weights(path)

    def _on_load_weights_clicked(self) -> None:
        path = self.ask_open_path()
        if path:
            self.load_weights(path)

    def save_weights(self, path: str) -> bool:
        """Write the model's state_dict as .npz; a message either way."""
        try:
            written = save_weights(self.document.model, path)
        except OSError as error:
            self.show_message(f"Weights not saved: {path}: {error.strerror or error}", error=True)
            return False
        self.show_message(f"Saved the model's state_dict to {written}")
        return True

    def load_weights(self, path: str) -> bool:
        """Load a .npz state_dict into the model (not during a run); a message either way."""
        if self.runner.run_in_progress():
            self.show_message("Reset the run before loading weights.", error=True)
            return False
        try:
            try:
                load_weights(self.document.model, path, self.document.budget.limit)
            except WeightsMismatch as mismatch:  # every difference, and a model that fits
                offer = rebuild_offer(self.document, mismatch, path)
                if offer is None or not self.confirm(self, "Rebuild the model?", offer[1]):
                    raise
                self.document.build(offer[0])
                load_weights(self.document.model, path)
        except ValueError as error:
            self.show_message(f"Weights not loaded: {error}", error=True)
            return False
        self.document.set_trained(True)
        self.document.notify_weights_changed()
        self.runner.weights_from = Path(path).name
        self.view.settings.keep_weights.setChecked(True)
        self.show_message(
            f"Loaded {path}. Start continues from these weights "
            "('Continue from current weights' is on)."
        )
        return True

    # -- runs list ----------------------------------------------------------------------------
    def delete_run(self, row: int) -> None:
        """Remove a run (no question asked: the Delete button asks first)."""
        run = self.runs.run_at(row)
        if run is self.display.run:
            self.runner.reset()
        self.runs.remove(row)

    def _on_runs_panel_delete_requested(self, row: int) -> None:
        run = self.runs.run_at(row)
        question = f"Delete run “{run.name}” and its curves? This cannot be undone."
        if self.confirm(self, "Delete the run?", question):
            self.delete_run(row)

    def _on_runs_renamed(self, run_id: int, old: str, new: str) -> None:
        text = self.message()
        if old and old in text:  # the message line names runs: keep it current
            error = self.view.message.property("textRole") == "error"
            self.show_message(text.replace(old, new, 1), error=error)

    def _on_pace_changed(self, *_args) -> None:
        self.runner.set_pace(self.view.pace.currentData())

    def _on_log_y_toggled(self, on: bool) -> None:
        self.loss_plot.set_log_y(on)
        self._update_log_offer()

    def _update_log_offer(self, *_args) -> None:
        ratio, offer = self.loss_plot.log_offer(), self.view.log_offer
        offer.setText(f"runs differ {ratio:,.0f}×: log y?")
        offer.setVisible(ratio > 0 and not self.view.log_y.isChecked())

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
        v, runner = self.view, self.runner
        running = runner.is_running()
        live = runner.run_in_progress()
        has_data = self.data.dataset is not None  # None while loading
        focused = next((b for b in (v.start, v.pause, v.step) if b.hasFocus()), None)
        v.pause.setEnabled(live)
        v.pause.setText("&Pause" if running or not live else "&Resume")
        v.start.setEnabled(not live and has_data)
        v.start.setToolTip(
            with_key(START_PAUSED_TIP if live and not running else START_TIP, START_KEYS[0])
        )
        v.step.setEnabled(not running and has_data)
        if focused is not None and not focused.isEnabled():
            # Qt would pass the focus on along the row, to Reset, where the next Space would
            # end the run: it goes to Pause during a run, else to the tab (Space does nothing).
            (v.pause if live else self).setFocus()
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
        self.runner.stop("stopped")
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
        self.runner.weights_from = "" if shown is None else f"#{shown.run_id}"
        self.display.show(shown)
        if shown is not None:  # the bar says which run the curves are, not "Ready"
            self.view.progress.setValue(1000 if shown.status == "done" else 0)
            self.view.progress.setFormat(f"{shown.summary()} · restored")
        else:  # nothing of the session before may stay on the bar
            self.display.reset_progress()
        self.refresh_outputs()
        self._update_buttons()

    def shutdown(self) -> None:
        """Stop the run's process and its relay thread and wait for them, end the process
        kept for the next run and any data loading (window close, quit)."""
        self.runner.shutdown()
        self.data.shutdown()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.runner.prepare()  # so Start need not wait for a process to load
