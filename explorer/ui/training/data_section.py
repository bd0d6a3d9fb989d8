"""The Training tab's data: the chosen dataset, loaded (a file in the background) and split.

:class:`DataSection` reads the Data panel, loads what it names through
:class:`~explorer.ui.training.data_loading.DataLoading`, shows its points or images, and offers
its validation samples to the model document (the Model tab's forward inspector draws them).
The same data with another validation share or scaling is split again, not read again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from explorer.data import DataError, Dataset
from explorer.model.document import ModelDocument
from explorer.training import TrainingConfig
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
        self.prepared: PreparedData | None = None
        self._source: tuple | None = None  # what the data was loaded from (see source())
        self._requested_source: tuple | None = None
        self.loading = DataLoading(self)
        self.loading.sigLoaded.connect(self._on_loading_loaded)
        self.loading.sigFailed.connect(self._on_loading_failed)
        view.dataset.sigChanged.connect(self.reload)

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

    def fits_model(self) -> bool:
        """True when the document's model takes this data's features and gives its classes."""
        data = self.dataset
        return data is not None and self.document.fits(data.num_features, data.num_classes)

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
            self._on_loading_failed(error)
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
        """Split (and standardize) the data for ``config``, unless it already is."""
        standardize = self.view.dataset.standardize.isChecked()
        prepared = self.loading.split(self.prepared, config, standardize)
        if prepared is not self.prepared:
            self._set(prepared)

    def sample(self, index: int = 0):
        """Validation sample ``index`` (wrapping around) as ``(features, label)``."""
        val = self.val
        if val is None:
            return None
        i = int(index) % len(val)
        return val.x[i], int(val.y[i])

    def shutdown(self) -> None:
        self.loading.shutdown()

    def _on_loading_loaded(self, prepared: PreparedData) -> None:
        self._source = self._requested_source
        self._set(prepared)
        self.sigMessage.emit("", False)
        self.sigChanged.emit()

    def _on_loading_failed(self, error) -> None:
        self._source = None
        self._set(None, "No data: see the message above.")
        self.sigMessage.emit(f"Data not loaded: {error}", True)
        self.sigChanged.emit()

    def _set(self, prepared: PreparedData | None, note: str = "") -> None:
        """Make ``prepared`` the data and show its points or images (None: no data, and
        ``note`` where they were)."""
        self.prepared = prepared
        if prepared is None:
            self.display.clear_data(note)
            self.document.set_data(None)
            return
        self.display.show_data(prepared.train, prepared.val, prepared.raw_val, prepared.dataset)
        self.document.set_sample_source(self.sample, prepared.dataset.name)
        self.document.set_data(prepared.train, prepared.val)
