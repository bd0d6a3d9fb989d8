"""The model the Training tab trains: the model document's.

All GUI-thread access to the shared model goes through here. While a run is live the
model follows the training process (its weights are loaded in the GUI thread), so reading
it never races a training step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from explorer.data import Dataset
from explorer.engine import nn
from explorer.model.config import MLPConfig
from explorer.model.document import ModelDocument
from explorer.training import load_weights, save_weights


def ask_save_path(parent) -> str:
    path, _ = QFileDialog.getSaveFileName(
        parent, "Save weights", "weights.npz", "NumPy archives (*.npz)"
    )
    return path


def ask_open_path(parent) -> str:
    path, _ = QFileDialog.getOpenFileName(
        parent, "Load weights", "", "NumPy archives (*.npz);;All files (*)"
    )
    return path


class ModelLink:
    """Reads, adapts, re-initializes, saves and loads the document's model."""

    def __init__(self, document: ModelDocument):
        self.document = document

    def model(self) -> nn.Module:
        return self.document.model

    def fits(self, data: Dataset | None) -> bool:
        return data is not None and self.document.fits(data.num_features, data.num_classes)

    def mismatch_text(self, data: Dataset) -> str:
        config = self.document.config
        return (
            f"The model takes {config.input_features} inputs and gives "
            f"{config.output_features} outputs; {data.name} has {data.num_features} features "
            f"and {data.num_classes} classes."
        )

    def adapt(self, data: Dataset) -> None:
        """Rebuild with the data's input and output sizes (hidden layers kept); ValueError
        (nothing built) above the parameter budget."""
        self.document.build(self.document.config.adapted(data.num_features, data.num_classes))

    def config(self) -> MLPConfig:
        return self.document.config

    def is_trained(self) -> bool:
        return self.document.trained

    def mark_trained(self, trained: bool) -> None:
        self.document.set_trained(trained)

    def refresh(self) -> None:
        """Say the weights changed in place (the Model tab re-reads them)."""
        self.document.notify_weights_changed()

    def set_sample_provider(self, provider, name: str) -> None:
        self.document.set_sample_source(provider, name)

    def reinitialize(self, seed: int) -> None:
        self.document.reinitialize(seed)

    def save(self, path: str) -> Path:
        """Write the state_dict as .npz (OSError if the place is not writable)."""
        return save_weights(self.model(), path)

    def load(self, path: str) -> None:
        """Load a .npz state_dict; ValueError with the core's message on any mismatch."""
        load_weights(self.model(), path)
        self.mark_trained(True)
        self.refresh()
