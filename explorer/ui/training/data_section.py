"""The Training tab's data: the chosen dataset, loaded (a file in the background) and split.

:class:`DataSection` reads the Data panel, loads what it names through
:class:`~explorer.ui.training.data_loading.DataLoading`, shows its points or images, and offers
its validation samples to the model document as
:class:`~explorer.inspect.samples.IndexedSamples` (the Model tab's forward inspector draws
them, by the same index the P/Q panel uses).
The same data with another validation share or scaling is split again, not read again.

A run keeps its split: once a run has started, the views (points or images, and the model's
outputs) stay on the split it trained and was scored on while its weights are there, so a
new validation share never scores the model on samples it trained on. The new split is the
next run's, and the message line says so.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from explorer.data import DataError, Dataset
from explorer.inspect.samples import IndexedSamples
from explorer.model.document import ModelDocument
from explorer.training import TrainingConfig
from explorer.ui.tab_base import bind
from explorer.ui.training.data_loading import DataLoading, PreparedData
from explorer.ui.training.display import RunDisplay
from explorer.ui.training.view import TrainingView

BIG_DATA = 4_000_000  # values (rows x features) from which a split runs in the background


class DataSection(QObject):
    """The dataset, its training and validation parts, and their loading.

    ``sigChanged`` follows every change (loading, loaded, failed); ``sigMessage(text, error)``
    says what happened on the tab's message line.
    """

    sigChanged = Signal()
    sigMessage = Signal(str, bool)

    def __init__(
        self, view: TrainingView, display: RunDisplay, document: ModelDocument, parent=None
    ):
        super().__init__(parent)
        self.view = view
        self.display = display
        self.document = document
        self.prepared: PreparedData | None = None  # the split the next run trains on
        self._run_split: PreparedData | None = None  # the split the last run trained on
        self._drawn: PreparedData | None = None
        self._source: tuple | None = None  # what the data was loaded from (see source())
        self._requested_source: tuple | None = None
        self.loading = DataLoading(self)
        self.loading.sigLoaded.connect(self._on_loading_loaded)
        self.loading.sigFailed.connect(self._on_loading_failed)
        view.dataset.sigChanged.connect(self.reload)
        bind(self, document.trained_changed, self._on_document_trained_changed)

    @property
    def dataset(self) -> Dataset | None:
        """The whole dataset; None while a file loads or when it did not load."""
        return None if self.prepared is None else self.prepared.dataset

    @property
    def train(self) -> Dataset | None:
        return None if self.prepared is None else self.prepared.train

    @property
    def val(self) -> Dataset | None:
        return None if self.prepared is None else self.prepared.val

    @property
    def shown(self) -> PreparedData | None:
        """The split the views show and score the model on: the last run's while its
        trained weights are there and the data is the same, else :attr:`prepared`."""
        run, prepared = self._run_split, self.prepared
        if (
            run is not None
            and prepared is not None
            and run.dataset is prepared.dataset
            and self.document.trained
        ):
            return run
        return prepared

    def keeps_run_split(self) -> bool:
        """True while the views show the last run's split rather than the next run's."""
        return self.shown is not self.prepared

    def fits_model(self) -> bool:
        """True when the document's model takes this data's features and gives its classes."""
        data = self.dataset
        return data is not None and self.document.fits(data.num_features, data.num_classes)

    def follow(self) -> None:
        """Give a model that follows the data (:attr:`ModelDocument.follows_data`), untrained
        and not in a run, this data's sizes without asking: nothing of the person's is lost,
        and a fresh start is ready to train. Above the parameter budget it stays as it is
        (the banner and Start say why)."""
        data, document = self.dataset, self.document
        if data is None or self.fits_model() or not document.follows_data:
            return
        if document.trained or document.training:
            return
        try:
            document.adapt(data.num_features, data.num_classes)
        except ValueError:
            return

    def mismatch_text(self) -> str:
        """How the model and the data differ, for the banner and the Adapt question."""
        config, data = self.document.config, self.dataset
        if data is None:
            return ""
        return (
            f"The model takes {config.input_features} inputs and gives "
            f"{config.output_features} outputs; {data.name} has {data.num_features} features "
            f"and {data.num_classes} classes."
        )

    def config(self) -> TrainingConfig:
        """The Training settings with the Data panel's validation share (ValueError if bad)."""
        return self.view.settings.config(self.view.dataset.val_fraction.value())

    def reload(self) -> None:
        """Load the chosen data (a file in the background) and split it; the same data with
        another validation share or scaling is split again, not read again."""
        panel = self.view.dataset
        try:
            source = panel.source()
            config = self.config()
        except (DataError, ValueError) as error:
            self.loading.cancel()
            self._on_loading_failed(error)
            return
        if source is None:  # a file is still to be chosen: a prompt, not an error
            self.loading.cancel()
            self._source = self._requested_source = None
            self._set(None, panel.prompt())
            self.sigMessage.emit(panel.prompt(), False)
            self.sigChanged.emit()
            return
        load, background = source.load, source.path is not None
        prepared = self.prepared
        if prepared is not None and source.key == self._source:
            dataset = prepared.dataset
            load, background = (lambda: dataset), len(dataset) * dataset.num_features > BIG_DATA
        self._requested_source = source.key
        if background:
            what = source.path.name if source.path is not None else "the data"
            self._set(None, f"Loading {what}…")
            self.sigMessage.emit(f"Loading {what}…", False)
        self.loading.request(load, config, panel.standardize.isChecked(), background)
        self.sigChanged.emit()

    def prepare(self, config: TrainingConfig) -> None:
        """Split (and standardize) the data for ``config``, unless it already is, for a run
        that starts now: the views show this split from now on."""
        standardize = self.view.dataset.standardize.isChecked()
        self.prepared = self.loading.split(self.prepared, config, standardize)
        self._run_split = self.prepared
        self._draw()

    def shutdown(self) -> None:
        self.loading.shutdown()

    def split_note(self) -> str:
        """What the message line says while the views keep the last run's split."""
        if not self.keeps_run_split():
            return ""
        share = self.view.dataset.val_fraction.value()
        return (
            f"Validation share {share:.2f} applies to the next run; the plots keep the split "
            f"the model trained and was scored on ({self._run_split.key[1]:.2f})."
        )

    def _on_document_trained_changed(self, trained: bool) -> None:
        if not trained:
            self.follow()
            if self._drawn is not self.shown:  # fresh weights: the next run's split is shown
                self._draw()
                self.sigMessage.emit("", False)
                self.sigChanged.emit()

    def _on_loading_loaded(self, prepared: PreparedData) -> None:
        self._source = self._requested_source
        self._set(prepared)
        self.follow()
        self.sigMessage.emit(self.split_note(), False)
        self.sigChanged.emit()

    def _on_loading_failed(self, error) -> None:
        self._source = None
        self._set(None, "No data: see the message above.")
        self.sigMessage.emit(f"Data not loaded: {error}", True)
        self.sigChanged.emit()

    def _set(self, prepared: PreparedData | None, note: str = "") -> None:
        """Make ``prepared`` the data and show the points or images of the split
        :attr:`shown` (None: no data, and ``note`` where they were)."""
        self.prepared = prepared
        if prepared is None:
            self._drawn = None
            self.display.clear_data(note)
            self.document.set_data(None)
            return
        self._draw()

    def _draw(self) -> None:
        """Show the points or images of :attr:`shown`, unless they are shown already."""
        shown = self.shown
        if shown is None or shown is self._drawn:
            return
        self._drawn = shown
        self.display.show_data(shown.train, shown.val, shown.raw_val, shown.dataset)
        name = shown.dataset.name
        samples = IndexedSamples(shown.val.x, shown.val.y, f"the validation set of {name}")
        self.document.set_sample_source(samples, name)
        self.document.set_data(shown.train, shown.val)
