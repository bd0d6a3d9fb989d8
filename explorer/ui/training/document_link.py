"""The Training tab's side of the training document: it publishes the tab's settings, data
and each run's path there, and follows a change of settings made elsewhere (a learning rate
the learning-rate finder suggests)."""

from __future__ import annotations

from dataclasses import replace

from explorer.training.document import TrainingDocument
from explorer.training.trajectory import weight_vector
from explorer.ui.tab_base import bind


class TrainingDocumentLink:
    """Keeps ``document`` and the Training tab ``tab`` in step (made once by the tab)."""

    def __init__(self, tab, document: TrainingDocument):
        self.tab = tab
        self.document = document
        view = tab.view
        view.settings.sigChanged.connect(self.publish_settings)
        view.dataset.val_fraction.valueChanged.connect(self.publish_settings)
        tab.data.sigChanged.connect(self.publish_data)
        tab.runner.sigChanged.connect(self.publish_data)
        tab.runner.controller.sigEpochFinished.connect(self._on_epoch_finished)
        bind(tab, document.config_changed, self._on_document_config_changed)
        bind(tab, tab.document.training_changed, self._on_model_training_changed)
        bind(tab, tab.document.model_changed, self._on_model_changed)
        self.publish_settings()
        self.publish_data()

    def publish_settings(self, *_args) -> None:
        try:
            config = self.tab.data.config()
        except ValueError:
            return  # a box mid-edit: its own message says why
        self.document.set_config(config)

    def publish_data(self) -> None:
        data = self.tab.data
        prepared = data.prepared
        if prepared is None:
            self.document.set_data(None, None)
        else:
            self.document.set_data(prepared.train, prepared.val, prepared.dataset.name)

    def _on_document_config_changed(self, config) -> None:
        settings = self.tab.view.settings
        shown = settings.config(config.val_fraction)
        if replace(shown, val_fraction=config.val_fraction) != config:
            settings.set_config(config)  # its own sigChanged publishes what it shows

    def _on_model_training_changed(self, training: bool) -> None:
        if training:  # a run starts: its path begins at the weights it starts from
            self.document.trajectory.begin(weight_vector(self.tab.document.model))

    def _on_model_changed(self, _model) -> None:
        self.document.trajectory.clear()

    def _on_epoch_finished(self, report: dict) -> None:
        weights = report.get("weights")
        record = report.get("record")
        if weights is not None and record is not None:
            self.document.trajectory.record(int(record.epoch), weights)
