"""Fixtures for the Training tab's parts: no worker thread may outlive a test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_training_thread_left():
    yield
    from explorer.ui.training.worker import TrainingController

    running = TrainingController.running_threads()
    for thread in running:
        thread.quit()
        thread.wait()
    assert running == [], "a training worker thread was left running"
