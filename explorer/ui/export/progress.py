"""The progress dialog of a GUI export: one step per file, cancelable between files."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget


class ExportProgress:
    """A window-modal progress dialog for an export, cancelable between files."""

    def __init__(self, steps: int, parent: QWidget | None):
        self._done = 0
        self._dialog = QProgressDialog("Exporting...", "Cancel", 0, max(1, steps), parent)
        self._dialog.setObjectName("exportProgress")
        self._dialog.setWindowTitle("Export plots")
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(400)  # a quick export does not flash a dialog
        self._dialog.setAutoClose(False)
        self._dialog.setAutoReset(False)
        self._dialog.setMinimumWidth(420)
        self._dialog.setValue(0)

    def step(self, file_name: str) -> None:
        self._done += 1
        total = self._dialog.maximum()
        self._dialog.setLabelText(f"Wrote {file_name} ({self._done} of {total})")
        self._dialog.setValue(min(self._done, self._dialog.maximum()))
        QApplication.processEvents()

    def cancelled(self) -> bool:
        return self._dialog.wasCanceled()

    def close(self) -> None:
        # reset() stops the minimum-duration timer, which would otherwise show the dialog
        # again after the export ended.
        self._dialog.reset()
        self._dialog.hide()
        self._dialog.deleteLater()
