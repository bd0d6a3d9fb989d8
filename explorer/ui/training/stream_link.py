"""Publish the Training tab's runs to the model document's run stream, for other views.

:class:`RunStreamLink` relays what the training process reports (what the units compute,
the layers' health, a run's end) and what happens to the runs list (a new run, a rename, a
deletion, a restored list, the selected run) to
:class:`~explorer.model.run_stream.RunStream`, which the Network tab binds to.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject

from explorer.model.run_stream import RunStream
from explorer.ui.training.runs import RunListModel
from explorer.ui.training.runs_panel import RunsPanel
from explorer.ui.training.worker import TrainingController


class RunStreamLink(QObject):
    """Keeps ``stream`` in step with ``controller``'s reports and the runs list."""

    def __init__(
        self,
        controller: TrainingController,
        runs: RunListModel,
        panel: RunsPanel,
        stream: RunStream,
        parent=None,
    ):
        super().__init__(parent)
        self.runs = runs
        self.panel = panel
        self.stream = stream
        controller.sigView.connect(self._on_controller_view)
        controller.sigRecords.connect(self._on_controller_records)
        controller.sigStopped.connect(self._on_controller_stopped)
        runs.rowsInserted.connect(self._on_runs_inserted)
        runs.rowsAboutToBeRemoved.connect(self._on_runs_about_to_be_removed)
        runs.modelReset.connect(self._on_runs_reset)
        runs.sigRenamed.connect(self._on_runs_renamed)
        panel.view.selectionModel().currentChanged.connect(self._on_panel_current_changed)

    def _on_controller_view(self, payload: dict) -> None:
        if "network" in payload:
            self.stream.add_picture(payload["run"], payload["network"])

    def _on_controller_records(self, payload: dict) -> None:
        self.stream.add_records(payload["run"], payload)

    def _on_controller_stopped(self, payload: dict) -> None:
        self.stream.stop(payload["run"], payload["reason"])

    def _on_runs_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            run = self.runs.run_at(row)
            self.stream.start(run.run_id, run.name)

    def _on_runs_about_to_be_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self.stream.forget(self.runs.run_at(row).run_id)

    def _on_runs_reset(self) -> None:
        # A whole new list (a session opened): its runs' histories, if saved, come with it.
        self.stream.keep_only([])

    def _on_runs_renamed(self, run_id: int, _old: str, new: str) -> None:
        self.stream.rename(run_id, new)

    def _on_panel_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < self.runs.rowCount():
            self.stream.select(self.runs.run_at(current.row()).run_id)
