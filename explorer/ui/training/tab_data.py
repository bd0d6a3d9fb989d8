"""The Training tab's model and data: loading and splitting data, the model's outputs
outside a run, adapting the model to the data, saving and loading its weights.

:class:`ModelDataMixin` is half of :class:`~explorer.ui.training.tab.TrainingTab` (which
owns the widgets, the controller and the run lifecycle); it lives here to keep each file
readable.
"""

from __future__ import annotations

import numpy as np

from explorer.data import DataError, Dataset
from explorer.engine import nn
from explorer.training.job import data_extent, model_view
from explorer.ui.training.data_loading import PreparedData

BIG_DATA = 4_000_000  # values (rows x features) from which a split runs in the background


class ModelDataMixin:
    """The model and data half of the Training tab (see the module docstring)."""

    # -- model and data ---------------------------------------------------------------------
    def model(self) -> nn.Module:
        """The model being trained: the Model tab's instance, or this tab's own."""
        return self.link.model()

    def dataset(self) -> Dataset | None:
        return self._dataset

    def adapt_model(self, confirmed: bool = False, refusal: str = "Not adapted") -> bool:
        """Give the model this data's input and output sizes (hidden layers kept).

        Trained weights are discarded only after the person agrees (``confirmed``: they
        already did). A model above the parameter budget is refused with ``refusal`` and the
        reason on the message line; nothing is built.
        """
        data = self._dataset
        if data is None or self.run_in_progress():
            return False
        question = (
            f"{self.link.mismatch_text(data)} Rebuild it with those sizes (its trained "
            "weights are discarded)?"
        )
        if not confirmed and self.link.is_trained():
            if not self.confirm(self, "Adapt the model?", question):
                self.show_message(f"{refusal}: the model does not fit the data.", error=True)
                return False
        try:
            self.link.adapt(data)
        except ValueError as error:
            self.show_message(f"{refusal}: {error}", error=True)
            return False
        self._update_banner()
        return True

    def _on_dataset_changed(self) -> None:
        """Load the chosen data (a file in the background) and split it; the same data with
        another validation share or scaling is split again, not read again."""
        panel = self.view.dataset
        try:
            source = panel.source()
            config = self.view.settings.config(panel.val_fraction.value())
        except (DataError, ValueError) as error:
            self._on_data_loading_failed(error)
            return
        load, background = source.load, source.path is not None
        prepared = self._prepared
        if prepared is not None and source.key == self._source:
            dataset = prepared.dataset
            load, background = (lambda: dataset), len(dataset) * dataset.num_features > BIG_DATA
        self._requested_source = source.key
        if background:
            what = source.path.name if source.path is not None else "the data"
            self._set_data(None, f"Loading {what}…")
            self.show_message(f"Loading {what}…")
        self.data_loading.request(load, config, panel.standardize.isChecked(), background)
        self._update_buttons()

    def _on_data_loading_loaded(self, prepared: PreparedData) -> None:
        self._source = self._requested_source
        self._set_data(prepared)
        self.show_message("")
        self.refresh_outputs()
        self._update_banner()
        self._update_buttons()

    def _on_data_loading_failed(self, error) -> None:
        self._source = None
        self._set_data(None, "No data: see the message above.")
        self.show_message(f"Data not loaded: {error}", error=True)
        self._update_banner()
        self._update_buttons()

    def _set_data(self, prepared: PreparedData | None, note: str = "") -> None:
        """Make ``prepared`` the tab's data and show its points or images (None: no data,
        and ``note`` where they were)."""
        self._prepared = prepared
        if prepared is None:
            self._dataset = self._train = self._val = None
            self.display.clear_data(note)
            return
        self._dataset, self._train, self._val = prepared.dataset, prepared.train, prepared.val
        self.display.show_data(self._train, self._val, prepared.raw_val, self._dataset)
        self.link.set_sample_provider(self._sample, self._dataset.name)

    def refresh_outputs(self) -> None:
        """Redraw decision regions, confusion matrix and the P/Q panel from the model as it
        is now, outside a run (a restored session, a rebuilt or loaded model).

        One forward pass over the validation data and a 100×100 grid: milliseconds for
        the MLPs this tab trains, so it runs here rather than in a thread. A model that
        does not fit the data, or whose outputs overflow, leaves the views empty with a note.
        """
        if self._starting or self.run_in_progress():
            return  # a run's worker keeps these views current
        data, train, val = self._dataset, self._train, self._val
        if data is None or train is None or val is None:
            return
        if not self.link.fits(data):
            self.display.clear_outputs()
            return
        try:
            view = model_view(self.model(), val, data_extent(train, val), final=True)
        except (DataError, ValueError) as error:
            self.display.clear_outputs(f"No outputs: {error}")
            return
        if not np.all(np.isfinite(view["logits"])):
            self.display.clear_outputs("The weights overflow (diverged): Reset draws fresh ones")
            return
        self.display.clear_outputs()
        self.display.show_model_outputs(view, val.y, data.class_names)

    def _prepare(self, config) -> None:
        """Split (and standardize) the data for ``config``, unless it already is."""
        standardize = self.view.dataset.standardize.isChecked()
        prepared = self.data_loading.split(self._prepared, config, standardize)
        if prepared is not self._prepared:
            self._set_data(prepared)

    def _sample(self, index: int = 0):
        val = self._val
        if val is None:
            return None
        i = int(index) % len(val)
        return val.x[i], int(val.y[i])

    def _update_banner(self) -> None:
        v, data = self.view, self._dataset
        v.adapt_banner.setVisible(data is not None and not self.link.fits(data))
        if data is not None:
            v.adapt_label.setText(self.link.mismatch_text(data))

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
        try:
            written = self.link.save(path)
        except OSError as error:
            self.show_message(f"Weights not saved: {path}: {error.strerror or error}", error=True)
            return False
        self.show_message(f"Saved the model's state_dict to {written}")
        return True

    def load_weights(self, path: str) -> bool:
        if self.run_in_progress():
            self.show_message("Reset the run before loading weights.", error=True)
            return False
        try:
            self.link.load(path)
        except ValueError as error:
            self.show_message(f"Weights not loaded: {error}", error=True)
            return False
        self.view.settings.keep_weights.setChecked(True)
        self.refresh_outputs()
        self.show_message(
            f"Loaded {path}. Start continues from these weights "
            "('Continue from current weights' is on)."
        )
        return True
