"""Helpers the Training tab's GUI tests share: build a small tab, click, wait for a stop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from explorer.ui.training.tab import TrainingTab
from explorer.ui.training.worker import TrainingController

WAIT_MS = 30_000


def assert_no_training_thread_left() -> None:
    """Stop any training worker thread still running, then fail the test if there was one."""
    running = TrainingController.running_threads()
    for thread in running:
        thread.quit()
        thread.wait()
    assert running == [], "a training worker thread was left running"


def make_tab(qtbot, kind="moons", samples=120, epochs=2, batch=16) -> TrainingTab:
    tab = TrainingTab()
    qtbot.addWidget(tab, before_close_func=lambda widget: widget.shutdown())
    # A question would wait for a click that never comes: a test that expects one answers it.
    tab.confirm = lambda parent, title, text: pytest.fail(f"unexpected question: {text}")
    view = tab.view
    view.dataset.kind.setCurrentIndex(view.dataset.kind.findData(kind))
    if kind in view.dataset.params:
        view.dataset.params[kind]["n_samples"].setValue(samples)
    view.settings.epochs.setValue(epochs)
    view.settings.batch_size.setValue(batch)
    return tab


def click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), f"{button.objectName()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_stopped(qtbot, tab: TrainingTab, status: str) -> None:
    qtbot.waitUntil(
        lambda: tab.display.run is not None and tab.display.run.status == status, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: not tab.runner.controller.is_running(), timeout=WAIT_MS)


def wait_loaded(qtbot, tab: TrainingTab) -> None:
    """Wait until a data file the tab reads in the background is in (or refused)."""
    qtbot.waitUntil(lambda: not tab.data.loading.is_loading(), timeout=WAIT_MS)
