"""What every tab of the main window offers to the window, the exporters and sessions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ExplorerTab(QWidget):
    """Base of the four tabs.

    ``export_name`` prefixes exported file names (``distributions-kl-contributions.svg``).
    ``export_items()`` maps a short kebab-case name to each plot the tab shows (a
    ``pg.PlotItem`` or ``pg.GraphicsLayout``, anything pyqtgraph's exporters take).
    ``state()`` returns the JSON-serializable state of every control; ``restore_state``
    takes such a dict back and raises ValueError naming any bad entry.
    """

    title = ""
    export_name = ""

    def export_items(self) -> dict[str, pg.GraphicsObject]:
        return {}

    def state(self) -> dict[str, Any]:
        return {}

    def restore_state(self, state: dict[str, Any]) -> None:
        del state

    def session_arrays(self) -> dict[str, np.ndarray]:
        """Large numeric data for the session's ``.npz``; ``state()`` keeps what is small.

        Default: a tab with a ``model()`` method returning an ``nn.Module`` gives its
        ``state_dict()`` (keys ``linear1.weight``, ...); other tabs give nothing.
        """
        model = self._session_model()
        if model is None:
            return {}
        return {key: np.array(value) for key, value in model.state_dict().items()}

    def restore_session_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        """Take back what ``session_arrays()`` gave (called after ``restore_state``).

        Default: load them into ``model()`` after checking every key and shape, so a
        mismatch changes nothing and raises ValueError naming the first problem.
        """
        model = self._session_model()
        if model is None or not arrays:
            return
        expected = model.state_dict()
        missing = sorted(set(expected) - set(arrays))
        unexpected = sorted(set(arrays) - set(expected))
        if missing or unexpected:
            raise ValueError(
                f"saved weights do not fit the model: missing {missing or 'none'}, "
                f"unexpected {unexpected or 'none'}"
            )
        for key, value in expected.items():
            if np.shape(arrays[key]) != np.shape(value):
                raise ValueError(
                    f"saved weight {key!r} has shape {np.shape(arrays[key])}, "
                    f"the model's has {np.shape(value)}"
                )
        model.load_state_dict(dict(arrays))
        for hook in ("mark_trained", "refresh_parameters"):
            if callable(getattr(self, hook, None)):
                getattr(self, hook)()

    def _session_model(self):
        model = getattr(self, "model", None)
        model = model() if callable(model) else None
        return model if hasattr(model, "state_dict") and hasattr(model, "load_state_dict") else None

    def shutdown(self) -> None:
        """Stop any background work; called before the app quits."""


class PendingTab(ExplorerTab):
    """Stands in for a tab whose issue has not landed yet, and says so plainly."""

    def __init__(self, title: str, export_name: str, what: str, parent=None):
        super().__init__(parent)
        self.title = title
        self.export_name = export_name
        layout = QVBoxLayout(self)
        label = QLabel(f"<h2>{title}</h2><p>{what}</p><p>This tab is not built yet.</p>")
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addStretch(1)
