"""A row that starts a long computation off the GUI thread: its button, Cancel, a progress
bar and a line that says what happened (the loss landscape and the range test share it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from explorer.ui.background import CancellableCall
from explorer.ui.theme import theme


class JobBar(QWidget):
    """``run_button`` starts what :meth:`start` is given; Cancel asks it to stop.

    ``sigDone(result)`` carries the function's result (None when it was cancelled),
    ``sigFailed(error)`` its exception; :meth:`say` writes the status line.
    """

    sigDone = Signal(object)
    sigFailed = Signal(object)

    def __init__(self, text: str, name: str, tip: str, parent=None):
        super().__init__(parent)
        self.call = CancellableCall(self)
        self.run_button = QPushButton(text, objectName=f"{name}Run")
        self.run_button.setToolTip(tip)
        self.cancel_button = QPushButton("Cancel", objectName=f"{name}Cancel")
        self.cancel_button.setToolTip("Stop the computation (what was computed is dropped)")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(objectName=f"{name}Progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("Ready")
        self.status = QLabel(objectName=f"{name}Status")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.cancel_button.clicked.connect(self.cancel)
        self.call.sigProgress.connect(self._on_call_progress)
        self.call.sigDone.connect(self._on_call_done)
        self.call.sigFailed.connect(self._on_call_failed)
        self._error = False
        theme().watch(self, self._color_status)

    def is_running(self) -> bool:
        return self.call.is_running()

    def start(self, function: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
              what: str) -> bool:  # fmt: skip
        """Run ``function(progress, should_stop)`` in the background; False if one runs."""
        if self.call.is_running():
            return False
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setFormat(what)
        self.say(what + "…")
        self.call.start(function)
        return True

    def cancel(self) -> None:
        if self.call.is_running():
            self.call.cancel()
            self.progress.setFormat("Cancelling…")

    def shutdown(self) -> None:
        """Stop and wait for the computation (the tab is closing)."""
        self.call.wait()
        self._finish()

    def is_error(self) -> bool:
        """Whether the status line says why something cannot run or failed."""
        return self._error

    def say(self, text: str, error: bool = False) -> None:
        self._error = error
        self.status.setText(text)
        self._color_status()

    def _color_status(self) -> None:
        palette = theme().palette
        color = palette.error if self._error else palette.muted
        self.status.setStyleSheet(f"color: {theme().hex(palette.text_color(color))};")

    def _finish(self) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)

    def _on_call_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done} / {total}")

    def _on_call_done(self, result) -> None:
        self._finish()
        self.progress.setValue(1 if result is not None else 0)
        self.progress.setFormat("Done" if result is not None else "Cancelled")
        if result is None:
            self.say("Cancelled: nothing changed.")
        self.sigDone.emit(result)

    def _on_call_failed(self, error) -> None:
        self._finish()
        self.progress.setValue(0)
        self.progress.setFormat("Failed")
        self.say(f"Failed: {error}", error=True)
        self.sigFailed.emit(error)
