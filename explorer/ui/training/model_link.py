"""The model the Training tab trains: the Model tab's instance (or the tab's own MLP).

All GUI-thread access to the shared model goes through here. While a run is live the
model follows the training process (its weights are loaded in the GUI thread), so reading
it never races a training step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from explorer.data import Dataset
from explorer.engine import nn
from explorer.model.config import MLPConfig, reinitialize_model
from explorer.training import DEFAULT_RUN, load_weights, save_weights


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
    """Reads, adapts, re-initializes, saves and loads the trained model."""

    def __init__(self, model_tab):
        self.model_tab = model_tab
        self._own: nn.MLP | None = None

    def model(self) -> nn.Module:
        if self.model_tab is not None:
            return self.model_tab.model()
        if self._own is None:
            self._own = nn.MLP(2, DEFAULT_RUN.model.hidden_sizes, 3)
        return self._own

    def fits(self, data: Dataset | None) -> bool:
        model = self.model()
        return data is not None and (
            getattr(model, "input_features", None) == data.num_features
            and getattr(model, "output_features", None) == data.num_classes
        )

    def mismatch_text(self, data: Dataset) -> str:
        model = self.model()
        return (
            f"The model takes {model.input_features} inputs and gives {model.output_features} "
            f"outputs; {data.name} has {data.num_features} features and {data.num_classes} "
            "classes."
        )

    def adapt(self, data: Dataset, confirmed: bool = False) -> bool:
        """Rebuild with the data's input and output sizes (hidden layers kept).

        ``confirmed``: the user already agreed to lose trained weights, so the Model tab
        must not ask a second time.
        """
        if confirmed:
            self.mark_trained(False)
        if self.model_tab is None:
            hidden = self.model().hidden_sizes
            self._own = nn.MLP(data.num_features, hidden, data.num_classes)
            return True
        config = self.model_tab.model_config().adapted(data.num_features, data.num_classes)
        return bool(self.model_tab.set_model_config(config, build=True))

    def config(self) -> MLPConfig:
        if self.model_tab is not None:
            return self.model_tab.model_config()
        return MLPConfig.from_dict(self.model().config())

    def is_trained(self) -> bool:
        return self.model_tab is not None and self.model_tab.is_trained()

    def mark_trained(self, trained: bool) -> None:
        if self.model_tab is not None:
            self.model_tab.mark_trained(trained)

    def refresh(self) -> None:
        """Let the Model tab re-read the parameters."""
        if self.model_tab is not None and self.model_tab.isVisible():
            self.model_tab.refresh_parameters()

    def set_sample_provider(self, provider, name: str) -> None:
        if self.model_tab is not None:
            self.model_tab.set_sample_provider(provider, name)

    def reinitialize(self, seed: int) -> None:
        reinitialize_model(self.model(), seed)
        self.mark_trained(False)
        self.refresh()

    def save(self, path: str) -> Path:
        """Write the state_dict as .npz (OSError if the place is not writable)."""
        return save_weights(self.model(), path)

    def load(self, path: str) -> None:
        """Load a .npz state_dict; ValueError with the core's message on any mismatch."""
        load_weights(self.model(), path)
        self.mark_trained(True)
        self.refresh()
