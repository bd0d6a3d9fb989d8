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
        """Large numeric data for the session's ``.npz`` (e.g. trained weights by
        state_dict key); ``state()`` keeps only what is small. Default: none."""
        return {}

    def restore_session_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        """Take back what ``session_arrays()`` gave, after ``restore_state``; raise
        ValueError naming a bad key or shape."""
        del arrays

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
