"""What every tab of the main window offers to the window, the exporters and sessions, and how
a view binds to a document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from explorer.model.document import Event


def bind(owner: QObject, event: Event, callback: Callable[..., Any]) -> None:
    """Call ``callback`` on ``event`` for as long as ``owner`` exists (a view bound to a
    document that may outlive it)."""
    event.connect(callback)
    owner.destroyed.connect(lambda *_: event.disconnect(callback))


class ExplorerTab(QWidget):
    """Base of the tabs: every ability a tab may offer is declared here, with a default.

    ``export_name`` prefixes exported file names (``distributions-kl-contributions.svg``).
    ``export_items()`` maps a short kebab-case name to each plot the tab shows (a
    ``pg.PlotItem`` or ``pg.GraphicsLayout``, anything pyqtgraph's exporters take);
    ``export_tables()`` and ``export_texts()`` add tables (CSV) and texts the tab offers.
    ``state()`` returns the JSON-serializable state of every control; ``restore_state``
    takes such a dict back and raises ValueError naming any bad entry. ``session_arrays()``
    and ``restore_session_arrays`` carry large numeric data (a tab's own: the model's weights
    are the model document's). ``shutdown()`` stops background work.
    """

    title = ""
    export_name = ""

    def export_items(self) -> dict[str, pg.GraphicsObject]:
        return {}

    def export_tables(self) -> dict[str, tuple[list[str], list[list]]]:
        """``name -> (header, rows)``: tables exported as CSV beside the plots."""
        return {}

    def export_texts(self) -> dict[str, tuple[str, str]]:
        """``name -> (extension, text)``: texts exported beside the plots."""
        return {}

    def state(self) -> dict[str, Any]:
        return {}

    def restore_state(self, state: dict[str, Any]) -> None:
        del state

    def session_arrays(self) -> dict[str, np.ndarray]:
        """Large numeric data for the session's ``.npz``; ``state()`` keeps what is small."""
        return {}

    def restore_session_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        """Take back what ``session_arrays()`` gave (called after ``restore_state``)."""
        del arrays

    def shutdown(self) -> None:
        """Stop any background work; called before the app quits."""


class PendingTab(ExplorerTab):
    """Stands in for a tab this build does not have, and says so plainly."""

    def __init__(self, title: str, export_name: str, what: str, parent=None):
        super().__init__(parent)
        self.title = title
        self.export_name = export_name
        layout = QVBoxLayout(self)
        label = QLabel(f"<h2>{title}</h2><p>{what}</p><p>This tab is not built yet.</p>")
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addStretch(1)
