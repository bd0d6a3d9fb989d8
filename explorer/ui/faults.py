"""Faults: an exception escaping a slot is logged and shown in a dialog; the app keeps running.

PySide6 hands an exception raised inside a slot or a virtual override to ``sys.excepthook``
and then carries on with the event loop. ``FaultHandler.install()`` replaces that hook: it
writes the traceback to the log file (in the app's data folder) and to stderr, and shows a
non-modal dialog with the message and a "Copy details" button. Faults from other threads
cross to the GUI thread through a queued signal.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

LOGGER_NAME = "explorer"
LOG_FILE = "explorer.log"


def data_dir() -> Path:
    """The app's writable data folder (created if needed): logs and the last session live here."""
    # The generic location plus our own name: the same folder whatever the QApplication is
    # called (~/.local/share/explorer on Linux).
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    path = (Path(location) if location else Path.home() / ".local" / "share") / "explorer"
    path.mkdir(parents=True, exist_ok=True)
    return path


def setup_logging(folder: Path | None = None) -> Path | None:
    """Log the ``explorer`` logger to ``<data dir>/explorer.log`` (rotated); return its path.

    Returns None (and logs nowhere) when the folder cannot be written: a log must never be the
    reason the app does not start.
    """
    logger = logging.getLogger(LOGGER_NAME)
    try:
        path = (folder or data_dir()) / LOG_FILE
        for handler in list(logger.handlers):
            if getattr(handler, "baseFilename", None) == str(path):
                return path
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path


class FaultDialog(QDialog):
    """Says what went wrong, offers the details, and a button that copies them."""

    def __init__(self, message: str, details: str, log_path: Path | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("faultDialog")
        self.setWindowTitle("Something went wrong")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.details = details
        where = f"<br>It was logged to <code>{log_path}</code>." if log_path else ""
        self.message_label = QLabel(
            f"<b>An error occurred; the explorer keeps running.</b><br>{_escape(message)}{where}"
        )
        self.message_label.setObjectName("faultMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_view = QPlainTextEdit(details, self)
        self.details_view.setObjectName("faultDetails")
        self.details_view.setReadOnly(True)
        self.details_view.setToolTip("The full traceback, for a bug report")
        self.details_view.setMinimumHeight(180)
        self.copy_button = QPushButton("Copy details", self)
        self.copy_button.setObjectName("copyDetails")
        self.copy_button.setToolTip("Copy the message and traceback to the clipboard")
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText("Copied")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class FaultHandler(QObject):
    """Replaces ``sys.excepthook`` while installed.

    Parameters
    ----------
    parent : QWidget, optional
        The window the dialogs belong to.
    show : callable, optional
        ``show(message, details)``; by default a non-modal ``FaultDialog``. Tests pass their own.
    status : callable, optional
        ``status(text)`` for a one-line notice (the status bar).
    """

    sigFault = Signal(str, str)

    def __init__(
        self,
        parent=None,
        show: Callable[[str, str], None] | None = None,
        status: Callable[[str], None] | None = None,
        log_path: Path | None = None,
    ):
        super().__init__(parent)
        self._window = parent
        self._show = show or self._show_dialog
        self._status = status
        self.log_path = log_path
        self._previous = None
        self.dialog: FaultDialog | None = None
        self.count = 0
        # Queued across threads, direct on the GUI thread.
        self.sigFault.connect(self._on_self_fault)

    def install(self) -> None:
        if self._previous is None:
            self._previous = sys.excepthook
            sys.excepthook = self.handle

    def uninstall(self) -> None:
        if self._previous is not None:
            if sys.excepthook == self.handle:
                sys.excepthook = self._previous
            self._previous = None

    def handle(self, exc_type, exc, tb) -> None:
        """The ``sys.excepthook`` replacement."""
        if issubclass(exc_type, KeyboardInterrupt) and self._previous is not None:
            self._previous(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        message = "".join(traceback.format_exception_only(exc_type, exc)).strip()
        logging.getLogger(LOGGER_NAME).error("uncaught exception\n%s", details)
        print(details, file=sys.stderr, end="")
        self.count += 1
        try:
            self.sigFault.emit(message, details)
        except RuntimeError:  # the handler's C++ side is gone while the app shuts down
            pass

    def _on_self_fault(self, message: str, details: str) -> None:
        if self._status is not None:
            self._status(f"Error: {message}")
        self._show(message, details)

    def _show_dialog(self, message: str, details: str) -> None:
        # One dialog at a time: a fault that repeats on every repaint must not flood the screen.
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.details += f"\n{details}"
            self.dialog.details_view.appendPlainText(details)
            return
        self.dialog = FaultDialog(message, details, self.log_path, self._window)
        self.dialog.destroyed.connect(self._on_dialog_destroyed)
        self.dialog.show()

    def _on_dialog_destroyed(self) -> None:
        self.dialog = None
